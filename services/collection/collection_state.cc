// The collection state (collection_state.h).
#include "services/collection/collection_state.h"

#include <algorithm>

#include "common/assert.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "services/invoicing/invoice.h"
#include "services/ledger/transaction.h"
#include "services/runtime/snapshot_lines.h"

namespace oppgjor::collection {

namespace {

using events::CanonicalWriter;
using events::get_date;
using events::get_int;
using events::get_text;
using events::text_or;

constexpr std::string_view invoice_issued_type = "invoicing.invoice_issued";
constexpr std::string_view parameter_set_type = "rules.parameter_set";
// 2: open_appeals; 3: claims without their default members; 4: each claim a record line after
// the head (runtime/snapshot_lines.h), parsed alone, not an array of the head parsed whole (the
// claims grow with every invoice ever issued).
constexpr std::string_view snapshot_format = "collection.snapshot.4";
constexpr std::string_view claim_record = "claim";

void history(Claim& c, Date date, std::string what, std::int64_t amount, std::string note = {}) {
  c.history.push_back(HistoryRow{date, std::move(what), amount, std::move(note)});
}

void settle_status(Claim& c, Date date) {
  if (c.status == ClaimStatus::open && c.open_ore() <= 0) {
    c.status = ClaimStatus::paid;
    c.closed_on = date;
    c.plan_active = false;
  } else if (c.status == ClaimStatus::paid && c.open_ore() > 0) {
    c.status = ClaimStatus::open;  // a reversal re-opened it
    c.closed_on.reset();
  }
}

}  // namespace

std::string_view claim_status_name(ClaimStatus s) {
  switch (s) {
    case ClaimStatus::open:
      return "open";
    case ClaimStatus::paid:
      return "paid";
    case ClaimStatus::handed_over:
      return "handed_over";
    case ClaimStatus::written_off:
      return "written_off";
  }
  return "open";
}

std::string day_closer(const events::EventView& e, simdjson::dom::element p) {
  if (!e.actor.empty()) return std::string(e.actor);
  return text_or(p, "closed_by");
}

DayOrder day_order(const std::optional<Date>& last_closed, Date date) {
  if (!last_closed) return DayOrder::accepted;
  if (date == *last_closed) return DayOrder::already_closed;
  if (date < *last_closed) return DayOrder::before_last;
  if (date != last_closed->add_days(1)) return DayOrder::skips_days;
  return DayOrder::accepted;
}

bool CollectionState::folds(std::string_view type) {
  return type == invoice_issued_type || type == ledger::transactions_posted_type ||
         type == day_closed_type || type == parameter_set_type || type == notice_sent_type ||
         type == interest_charged_type || type == payment_interest_type ||
         type == handed_over_type || type == step_refused_type || type == plan_broken_type ||
         type == action_recorded_type || type == written_off_type ||
         type == appeal_registered_type || type == decision_made_type;
}

std::string CollectionState::rule_version() const {
  return rates_.rule_version() + "+" + plans_->rule_version();
}

const Claim* CollectionState::claim(std::string_view invoice_number) const {
  auto it = claims_.find(std::string(invoice_number));
  return it == claims_.end() ? nullptr : &it->second;
}

Claim* CollectionState::find(const std::string& invoice_number) {
  auto it = claims_.find(invoice_number);
  return it == claims_.end() ? nullptr : &it->second;
}

Status CollectionState::fold(const events::EventView& e, simdjson::dom::element p) {
  const std::string_view t = e.type;
  if (t == invoice_issued_type) return fold_invoice(p);
  if (t == ledger::transactions_posted_type) return fold_posted(p);
  if (t == day_closed_type) {
    Date date;
    if (!get_date(p, "date", date)) {
      return make_error("payload_invalid", "date", "calendar.day_closed without a date");
    }
    if (!day_closer(e, p).empty() && day_order(last_closed_, date) == DayOrder::accepted) {
      last_closed_ = date;
    }
    return ok_status();
  }
  if (t == parameter_set_type) return fold_parameter(p, e.payload);
  if (t == payment_interest_type) {
    auto charges = decode_payment_interest(p);
    if (!charges) return charges.error();
    for (const InterestCharge& i : *charges) {
      Claim* c = find(i.invoice_number);
      if (c == nullptr) {
        return make_error("claim_unknown", "charges",
                          std::string(t) + " for unknown claim " + i.invoice_number);
      }
      apply_interest(*c, i);
    }
    return ok_status();
  }
  if (t == appeal_registered_type || t == decision_made_type) {
    std::string customer;
    std::string appeal;
    std::int64_t year = 0;
    if (!get_text(p, "customer_id", customer) || !get_int(p, "year", year) ||
        !get_text(p, "appeal_id", appeal)) {
      return ok_status();  // a decision that is not on an appeal
    }
    const std::pair<std::string, int> key{customer, static_cast<int>(year)};
    if (t == appeal_registered_type) {
      open_appeals_[key] = appeal;
    } else if (text_or(p, "kind") == "appeal_decision") {
      const auto it = open_appeals_.find(key);
      if (it != open_appeals_.end() && it->second == appeal) open_appeals_.erase(it);
    }
    return ok_status();
  }
  if (!folds(t)) return ok_status();  // commands and the answers to them change nothing here
  // The service's own outputs.
  std::string number;
  if (!get_text(p, "invoice_number", number)) {
    return make_error("payload_invalid", "invoice_number", std::string(t) + " without a claim");
  }
  Claim* c = find(number);
  if (c == nullptr) {
    return make_error("claim_unknown", "invoice_number",
                      std::string(t) + " for unknown claim " + number);
  }
  if (t == notice_sent_type) {
    auto n = decode_notice(p);
    if (!n) return n.error();
    apply_notice(*c, *n);
  } else if (t == interest_charged_type) {
    auto i = decode_interest(p);
    if (!i) return i.error();
    apply_interest(*c, *i);
  } else if (t == handed_over_type) {
    auto h = decode_handover(p);
    if (!h) return h.error();
    apply_handover(*c, *h);
  } else if (t == step_refused_type) {
    auto r = decode_step_refusal(p);
    if (!r) return r.error();
    apply_refusal(*c, *r);
  } else if (t == plan_broken_type) {
    auto b = decode_plan_broken(p);
    if (!b) return b.error();
    apply_plan_broken(*c, *b);
  } else if (t == action_recorded_type) {
    auto a = decode_action(p, e.actor);
    if (!a) return a.error();
    apply_action(*c, *a);
  } else if (t == written_off_type) {
    auto w = decode_write_off(p);
    if (!w) return w.error();
    apply_write_off(*c, *w);
  }
  return ok_status();
}

Status CollectionState::fold_invoice(simdjson::dom::element p) {
  auto inv = invoicing::decode_invoice(p, invoicing::InvoiceParts::header);
  if (!inv) return inv.error();
  if (inv->kind != invoicing::DocumentKind::invoice || inv->total_ore <= 0) return ok_status();
  auto rules = billing_->claim_type(inv->claim_type, inv->issue_date);
  if (!rules) return rules.error();
  Claim c;
  c.invoice_number = inv->invoice_number;
  c.customer_id = inv->customer_id;
  c.claim_type = inv->claim_type;
  c.claim_family = rules->claim_family;
  c.kid = inv->kid;
  c.issue_date = inv->issue_date;
  c.due_date = inv->due_date;
  c.period_from = inv->period_from;
  c.original_ore = inv->total_ore;
  c.principal_ore = inv->total_ore;
  c.interest_from = inv->due_date.add_days(1);
  history(c, inv->issue_date, "invoice", inv->total_ore);
  if (!claims_.emplace(c.invoice_number, std::move(c)).second) {
    return make_error("claim_duplicate", "invoice_number",
                      "invoice " + inv->invoice_number + " issued twice");
  }
  return ok_status();
}

void CollectionState::apply_money(Claim& c, std::string_view kind, std::int64_t amount, Date date,
                                  std::string_view note) const {
  if (kind == "credit_note") {
    c.principal_ore -= amount;
    c.credited_ore += amount;
    history(c, date, amount >= 0 ? "credit_note" : "credit_note_reversed", amount,
            std::string(note));
  } else if (amount < 0) {
    // A reversal of a payment re-opens what it had settled, as principal.
    c.principal_ore -= amount;
    c.paid_ore += amount;
    history(c, date, "reversal", amount, std::string(note));
  } else {
    // Money settles fees, then interest, then principal (docs/COLLECTION.md).
    std::int64_t left = amount;
    const std::int64_t to_fees = std::min(left, std::max<std::int64_t>(c.fees_ore, 0));
    c.fees_ore -= to_fees;
    left -= to_fees;
    const std::int64_t to_interest = std::min(left, std::max<std::int64_t>(c.interest_ore, 0));
    c.interest_ore -= to_interest;
    left -= to_interest;
    c.principal_ore -= left;
    c.paid_ore += amount;
    history(c, date, "payment", amount, std::string(note));
  }
  settle_status(c, date);
}

void CollectionState::apply_notice(Claim& c, const Notice& n) {
  StepTaken s;
  s.kind = n.kind;
  s.step = n.step;
  s.sent = n.sent_on;
  s.deadline = n.deadline;
  s.fee_ore = n.fee_ore;
  s.open_ore = c.open_ore() + n.fee_ore;
  c.steps.push_back(s);
  c.fees_ore += n.fee_ore;
  c.fees_charged_ore += n.fee_ore;
  c.deferred_until.reset();
  history(c, n.sent_on, std::string(notice_kind_name(n.kind)), n.fee_ore,
          "frist " + n.deadline.to_iso());
}

void CollectionState::apply_interest(Claim& c, const InterestCharge& i) {
  c.interest_ore += i.interest_ore - i.covered_ore;
  c.principal_ore += i.covered_ore;  // the payment's share moves from principal to interest
  c.interest_charged_ore += i.interest_ore;
  c.interest_from = i.through.add_days(1);
  history(c, i.through, "interest", i.interest_ore,
          i.from.to_iso() + "–" + i.through.to_iso() + " (" + i.cause + ")");
  settle_status(c, i.through);  // interest charged after the money that closed it re-opens it
}

void CollectionState::apply_handover(Claim& c, const HandOver& h) {
  c.status = ClaimStatus::handed_over;
  c.closed_on = h.on;
  history(c, h.on, "hand_over", h.total_ore, h.track);
}

void CollectionState::apply_refusal(Claim& c, const StepRefusal& r) {
  if (r.kind != "interest") {  // a step: dunning waits for staff; interest: charged later
    c.blocked = true;
    c.blocked_code = r.code;
  }
  history(c, r.on, "step_refused", 0, r.kind + ": " + r.code);
}

void CollectionState::apply_plan_broken(Claim& c, const PlanBroken& b) {
  c.plan_active = false;
  history(c, b.on, "plan_broken", b.expected_ore - b.paid_ore,
          "avdrag forfalt " + b.instalment_due.to_iso());
}

void CollectionState::apply_action(Claim& c, const ClaimAction& a) const {
  switch (a.action) {
    case Action::dispute: {
      c.disputed = true;
      c.dispute_since = a.on;
      c.dispute_appeal_id = a.appeal_id;
      auto plan = plans_->plan_for(c.claim_type, c.due_date);
      c.dispute_pauses_interest =
          a.pause_interest || (plan.ok() && (*plan)->dispute_pauses_interest);
      history(c, a.on, "dispute", 0, a.reason);
      break;
    }
    case Action::resolve:
      if (c.disputed && c.dispute_pauses_interest) {
        c.interest_pauses.emplace_back(c.dispute_since, a.on);
      }
      c.disputed = false;
      c.dispute_pauses_interest = false;
      c.dispute_appeal_id.clear();
      c.blocked = false;
      history(c, a.on, "dispute_resolved", 0, a.outcome + ": " + a.reason);
      break;
    case Action::plan:
      c.plan_active = true;
      c.plan_agreed = a.on;
      c.instalments = a.instalments;
      c.paid_at_plan_ore = c.paid_ore;
      c.blocked = false;
      history(c, a.on, "payment_plan", c.open_ore(),
              std::to_string(a.instalments.size()) + " avdrag");
      break;
    case Action::defer:
      c.deferred_until = a.until;
      c.blocked = false;
      history(c, a.on, "deferral", 0,
              "ny frist " + (a.until ? a.until->to_iso() : "") + ": " + a.reason);
      break;
    case Action::write_off:
      c.write_off_requested_by = a.actor;
      c.write_off_reason = a.reason;
      history(c, a.on, "write_off_requested", c.open_ore(), a.reason);
      break;
    case Action::reject_write_off:
      c.write_off_requested_by.reset();
      history(c, a.on, "write_off_rejected", 0, a.reason);
      break;
    case Action::approve_write_off:
      break;  // the claim_written_off output carries the effect
  }
}

void CollectionState::apply_write_off(Claim& c, const WriteOff& w) {
  c.written_off_ore += w.amount_ore;
  c.principal_ore -= w.principal_ore;
  c.fees_ore -= w.fees_ore;
  c.interest_ore -= w.interest_ore;
  c.status = ClaimStatus::written_off;
  c.closed_on = w.on;
  c.write_off_requested_by.reset();
  history(c, w.on, "write_off", w.amount_ore, w.reason);
}

Status for_each_application(simdjson::dom::element p,
                            const std::function<void(const LedgerApplication&)>& fn) {
  simdjson::dom::array txs;
  if (p["transactions"].get(txs) != simdjson::SUCCESS) {
    return make_error("payload_invalid", "transactions", "ledger.transactions_posted");
  }
  std::string compact_id;  // the transaction id a compact payment row stands for
  for (simdjson::dom::element tx : txs) {
    simdjson::dom::array apps;
    if (tx["applications"].get(apps) != simdjson::SUCCESS) continue;
    const bool compact = ledger::is_compact_payment(tx);
    std::string_view kind;
    if (compact) {
      kind = ledger::tx_kind_name(ledger::TxKind::payment);
    } else if (tx["kind"].get(kind) != simdjson::SUCCESS) {
      return make_error("payload_invalid", "kind", "ledger transaction without a kind");
    }
    if (kind == "write_off") continue;
    LedgerApplication a;
    a.kind = kind;
    if (!get_date(tx, "date", a.date)) {
      return make_error("payload_invalid", "date", "ledger transaction without a date");
    }
    if (compact) {
      compact_id = ledger::posted_transaction_id(tx);
      a.transaction_id = compact_id;
    } else if (tx["transaction_id"].get(a.transaction_id) != simdjson::SUCCESS) {
      a.transaction_id = {};
    }
    for (simdjson::dom::element x : apps) {
      if (!get_text(x, "invoice_number", a.invoice_number) ||
          !get_int(x, "amount_ore", a.amount_ore)) {
        return make_error("payload_invalid", "applications", "ledger application");
      }
      if ((kind == "collection_fee" || kind == "late_interest") && a.amount_ore < 0) continue;
      fn(a);
    }
  }
  return ok_status();
}

Status CollectionState::fold_posted(simdjson::dom::element p) {
  return for_each_application(p, [&](const LedgerApplication& a) {
    if (Claim* c = find(a.invoice_number)) {
      apply_money(*c, a.kind, a.amount_ore, a.date, a.transaction_id);
    }
  });
}

Status CollectionState::fold_parameter(simdjson::dom::element p, std::string_view payload) {
  std::string parameter;
  if (!get_text(p, "parameter", parameter) || parameter.rfind("collection.", 0) != 0) {
    return ok_status();
  }
  auto value = decode_dated_value(p);
  if (!value) return ok_status();  // schema-valid but unusable: never applied (rules list shows it)
  if (!rates_.add(parameter, *value)) return ok_status();
  parameter_events_.emplace_back(payload);
  return ok_status();
}

void CollectionState::emit(replay::RowSink& sink) const {
  std::string v;
  for (const auto& [key, appeal] : open_appeals_) {  // "appeal/" sorts before "calendar/"
    v.clear();
    CanonicalWriter w(v);
    w.begin_object();
    w.field("appeal_id", appeal);
    w.end_object();
    sink.row("appeal/" + key.first + "/" + std::to_string(key.second), v);
  }
  v.clear();
  if (last_closed_) {  // "calendar/" sorts before "claim/"
    CanonicalWriter w(v);
    w.begin_object();
    w.field("date", last_closed_->to_iso());
    w.end_object();
    sink.row("calendar/last_closed", v);
  }
  for (const auto& [number, c] : claims_) {
    v.clear();
    CanonicalWriter w(v);
    w.begin_object();
    w.key("blocked");
    w.bool_value(c.blocked);
    w.field("closed_on", c.closed_on ? c.closed_on->to_iso() : "");
    w.field_int("credited_ore", c.credited_ore);
    w.field("customer_id", c.customer_id);
    w.key("disputed");
    w.bool_value(c.disputed);
    w.field_int("fees_charged_ore", c.fees_charged_ore);
    w.field_int("fees_ore", c.fees_ore);
    w.field_int("interest_charged_ore", c.interest_charged_ore);
    w.field("interest_from", c.interest_from.to_iso());
    w.field_int("interest_ore", c.interest_ore);
    w.field_int("paid_ore", c.paid_ore);
    w.key("plan_active");
    w.bool_value(c.plan_active);
    w.field_int("principal_ore", c.principal_ore);
    w.field("status", claim_status_name(c.status));
    w.field_int("steps", static_cast<std::int64_t>(c.steps.size()));
    w.field_int("written_off_ore", c.written_off_ore);
    w.end_object();
    sink.row("claim/" + number, v);
  }
}

// ---- snapshot -----------------------------------------------------------------------------

namespace {

// A claim in the snapshot. A member at its default (0, false, "", an empty list, 1970-01-01, no
// date; claim_family equal to claim_type; period_from equal to issue_date) is left out, and
// read_claim restores it: most claims are open, unpaid and undisturbed, and the snapshot is
// written again after every large run (a third of the bytes it had with every member written).
void write_claim(CanonicalWriter& w, const Claim& c) {
  const auto int_unless_zero = [&](std::string_view key, std::int64_t v) {
    if (v != 0) w.field_int(key, v);
  };
  const auto text_unless_empty = [&](std::string_view key, std::string_view v) {
    if (!v.empty()) w.field(key, v);
  };
  const auto true_only = [&](std::string_view key, bool v) {
    if (!v) return;
    w.key(key);
    w.bool_value(true);
  };
  const auto date_unless_default = [&](std::string_view key, const Date& d) {
    if (d != Date{}) w.field(key, d.to_iso());
  };
  w.begin_object();
  true_only("blocked", c.blocked);
  text_unless_empty("blocked_code", c.blocked_code);
  if (c.claim_family != c.claim_type) w.field("claim_family", c.claim_family);
  w.field("claim_type", c.claim_type);
  if (c.closed_on) w.field("closed_on", c.closed_on->to_iso());
  int_unless_zero("credited_ore", c.credited_ore);
  w.field("customer_id", c.customer_id);
  if (c.deferred_until) w.field("deferred_until", c.deferred_until->to_iso());
  text_unless_empty("dispute_appeal_id", c.dispute_appeal_id);
  true_only("dispute_pauses_interest", c.dispute_pauses_interest);
  date_unless_default("dispute_since", c.dispute_since);
  true_only("disputed", c.disputed);
  w.field("due_date", c.due_date.to_iso());
  int_unless_zero("fees_charged_ore", c.fees_charged_ore);
  int_unless_zero("fees_ore", c.fees_ore);
  if (!c.history.empty()) {
    w.key("history");
    w.begin_array();
    for (const auto& h : c.history) {
      w.begin_object();
      w.field_int("a", h.amount_ore);
      w.field("d", h.date.to_iso());
      text_unless_empty("n", h.note);
      text_unless_empty("w", h.what);
      w.end_object();
    }
    w.end_array();
  }
  if (!c.instalments.empty()) {
    w.key("instalments");
    w.begin_array();
    for (const auto& i : c.instalments) {
      w.begin_object();
      w.field_int("a", i.amount_ore);
      w.field("d", i.due.to_iso());
      w.end_object();
    }
    w.end_array();
  }
  int_unless_zero("interest_charged_ore", c.interest_charged_ore);
  w.field("interest_from", c.interest_from.to_iso());
  int_unless_zero("interest_ore", c.interest_ore);
  if (!c.interest_pauses.empty()) {
    w.key("interest_pauses");
    w.begin_array();
    for (const auto& [a, b] : c.interest_pauses) {
      w.begin_object();
      w.field("f", a.to_iso());
      w.field("t", b.to_iso());
      w.end_object();
    }
    w.end_array();
  }
  w.field("invoice_number", c.invoice_number);
  w.field("issue_date", c.issue_date.to_iso());
  w.field("kid", c.kid);
  w.field_int("original_ore", c.original_ore);
  int_unless_zero("paid_at_plan_ore", c.paid_at_plan_ore);
  int_unless_zero("paid_ore", c.paid_ore);
  if (c.period_from != c.issue_date) w.field("period_from", c.period_from.to_iso());
  true_only("plan_active", c.plan_active);
  date_unless_default("plan_agreed", c.plan_agreed);
  int_unless_zero("principal_ore", c.principal_ore);
  int_unless_zero("status", static_cast<int>(c.status));
  if (!c.steps.empty()) {
    w.key("steps");
    w.begin_array();
    for (const auto& s : c.steps) {
      w.begin_object();
      w.field("d", s.deadline.to_iso());
      w.field_int("f", s.fee_ore);
      w.field_int("k", static_cast<int>(s.kind));
      w.field_int("o", s.open_ore);
      w.field("s", s.sent.to_iso());
      w.field_int("t", s.step);
      w.end_object();
    }
    w.end_array();
  }
  text_unless_empty("write_off_reason", c.write_off_reason);
  if (c.write_off_requested_by) {
    // Requested with no name is still requested: the member is written, even empty.
    w.field("write_off_requested_by", *c.write_off_requested_by);
  }
  int_unless_zero("written_off_ore", c.written_off_ore);
  w.end_object();
}

bool date_at(simdjson::dom::element o, std::string_view key, Date& out) {
  return get_date(o, key, out);
}

std::optional<Date> optional_date(simdjson::dom::element o, std::string_view key) {
  Date d;
  if (!get_date(o, key, d)) return std::nullopt;
  return d;
}

// A member write_claim leaves out at its default is read as that default; a member that is
// there must have its type.
bool read_claim(simdjson::dom::element o, Claim& c) {
  const auto int_or_zero = [&](std::string_view key, std::int64_t& out) {
    out = 0;
    simdjson::dom::element v;
    return o[key].get(v) != simdjson::SUCCESS || get_int(o, key, out);
  };
  const auto date_or_default = [&](std::string_view key, Date& out) {
    out = Date{};
    simdjson::dom::element v;
    return o[key].get(v) != simdjson::SUCCESS || date_at(o, key, out);
  };
  const auto flag = [&](std::string_view key, bool& out) {
    out = false;
    simdjson::dom::element v;
    return o[key].get(v) != simdjson::SUCCESS || v.get(out) == simdjson::SUCCESS;
  };
  // Calls fn on each element of the array at `key` (none when the member is left out); false
  // when the member is not an array or fn refuses an element.
  const auto each = [&](std::string_view key, const auto& fn) {
    simdjson::dom::element v;
    if (o[key].get(v) != simdjson::SUCCESS) return true;
    simdjson::dom::array arr;
    if (v.get(arr) != simdjson::SUCCESS) return false;
    for (simdjson::dom::element x : arr) {
      if (!fn(x)) return false;
    }
    return true;
  };
  bool ok = get_text(o, "invoice_number", c.invoice_number) &&
            get_text(o, "customer_id", c.customer_id) && get_text(o, "claim_type", c.claim_type) &&
            get_text(o, "kid", c.kid) && date_at(o, "issue_date", c.issue_date) &&
            date_at(o, "due_date", c.due_date) && get_int(o, "original_ore", c.original_ore) &&
            date_at(o, "interest_from", c.interest_from) &&
            int_or_zero("principal_ore", c.principal_ore) && int_or_zero("fees_ore", c.fees_ore) &&
            int_or_zero("interest_ore", c.interest_ore) &&
            int_or_zero("fees_charged_ore", c.fees_charged_ore) &&
            int_or_zero("interest_charged_ore", c.interest_charged_ore) &&
            int_or_zero("paid_ore", c.paid_ore) && int_or_zero("credited_ore", c.credited_ore) &&
            int_or_zero("written_off_ore", c.written_off_ore) &&
            int_or_zero("paid_at_plan_ore", c.paid_at_plan_ore) &&
            date_or_default("plan_agreed", c.plan_agreed) &&
            date_or_default("dispute_since", c.dispute_since) && flag("blocked", c.blocked) &&
            flag("disputed", c.disputed) &&
            flag("dispute_pauses_interest", c.dispute_pauses_interest) &&
            flag("plan_active", c.plan_active);
  if (!ok) return false;
  c.claim_family = text_or(o, "claim_family", c.claim_type);
  c.deferred_until = optional_date(o, "deferred_until");
  c.closed_on = optional_date(o, "closed_on");
  c.period_from = optional_date(o, "period_from").value_or(c.issue_date);
  c.dispute_appeal_id = text_or(o, "dispute_appeal_id");
  c.blocked_code = text_or(o, "blocked_code");
  std::string requested_by;
  if (get_text(o, "write_off_requested_by", requested_by)) {
    c.write_off_requested_by = std::move(requested_by);
  }
  c.write_off_reason = text_or(o, "write_off_reason");
  std::int64_t status = 0;
  if (!int_or_zero("status", status) || status < 0 || status > 3) return false;
  c.status = static_cast<ClaimStatus>(status);
  return each("history",
              [&](simdjson::dom::element h) {
                HistoryRow r;
                if (!get_int(h, "a", r.amount_ore) || !date_at(h, "d", r.date)) return false;
                r.note = text_or(h, "n");
                r.what = text_or(h, "w");
                c.history.push_back(std::move(r));
                return true;
              }) &&
         each("instalments",
              [&](simdjson::dom::element i) {
                Instalment x;
                if (!get_int(i, "a", x.amount_ore) || !date_at(i, "d", x.due)) return false;
                c.instalments.push_back(x);
                return true;
              }) &&
         each("interest_pauses",
              [&](simdjson::dom::element i) {
                Date a, z;
                if (!date_at(i, "f", a) || !date_at(i, "t", z)) return false;
                c.interest_pauses.emplace_back(a, z);
                return true;
              }) &&
         each("steps", [&](simdjson::dom::element s) {
           StepTaken x;
           std::int64_t kind = 0;
           std::int64_t step = 0;
           if (!date_at(s, "d", x.deadline) || !get_int(s, "f", x.fee_ore) ||
               !get_int(s, "k", kind) || !get_int(s, "o", x.open_ore) || !date_at(s, "s", x.sent) ||
               !get_int(s, "t", step) || kind < 0 || kind > 2) {
             return false;
           }
           x.kind = static_cast<NoticeKind>(kind);
           x.step = static_cast<int>(step);
           c.steps.push_back(x);
           return true;
         });
}

}  // namespace

std::string CollectionState::save() const {
  return runtime::saved_whole(*this);
}

void CollectionState::save_to(runtime::SnapshotSink& sink) const {
  // Handed on a MiB at a time (runtime/snapshot_sink.h).
  runtime::SnapshotChunks chunks(sink);
  std::string& out = chunks.text();
  CanonicalWriter w(out);
  w.begin_object();
  w.field("format", snapshot_format);
  w.field("last_closed", last_closed_ ? last_closed_->to_iso() : "");
  w.key("open_appeals");
  w.begin_array();
  for (const auto& [key, appeal] : open_appeals_) {
    w.begin_object();
    w.field("appeal_id", appeal);
    w.field("customer_id", key.first);
    w.field_int("year", key.second);
    w.end_object();
    chunks.maybe_flush();
  }
  w.end_array();
  w.key("parameters");
  w.begin_array();
  for (const auto& p : parameter_events_) w.raw_value(p);
  w.end_array();
  w.end_object();
  out.push_back('\n');
  std::string json;
  for (const auto& [number, c] : claims_) {
    json.clear();
    CanonicalWriter cw(json);
    write_claim(cw, c);
    runtime::append_snapshot_record<1>(out, {claim_record}, json);
    chunks.maybe_flush();
  }
  chunks.flush();
}

Status CollectionState::load(std::string_view snapshot) {
  std::string_view records;
  auto head = runtime::snapshot_head(snapshot, records, "collection");
  if (!head) return head.error();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const auto bad = make_error("snapshot_invalid", "", "collection snapshot unreadable");
  if (parser.parse(head->data(), head->size()).get(doc) != simdjson::SUCCESS) return bad;
  if (text_or(doc, "format") != snapshot_format) return bad;
  last_closed_ = optional_date(doc, "last_closed");
  simdjson::dom::array arr;
  if (doc["open_appeals"].get(arr) != simdjson::SUCCESS) return bad;
  for (simdjson::dom::element a : arr) {
    std::string customer;
    std::string appeal;
    std::int64_t year = 0;
    if (!get_text(a, "customer_id", customer) || !get_text(a, "appeal_id", appeal) ||
        !get_int(a, "year", year)) {
      return bad;
    }
    open_appeals_[{customer, static_cast<int>(year)}] = appeal;
  }
  if (doc["parameters"].get(arr) != simdjson::SUCCESS) return bad;
  for (simdjson::dom::element p : arr) {
    std::string json = simdjson::minify(p);
    auto s = fold_parameter(p, json);
    if (!s) return s.error();
  }
  simdjson::dom::parser record_parser;
  return runtime::for_each_snapshot_record<1>(
      records, "collection", record_parser,
      [&](const std::array<std::string_view, 1>& fields, std::string_view,
          simdjson::dom::element o) -> Status {
        Claim c;
        if (fields[0] != claim_record || !read_claim(o, c)) {
          return make_error("snapshot_invalid", "claims",
                            "collection snapshot: a claim unreadable");
        }
        std::string key = c.invoice_number;
        claims_.emplace(std::move(key), std::move(c));
        return ok_status();
      });
}

}  // namespace oppgjor::collection
