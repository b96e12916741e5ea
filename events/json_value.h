// JsonValue: a small immutable JSON value tree that owns its data, for the few places where a
// value must outlive the simdjson parser that produced it (a schema's `enum` and `const`), and
// JSON equality as draft-07 defines it (numbers compare by value, 1 == 1.0; objects ignore key
// order).
//
// This is not the canonical-JSON codec (events/canonical_json.*) and not money code: a number
// keeps the kind simdjson gave it (int64, uint64 or double), and comparisons are exact between
// integers; a double takes part only where the JSON text had a fraction or an exponent.
//
// Thread-safety: a JsonValue is immutable after construction and safe to share between threads.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oppgjor::events {

// A JSON number as simdjson delivers it. Exactly one member is meaningful, chosen by `kind`.
struct JsonNumber {
  enum class Kind { int64, uint64, floating };
  Kind kind = Kind::int64;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;  // not money: schema bounds and instance numbers that had a fraction/exponent

  static JsonNumber of_int(std::int64_t v) { return {Kind::int64, v, 0, 0}; }
  static JsonNumber of_uint(std::uint64_t v) { return {Kind::uint64, 0, v, 0}; }
  // not money: JSON number semantics
  static JsonNumber of_double(double v) { return {Kind::floating, 0, 0, v}; }

  // True when the value is a whole number (any integer kind, or a double without fraction).
  bool is_integral() const;
  // As a double (exact for integers up to 2^53).
  // not money: JSON number semantics
  double as_double() const;
};

// Three-way comparison by numeric value: negative, zero or positive. Exact for every pair of
// kinds (an int64 against a double does not round the int64).
int compare_numbers(const JsonNumber& a, const JsonNumber& b);

// Reads a number element. REQUIRES: e is INT64, UINT64 or DOUBLE.
JsonNumber number_of(simdjson::dom::element e);

// The array / object inside an element, by value (binding a range-for to the reference inside
// a temporary simdjson_result would dangle). REQUIRES: e has that type.
simdjson::dom::array array_of(simdjson::dom::element e);
simdjson::dom::object object_of(simdjson::dom::element e);

// True when `e` is a JSON number (int64, uint64 or double).
bool is_number(simdjson::dom::element e);

class JsonValue {
 public:
  enum class Kind { null, boolean, number, string, array, object };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  // Deep copy of a simdjson element. Object members are sorted by key; for a duplicated key
  // the last one wins (as for lookups in most JSON readers).
  static JsonValue from_dom(simdjson::dom::element e);

  Kind kind() const { return kind_; }
  bool boolean() const { return boolean_; }
  const JsonNumber& number() const { return number_; }
  const std::string& string() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  // Sorted by key.
  const std::vector<Member>& object() const { return object_; }
  // The member named `key`, or nullptr.
  const JsonValue* find(std::string_view key) const;

 private:
  Kind kind_ = Kind::null;
  bool boolean_ = false;
  JsonNumber number_;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<Member> object_;
};

// JSON equality (draft-07 `enum`, `const`, `uniqueItems`): same type, numbers equal by value,
// strings byte-equal, arrays element-wise, objects with the same key set and equal members.
bool json_equal(const JsonValue& a, simdjson::dom::element b);
bool json_equal(simdjson::dom::element a, simdjson::dom::element b);

}  // namespace oppgjor::events
