// Customers, rule parameters, nursing-home charges and recalculation runs (fold_events.h).
#include <string>

#include "common/actor.h"
#include "events/json_fields.h"
#include "events/json_value.h"
#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/fold_events.h"

namespace oppgjor::care_fees::fold {
namespace {

using simdjson::dom::element;

std::string str(element p, std::string_view key) {
  std::string_view v;
  if (p[key].get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

ResidentState& resident(CareFeesState& s, const std::string& customer_id) {
  ResidentState& r = s.residents[customer_id];
  r.customer_id = customer_id;
  return r;
}

// "2025-03" or "2025-03-01" -> {2025, 3}.
std::optional<YearMonth> year_month(std::string_view text) {
  if (text.size() < 7) return std::nullopt;
  auto d = Date::parse(std::string(text.substr(0, 7)) + "-01");
  if (!d) return std::nullopt;
  return YearMonth{d->year(), d->month()};
}

Decimal decimal_or_zero(const std::string& text) {
  auto d = Decimal::parse(text);
  return d ? *d : Decimal();
}

std::optional<BillBasis> bill_basis(element trace) {
  element b;
  if (trace["bill"].get(b) != simdjson::SUCCESS || !b.is_object()) return std::nullopt;
  BillBasis out;
  out.income_event_id = str(b, "income_event_id");
  out.basis_nok = decimal_or_zero(str(b, "basis_nok"));
  out.fee_year_nok = decimal_or_zero(str(b, "fee_year_nok"));
  out.grunnbelop_nok = str(b, "grunnbelop_nok");
  out.grunnbelop_from = str(b, "grunnbelop_from");
  out.fribelop_nok = str(b, "fribelop_nok");
  out.fribelop_from = str(b, "fribelop_from");
  out.days_billable = static_cast<int>(events::int_or(b, "days_billable"));
  return out;
}

void add(ResidentState& r, YearMonth ym, ChargeEntry entry) {
  MonthCharges& m = r.charged[ym];
  m.charged_ore += entry.amount_ore;
  m.entries.push_back(std::move(entry));
}

// trace.months, when the engine made the basis. False when absent.
bool by_trace_months(ResidentState& r, element p, const ChargeEntry& base) {
  element trace, months;
  if (p["trace"].get(trace) != simdjson::SUCCESS ||
      trace["months"].get(months) != simdjson::SUCCESS || !months.is_array()) {
    return false;
  }
  const auto bill = bill_basis(trace);
  std::optional<std::string> district;
  if (std::string_view d; trace["district"].get(d) == simdjson::SUCCESS) district = std::string(d);
  for (element m : events::array_of(months)) {
    const auto ym = year_month(str(m, "month"));
    if (!ym) continue;
    ChargeEntry entry = base;
    entry.amount_ore =
        base.credit ? -events::int_or(m, "amount_ore") : events::int_or(m, "amount_ore");
    entry.bill = bill;
    entry.district = district;
    add(r, *ym, std::move(entry));
  }
  return true;
}

// Credit lines with their own period, each antall × pris_ore (rounded half up to øre).
bool by_line_periods(ResidentState& r, element p, const ChargeEntry& base) {
  element lines;
  if (p["fakturalinjer"].get(lines) != simdjson::SUCCESS || !lines.is_array()) return false;
  bool any = false;
  for (element line : events::array_of(lines)) {
    element period;
    if (line["period"].get(period) != simdjson::SUCCESS) continue;
    const auto ym = year_month(str(period, "from"));
    const auto quantity = Decimal::parse(str(line, "antall"));
    if (!ym || !quantity) continue;
    const Decimal amount = *quantity * Decimal::from_ore(events::int_or(line, "pris_ore"));
    ChargeEntry entry = base;
    entry.amount_ore = -amount.to_ore(common::Rounding::half_up);
    add(r, *ym, std::move(entry));
    any = true;
  }
  return any;
}

}  // namespace

void customer(CareFeesState& s, const EventRef& e, Payload p) {
  ResidentState& r = resident(s, str(p, "customer_id"));
  if (e.type == "customers.customer_registered") r.registered = true;
  if (const std::string d = str(p, "district"); !d.empty()) r.customer_district = d;
  if (const std::string n = str(p, "name"); !n.empty()) r.name = n;
  element address;
  if (p["address"].get(address) == simdjson::SUCCESS) {  // always whole (the schemas)
    r.street = str(address, "street");
    r.postal_code = str(address, "postal_code");
    r.city = str(address, "city");
  }
}

void parameter_set(CareFeesState& s, const EventRef& e, Payload p) {
  const std::string name = str(p, "parameter");
  if (name.rfind("care_fees.", 0) != 0) return;
  const auto reject = [&](const Error& err) {
    s.parameter_rejections.push_back(Rejection{"", std::string(e.event_id), std::string(e.type),
                                               std::string(errc::parameter_event_invalid),
                                               "payload." + err.field, err.message});
  };
  // Decoded as a rules file's value is (parameters.h).
  auto v = decode_dated_value(p);
  if (!v) return reject(v.error());
  v->set_by = common::actor_from_log(e.actor).str();
  element scope;
  std::string scope_key;  // an institution's own value wins over its type's (cost caps)
  if (p["scope"].get(scope) == simdjson::SUCCESS) {
    const std::string id = str(scope, "institution_id");
    scope_key = id.empty() ? str(scope, "institution_type") : institution_scope(id);
  }
  if (auto st = s.parameters.add(name, std::move(*v), scope_key); !st) {
    Error err = st.error();
    err.field = "parameter";
    reject(err);
  }
}

void charge(CareFeesState& s, const EventRef& e, Payload p, bool credit) {
  if (str(p, "claim_type") != "nursing_home") return;
  ResidentState& r = resident(s, str(p, "customer_id"));
  ChargeEntry base;
  base.ordrenummer = str(p, "ordrenummer");
  base.credit = credit;
  r.ordrenummer.insert(base.ordrenummer);
  if (by_trace_months(r, p, base)) return;
  if (credit && by_line_periods(r, p, base)) return;
  element period;
  if (p["period"].get(period) != simdjson::SUCCESS) return;
  const auto ym = year_month(str(period, "from"));
  if (!ym) return;
  const std::int64_t total = events::int_or(p, "totalbelop_ore");
  base.amount_ore = credit ? -total : total;
  add(r, *ym, std::move(base));
  (void)e;
}

void run_event(CareFeesState& s, const EventRef& e, Payload p) {
  const std::string id = str(p, "run_id");
  RunRecord& run = s.runs[id];
  run.run_id = id;
  if (e.type == "care_fees.recalculation_started") {
    run.year = static_cast<int>(events::int_or(p, "year"));
    run.district = str(p, "district");
    run.as_of_sequence = events::int_or(p, "as_of_sequence");
    run.started_by = common::actor_from_log(str(p, "started_by")).str();
    run.report_sha256 = str(p, "report_sha256");
  } else if (e.type == "care_fees.recalculation_approved") {
    run.status = RunStatus::approved;
    run.approved_by = common::actor_from_log(str(p, "approved_by")).str();
    run.report_sha256 = str(p, "report_sha256");
  } else if (e.type == "care_fees.recalculation_rejected") {
    run.status = RunStatus::rejected;
    run.rejected_by = common::actor_from_log(str(p, "rejected_by")).str();
    run.reason = str(p, "reason");
  }
}

}  // namespace oppgjor::care_fees::fold
