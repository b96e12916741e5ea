// The ledger service on the runtime (services/runtime/service.h, docs/INVOICING.md "The ledger").
//
// Consumes invoicing.invoice_issued, the invoicing service's service.command_completed,
// payments.ocr_batch_received and the command payments.allocation_requested. Decides
// ledger.transactions_posted events whose every transaction balances (asserted, always on, before
// it is written), one transaction per document or payment:
//   documents       → when the invoicing service answers the command that issued them (a run, or
//                     one part of it: service.command_completed), every document the command
//                     issued, in issue order, postings_per_event transactions per event, stream
//                     ledger/documents.<command event id>[.p<part>]. Each document is decided as
//                     if alone, in issue order: it sees the earlier ones' effects, never the later
//                     ones (an invoice run of 60,000 posts in 30 events, not 60,000).
//   an invoice      → D receivables total; C income per account (the lines' art); C VAT payable.
//                     A credit balance the customer has in the claim family is set off against it.
//   a credit note   → the reverse; it settles the invoice it credits, the rest is set off against
//                     the customer's oldest open items of the claim family, then a credit balance.
//   a payment batch → per payment, matched by KID: D bank, C receivables; settles the KID's
//                     invoice, an overpayment is set off against the customer's oldest open items
//                     of the same claim family (due date order), the rest is a credit balance.
//                     No or unknown KID: D bank, C suspense, with the reason. A reversal (Nets
//                     types 18 and 20) re-opens the KID's invoice (D receivables, C bank). A
//                     payment already booked (same payment_ref) books nothing (counted).
//                     Decided in parts when the batch names `partitions` (parts() below).
//   an allocation   → D suspense, C receivables, applied like a payment; refused (with code and
//                     field) for an unknown or already allocated suspense item or invoice.
//   a refund        → payments.refund_requested / refund_decided (refunds.h): recorded pending,
//                     then on approval by another person D receivables, C bank.
#pragma once

#include <memory>
#include <string>

#include "services/ledger/ledger_state.h"
#include "services/runtime/service.h"

namespace oppgjor::ledger {

inline constexpr std::string_view service_name = "ledger";
inline constexpr std::string_view projection_name = "ledger";
// Transactions per ledger.transactions_posted of a command's documents (the schema allows 2,000:
// 500 keeps an event near half a MiB, so the parsers of every service that reads it stay small;
// at 2,000 each grew by tens of MiB of fresh memory, docs/PERFORMANCE.md).
inline constexpr std::size_t postings_per_event = 500;

// A payment batch's decision (ocr_batch_type): each payment booked by its KID, in file order, as
// one ledger.transactions_posted. `two_threads`: whether a large batch may be decided on two
// threads, its payments shared out by customer (the service always lets it); the same event
// either way, which the tests check.
Result<std::vector<events::EngineEvent>> decide_payment_batch(const LedgerState& s,
                                                              const events::EventView& e,
                                                              simdjson::dom::element payload,
                                                              runtime::Part part,
                                                              bool two_threads = true);

class LedgerService final : public runtime::Service {
 public:
  explicit LedgerService(const invoicing::BillingRules& rules) : state_(rules) {}

  std::string_view name() const override { return service_name; }
  std::string state_version() const override;
  std::vector<std::string> input_types() const override;
  bool decides(std::string_view type) const override;
  // A payment batch that names `partitions` N is decided in N parts: part p books the payments
  // whose KID names an invoice of series p + 1 (payments.h payment_part), so on Kafka the owner
  // of partition p books exactly its customers' payments. A batch spans customers: on Kafka one
  // without the topic's count is refused by every partition.
  int parts(const events::EventView& e, simdjson::dom::element payload) const override;
  bool spans_customers(std::string_view type) const override;
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

  const LedgerState& state() const { return state_; }

 private:
  LedgerState state_;
};

std::unique_ptr<LedgerService> make_ledger_service();
std::unique_ptr<replay::Projection> make_ledger_projection();

}  // namespace oppgjor::ledger
