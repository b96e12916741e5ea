// Monthly billing (billing.h). Flow per resident: in scope? → already billed? → basis → fees →
// the month's amount → one invoice basis payload.
#include "services/care_fees/billing.h"

#include <cctype>
#include <cstdio>

#include "events/canonical_json.h"

#include "services/care_fees/calc_json.h"
#include "services/care_fees/district_split.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/resident_fees.h"
#include "services/care_fees/trace.h"

namespace oppgjor::care_fees {
namespace {

using events::CanonicalWriter;

constexpr std::size_t fritekst_max = 10;

const IncomeRecord* billing_basis(const ResidentState& r, int year) {
  const auto it = r.income.find(year);
  if (it == r.income.end()) return nullptr;
  if (it->second.provisional) return &*it->second.provisional;
  return it->second.final_basis ? &*it->second.final_basis : nullptr;
}

// A monthly bill is a provisional decision made on the billed month's first day: it uses the G in
// force on that day (for January–April the G of the year before, from May the 1 May value), never
// a 1 May value that was not in force yet. The control recalculation passes no decision date and
// uses the 1 May value (nursing-home-fees.md, "G for year Y").
Result<MonthlyFees> fees_for_bill(const ResidentState& r, const BillingRequest& q,
                                  const FeeInput* basis, const ParameterStore& store) {
  return resident_fees(r, q.year, basis, store, Date::ymd(q.year, q.month, 1));
}

std::string line_text(const MonthLine& l) {
  std::string kind = "Uten vederlag";
  switch (l.kind) {
    case LineKind::long_term:
      kind = "Langtidsopphold";
      break;
    case LineKind::free_month:
      kind = "Gratis første måned";
      break;
    case LineKind::short_term_rate:
      kind = "Korttidsopphold";
      break;
    case LineKind::short_term_after_limit:
      kind = "Korttid etter 60 døgn";
      break;
    case LineKind::short_term_day_night:
      kind = "Dag-/nattopphold";
      break;
    case LineKind::no_fee:
      break;
  }
  std::string out = kind + " " + l.first_date.to_norwegian() + "–" + l.last_date.to_norwegian() +
                    ": " + std::to_string(l.days) + " døgn";
  if (l.billable) out += ", " + l.formula;
  if (l.double_room) out += " (dobbeltrom)";
  return out.size() > 200 ? out.substr(0, 200) : out;
}

void write_kontering(CanonicalWriter& w, const Posting& p) {
  w.key("kontering");
  w.begin_object();
  w.field("ansvar", p.ansvar);
  w.field("art", p.art);
  w.field("funksjon", p.funksjon);
  w.end_object();
}

void write_bill_basis(CanonicalWriter& w, const MonthlyFees& fees, const MonthFee& m,
                      const IncomeRecord* income) {
  const YearlyFee* y = fees.yearly_fees.empty() ? nullptr : &fees.yearly_fees.front();
  // The G and F the fee used: the last of each in the trace.
  const TraceParameter* g = nullptr;
  const TraceParameter* f = nullptr;
  if (y != nullptr) {
    for (const TraceStep& step : y->trace.steps) {
      for (const TraceParameter& p : step.parameters) {
        if (p.name == param::grunnbelop) {
          g = &p;
        } else if (p.name == param::fribelop || p.name == param::fribelop_double_room) {
          f = &p;
        }
      }
    }
  }
  w.key("bill");
  w.begin_object();
  w.field("basis_nok", y ? amount_string(y->basis_nok) : "0.00");
  w.field_int("days_billable", m.days_billable);
  w.field("fee_year_nok", y ? amount_string(y->fee_year_nok) : "0.00");
  if (f != nullptr) {
    w.field("fribelop_from", f->effective_from);
    w.field("fribelop_nok", f->value);
  }
  if (g != nullptr) {
    w.field("grunnbelop_from", g->effective_from);
    w.field("grunnbelop_nok", g->value);
  }
  w.field("income_event_id", income ? income->event_id : "");
  w.field("income_status", income ? to_string(income->status) : "none");
  w.end_object();
}

// One district's bill for the month (district_split.h): the whole month when one district was
// responsible (ordrenummer VED-<Y>-<MM>-<customer>), else one per district with the district's
// short name appended (VED-2025-03-C000456-SAGENE).
struct BillPart {
  DistrictPart part;
  bool split = false;  // the month has more than one district
  int month_days_billable = 0;
  std::int64_t month_amount_ore = 0;
  std::string ordrenummer;
  std::string key;  // the deterministic event id's key
};

void write_district(CanonicalWriter& w, const BillPart& b) {
  w.field("district", b.part.district);
  w.key("district_part");
  w.begin_object();
  w.field_int("days", b.part.days);
  w.field_int("days_billable", b.part.days_billable);
  w.field_int("month_amount_ore", b.month_amount_ore);
  w.field_int("month_days_billable", b.month_days_billable);
  w.field("weight_nok", amount_string(b.part.weight_nok));
  w.end_object();
}

void write_bill_trace(CanonicalWriter& w, const MonthlyFees& fees, const MonthFee& m,
                      const IncomeRecord* income, const ParameterStore& store, const BillPart& b) {
  const std::int64_t amount_ore = b.part.amount_ore;
  w.key("trace");
  w.begin_object();
  write_bill_basis(w, fees, m, income);
  w.field("calculation", "care_fees.monthly_fee");
  write_district(w, b);
  w.key("month");
  w.raw_value(month_fee_to_json(m));
  w.key("months");
  w.begin_array();
  w.begin_object();
  w.field_int("amount_ore", amount_ore);
  w.field("month", common::year_month_text(m.year, m.month));
  w.end_object();
  w.end_array();
  w.field("rule_version", store.rule_version());
  w.end_object();
}

std::string bill_payload(const ResidentState& r, const BillingRequest& q, const MonthlyFees& fees,
                         const IncomeRecord* income, const ParameterStore& store,
                         const Posting& posting, const BillPart& b) {
  const MonthFee& m = fees.months[q.month - 1];
  const std::int64_t amount_ore = b.part.amount_ore;
  const Date first = Date::ymd(q.year, q.month, 1);
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field_int("avgiftsbelop_ore", 0);
  w.field("claim_type", "nursing_home");
  w.field("customer_id", r.customer_id);
  w.key("fakturalinjer");
  w.begin_array();
  w.begin_object();
  w.field("antall", "1");
  w.key("fritekst");
  w.begin_array();
  std::size_t lines = 0;
  if (b.split) {
    ++lines;
    w.string_value(("Bydel " + fakturautsteder_for(b.part.district).substr(4) + ": " +
                    std::to_string(b.part.days_billable) + " av " +
                    std::to_string(b.month_days_billable) + " døgn, " +
                    common::format_nok(Decimal::from_ore(amount_ore)) + " av " +
                    common::format_nok(Decimal::from_ore(b.month_amount_ore)) + " kr")
                       .substr(0, 200));
  }
  for (const MonthLine& l : m.lines) {
    if (b.split && district_of_line(r, l) != b.part.district) continue;
    if (lines++ < fritekst_max) w.string_value(line_text(l));
  }
  w.end_array();
  w.field("mva_kode", "0");
  w.field_int("pris_ore", amount_ore);
  w.key("vare");
  w.begin_object();
  w.field("enhet", "mnd");
  w.field("kode", "VEDERLAG");
  write_kontering(w, posting);
  w.field("navn", "Vederlag for opphold i institusjon, " + std::string(month_name_no(q.month)) +
                      " " + std::to_string(q.year));
  w.end_object();
  w.end_object();
  w.end_array();
  w.field("fakturautsteder", fakturautsteder_for(b.part.district));
  w.field_int("nettobelop_ore", amount_ore);
  w.field("ordrenummer", b.ordrenummer);
  w.key("period");
  w.begin_object();
  w.field("from", first.to_iso());
  w.field("to", first.last_of_month().to_iso());
  w.end_object();
  w.field("source_reference", b.key);
  w.field_int("totalbelop_ore", amount_ore);
  write_bill_trace(w, fees, m, income, store, b);
  w.end_object();
  return out;
}

events::EngineEvent bill_event(const ResidentState& r, const BillingRequest& q,
                               const std::string& key, std::string payload) {
  events::EngineEvent e;
  e.event_id = events::deterministic_event_id(key);
  e.type = "invoicing.invoice_basis_received";
  e.stream = bill_stream(r.customer_id);
  e.occurred_at = Date::ymd(q.year, q.month, 1).to_iso();
  if (!q.actor.empty()) e.actor = q.actor;
  e.payload_json = std::move(payload);
  return e;
}

bool in_district(const ResidentState& r, const std::string& district) {
  return district.empty() || r.district() == district;
}

// The month's parts to bill: one per district (only the requested district's when the request
// names one), with their ordrenummer and event key.
std::vector<BillPart> bill_parts(const ResidentState& r, const BillingRequest& q,
                                 const MonthFee& m) {
  const std::string base_key =
      "care_fees/bill/" + r.customer_id + "/" + common::year_month_text(q.year, q.month);
  const std::string base_no =
      "VED-" + common::year_month_text(q.year, q.month) + "-" + r.customer_id;
  std::vector<DistrictPart> parts = split_month(r, m);
  std::vector<BillPart> out;
  for (DistrictPart& p : parts) {
    if (!q.district.empty() && p.district != q.district) continue;
    BillPart b;
    b.split = parts.size() > 1;
    b.month_days_billable = m.days_billable;
    b.month_amount_ore = m.amount_nok.to_ore(common::Rounding::half_up);
    b.ordrenummer = b.split ? base_no + "-" + fakturautsteder_for(p.district).substr(4) : base_no;
    b.key = b.split ? base_key + "/" + (p.district.empty() ? "oslo" : p.district) : base_key;
    b.part = std::move(p);
    out.push_back(std::move(b));
  }
  return out;
}

// A month is billed for a part when its own ordrenummer, or the whole month's, is in the log (a
// month billed whole before the move was known is corrected by the control recalculation).
bool already_billed(const ResidentState& r, const BillingRequest& q, const BillPart& b) {
  const std::string base_no =
      "VED-" + common::year_month_text(q.year, q.month) + "-" + r.customer_id;
  if (r.ordrenummer.count(base_no) != 0 || r.ordrenummer.count(b.ordrenummer) != 0) return true;
  // A month billed in parts that now has one district: any part counts.
  if (b.split) return false;
  const auto it = r.ordrenummer.lower_bound(base_no + "-");
  return it != r.ordrenummer.end() && it->rfind(base_no + "-", 0) == 0;
}

// The resident's outcomes for the month: one per district part billed (or already billed, or
// with nothing due), or one rejection.
void bill_resident(const CareFeesState& state, const ResidentState& r, const BillingRequest& q,
                   BillingPlan& plan) {
  BillOutcome out{r.customer_id, BillOutcome::Kind::rejected, 0, 0, std::nullopt, std::nullopt, {}};
  const std::string ordrenummer =
      "VED-" + common::year_month_text(q.year, q.month) + "-" + r.customer_id;
  if (r.ordrenummer.count(ordrenummer) != 0) {
    out.kind = BillOutcome::Kind::already_billed;
    return plan.outcomes.push_back(std::move(out));
  }
  if (!r.registered) {
    out.error = make_error(std::string(errc::customer_unregistered), "customer_id",
                           r.customer_id + " is not registered (customers.customer_registered)");
    return plan.outcomes.push_back(std::move(out));
  }
  const IncomeRecord* income = billing_basis(r, q.year);
  auto fees = fees_for_bill(r, q, income ? &income->basis : nullptr, state.parameters);
  if (!fees) {
    out.error = fees.error();
    return plan.outcomes.push_back(std::move(out));
  }
  if (income == nullptr && needs_income(*fees)) {
    out.error = make_error(std::string(errc::basis_missing), "income_year",
                           "no income data for " + std::to_string(q.year) + " for " +
                               r.customer_id + ": a long-term fee needs a provisional basis");
    return plan.outcomes.push_back(std::move(out));
  }
  const MonthFee& m = fees->months[q.month - 1];
  bool fee_given = false;  // one fee decision per resident and month, however many district parts
  for (const BillPart& b : bill_parts(r, q, m)) {
    BillOutcome part{r.customer_id,
                     BillOutcome::Kind::billed,
                     b.part.amount_ore,
                     b.part.days_billable,
                     std::nullopt,
                     std::nullopt,
                     {}};
    if (already_billed(r, q, b)) {
      part.kind = BillOutcome::Kind::already_billed;
    } else if (b.part.amount_ore <= 0) {
      part.kind = BillOutcome::Kind::nothing_due;
    } else if (auto posting = state.parameters.posting(Date::ymd(q.year, q.month, 1),
                                                       b.part.district, b.part.institution_id);
               !posting) {
      part.kind = BillOutcome::Kind::rejected;
      part.error = posting.error();
    } else {
      if (!fee_given && needs_income(*fees) && !fees->yearly_fees.empty()) {
        part.yearly_fee = fees->yearly_fees.front();
        part.income_event_id = income ? income->event_id : std::string();
        fee_given = true;
      }
      plan.events.push_back(bill_event(
          r, q, b.key, bill_payload(r, q, *fees, income, state.parameters, *posting, b)));
      plan.total_ore += part.amount_ore;
    }
    plan.outcomes.push_back(std::move(part));
  }
}

}  // namespace

std::string fakturautsteder_for(const std::string& district) {
  std::string name = district.rfind("bydel_", 0) == 0 ? district.substr(6) : district;
  if (name.empty()) name = "oslo";
  std::string out = "SYE_";
  for (char c : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out.substr(0, 32);
}

std::string bill_stream(const std::string& customer_id) {
  return "care_fees/" + customer_id;
}

BillingPlan plan_billing(const CareFeesState& state, const BillingRequest& q) {
  BillingPlan plan;
  const Date first = Date::ymd(q.year, q.month, 1);
  const auto in_part = [&q](const std::string& customer_id) {
    return q.part_count == 1 || runtime::partition_of(customer_id, q.part_count) == q.part_index;
  };
  for (const auto& [id, r] : state.residents) {
    if (!in_part(r.customer_id)) continue;
    if (!r.has_stay_in(first, first.last_of_month())) continue;
    if (!q.district.empty() && !was_in_district(r, q.district, first, first.last_of_month())) {
      continue;
    }
    bill_resident(state, r, q, plan);
  }
  for (Rejection& rej : state.all_rejections()) {
    if (!in_part(rej.customer_id)) continue;
    const ResidentState* r = state.resident(rej.customer_id);
    if (r == nullptr || in_district(*r, q.district)) plan.rejections.push_back(std::move(rej));
  }
  return plan;
}

std::string billing_summary(const BillingPlan& plan, const BillingRequest& q) {
  int billed = 0, already = 0, nothing = 0, rejected = 0;
  std::string details;
  for (const BillOutcome& o : plan.outcomes) {
    switch (o.kind) {
      case BillOutcome::Kind::billed:
        ++billed;
        break;
      case BillOutcome::Kind::already_billed:
        ++already;
        break;
      case BillOutcome::Kind::nothing_due:
        ++nothing;
        break;
      case BillOutcome::Kind::rejected:
        ++rejected;
        details += "  avvist " + o.customer_id + ": " + o.error->to_string() + "\n";
        break;
    }
  }
  std::string out = "Vederlag " + std::string(month_name_no(q.month)) + " " +
                    std::to_string(q.year) + (q.district.empty() ? "" : " (" + q.district + ")") +
                    "\n";
  out += "  fakturagrunnlag laget:   " + std::to_string(billed) + ", til sammen " +
         common::format_nok(Decimal::from_ore(plan.total_ore)) + " kr\n";
  out += "  allerede fakturert:      " + std::to_string(already) + "\n";
  out += "  uten beløp (f.eks. gratis første måned): " + std::to_string(nothing) + "\n";
  out += "  avvist:                  " + std::to_string(rejected) + "\n" + details;
  for (const Rejection& r : plan.rejections) {
    out += "  feil i hendelse " + r.event_id + " (" + r.type + "): " + r.code + " at " + r.field +
           ": " + r.message + "\n";
  }
  return out;
}

}  // namespace oppgjor::care_fees
