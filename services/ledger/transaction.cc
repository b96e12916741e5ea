// Ledger transactions: writer and decoder (transaction.h).
#include "services/ledger/transaction.h"

#include "common/assert.h"
#include "events/json_fields.h"

namespace oppgjor::ledger {

namespace {

using events::get_int;
using events::get_text;

constexpr std::pair<TxKind, std::string_view> kind_names[] = {
    {TxKind::invoice, "invoice"},
    {TxKind::credit_note, "credit_note"},
    {TxKind::payment, "payment"},
    {TxKind::reversal, "reversal"},
    {TxKind::unmatched, "unmatched"},
    {TxKind::allocation, "allocation"},
    {TxKind::collection_fee, "collection_fee"},
    {TxKind::late_interest, "late_interest"},
    {TxKind::write_off, "write_off"},
    {TxKind::refund, "refund"}};

}  // namespace

std::string_view tx_kind_name(TxKind kind) {
  for (const auto& [k, name] : kind_names) {
    if (k == kind) return name;
  }
  OPPGJOR_ASSERT(false, "every transaction kind has a name");
  return {};
}

std::optional<TxKind> parse_tx_kind(std::string_view name) {
  for (const auto& [k, n] : kind_names) {
    if (n == name) return k;
  }
  return std::nullopt;
}

bool balances(const Transaction& tx) {
  if (tx.entries.size() < 2) return false;
  std::int64_t debit = 0;
  std::int64_t credit = 0;
  for (const auto& e : tx.entries) {
    if (e.debit_ore < 0 || e.credit_ore < 0) return false;
    if ((e.debit_ore == 0) == (e.credit_ore == 0)) return false;  // exactly one side
    debit += e.debit_ore;
    credit += e.credit_ore;
  }
  return debit == credit;
}

void write_transaction(events::CanonicalWriter& w, const Transaction& tx) {
  OPPGJOR_ASSERT(balances(tx),
                 "a ledger transaction balances (debits = credits) before it is written");
  w.begin_object();
  if (!tx.applications.empty()) {
    w.key("applications");
    w.begin_array();
    for (const auto& a : tx.applications) {
      w.begin_object();
      w.field_int("amount_ore", a.amount_ore);
      w.field("invoice_number", a.invoice_number);
      w.end_object();
    }
    w.end_array();
  }
  if (!tx.claim_family.empty()) w.field("claim_family", tx.claim_family);
  if (tx.credit_balance_ore != 0) w.field_int("credit_balance_ore", tx.credit_balance_ore);
  if (!tx.customer_id.empty()) w.field("customer_id", tx.customer_id);
  w.field("date", tx.date.to_iso());
  w.key("entries");
  w.begin_array();
  for (const auto& e : tx.entries) {
    w.begin_object();
    w.field("account", e.account);
    w.field_int("credit_ore", e.credit_ore);
    w.field_int("debit_ore", e.debit_ore);
    if (!e.function.empty()) w.field("function", e.function);
    if (!e.responsibility.empty()) w.field("responsibility", e.responsibility);
    w.end_object();
  }
  w.end_array();
  if (!tx.invoice_number.empty()) w.field("invoice_number", tx.invoice_number);
  if (!tx.kid.empty()) w.field("kid", tx.kid);
  w.field("kind", tx_kind_name(tx.kind));
  if (!tx.payment_ref.empty()) w.field("payment_ref", tx.payment_ref);
  if (!tx.suspense_id.empty()) w.field("suspense_id", tx.suspense_id);
  if (tx.suspense_ore != 0) w.field_int("suspense_ore", tx.suspense_ore);
  if (!tx.suspense_reason.empty()) w.field("suspense_reason", tx.suspense_reason);
  w.field("text", tx.text);
  w.field("transaction_id", tx.transaction_id);
  w.end_object();
}

Result<Transaction> decode_transaction(simdjson::dom::element e, const std::string& field) {
  const auto bad = [&](const char* what) {
    return make_error("transaction_invalid", field + "." + what,
                      "ledger transaction: " + std::string(what) + " is missing or invalid");
  };
  Transaction tx;
  std::string kind;
  if (!get_text(e, "kind", kind)) return bad("kind");
  auto k = parse_tx_kind(kind);
  if (!k) return bad("kind");
  tx.kind = *k;
  if (!get_text(e, "transaction_id", tx.transaction_id)) return bad("transaction_id");
  std::string date;
  if (!get_text(e, "date", date)) return bad("date");
  auto d = Date::parse(date);
  if (!d) return bad("date");
  tx.date = *d;
  get_text(e, "customer_id", tx.customer_id);
  get_text(e, "claim_family", tx.claim_family);
  get_text(e, "invoice_number", tx.invoice_number);
  get_text(e, "kid", tx.kid);
  get_text(e, "text", tx.text);
  get_text(e, "suspense_id", tx.suspense_id);
  get_text(e, "suspense_reason", tx.suspense_reason);
  get_text(e, "payment_ref", tx.payment_ref);
  get_int(e, "credit_balance_ore", tx.credit_balance_ore);
  get_int(e, "suspense_ore", tx.suspense_ore);
  simdjson::dom::array list;
  if (e["entries"].get(list) != simdjson::SUCCESS) return bad("entries");
  for (simdjson::dom::element x : list) {
    Entry entry;
    if (!get_text(x, "account", entry.account) || !get_int(x, "debit_ore", entry.debit_ore) ||
        !get_int(x, "credit_ore", entry.credit_ore)) {
      return bad("entries");
    }
    get_text(x, "function", entry.function);
    get_text(x, "responsibility", entry.responsibility);
    tx.entries.push_back(std::move(entry));
  }
  if (e["applications"].get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element x : list) {
      Application a;
      if (!get_text(x, "invoice_number", a.invoice_number) ||
          !get_int(x, "amount_ore", a.amount_ore)) {
        return bad("applications");
      }
      tx.applications.push_back(std::move(a));
    }
  }
  if (!balances(tx)) {
    return make_error("transaction_unbalanced", field + ".entries",
                      "ledger transaction " + tx.transaction_id + " does not balance");
  }
  return tx;
}

}  // namespace oppgjor::ledger
