// The invoicing service (invoicing_service.h).
#include "services/invoicing/invoicing_service.h"

#include "events/canonical_json.h"
#include "services/runtime/commands.h"

namespace oppgjor::invoicing {

namespace {

events::EngineEvent refusal_event(const events::EventView& e, simdjson::dom::element p,
                                  const Error& why) {
  std::string customer;
  std::string ordrenummer;
  std::string_view v;
  if (p["customer_id"].get(v) == simdjson::SUCCESS) customer = std::string(v);
  if (p["ordrenummer"].get(v) == simdjson::SUCCESS) ordrenummer = std::string(v);
  std::string payload;
  events::CanonicalWriter w(payload);
  w.begin_object();
  w.field("basis_event_id", e.event_id);
  w.field("basis_type", e.type);
  w.field("code", why.code);
  w.field("customer_id", customer);
  w.field("field", why.field);
  w.field("message", why.message);
  w.field("ordrenummer", ordrenummer);
  w.end_object();
  events::EngineEvent out;
  out.type = std::string(basis_refused_type);
  out.stream = document_stream(customer.empty() ? "unknown" : customer);
  out.occurred_at = std::string(e.occurred_at);
  out.payload_json = std::move(payload);
  return out;
}

class InvoicingProjection final : public replay::Projection {
 public:
  InvoicingProjection() : state_(BillingRules::builtin()) {}
  std::string_view name() const override { return projection_name; }
  bool wants(std::string_view type) const override { return InvoicingState::folds(type); }
  Status apply(const events::EventView& e, simdjson::dom::element payload) override {
    return state_.fold(e, payload);
  }
  void emit(replay::RowSink& sink) const override { state_.emit(sink); }

 private:
  InvoicingState state_;
};

}  // namespace

std::string document_stream(std::string_view customer_id) {
  return "invoicing/" + std::string(customer_id);
}

std::string InvoicingService::state_version() const {
  return "invoicing.state.4/" + state_.rules().rule_version();
}

std::vector<std::string> InvoicingService::input_types() const {
  return {"customers.customer_registered", "customers.customer_changed",
          std::string(invoice_basis_type), std::string(credit_basis_type),
          std::string(run_requested_type)};
}

bool InvoicingService::decides(std::string_view type) const {
  return type == invoice_basis_type || type == credit_basis_type || type == run_requested_type;
}

int InvoicingService::parts(const events::EventView& e, simdjson::dom::element p) const {
  if (e.type != run_requested_type) return 1;
  std::int64_t n = 1;
  if (p["partitions"].get(n) != simdjson::SUCCESS) return 1;
  return n > 1 && n <= runtime::parts_max ? static_cast<int>(n) : 1;
}

Result<std::vector<events::EngineEvent>> InvoicingService::decide(const events::EventView& e,
                                                                  simdjson::dom::element p,
                                                                  runtime::Part part) const {
  std::vector<events::EngineEvent> out;
  if (e.type == invoice_basis_type || e.type == credit_basis_type) {
    const BasisKind kind = e.type == invoice_basis_type ? BasisKind::invoice : BasisKind::credit;
    auto basis = state_.check_basis(kind, e.event_id, p);
    if (!basis) out.push_back(refusal_event(e, p, basis.error()));
    return out;
  }
  if (e.actor.empty()) {
    out.push_back(runtime::refused_event(
        service_name, e,
        make_error("actor_missing", "actor",
                   "kommandoen har ingen bruker (actor); den blir ikke utført"),
        part));
    return out;
  }
  auto request = decode_run_request(p, e.event_id);
  if (!request) {
    out.push_back(runtime::refused_event(service_name, e, request.error(), part));
    return out;
  }
  auto plan = plan_run(state_, *request, part);
  if (!plan) {
    out.push_back(runtime::refused_event(service_name, e, plan.error(), part));
    return out;
  }
  for (const Invoice& inv : plan->documents) {
    events::EngineEvent doc;
    doc.type = std::string(invoice_issued_type);
    doc.stream = document_stream(inv.customer_id);
    doc.occurred_at = std::string(e.occurred_at);
    doc.payload_json = invoice_payload(inv);
    out.push_back(std::move(doc));
  }
  runtime::Completion done;
  done.part = part;
  done.counts = {{"invoices", plan->invoices},
                 {"credit_notes", plan->credit_notes},
                 {"customers", plan->customers},
                 {"negative_total", plan->negative_total}};
  done.amounts = {{"invoiced_ore", plan->invoiced_ore}, {"credited_ore", plan->credited_ore}};
  done.refs = {{"period", request->period}, {"run_id", request->run_id}};
  std::string note = "Fakturakjøring " + request->period + ": " + std::to_string(plan->invoices) +
                     " fakturaer, " + std::to_string(plan->credit_notes) + " kreditnotaer.";
  for (const auto& n : plan->notes) note += "\n" + n;
  done.note = std::move(note);
  out.push_back(runtime::completed_event(service_name, e, done));
  return out;
}

Result<RunPlan> preview_run(const InvoicingService& service, simdjson::dom::element payload,
                            std::string_view run_id) {
  auto request = decode_run_request(payload, run_id);
  if (!request) return request.error();
  RunPlan all;
  for (int p = 0; p < request->partitions; ++p) {
    auto plan = plan_run(service.state(), *request, runtime::Part{p, request->partitions});
    if (!plan) return plan.error();
    for (auto& d : plan->documents) all.documents.push_back(std::move(d));
    all.invoices += plan->invoices;
    all.credit_notes += plan->credit_notes;
    all.customers += plan->customers;
    all.negative_total += plan->negative_total;
    all.invoiced_ore += plan->invoiced_ore;
    all.credited_ore += plan->credited_ore;
    for (auto& n : plan->notes) all.notes.push_back(std::move(n));
  }
  return all;
}

std::unique_ptr<InvoicingService> make_invoicing_service() {
  return std::make_unique<InvoicingService>(BillingRules::builtin());
}

std::unique_ptr<replay::Projection> make_invoicing_projection() {
  return std::make_unique<InvoicingProjection>();
}

}  // namespace oppgjor::invoicing
