// Why a resident's year changed (recalc.h, explain_resident): each input of the final basis
// against the provisional basis the bills used, and the parameters the bills used (from their
// traces) against the year's.
#include <map>
#include <set>

#include "services/care_fees/recalc.h"
#include "services/care_fees/trace.h"

namespace oppgjor::care_fees {
namespace {

using Sums = std::map<std::string, Decimal>;

Decimal counted(const Decimal& amount, bool joint) {
  return joint ? amount.divide(2) : amount;
}

Sums input_sums(const FeeInput& in) {
  Sums s;
  for (const IncomeItem& i : in.income) {
    s["income." + std::string(income_kind_name(i.kind))] += counted(i.amount_nok, i.joint);
  }
  for (const DeductionItem& d : in.deductions) {
    s["deduction." + std::string(deduction_kind_name(d.kind))] += counted(d.amount_nok, d.joint);
  }
  if (in.spouse_at_home) {
    s["spouse_at_home.assumed_survivor_pension"] = in.spouse_at_home->assumed_survivor_pension_nok;
    s["spouse_at_home.own_income"] = in.spouse_at_home->own_income_nok;
  }
  for (const DiscretionaryDeduction& d : in.discretionary_deductions) {
    s["discretionary_deductions"] += d.amount_nok;
  }
  return s;
}

std::string code_for(const std::string& what) {
  if (what.rfind("income.", 0) == 0) return "income_changed";
  if (what.rfind("deduction.", 0) == 0) return "deduction_changed";
  if (what.rfind("spouse_at_home.", 0) == 0) return "spouse_changed";
  return "discretionary_changed";
}

void compare_inputs(const FeeInput& before, const FeeInput& after, std::vector<WhyItem>& out) {
  const Sums a = input_sums(before);
  const Sums b = input_sums(after);
  std::set<std::string> names;
  for (const auto& [k, v] : a) names.insert(k);
  for (const auto& [k, v] : b) names.insert(k);
  for (const std::string& name : names) {
    const auto ia = a.find(name);
    const auto ib = b.find(name);
    const Decimal va = ia == a.end() ? Decimal() : ia->second;
    const Decimal vb = ib == b.end() ? Decimal() : ib->second;
    if (va == vb && (ia == a.end()) == (ib == b.end())) continue;
    out.push_back(WhyItem{code_for(name), name, ia == a.end() ? "-" : amount_string(va),
                          ib == b.end() ? "-" : amount_string(vb)});
  }
}

std::string dated(const std::string& value, const std::string& from) {
  return value + " (" + from + ")";
}

// The value and date of `name` as the final calculation's trace used it.
std::string final_parameter(const YearlyFee& fee, std::string_view a, std::string_view b) {
  for (const TraceStep& step : fee.trace.steps) {
    for (const TraceParameter& p : step.parameters) {
      if (p.name == a || p.name == b) return dated(p.value, p.effective_from);
    }
  }
  return "-";
}

void compare_parameters(const ResidentState& r, int year, const YearlyFee& fee,
                        std::vector<WhyItem>& out) {
  const std::string g = final_parameter(fee, param::grunnbelop, param::grunnbelop);
  const std::string f = final_parameter(fee, param::fribelop, param::fribelop_double_room);
  std::set<std::string> seen_g, seen_f;
  const BillBasis* latest = nullptr;
  for (const auto& [ym, m] : r.charged) {
    if (ym.year != year) continue;
    for (const ChargeEntry& e : m.entries) {
      if (!e.bill) continue;
      latest = &*e.bill;
      const std::string bg = dated(e.bill->grunnbelop_nok, e.bill->grunnbelop_from);
      const std::string bf = dated(e.bill->fribelop_nok, e.bill->fribelop_from);
      if (bg != g && seen_g.insert(bg).second) {
        out.push_back(WhyItem{"parameter_changed", std::string(param::grunnbelop), bg, g});
      }
      if (bf != f && seen_f.insert(bf).second) {
        out.push_back(WhyItem{"parameter_changed", std::string(param::fribelop), bf, f});
      }
    }
  }
  if (latest == nullptr) return;
  if (latest->basis_nok != fee.basis_nok) {
    out.push_back(WhyItem{"basis_changed", "basis_nok", amount_string(latest->basis_nok),
                          amount_string(fee.basis_nok)});
  }
  if (latest->fee_year_nok != fee.fee_year_nok) {
    out.push_back(WhyItem{"fee_year_changed", "fee_year_nok", amount_string(latest->fee_year_nok),
                          amount_string(fee.fee_year_nok)});
  }
}

}  // namespace

std::vector<WhyItem> explain_resident(const CareFeesState& state, const ResidentState& r, int year,
                                      const FeeInput& provisional, const FeeInput& final_basis,
                                      const YearlyFee* final_fee) {
  (void)state;
  std::vector<WhyItem> out;
  compare_inputs(provisional, final_basis, out);
  if (final_fee != nullptr) compare_parameters(r, year, *final_fee, out);
  return out;
}

}  // namespace oppgjor::care_fees
