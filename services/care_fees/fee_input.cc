// Fee input kinds and validation (see fee_input.h).
#include "services/care_fees/fee_input.h"

#include <array>
#include <utility>

#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

constexpr std::array<std::pair<IncomeKind, std::string_view>, 12> income_names = {{
    {IncomeKind::pension, "pension"},
    {IncomeKind::benefit, "benefit"},
    {IncomeKind::earned, "earned"},
    {IncomeKind::business, "business"},
    {IncomeKind::rental, "rental"},
    {IncomeKind::interest, "interest"},
    {IncomeKind::capital_return, "capital_return"},
    {IncomeKind::realisation_gain, "realisation_gain"},
    {IncomeKind::realisation_loss, "realisation_loss"},
    {IncomeKind::home_sale_gain, "home_sale_gain"},
    {IncomeKind::lottery, "lottery"},
    {IncomeKind::compensation_return, "compensation_return"},
}};

constexpr std::array<std::pair<DependantRelation, std::string_view>, 4> relation_names = {{
    {DependantRelation::spouse, "spouse"},
    {DependantRelation::cohabitant, "cohabitant"},
    {DependantRelation::minor_child, "minor_child"},
    {DependantRelation::supported_child, "supported_child"},
}};

constexpr std::array<std::pair<DependantIncomeKind, std::string_view>, 3> dependant_income_names = {
    {
        {DependantIncomeKind::earned, "earned"},
        {DependantIncomeKind::national_insurance_pension, "national_insurance_pension"},
        {DependantIncomeKind::other, "other"},
    }};

constexpr std::array<std::pair<DeductionKind, std::string_view>, 5> deduction_names = {{
    {DeductionKind::tax, "tax"},
    {DeductionKind::wealth_tax, "wealth_tax"},
    {DeductionKind::tax_on_excluded_gains, "tax_on_excluded_gains"},
    {DeductionKind::tax_effect_of_excluded_losses, "tax_effect_of_excluded_losses"},
    {DeductionKind::debt_interest, "debt_interest"},
}};

template <class Kind, std::size_t N>
std::string_view name_of(const std::array<std::pair<Kind, std::string_view>, N>& table, Kind k) {
  for (const auto& [kind, name] : table) {
    if (kind == k) return name;
  }
  return "?";
}

template <class Kind, std::size_t N>
std::optional<Kind> kind_of(const std::array<std::pair<Kind, std::string_view>, N>& table,
                            std::string_view n) {
  for (const auto& [kind, name] : table) {
    if (name == n) return kind;
  }
  return std::nullopt;
}

Error negative(const std::string& field) {
  return make_error(std::string(errc::amount_negative), field, "amount must not be negative");
}

std::string indexed(std::string_view list, std::size_t i, std::string_view member) {
  return std::string(list) + "[" + std::to_string(i) + "]." + std::string(member);
}

Status validate_dependants(const FeeInput& input) {
  int partners = input.spouse_at_home ? 1 : 0;
  for (std::size_t i = 0; i < input.dependants.size(); ++i) {
    const Dependant& d = input.dependants[i];
    const std::string at = "dependants[" + std::to_string(i) + "]";
    if (d.assumed_pension_nok.is_negative()) return negative(at + ".assumed_pension");
    for (std::size_t j = 0; j < d.income.size(); ++j) {
      if (d.income[j].amount_nok.is_negative()) {
        return negative(at + ".income[" + std::to_string(j) + "].amount");
      }
    }
    const bool partner =
        d.relation == DependantRelation::spouse || d.relation == DependantRelation::cohabitant;
    if (partner && ++partners > 1) {
      return make_error(std::string(errc::dependant_invalid), at + ".relation",
                        "at most one spouse or cohabitant at home");
    }
  }
  return ok_status();
}

Status validate_items(const FeeInput& input) {
  for (std::size_t i = 0; i < input.income.size(); ++i) {
    const IncomeItem& item = input.income[i];
    if (item.amount_nok.is_negative() && !allows_negative(item.kind)) {
      return negative(indexed("income", i, "amount"));
    }
  }
  for (std::size_t i = 0; i < input.deductions.size(); ++i) {
    const DeductionItem& item = input.deductions[i];
    if (item.amount_nok.is_negative()) return negative(indexed("deductions", i, "amount"));
    if (item.joint && item.kind != DeductionKind::debt_interest) {
      return make_error(std::string(errc::joint_not_allowed), indexed("deductions", i, "joint"),
                        "only debt_interest can be joint");
    }
  }
  for (std::size_t i = 0; i < input.discretionary_deductions.size(); ++i) {
    const DiscretionaryDeduction& d = input.discretionary_deductions[i];
    if (d.amount_nok.is_negative())
      return negative(indexed("discretionary_deductions", i, "amount"));
    if (d.reason.empty()) {
      return make_error(std::string(errc::reason_missing),
                        indexed("discretionary_deductions", i, "reason"),
                        "a discretionary deduction needs a reason");
    }
  }
  return ok_status();
}

Status validate_covered(const FeeInput& input) {
  const Date jan1 = Date::ymd(input.year, 1, 1);
  const Date dec31 = Date::ymd(input.year, 12, 31);
  const auto outside = [&](std::string_view field, Date d) {
    return make_error(std::string(errc::period_outside_year), std::string(field),
                      d.to_iso() + " is outside the income year " + std::to_string(input.year));
  };
  if (input.covered_from && (*input.covered_from < jan1 || dec31 < *input.covered_from)) {
    return outside("covered_from", *input.covered_from);
  }
  if (input.covered_to && (*input.covered_to < jan1 || dec31 < *input.covered_to)) {
    return outside("covered_to", *input.covered_to);
  }
  if (covered_last(input) < covered_first(input)) {
    return make_error(std::string(errc::period_invalid), "covered_to",
                      "the covered period ends before it starts");
  }
  return ok_status();
}

}  // namespace

Date covered_first(const FeeInput& input) {
  return input.covered_from.value_or(Date::ymd(input.year, 1, 1));
}
Date covered_last(const FeeInput& input) {
  return input.covered_to.value_or(Date::ymd(input.year, 12, 31));
}

bool is_counted(IncomeKind kind) {
  return kind <= IncomeKind::capital_return;
}
bool allows_negative(IncomeKind kind) {
  return kind == IncomeKind::business;
}
std::string_view income_kind_name(IncomeKind kind) {
  return name_of(income_names, kind);
}
std::optional<IncomeKind> parse_income_kind(std::string_view name) {
  return kind_of(income_names, name);
}
std::string_view deduction_kind_name(DeductionKind kind) {
  return name_of(deduction_names, kind);
}
std::optional<DeductionKind> parse_deduction_kind(std::string_view name) {
  return kind_of(deduction_names, name);
}

std::string_view relation_name(DependantRelation r) {
  return name_of(relation_names, r);
}
std::optional<DependantRelation> parse_relation(std::string_view name) {
  return kind_of(relation_names, name);
}
std::string_view dependant_income_name(DependantIncomeKind k) {
  return name_of(dependant_income_names, k);
}
std::optional<DependantIncomeKind> parse_dependant_income(std::string_view name) {
  return kind_of(dependant_income_names, name);
}

std::string_view rule_name(GrunnbelopRule r) {
  return r == GrunnbelopRule::in_force_1_may ? "in_force_1_may" : "yearly_average";
}
std::string_view rule_name(KeepRule r) {
  return r == KeepRule::quarter_g_three_quarters_f ? "quarter_g_three_quarters_f"
                                                   : "quarter_g_full_f";
}
std::string_view rule_name(DependantRule r) {
  return r == DependantRule::survivor_pension_gap ? "survivor_pension_gap"
                                                  : "survivor_pension_gap_plus_half_gross_pension";
}

std::string_view rule_name(ShortToLongFreeMonth r) {
  return r == ShortToLongFreeMonth::no ? "no" : "yes";
}
std::string_view rule_name(HospitalDays r) {
  return r == HospitalDays::off ? "off" : "on";
}
std::string_view rule_name(DepartureDay r) {
  return r == DepartureDay::counts ? "counts" : "not_counted";
}
std::string_view rule_name(AbsenceRule) {
  return "no_change";
}

Status validate_fee_input(const FeeInput& input) {
  if (input.year < fee_year_min || input.year > fee_year_max) {
    return make_error(std::string(errc::year_out_of_range), "year",
                      "year must be between 2000 and 2100");
  }
  if (auto s = validate_items(input); !s) return s;
  if (input.spouse_at_home) {
    if (input.spouse_at_home->assumed_survivor_pension_nok.is_negative()) {
      return negative("spouse_at_home.assumed_survivor_pension");
    }
    if (input.spouse_at_home->own_income_nok.is_negative()) {
      return negative("spouse_at_home.own_income");
    }
  }
  if (input.cost_cap_year_nok && input.cost_cap_year_nok->is_negative()) {
    return negative("cost_cap_year");
  }
  if (auto s = validate_dependants(input); !s) return s;
  return validate_covered(input);
}

}  // namespace oppgjor::care_fees
