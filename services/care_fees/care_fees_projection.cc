#include "services/care_fees/care_fees_projection.h"

#include "services/care_fees/state_codec.h"

#include <algorithm>
#include <array>
#include <utility>

#include "events/canonical_json.h"
#include "services/care_fees/decisions.h"
#include "services/care_fees/fold_events.h"
#include "services/care_fees/trace.h"

namespace oppgjor::care_fees {
namespace {

using Handler = void (*)(CareFeesState&, const fold::EventRef&, fold::Payload);

void invoice_basis(CareFeesState& s, const fold::EventRef& e, fold::Payload p) {
  fold::charge(s, e, p, false);
}
void credit_basis(CareFeesState& s, const fold::EventRef& e, fold::Payload p) {
  fold::charge(s, e, p, true);
}

constexpr std::array<std::pair<std::string_view, Handler>, 16> handlers = {{
    {"care_fees.absence_registered", fold::absence_registered},
    {"care_fees.appeal_registered", fold::decision_event},
    {"care_fees.decision_delivered", fold::decision_event},
    {"care_fees.decision_made", fold::decision_event},
    {"care_fees.income_reported", fold::income_reported},
    {"care_fees.recalculation_approved", fold::run_event},
    {"care_fees.recalculation_rejected", fold::run_event},
    {"care_fees.recalculation_started", fold::run_event},
    {"care_fees.stay_ended", fold::stay_ended},
    {"care_fees.stay_started", fold::stay_started},
    {"care_fees.stay_transferred", fold::stay_transferred},
    {"customers.customer_changed", fold::customer},
    {"customers.customer_registered", fold::customer},
    {"invoicing.credit_basis_received", credit_basis},
    {"invoicing.invoice_basis_received", invoice_basis},
    {"rules.parameter_set", fold::parameter_set},
}};

Handler handler_for(std::string_view type) {
  for (const auto& [t, h] : handlers) {
    if (t == type) return h;
  }
  return nullptr;
}

bool is_run_event(std::string_view type) {
  return type.rfind("care_fees.recalculation_", 0) == 0;
}

using Row = std::pair<std::string, std::string>;

std::string rejection_value(const Rejection& r) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("code", r.code);
  w.field("field", r.field);
  w.field("message", r.message);
  w.field("type", r.type);
  w.end_object();
  return out;
}

std::string month_key(const YearMonth& ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", ym.year, ym.month);
  return buf;
}

void write_charged(events::CanonicalWriter& w, const ResidentState& r) {
  w.key("charged");
  w.begin_array();
  for (const auto& [ym, m] : r.charged) {
    w.begin_object();
    w.field_int("charged_ore", m.charged_ore);
    w.field("month", month_key(ym));
    w.end_object();
  }
  w.end_array();
}

void write_income(events::CanonicalWriter& w, const ResidentState& r) {
  w.key("income");
  w.begin_array();
  for (const auto& [year, y] : r.income) {
    for (const auto* rec : {&y.provisional, &y.final_basis}) {
      if (!rec->has_value()) continue;
      w.begin_object();
      w.field("event_id", (*rec)->event_id);
      w.field_int("income_year", year);
      w.field("status", to_string((*rec)->status));
      w.end_object();
    }
  }
  w.end_array();
}

void write_stays(events::CanonicalWriter& w, const ResidentState& r) {
  w.key("stays");
  w.begin_array();
  for (const std::string& id : r.stay_order) {
    const StayRecord& s = r.stays.at(id);
    w.begin_object();
    w.field("admission_date", s.admission().to_iso());
    w.key("end_date");
    if (s.ended)
      w.string_value(s.segments.back().to->to_iso());
    else
      w.null_value();
    w.field("kind", stay_kind_name(s.segments.back().kind));
    w.field_int("segments", static_cast<std::int64_t>(s.segments.size()));
    w.field("stay_id", s.stay_id);
    w.end_object();
  }
  w.end_array();
}

std::string resident_value(const CareFeesState& state, const ResidentState& r) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  write_charged(w, r);
  w.field("customer_id", r.customer_id);
  w.field("district", r.district());
  w.key("due_for_recalculation");
  w.begin_array();
  for (int y : state.due_for_recalculation(r)) w.int_value(y);
  w.end_array();
  write_income(w, r);
  w.key("registered");
  w.bool_value(r.registered);
  write_stays(w, r);
  w.end_object();
  return out;
}

std::string run_value(const RunRecord& run) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("approved_by", run.approved_by);
  w.field_int("as_of_sequence", run.as_of_sequence);
  w.field("district", run.district);
  w.field("reason", run.reason);
  w.field("rejected_by", run.rejected_by);
  w.field("report_sha256", run.report_sha256);
  w.field("started_by", run.started_by);
  w.field("status", to_string(run.status));
  w.field_int("year", run.year);
  w.end_object();
  return out;
}

// A decision as the read model shows it (its letter: `oppgjor care-fees letter`).
std::string decision_value(const DecisionRecord& d) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("appeal_deadline", d.appeal_deadline ? d.appeal_deadline->to_iso() : "");
  w.field_int("appeals", static_cast<std::int64_t>(d.appeal_ids.size()));
  w.field("customer_id", d.customer_id);
  w.field("decided_on", d.decided_on.to_iso());
  w.field("delivered_on", d.delivered_on ? d.delivered_on->to_iso() : "");
  w.field("fee_year_nok", amount_string(d.fee_year_nok));
  w.field("kind", to_string(d.kind));
  w.field("monthly_amount_nok", amount_string(d.monthly_amount_nok));
  w.field_int("year", d.year);
  w.end_object();
  return out;
}

std::string appeal_value(const AppealRecord& a) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("decided_by_decision", a.decided_by_decision);
  w.field("decision_id", a.decision_id);
  w.key("late");
  w.bool_value(a.late);
  w.field("outcome", a.outcome);
  w.field("received_on", a.received_on.to_iso());
  w.end_object();
  return out;
}

}  // namespace

CareFeesProjection::CareFeesProjection(ParameterStore parameters) {
  state_.parameters = std::move(parameters);
}

std::vector<std::string> projection_input_types() {
  std::vector<std::string> out;
  for (const auto& [type, handler] : handlers) out.emplace_back(type);
  return out;
}

Status CareFeesProjection::load(std::string_view snapshot) {
  return load_state(snapshot, state_);
}

bool CareFeesProjection::wants(std::string_view type) const {
  return handler_for(type) != nullptr;
}

Status CareFeesProjection::apply(const events::EventView& e, simdjson::dom::element payload) {
  const Handler h = handler_for(e.type);
  if (h == nullptr || !payload.is_object()) return ok_status();
  if (state_.keep_raw_inputs &&
      (e.type == "care_fees.income_reported" || e.type == "rules.parameter_set")) {
    keep_raw(state_, e.event_id, e.type, e.occurred_at, e.sequence, e.payload, payload, e.actor);
  }
  h(state_, fold::EventRef{e.event_id, e.type, e.occurred_at, e.sequence, e.actor}, payload);
  if (!is_run_event(e.type)) state_.last_input_sequence = e.sequence;
  return ok_status();
}

void CareFeesProjection::emit(replay::RowSink& sink) const {
  std::vector<Row> rows;
  for (const Rejection& r : state_.all_rejections()) {
    const std::string owner = r.customer_id.empty() ? "parameters" : r.customer_id;
    rows.emplace_back("rejection/" + owner + "/" + r.event_id, rejection_value(r));
  }
  for (const auto& [id, r] : state_.residents) {
    // A customer known only from customers.* or other claim types is no resident.
    if (r.stays.empty() && r.income_by_event.empty() && r.charged.empty()) continue;
    rows.emplace_back("resident/" + id, resident_value(state_, r));
  }
  for (const auto& [id, run] : state_.runs) rows.emplace_back("run/" + id, run_value(run));
  for (const auto& [id, d] : state_.decisions.by_id) {
    rows.emplace_back("decision/" + id, decision_value(d));
  }
  for (const auto& [id, a] : state_.decisions.appeals) {
    rows.emplace_back("appeal/" + id, appeal_value(a));
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end(),
                         [](const Row& a, const Row& b) { return a.first == b.first; }),
             rows.end());
  for (const auto& [key, value] : rows) sink.row(key, value);
}

std::unique_ptr<CareFeesProjection> make_care_fees_projection() {
  auto store = builtin_parameters();
  return std::make_unique<CareFeesProjection>(store ? std::move(*store) : ParameterStore{});
}

}  // namespace oppgjor::care_fees
