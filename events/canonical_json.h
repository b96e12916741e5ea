// Canonical JSON: the one byte form of a JSON value that the hash chain and content digests are
// computed over (events/LOG_FORMAT.md, "Canonical JSON").
//
//   - objects: members sorted by key, compared as UTF-8 bytes; duplicate keys are an error;
//   - no insignificant whitespace;
//   - strings: '"' and '\\' escaped, control characters U+0000..U+001F as \b \f \n \r \t or
//     \u00xx (lowercase hex); everything else literal UTF-8 (input is already valid UTF-8);
//   - numbers: integers only (int64/uint64), shortest decimal form. A non-integer number is an
//     error: amounts travel as decimal strings, so no float formatting question ever arises;
//   - true, false, null.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/result.h"

namespace oppgjor::events {

// Appends the canonical form of `value` to `out`. `path` is the JSON pointer of `value` used in
// error fields ("payload/lines/0/antall"). Error codes: "number_not_integer", "duplicate_key".
Status append_canonical(simdjson::dom::element value, std::string& out, std::string_view path);

// Whether `text` is exactly what append_canonical(value, ...) appends (`value` parsed from it):
// then `text` can be taken as it is. False for anything else, including what append_canonical
// refuses (duplicate keys, non-integer numbers): the caller canonicalises, and gets its error.
// Reads `text` once; allocates nothing.
bool is_canonical(simdjson::dom::element value, std::string_view text);

// Appends `s` as a JSON string literal (with quotes), escaped as above.
void append_json_string(std::string_view s, std::string& out);

// Writes canonical objects and arrays whose keys the caller knows. Keys must be added in
// strictly increasing byte order; a violation is a bug and aborts (always-on check). Inside an
// array, every value (scalar, object or array) is separated from the previous one here.
class CanonicalWriter {
 public:
  explicit CanonicalWriter(std::string& out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);
  void string_value(std::string_view v) {
    element();
    append_json_string(v, out_);
  }
  void int_value(std::int64_t v);
  void bool_value(bool v) {
    element();
    out_ += v ? "true" : "false";
  }
  void null_value() {
    element();
    out_ += "null";
  }
  // REQUIRES: `json` is already canonical.
  void raw_value(std::string_view json) {
    element();
    out_ += json;
  }

  void field(std::string_view k, std::string_view v) {
    key(k);
    string_value(v);
  }
  void field_int(std::string_view k, std::int64_t v) {
    key(k);
    int_value(v);
  }

 private:
  // Before a value: the separator when it is not the first element of an array.
  void element() {
    if (depth_ < 0 || !array_[depth_]) return;
    if (!first_[depth_]) out_ += ',';
    first_[depth_] = false;
  }
  void open(char c, bool array);

  static constexpr int depth_max = 16;
  std::string& out_;
  std::string last_key_[depth_max];
  bool first_[depth_max] = {};
  bool array_[depth_max] = {};
  int depth_ = -1;
};

}  // namespace oppgjor::events
