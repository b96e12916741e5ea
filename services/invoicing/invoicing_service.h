// The invoicing service on the runtime (services/runtime/service.h, docs/INVOICING.md).
//
// Consumes customers.*, invoicing.invoice_basis_received / credit_basis_received and the
// command invoicing.run_requested. Decides:
//   a basis            → nothing when it passes the checks (basis.h, invoicing_state.h), else
//                        invoicing.basis_refused naming the field (the basis is never invoiced);
//   invoicing.run_requested (actor required; in parts when it names `partitions`)
//                      → one invoicing.invoice_issued per invoice and credit note (invoice_run.h)
//                        and service.command_completed (counts invoices, credit_notes, customers,
//                        negative_total; amounts invoiced_ore, credited_ore), or
//                        service.command_refused.
// Outputs go to stream invoicing/<customer_id> (documents, refusals of a basis).
#pragma once

#include <memory>
#include <string>

#include "services/invoicing/invoice_run.h"
#include "services/invoicing/invoicing_state.h"
#include "services/runtime/service.h"

namespace oppgjor::invoicing {

inline constexpr std::string_view service_name = "invoicing";
inline constexpr std::string_view projection_name = "invoicing";

std::string document_stream(std::string_view customer_id);

class InvoicingService final : public runtime::Service {
 public:
  explicit InvoicingService(const BillingRules& rules) : state_(rules) {}

  std::string_view name() const override { return service_name; }
  std::string state_version() const override;
  std::vector<std::string> input_types() const override;
  bool decides(std::string_view type) const override;
  bool spans_customers(std::string_view type) const override { return type == run_requested_type; }
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
  Status load_image(std::string_view snapshot, const std::shared_ptr<const void>& keep) override {
    return state_.load(snapshot, keep);
  }
  void emit(replay::RowSink& sink) const override { state_.emit(sink); }

  const InvoicingState& state() const { return state_; }

 private:
  InvoicingState state_;
};

std::unique_ptr<InvoicingService> make_invoicing_service();

// What a run would issue (every part, from the service's current state) without appending
// anything: `oppgjor invoice run --dry-run`. The Error is the refusal the run would get.
Result<RunPlan> preview_run(const InvoicingService& service, simdjson::dom::element payload,
                            std::string_view run_id);

// The read model "invoicing" for replay: the same state folded from the log.
std::unique_ptr<replay::Projection> make_invoicing_projection();

}  // namespace oppgjor::invoicing
