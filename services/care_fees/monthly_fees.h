// Monthly fees from stays, for one resident and one calendar year (nursing-home-fees.md, "Stay
// kinds", "The 60-day rule", "Rounding", "First month free", "Cost cap").
//
// calculate_monthly_fees() is pure: given the resident's stays, the yearly fee inputs (the
// basis) and the rule parameters it returns the twelve months of the year, each with its
// billable days, its whole-krone amount, its lines and its trace. A control recalculation calls
// it again for the same stays with the final basis and diffs month by month; nothing here
// depends on what was charged before.
//
// Day rules, per date of the year:
//   - each date belongs to at most one stay: when stays overlap (a transfer day), the stay with
//     the latest admission wins; the first and the last date of a stay (admission, discharge or
//     death) are billable days;
//   - institution døgn = dates in a short_term or long_term stay, counted from 1 January;
//   - short_term: døgn 1–60 at the day rate (the municipal rate if given, capped by the state
//     maximum), from døgn 61 the long-term amount per day, fee_year / 12 / 30;
//   - short_term_day / short_term_night: each date is one stay at the day-or-night rate;
//   - respite, emergency: no fee (days listed, not billable, not counted);
//   - long_term: fee_year / 12 × d / n for d billable days of the month's n; free for one
//     month from the admission date when admitted from home (domstolloven § 148: payment from
//     the same day number next month, or that month's last day), unless the institution døgn
//     already counted that year before the admission exceed 60; a segment that continues a
//     long-term segment (starting on its last day or the day after: a transfer of room,
//     institution or district) keeps the free month running; leaving long-term care ends it; a
//     long-term segment that continues a short_term one gets a free month only with the rule
//     option short_to_long_free_month = yes;
//   - dobbeltrom against the resident's wish (a period of the stay, or the basis flag for the
//     whole year): the fee_year computed with the dobbeltrom fribeløp for those dates;
//   - the cost cap: the basis' explicit cap, or the cap of the stay's institution type;
//   - absences do not change the charge (research Q6: no rule found; rule option
//     absence_rule = no_change); they are traced;
//   - rule options (recorded in every trace): hospital_days_count = on counts the dates of
//     hospital_stays that no stay covers as institution døgn; short_stay_departure_day =
//     not_counted leaves out the last date of a short_term stay longer than one day.
// Month m is charged round_half_up(due 1..m) − round_half_up(due 1..m−1) whole kroner.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/care_fees/fee_input.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/parameters.h"
#include "services/care_fees/trace.h"

namespace oppgjor::care_fees {

enum class StayKind { respite, emergency, short_term, short_term_day, short_term_night, long_term };
std::string_view stay_kind_name(StayKind kind);
std::optional<StayKind> parse_stay_kind(std::string_view name);

// How a month line is charged.
enum class LineKind {
  short_term_rate,         // short-term døgn within the limit: the state rate
  short_term_after_limit,  // short-term døgn beyond the limit: like long-term
  short_term_day_night,    // day or night stay: the day/night rate
  long_term,
  free_month,  // the first month of a long-term stay from home
  no_fee,      // respite, emergency
};
// "short_term_rate" | "short_term_after_limit" | "short_term_day_night" | "long_term" |
// "free_month" | "no_fee" (the JSON of a month line and its trace step).
std::string_view line_kind_name(LineKind kind);
std::optional<LineKind> parse_line_kind(std::string_view name);

struct DatePeriod {
  Date from;  // inclusive
  Date to;    // inclusive
};

// One stay segment. A transfer is the end of one segment and the start of the next on the same
// date with from_home = false.
struct Stay {
  std::string stay_id;
  StayKind kind = StayKind::long_term;
  std::string institution_id;
  std::string institution_type;  // "nursing_home": selects the cost cap
  Date from;                     // admission date
  std::optional<Date> to;        // last billable date (discharge or death); none = still there
  bool from_home = false;        // admitted from home (a long-term stay then gets a free month)
  std::vector<DatePeriod> double_room_against_wish;
  std::vector<DatePeriod> absences;  // recorded, not deducted
};

struct MonthlyFeeInput {
  int year = 0;
  // Every stay that touches `year`. For a long-term stay admitted in an earlier year, also that
  // year's earlier stays, so the free month can be decided.
  std::vector<Stay> stays;
  FeeInput basis;                                       // REQUIRES: basis.year == year
  std::optional<Decimal> municipal_rate_dogn_nok;       // below the state maximum, if any
  std::optional<Decimal> municipal_rate_day_night_nok;  // likewise
  // Days in hospital (specialist health service) outside the stays: counted as institution døgn
  // toward the 60 when basis.options.hospital_days_count is on; never billed.
  std::vector<DatePeriod> hospital_stays;
};

struct MonthLine {
  LineKind kind = LineKind::no_fee;
  std::string stay_id;
  Date first_date;
  Date last_date;
  int days = 0;
  bool billable = false;
  bool double_room = false;
  std::string formula;  // "200 × 5", "52000 × 31 / (12 × 31)"
  Decimal due_nok;      // the line's exact due rounded half up to øre: display only
};

struct MonthFee {
  int year = 0;
  unsigned month = 0;  // 1..12
  int days_billable = 0;
  Decimal due_nok;     // exact due of the month rounded half up to øre: display only
  Decimal amount_nok;  // whole kroner, cumulative rounding
  std::vector<MonthLine> lines;
  Trace trace;
};

struct MonthlyFees {
  int year = 0;
  std::vector<MonthFee> months;        // always 12, January first
  Decimal total_nok;                   // sum of the amounts
  int institution_days = 0;            // short_term + long_term døgn in the year
  std::vector<YearlyFee> yearly_fees;  // each fee_year variant used (ordinary/dobbeltrom, type)
  Trace trace;                         // year-level decisions: 60-day count, free months
};

Result<MonthlyFees> calculate_monthly_fees(const MonthlyFeeInput& input,
                                           const ParameterStore& store);

}  // namespace oppgjor::care_fees
