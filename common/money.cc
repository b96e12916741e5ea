// Decimal: exact scaled decimal (see money.h for the contract).
// g++ 12 at -O3 (CMAKE_BUILD_TYPE=Release) inlines Boost.Multiprecision's cpp_int::str() into
// this file and reports a -Wrestrict inside std::string::assign that cannot happen (GCC bug
// 105329, a known false positive). The warning's location is in the standard headers that
// money.h includes first, so only that one diagnostic is silenced, around that include.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "common/money.h"
#pragma GCC diagnostic pop

#include <array>
#include <limits>
#include <stdexcept>

#include "common/ascii.h"

namespace oppgjor::common {
namespace {

using Units = Decimal::Units;
using Wide = boost::multiprecision::checked_int256_t;

constexpr int scale_digits = Decimal::scale_digits;

// 10^n for 0 <= n <= 18, as Units.
const Units& pow10(int n) {
  static const std::array<Units, scale_digits + 1> table = [] {
    std::array<Units, scale_digits + 1> t{};
    Units v = 1;
    for (auto& e : t) {
      e = v;
      v *= 10;
    }
    return t;
  }();
  if (n < 0 || n > scale_digits) throw std::logic_error("decimal: digits out of range 0..18");
  return table[static_cast<std::size_t>(n)];
}

const Units& scale() {
  return pow10(scale_digits);
}

// Narrows a 256-bit intermediate back to Units; throws std::overflow_error when it does not fit.
Units narrow(const Wide& w) {
  static const Wide max_units = Wide(std::numeric_limits<Units>::max());
  if (w > max_units || w < -max_units) throw std::overflow_error("decimal: overflow");
  return Units(w);
}

std::int64_t to_int64_checked(const Units& u) {
  if (u > std::numeric_limits<std::int64_t>::max() ||
      u < std::numeric_limits<std::int64_t>::min()) {
    throw std::overflow_error("decimal: value beyond int64");
  }
  return u.convert_to<std::int64_t>();
}

Units abs_units(const Units& u) {
  return u < 0 ? Units(-u) : u;
}

// Decimal digits of a non-negative magnitude.
std::string magnitude_digits(const Units& magnitude) {
  return magnitude.str();
}

// Rounds units to a multiple of `step` (a power of ten) with the named mode.
Units round_units(const Units& units, const Units& step, Rounding mode) {
  Units q = units / step;  // truncates toward zero
  const Units r = units % step;
  if (r == 0) return units;
  const Units twice_r = abs_units(r) * 2;
  const int sign = units < 0 ? -1 : 1;
  bool away = false;
  switch (mode) {
    case Rounding::down:
      away = false;
      break;
    case Rounding::half_up:
      away = twice_r >= step;
      break;
    case Rounding::half_even:
      away = twice_r > step || (twice_r == step && (q % 2) != 0);
      break;
  }
  if (away) q += sign;
  return q * step;
}

// Formats units with exactly `decimals` fractional digits; units must be a multiple of
// 10^(18 - decimals).
std::string fixed_string(const Units& units, int decimals) {
  const Units magnitude = abs_units(units);
  const Units whole = magnitude / scale();
  const Units frac = (magnitude % scale()) / pow10(scale_digits - decimals);
  std::string out = units < 0 ? "-" : "";
  out += magnitude_digits(whole);
  if (decimals > 0) {
    std::string frac_digits = magnitude_digits(frac);
    out += '.';
    out.append(static_cast<std::size_t>(decimals) - frac_digits.size(), '0');
    out += frac_digits;
  }
  return out;
}

// Number of fractional digits needed to write units exactly (0..18).
int fractional_digits(const Units& units) {
  for (int d = 0; d < scale_digits; ++d) {
    if (units % pow10(scale_digits - d) == 0) return d;
  }
  return scale_digits;
}

// Accumulates decimal digits into a Wide; returns false when it exceeds Units.
bool accumulate(std::string_view digits, Wide& acc) {
  static const Wide limit = Wide(std::numeric_limits<Units>::max());
  for (char c : digits) {
    acc = acc * 10 + (c - '0');
    if (acc > limit) return false;
  }
  return true;
}

}  // namespace

std::string_view rounding_name(Rounding r) {
  switch (r) {
    case Rounding::half_up:
      return "round_half_up";
    case Rounding::down:
      return "round_down";
    case Rounding::half_even:
      return "round_half_even";
  }
  return "round_unknown";
}

Result<Decimal> Decimal::parse(std::string_view text, std::string_view field) {
  const std::string field_s(field);
  auto syntax = [&] { return make_error("decimal_syntax", field_s, "not a plain decimal number"); };
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  const auto dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  if (whole.empty() || !only_ascii_digits(whole) || !only_ascii_digits(frac)) return syntax();
  if (frac.size() > static_cast<std::size_t>(scale_digits)) {
    return make_error("decimal_too_many_decimals", field_s, "more than 18 fractional digits");
  }
  Wide acc = 0;
  std::string padded(frac);
  padded.append(static_cast<std::size_t>(scale_digits) - frac.size(), '0');
  if (!accumulate(whole, acc) || !accumulate(padded, acc)) {
    return make_error("decimal_out_of_range", field_s, "beyond the decimal range");
  }
  const Units units = narrow(acc);
  return Decimal(negative ? Units(-units) : units);
}

Decimal Decimal::from_int(std::int64_t whole) {
  return Decimal(Units(whole) * scale());
}

Decimal Decimal::from_ore(std::int64_t amount_ore) {
  return from_scaled(amount_ore, 2);
}

Decimal Decimal::from_scaled(std::int64_t numerator, int decimals) {
  return Decimal(Units(numerator) * pow10(scale_digits - decimals));
}

Decimal Decimal::operator+(const Decimal& o) const {
  return Decimal(units_ + o.units_);
}
Decimal Decimal::operator-(const Decimal& o) const {
  return Decimal(units_ - o.units_);
}
Decimal Decimal::operator-() const {
  return Decimal(Units(-units_));
}

Decimal Decimal::operator*(const Decimal& o) const {
  const Wide product = Wide(units_) * Wide(o.units_);
  return Decimal(narrow(product / Wide(scale())));  // truncates toward zero
}

Decimal Decimal::operator*(std::int64_t k) const {
  return Decimal(units_ * Units(k));
}

Decimal Decimal::divide(const Decimal& divisor) const {
  if (divisor.units_ == 0) throw std::domain_error("decimal: division by zero");
  const Wide numerator = Wide(units_) * Wide(scale());
  return Decimal(narrow(numerator / Wide(divisor.units_)));
}

Decimal Decimal::divide(std::int64_t divisor) const {
  if (divisor == 0) throw std::domain_error("decimal: division by zero");
  return Decimal(units_ / Units(divisor));
}

std::strong_ordering Decimal::operator<=>(const Decimal& o) const {
  if (units_ < o.units_) return std::strong_ordering::less;
  if (units_ > o.units_) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

bool Decimal::operator==(const Decimal& o) const {
  return units_ == o.units_;
}

Decimal Decimal::round(int decimals, Rounding mode) const {
  return Decimal(round_units(units_, pow10(scale_digits - decimals), mode));
}

std::int64_t Decimal::to_ore(Rounding mode) const {
  const Units rounded = round_units(units_, pow10(scale_digits - 2), mode);
  return to_int64_checked(rounded / pow10(scale_digits - 2));
}

std::int64_t Decimal::to_int64() const {
  if (!is_integer()) throw std::logic_error("decimal: to_int64 on a non-integer");
  return to_int64_checked(units_ / scale());
}

bool Decimal::is_integer() const {
  return units_ % scale() == 0;
}

std::string Decimal::to_string() const {
  return fixed_string(units_, fractional_digits(units_));
}

std::string Decimal::to_string(int decimals) const {
  pow10(decimals);  // range check
  if (fractional_digits(units_) > decimals) {
    throw std::logic_error("decimal: to_string(decimals) needs rounding first");
  }
  return fixed_string(units_, decimals);
}

Decimal min(const Decimal& a, const Decimal& b) {
  return b < a ? b : a;
}
Decimal max(const Decimal& a, const Decimal& b) {
  return a < b ? b : a;
}

std::string format_nok(const Decimal& amount, int decimals) {
  const std::string plain = amount.round(decimals, Rounding::half_up).to_string(decimals);
  const bool negative = !plain.empty() && plain.front() == '-';
  const std::string_view body = std::string_view(plain).substr(negative ? 1 : 0);
  const auto dot = body.find('.');
  const std::string_view whole = body.substr(0, dot);
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ' ';
    out += whole[i];
  }
  if (dot != std::string_view::npos) {
    out += ',';
    out += body.substr(dot + 1);
  }
  return out;
}

std::string ore_to_string(std::int64_t amount_ore) {
  return Decimal::from_ore(amount_ore).to_string(2);
}

Result<std::int64_t> parse_ore(std::string_view text, std::string_view field) {
  auto parsed = Decimal::parse(text, field);
  if (!parsed.ok()) {
    if (parsed.error().code != "decimal_too_many_decimals") return parsed.error();
    return make_error("amount_too_many_decimals", std::string(field),
                      "an amount has at most two decimals");
  }
  const Decimal value = *parsed;
  if (value.round(2, Rounding::down) != value) {
    return make_error("amount_too_many_decimals", std::string(field),
                      "an amount has at most two decimals");
  }
  try {
    return value.to_ore(Rounding::down);
  } catch (const std::overflow_error&) {
    return make_error("decimal_out_of_range", std::string(field), "amount beyond int64 øre");
  }
}

}  // namespace oppgjor::common
