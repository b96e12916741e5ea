// The collection state (docs/COLLECTION.md): every claim (one per invoice with something to
// pay) with its open principal, fees and interest, dunning steps, pauses, plan and history; the
// last closed business day; the rule data (shipped rates and plans, plus collection.*
// `rules.parameter_set` events). Folded from
//   invoicing.invoice_issued       a claim per invoice (total > 0)
//   ledger.transactions_posted     money and credit notes applied to the claim's open item
//   calendar.day_closed            the last closed day (only a day that follows the last one)
//   rules.parameter_set            collection.* rule values on top of the shipped ones
//   the service's own outputs      (collection_events.h), applied exactly as written.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/result.h"
#include "events/envelope.h"
#include "replay/projection.h"
#include "services/collection/claim.h"
#include "services/collection/collection_events.h"
#include "services/collection/dunning_plan.h"
#include "services/collection/rates.h"
#include "services/invoicing/billing_rules.h"
#include "services/runtime/snapshot_sink.h"

namespace oppgjor::collection {

// How a calendar.day_closed for `date` relates to the last closed day: accepted, or why not.
enum class DayOrder { accepted, already_closed, before_last, skips_days };
DayOrder day_order(const std::optional<Date>& last_closed, Date date);
// Who closed a day: the envelope's actor, else the payload's closed_by (a scheduler); "" when
// neither (the day is refused and not folded).
std::string day_closer(const events::EventView& e, simdjson::dom::element p);

// One change the ledger made to an invoice's open item (ledger.transactions_posted): money (> 0
// settles), a credit note, or a reversal (< 0 re-opens). Left out: write-offs
// (collection.claim_written_off carries them) and the charge itself of a fee or of interest (the
// service's own decision; only a credit balance set off against it is money).
struct LedgerApplication {
  std::string_view kind;  // the transaction's kind: payment, credit_note, collection_fee, ...
  Date date;              // the booking date
  std::string_view transaction_id;
  std::string invoice_number;
  std::int64_t amount_ore = 0;
};
// Calls `fn` for each such application in a ledger.transactions_posted payload, in order. Error
// "payload_invalid" naming the member when the payload is not one.
Status for_each_application(simdjson::dom::element payload,
                            const std::function<void(const LedgerApplication&)>& fn);

class CollectionState {
 public:
  CollectionState(const invoicing::BillingRules& billing, const DunningPlans& plans)
      : billing_(&billing), plans_(&plans), rates_(builtin_rates()) {}

  static bool folds(std::string_view type);
  Status fold(const events::EventView& e, simdjson::dom::element payload);

  // Applies one ledger transaction's effect on the claims (also used by a decision to see the
  // effect of a payment before it is folded). `kind` is the transaction kind's name.
  void apply_money(Claim& c, std::string_view kind, std::int64_t amount_ore, Date date,
                   std::string_view note) const;
  // The output events, applied (the decision uses them on copies, the fold on the state).
  static void apply_notice(Claim& c, const Notice& n);
  static void apply_interest(Claim& c, const InterestCharge& i);
  static void apply_handover(Claim& c, const HandOver& h);
  static void apply_refusal(Claim& c, const StepRefusal& r);
  static void apply_plan_broken(Claim& c, const PlanBroken& b);
  void apply_action(Claim& c, const ClaimAction& a) const;
  static void apply_write_off(Claim& c, const WriteOff& w);

  const std::map<std::string, Claim>& claims() const { return claims_; }
  const Claim* claim(std::string_view invoice_number) const;
  const std::optional<Date>& last_closed() const { return last_closed_; }
  // Care-fees appeals not yet decided, by (customer, year): the appeal's id
  // (care_fees.appeal_registered, then the care_fees.decision_made of kind appeal_decision).
  // A nursing-home claim of that year issued while its appeal is open is disputed with it.
  const std::map<std::pair<std::string, int>, std::string>& open_appeals() const {
    return open_appeals_;
  }
  const CollectionRates& rates() const { return rates_; }
  const DunningPlans& plans() const { return *plans_; }
  const invoicing::BillingRules& billing() const { return *billing_; }
  std::string rule_version() const;

  void emit(replay::RowSink& sink) const;
  std::string save() const;
  // save()'s bytes in pieces, through a reused buffer (runtime/snapshot_sink.h).
  void save_to(runtime::SnapshotSink& sink) const;
  Status load(std::string_view snapshot);

 private:
  Status fold_invoice(simdjson::dom::element p);
  Status fold_posted(simdjson::dom::element p);
  Status fold_parameter(simdjson::dom::element p, std::string_view payload);
  Claim* find(const std::string& invoice_number);

  const invoicing::BillingRules* billing_;
  const DunningPlans* plans_;
  CollectionRates rates_;
  std::vector<std::string> parameter_events_;  // collection.* rules.parameter_set payloads
  std::map<std::string, Claim> claims_;
  std::optional<Date> last_closed_;
  std::map<std::pair<std::string, int>, std::string> open_appeals_;
};

}  // namespace oppgjor::collection
