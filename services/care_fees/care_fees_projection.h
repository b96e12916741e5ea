// CareFeesProjection: the care-fees read model (projection "care_fees"), folded from
//   care_fees.stay_started / stay_transferred / absence_registered / stay_ended,
//   care_fees.income_reported (provisional or final, per income year),
//   customers.customer_registered / customer_changed (registration, district),
//   rules.parameter_set (care_fees.* parameters, added to the shipped store with
//     ParameterStore::add),
//   invoicing.invoice_basis_received / invoicing.credit_basis_received with claim_type
//     nursing_home (what was charged, per resident and month),
//   care_fees.recalculation_started / approved / rejected (the runs).
//
// A business rejection found while folding (a discharge before admission, an unknown stay) is
// kept as a Rejection row with a stable code naming the field (errors.h); folding never stops on
// business data. apply() depends on the order within each stream only.
//
// Rows (emit(), strictly increasing keys, canonical JSON values):
//   rejection/<customer_id or "parameters">/<event_id>  {code, field, message, type}
//   resident/<customer_id>  {charged, customer_id, district, due_for_recalculation, income,
//                            registered, stays}
//   run/<run_id>            {approved_by, as_of_sequence, district, reason, rejected_by,
//                            report_sha256, started_by, status, year}
//
// How a nursing_home basis is attributed to months: the engine's own bases carry
// trace.months = [{"month": "2025-03", "amount_ore": 1384600}, ...]; otherwise a credit basis
// line with its own period goes to that period's first month, and anything else to the month of
// period.from (totalbelop_ore). A credit counts negative.
//
// Not thread-safe; one instance per fold.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "replay/projection.h"
#include "services/care_fees/care_fees_state.h"

namespace oppgjor::care_fees {

inline constexpr std::string_view care_fees_projection_name = "care_fees";
inline constexpr std::string_view run_stream_prefix = "care_fees_run/";

class CareFeesProjection final : public replay::Projection {
 public:
  // `parameters`: the shipped store (builtin_parameters()); events are added on top.
  explicit CareFeesProjection(ParameterStore parameters);

  std::string_view name() const override { return care_fees_projection_name; }
  bool wants(std::string_view type) const override;
  Status apply(const events::EventView& e, simdjson::dom::element payload) override;
  void emit(replay::RowSink& sink) const override;

  const CareFeesState& state() const { return state_; }

  // For the service (care_fees_service.h): keep income reports and parameter events as they
  // came, so the state can be saved; restore a saved state into this (fresh) projection.
  void keep_raw_inputs() { state_.keep_raw_inputs = true; }
  Status load(std::string_view snapshot);

 private:
  CareFeesState state_;
};

// A projection over builtin_parameters(); when the shipped data cannot be loaded (a build defect)
// the store is empty and every calculation reports parameter_missing.
std::unique_ptr<CareFeesProjection> make_care_fees_projection();

// The event types the projection folds.
std::vector<std::string> projection_input_types();

}  // namespace oppgjor::care_fees
