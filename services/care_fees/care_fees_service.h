// The care-fees service on the runtime (services/runtime/service.h, docs/SERVICES.md).
//
// State: the care-fees state (care_fees_state.h), folded by the same steps as the replay
// projection, with income reports and parameter events kept for snapshots (state_codec.h).
// Commands it decides (schemas/care_fees.*_requested), each answered with
// service.command_completed or service.command_refused (code, field, Norwegian message):
//   care_fees.billing_requested        → one invoice basis per resident billed (billing.h)
//   care_fees.recalculation_requested  → care_fees.recalculation_started with the report's
//                                        SHA-256 (or "already started": the same run)
//   care_fees.approval_requested       → care_fees.recalculation_approved + one correction per
//                                        resident with a difference (approval.h), after the
//                                        checks below
//   care_fees.rejection_requested      → care_fees.recalculation_rejected
//   care_fees.decision_delivery_requested, care_fees.appeal_requested,
//   care_fees.appeal_decision_requested → decisions.h (delivery, appeal, the appeal's decision)
// Billing and approval also make the fee decisions (care_fees.decision_made, decisions.h).
// Approval and rejection are refused (decidable()) for an unknown run (run_unknown), a run
// already closed (run_closed), a checker who is the maker (maker_is_checker, actors compared
// as identities), a command without an actor (actor_missing); approval also when nothing can be
// approved (nothing_to_approve: every resident failed or there are none) and when the report
// computed now differs from the one the run was started with (report_changed).
#pragma once

#include <memory>
#include <string>

#include "events/event_log.h"
#include "services/care_fees/approval.h"
#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/recalc.h"
#include "services/runtime/service.h"

namespace oppgjor::care_fees {

inline constexpr std::string_view service_name = "care_fees";

class CareFeesService final : public runtime::Service {
 public:
  // `parameters`: the shipped store (builtin_parameters()).
  explicit CareFeesService(ParameterStore parameters);

  std::string_view name() const override { return service_name; }
  std::string state_version() const override;
  std::vector<std::string> input_types() const override;
  bool decides(std::string_view type) const override;
  // Billing, recalculation, approval and rejection are about many residents; the decision
  // commands (decisions.h) about one decision of one resident.
  bool spans_customers(std::string_view type) const override;
  // care_fees.billing_requested with `partitions` N > 1: N parts (billing.h, BillingRequest).
  int parts(const events::EventView& e, simdjson::dom::element payload) const override;
  Result<std::vector<events::EngineEvent>> decide(const events::EventView& e,
                                                  simdjson::dom::element payload,
                                                  runtime::Part part) const override;
  Status fold(const events::EventView& e, simdjson::dom::element payload) override;
  std::string save() const override;
  Status load(std::string_view snapshot) override;
  void emit(replay::RowSink& sink) const override { projection_.emit(sink); }

  const CareFeesState& state() const { return projection_.state(); }

 private:
  CareFeesProjection projection_;
  std::string rules_version_;
};

// A service over builtin_parameters() (empty when the shipped data cannot be loaded: every
// calculation then reports parameter_missing).
std::unique_ptr<CareFeesService> make_care_fees_service();

// check_decidable() (approval.h) for an actor as the log carries it; actor_missing when it is no
// valid user name.
Status decidable(const RunRecord& run, std::string_view actor, Decision decision);

// The report of run `run_id` as it was when the run was started: from the service's state when
// that gives the report_sha256 recorded at the start (the run's residents have not changed),
// else from the state rebuilt from `log` up to the run's as_of_sequence. run_unknown when the
// service knows no such run.
Result<RecalcReport> report_of_run(const CareFeesService& service, events::EventLog& log,
                                   const std::string& run_id);

// The run as a RunSpec, for compute_recalculation().
RunSpec spec_of(const RunRecord& run);

}  // namespace oppgjor::care_fees
