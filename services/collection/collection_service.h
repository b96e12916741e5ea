// The collection service on the runtime (services/runtime/service.h, docs/COLLECTION.md).
//
// Consumes invoicing.invoice_issued, ledger.transactions_posted, rules.parameter_set, and the
// commands calendar.day_closed and collection.claim_action_requested. Decides:
//   calendar.day_closed (actor required; days closed in order, one by one; in parts when it
//       names `partitions`) → on a business day, for every open claim: a missed instalment
//       (collection.plan_broken), the next dunning step when due (collection.notice_sent, whose
//       fee the ledger posts) or its refusal (collection.step_refused), or the hand-over after
//       the last deadline (collection.interest_charged, collection.handed_over); then
//       service.command_completed with the day's counts. A day out of order is refused.
//   ledger.transactions_posted → for money applied to a claim after its due date, the late-payment
//       interest through the payment day (collection.interest_charged, posted by the ledger).
//   collection.claim_action_requested (actor required) → dispute, resolve, plan, defer,
//       write_off, approve_write_off (maker–checker), reject_write_off:
//       collection.claim_action_recorded (+ collection.claim_written_off on approval) and
//       service.command_completed, or service.command_refused naming the field.
// Outputs go to stream collection/<customer_id>; answers to command/<command id>.
#pragma once

#include <memory>
#include <string>

#include "services/collection/collection_state.h"
#include "services/runtime/service.h"

namespace oppgjor::collection {

inline constexpr std::string_view service_name = "collection";
inline constexpr std::string_view projection_name = "collection";

class CollectionService final : public runtime::Service {
 public:
  CollectionService(const invoicing::BillingRules& billing, const DunningPlans& plans)
      : state_(billing, plans) {}

  std::string_view name() const override { return service_name; }
  std::string state_version() const override;
  std::vector<std::string> input_types() const override;
  bool decides(std::string_view type) const override;
  bool spans_customers(std::string_view type) const override { return type == day_closed_type; }
  int parts(const events::EventView& e, simdjson::dom::element payload) const override;
  Result<std::vector<events::EngineEvent>> decide(const events::EventView& e,
                                                  simdjson::dom::element payload,
                                                  runtime::Part part) const override;
  Status fold(const events::EventView& e, simdjson::dom::element payload) override {
    return state_.fold(e, payload);
  }
  std::string save() const override { return state_.save(); }
  void save_to(runtime::SnapshotSink& sink) const override { state_.save_to(sink); }
  Status load(std::string_view snapshot) override { return state_.load(snapshot); }
  void emit(replay::RowSink& sink) const override { state_.emit(sink); }

  const CollectionState& state() const { return state_; }

 private:
  CollectionState state_;
};

std::unique_ptr<CollectionService> make_collection_service();
std::unique_ptr<replay::Projection> make_collection_projection();

}  // namespace oppgjor::collection
