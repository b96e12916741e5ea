// An invoice or credit note as the invoicing service issues it (event invoicing.invoice_issued,
// schemas/README.md): the one model, the one payload writer and the one decoder, shared by the
// invoicing service, the ledger and the exports (EHF, reports). Money in øre (int64); nothing is
// ever edited once issued — a correction is a credit note that names the invoice (credit_of).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"

namespace oppgjor::invoicing {

using common::Date;

inline constexpr std::string_view invoice_issued_type = "invoicing.invoice_issued";

enum class DocumentKind { invoice, credit_note };
std::string_view document_kind_name(DocumentKind kind);  // "invoice", "credit_note"

struct InvoiceLine {
  std::string ordrenummer;  // the basis the line came from
  std::string issuer;       // its fakturautsteder
  std::string product_code;
  std::string text;
  std::string unit;      // "" when the basis gave none
  std::string quantity;  // decimal string as in the basis
  std::int64_t unit_price_ore = 0;
  std::int64_t amount_ore = 0;  // net; positive on a credit note too (what is credited)
  std::string vat_code;
  std::string vat_category;
  std::int64_t vat_ore = 0;
  std::string account;  // income account (KOSTRA art) credited on an invoice
  std::string function;
  std::string responsibility;
};

struct Invoice {
  DocumentKind kind = DocumentKind::invoice;
  std::string invoice_number;  // series × 10^7 + sequence, as a string
  int series = 0;              // 1-based; the partition of the customer + 1 (docs/INVOICING.md)
  std::int64_t sequence = 0;   // gapless within the series
  std::string customer_id;
  std::string claim_type;
  std::string kid;  // "" on a credit note for no invoice
  Date issue_date;
  Date due_date;
  Date period_from;
  Date period_to;
  std::optional<std::string> credit_of;  // credit note: the invoice it corrects
  std::vector<InvoiceLine> lines;
  std::int64_t net_ore = 0;
  std::int64_t vat_ore = 0;
  std::int64_t total_ore = 0;
  std::vector<std::string> basis_event_ids;
  std::string run_id;
  std::string rule_version;
};

inline constexpr std::int64_t series_block = 10'000'000;  // numbers per series
std::string invoice_number_of(int series, std::int64_t sequence);

// The invoicing.invoice_issued payload (canonical JSON). REQUIRES: totals are the sums of the
// lines (asserted: an invoice whose lines and totals disagree is never written).
std::string invoice_payload(const Invoice& invoice);
// What decode_invoice reads: the whole document, or its header only — everything but `lines`
// and `basis_event_ids`, which stay empty (the ledger's open items and collection's claims need
// no more, and an invoice run folds each document in three services).
enum class InvoiceParts { whole, header };
// The one decoder (error names the field; an engine event that fails it is a bug).
Result<Invoice> decode_invoice(simdjson::dom::element payload,
                               InvoiceParts parts = InvoiceParts::whole);

}  // namespace oppgjor::invoicing
