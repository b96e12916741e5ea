#include "services/care_fees/resident_fees.h"

#include <array>

namespace oppgjor::care_fees {

Result<MonthlyFees> resident_fees(const ResidentState& r, int year, const FeeInput* basis,
                                  const ParameterStore& store, std::optional<Date> decision_date) {
  MonthlyFeeInput in;
  in.year = year;
  in.stays = r.stays_for_year(year);
  if (basis != nullptr) in.basis = *basis;
  in.basis.year = year;
  if (decision_date) in.basis.decision_date = decision_date;
  return calculate_monthly_fees(in, store);
}

bool needs_income(const MonthlyFees& fees) {
  for (const MonthFee& m : fees.months) {
    for (const MonthLine& l : m.lines) {
      if (l.billable &&
          (l.kind == LineKind::long_term || l.kind == LineKind::short_term_after_limit))
        return true;
    }
  }
  return false;
}

std::string_view month_name_no(unsigned month) {
  static constexpr std::array<std::string_view, 12> names = {
      "januar", "februar", "mars",      "april",   "mai",      "juni",
      "juli",   "august",  "september", "oktober", "november", "desember"};
  return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

}  // namespace oppgjor::care_fees
