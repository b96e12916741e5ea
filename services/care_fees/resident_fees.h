// A resident's monthly fees for one year from the folded state: the stays of the year and a
// calculation basis (or none, when only rate-based stays are involved). Shared by the monthly
// billing and the control recalculation. Pure.
#pragma once

#include <optional>

#include "services/care_fees/care_fees_state.h"
#include "services/care_fees/monthly_fees.h"

namespace oppgjor::care_fees {

// `basis` == nullptr: an empty basis (no income); check needs_income() on the result.
// `decision_date`: for a provisional decision before 1 May (the G known then).
Result<MonthlyFees> resident_fees(const ResidentState& r, int year, const FeeInput* basis,
                                  const ParameterStore& store,
                                  std::optional<Date> decision_date = std::nullopt);

// True when some billable day is priced from the income (long-term or short-term beyond the
// 60-day limit): such a year cannot be computed without a basis.
bool needs_income(const MonthlyFees& fees);

// Norwegian month name: 1 -> "januar".
std::string_view month_name_no(unsigned month);

}  // namespace oppgjor::care_fees
