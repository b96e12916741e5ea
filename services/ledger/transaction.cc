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

// "applications": [...] when there are any.
void write_applications(events::CanonicalWriter& w, const std::vector<Application>& applications) {
  if (applications.empty()) return;
  w.key("applications");
  w.begin_array();
  for (const auto& a : applications) {
    w.begin_object();
    w.field_int("amount_ore", a.amount_ore);
    w.field("invoice_number", a.invoice_number);
    w.end_object();
  }
  w.end_array();
}

// A row's "applications", when it has any; false when one is malformed.
bool read_applications(simdjson::dom::element row, std::vector<Application>& out) {
  simdjson::dom::array list;
  if (row["applications"].get(list) != simdjson::SUCCESS) return true;
  for (simdjson::dom::element x : list) {
    Application a;
    if (!get_text(x, "invoice_number", a.invoice_number) ||
        !get_int(x, "amount_ore", a.amount_ore)) {
      return false;
    }
    out.push_back(std::move(a));
  }
  return true;
}

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

Entry debit(const std::string& account, std::int64_t amount) {
  Entry e;
  e.account = account;
  e.debit_ore = amount;
  return e;
}

Entry credit(const std::string& account, std::int64_t amount) {
  Entry e;
  e.account = account;
  e.credit_ore = amount;
  return e;
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
  write_applications(w, tx.applications);
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
  if (!read_applications(e, tx.applications)) return bad("applications");
  if (!balances(tx)) {
    return make_error("transaction_unbalanced", field + ".entries",
                      "ledger transaction " + tx.transaction_id + " does not balance");
  }
  return tx;
}

// --- compact payment rows ---------------------------------------------------------------------

std::string payment_transaction_id(std::string_view payment_ref) {
  std::string id(payment_id_prefix);
  id += payment_ref;
  return id;
}

namespace {

constexpr std::string_view payment_text_prefix = "Innbetaling, faktura ";

bool is_joined(std::string_view whole, std::string_view prefix, std::string_view rest) {
  return whole.size() == prefix.size() + rest.size() && whole.substr(0, prefix.size()) == prefix &&
         whole.substr(prefix.size()) == rest;
}

}  // namespace

std::string payment_text(std::string_view invoice_number) {
  std::string text(payment_text_prefix);
  text += invoice_number;
  return text;
}

bool is_payment_transaction_id(std::string_view id, std::string_view payment_ref) {
  return is_joined(id, payment_id_prefix, payment_ref);
}

bool is_payment_text(std::string_view text, std::string_view invoice_number) {
  return is_joined(text, payment_text_prefix, invoice_number);
}

namespace {

bool plain_entry(const Entry& e, const std::string& account, std::int64_t debit_ore,
                 std::int64_t credit_ore) {
  return e.account == account && e.debit_ore == debit_ore && e.credit_ore == credit_ore &&
         e.function.empty() && e.responsibility.empty();
}

}  // namespace

bool fits_compact_payment(const Transaction& tx, const PaymentAccounts& accounts,
                          const Payee& payee) {
  if (tx.kind != TxKind::payment || tx.payment_ref.empty() || tx.invoice_number.empty() ||
      tx.entries.size() != 2 || tx.credit_balance_ore < 0) {
    return false;
  }
  const std::int64_t amount = tx.entries[0].debit_ore;
  std::int64_t applied = tx.credit_balance_ore;
  for (const auto& a : tx.applications) {
    if (a.amount_ore <= 0) return false;
    applied += a.amount_ore;
  }
  return amount > 0 && applied == amount && plain_entry(tx.entries[0], accounts.bank, amount, 0) &&
         plain_entry(tx.entries[1], accounts.receivables, 0, amount) &&
         is_payment_transaction_id(tx.transaction_id, tx.payment_ref) &&
         is_payment_text(tx.text, tx.invoice_number) && tx.customer_id == payee.customer_id &&
         tx.kid == payee.kid &&
         tx.claim_family ==
             (tx.credit_balance_ore != 0 ? payee.claim_family : std::string_view()) &&
         tx.suspense_id.empty() && tx.suspense_reason.empty() && tx.suspense_ore == 0;
}

void write_compact_payment(events::CanonicalWriter& w, const Transaction& tx,
                           const PaymentAccounts& accounts, const Payee& payee) {
  OPPGJOR_ASSERT(balances(tx), "a ledger transaction balances before it is written");
  OPPGJOR_ASSERT(fits_compact_payment(tx, accounts, payee),
                 "a compact payment row expands back to the transaction decided");
  w.begin_object();
  w.field_int("amount_ore", tx.entries[0].debit_ore);
  write_applications(w, tx.applications);
  if (tx.credit_balance_ore != 0) w.field_int("credit_balance_ore", tx.credit_balance_ore);
  w.field("date", tx.date.to_iso());
  w.field("invoice_number", tx.invoice_number);
  w.field("payment_ref", tx.payment_ref);
  w.end_object();
}

void write_payment_accounts(events::CanonicalWriter& w, const PaymentAccounts& accounts) {
  w.key("payment_accounts");
  w.begin_object();
  w.field("bank", accounts.bank);
  w.field("receivables", accounts.receivables);
  w.end_object();
}

bool is_compact_payment(simdjson::dom::element row) {
  std::string_view ignored;
  return row["kind"].get(ignored) != simdjson::SUCCESS &&
         row["payment_ref"].get(ignored) == simdjson::SUCCESS;
}

std::string posted_transaction_id(simdjson::dom::element row) {
  std::string_view text;
  if (row["transaction_id"].get(text) == simdjson::SUCCESS) return std::string(text);
  if (is_compact_payment(row) && row["payment_ref"].get(text) == simdjson::SUCCESS) {
    return payment_transaction_id(text);
  }
  return {};
}

namespace {

std::string row_field(std::size_t index) {
  return "transactions[" + std::to_string(index) + "]";
}

// Reads a compact row; `scratch` holds its applications.
Result<CompactPaymentRow> read_compact_payment(simdjson::dom::element row, std::size_t index,
                                               std::vector<CompactPaymentRow::Applied>& scratch) {
  const auto bad = [&](const char* what) {
    return make_error("transaction_invalid", row_field(index) + "." + what,
                      "compact ledger payment: " + std::string(what) + " is missing or invalid");
  };
  CompactPaymentRow out;
  out.index = index;
  if (row["payment_ref"].get(out.payment_ref) != simdjson::SUCCESS || out.payment_ref.empty()) {
    return bad("payment_ref");
  }
  std::string_view date;
  if (row["date"].get(date) != simdjson::SUCCESS) return bad("date");
  auto d = Date::parse(date);
  if (!d) return bad("date");
  out.date = *d;
  if (row["invoice_number"].get(out.invoice_number) != simdjson::SUCCESS) {
    return bad("invoice_number");
  }
  if (!get_int(row, "amount_ore", out.amount_ore) || out.amount_ore <= 0) {
    return bad("amount_ore");
  }
  get_int(row, "credit_balance_ore", out.credit_balance_ore);
  scratch.clear();
  simdjson::dom::array list;
  if (row["applications"].get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element x : list) {
      CompactPaymentRow::Applied a;
      if (x["invoice_number"].get(a.invoice_number) != simdjson::SUCCESS ||
          !get_int(x, "amount_ore", a.amount_ore)) {
        return bad("applications");
      }
      scratch.push_back(a);
    }
  }
  out.applications = &scratch;
  std::int64_t applied = out.credit_balance_ore;
  for (const auto& a : scratch) applied += a.amount_ore;
  if (applied != out.amount_ore) {
    return make_error("transaction_unbalanced", row_field(index) + ".amount_ore",
                      "compact ledger payment " + std::string(out.payment_ref) +
                          ": the applications and the credit balance do not add up to the amount");
  }
  return out;
}

}  // namespace

Error compact_payee_unknown(const CompactPaymentRow& row) {
  return make_error("item_unknown", row_field(row.index) + ".invoice_number",
                    "compact ledger payment " + std::string(row.payment_ref) +
                        " for unknown invoice " + std::string(row.invoice_number));
}

Transaction expand_compact_payment(const CompactPaymentRow& row, const PaymentAccounts& accounts,
                                   const Payee& payee) {
  Transaction tx;
  tx.kind = TxKind::payment;
  tx.payment_ref = std::string(row.payment_ref);
  tx.date = row.date;
  tx.invoice_number = std::string(row.invoice_number);
  tx.credit_balance_ore = row.credit_balance_ore;
  for (const auto& a : *row.applications) {
    tx.applications.push_back({std::string(a.invoice_number), a.amount_ore});
  }
  tx.transaction_id = payment_transaction_id(tx.payment_ref);
  tx.customer_id = std::string(payee.customer_id);
  tx.kid = std::string(payee.kid);
  if (tx.credit_balance_ore != 0) tx.claim_family = std::string(payee.claim_family);
  tx.text = payment_text(tx.invoice_number);
  tx.entries = {debit(accounts.bank, row.amount_ore), credit(accounts.receivables, row.amount_ore)};
  return tx;
}

Status for_each_posted_row(
    simdjson::dom::element payload,
    const std::function<Status(const CompactPaymentRow&, const PaymentAccounts&)>& compact,
    const std::function<Status(Transaction&&)>& whole) {
  simdjson::dom::array list;
  if (payload["transactions"].get(list) != simdjson::SUCCESS) {
    return make_error("transaction_invalid", "transactions",
                      "ledger.transactions_posted without transactions");
  }
  std::optional<PaymentAccounts> accounts;
  simdjson::dom::element acc;
  if (payload["payment_accounts"].get(acc) == simdjson::SUCCESS) {
    PaymentAccounts a;
    if (!get_text(acc, "bank", a.bank) || !get_text(acc, "receivables", a.receivables)) {
      return make_error("transaction_invalid", "payment_accounts",
                        "payment_accounts needs bank and receivables");
    }
    accounts = std::move(a);
  }
  std::vector<CompactPaymentRow::Applied> scratch;
  std::size_t i = 0;
  for (simdjson::dom::element row : list) {
    const std::size_t index = i++;
    if (is_compact_payment(row)) {
      if (!accounts) {
        return make_error("transaction_invalid", "payment_accounts",
                          "a compact ledger payment without the event's payment_accounts");
      }
      auto r = read_compact_payment(row, index, scratch);
      if (!r) return r.error();
      auto st = compact(*r, *accounts);
      if (!st) return st;
      continue;
    }
    auto tx = decode_transaction(row, row_field(index));
    if (!tx) return tx.error();
    auto st = whole(std::move(tx).value());
    if (!st) return st;
  }
  return ok_status();
}

Status for_each_posted(simdjson::dom::element payload, const PayeeOf& payee_of,
                       const std::function<Status(Transaction&&)>& fn) {
  return for_each_posted_row(
      payload,
      [&](const CompactPaymentRow& row, const PaymentAccounts& accounts) -> Status {
        auto payee = payee_of(row.invoice_number);
        if (!payee) return compact_payee_unknown(row);
        return fn(expand_compact_payment(row, accounts, *payee));
      },
      fn);
}

}  // namespace oppgjor::ledger
