// The invoicing service's state (docs/INVOICING.md): registered customers, the invoice and credit
// bases accepted and not yet invoiced, the invoices issued, the last number of each series and
// the refusals. Folded from
//   customers.customer_registered / customer_changed,
//   invoicing.invoice_basis_received / credit_basis_received (accepted when the checks in
//     check_basis() pass; a refusal the service recorded, invoicing.basis_refused, wins),
//   invoicing.invoice_issued (the bases it names leave the open set; the series advances).
// Order matters only within a customer's streams (projection.h contract).
//
// Not thread-safe; one instance per fold.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "events/envelope.h"
#include "replay/projection.h"
#include "services/invoicing/basis.h"
#include "services/invoicing/billing_rules.h"
#include "services/invoicing/invoice.h"
#include "services/invoicing/order_keys.h"
#include "services/runtime/snapshot_sink.h"

namespace oppgjor::invoicing {

inline constexpr std::string_view basis_refused_type = "invoicing.basis_refused";
inline constexpr std::string_view run_requested_type = "invoicing.run_requested";
inline constexpr std::string_view invoice_basis_type = "invoicing.invoice_basis_received";
inline constexpr std::string_view credit_basis_type = "invoicing.credit_basis_received";

struct Customer {
  std::string customer_id;
  std::string kind;  // person | organisation
  std::string name;
  std::string organisation_number;  // organisations only
  std::string street, postal_code, city;
  std::string district;
};

// An open basis as the state keeps it: what the checks, a run's selection and the rows read, and
// its payload as received. Its lines are decoded when a run takes it (decode()), not when a
// snapshot is loaded, so a state of a million open bases comes up without decoding one, and
// without a copy of its text (docs/PERFORMANCE.md). Valid while the state holding it lives.
struct OpenBasis {
  BasisKind kind = BasisKind::invoice;
  // Views of bytes the state keeps: its loaded snapshot's (for a basis that came with it), or
  // those `storage` holds (a basis folded here, or a loaded one whose fields were escaped).
  std::string_view event_id;
  std::string_view issuer;  // fakturautsteder
  std::string_view ordrenummer;
  std::string_view claim_type;
  Date period_from;
  Date period_to;
  std::int64_t total_ore = 0;
  std::string_view payload;  // canonical JSON, as received
  std::shared_ptr<const void> storage;

  // The basis whole: decode_basis of the payload, which passed it when the basis was folded (the
  // same rule data: the service's state_version names it), so an Error here is a bug.
  Result<Basis> decode(simdjson::dom::parser& parser, const BillingRules& rules) const;
};

struct Refusal {
  std::string event_id;  // the basis refused
  std::string customer_id;
  std::string ordrenummer;
  Error why;
};

class InvoicingState {
 public:
  explicit InvoicingState(const BillingRules& rules) : rules_(&rules) {}

  static bool folds(std::string_view type);
  Status fold(const events::EventView& e, simdjson::dom::element payload);

  // The checks a basis must pass, against this state (before the basis is folded): the decoded
  // basis, or the refusal naming the field.
  Result<Basis> check_basis(BasisKind kind, std::string_view event_id,
                            simdjson::dom::element payload) const;

  const BillingRules& rules() const { return *rules_; }
  const std::map<std::string, Customer>& customers() const { return customers_; }
  // Open bases per customer, in log order.
  const std::map<std::string, std::vector<OpenBasis>, std::less<>>& open_bases() const {
    return open_;
  }
  const std::map<std::string, Invoice>& invoices() const { return invoices_; }
  // "<issuer>/<ordrenummer>" → invoice number, for every invoiced basis.
  const std::map<std::string, std::string>& invoiced_in() const { return invoiced_in_; }
  std::int64_t last_sequence(int series) const;
  int series_count() const { return series_count_; }
  const std::map<std::string, Refusal>& refusals() const { return refusals_; }

  void emit(replay::RowSink& sink) const;

  // The whole state as canonical JSON, and back (REQUIRES: a fresh state; the same rule data —
  // the service's state_version names it).
  std::string save() const;
  // save()'s bytes in pieces, through a reused buffer (runtime/snapshot_sink.h).
  void save_to(runtime::SnapshotSink& sink) const;
  Status load(std::string_view snapshot);
  // load(), keeping views into `snapshot` (the open bases' text, payloads and order keys)
  // instead of copies; the state holds `keep`, which keeps those bytes valid.
  Status load(std::string_view snapshot, std::shared_ptr<const void> keep);

 private:
  Status fold_basis(BasisKind kind, const events::EventView& e, simdjson::dom::element p);
  Status fold_refusal(simdjson::dom::element p);
  Status fold_invoice(const events::EventView& e, simdjson::dom::element p);
  // A snapshot's customer record and issued document record, parsed (load()).
  Status load_customer(simdjson::dom::element e);
  Status load_issued(simdjson::dom::element e);

  const BillingRules* rules_;
  std::map<std::string, Customer> customers_;
  // order_keys_, with the keys of the open bases a snapshot loaded added when first asked for
  // (a reading command never asks, so its load hashes no key).
  const OrderKeys& order_keys() const;

  // The order key (order_keys.h) of every accepted basis: of the documents' lines, of the bases
  // folded here and (once order_keys() has run) of the open bases loaded.
  mutable OrderKeys order_keys_;
  // The keys of the open bases a snapshot loaded are not in order_keys_ yet (order_keys() adds
  // those of the bases still open: views into image_).
  mutable bool open_keys_pending_ = false;
  // The loaded snapshot's bytes, which the open bases and order keys view.
  std::shared_ptr<const void> image_;
  std::map<std::string, std::vector<OpenBasis>, std::less<>> open_;
  std::map<std::string, Invoice> invoices_;
  std::map<std::string, std::string> invoiced_in_;
  std::map<int, std::int64_t> last_sequence_;
  int series_count_ = 0;
  std::map<std::string, Refusal> refusals_;  // by basis event id
};

std::string order_key(std::string_view issuer, std::string_view ordrenummer);

}  // namespace oppgjor::invoicing
