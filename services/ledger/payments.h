// Payments as events (schema payments.ocr_batch_received): an OCR giro file from Nets /
// Mastercard Payment Services, checked whole by formats/ocr before anything is appended, becomes
// one event per batch of payments (batch_size_max), each payment with its transaction number,
// type, settlement date, amount and KID. The event ids come from the file's SHA-256 and the batch
// index, so importing the same file twice appends nothing the second time; each payment is also
// booked at most once by its reference (payment_ref) whatever file it came in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"
#include "events/engine_event.h"
#include "services/invoicing/billing_rules.h"

namespace oppgjor::ledger {

using common::Date;

inline constexpr std::string_view ocr_batch_type = "payments.ocr_batch_received";
inline constexpr std::size_t batch_size_max = 2000;

struct Payment {
  std::string payment_ref;  // "<transmission number>/<assignment number>/<transaction number>"
  std::int64_t transaction_number = 0;
  int transaction_type = 0;  // Nets transaksjonstype
  bool reversal = false;
  Date settlement_date;
  std::int64_t amount_ore = 0;
  std::string kid;  // "" when the payer gave none
  std::string archive_reference;
};

struct PaymentBatch {
  std::string file_sha256;
  std::string transmission_number;
  std::string assignment_number;
  std::int64_t batch_index = 0;
  std::int64_t batch_count = 0;
  std::int64_t file_payments = 0;
  std::int64_t file_amount_ore = 0;
  // The partition count the batch is decided for (1: whole). Written only when > 1.
  int partitions = 1;
  std::vector<Payment> payments;
};

std::string batch_payload(const PaymentBatch& batch);
Result<PaymentBatch> decode_batch(simdjson::dom::element payload);

// The events for an OCR giro file: parses and checks it whole (formats/ocr); an Error names the
// record and the reason and nothing is to be appended. The events' occurred_at is the file's Nets
// date (record 89), so the same file always gives the same events; `occurred_at` (the edge's
// import time) is used only for a file without one. `partitions` > 1: every batch names that
// partition count and is decided in as many parts (payment_part below); its stream and ids name
// the count.
Result<std::vector<events::EngineEvent>> ocr_file_events(std::string_view bytes,
                                                         std::string_view occurred_at,
                                                         int partitions = 1);

// The part of a batch decided in `parts` parts that books a payment with this KID: the invoice
// number a KID of one of `layouts` carries (customer number, invoice number, check character;
// the check character must be right), whose series s (invoice number / 10^7, docs/INVOICING.md:
// the customer's partition + 1) gives part s - 1. Part 0 for a KID that names no series in
// 1..parts, fits no layout or is missing (it is booked to suspense there, unless part 0 holds
// the invoice). Pure: the same KID always goes to the same part, in every mode.
int payment_part(std::string_view kid, int parts,
                 const std::vector<invoicing::KidAgreement>& layouts);

// The file's SHA-256 (hex) in groups of 8 separated by '.': a stream name may not hold a run of
// 11 digits (the envelope's personal-id check), which a bare hex digest sometimes does.
std::string file_key(std::string_view file_sha256);
// The stream of a file's batches: "payments/ocr.<file_key>" (a stream name has one '/': the
// envelope's pattern ^[a-z_]+/[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$), ".n<partitions>" after it
// when the batches are decided in parts.
std::string payment_stream(std::string_view file_sha256, int partitions = 1);

}  // namespace oppgjor::ledger
