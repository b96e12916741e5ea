// A ledger transaction (event ledger.transactions_posted, schemas/README.md): one balanced
// double-entry posting in øre, with what it did to the customer ledger (reskontro): the open
// items it settled or re-opened, a customer credit balance, a suspense item. The fold applies
// exactly this, never decides again, so a state rebuilt from the log is the state the decisions
// were made from. The one model, writer and decoder.
#pragma once

#include <cstdint>
#include <functional>
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
// Version 2 of the event adds the compact payment row (below); the ledger writes it for a payment
// batch's posting that holds one, version 1 otherwise. Both are folded.
inline constexpr std::int64_t transactions_posted_compact_version = 2;

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

Entry debit(const std::string& account, std::int64_t amount);
Entry credit(const std::string& account, std::int64_t amount);

// Debits equal credits, every entry one-sided and non-negative, at least two entries.
bool balances(const Transaction& tx);
// Writes one transaction object. REQUIRES: balances(tx) — asserted (always on): the process
// stops before it writes a transaction that does not balance.
void write_transaction(events::CanonicalWriter& w, const Transaction& tx);
Result<Transaction> decode_transaction(simdjson::dom::element e, const std::string& field);

// --- The compact payment row (ledger.transactions_posted v2) ----------------------------------
// A payment batch books most payments the same way: a payment matched by KID, D bank and
// C receivables, for the customer and KID of the invoice it pays. Such a payment is written as
// {payment_ref, date, invoice_number, amount_ore, applications[, credit_balance_ore]}, with the two
// accounts once per event (payment_accounts); everything else in the transaction follows from
// those and from the invoice, whose customer, KID and claim family never change once issued.
// Expanding a row gives back exactly the transaction that was decided (CompactPayment tests).

inline constexpr std::string_view payment_id_prefix = "payment/";
std::string payment_transaction_id(std::string_view payment_ref);  // "payment/<payment_ref>"
std::string payment_text(std::string_view invoice_number);  // "Innbetaling, faktura <number>"
// id == payment_transaction_id(payment_ref), text == payment_text(invoice_number), with no copy.
bool is_payment_transaction_id(std::string_view id, std::string_view payment_ref);
bool is_payment_text(std::string_view text, std::string_view invoice_number);

struct PaymentAccounts {
  std::string bank;
  std::string receivables;
};
// What a compact row takes from the invoice it pays (the ledger's open item; views into it).
struct Payee {
  std::string_view customer_id;
  std::string_view kid;
  std::string_view claim_family;
};
// The payee of an invoice number; nullopt when the ledger holds no such invoice.
using PayeeOf = std::function<std::optional<Payee>(std::string_view invoice_number)>;

// True when `tx` is written compact on `accounts` and expands back to itself for `payee`.
bool fits_compact_payment(const Transaction& tx, const PaymentAccounts& accounts,
                          const Payee& payee);
// REQUIRES: fits_compact_payment(tx, accounts, payee) — asserted (always on).
void write_compact_payment(events::CanonicalWriter& w, const Transaction& tx,
                           const PaymentAccounts& accounts, const Payee& payee);
void write_payment_accounts(events::CanonicalWriter& w, const PaymentAccounts& accounts);

// A row of `transactions` that is a compact payment (it has a payment_ref and no kind).
bool is_compact_payment(simdjson::dom::element row);

// A compact payment row as written: views of the payload it was read from. `applications` views
// the reader's own list, good until the next row.
struct CompactPaymentRow {
  std::size_t index = 0;  // its place in `transactions`, for errors that name the row
  std::string_view payment_ref;
  Date date;
  std::string_view invoice_number;
  std::int64_t amount_ore = 0;  // > 0, = the applications + credit_balance_ore (checked)
  std::int64_t credit_balance_ore = 0;
  struct Applied {
    std::string_view invoice_number;
    std::int64_t amount_ore = 0;
  };
  const std::vector<Applied>* applications = nullptr;
};
// The error of a compact row whose invoice the ledger does not hold: "item_unknown", naming the
// row's invoice_number.
Error compact_payee_unknown(const CompactPaymentRow& row);
// The transaction a compact row stands for, with the invoice's payee: exactly what was decided.
Transaction expand_compact_payment(const CompactPaymentRow& row, const PaymentAccounts& accounts,
                                   const Payee& payee);
// A row's transaction id, whichever its form; "" when it has none.
std::string posted_transaction_id(simdjson::dom::element row);

// Every transaction of a ledger.transactions_posted payload (v1 or v2), in order, compact rows
// expanded with `payee_of`; stops at the first Error `fn` returns. Errors name the row
// ("transactions[i].…"): a row that does not decode, a compact row without payment_accounts or
// for an invoice `payee_of` does not know.
Status for_each_posted(simdjson::dom::element payload, const PayeeOf& payee_of,
                       const std::function<Status(Transaction&&)>& fn);
// The same rows, a compact one unexpanded, with the event's payment accounts (the ledger's fold
// applies it as it stands: no transaction built per payment); the others decoded whole.
Status for_each_posted_row(
    simdjson::dom::element payload,
    const std::function<Status(const CompactPaymentRow&, const PaymentAccounts&)>& compact,
    const std::function<Status(Transaction&&)>& whole);

}  // namespace oppgjor::ledger
