// The control recalculation (recalc.h): per resident in scope, the year with the final basis
// against what was charged, month by month.
#include "services/care_fees/recalc.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "events/engine_event.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/resident_fees.h"

namespace oppgjor::care_fees {
namespace {

constexpr std::size_t parallel_min_residents = 256;
constexpr std::size_t recalc_threads_max = 4;

bool in_scope(const ResidentState& r, const RunSpec& run) {
  if (!in_run_district(r, run)) return false;
  if (r.has_stay_in(Date::ymd(run.year, 1, 1), Date::ymd(run.year, 12, 31))) return true;
  const auto first = r.charged.lower_bound(YearMonth{run.year, 1});
  return first != r.charged.end() && first->first.year == run.year;
}

// The provisional basis the bills of the year were made from (the latest bill's), else the
// latest provisional report.
const IncomeRecord* provisional_used(const ResidentState& r, int year) {
  for (unsigned m = 12; m >= 1; --m) {
    const auto it = r.charged.find(YearMonth{year, m});
    if (it == r.charged.end()) continue;
    for (const ChargeEntry& e : it->second.entries) {
      if (!e.bill) continue;
      const auto rec = r.income_by_event.find(e.bill->income_event_id);
      if (rec != r.income_by_event.end()) return &rec->second;
    }
  }
  const auto y = r.income.find(year);
  return y != r.income.end() && y->second.provisional ? &*y->second.provisional : nullptr;
}

const BillBasis* own_bill(const MonthCharges& m) {
  for (const ChargeEntry& e : m.entries) {
    if (e.bill) return &*e.bill;
  }
  return nullptr;
}

bool has_credit_or_foreign(const MonthCharges& m) {
  for (const ChargeEntry& e : m.entries) {
    if (e.credit || !e.bill) return true;
  }
  return false;
}

void explain_month(MonthRow& row, const MonthCharges* charged, const Decimal& fee_year) {
  if (row.difference_ore() == 0) return;
  if (charged == nullptr || charged->entries.empty()) {
    row.why.push_back("not_billed");
    return;
  }
  if (has_credit_or_foreign(*charged)) row.why.push_back("corrected_before");
  if (const BillBasis* bill = own_bill(*charged); bill != nullptr) {
    row.days_billed = bill->days_billable;
    if (bill->days_billable != row.days_due) row.why.push_back("stays_changed");
    if (bill->fee_year_nok != fee_year) row.why.push_back("fee_year_changed");
  }
  if (row.why.empty()) row.why.push_back("rounding");
}

// `only`: a run for one district shows (and corrects) that district's part.
void fill_months(ResidentReport& out, const ResidentState& r, int year, const MonthlyFees* fees,
                 const DistrictReport* only) {
  for (unsigned m = 1; m <= 12; ++m) {
    MonthRow& row = out.months[m - 1];
    row.month = m;
    const auto it = r.charged.find(YearMonth{year, m});
    const MonthCharges* charged = it == r.charged.end() ? nullptr : &it->second;
    row.charged_ore = only ? only->charged_ore[m - 1] : charged ? charged->charged_ore : 0;
    out.charged_ore += row.charged_ore;
    if (fees == nullptr) continue;
    const MonthFee& f = fees->months[m - 1];
    row.due_ore = only ? only->due_ore[m - 1] : f.amount_nok.to_ore(common::Rounding::half_up);
    row.days_due = f.days_billable;
    out.due_ore += row.due_ore;
    explain_month(row, charged, out.fee_year_nok.value_or(Decimal()));
  }
}

void set_final(ResidentReport& out, const IncomeRecord& final_basis) {
  out.final_income_event_id = final_basis.event_id;
  out.final_received = final_basis.occurred_at.substr(0, 10);
}

// The run's district part of the resident (all zero when none), or nullptr for every district.
const DistrictReport* run_part(ResidentReport& out, const RunSpec& run, DistrictReport& none) {
  if (run.district.empty()) return nullptr;
  for (const DistrictReport& d : out.districts) {
    if (d.district == run.district) return &d;
  }
  none.district = run.district;
  return &none;
}

ResidentReport recalc_resident(const CareFeesState& state, const ResidentState& r,
                               const RunSpec& run) {
  const int year = run.year;
  ResidentReport out;
  out.customer_id = r.customer_id;
  out.district = r.district();
  DistrictReport none;
  const auto y = r.income.find(year);
  const IncomeRecord* final_basis =
      y != r.income.end() && y->second.final_basis ? &*y->second.final_basis : nullptr;
  if (final_basis != nullptr) set_final(out, *final_basis);
  auto fees = resident_fees(r, year, final_basis ? &final_basis->basis : nullptr, state.parameters);
  out.districts = district_parts(r, year, fees ? &*fees : nullptr);
  if (fees && final_basis == nullptr && needs_income(*fees)) {
    out.status = ResidentStatus::waiting_for_final_assessment;
    out.error = make_error(std::string(errc::final_basis_missing), "income_year",
                           "no final income data for " + std::to_string(year));
    out.districts = district_parts(r, year, nullptr);
    fill_months(out, r, year, nullptr, run_part(out, run, none));
    return out;
  }
  if (!fees) {
    out.status = ResidentStatus::error;
    out.error = fees.error();
    fill_months(out, r, year, nullptr, run_part(out, run, none));
    return out;
  }
  out.status = ResidentStatus::ok;
  if (!fees->yearly_fees.empty()) out.fee_year_nok = fees->yearly_fees.front().fee_year_nok;
  fill_months(out, r, year, &*fees, run_part(out, run, none));
  const IncomeRecord* provisional = provisional_used(r, year);
  if (final_basis != nullptr && provisional != nullptr) {
    out.provisional_income_event_id = provisional->event_id;
    out.why = explain_resident(state, r, year, provisional->basis, final_basis->basis,
                               fees->yearly_fees.empty() ? nullptr : &fees->yearly_fees.front());
  }
  return out;
}

void add_to_totals(ReportTotals& t, const ResidentReport& r) {
  ++t.residents;
  if (r.status == ResidentStatus::waiting_for_final_assessment) ++t.waiting;
  if (r.status == ResidentStatus::error) ++t.errors;
  const std::int64_t d = r.difference_ore();
  if (d == 0) return;
  ++t.with_correction;
  if (d < 0) {
    ++t.refunds;
    t.refund_ore -= d;
  } else {
    ++t.extra_charges;
    t.extra_charge_ore += d;
  }
  t.largest.emplace_back(r.customer_id, d);
}

void keep_largest(ReportTotals& t) {
  std::stable_sort(t.largest.begin(), t.largest.end(), [](const auto& a, const auto& b) {
    const auto abs_a = a.second < 0 ? -a.second : a.second;
    const auto abs_b = b.second < 0 ? -b.second : b.second;
    return abs_a != abs_b ? abs_a > abs_b : a.first < b.first;
  });
  if (t.largest.size() > largest_changes_max) t.largest.resize(largest_changes_max);
}

}  // namespace

std::string_view to_string(ResidentStatus status) {
  switch (status) {
    case ResidentStatus::ok:
      return "ok";
    case ResidentStatus::waiting_for_final_assessment:
      return "waiting_for_final_assessment";
    case ResidentStatus::error:
      return "error";
  }
  return "error";
}

std::optional<ResidentStatus> parse_resident_status(std::string_view text) {
  for (ResidentStatus s :
       {ResidentStatus::ok, ResidentStatus::waiting_for_final_assessment, ResidentStatus::error}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string recalculation_run_id(int year, const std::string& district, std::int64_t as_of) {
  return events::deterministic_event_id("care_fees/recalculation/" + std::to_string(year) + "/" +
                                        (district.empty() ? "*" : district) + "/" +
                                        std::to_string(as_of));
}

RecalcReport compute_recalculation(const CareFeesState& state, const RunSpec& run) {
  RecalcReport report;
  report.run = run;
  report.rule_version = state.parameters.rule_version();
  std::vector<const ResidentState*> scope;
  for (const auto& [id, r] : state.residents) {
    if (in_scope(r, run)) scope.push_back(&r);
  }
  report.residents.resize(scope.size());
  // Residents are independent: split them over a few threads; each result goes to its own slot,
  // so the report is the same whatever the number of threads or their timing.
  const std::size_t threads =
      scope.size() < parallel_min_residents
          ? 1
          : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, recalc_threads_max);
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = t; i < scope.size(); i += threads) {
        report.residents[i] = recalc_resident(state, *scope[i], run);
      }
    });
  }
  for (auto& w : workers) w.join();
  for (const ResidentReport& r : report.residents) add_to_totals(report.totals, r);
  keep_largest(report.totals);
  return report;
}

}  // namespace oppgjor::care_fees
