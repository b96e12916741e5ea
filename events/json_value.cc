#include "events/json_value.h"

#include <algorithm>
#include <cmath>

namespace oppgjor::events {

namespace dom = simdjson::dom;

namespace {

// not money: JSON number semantics
constexpr double two_pow_63 = 9223372036854775808.0;
// not money: JSON number semantics
constexpr double two_pow_64 = 18446744073709551616.0;

// not money: JSON number semantics
int sign_of(double x) {
  return x > 0 ? 1 : (x < 0 ? -1 : 0);
}

// Exact comparison of an int64 with a double (no rounding of the integer).
// not money: JSON number semantics
int compare_int_double(std::int64_t i, double d) {
  if (d >= two_pow_63) return -1;
  if (d < -two_pow_63) return 1;
  // not money: JSON number semantics
  const double whole = std::trunc(d);
  const auto t = static_cast<std::int64_t>(whole);
  if (i != t) return i < t ? -1 : 1;
  return -sign_of(d - whole);
}

// not money: JSON number semantics
int compare_uint_double(std::uint64_t u, double d) {
  if (d < 0) return 1;
  if (d >= two_pow_64) return -1;
  // not money: JSON number semantics
  const double whole = std::trunc(d);
  const auto t = static_cast<std::uint64_t>(whole);
  if (u != t) return u < t ? -1 : 1;
  return -sign_of(d - whole);
}

int compare_int_uint(std::int64_t i, std::uint64_t u) {
  if (i < 0) return -1;
  const auto ui = static_cast<std::uint64_t>(i);
  return ui < u ? -1 : (ui > u ? 1 : 0);
}

template <class T>
int three_way(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Compares when `a` is an integer kind.
int compare_from_int(const JsonNumber& a, const JsonNumber& b) {
  using K = JsonNumber::Kind;
  if (a.kind == K::int64) {
    if (b.kind == K::int64) return three_way(a.i, b.i);
    if (b.kind == K::uint64) return compare_int_uint(a.i, b.u);
    return compare_int_double(a.i, b.d);
  }
  if (b.kind == K::int64) return -compare_int_uint(b.i, a.u);
  if (b.kind == K::uint64) return three_way(a.u, b.u);
  return compare_uint_double(a.u, b.d);
}

bool objects_equal(const JsonValue& a, dom::object b) {
  if (a.object().size() != b.size()) return false;
  for (dom::key_value_pair kv : b) {
    const JsonValue* member = a.find(kv.key);
    if (member == nullptr || !json_equal(*member, kv.value)) return false;
  }
  return true;
}

bool arrays_equal(const JsonValue& a, dom::array b) {
  if (a.array().size() != b.size()) return false;
  std::size_t index = 0;
  for (dom::element item : b) {
    if (!json_equal(a.array()[index], item)) return false;
    ++index;
  }
  return true;
}

bool objects_equal(dom::object a, dom::object b) {
  if (a.size() != b.size()) return false;
  for (dom::key_value_pair kv : a) {
    dom::element other;
    if (b.at_key(kv.key).get(other) != simdjson::SUCCESS) return false;
    if (!json_equal(kv.value, other)) return false;
  }
  return true;
}

bool arrays_equal(dom::array a, dom::array b) {
  if (a.size() != b.size()) return false;
  auto it = b.begin();
  for (dom::element item : a) {
    if (!json_equal(item, *it)) return false;
    ++it;
  }
  return true;
}

}  // namespace

dom::array array_of(dom::element e) {
  dom::array a;
  [[maybe_unused]] const auto error = e.get(a);
  return a;
}

dom::object object_of(dom::element e) {
  dom::object o;
  [[maybe_unused]] const auto error = e.get(o);
  return o;
}

bool JsonNumber::is_integral() const {
  if (kind != Kind::floating) return true;
  return std::isfinite(d) && std::trunc(d) == d;
}

// not money: JSON number semantics
double JsonNumber::as_double() const {
  switch (kind) {
    case Kind::int64:
      // not money: JSON number semantics
      return static_cast<double>(i);
    case Kind::uint64:
      // not money: JSON number semantics
      return static_cast<double>(u);
    case Kind::floating:
      return d;
  }
  return d;
}

int compare_numbers(const JsonNumber& a, const JsonNumber& b) {
  using K = JsonNumber::Kind;
  if (a.kind != K::floating) return compare_from_int(a, b);
  if (b.kind != K::floating) return -compare_from_int(b, a);
  return three_way(a.d, b.d);
}

bool is_number(dom::element e) {
  const dom::element_type t = e.type();
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
         t == dom::element_type::DOUBLE;
}

JsonNumber number_of(dom::element e) {
  switch (e.type()) {
    case dom::element_type::INT64:
      return JsonNumber::of_int(e.get_int64().value_unsafe());
    case dom::element_type::UINT64:
      return JsonNumber::of_uint(e.get_uint64().value_unsafe());
    default:
      return JsonNumber::of_double(e.get_double().value_unsafe());
  }
}

JsonValue JsonValue::from_dom(dom::element e) {
  JsonValue v;
  switch (e.type()) {
    case dom::element_type::NULL_VALUE:
      v.kind_ = Kind::null;
      break;
    case dom::element_type::BOOL:
      v.kind_ = Kind::boolean;
      v.boolean_ = e.get_bool().value_unsafe();
      break;
    case dom::element_type::STRING:
      v.kind_ = Kind::string;
      v.string_ = std::string(e.get_string().value_unsafe());
      break;
    case dom::element_type::ARRAY:
      v.kind_ = Kind::array;
      for (dom::element item : array_of(e)) v.array_.push_back(from_dom(item));
      break;
    case dom::element_type::OBJECT:
      v.kind_ = Kind::object;
      for (dom::key_value_pair kv : object_of(e)) {
        v.object_.emplace_back(std::string(kv.key), from_dom(kv.value));
      }
      // Stable sort keeps input order among equal keys; keep the last of each duplicate.
      std::stable_sort(v.object_.begin(), v.object_.end(),
                       [](const Member& a, const Member& b) { return a.first < b.first; });
      {
        std::vector<Member> unique;
        for (auto& m : v.object_) {
          if (!unique.empty() && unique.back().first == m.first) unique.pop_back();
          unique.push_back(std::move(m));
        }
        v.object_ = std::move(unique);
      }
      break;
    default:
      v.kind_ = Kind::number;
      v.number_ = number_of(e);
      break;
  }
  return v;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  auto it = std::lower_bound(object_.begin(), object_.end(), key,
                             [](const Member& m, std::string_view k) { return m.first < k; });
  if (it == object_.end() || it->first != key) return nullptr;
  return &it->second;
}

bool json_equal(const JsonValue& a, dom::element b) {
  switch (a.kind()) {
    case JsonValue::Kind::null:
      return b.type() == dom::element_type::NULL_VALUE;
    case JsonValue::Kind::boolean:
      return b.type() == dom::element_type::BOOL && b.get_bool().value_unsafe() == a.boolean();
    case JsonValue::Kind::number:
      return is_number(b) && compare_numbers(a.number(), number_of(b)) == 0;
    case JsonValue::Kind::string:
      return b.type() == dom::element_type::STRING && b.get_string().value_unsafe() == a.string();
    case JsonValue::Kind::array:
      return b.type() == dom::element_type::ARRAY && arrays_equal(a, array_of(b));
    case JsonValue::Kind::object:
      return b.type() == dom::element_type::OBJECT && objects_equal(a, object_of(b));
  }
  return false;
}

bool json_equal(dom::element a, dom::element b) {
  if (is_number(a)) return is_number(b) && compare_numbers(number_of(a), number_of(b)) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case dom::element_type::NULL_VALUE:
      return true;
    case dom::element_type::BOOL:
      return a.get_bool().value_unsafe() == b.get_bool().value_unsafe();
    case dom::element_type::STRING:
      return a.get_string().value_unsafe() == b.get_string().value_unsafe();
    case dom::element_type::ARRAY:
      return arrays_equal(array_of(a), array_of(b));
    case dom::element_type::OBJECT:
      return objects_equal(object_of(a), object_of(b));
    default:
      return false;
  }
}

}  // namespace oppgjor::events
