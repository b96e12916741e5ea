// Exact money and decimal arithmetic (ARCHITECTURE.md "Money").
//
// Decimal: an exact scaled decimal, value = units × 10^-18, units held in Boost.Multiprecision's
// checked_int128_t (range about ±1.7e20 with 18 fractional digits). Addition, subtraction and
// multiplication are exact (a product's 36 fractional digits are brought back to 18 only when
// the discarded digits are zero; otherwise see multiply()). Division is exact when the quotient
// terminates within 18 digits and is otherwise truncated toward zero at the 18th digit; callers
// that divide must round once, at a named step, with a named mode, as the domain notes say.
// Overflow is an error: arithmetic that overflows throws std::overflow_error (a bug: amounts in
// this domain are far below the range), parsing an out-of-range string returns an Error.
//
// Amounts on the ledger are whole øre in int64 (`amount_ore`); Decimal is for intermediate
// figures (75 % of an income, an interest fraction) and for NOK amounts in calculations.
//
// Thread-safe: values only. No binary floating point anywhere.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "common/result.h"

namespace oppgjor::common {

enum class Rounding {
  half_up,    // round_half_up: ties away from zero (1.005 -> 1.01, -1.005 -> -1.01)
  down,       // round_down: toward zero (1.009 -> 1.00, -1.009 -> -1.00)
  half_even,  // round_half_even: ties to the even neighbour (banker's rounding)
};
std::string_view rounding_name(Rounding r);  // "round_half_up", "round_down", "round_half_even"

class Decimal {
 public:
  using Units = boost::multiprecision::checked_int128_t;
  static constexpr int scale_digits = 18;

  constexpr Decimal() = default;  // zero

  // Parses "-1234.5678", "0", "12.", "+3.10". No exponent, no thousands separators, at most 18
  // fractional digits. Error codes: "decimal_syntax", "decimal_too_many_decimals",
  // "decimal_out_of_range". `field` is copied into the Error.
  static Result<Decimal> parse(std::string_view text, std::string_view field = {});

  static Decimal from_int(std::int64_t whole);
  static Decimal from_ore(std::int64_t amount_ore);  // 12345 -> 123.45
  // value = numerator / 10^decimals, e.g. from_scaled(1225, 2) == 12.25.
  static Decimal from_scaled(std::int64_t numerator, int decimals);

  Decimal operator+(const Decimal& o) const;
  Decimal operator-(const Decimal& o) const;
  Decimal operator-() const;
  Decimal operator*(const Decimal& o) const;  // exact up to 18 decimals, then truncates
  Decimal operator*(std::int64_t k) const;    // exact
  // Truncates toward zero at 18 decimals. REQUIRES: divisor != 0 (throws std::domain_error).
  Decimal divide(const Decimal& divisor) const;
  Decimal divide(std::int64_t divisor) const;
  Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
  Decimal& operator-=(const Decimal& o) { return *this = *this - o; }

  std::strong_ordering operator<=>(const Decimal& o) const;
  bool operator==(const Decimal& o) const;

  // Rounds to `decimals` (0..18) fractional digits with the named mode.
  Decimal round(int decimals, Rounding mode) const;
  // Rounds to whole øre with the named mode and returns øre. Throws std::overflow_error beyond
  // int64.
  std::int64_t to_ore(Rounding mode) const;
  // Whole part, REQUIRES: is_integer(). Throws std::overflow_error beyond int64.
  std::int64_t to_int64() const;
  bool is_integer() const;
  bool is_zero() const { return units_ == 0; }
  bool is_negative() const { return units_ < 0; }

  // Shortest exact decimal string: "1234.5", "0", "-0.001" (no trailing zeros, no exponent).
  std::string to_string() const;
  // Exactly `decimals` fractional digits ("1234.50"). REQUIRES: the value has no more
  // fractional digits than `decimals` (round first); otherwise throws std::logic_error.
  std::string to_string(int decimals) const;

  const Units& units() const { return units_; }

 private:
  explicit Decimal(Units units) : units_(units) {}
  Units units_ = 0;
};

Decimal min(const Decimal& a, const Decimal& b);
Decimal max(const Decimal& a, const Decimal& b);

// Norwegian format for people: "1 234 567,89" (no-break-free plain spaces as thousands
// separator, decimal comma), exactly `decimals` digits after rounding half up.
std::string format_nok(const Decimal& amount, int decimals = 2);
// Øre as a canonical decimal string with two decimals: 12345 -> "123.45", -5 -> "-0.05".
std::string ore_to_string(std::int64_t amount_ore);
// "123.45" -> 12345; more than two decimals is an error ("amount_too_many_decimals").
Result<std::int64_t> parse_ore(std::string_view text, std::string_view field = {});

}  // namespace oppgjor::common
