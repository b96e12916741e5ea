// The JSON edge of the calculation: decoding the `oppgjor care-fees calc --input FILE` document
// into a FeeInput, and rendering a YearlyFee (or MonthlyFees) as JSON or as a Norwegian table
// for caseworkers. The CLI is a thin shell over run_calc(), so all of it is testable without
// the binary.
//
// Input document (amounts are decimal strings with at most two decimals):
//   {"year": 2025,
//    "income": [{"kind": "pension", "amount": "260000.00", "joint": false}],
//    "deductions": [{"kind": "tax", "amount": "0"}],
//    "discretionary_deductions": [{"amount": "6000.00", "reason": "rent for former home"}],
//    "spouse_at_home": null | {"assumed_survivor_pension": "…", "own_income": "…"},
//    "dependants": [{"relation": "spouse" | "cohabitant" | "minor_child" | "supported_child",
//                    "assumed_pension": "…", "income": [{"kind": "earned" |
//                    "national_insurance_pension" | "other", "amount": "…"}]}],
//    "double_room_involuntary": false, "cost_cap_year": null | "…",
//    "institution_id": "SYKEHJEM-A", "institution_type": "nursing_home",  (the cost cap: the
//    institution's own for the year, else its type's; neither: no cap, said in the warnings)
//    "decision_date": "2025-02-01",
//    "covered_from": "2025-01-01", "covered_to": "2025-03-15",   (the income's period; optional)
//    "rule_options": {"grunnbelop_rule": "in_force_1_may" | "yearly_average",
//                     "keep_rule": "quarter_g_three_quarters_f" | "quarter_g_full_f",
//                     "dependant_rule": "survivor_pension_gap" |
//                                       "survivor_pension_gap_plus_half_gross_pension",
//                     "short_to_long_free_month": "no" | "yes",
//                     "hospital_days_count": "off" | "on",
//                     "short_stay_departure_day": "counts" | "not_counted",
//                     "absence_rule": "no_change"}}
// Only "year" and "income" are required. Unknown members are rejected ("unknown_field"), so a
// misspelt member never silently drops a deduction. Errors name the field ("income[2].kind").
// The items, deductions and spouse are decoded by fee_input_json.h, as in the income_reported
// fold.
#pragma once

#include <string>
#include <string_view>

#include "services/care_fees/fee_input.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/monthly_fees.h"

namespace oppgjor::care_fees {

enum class OutputFormat { json, table };

Result<FeeInput> parse_fee_input_json(std::string_view json_text);

// {"basis_nok", "cost_cap_year_nok", "fee_exact_nok", "fee_month_nok", "fee_raw_nok",
//  "fee_year_nok", "fribelop_nok", "grunnbelop_nok", "keep_nok", "monthly_charges_nok",
//  "rule_version", "trace", "warnings", "year"}; amounts as decimal strings. Canonical JSON
// (events/canonical_json.h: keys sorted) laid out two spaces per level; ends with a newline.
std::string yearly_fee_to_json(const YearlyFee& fee);
// The caseworker's view, in Norwegian: "1 234 567,89", dates "01.05.2025".
std::string yearly_fee_to_table(const YearlyFee& fee, const FeeInput& input);

// Per month {year, month, days_billable, amount_nok, due_nok, lines, trace}: the shape an
// invoice basis (claim type nursing_home) will carry. Laid out like yearly_fee_to_json().
std::string monthly_fees_to_json(const MonthlyFees& fees);

// One month {year, month, days_billable, amount_nok, due_nok, lines, trace} and a trace
// {rule_version, calculation_version, options, steps}, as compact JSON (attached to invoice
// bases by the billing of phase 2). Both are canonical JSON (CanonicalWriter).
std::string month_fee_to_json(const MonthFee& month);
std::string trace_to_json(const Trace& trace);

// The whole `care-fees calc` job. Every Error is a business rejection of the input (exit 3).
Result<std::string> run_calc(std::string_view input_json, OutputFormat format,
                             const ParameterStore& store);

}  // namespace oppgjor::care_fees
