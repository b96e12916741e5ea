// Payments as events: OCR giro files → payments.ocr_batch_received (payments.h).
#include "services/ledger/payments.h"

#include "common/assert.h"
#include "common/identifiers.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "events/sha256.h"
#include "formats/ocr/ocr_giro.h"
#include "services/invoicing/invoice.h"
#include "services/runtime/two_threads.h"

namespace oppgjor::ledger {

namespace {

using events::get_int;
using events::get_text;

}  // namespace

std::string file_key(std::string_view file_sha256) {
  std::string out;
  for (std::size_t i = 0; i < file_sha256.size(); ++i) {
    if (i > 0 && i % 8 == 0) out += '.';
    out += file_sha256[i];
  }
  return out;
}

std::string payment_stream(std::string_view file_sha256, int partitions) {
  std::string out = "payments/ocr." + file_key(file_sha256);
  if (partitions > 1) out += ".n" + std::to_string(partitions);
  return out;
}

std::string batch_payload(const PaymentBatch& b) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("assignment_number", b.assignment_number);
  w.field_int("batch_count", b.batch_count);
  w.field_int("batch_index", b.batch_index);
  w.field_int("file_amount_ore", b.file_amount_ore);
  w.field_int("file_payments", b.file_payments);
  w.field("file_sha256", b.file_sha256);
  if (b.partitions > 1) w.field_int("partitions", b.partitions);
  w.key("payments");
  w.begin_array();
  for (const Payment& p : b.payments) {
    w.begin_object();
    w.field_int("amount_ore", p.amount_ore);
    w.field("archive_reference", p.archive_reference);
    w.field("kid", p.kid);
    w.field("payment_ref", p.payment_ref);
    w.field_int("reversal", p.reversal ? 1 : 0);
    w.field("settlement_date", p.settlement_date.to_iso());
    w.field_int("transaction_number", p.transaction_number);
    w.field_int("transaction_type", p.transaction_type);
    w.end_object();
  }
  w.end_array();
  w.field("transmission_number", b.transmission_number);
  w.end_object();
  return out;
}

Result<PaymentBatch> decode_batch(simdjson::dom::element p) {
  const auto bad = [](const std::string& field) {
    return make_error("payment_batch_invalid", field,
                      "payments batch: " + field + " is missing or invalid");
  };
  PaymentBatch b;
  if (!get_text(p, "file_sha256", b.file_sha256)) return bad("file_sha256");
  if (!get_text(p, "transmission_number", b.transmission_number)) return bad("transmission_number");
  if (!get_text(p, "assignment_number", b.assignment_number)) return bad("assignment_number");
  if (!get_int(p, "batch_index", b.batch_index)) return bad("batch_index");
  if (!get_int(p, "batch_count", b.batch_count)) return bad("batch_count");
  if (!get_int(p, "file_payments", b.file_payments)) return bad("file_payments");
  if (!get_int(p, "file_amount_ore", b.file_amount_ore)) return bad("file_amount_ore");
  std::int64_t partitions = 1;
  if (p["partitions"].get(partitions) == simdjson::SUCCESS) {
    if (partitions < 1 || partitions > 1024) return bad("partitions");
    b.partitions = static_cast<int>(partitions);
  }
  simdjson::dom::array list;
  if (p["payments"].get(list) != simdjson::SUCCESS) return bad("payments");
  b.payments.reserve(list.size());
  std::size_t i = 0;
  for (simdjson::dom::element e : list) {
    const std::string f = "payments[" + std::to_string(i++) + "]";
    Payment x;
    std::int64_t type = 0;
    std::int64_t reversal = 0;
    std::string date;
    if (!get_text(e, "payment_ref", x.payment_ref) ||
        !get_int(e, "transaction_number", x.transaction_number) ||
        !get_int(e, "transaction_type", type) || !get_int(e, "reversal", reversal) ||
        !get_text(e, "settlement_date", date) || !get_int(e, "amount_ore", x.amount_ore) ||
        !get_text(e, "kid", x.kid) || !get_text(e, "archive_reference", x.archive_reference)) {
      return bad(f);
    }
    auto d = Date::parse(date);
    if (!d) return bad(f + ".settlement_date");
    x.settlement_date = *d;
    x.transaction_type = static_cast<int>(type);
    x.reversal = reversal != 0;
    b.payments.push_back(std::move(x));
  }
  return b;
}

int payment_part(std::string_view kid, int parts,
                 const std::vector<invoicing::KidAgreement>& layouts) {
  if (parts <= 1 || kid.empty()) return 0;
  int found = -1;
  for (const invoicing::KidAgreement& l : layouts) {
    if (static_cast<int>(kid.size()) != l.length()) continue;
    if (!common::kid_check(l.scheme, kid)) continue;
    std::int64_t number = 0;
    for (char c : kid.substr(static_cast<std::size_t>(l.customer_digits),
                             static_cast<std::size_t>(l.invoice_digits))) {
      number = number * 10 + (c - '0');  // kid_check: digits only
    }
    const std::int64_t series = number / invoicing::series_block;
    const int part = series >= 1 && series <= parts ? static_cast<int>(series - 1) : 0;
    if (found >= 0 && found != part) return 0;  // layouts disagree: no part can claim it
    found = part;
  }
  return found < 0 ? 0 : found;
}

Result<std::vector<events::EngineEvent>> ocr_file_events(std::string_view bytes,
                                                         std::string_view occurred_at,
                                                         int partitions) {
  OPPGJOR_ASSERT(partitions >= 1 && partitions <= 1024, "a partition count out of range");
  namespace ocr = formats::ocr;
  auto file = ocr::parse_ocr_file(bytes);
  if (!file) return file.error();
  const std::string sha = events::sha256_hex(bytes);
  const ocr::Totals totals = ocr::transmission_totals(*file);

  std::vector<PaymentBatch> batches;
  for (ocr::Assignment& a : file->assignments) {
    PaymentBatch* current = nullptr;
    for (ocr::Transaction& t : a.transactions) {
      if (current == nullptr || current->payments.size() >= batch_size_max) {
        batches.emplace_back();
        current = &batches.back();
        current->file_sha256 = sha;
        current->transmission_number = file->transmission_number;
        current->assignment_number = a.assignment_number;
      }
      Payment p;
      p.transaction_number = t.number;
      p.payment_ref =
          file->transmission_number + "/" + a.assignment_number + "/" + std::to_string(t.number);
      p.transaction_type = ocr::transaction_type_code(t.type);
      p.reversal = t.is_reversal();
      p.settlement_date = t.nets_date;
      p.amount_ore = t.amount_ore;
      p.kid = std::move(t.kid);  // the parsed file is not read again
      p.archive_reference = std::move(t.archive_reference);
      current->payments.push_back(std::move(p));
    }
  }
  // Each batch's event is made on its own (batch_payload reads only its batch), so on two
  // threads, each into its own slot: the same events, in the same order.
  std::vector<events::EngineEvent> out(batches.size());
  const auto count = static_cast<std::int64_t>(batches.size());
  runtime::for_each_on_two_threads(batches.size(), 1, [&](std::size_t at) {
    const auto i = static_cast<std::int64_t>(at);
    PaymentBatch& b = batches[at];
    b.batch_index = i;
    b.batch_count = count;
    b.file_payments = totals.transactions;
    b.file_amount_ore = totals.amount_ore;
    b.partitions = partitions;
    const std::string parts = partitions > 1 ? "n" + std::to_string(partitions) + "/" : "";
    events::EngineEvent& e = out[at];
    e.event_id =
        events::deterministic_event_id("payments/ocr/" + sha + "/" + parts + std::to_string(i));
    e.type = std::string(ocr_batch_type);
    e.stream = payment_stream(sha, partitions);
    e.stream_version = i + 1;
    // The file's own business time, not the import's: the same file must give the same events
    // (same ids, same content) or a second import is an id conflict instead of a no-op.
    e.occurred_at =
        file->nets_date == common::Date() ? std::string(occurred_at) : file->nets_date.to_iso();
    e.source = "oppgjor.payments";
    e.payload_json = batch_payload(b);
    b = PaymentBatch{};  // its payments are in the payload now
  });
  return out;
}

}  // namespace oppgjor::ledger
