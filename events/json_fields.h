// Reading fields of a decoded payload (simdjson DOM) without exceptions: the small helpers every
// decoder of an engine event uses (services/invoicing, services/ledger). Each returns false (or
// the fallback) when the key is missing or has another type; the caller names the field in its
// own error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/date.h"

namespace oppgjor::events {

inline bool get_text(simdjson::dom::element obj, std::string_view key, std::string& out) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS) return false;
  out.assign(v);
  return true;
}

inline bool get_int(simdjson::dom::element obj, std::string_view key, std::int64_t& out) {
  return obj[key].get(out) == simdjson::SUCCESS;
}

// A "YYYY-MM-DD" string that is a valid date.
inline bool get_date(simdjson::dom::element obj, std::string_view key, common::Date& out) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS) return false;
  auto d = common::Date::parse(v);
  if (!d) return false;
  out = *d;
  return true;
}

// The string at `key`, or `fallback` when missing or not a string.
inline std::string text_or(simdjson::dom::element obj, std::string_view key,
                           std::string fallback = {}) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS) return fallback;
  return std::string(v);
}

// The integer at `key`, or `fallback` when missing or not an integer.
inline std::int64_t int_or(simdjson::dom::element obj, std::string_view key,
                           std::int64_t fallback = 0) {
  std::int64_t v = 0;
  return obj[key].get(v) == simdjson::SUCCESS ? v : fallback;
}

// The boolean at `key`, or false when missing or not a boolean.
inline bool flag_or_false(simdjson::dom::element obj, std::string_view key) {
  bool v = false;
  return obj[key].get(v) == simdjson::SUCCESS && v;
}

}  // namespace oppgjor::events
