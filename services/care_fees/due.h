// Exact dues and the cumulative whole-krone rounding (nursing-home-fees.md, "Rounding").
//
// A month's exact due is a share of a yearly amount, `fee_year × d / (12 × n)`, or a per-day
// amount `fee_year / 12 / 30 × days`; such quotients often do not terminate in decimal. ExactDue
// holds the amount as an exact multiple of 1/due_denominator krone, where due_denominator is a
// common multiple of every divisor used (12 × 28 … 12 × 31 and 12 × 30), so sums of dues are
// exact and the once-only rounding to whole kroner is exact as well.
#pragma once

#include <optional>
#include <vector>

#include "common/money.h"

namespace oppgjor::care_fees {

using common::Decimal;

// 12 × lcm(28, 29, 30, 31) = 12 × 377 580.
inline constexpr std::int64_t due_denominator = 4'530'960;

class ExactDue {
 public:
  ExactDue() = default;  // zero
  // amount_nok × count / divisor. Empty when divisor does not divide due_denominator (a
  // parameter outside what this representation supports). REQUIRES: divisor > 0.
  static std::optional<ExactDue> fraction(const Decimal& amount_nok, std::int64_t count,
                                          std::int64_t divisor);
  static ExactDue whole(const Decimal& amount_nok) {
    return ExactDue(amount_nok * due_denominator);
  }

  ExactDue operator+(const ExactDue& o) const { return ExactDue(scaled_ + o.scaled_); }
  ExactDue& operator+=(const ExactDue& o) { return *this = *this + o; }
  bool is_zero() const { return scaled_.is_zero(); }

  // round_half_up to whole kroner (exact: 0.5 lies on the 18-digit grid).
  Decimal whole_kroner_half_up() const;
  // For display only: rounded half up to `decimals`.
  Decimal display_nok(int decimals) const;

 private:
  explicit ExactDue(Decimal scaled) : scaled_(scaled) {}
  Decimal scaled_;  // amount × due_denominator
};

// The charge for each period when the dues are invoiced in whole kroner cumulatively:
// charge[m] = round_half_up(due[0..m]) − round_half_up(due[0..m−1]). The charges sum to
// round_half_up(total due), and none differs from its own due by a krone or more.
std::vector<Decimal> cumulative_whole_kroner(const std::vector<ExactDue>& dues);

}  // namespace oppgjor::care_fees
