// A month's bill split by district (issue 10, item 9; nursing-home-fees.md, "Districts"). A
// resident belongs to one district (bydel) per day: the district of the stay segment the day
// belongs to (care_fees.stay_started's district, then each care_fees.stay_transferred's
// to_district), else the customer's. Each district is billed for the days it was responsible.
//
// How a month's whole-krone amount is split (split_month): each district's weight is the exact
// due of the month's lines on its days (the lines' due to øre, MonthLine::due_nok; for a
// long-term month at one yearly amount that is its share of the billable days, and a free day
// weighs nothing); the parts are rounded cumulatively in the order the districts were first
// responsible in the month: part k = round_half_up(amount × W_1..k / W) −
// round_half_up(amount × W_1..k−1 / W). The last part takes the rest, so the parts always sum to
// the month's amount exactly and none is a krone or more away from its exact share. A month
// with one district has one part: the whole amount.
//
// Pure: no clock, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/care_fees/care_fees_state.h"
#include "services/care_fees/monthly_fees.h"

namespace oppgjor::care_fees {

// One district's part of one month.
struct DistrictPart {
  std::string district;         // may be empty: no district known (fakturautsteder SYE_OSLO)
  int days = 0;                 // days of the month it was responsible for (lines of the month)
  int days_billable = 0;        // of those, billable days
  Decimal weight_nok;           // the due of its lines, to øre
  std::int64_t amount_ore = 0;  // its part of the month's amount (whole kroner)
  std::string institution_id;   // the institution of its last billable day (else last day)
  Date first_date;              // its first day in the month
  Date last_date;               // its last day in the month
};

// The district responsible for `line` (the segment of line.stay_id that holds line.first_date).
std::string district_of_line(const ResidentState& r, const MonthLine& line);

// The district parts of `month` (from calculate_monthly_fees for this resident), in the order
// the districts were first responsible. Empty when the month has no lines. The amounts sum to
// month.amount_nok exactly.
std::vector<DistrictPart> split_month(const ResidentState& r, const MonthFee& month);

// `amount_ore` split by `weights` (each ≥ 0), rounded cumulatively to whole kroner in the given
// order; all weights zero: the last part takes everything. The parts sum to amount_ore.
// REQUIRES: amount_ore is whole kroner (a multiple of 100); !weights.empty().
std::vector<std::int64_t> split_whole_kroner(std::int64_t amount_ore,
                                             const std::vector<Decimal>& weights);

// The districts responsible for any day of [from, to] (stay segments touching it), sorted.
std::vector<std::string> districts_in(const ResidentState& r, Date from, Date to);

// True when the resident was in `district` any day of [from, to], or, without stays in it, is in
// it now.
bool was_in_district(const ResidentState& r, const std::string& district, Date from, Date to);

}  // namespace oppgjor::care_fees
