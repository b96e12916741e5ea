// The long-term yearly fee (see long_term_fee.h). Each step is a short pure function that
// appends its trace step; calculate_long_term_fee() is the only control flow.
#include "services/care_fees/long_term_fee.h"

#include <array>

#include "services/care_fees/due.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

using common::max;
using common::min;
using common::Rounding;

const Decimal half = Decimal::from_scaled(5, 1);

std::string item_name(std::string_view list, std::size_t i, std::string_view kind) {
  return std::string(list) + "[" + std::to_string(i) + "]." + std::string(kind);
}

// A joint item counts 50 %; returns the counted share and writes how it was derived.
Decimal share(const Decimal& amount_nok, bool joint, std::string& shown) {
  if (!joint) {
    shown = amount_string(amount_nok);
    return amount_nok;
  }
  const Decimal counted = amount_nok * half;
  shown = amount_string(amount_nok) + " × 50 % (joint) = " + amount_string(counted);
  return counted;
}

struct Basis {
  Decimal counted_income_nok;
  Decimal gross_pension_nok;
  Decimal deductible_tax_nok;
  Decimal debt_interest_nok;
  Decimal dependant_nok;
  Decimal discretionary_nok;
};

void counted_income(const FeeInput& in, Trace& trace, Basis& b) {
  // Built locally: a reference from trace.add() would dangle after the second add().
  TraceStep counted{"counted_income",
                    {},
                    {},
                    {},
                    "Pensions, benefits, earned, business and rental income, interest and "
                    "other capital return count; joint items 50 %."};
  TraceStep excluded{"excluded_income",
                     {},
                     {},
                     {},
                     "Realisation gains and losses, gain on sale of the home, lottery winnings "
                     "and return on compensation are not counted."};
  Decimal excluded_nok;
  for (std::size_t i = 0; i < in.income.size(); ++i) {
    const IncomeItem& item = in.income[i];
    std::string shown;
    const Decimal counted_nok = share(item.amount_nok, item.joint, shown);
    const std::string name = item_name("income", i, income_kind_name(item.kind));
    if (!is_counted(item.kind)) {
      excluded.input(name, shown);
      excluded_nok += counted_nok;
      continue;
    }
    counted.input(name, shown);
    b.counted_income_nok += counted_nok;
    if (item.kind == IncomeKind::pension) b.gross_pension_nok += counted_nok;
  }
  counted.result("counted_income_nok", amount_string(b.counted_income_nok));
  excluded.result("excluded_income_nok", amount_string(excluded_nok));
  trace.steps.push_back(std::move(counted));
  trace.steps.push_back(std::move(excluded));
}

Status deductible_tax(const FeeInput& in, Trace& trace, Basis& b) {
  std::array<Decimal, 5> sums{};
  for (const DeductionItem& d : in.deductions)
    sums[static_cast<std::size_t>(d.kind)] += d.amount_nok;
  const Decimal& tax = sums[static_cast<std::size_t>(DeductionKind::tax)];
  const Decimal& wealth = sums[static_cast<std::size_t>(DeductionKind::wealth_tax)];
  const Decimal& gains = sums[static_cast<std::size_t>(DeductionKind::tax_on_excluded_gains)];
  const Decimal& losses =
      sums[static_cast<std::size_t>(DeductionKind::tax_effect_of_excluded_losses)];
  b.deductible_tax_nok = tax - wealth - gains + losses;
  trace
      .add("deductible_tax",
           "The tax that belongs to the counted income: assessed tax minus wealth tax minus tax "
           "on excluded gains plus the tax effect of excluded losses (Sivilombudet 2025).")
      .input("tax_nok", amount_string(tax))
      .input("wealth_tax_nok (not deducted)", amount_string(wealth))
      .input("tax_on_excluded_gains_nok (not deducted)", amount_string(gains))
      .input("tax_effect_of_excluded_losses_nok (added back)", amount_string(losses))
      .result("deductible_tax_nok", amount_string(b.deductible_tax_nok));
  if (b.deductible_tax_nok.is_negative()) {
    return make_error(std::string(errc::deductible_tax_negative), "deductions",
                      "wealth_tax and tax_on_excluded_gains exceed the assessed tax");
  }
  return ok_status();
}

void debt_interest(const FeeInput& in, Trace& trace, Basis& b) {
  TraceStep& step = trace.add("debt_interest", "Gjeldsrenter are deducted; joint debt 50 %.");
  for (std::size_t i = 0; i < in.deductions.size(); ++i) {
    const DeductionItem& d = in.deductions[i];
    if (d.kind != DeductionKind::debt_interest) continue;
    std::string shown;
    b.debt_interest_nok += share(d.amount_nok, d.joint, shown);
    step.input(item_name("deductions", i, "debt_interest"), shown);
  }
  step.result("debt_interest_nok", amount_string(b.debt_interest_nok));
}

// One dependant: max(0, assumed pension − own earned income − own national-insurance pension);
// other income of theirs is listed and does not count.
Decimal one_dependant(const Dependant& d, std::size_t i, TraceStep& step) {
  const std::string at =
      "dependants[" + std::to_string(i) + "] " + std::string(relation_name(d.relation));
  Decimal own_nok;
  step.input(at + " assumed_pension_nok", amount_string(d.assumed_pension_nok));
  for (std::size_t j = 0; j < d.income.size(); ++j) {
    const DependantIncome& item = d.income[j];
    const bool counts = item.kind != DependantIncomeKind::other;
    if (counts) own_nok += item.amount_nok;
    step.input(at + " income[" + std::to_string(j) + "] " +
                   std::string(dependant_income_name(item.kind)) + (counts ? "" : " (not counted)"),
               amount_string(item.amount_nok));
  }
  const Decimal deduction_nok = max(Decimal(), d.assumed_pension_nok - own_nok);
  step.result(at + " own_income_counted_nok", amount_string(own_nok));
  step.result(at + " deduction_nok", amount_string(deduction_nok));
  return deduction_nok;
}

void dependant_deduction(const FeeInput& in, Trace& trace, Basis& b) {
  TraceStep& step = trace.add(
      "dependant_deduction",
      "Per dependant (spouse or cohabitant at home, minor child, supported child over 18): "
      "max(0, assumed pension − the dependant's own earned income and national-insurance "
      "pension); the deduction is the sum.");
  if (!in.spouse_at_home && in.dependants.empty()) {
    step.input("dependants", "none");
    step.result("dependant_deduction_nok", "0.00");
    return;
  }
  if (in.spouse_at_home) {
    const SpouseAtHome& s = *in.spouse_at_home;
    b.dependant_nok = max(Decimal(), s.assumed_survivor_pension_nok - s.own_income_nok);
    step.input("assumed_survivor_pension_nok", amount_string(s.assumed_survivor_pension_nok))
        .input("spouse_own_income_nok", amount_string(s.own_income_nok));
  }
  for (std::size_t i = 0; i < in.dependants.size(); ++i) {
    b.dependant_nok += one_dependant(in.dependants[i], i, step);
  }
  if (in.options.dependant_rule == DependantRule::survivor_pension_gap_plus_half_gross_pension) {
    step.note += " Rule option: plus 50 % of the resident's gross pensions.";
    step.input("gross_pension_nok", amount_string(b.gross_pension_nok));
    b.dependant_nok += b.gross_pension_nok * half;
  }
  step.result("dependant_deduction_nok", amount_string(b.dependant_nok));
}

void discretionary(const FeeInput& in, Trace& trace, Basis& b) {
  TraceStep& step = trace.add("discretionary_deductions",
                              "Deductions granted by the caseworker, each with its reason.");
  for (std::size_t i = 0; i < in.discretionary_deductions.size(); ++i) {
    const DiscretionaryDeduction& d = in.discretionary_deductions[i];
    b.discretionary_nok += d.amount_nok;
    step.input("discretionary_deductions[" + std::to_string(i) + "] " + d.reason,
               amount_string(d.amount_nok));
  }
  step.result("discretionary_deductions_nok", amount_string(b.discretionary_nok));
}

Decimal basis(const Basis& b, Trace& trace) {
  const Decimal raw = b.counted_income_nok - b.deductible_tax_nok - b.debt_interest_nok -
                      b.dependant_nok - b.discretionary_nok;
  const Decimal basis_nok = max(Decimal(), raw);
  trace
      .add("basis",
           "B = counted income − deductible tax − debt interest − dependant deduction − "
           "discretionary deductions, never below 0.")
      .input("counted_income_nok", amount_string(b.counted_income_nok))
      .input("deductible_tax_nok", amount_string(b.deductible_tax_nok))
      .input("debt_interest_nok", amount_string(b.debt_interest_nok))
      .input("dependant_deduction_nok", amount_string(b.dependant_nok))
      .input("discretionary_deductions_nok", amount_string(b.discretionary_nok))
      .result("basis_before_floor_nok", amount_string(raw))
      .result("basis_nok", amount_string(basis_nok));
  return basis_nok;
}

// Part-year income (nursing-home-fees.md): B_year = B_covered × days_in_year / days_covered,
// rounded half up to øre (the quotient is exact to 18 decimals before that one rounding). A
// whole year is left exactly as it is (factor 1, no rounding).
Decimal annualise(const FeeInput& in, const Decimal& covered_nok, YearlyFee& out, Trace& trace) {
  const Date first = covered_first(in);
  const Date last = covered_last(in);
  out.basis_covered_nok = covered_nok;
  out.days_covered = first.days_until(last) + 1;
  out.days_in_year = Date::is_leap_year(in.year) ? 366 : 365;
  const std::string factor =
      std::to_string(out.days_in_year) + " / " + std::to_string(out.days_covered);
  TraceStep& step = trace.add(
      "income_period",
      "The income covers the period shown; a part year is annualised: B_year = B_covered × "
      "days_in_year / days_covered, rounded half up to øre.");
  step.input("covered_from", first.to_iso())
      .input("covered_to", last.to_iso())
      .input("days_covered", std::to_string(out.days_covered))
      .input("days_in_year", std::to_string(out.days_in_year))
      .input("basis_covered_nok", amount_string(covered_nok));
  Decimal year_nok = covered_nok;
  if (out.days_covered != out.days_in_year) {
    year_nok =
        (covered_nok * out.days_in_year).divide(out.days_covered).round(2, Rounding::half_up);
  }
  step.result("annualisation_factor", out.days_covered == out.days_in_year ? "1" : factor)
      .result("basis_nok", amount_string(year_nok));
  return year_nok;
}

Result<Decimal> grunnbelop_yearly_average(int year, const ParameterStore& store, TraceStep& step) {
  auto g_jan = store.grunnbelop_on(Date::ymd(year, 1, 1));
  if (!g_jan) return g_jan.error();
  auto g_may = store.grunnbelop_for_fee_year(year);
  if (!g_may) return g_may.error();
  step.parameter(param::grunnbelop, *g_jan).parameter(param::grunnbelop, *g_may);
  step.note =
      "Rule option yearly_average: (4 × G before 1 May + 8 × G from 1 May) / 12, "
      "rounded half up to whole kroner.";
  return (g_jan->value * 4 + g_may->value * 8).divide(12).round(0, Rounding::half_up);
}

Result<Decimal> grunnbelop(const FeeInput& in, const ParameterStore& store, Trace& trace) {
  TraceStep& step = trace.add("grunnbelop", "G for the fee year: the G in force on 1 May.");
  const Date first_may = Date::ymd(in.year, 5, 1);
  if (in.decision_date && *in.decision_date < first_may) {
    auto g = store.grunnbelop_on(*in.decision_date);
    if (!g) return g.error();
    step.note =
        "Provisional decision before 1 May (every monthly bill is one, on the billed month's "
        "first day): the G in force on the decision date.";
    step.input("decision_date", in.decision_date->to_iso()).parameter(param::grunnbelop, *g);
    step.result("grunnbelop_nok", amount_string(g->value));
    return g->value;
  }
  Decimal g_nok;
  if (in.options.grunnbelop_rule == GrunnbelopRule::yearly_average) {
    auto avg = grunnbelop_yearly_average(in.year, store, step);
    if (!avg) return avg.error();
    g_nok = *avg;
  } else {
    auto g = store.grunnbelop_for_fee_year(in.year);
    if (!g) return g.error();
    step.parameter(param::grunnbelop, *g);
    g_nok = g->value;
  }
  step.result("grunnbelop_nok", amount_string(g_nok));
  return g_nok;
}

Result<Decimal> fribelop(const FeeInput& in, const ParameterStore& store, Trace& trace) {
  auto f = store.fribelop(in.year, in.double_room_involuntary);
  if (!f) return f.error();
  trace
      .add("fribelop", in.double_room_involuntary
                           ? "Dobbeltrom against the resident's wish: the dobbeltrom fribeløp."
                           : "The fribeløp for the year.")
      .input("double_room_involuntary", in.double_room_involuntary ? "true" : "false")
      .parameter(in.double_room_involuntary ? param::fribelop_double_room : param::fribelop, *f)
      .result("fribelop_nok", amount_string(f->value));
  return f->value;
}

struct Fractions {
  DatedValue below_g, above_g, keep_g, keep_f;
};

Result<Fractions> fractions(int year, const ParameterStore& store) {
  auto below = store.value_for_year(param::fee_share_below_g, year);
  auto above = store.value_for_year(param::fee_share_above_g, year);
  auto keep_g = store.value_for_year(param::keep_share_of_g, year);
  auto keep_f = store.value_for_year(param::keep_share_of_fribelop, year);
  if (!below) return below.error();
  if (!above) return above.error();
  if (!keep_g) return keep_g.error();
  if (!keep_f) return keep_f.error();
  return Fractions{*below, *above, *keep_g, *keep_f};
}

}  // namespace

namespace {

struct Formula {
  Decimal basis_nok, g_nok, f_nok;
};

Decimal fee_raw(const Formula& x, const Fractions& fr, Trace& trace) {
  const Decimal below = max(Decimal(), min(x.basis_nok, x.g_nok) - x.f_nok);
  const Decimal above = max(Decimal(), x.basis_nok - x.g_nok);
  const Decimal raw = fr.below_g.value * below + fr.above_g.value * above;
  trace.add("fee_raw", "fee_raw = 0.75 × max(0, min(B, G) − F) + 0.85 × max(0, B − G).")
      .input("basis_nok", amount_string(x.basis_nok))
      .input("grunnbelop_nok", amount_string(x.g_nok))
      .input("fribelop_nok", amount_string(x.f_nok))
      .parameter(param::fee_share_below_g, fr.below_g)
      .parameter(param::fee_share_above_g, fr.above_g)
      .result("income_up_to_g_after_fribelop_nok", amount_string(below))
      .result("income_above_g_nok", amount_string(above))
      .result("fee_raw_nok", amount_string(raw));
  return raw;
}

Decimal keep(const Formula& x, const Fractions& fr, KeepRule rule, Trace& trace) {
  TraceStep& step = trace.add("keep", "keep = 0.25 × G + 0.75 × F: the resident always keeps it.");
  step.parameter(param::keep_share_of_g, fr.keep_g);
  Decimal f_share = fr.keep_f.value;
  if (rule == KeepRule::quarter_g_full_f) {
    step.note = "Rule option quarter_g_full_f: keep = 0.25 × G + F.";
    f_share = Decimal::from_int(1);
  } else {
    step.parameter(param::keep_share_of_fribelop, fr.keep_f);
  }
  const Decimal keep_nok = fr.keep_g.value * x.g_nok + f_share * x.f_nok;
  step.input("grunnbelop_nok", amount_string(x.g_nok))
      .input("fribelop_nok", amount_string(x.f_nok))
      .result("keep_nok", amount_string(keep_nok));
  return keep_nok;
}

Result<std::optional<Decimal>> cost_cap(const FeeInput& in, const ParameterStore& store,
                                        Trace& trace) {
  TraceStep& step = trace.add(
      "cost_cap",
      "The fee never exceeds the real cost of the place: the institution's cap for the year, "
      "else its institution type's.");
  if (in.cost_cap_year_nok) {
    step.input("cost_cap_year_nok (given)", amount_string(*in.cost_cap_year_nok));
    step.result("cost_cap_applied", "yes");
    step.result("cost_cap_year_nok", amount_string(*in.cost_cap_year_nok));
    return std::optional<Decimal>(*in.cost_cap_year_nok);
  }
  // An institution without its own cap and without a type: no cap, said (never silently).
  const bool own_cap =
      !in.institution_id.empty() && store.cost_cap_for(in.year, in.institution_id, {});
  if (!own_cap && in.institution_type.empty()) {
    if (!in.institution_id.empty()) step.input("institution_id (no own cap)", in.institution_id);
    step.note += std::string(" ") + std::string(no_cost_cap_warning) + ".";
    step.result("cost_cap_applied", "no");
    step.result("cost_cap_year_nok", "none");
    return std::optional<Decimal>();
  }
  auto cap = store.cost_cap_for(in.year, in.institution_id, in.institution_type);
  if (!cap) return cap.error();
  if (!in.institution_id.empty()) step.input("institution_id", in.institution_id);
  if (!in.institution_type.empty()) step.input("institution_type", in.institution_type);
  step.parameter(cap->parameter, cap->value)
      .result("cost_cap_applied", "yes")
      .result("cost_cap_year_nok", amount_string(cap->value.value));
  return std::optional<Decimal>(cap->value.value);
}

void fee_year(YearlyFee& out, Trace& trace) {
  out.fee_floor_nok = max(Decimal(), out.basis_nok - out.keep_nok);
  out.fee_exact_nok = min(out.fee_raw_nok, out.fee_floor_nok);
  if (out.cost_cap_year_nok) out.fee_exact_nok = min(out.fee_exact_nok, *out.cost_cap_year_nok);
  out.fee_year_nok = out.fee_exact_nok.round(0, Rounding::down);
  trace
      .add("fee_year",
           "fee_year = min(fee_raw, max(0, B − keep), cost cap), rounded down to whole kroner.")
      .input("fee_raw_nok", amount_string(out.fee_raw_nok))
      .input("fee_floor_nok = max(0, B − keep)", amount_string(out.fee_floor_nok))
      .input("cost_cap_year_nok",
             out.cost_cap_year_nok ? amount_string(*out.cost_cap_year_nok) : "none")
      .result("fee_exact_nok", amount_string(out.fee_exact_nok))
      .result("fee_year_nok", amount_string(out.fee_year_nok));
}

void fee_month(YearlyFee& out, Trace& trace) {
  out.fee_month_nok = out.fee_year_nok.divide(12).round(2, Rounding::half_up);
  std::vector<ExactDue> dues(12, ExactDue::fraction(out.fee_year_nok, 1, 12).value());
  out.monthly_charges_nok = cumulative_whole_kroner(dues);
  TraceStep& step = trace.add(
      "fee_month",
      "fee_year / 12 (shown to øre); each invoice is whole kroner, rounded cumulatively: "
      "month m = round_half_up(due for months 1..m) − round_half_up(due for months 1..m−1).");
  step.input("fee_year_nok", amount_string(out.fee_year_nok))
      .result("fee_month_nok", amount_string(out.fee_month_nok));
  std::string charges;
  for (const Decimal& c : out.monthly_charges_nok) {
    if (!charges.empty()) charges += ' ';  // not `"" + …`: GCC bug 105329 at -O3 (-Wrestrict)
    charges += c.to_string();
  }
  step.result("full_year_monthly_charges_nok", charges);
}

void record_options(const RuleOptions& o, Trace& trace) {
  trace.options = rule_option_items(o);
}

Result<Basis> calculate_basis(const FeeInput& in, Trace& trace) {
  Basis b;
  counted_income(in, trace, b);
  if (auto s = deductible_tax(in, trace, b); !s) return s.error();
  debt_interest(in, trace, b);
  dependant_deduction(in, trace, b);
  discretionary(in, trace, b);
  return b;
}

}  // namespace

std::vector<TraceItem> rule_option_items(const RuleOptions& o) {
  return {{"grunnbelop_rule", std::string(rule_name(o.grunnbelop_rule))},
          {"keep_rule", std::string(rule_name(o.keep_rule))},
          {"dependant_rule", std::string(rule_name(o.dependant_rule))},
          {"short_to_long_free_month", std::string(rule_name(o.short_to_long_free_month))},
          {"hospital_days_count", std::string(rule_name(o.hospital_days_count))},
          {"short_stay_departure_day", std::string(rule_name(o.short_stay_departure_day))},
          {"absence_rule", std::string(rule_name(o.absence_rule))}};
}

Result<YearlyFee> calculate_long_term_fee(const FeeInput& in, const ParameterStore& store) {
  if (auto s = validate_fee_input(in); !s) return s.error();
  YearlyFee out;
  out.year = in.year;
  Trace& trace = out.trace;
  trace.rule_version = store.rule_version();
  trace.calculation_version = std::string(long_term_fee_calculation_version);
  record_options(in.options, trace);
  auto b = calculate_basis(in, trace);
  if (!b) return b.error();
  out.basis_nok = annualise(in, basis(*b, trace), out, trace);
  auto g = grunnbelop(in, store, trace);
  if (!g) return g.error();
  auto f = fribelop(in, store, trace);
  if (!f) return f.error();
  auto fr = fractions(in.year, store);
  if (!fr) return fr.error();
  auto cap = cost_cap(in, store, trace);
  if (!cap) return cap.error();
  out.grunnbelop_nok = *g;
  out.fribelop_nok = *f;
  out.cost_cap_year_nok = *cap;
  const Formula x{out.basis_nok, *g, *f};
  out.fee_raw_nok = fee_raw(x, *fr, trace);
  out.keep_nok = keep(x, *fr, in.options.keep_rule, trace);
  fee_year(out, trace);
  fee_month(out, trace);
  return out;
}

}  // namespace oppgjor::care_fees
