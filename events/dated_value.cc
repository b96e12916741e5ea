// The dated rule value decoder (dated_value.h).
#include "events/dated_value.h"

#include <string_view>

namespace oppgjor::events {

Result<DatedValue> decode_dated_value(simdjson::dom::element obj) {
  using simdjson::dom::element;
  const auto invalid = [](std::string_view field, std::string message) {
    return make_error("parameter_invalid", std::string(field), std::move(message));
  };
  const auto text = [&](std::string_view key, bool required) -> Result<std::string> {
    element v;
    if (obj[key].get(v) != simdjson::SUCCESS) {
      if (required) return invalid(key, "missing");
      return std::string{};
    }
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) return invalid(key, "must be a string");
    return std::string(s);
  };
  const auto flag = [&](std::string_view key) -> Result<bool> {
    element v;
    if (obj[key].get(v) != simdjson::SUCCESS) return false;
    bool b = false;
    if (v.get(b) != simdjson::SUCCESS) return invalid(key, "must be true or false");
    return b;
  };
  DatedValue out;
  auto value_text = text("value", true);
  if (!value_text) return value_text.error();
  auto value = common::Decimal::parse(*value_text, "value");
  if (!value) return invalid("value", value.error().message);
  out.value = *value;
  auto from_text = text("effective_from", true);
  if (!from_text) return from_text.error();
  auto from = common::Date::parse(*from_text);
  if (!from) return invalid("effective_from", "not a date");
  out.effective_from = *from;
  auto to_text = text("effective_to", false);
  if (!to_text) return to_text.error();
  if (!to_text->empty()) {
    auto to = common::Date::parse(*to_text);
    if (!to) return invalid("effective_to", "not a date");
    out.effective_to = *to;
  }
  auto source = text("source", true);
  if (!source) return source.error();
  auto version = text("rule_version", true);
  if (!version) return version.error();
  auto note = text("note", false);
  if (!note) return note.error();
  auto uncertain = flag("uncertain");
  if (!uncertain) return uncertain.error();
  auto example = flag("example");
  if (!example) return example.error();
  out.source = std::move(*source);
  out.rule_version = std::move(*version);
  out.note = std::move(*note);
  out.uncertain = *uncertain;
  out.example = *example;
  return out;
}

}  // namespace oppgjor::events
