// A ledger transaction (event ledger.transactions_posted, schemas/README.md): one balanced
// double-entry posting in øre, with what it did to the customer ledger (reskontro): the open
// items it settled or re-opened, a customer credit balance, a suspense item. The fold applies
// exactly this, never decides again, so a state rebuilt from the log is the state the decisions
// were made from. The one model, writer and decoder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"
#include "events/canonical_json.h"

namespace oppgjor::ledger {

using common::Date;

inline constexpr std::string_view transactions_posted_type = "ledger.transactions_posted";

// collection_fee, late_interest and write_off post what the collection service decided
// (collection.notice_sent's fee, collection.interest_charged, collection.claim_written_off).
enum class TxKind {
  invoice,
  credit_note,
  payment,
  reversal,
  unmatched,
  allocation,
  collection_fee,
  late_interest,
  write_off,
  refund  // an approved refund of a credit balance (refunds.h): D receivables, C bank
};
std::string_view tx_kind_name(TxKind kind);
std::optional<TxKind> parse_tx_kind(std::string_view name);

struct Entry {
  std::string account;
  std::string function;        // KOSTRA funksjon of an income entry ("" when none)
  std::string responsibility;  // ansvar (cost centre) of an income entry ("" when none)
  std::int64_t debit_ore = 0;
  std::int64_t credit_ore = 0;
};

// An open item's change: amount_ore > 0 settles (reduces what is open), < 0 re-opens.
struct Application {
  std::string invoice_number;
  std::int64_t amount_ore = 0;
};

struct Transaction {
  std::string transaction_id;  // stable: "<kind>/<reference>"
  TxKind kind = TxKind::invoice;
  Date date;                   // booking date: issue date, settlement date, allocation date
  std::string customer_id;     // "" for a payment in suspense
  std::string claim_family;    // for credit balances; "" when none
  std::string invoice_number;  // the document posted or paid
  std::string kid;
  std::string text;
  std::vector<Entry> entries;
  std::vector<Application> applications;
  std::int64_t credit_balance_ore = 0;  // added to the customer's credit balance (family)
  std::string suspense_id;              // payment put in or taken out of suspense
  std::string suspense_reason;          // when put in suspense
  std::int64_t suspense_ore = 0;        // > 0 into suspense, < 0 out of it
  std::string payment_ref;              // OCR: "<file sha256 prefix>/<transaction number>"
};

// Debits equal credits, every entry one-sided and non-negative, at least two entries.
bool balances(const Transaction& tx);
// Writes one transaction object. REQUIRES: balances(tx) — asserted (always on): the process
// stops before it writes a transaction that does not balance.
void write_transaction(events::CanonicalWriter& w, const Transaction& tx);
Result<Transaction> decode_transaction(simdjson::dom::element e, const std::string& field);

}  // namespace oppgjor::ledger
