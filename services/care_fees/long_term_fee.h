// The yearly fee for a long-term stay (langtidsopphold), one pure function with a full trace
// (nursing-home-fees.md, "Long-term yearly amount" and "Calculation basis B"):
//
//   B         = max(0, counted income − deductible tax − debt interest − dependant deduction
//                      − discretionary deductions)
//   B_year    = round_half_up(B × days_in_year / days_covered, øre)   when the income covers only
//               part of the year (FeeInput::covered_from/to); the whole year: B_year = B, exactly
//   fee_raw   = 0.75 × max(0, min(B, G) − F) + 0.85 × max(0, B − G)
//   keep      = 0.25 × G + 0.75 × F
//   fee_year  = round_down(min(fee_raw, max(0, B − keep), cost_cap_year), whole kroner)
//
// All figures are exact decimals; the only rounding is the named round_down of fee_year (and
// the display of fee_year / 12 to øre), and the annualised basis rounded half up to øre. Pure: no
// I/O, no clock; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "services/care_fees/fee_input.h"
#include "services/care_fees/parameters.h"
#include "services/care_fees/trace.h"

namespace oppgjor::care_fees {

inline constexpr std::string_view long_term_fee_calculation_version = "long_term_fee.v1";
// Said in the trace and in the output's warnings whenever a fee is computed without a cap.
inline constexpr std::string_view no_cost_cap_warning =
    "No cost cap applied: no cost_cap_year, no cap for the institution_id and no "
    "institution_type was given";

struct YearlyFee {
  int year = 0;
  Decimal basis_nok;          // B for the year (B_year: annualised when the income is part-year)
  Decimal basis_covered_nok;  // B of the covered period, before annualising
  int days_covered = 0;       // days of the covered period (inclusive)
  int days_in_year = 0;       // 365 or 366
  Decimal grunnbelop_nok;     // G used
  Decimal fribelop_nok;       // F used (dobbeltrom F when involuntary)
  Decimal fee_raw_nok;        // the 75 % / 85 % formula
  Decimal keep_nok;           // the amount the resident always keeps
  Decimal fee_floor_nok;      // max(0, B − keep)
  std::optional<Decimal> cost_cap_year_nok;
  Decimal fee_exact_nok;  // min(fee_raw, floor, cap), before rounding
  Decimal fee_year_nok;   // whole kroner, rounded down
  Decimal fee_month_nok;  // fee_year / 12 rounded half up to øre: for display only
  std::vector<Decimal> monthly_charges_nok;  // 12 whole-krone charges of a full year (cumulative)
  Trace trace;
};

// Every rule option by name and value ("short_to_long_free_month": "no", …), the defaults
// included: recorded in every trace (yearly, monthly and each month's).
std::vector<TraceItem> rule_option_items(const RuleOptions& options);

// REQUIRES: nothing; invalid input is an Error naming the field (validate_fee_input), a missing
// parameter an Error naming the parameter and year ("care_fees.fribelop_nok missing for 2031"), and
// an assessed tax smaller than its removed parts the code "deductible_tax_negative".
Result<YearlyFee> calculate_long_term_fee(const FeeInput& input, const ParameterStore& store);

}  // namespace oppgjor::care_fees
