// The inputs of the long-term fee calculation for one resident and one calendar year: income
// items, deductions, the spouse at home, discretionary deductions, and the rule options
// (nursing-home-fees.md, "Calculation basis B" and "Long-term yearly amount").
//
// Plain values; the kinds are closed enums (an unknown kind can only arise while decoding JSON,
// see calc_json.h). validate_fee_input() checks what the types cannot: signs, reasons, year.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/result.h"

namespace oppgjor::care_fees {

using common::Date;
using common::Decimal;

enum class IncomeKind {
  // counted
  pension,
  benefit,
  earned,
  business,
  rental,
  interest,
  capital_return,
  // not counted (listed in the trace as excluded)
  realisation_gain,
  realisation_loss,
  home_sale_gain,
  lottery,
  compensation_return,
};
bool is_counted(IncomeKind kind);
// A business deficit (underskudd i næring) may be negative; every other amount is >= 0.
bool allows_negative(IncomeKind kind);
std::string_view income_kind_name(IncomeKind kind);
std::optional<IncomeKind> parse_income_kind(std::string_view name);

enum class DeductionKind {
  tax,                            // assessed tax (skatt), all of it
  wealth_tax,                     // part of `tax`: removed, not deductible
  tax_on_excluded_gains,          // part of `tax`: removed, not deductible
  tax_effect_of_excluded_losses,  // added back to the deductible tax (Sivilombudet 2025)
  debt_interest,                  // gjeldsrenter, deductible
};
std::string_view deduction_kind_name(DeductionKind kind);
std::optional<DeductionKind> parse_deduction_kind(std::string_view name);

struct IncomeItem {
  IncomeKind kind = IncomeKind::pension;
  Decimal amount_nok;
  bool joint = false;  // held jointly with a spouse: counts 50 %
};

struct DeductionItem {
  DeductionKind kind = DeductionKind::tax;
  Decimal amount_nok;
  bool joint = false;  // only for debt_interest: counts 50 %
};

struct DiscretionaryDeduction {
  Decimal amount_nok;  // for the year
  std::string reason;  // required, e.g. "rent for former home, 3 months"
};

struct SpouseAtHome {
  Decimal assumed_survivor_pension_nok;  // "tenkt etterlattepensjon", an input
  Decimal own_income_nok;                // the spouse's own income (all of it counts: not itemised)
};

// A person the resident supports (nursing-home-fees.md, "Calculation basis B"): a spouse or
// cohabitant at home, a minor child, or a child over 18 who is supported.
enum class DependantRelation { spouse, cohabitant, minor_child, supported_child };
std::string_view relation_name(DependantRelation r);
std::optional<DependantRelation> parse_relation(std::string_view name);

// The kind of a dependant's own income item: only earned income and the national-insurance
// pension (folketrygden) reduce the deduction; other income of theirs does not.
enum class DependantIncomeKind { earned, national_insurance_pension, other };
std::string_view dependant_income_name(DependantIncomeKind k);
std::optional<DependantIncomeKind> parse_dependant_income(std::string_view name);

struct DependantIncome {
  DependantIncomeKind kind = DependantIncomeKind::other;
  Decimal amount_nok;
};

struct Dependant {
  DependantRelation relation = DependantRelation::spouse;
  // The survivor's pension a spouse or cohabitant would get, the children's pension for a child
  // (an input, computed by the caseworker).
  Decimal assumed_pension_nok;
  std::vector<DependantIncome> income;
};

// Rule options: the alternatives in the product notes, off by default; recorded in the trace.
enum class GrunnbelopRule { in_force_1_may, yearly_average };
enum class KeepRule { quarter_g_three_quarters_f, quarter_g_full_f };
enum class DependantRule { survivor_pension_gap, survivor_pension_gap_plus_half_gross_pension };
std::string_view rule_name(GrunnbelopRule r);
std::string_view rule_name(KeepRule r);
// A short stay that turns into long-term care: no free month (default) or one counted from the
// first long-term day.
enum class ShortToLongFreeMonth { no, yes };
// Hospital days (outside the municipality's stays) counted toward the 60 institution døgn:
// off (default) or on (municipal practice in Alta and Rennebu, research 1.2).
enum class HospitalDays { off, on };
// A short stay's day of departure: a billable, counted døgn (default, as before) or not.
enum class DepartureDay { counts, not_counted };
// Absences from a long-term place: no change to the fee (default; research Q6 found no rule).
enum class AbsenceRule { no_change };
std::string_view rule_name(DependantRule r);
std::string_view rule_name(ShortToLongFreeMonth r);
std::string_view rule_name(HospitalDays r);
std::string_view rule_name(DepartureDay r);
std::string_view rule_name(AbsenceRule r);

struct RuleOptions {
  GrunnbelopRule grunnbelop_rule = GrunnbelopRule::in_force_1_may;
  KeepRule keep_rule = KeepRule::quarter_g_three_quarters_f;
  DependantRule dependant_rule = DependantRule::survivor_pension_gap;
  ShortToLongFreeMonth short_to_long_free_month = ShortToLongFreeMonth::no;
  HospitalDays hospital_days_count = HospitalDays::off;
  DepartureDay short_stay_departure_day = DepartureDay::counts;
  AbsenceRule absence_rule = AbsenceRule::no_change;
};

inline constexpr int fee_year_min = 2000;
inline constexpr int fee_year_max = 2100;

struct FeeInput {
  int year = 0;
  std::vector<IncomeItem> income;
  std::vector<DeductionItem> deductions;
  std::vector<DiscretionaryDeduction> discretionary_deductions;
  std::optional<SpouseAtHome> spouse_at_home;  // the older form of one spouse dependant
  std::vector<Dependant> dependants;           // deduction: the sum over them and the spouse
  bool double_room_involuntary = false;        // uses the dobbeltrom fribeløp
  std::optional<Decimal> cost_cap_year_nok;    // explicit cap; wins over the looked-up caps
  // The cap belongs to the institution, per year: looked up by institution_id, falling back to
  // the institution type's cap. Neither given: no cap, said in the trace and the output.
  std::string institution_id;
  std::string institution_type;
  std::optional<Date> decision_date;  // before 1 May of `year`: the G known then is used
  // The period the income data covers (nursing-home-fees.md, "Part-year income"); an absent end
  // is the first or last day of `year`. Shorter than the year: the basis is annualised,
  // B_year = B_covered × days_in_year / days_covered (long_term_fee.h).
  std::optional<Date> covered_from;
  std::optional<Date> covered_to;
  RuleOptions options;
};

// The first and last day of the covered period (the whole year when not stated).
Date covered_first(const FeeInput& input);
Date covered_last(const FeeInput& input);

// Checks signs (field "income[2].amount", code "amount_negative"), discretionary reasons,
// joint flags on deductions other than debt_interest, the year range, and the covered period
// (outside the year: "period_outside_year" naming "covered_from" or "covered_to"; ending before
// it starts: "period_invalid" naming "covered_to").
Status validate_fee_input(const FeeInput& input);

}  // namespace oppgjor::care_fees
