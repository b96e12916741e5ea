// The collection service (collection_service.h).
#include "services/collection/collection_service.h"

#include <map>

#include "common/calendar.h"
#include "common/ore_format.h"
#include "events/json_fields.h"
#include "services/collection/dunning.h"
#include "services/invoicing/invoice.h"
#include "services/ledger/transaction.h"
#include "services/runtime/commands.h"
#include "services/runtime/partition.h"

namespace oppgjor::collection {

// The care-fees events the service consumes (services/care_fees/decisions.h).

namespace {

using events::get_date;
using events::get_int;
using events::get_text;
using events::text_or;

events::EngineEvent output(const events::EventView& cause, Out o) {
  events::EngineEvent e;
  e.type = std::move(o.type);
  e.stream = collection_stream(o.customer_id);
  e.occurred_at = std::string(cause.occurred_at);
  e.payload_json = std::move(o.payload);
  return e;
}

events::EngineEvent refused(const events::EventView& e, std::string code, std::string field,
                            std::string message, runtime::Part part = {}) {
  return runtime::refused_event(
      service_name, e, make_error(std::move(code), std::move(field), std::move(message)), part);
}

Result<std::vector<events::EngineEvent>> decide_day(const CollectionState& s,
                                                    const events::EventView& e,
                                                    simdjson::dom::element p, runtime::Part part) {
  std::vector<events::EngineEvent> out;
  Date day;
  if (!get_date(p, "date", day)) {
    out.push_back(refused(e, "date_invalid", "date", "calendar.day_closed uten gyldig dato"));
    return out;
  }
  switch (day_order(s.last_closed(), day)) {
    case DayOrder::accepted:
      break;
    case DayOrder::already_closed:
      out.push_back(refused(e, "day_already_closed", "date",
                            "dagen " + day.to_iso() + " er allerede lukket", part));
      return out;
    case DayOrder::before_last:
      out.push_back(refused(e, "day_out_of_order", "date",
                            "dagen " + day.to_iso() + " er før siste lukkede dag " +
                                s.last_closed()->to_iso() + "; dager lukkes i rekkefølge",
                            part));
      return out;
    case DayOrder::skips_days:
      out.push_back(refused(e, "day_out_of_order", "date",
                            "neste dag som kan lukkes er " + s.last_closed()->add_days(1).to_iso() +
                                ", ikke " + day.to_iso() + "; dager lukkes i rekkefølge, én og én",
                            part));
      return out;
  }
  DayTally tally;
  const bool business = common::is_business_day(day);
  if (business) {
    std::vector<Out> outs;
    for (const auto& [number, claim] : s.claims()) {
      if (!part.whole() && runtime::partition_of(claim.customer_id, part.count) != part.index) {
        continue;
      }
      evaluate_claim(s, claim, day, tally, outs);
    }
    out.reserve(outs.size() + 1);
    for (auto& o : outs) out.push_back(output(e, std::move(o)));
  }
  runtime::Completion done;
  done.part = part;
  done.counts = {{"evaluated", tally.evaluated},
                 {"reminders", tally.reminders},
                 {"collection_notices", tally.collection_notices},
                 {"payment_demands", tally.payment_demands},
                 {"handovers", tally.handovers},
                 {"refused", tally.refused},
                 {"plans_broken", tally.plans_broken}};
  done.amounts = {{"fees_ore", tally.fees_ore}, {"interest_ore", tally.interest_ore}};
  done.refs = {{"date", day.to_iso()}, {"business_day", business ? "true" : "false"}};
  if (!business) {
    done.note = "Dag " + day.to_iso() +
                " lukket. Ikke en virkedag (helg eller helligdag): "
                "ingen purringer eller varsler sendes.";
  } else {
    done.note = "Dag " + day.to_iso() + " lukket. " + std::to_string(tally.evaluated) +
                " krav vurdert: " + std::to_string(tally.reminders) + " purringer, " +
                std::to_string(tally.collection_notices) + " inkassovarsler, " +
                std::to_string(tally.payment_demands) + " betalingsoppfordringer, " +
                std::to_string(tally.handovers) + " overleveringer, " +
                std::to_string(tally.refused) + " steg avvist, gebyrer kr " +
                common::ore_format::norwegian(tally.fees_ore) + ".";
  }
  out.push_back(runtime::completed_event(service_name, e, done));
  return out;
}

// Interest when money reaches a late claim (docs/COLLECTION.md "Interest"): the posting's charges
// in one collection.payment_interest_charged (or a few: payment_interest_max charges each), after
// the refusals.
Result<std::vector<events::EngineEvent>> decide_money(const CollectionState& s,
                                                      const events::EventView& e,
                                                      simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  std::vector<InterestCharge> charges;
  std::map<std::string, Claim> work;  // the claims this event touches, as it changes them
  auto st = for_each_application(p, [&](const LedgerApplication& a) {
    auto it = work.find(a.invoice_number);
    if (it == work.end()) {
      const Claim* known = s.claim(a.invoice_number);
      if (known == nullptr) return;
      it = work.emplace(a.invoice_number, *known).first;
    }
    Claim& c = it->second;
    const std::int64_t amount = a.amount_ore;
    const bool money = a.kind != "credit_note" && amount > 0;
    const bool late = money && c.status == ClaimStatus::open && a.date > c.due_date &&
                      c.interest_from <= a.date && c.principal_ore > 0;
    std::optional<InterestCharge> charge;
    if (late) {
      auto interest = claim_interest(c, a.date, s.rates(), "payment");
      if (!interest) {
        StepRefusal r;
        r.invoice_number = c.invoice_number;
        r.customer_id = c.customer_id;
        r.kind = "interest";
        r.code = interest.error().code;
        r.message = interest.error().message;
        r.on = a.date;
        out.push_back(
            output(e, {std::string(step_refused_type), c.customer_id, step_refusal_payload(r)}));
      } else if (interest->interest_ore > 0) {
        // The part of this money that reaches the principal (after fees and interest already
        // open) pays the new interest first.
        std::int64_t left = amount - std::min(amount, std::max<std::int64_t>(c.fees_ore, 0));
        left -= std::min(left, std::max<std::int64_t>(c.interest_ore, 0));
        interest->covered_ore = std::min(interest->interest_ore, left);
        charge = std::move(interest).value();
      }
    }
    s.apply_money(c, a.kind, amount, a.date, a.transaction_id);
    if (charge) {
      CollectionState::apply_interest(c, *charge);
      charges.push_back(std::move(*charge));
    }
  });
  if (!st) return st.error();
  std::size_t chunk = 0;
  for (std::size_t i = 0; i < charges.size(); ++chunk) {
    const std::size_t n = payment_interest_chunk(&charges[i], charges.size() - i);
    events::EngineEvent x;
    x.type = std::string(payment_interest_type);
    x.schema_version = payment_interest_version;
    x.stream = payment_interest_stream(e.event_id, chunk);
    x.occurred_at = std::string(e.occurred_at);
    x.payload_json = payment_interest_payload(&charges[i], n);
    out.push_back(std::move(x));
    i += n;
  }
  return out;
}

Result<std::vector<events::EngineEvent>> decide_action(const CollectionState& s,
                                                       const events::EventView& e,
                                                       simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  if (e.actor.empty()) {
    out.push_back(refused(e, "actor_missing", "actor",
                          "kommandoen har ingen bruker (actor); den blir ikke utført"));
    return out;
  }
  auto a = decode_action(p, e.actor);
  if (!a) {
    out.push_back(runtime::refused_event(service_name, e, a.error()));
    return out;
  }
  const Claim* c = s.claim(a->invoice_number);
  if (c == nullptr) {
    out.push_back(
        refused(e, "claim_unknown", "invoice_number",
                "ukjent krav: faktura " + a->invoice_number + " finnes ikke i reskontro"));
    return out;
  }
  a->customer_id = c->customer_id;
  const std::string what = std::string(action_name(a->action));
  const auto refuse = [&](std::string code, std::string field, std::string message) {
    out.push_back(refused(e, std::move(code), std::move(field), std::move(message)));
    return out;
  };
  const bool open = c->active() && c->open_ore() > 0;
  if (a->reason.empty() && a->action != Action::approve_write_off) {
    return refuse("reason_missing", "reason", "oppgi en begrunnelse (reason)");
  }
  switch (a->action) {
    case Action::dispute:
      if (!open) {
        return refuse("claim_closed", "invoice_number",
                      "kravet " + c->invoice_number + " er " +
                          std::string(claim_status_name(c->status)) +
                          "; innsigelse kan bare registreres på et åpent krav");
      }
      if (c->disputed) {
        return refuse("already_disputed", "invoice_number",
                      "kravet " + c->invoice_number + " har allerede en åpen innsigelse");
      }
      break;
    case Action::resolve:
      if (!c->disputed) {
        return refuse("no_dispute", "invoice_number",
                      "kravet " + c->invoice_number + " har ingen åpen innsigelse");
      }
      if (a->outcome != "upheld" && a->outcome != "rejected") {
        return refuse("outcome_invalid", "outcome", "outcome må være upheld eller rejected");
      }
      if (a->on < c->dispute_since) {
        return refuse("date_invalid", "on", "avgjørelsen kan ikke være før innsigelsen");
      }
      break;
    case Action::plan: {
      if (!open) {
        return refuse("claim_closed", "invoice_number",
                      "kravet " + c->invoice_number + " er ikke åpent; ingen betalingsavtale");
      }
      if (a->instalments.empty()) {
        return refuse("instalments_missing", "instalments", "en betalingsavtale trenger avdrag");
      }
      std::int64_t sum = 0;
      Date previous = a->on;
      for (std::size_t i = 0; i < a->instalments.size(); ++i) {
        const auto& x = a->instalments[i];
        if (x.due < previous || (i > 0 && x.due == previous)) {
          return refuse(
              "instalments_invalid", "instalments/" + std::to_string(i) + "/due",
              "avdragenes forfall må komme etter hverandre, fra avtaledagen " + a->on.to_iso());
        }
        previous = x.due;
        sum += x.amount_ore;
      }
      if (sum != c->open_ore()) {
        return refuse("plan_sum_mismatch", "instalments",
                      "avdragene summerer til kr " + common::ore_format::norwegian(sum) +
                          ", men åpent beløp er kr " +
                          common::ore_format::norwegian(c->open_ore()));
      }
      break;
    }
    case Action::defer:
      if (!open) {
        return refuse("claim_closed", "invoice_number",
                      "kravet " + c->invoice_number + " er ikke åpent; ingen utsettelse");
      }
      if (!a->until || *a->until <= a->on) {
        return refuse("until_invalid", "until", "ny frist (until) må være etter " + a->on.to_iso());
      }
      break;
    case Action::write_off:
      if ((c->status != ClaimStatus::open && c->status != ClaimStatus::handed_over) ||
          c->open_ore() <= 0) {
        return refuse("claim_closed", "invoice_number",
                      "kravet " + c->invoice_number + " har ikke noe åpent å avskrive");
      }
      if (c->write_off_requested_by) {
        return refuse(
            "write_off_pending", "invoice_number",
            "kravet " + c->invoice_number + " venter allerede på godkjenning av avskrivning");
      }
      break;
    case Action::approve_write_off:
    case Action::reject_write_off:
      if (!c->write_off_requested_by) {
        return refuse("no_write_off_request", "invoice_number",
                      "ingen avskrivning av " + c->invoice_number + " venter på godkjenning");
      }
      if (a->action == Action::approve_write_off && *c->write_off_requested_by == a->actor) {
        return refuse("approver_is_maker", "actor",
                      "den som ba om avskrivningen kan ikke godkjenne den selv (to personer)");
      }
      break;
  }
  std::string payload = action_payload(*a, true);
  out.push_back(output(e, {std::string(action_recorded_type), c->customer_id, std::move(payload)}));
  runtime::Completion done;
  done.refs = {{"action", what}, {"invoice_number", c->invoice_number}};
  done.note = "Krav " + c->invoice_number + ": " + what + " registrert.";
  if (a->action == Action::approve_write_off) {
    WriteOff w;
    w.invoice_number = c->invoice_number;
    w.customer_id = c->customer_id;
    w.claim_type = c->claim_type;
    w.claim_family = c->claim_family;
    w.on = a->on;
    w.principal_ore = c->principal_ore;
    w.fees_ore = c->fees_ore;
    w.interest_ore = c->interest_ore;
    w.amount_ore = c->open_ore();
    w.requested_by = *c->write_off_requested_by;
    w.approved_by = a->actor;
    w.reason = c->write_off_reason;
    out.push_back(output(e, {std::string(written_off_type), c->customer_id, write_off_payload(w)}));
    done.amounts = {{"written_off_ore", w.amount_ore}};
    done.note = "Krav " + c->invoice_number + " avskrevet: kr " +
                common::ore_format::norwegian(w.amount_ore) + " (ført som tap).";
  }
  out.push_back(runtime::completed_event(service_name, e, done));
  return out;
}

// A care-fees appeal (docs/COLLECTION.md section 7): care_fees.appeal_registered disputes the
// resident's open nursing_home claims of the appealed decision's year (their period), so their
// dunning pauses; the decision on the appeal (care_fees.decision_made, kind appeal_decision)
// resolves the claims that appeal disputed — upheld when the decision was changed, else
// rejected — and dunning resumes. Claims disputed already, closed or of other years are left
// alone. No answer: these are not commands.
Result<std::vector<events::EngineEvent>> decide_appeal_event(const CollectionState& s,
                                                             const events::EventView& e,
                                                             simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  const bool registered = e.type == appeal_registered_type;
  if (!registered && text_or(p, "kind") != "appeal_decision") return out;
  const std::string appeal_id = text_or(p, "appeal_id");
  const std::string customer = text_or(p, "customer_id");
  std::int64_t year = 0;
  if (!get_int(p, "year", year)) return out;
  ClaimAction a;
  a.action = registered ? Action::dispute : Action::resolve;
  a.appeal_id = appeal_id;
  a.actor = std::string(e.actor);
  a.customer_id = customer;
  if (!get_date(p, registered ? "received_on" : "decided_on", a.on)) return out;
  if (registered) {
    a.reason = "klage " + appeal_id + " på vedtak " + text_or(p, "decision_id") +
               " om vederlag for " + std::to_string(year);
  } else {
    a.outcome = text_or(p, "outcome") == "changed" ? "upheld" : "rejected";
    a.reason = "klage " + appeal_id + " avgjort i vedtak " + text_or(p, "decision_id");
  }
  for (const auto& [number, c] : s.claims()) {
    if (c.customer_id != customer || c.claim_type != "nursing_home") continue;
    if (registered) {
      if (c.period_from.year() != year || !c.active() || c.open_ore() <= 0 || c.disputed) continue;
    } else if (!c.disputed || c.dispute_appeal_id != appeal_id) {
      continue;
    }
    a.invoice_number = number;
    if (!registered && a.on < c.dispute_since) a.on = c.dispute_since;
    out.push_back(
        output(e, {std::string(action_recorded_type), customer, action_payload(a, true)}));
  }
  return out;
}

// A nursing-home invoice issued while an appeal on that year's fee is open (the next month's
// bill, say) is disputed with the appeal at once, so its dunning waits for the decision as the
// claims open when the appeal came do; the decision on the appeal resolves it with them.
Result<std::vector<events::EngineEvent>> decide_new_claim(const CollectionState& s,
                                                          const events::EventView& e,
                                                          simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  auto inv = invoicing::decode_invoice(p, invoicing::InvoiceParts::header);
  if (!inv) return inv.error();
  if (inv->kind != invoicing::DocumentKind::invoice || inv->total_ore <= 0 ||
      inv->claim_type != "nursing_home") {
    return out;
  }
  const auto it = s.open_appeals().find({inv->customer_id, inv->period_from.year()});
  if (it == s.open_appeals().end()) return out;
  ClaimAction a;
  a.action = Action::dispute;
  a.appeal_id = it->second;
  a.actor = std::string(e.actor);
  a.customer_id = inv->customer_id;
  a.invoice_number = inv->invoice_number;
  a.on = inv->issue_date;
  a.reason = "klage " + it->second + " på vederlaget for " +
             std::to_string(inv->period_from.year()) + " er ikke avgjort (faktura utstedt mens " +
             "klagen behandles)";
  out.push_back(
      output(e, {std::string(action_recorded_type), inv->customer_id, action_payload(a, true)}));
  return out;
}

class CollectionProjection final : public replay::Projection {
 public:
  CollectionProjection() : state_(invoicing::BillingRules::builtin(), DunningPlans::builtin()) {}
  std::string_view name() const override { return projection_name; }
  bool wants(std::string_view type) const override {
    return CollectionState::folds(type) || type == action_requested_type;
  }
  Status apply(const events::EventView& e, simdjson::dom::element payload) override {
    if (e.type == action_requested_type) return ok_status();
    return state_.fold(e, payload);
  }
  void emit(replay::RowSink& sink) const override { state_.emit(sink); }

 private:
  CollectionState state_;
};

}  // namespace

std::string CollectionService::state_version() const {
  return "collection.state.5/" + state_.rule_version() + "/" + state_.billing().rule_version();
}

std::vector<std::string> CollectionService::input_types() const {
  return {"invoicing.invoice_issued",         std::string(ledger::transactions_posted_type),
          std::string(day_closed_type),       "rules.parameter_set",
          std::string(action_requested_type), std::string(appeal_registered_type),
          std::string(decision_made_type)};
}

bool CollectionService::decides(std::string_view type) const {
  return type == day_closed_type || type == ledger::transactions_posted_type ||
         type == action_requested_type || type == appeal_registered_type ||
         type == decision_made_type ||
         // Only while a care-fees appeal is open: an invoice issued then may be disputed with it
         // (decide_new_claim); otherwise an invoice is folded and nothing more.
         (type == "invoicing.invoice_issued" && !state_.open_appeals().empty());
}

int CollectionService::parts(const events::EventView& e, simdjson::dom::element p) const {
  if (e.type != day_closed_type) return 1;
  std::int64_t n = 1;
  if (p["partitions"].get(n) != simdjson::SUCCESS) return 1;
  return n > 1 && n <= runtime::parts_max ? static_cast<int>(n) : 1;
}

Result<std::vector<events::EngineEvent>> CollectionService::decide(const events::EventView& e,
                                                                   simdjson::dom::element p,
                                                                   runtime::Part part) const {
  if (e.type == ledger::transactions_posted_type) return decide_money(state_, e, p);
  if (e.type == action_requested_type) return decide_action(state_, e, p);
  if (e.type == appeal_registered_type || e.type == decision_made_type) {
    return decide_appeal_event(state_, e, p);
  }
  if (e.type == "invoicing.invoice_issued") return decide_new_claim(state_, e, p);
  if (day_closer(e, p).empty()) {
    std::vector<events::EngineEvent> out;
    out.push_back(refused(e, "actor_missing", "actor",
                          "dagen er lukket uten bruker (actor eller closed_by); den blir ikke "
                          "lukket",
                          part));
    return out;
  }
  return decide_day(state_, e, p, part);
}

std::unique_ptr<CollectionService> make_collection_service() {
  return std::make_unique<CollectionService>(invoicing::BillingRules::builtin(),
                                             DunningPlans::builtin());
}

std::unique_ptr<replay::Projection> make_collection_projection() {
  return std::make_unique<CollectionProjection>();
}

}  // namespace oppgjor::collection
