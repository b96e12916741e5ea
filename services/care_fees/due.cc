// Exact dues and cumulative rounding (see due.h).
#include "services/care_fees/due.h"
#include "common/assert.h"

namespace oppgjor::care_fees {

static_assert(due_denominator % (12 * 28) == 0 && due_denominator % (12 * 29) == 0 &&
              due_denominator % (12 * 30) == 0 && due_denominator % (12 * 31) == 0);

std::optional<ExactDue> ExactDue::fraction(const Decimal& amount_nok, std::int64_t count,
                                           std::int64_t divisor) {
  OPPGJOR_ASSERT(divisor > 0, "a divisor from rule data is zero");
  if (due_denominator % divisor != 0) return std::nullopt;
  return ExactDue(amount_nok * (count * (due_denominator / divisor)));
}

Decimal ExactDue::whole_kroner_half_up() const {
  return scaled_.divide(due_denominator).round(0, common::Rounding::half_up);
}

Decimal ExactDue::display_nok(int decimals) const {
  return scaled_.divide(due_denominator).round(decimals, common::Rounding::half_up);
}

std::vector<Decimal> cumulative_whole_kroner(const std::vector<ExactDue>& dues) {
  std::vector<Decimal> charges;
  charges.reserve(dues.size());
  ExactDue cumulative;
  Decimal charged_so_far;
  for (const ExactDue& due : dues) {
    cumulative += due;
    const Decimal rounded = cumulative.whole_kroner_half_up();
    charges.push_back(rounded - charged_so_far);
    charged_so_far = rounded;
  }
  return charges;
}

}  // namespace oppgjor::care_fees
