// Writers and decoders of the collection events (collection_events.h). Keys are written in
// byte order (CanonicalWriter checks it).
#include "services/collection/collection_events.h"

#include "common/assert.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"

namespace oppgjor::collection {

namespace {

using events::CanonicalWriter;
using events::get_date;
using events::get_int;
using events::get_text;
using events::text_or;

Error bad(std::string_view type, std::string_view field) {
  return make_error("payload_invalid", std::string(field),
                    std::string(type) + ": '" + std::string(field) + "' missing or invalid");
}

void write_step(CanonicalWriter& w, const StepTaken& s) {
  w.begin_object();
  w.field("deadline", s.deadline.to_iso());
  w.field_int("fee_ore", s.fee_ore);
  w.field("kind", notice_kind_name(s.kind));
  w.field_int("open_ore", s.open_ore);
  w.field("sent_on", s.sent.to_iso());
  w.field_int("step", s.step);
  w.end_object();
}

void write_history(CanonicalWriter& w, const HistoryRow& h) {
  w.begin_object();
  w.field_int("amount_ore", h.amount_ore);
  w.field("date", h.date.to_iso());
  if (!h.note.empty()) w.field("note", h.note);
  w.field("what", h.what);
  w.end_object();
}

}  // namespace

std::string collection_stream(std::string_view customer_id) {
  return "collection/" + std::string(customer_id);
}

std::optional<NoticeKind> parse_notice_kind(std::string_view s) {
  if (s == "reminder") return NoticeKind::reminder;
  if (s == "collection_notice") return NoticeKind::collection_notice;
  if (s == "payment_demand") return NoticeKind::payment_demand;
  return std::nullopt;
}

std::string notice_payload(const Notice& n) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("claim_type", n.claim_type);
  w.field("concerns", n.concerns);
  w.field("consequences", n.consequences);
  w.key("creditor");
  w.begin_object();
  w.field("account_number", n.creditor_account);
  w.field("name", n.creditor_name);
  w.field("organisation_number", n.creditor_organisation_number);
  w.end_object();
  w.field("customer_id", n.customer_id);
  w.field("deadline", n.deadline.to_iso());
  w.field("due_date", n.due_date.to_iso());
  w.key("fee");
  w.begin_object();
  w.field("fraction", n.fee_fraction);
  w.field("inkassosats_nok", n.fee_inkassosats_nok);
  w.field("source", n.fee_source);
  w.key("uncertain");
  w.bool_value(n.fee_uncertain);
  w.end_object();
  w.field_int("fee_ore", n.fee_ore);
  w.field_int("fees_ore", n.fees_ore);
  w.field_int("interest_accrued_ore", n.interest_accrued_ore);
  w.field("interest_from", n.interest_from.to_iso());
  w.field_int("interest_ore", n.interest_ore);
  w.field("interest_rate_pct", n.interest_rate_pct);
  w.key("interest_rate_uncertain");
  w.bool_value(n.rate_uncertain);
  w.field("invoice_number", n.invoice_number);
  w.field("kid", n.kid);
  w.field("kind", notice_kind_name(n.kind));
  w.field("plan", n.plan);
  w.field_int("principal_ore", n.principal_ore);
  w.field("rule_version", n.rule_version);
  w.field("sent_on", n.sent_on.to_iso());
  w.field_int("step", n.step);
  w.field_int("total_ore", n.total_ore);
  w.field("track", n.track);
  w.end_object();
  return out;
}

Result<Notice> decode_notice(simdjson::dom::element p) {
  Notice n;
  const std::string_view t = notice_sent_type;
  std::string kind;
  if (!get_text(p, "invoice_number", n.invoice_number)) return bad(t, "invoice_number");
  if (!get_text(p, "customer_id", n.customer_id)) return bad(t, "customer_id");
  if (!get_text(p, "kind", kind) || !parse_notice_kind(kind)) return bad(t, "kind");
  n.kind = *parse_notice_kind(kind);
  std::int64_t step = 0;
  if (!get_int(p, "step", step) || step < 1) return bad(t, "step");
  n.step = static_cast<int>(step);
  if (!get_date(p, "sent_on", n.sent_on)) return bad(t, "sent_on");
  if (!get_date(p, "deadline", n.deadline)) return bad(t, "deadline");
  if (!get_date(p, "due_date", n.due_date)) return bad(t, "due_date");
  if (!get_date(p, "interest_from", n.interest_from)) return bad(t, "interest_from");
  if (!get_int(p, "principal_ore", n.principal_ore)) return bad(t, "principal_ore");
  if (!get_int(p, "fee_ore", n.fee_ore) || n.fee_ore < 0) return bad(t, "fee_ore");
  if (!get_int(p, "fees_ore", n.fees_ore)) return bad(t, "fees_ore");
  if (!get_int(p, "interest_ore", n.interest_ore)) return bad(t, "interest_ore");
  if (!get_int(p, "interest_accrued_ore", n.interest_accrued_ore)) {
    return bad(t, "interest_accrued_ore");
  }
  if (!get_int(p, "total_ore", n.total_ore)) return bad(t, "total_ore");
  n.claim_type = text_or(p, "claim_type");
  n.kid = text_or(p, "kid");
  n.interest_rate_pct = text_or(p, "interest_rate_pct");
  n.concerns = text_or(p, "concerns");
  n.consequences = text_or(p, "consequences");
  n.plan = text_or(p, "plan");
  n.track = text_or(p, "track");
  n.rule_version = text_or(p, "rule_version");
  bool b = false;
  if (p["interest_rate_uncertain"].get(b) == simdjson::SUCCESS) n.rate_uncertain = b;
  simdjson::dom::element c;
  if (p["creditor"].get(c) == simdjson::SUCCESS) {
    n.creditor_name = text_or(c, "name");
    n.creditor_organisation_number = text_or(c, "organisation_number");
    n.creditor_account = text_or(c, "account_number");
  }
  simdjson::dom::element f;
  if (p["fee"].get(f) == simdjson::SUCCESS) {
    n.fee_fraction = text_or(f, "fraction");
    n.fee_inkassosats_nok = text_or(f, "inkassosats_nok");
    n.fee_source = text_or(f, "source");
    if (f["uncertain"].get(b) == simdjson::SUCCESS) n.fee_uncertain = b;
  }
  return n;
}

namespace {

// One charge; `with_method` false: without its method (payment_interest_charged v2 states it
// once for the event).
std::string charge_payload(const InterestCharge& c, bool with_method) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("cause", c.cause);
  w.field("claim_family", c.claim_family);
  w.field("claim_type", c.claim_type);
  w.field_int("covered_ore", c.covered_ore);
  w.field("customer_id", c.customer_id);
  w.field("from", c.from.to_iso());
  w.field_int("interest_ore", c.interest_ore);
  w.field("invoice_number", c.invoice_number);
  if (with_method) w.field("method", c.method);
  w.key("periods");
  w.begin_array();
  for (const auto& r : c.periods) {
    w.begin_object();
    w.field_int("amount_ore", r.amount_ore);
    w.field_int("days", r.days);
    w.field("from", r.from.to_iso());
    w.field("rate_pct", r.rate_pct);
    w.field("to", r.to.to_iso());
    w.field_int("year_days", r.year_days);
    w.end_object();
  }
  w.end_array();
  w.field_int("principal_ore", c.principal_ore);
  w.field("rule_version", c.rule_version);
  w.field("through", c.through.to_iso());
  w.end_object();
  return out;
}

}  // namespace

std::string interest_payload(const InterestCharge& c) {
  return charge_payload(c, true);
}

Result<InterestCharge> decode_interest(simdjson::dom::element p) {
  InterestCharge c;
  const std::string_view t = interest_charged_type;
  if (!get_text(p, "invoice_number", c.invoice_number)) return bad(t, "invoice_number");
  if (!get_text(p, "customer_id", c.customer_id)) return bad(t, "customer_id");
  if (!get_text(p, "cause", c.cause)) return bad(t, "cause");
  if (!get_date(p, "from", c.from)) return bad(t, "from");
  if (!get_date(p, "through", c.through)) return bad(t, "through");
  if (!get_int(p, "principal_ore", c.principal_ore)) return bad(t, "principal_ore");
  if (!get_int(p, "interest_ore", c.interest_ore) || c.interest_ore < 0) {
    return bad(t, "interest_ore");
  }
  if (!get_int(p, "covered_ore", c.covered_ore) || c.covered_ore < 0 ||
      c.covered_ore > c.interest_ore) {
    return bad(t, "covered_ore");
  }
  c.claim_type = text_or(p, "claim_type");
  c.claim_family = text_or(p, "claim_family");
  c.method = text_or(p, "method");
  c.rule_version = text_or(p, "rule_version");
  simdjson::dom::array periods;
  if (p["periods"].get(periods) == simdjson::SUCCESS) {
    for (simdjson::dom::element r : periods) {
      InterestPeriodRow row;
      std::int64_t n = 0;
      if (!get_date(r, "from", row.from) || !get_date(r, "to", row.to)) return bad(t, "periods");
      if (get_int(r, "days", n)) row.days = static_cast<int>(n);
      if (get_int(r, "year_days", n)) row.year_days = static_cast<int>(n);
      get_int(r, "amount_ore", row.amount_ore);
      row.rate_pct = text_or(r, "rate_pct");
      c.periods.push_back(std::move(row));
    }
  }
  return c;
}

std::string payment_interest_payload(const InterestCharge* first, std::size_t count) {
  OPPGJOR_ASSERT(count > 0 && count <= payment_interest_max, "a payment interest chunk's size");
  OPPGJOR_ASSERT(payment_interest_chunk(first, count) == count,
                 "the charges of one payment interest event share their method");
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.key("charges");
  w.begin_array();
  for (std::size_t i = 0; i < count; ++i) w.raw_value(charge_payload(first[i], false));
  w.end_array();
  w.field("method", first->method);
  w.end_object();
  return out;
}

std::size_t payment_interest_chunk(const InterestCharge* first, std::size_t count) {
  std::size_t n = 1;
  while (n < count && n < payment_interest_max && first[n].method == first->method) ++n;
  return count == 0 ? 0 : n;
}

std::string payment_interest_stream(std::string_view cause_event_id, std::size_t chunk) {
  return "collection/interest." + std::string(cause_event_id) + "." + std::to_string(chunk);
}

Result<std::vector<InterestCharge>> decode_payment_interest(simdjson::dom::element p) {
  simdjson::dom::array charges;
  if (p["charges"].get(charges) != simdjson::SUCCESS || charges.size() == 0) {
    return bad(payment_interest_type, "charges");
  }
  // v2: the event's method is every charge's; v1: each charge has its own.
  std::string_view method;
  const bool shared = p["method"].get(method) == simdjson::SUCCESS;
  std::vector<InterestCharge> out;
  out.reserve(charges.size());
  for (simdjson::dom::element c : charges) {
    auto charge = decode_interest(c);
    if (!charge) return charge.error();
    if (shared) charge->method = std::string(method);
    out.push_back(std::move(charge).value());
  }
  return out;
}

std::string handover_payload(const HandOver& h) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("claim_type", h.claim_type);
  w.field_int("credited_ore", h.credited_ore);
  w.field("customer_id", h.customer_id);
  w.field("due_date", h.due_date.to_iso());
  w.field_int("fees_ore", h.fees_ore);
  w.key("history");
  w.begin_array();
  for (const auto& r : h.history) write_history(w, r);
  w.end_array();
  w.field_int("interest_ore", h.interest_ore);
  w.field("invoice_number", h.invoice_number);
  w.field("kid", h.kid);
  w.field("on", h.on.to_iso());
  w.field_int("original_ore", h.original_ore);
  w.field_int("paid_ore", h.paid_ore);
  w.field("plan", h.plan);
  w.field_int("principal_ore", h.principal_ore);
  w.key("steps");
  w.begin_array();
  for (const auto& s : h.steps) write_step(w, s);
  w.end_array();
  w.field_int("total_ore", h.total_ore);
  w.field("track", h.track);
  w.end_object();
  return out;
}

Result<HandOver> decode_handover(simdjson::dom::element p) {
  HandOver h;
  const std::string_view t = handed_over_type;
  if (!get_text(p, "invoice_number", h.invoice_number)) return bad(t, "invoice_number");
  if (!get_text(p, "customer_id", h.customer_id)) return bad(t, "customer_id");
  if (!get_text(p, "track", h.track)) return bad(t, "track");
  if (!get_date(p, "on", h.on)) return bad(t, "on");
  if (!get_int(p, "total_ore", h.total_ore)) return bad(t, "total_ore");
  get_int(p, "principal_ore", h.principal_ore);
  get_int(p, "fees_ore", h.fees_ore);
  get_int(p, "interest_ore", h.interest_ore);
  h.claim_type = text_or(p, "claim_type");
  h.plan = text_or(p, "plan");
  return h;
}

std::string step_refusal_payload(const StepRefusal& r) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("code", r.code);
  w.field("customer_id", r.customer_id);
  w.field("invoice_number", r.invoice_number);
  w.field("kind", r.kind);
  w.field("message", r.message);
  w.field("on", r.on.to_iso());
  w.end_object();
  return out;
}

Result<StepRefusal> decode_step_refusal(simdjson::dom::element p) {
  StepRefusal r;
  const std::string_view t = step_refused_type;
  if (!get_text(p, "invoice_number", r.invoice_number)) return bad(t, "invoice_number");
  if (!get_text(p, "code", r.code)) return bad(t, "code");
  if (!get_date(p, "on", r.on)) return bad(t, "on");
  r.customer_id = text_or(p, "customer_id");
  r.kind = text_or(p, "kind");
  r.message = text_or(p, "message");
  return r;
}

std::string plan_broken_payload(const PlanBroken& b) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("customer_id", b.customer_id);
  w.field_int("expected_ore", b.expected_ore);
  w.field("instalment_due", b.instalment_due.to_iso());
  w.field("invoice_number", b.invoice_number);
  w.field("on", b.on.to_iso());
  w.field_int("paid_ore", b.paid_ore);
  w.end_object();
  return out;
}

Result<PlanBroken> decode_plan_broken(simdjson::dom::element p) {
  PlanBroken b;
  const std::string_view t = plan_broken_type;
  if (!get_text(p, "invoice_number", b.invoice_number)) return bad(t, "invoice_number");
  if (!get_date(p, "on", b.on)) return bad(t, "on");
  b.customer_id = text_or(p, "customer_id");
  get_date(p, "instalment_due", b.instalment_due);
  get_int(p, "expected_ore", b.expected_ore);
  get_int(p, "paid_ore", b.paid_ore);
  return b;
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::dispute:
      return "dispute";
    case Action::resolve:
      return "resolve";
    case Action::plan:
      return "plan";
    case Action::defer:
      return "defer";
    case Action::write_off:
      return "write_off";
    case Action::approve_write_off:
      return "approve_write_off";
    case Action::reject_write_off:
      return "reject_write_off";
  }
  return "dispute";
}

std::optional<Action> parse_action(std::string_view s) {
  for (Action a : {Action::dispute, Action::resolve, Action::plan, Action::defer, Action::write_off,
                   Action::approve_write_off, Action::reject_write_off}) {
    if (action_name(a) == s) return a;
  }
  return std::nullopt;
}

std::string action_payload(const ClaimAction& a, bool recorded) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("action", action_name(a.action));
  if (recorded) w.field("actor", a.actor);
  if (!a.appeal_id.empty()) w.field("appeal_id", a.appeal_id);
  if (recorded) w.field("customer_id", a.customer_id);
  if (!a.instalments.empty()) {
    w.key("instalments");
    w.begin_array();
    for (const auto& i : a.instalments) {
      w.begin_object();
      w.field_int("amount_ore", i.amount_ore);
      w.field("due", i.due.to_iso());
      w.end_object();
    }
    w.end_array();
  }
  w.field("invoice_number", a.invoice_number);
  w.field("on", a.on.to_iso());
  if (!a.outcome.empty()) w.field("outcome", a.outcome);
  if (a.action == Action::dispute) {
    w.key("pause_interest");
    w.bool_value(a.pause_interest);
  }
  w.field("reason", a.reason);
  if (a.until) w.field("until", a.until->to_iso());
  w.end_object();
  return out;
}

Result<ClaimAction> decode_action(simdjson::dom::element p, std::string_view actor) {
  ClaimAction a;
  const std::string_view t = action_requested_type;
  std::string name;
  if (!get_text(p, "action", name) || !parse_action(name)) return bad(t, "action");
  a.action = *parse_action(name);
  if (!get_text(p, "invoice_number", a.invoice_number)) return bad(t, "invoice_number");
  if (!get_date(p, "on", a.on)) return bad(t, "on");
  a.reason = text_or(p, "reason");
  a.actor = std::string(actor);
  std::string recorded_actor;
  if (get_text(p, "actor", recorded_actor)) a.actor = recorded_actor;
  a.customer_id = text_or(p, "customer_id");
  bool b = false;
  if (p["pause_interest"].get(b) == simdjson::SUCCESS) a.pause_interest = b;
  a.outcome = text_or(p, "outcome");
  a.appeal_id = text_or(p, "appeal_id");
  Date until;
  if (get_date(p, "until", until)) a.until = until;
  simdjson::dom::array inst;
  if (p["instalments"].get(inst) == simdjson::SUCCESS) {
    std::size_t k = 0;
    for (simdjson::dom::element i : inst) {
      Instalment x;
      const std::string at = "instalments/" + std::to_string(k++);
      if (!get_date(i, "due", x.due)) return bad(t, at + "/due");
      if (!get_int(i, "amount_ore", x.amount_ore) || x.amount_ore <= 0) {
        return bad(t, at + "/amount_ore");
      }
      a.instalments.push_back(x);
    }
  }
  return a;
}

std::string write_off_payload(const WriteOff& x) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field_int("amount_ore", x.amount_ore);
  w.field("approved_by", x.approved_by);
  w.field("claim_family", x.claim_family);
  w.field("claim_type", x.claim_type);
  w.field("customer_id", x.customer_id);
  w.field_int("fees_ore", x.fees_ore);
  w.field_int("interest_ore", x.interest_ore);
  w.field("invoice_number", x.invoice_number);
  w.field("on", x.on.to_iso());
  w.field_int("principal_ore", x.principal_ore);
  w.field("reason", x.reason);
  w.field("requested_by", x.requested_by);
  w.end_object();
  return out;
}

Result<WriteOff> decode_write_off(simdjson::dom::element p) {
  WriteOff x;
  const std::string_view t = written_off_type;
  if (!get_text(p, "invoice_number", x.invoice_number)) return bad(t, "invoice_number");
  if (!get_text(p, "customer_id", x.customer_id)) return bad(t, "customer_id");
  if (!get_date(p, "on", x.on)) return bad(t, "on");
  if (!get_int(p, "amount_ore", x.amount_ore) || x.amount_ore < 0) return bad(t, "amount_ore");
  get_int(p, "principal_ore", x.principal_ore);
  get_int(p, "fees_ore", x.fees_ore);
  get_int(p, "interest_ore", x.interest_ore);
  x.claim_type = text_or(p, "claim_type");
  x.claim_family = text_or(p, "claim_family");
  x.requested_by = text_or(p, "requested_by");
  x.approved_by = text_or(p, "approved_by");
  x.reason = text_or(p, "reason");
  return x;
}

}  // namespace oppgjor::collection
