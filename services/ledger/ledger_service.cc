// The ledger service: postings for documents, payments and allocations (ledger_service.h).
#include "services/ledger/ledger_service.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/actor.h"
#include "common/assert.h"
#include "common/identifiers.h"
#include "common/ore_format.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "services/ledger/payments.h"
#include "services/runtime/commands.h"
#include "services/runtime/two_threads.h"

namespace oppgjor::ledger {

namespace {

// The collection service's outputs the ledger posts (services/collection/collection_events.h).
constexpr std::string_view collection_notice_type = "collection.notice_sent";
constexpr std::string_view collection_interest_type = "collection.interest_charged";
constexpr std::string_view collection_payment_interest_type = "collection.payment_interest_charged";
constexpr std::string_view collection_write_off_type = "collection.claim_written_off";

using invoicing::DocumentKind;
using invoicing::Invoice;

// Net amounts per posting key as one-sided entries: `credit_side` puts positive sums on the credit
// side (an invoice's income), negative ones on the debit side (a reduction line). The key is
// account, funksjon and ansvar joined by '\n' (income is posted with its dimensions).
void add_side(std::vector<Entry>& entries, const std::map<std::string, std::int64_t>& sums,
              bool credit_side) {
  for (const auto& [key, sum] : sums) {
    if (sum == 0) continue;
    Entry e;
    const auto a = key.find('\n');
    const auto b = a == std::string::npos ? a : key.find('\n', a + 1);
    e.account = key.substr(0, a);
    if (b != std::string::npos) {
      e.function = key.substr(a + 1, b - a - 1);
      e.responsibility = key.substr(b + 1);
    }
    const bool credit = (sum > 0) == credit_side;
    (credit ? e.credit_ore : e.debit_ore) = sum > 0 ? sum : -sum;
    entries.push_back(std::move(e));
  }
}

// What a decision sees of the state, with the effects of the transactions it has already made
// for the same event (a batch pays the same invoice twice, say).
class Overlay {
 public:
  explicit Overlay(const LedgerState& s) : s_(s) {}
  std::int64_t open(const std::string& number) {
    auto it = open_.find(number);
    if (it != open_.end()) return it->second;
    const OpenItem* item = s_.item(number);
    OPPGJOR_ASSERT(item != nullptr, "a decision settles only invoices the ledger holds");
    return item->open_ore;
  }
  std::int64_t credit(const std::string& customer, const std::string& family) {
    auto key = customer + "\n" + family;
    auto it = credit_.find(key);
    if (it != credit_.end()) return it->second;
    auto c = s_.credits().find(customer);
    if (c == s_.credits().end()) return 0;
    auto f = c->second.find(family);
    return f == c->second.end() ? 0 : f->second;
  }
  void settle(const std::string& number, std::int64_t amount) {
    open_[number] = open(number) - amount;
  }
  void add_credit(const std::string& customer, const std::string& family, std::int64_t amount) {
    credit_[customer + "\n" + family] = credit(customer, family) + amount;
  }

 private:
  const LedgerState& s_;
  // Looked up for every payment, never iterated: hashed.
  std::unordered_map<std::string, std::int64_t> open_;
  std::unordered_map<std::string, std::int64_t> credit_;
};

// Applies `amount` (> 0) for `customer` to `first` (when not empty), then to the customer's other
// open items of `family` (but those in `later`), oldest due date first; the rest becomes a credit
// balance. Fills the transaction's applications and credit balance.
void apply_money(const LedgerState& s, Overlay& o, Transaction& tx, const std::string& first,
                 const std::string& customer, const std::string& family, std::int64_t amount,
                 const std::set<std::string>* later = nullptr) {
  std::int64_t left = amount;
  const auto take = [&](const std::string& number) {
    if (left <= 0) return;
    const std::int64_t open = o.open(number);
    if (open <= 0) return;
    const std::int64_t x = std::min(open, left);
    o.settle(number, x);
    tx.applications.push_back({number, x});
    left -= x;
  };
  if (!first.empty()) take(first);
  if (left > 0) {
    std::vector<const OpenItem*> others;
    for (const auto& number : s.invoices_of(customer)) {
      const OpenItem& item = *s.item(number);  // the customer's own invoices: all held
      if (later != nullptr && later->count(number) != 0) continue;
      if (item.invoice_number != first && item.claim_family == family) others.push_back(&item);
    }
    std::sort(others.begin(), others.end(), [](const OpenItem* a, const OpenItem* b) {
      return a->due_date != b->due_date ? a->due_date < b->due_date
                                        : a->invoice_number < b->invoice_number;
    });
    for (const OpenItem* item : others) take(item->invoice_number);
  }
  if (left > 0) {
    tx.customer_id = customer;
    tx.claim_family = family;
    tx.credit_balance_ore = left;
    o.add_credit(customer, family, left);
  }
}

// A payment batch's posting (v2) writes each payment matched by KID on `accounts` as a compact
// row (transaction.h); `payees[i]` is the invoice paid by txs[i] (nullptr: not a matched payment).
struct CompactRows {
  const PaymentAccounts* accounts = nullptr;
  const std::vector<const OpenItem*>* payees = nullptr;
};

Payee payee_of_item(const OpenItem& item) {
  return {item.customer_id, item.kid, item.claim_family};
}

// Rows [first, last) of `txs` as a JSON array, in a string with room for `room` rows (a compact
// row is ~150 bytes): allocated once, not grown by doubling into fresh memory.
std::string transaction_rows(const std::vector<Transaction>& txs, CompactRows compact,
                             std::size_t first, std::size_t last, std::size_t room) {
  std::string out;
  out.reserve(room * 160 + 2);
  events::CanonicalWriter w(out);
  w.begin_array();
  for (std::size_t i = first; i < last; ++i) {
    const OpenItem* item = compact.payees != nullptr ? (*compact.payees)[i] : nullptr;
    if (item != nullptr) {
      write_compact_payment(w, txs[i], *compact.accounts, payee_of_item(*item));
    } else {
      write_transaction(w, txs[i]);
    }
  }
  w.end_array();
  return out;
}

// At least this many rows are written in two halves on two threads, then joined.
constexpr std::size_t parallel_rows_min = 256;

std::string posted_payload(const std::vector<Transaction>& txs, const FileStats* stats,
                           const std::string& sha, CompactRows compact = {}) {
  // The rows first, so the payload is allocated once, at its size.
  std::string rows;
  if (txs.size() < parallel_rows_min) {
    rows = transaction_rows(txs, compact, 0, txs.size(), txs.size());
  } else {
    const std::size_t mid = txs.size() / 2;
    std::array<std::string, 2> halves;
    runtime::for_each_on_two_threads(2, 1, [&](std::size_t h) {
      // The first half has room for the second, appended to it.
      halves[h] = h == 0 ? transaction_rows(txs, compact, 0, mid, txs.size())
                         : transaction_rows(txs, compact, mid, txs.size(), txs.size() - mid);
    });
    // "[a,…]" and "[b,…]" (neither empty) joined: "[a,…,b,…]", the array one writer would write.
    rows = std::move(halves[0]);
    rows.back() = ',';
    rows.append(halves[1], 1);
  }
  std::string out;
  out.reserve(rows.size() + 512);
  events::CanonicalWriter w(out);
  w.begin_object();
  if (compact.accounts != nullptr) write_payment_accounts(w, *compact.accounts);
  if (stats != nullptr) {
    w.key("summary");
    w.begin_object();
    w.field_int("amount_ore", stats->amount_ore);
    w.field_int("duplicates", stats->duplicates);
    w.field("file_sha256", sha);
    w.field_int("matched", stats->matched);
    w.field_int("overpaid", stats->overpaid);
    w.field_int("partial", stats->partial);
    w.field_int("payments", stats->payments);
    w.field_int("reversals", stats->reversals);
    w.field_int("suspense", stats->suspense);
    w.end_object();
  }
  w.key("transactions");
  w.raw_value(rows);
  w.end_object();
  return out;
}

events::EngineEvent posted_event(const events::EventView& cause, std::string stream,
                                 std::string payload) {
  events::EngineEvent e;
  e.type = std::string(transactions_posted_type);
  e.stream = std::move(stream);
  e.occurred_at = std::string(cause.occurred_at);
  e.payload_json = std::move(payload);
  return e;
}

// The transaction of one document (an invoice or a credit note), decided after the ones before
// it in `o` (the same command's earlier documents). `later`: the documents of the same command
// after this one, not yet posted; a decision made one document at a time would not have seen
// them, so they are neither the credited invoice nor candidates for a credit note's rest.
// nullopt: nothing to post (a zero total).
Result<std::optional<Transaction>> document_transaction(const LedgerState& s, Overlay& o,
                                                        const Invoice& inv,
                                                        const std::set<std::string>& later) {
  if (inv.total_ore == 0) return std::optional<Transaction>();
  auto chart = s.rules().chart(inv.issue_date);
  if (!chart) return chart.error();
  auto rules = s.rules().claim_type(inv.claim_type, inv.issue_date);
  if (!rules) return rules.error();
  const bool invoice = inv.kind == DocumentKind::invoice;
  Transaction tx;
  tx.kind = invoice ? TxKind::invoice : TxKind::credit_note;
  tx.transaction_id = std::string(invoice ? "invoice/" : "credit_note/") + inv.invoice_number;
  tx.date = inv.issue_date;
  tx.customer_id = inv.customer_id;
  tx.invoice_number = inv.invoice_number;
  tx.kid = inv.kid;
  tx.text = std::string(invoice ? "Faktura " : "Kreditnota ") + inv.invoice_number;
  std::map<std::string, std::int64_t> income;
  std::int64_t vat = 0;
  for (const auto& line : inv.lines) {
    const std::string& account = line.account.empty() ? rules->income_account : line.account;
    income[account + "\n" + line.function + "\n" + line.responsibility] += line.amount_ore;
    vat += line.vat_ore;
  }
  std::map<std::string, std::int64_t> receivable = {{chart->receivables, inv.total_ore}};
  if (vat != 0) income[chart->vat_payable] += vat;
  // Invoice: D receivables, C income and VAT. Credit note: the reverse.
  add_side(tx.entries, receivable, !invoice);
  add_side(tx.entries, income, invoice);
  if (invoice && inv.total_ore > 0) {
    // A credit balance in the claim family is set off against the new invoice (a subledger
    // allocation inside receivables: no entry of its own).
    const std::int64_t credit = o.credit(inv.customer_id, rules->claim_family);
    if (credit > 0) {
      const std::int64_t x = std::min(credit, inv.total_ore);
      tx.applications.push_back({inv.invoice_number, x});
      tx.claim_family = rules->claim_family;
      tx.credit_balance_ore = -x;
      o.settle(inv.invoice_number, x);
      o.add_credit(inv.customer_id, rules->claim_family, -x);
    }
  } else if (!invoice) {
    std::string first;
    if (inv.credit_of && s.items().count(*inv.credit_of) != 0 && later.count(*inv.credit_of) == 0) {
      first = *inv.credit_of;
    }
    // The credited invoice first; what is left is a credit balance, set off against the
    // customer's oldest open items of the claim family like an overpayment
    // (billing-and-collection.md, "Open items"), the rest kept as a credit balance.
    apply_money(s, o, tx, first, inv.customer_id, rules->claim_family, inv.total_ore, &later);
  }
  return std::optional<Transaction>(std::move(tx));
}

// The invoicing service answered a command (a run, or one part of it): the documents it issued
// for it are posted, in issue order, postings_per_event transactions per event on stream
// ledger/documents.<command event id>[.p<part>]. Each document stays its own transaction
// (invoice/<number>, credit_note/<number>) naming its customer, invoice and KID.
Result<std::vector<events::EngineEvent>> decide_documents(const LedgerState& s,
                                                          const events::EventView& e,
                                                          simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  std::string_view service;
  if (p["service"].get(service) != simdjson::SUCCESS || service != document_service) {
    return out;
  }
  const std::vector<std::string>* numbers = s.unposted(e.causation_id);
  if (numbers == nullptr) return out;
  std::string stream = "ledger/documents." + std::string(e.causation_id);
  std::int64_t index = 0;
  if (p["part"]["index"].get(index) == simdjson::SUCCESS) stream += ".p" + std::to_string(index);
  Overlay o(s);
  std::set<std::string> later(numbers->begin(), numbers->end());
  std::vector<Transaction> txs;
  const auto flush = [&] {
    out.push_back(posted_event(e, stream, posted_payload(txs, nullptr, {})));
    txs.clear();
  };
  for (const std::string& number : *numbers) {
    later.erase(number);
    auto doc = s.document(number);
    OPPGJOR_ASSERT(doc.ok(), "a waiting document was folded, and its payload decodes whole");
    const Invoice& inv = *doc;
    const bool invoice = inv.kind == DocumentKind::invoice;
    if (s.posted(std::string(invoice ? "invoice/" : "credit_note/") + number)) continue;
    auto tx = document_transaction(s, o, inv, later);
    if (!tx) return tx.error();
    if (!*tx) continue;
    txs.push_back(std::move(**tx));
    if (txs.size() == postings_per_event) flush();
  }
  if (!txs.empty()) flush();
  return out;
}

// A batch of at least this many payments (a file's batch holds up to 2,000) is decided on two
// threads (decide_payment_batch).
constexpr std::size_t parallel_payments_min = 256;

// What one payment that is not a duplicate books: its transaction (none for a zero amount) and,
// for a payment matched by KID, the invoice it pays.
struct PaymentOutcome {
  std::optional<Transaction> tx;
  const OpenItem* payee = nullptr;
};

// Decides `pay` (whose KID found `item`, or nullptr) on `o`, counting it in `stats` (matched,
// partial, overpaid, suspense, reversals). Reads and changes nothing of the overlay but `item`'s
// customer's invoices and credit balances.
Result<PaymentOutcome> decide_payment(const LedgerState& s, Overlay& o, const Payment& pay,
                                      const OpenItem* item, FileStats& stats) {
  PaymentOutcome out;
  auto chart = s.rules().chart(pay.settlement_date);
  if (!chart) return chart.error();
  if (pay.amount_ore == 0) {
    ++stats.suspense;  // nothing to book; counted so the file's figures add up
    return out;
  }
  Transaction& tx = out.tx.emplace();
  tx.date = pay.settlement_date;
  tx.kid = pay.kid;
  tx.payment_ref = pay.payment_ref;
  tx.transaction_id = payment_transaction_id(pay.payment_ref);
  if (item == nullptr) {
    // Unmatched (or a reversal of an unknown KID): to suspense with the reason.
    tx.kind = TxKind::unmatched;
    tx.suspense_id = pay.payment_ref;
    tx.suspense_reason = pay.kid.empty() ? "kid_missing" : "kid_unknown";
    const std::int64_t signed_amount = pay.reversal ? -pay.amount_ore : pay.amount_ore;
    tx.suspense_ore = signed_amount;
    tx.text = "Innbetaling uten treff på KID";
    if (pay.reversal) {
      tx.suspense_reason = "reversal_unmatched";
      tx.entries = {debit(chart->suspense, pay.amount_ore), credit(chart->bank, pay.amount_ore)};
    } else {
      tx.entries = {debit(chart->bank, pay.amount_ore), credit(chart->suspense, pay.amount_ore)};
    }
    ++stats.suspense;
    return out;
  }
  tx.customer_id = item->customer_id;
  tx.invoice_number = item->invoice_number;
  if (pay.reversal) {
    // Tilbakeføring: the payment is taken back; the invoice is open again.
    tx.kind = TxKind::reversal;
    tx.text = "Tilbakeføring av innbetaling, faktura " + item->invoice_number;
    tx.entries = {debit(chart->receivables, pay.amount_ore), credit(chart->bank, pay.amount_ore)};
    tx.applications.push_back({item->invoice_number, -pay.amount_ore});
    o.settle(item->invoice_number, -pay.amount_ore);
    ++stats.reversals;
    return out;
  }
  tx.kind = TxKind::payment;
  tx.text = payment_text(item->invoice_number);
  tx.entries = {debit(chart->bank, pay.amount_ore), credit(chart->receivables, pay.amount_ore)};
  const std::int64_t open = o.open(item->invoice_number);
  if (pay.amount_ore == open) {
    ++stats.matched;
  } else if (pay.amount_ore < open) {
    ++stats.partial;
  } else {
    ++stats.overpaid;
  }
  apply_money(s, o, tx, item->invoice_number, item->customer_id, item->claim_family,
              pay.amount_ore);
  out.payee = item;
  return out;
}

void add_counts(FileStats& into, const FileStats& f) {
  into.matched += f.matched;
  into.partial += f.partial;
  into.overpaid += f.overpaid;
  into.suspense += f.suspense;
  into.reversals += f.reversals;
}

}  // namespace

// A payment touches only its own customer's invoices and credit balances, so a large batch is
// decided on two threads, each taking the customers of one half (by a hash of the customer id;
// payments without an invoice go to either) in file order, with its own overlay: the same
// transactions as one after the other, put back in file order; the first error in that order is
// the one returned. Duplicates (booked before, or twice in the batch) are found first, in order.

Result<std::vector<events::EngineEvent>> decide_payment_batch(const LedgerState& s,
                                                              const events::EventView& e,
                                                              simdjson::dom::element p,
                                                              runtime::Part part,
                                                              bool two_threads) {
  auto batch = decode_batch(p);
  if (!batch) return batch.error();
  OPPGJOR_ASSERT(part.count == batch->partitions, "a batch decided in the parts it names");
  std::vector<invoicing::KidAgreement> layouts;
  if (!part.whole()) layouts = s.rules().kid_layouts();
  FileStats stats;
  struct Todo {
    const Payment* pay = nullptr;
    const OpenItem* item = nullptr;
  };
  std::vector<Todo> todo;
  todo.reserve(batch->payments.size());
  {
    // Views of the batch's own references, which outlive this.
    std::unordered_set<std::string_view> in_batch;
    for (const Payment& pay : batch->payments) {
      if (!part.whole() && payment_part(pay.kid, part.count, layouts) != part.index) continue;
      ++stats.payments;
      stats.amount_ore += pay.amount_ore;
      // Booked before, or earlier in this batch.
      if (!in_batch.insert(pay.payment_ref).second || s.booked(pay.payment_ref)) {
        ++stats.duplicates;
        continue;
      }
      todo.push_back({&pay, pay.kid.empty() ? nullptr : s.item_by_kid(pay.kid)});
    }
  }
  const int halves = two_threads && todo.size() >= parallel_payments_min ? 2 : 1;
  const auto half_of = [&](const Todo& t, std::size_t k) {
    if (halves == 1) return 0;
    const std::size_t h =
        t.item == nullptr ? k : std::hash<std::string_view>{}(t.item->customer_id);
    return static_cast<int>(h & 1U);
  };
  std::vector<std::optional<Result<PaymentOutcome>>> outcomes(todo.size());
  std::vector<FileStats> counts(static_cast<std::size_t>(halves));
  runtime::for_each_on_two_threads(static_cast<std::size_t>(halves), 1, [&](std::size_t h) {
    Overlay o(s);
    for (std::size_t k = 0; k < todo.size(); ++k) {
      if (half_of(todo[k], k) != static_cast<int>(h)) continue;
      outcomes[k].emplace(decide_payment(s, o, *todo[k].pay, todo[k].item, counts[h]));
    }
  });
  for (const FileStats& c : counts) add_counts(stats, c);
  // In file order: the transactions, the invoice each payment matched by KID pays (nullptr for the
  // others), and the accounts of the compact rows: those of the first such payment's date (a
  // payment booked on other accounts is written whole).
  std::vector<Transaction> txs;
  txs.reserve(todo.size());
  std::vector<const OpenItem*> payees;
  payees.reserve(todo.size());
  std::optional<PaymentAccounts> accounts;
  for (auto& outcome : outcomes) {
    OPPGJOR_ASSERT(outcome.has_value(), "a payment of the batch was not decided");
    if (!*outcome) return outcome->error();
    PaymentOutcome& o = **outcome;
    if (!o.tx) continue;
    if (o.payee != nullptr && !accounts) {
      auto chart = s.rules().chart(o.tx->date);  // found for this date when it was decided
      OPPGJOR_ASSERT(chart.ok(), "a decided payment's chart of accounts");
      accounts = PaymentAccounts{chart->bank, chart->receivables};
    }
    txs.push_back(std::move(*o.tx));
    payees.push_back(o.payee);
  }
  if (accounts) {
    runtime::for_each_on_two_threads(
        txs.size(), std::max<std::size_t>(txs.size() / 16, 64), [&](std::size_t i) {
          if (payees[i] == nullptr) return;
          if (!fits_compact_payment(txs[i], *accounts, payee_of_item(*payees[i]))) {
            payees[i] = nullptr;
          }
        });
  }
  std::vector<events::EngineEvent> out;
  if (!part.whole() && stats.payments == 0) return out;  // none of this part's customers paid
  std::string stream = "ledger/payments." + file_key(batch->file_sha256);
  if (!part.whole()) stream += ".p" + std::to_string(part.index);
  if (!accounts) {
    out.push_back(
        posted_event(e, std::move(stream), posted_payload(txs, &stats, batch->file_sha256)));
    return out;
  }
  events::EngineEvent posted = posted_event(
      e, std::move(stream),
      posted_payload(txs, &stats, batch->file_sha256, CompactRows{&*accounts, &payees}));
  posted.schema_version = transactions_posted_compact_version;
  out.push_back(std::move(posted));
  return out;
}

namespace {

// The answer refusing a person's command (code and field), and the one every command without
// an actor gets.
std::vector<events::EngineEvent> refusal(const events::EventView& e, runtime::Part part,
                                         const char* code, const char* field,
                                         const std::string& message) {
  std::vector<events::EngineEvent> out;
  out.push_back(runtime::refused_event(service_name, e, make_error(code, field, message), part));
  return out;
}
constexpr const char* no_actor_message =
    "kommandoen har ingen bruker (actor); den blir ikke utført";

Result<std::vector<events::EngineEvent>> decide_allocation(const LedgerState& s,
                                                           const events::EventView& e,
                                                           simdjson::dom::element p,
                                                           runtime::Part part) {
  std::vector<events::EngineEvent> out;
  const auto refuse = [&](const char* code, const char* field, const std::string& message) {
    return refusal(e, part, code, field, message);
  };
  if (e.actor.empty()) return refuse("actor_missing", "actor", no_actor_message);
  std::string_view suspense_id;
  std::string_view invoice_number;
  std::string_view date_text;
  if (p["suspense_id"].get(suspense_id) != simdjson::SUCCESS) {
    return refuse("field_missing", "suspense_id", "suspense_id mangler");
  }
  if (p["invoice_number"].get(invoice_number) != simdjson::SUCCESS) {
    return refuse("field_missing", "invoice_number", "invoice_number mangler");
  }
  if (p["date"].get(date_text) != simdjson::SUCCESS) {
    return refuse("field_missing", "date", "bokføringsdato mangler");
  }
  auto date = Date::parse(date_text, "date");
  if (!date) return refuse("date_invalid", "date", "ugyldig bokføringsdato");
  auto it = s.suspense().find(std::string(suspense_id));
  if (it == s.suspense().end()) {
    return refuse("suspense_unknown", "suspense_id",
                  "ingen innbetaling i suspense med id " + std::string(suspense_id));
  }
  if (it->second.amount_ore <= 0) {
    return refuse("suspense_allocated", "suspense_id",
                  "innbetalingen " + std::string(suspense_id) + " er allerede fordelt");
  }
  auto item = s.items().find(std::string(invoice_number));
  if (item == s.items().end()) {
    return refuse("invoice_unknown", "invoice_number",
                  "ingen faktura med nummer " + std::string(invoice_number));
  }
  auto chart = s.rules().chart(*date);
  if (!chart) return chart.error();
  const std::int64_t amount = it->second.amount_ore;
  Overlay o(s);
  Transaction tx;
  tx.kind = TxKind::allocation;
  tx.transaction_id = "allocation/" + std::string(e.event_id);
  tx.date = *date;
  tx.customer_id = item->second.customer_id;
  tx.invoice_number = item->second.invoice_number;
  tx.kid = it->second.kid;
  tx.text = "Manuell fordeling fra suspense til faktura " + item->second.invoice_number;
  tx.suspense_id = it->second.suspense_id;
  tx.suspense_ore = -amount;
  tx.entries = {debit(chart->suspense, amount), credit(chart->receivables, amount)};
  apply_money(s, o, tx, item->second.invoice_number, item->second.customer_id,
              item->second.claim_family, amount);
  std::vector<Transaction> txs{std::move(tx)};
  out.push_back(
      posted_event(e, "ledger/" + item->second.customer_id, posted_payload(txs, nullptr, {})));
  runtime::Completion done;
  done.part = part;
  done.counts = {{"allocated", 1}};
  done.amounts = {{"amount_ore", amount}};
  done.refs = {{"invoice_number", std::string(invoice_number)},
               {"suspense_id", std::string(suspense_id)}};
  done.note = "Fordelt fra suspense til faktura " + std::string(invoice_number) + ".";
  out.push_back(runtime::completed_event(service_name, e, done));
  return out;
}

// A refund's record as an output (stream ledger/<customer_id>, the customer's ledger stream).
events::EngineEvent refund_event(const events::EventView& cause, const Refund& r) {
  events::EngineEvent e = posted_event(cause, "ledger/" + r.customer_id, refund_payload(r));
  e.type = std::string(refund_recorded_type);
  return e;
}

Result<std::vector<events::EngineEvent>> decide_refund_request(const LedgerState& s,
                                                               const events::EventView& e,
                                                               simdjson::dom::element p,
                                                               runtime::Part part) {
  std::vector<events::EngineEvent> out;
  const auto refuse = [&](const char* code, const char* field, const std::string& message) {
    return refusal(e, part, code, field, message);
  };
  if (e.actor.empty()) return refuse("actor_missing", "actor", no_actor_message);
  Refund r;
  r.refund_id = std::string(e.event_id);
  r.requested_by = std::string(e.actor);
  if (!events::get_text(p, "customer_id", r.customer_id)) {
    return refuse("field_missing", "customer_id", "customer_id mangler");
  }
  if (!events::get_text(p, "claim_family", r.claim_family)) {
    return refuse("field_missing", "claim_family", "claim_family mangler");
  }
  if (!events::get_int(p, "amount_ore", r.amount_ore) || r.amount_ore <= 0) {
    return refuse("amount_invalid", "amount_ore", "beløpet må være større enn null");
  }
  if (!events::get_text(p, "to_account", r.to_account) ||
      !common::is_valid_account_number(r.to_account)) {
    return refuse("account_invalid", "to_account",
                  "kontonummeret er ikke et gyldig norsk kontonummer (11 siffer, MOD11)");
  }
  if (!events::get_date(p, "date", r.requested_on)) {
    return refuse("date_invalid", "date", "ugyldig dato");
  }
  r.note = events::text_or(p, "note");
  Overlay o(s);
  const std::int64_t balance = o.credit(r.customer_id, r.claim_family);
  const std::int64_t pending = s.pending_refunds(r.customer_id, r.claim_family);
  if (r.amount_ore > balance - pending) {
    return refuse("credit_insufficient", "amount_ore",
                  "kunden " + r.customer_id + " har " + common::ore_format::norwegian(balance) +
                      " kr til gode i " + r.claim_family + ", og " +
                      common::ore_format::norwegian(pending) +
                      " kr venter allerede på tilbakebetaling; " +
                      common::ore_format::norwegian(r.amount_ore) + " kr er for mye");
  }
  out.push_back(refund_event(e, r));
  runtime::Completion done;
  done.part = part;
  done.counts = {{"requested", 1}};
  done.amounts = {{"amount_ore", r.amount_ore}};
  done.refs = {{"refund_id", r.refund_id}};
  done.note = "Tilbakebetaling av " + common::ore_format::norwegian(r.amount_ore) +
              " kr til konto " + masked_account(r.to_account) +
              " venter på godkjenning av en annen person.";
  out.push_back(runtime::completed_event(service_name, e, done));
  return out;
}

Result<std::vector<events::EngineEvent>> decide_refund_decision(const LedgerState& s,
                                                                const events::EventView& e,
                                                                simdjson::dom::element p,
                                                                runtime::Part part) {
  std::vector<events::EngineEvent> out;
  const auto refuse = [&](const char* code, const char* field, const std::string& message) {
    return refusal(e, part, code, field, message);
  };
  if (e.actor.empty()) return refuse("actor_missing", "actor", no_actor_message);
  std::string id;
  std::string decision;
  Date date;
  if (!events::get_text(p, "refund_id", id)) {
    return refuse("field_missing", "refund_id", "refund_id mangler");
  }
  if (!events::get_text(p, "decision", decision) ||
      (decision != "approve" && decision != "reject")) {
    return refuse("decision_invalid", "decision", "decision må være approve eller reject");
  }
  if (!events::get_date(p, "date", date)) return refuse("date_invalid", "date", "ugyldig dato");
  auto found = s.refunds().find(id);
  if (found == s.refunds().end()) {
    return refuse("refund_unknown", "refund_id", "ingen tilbakebetaling med id " + id);
  }
  Refund r = found->second;
  if (r.status != RefundStatus::pending) {
    return refuse("refund_decided", "refund_id",
                  "tilbakebetalingen " + id + " er allerede " +
                      (r.status == RefundStatus::approved ? "godkjent" : "avvist"));
  }
  if (date < r.requested_on) {
    return refuse("date_invalid", "date", "datoen er før tilbakebetalingen ble bedt om");
  }
  r.decided_by = std::string(e.actor);
  r.decided_on = date;
  runtime::Completion done;
  done.part = part;
  done.refs = {{"refund_id", id}};
  done.amounts = {{"amount_ore", r.amount_ore}};
  if (decision == "reject") {
    r.reason = events::text_or(p, "reason");
    if (r.reason.empty()) {
      return refuse("reason_missing", "reason", "en avvisning må ha en begrunnelse");
    }
    r.status = RefundStatus::rejected;
    out.push_back(refund_event(e, r));
    done.counts = {{"rejected", 1}};
    done.note = "Tilbakebetalingen er avvist.";
    out.push_back(runtime::completed_event(service_name, e, done));
    return out;
  }
  if (common::same_actor(r.requested_by, e.actor)) {
    return refuse("approver_is_maker", "actor",
                  "den som ba om tilbakebetalingen kan ikke godkjenne den selv (to personer)");
  }
  Overlay o(s);
  const std::int64_t balance = o.credit(r.customer_id, r.claim_family);
  if (r.amount_ore > balance) {
    return refuse("credit_insufficient", "refund_id",
                  "kunden har bare " + common::ore_format::norwegian(balance) + " kr til gode i " +
                      r.claim_family + " nå (motregnet siden forespørselen); avvis og be om " +
                      "et nytt beløp");
  }
  auto chart = s.rules().chart(date);
  if (!chart) return chart.error();
  Transaction tx;
  tx.kind = TxKind::refund;
  tx.transaction_id = "refund/" + id;
  tx.date = date;
  tx.customer_id = r.customer_id;
  tx.claim_family = r.claim_family;
  tx.text = "Tilbakebetaling av kreditsaldo til konto " + masked_account(r.to_account);
  tx.entries = {debit(chart->receivables, r.amount_ore), credit(chart->bank, r.amount_ore)};
  tx.credit_balance_ore = -r.amount_ore;
  r.status = RefundStatus::approved;
  out.push_back(refund_event(e, r));
  out.push_back(posted_event(e, "ledger/" + r.customer_id, posted_payload({tx}, nullptr, "")));
  done.counts = {{"approved", 1}};
  done.note = "Godkjent: " + common::ore_format::norwegian(r.amount_ore) +
              " kr betales tilbake til konto " + masked_account(r.to_account) + ".";
  out.push_back(runtime::completed_event(service_name, e, done));
  return out;
}

class LedgerProjection final : public replay::Projection {
 public:
  LedgerProjection() : state_(invoicing::BillingRules::builtin()) {}
  std::string_view name() const override { return projection_name; }
  bool wants(std::string_view type) const override { return LedgerState::folds(type); }
  Status apply(const events::EventView& e, simdjson::dom::element payload) override {
    return state_.fold(e, payload);
  }
  void emit(replay::RowSink& sink) const override { state_.emit(sink); }

 private:
  LedgerState state_;
};

// What the collection service decided, posted: a notice's fee, late-payment interest, an approved
// write-off (collection_service.h). A fee or interest raises the claim's open item and takes a
// credit balance the customer has in the claim family first (as an invoice does); a write-off
// settles what is open against the loss account. `type` is the event type the payload `p` has
// (collection.interest_charged for each charge of a collection.payment_interest_charged); `o`
// holds what the same event's earlier transactions did. Nothing when the amount is zero.
Result<std::optional<Transaction>> collection_transaction(const LedgerState& s, Overlay& o,
                                                          std::string_view type,
                                                          simdjson::dom::element p) {
  std::string number;
  if (!events::get_text(p, "invoice_number", number)) {
    return make_error("payload_invalid", "invoice_number", std::string(type) + " without one");
  }
  auto found = s.items().find(number);
  if (found == s.items().end()) {
    return make_error("item_unknown", "invoice_number",
                      std::string(type) + " for invoice " + number + " the ledger does not hold");
  }
  const OpenItem& item = found->second;
  Transaction tx;
  tx.customer_id = item.customer_id;
  tx.claim_family = item.claim_family;
  tx.invoice_number = number;
  tx.kid = item.kid;
  std::int64_t amount = 0;
  std::string income;
  Date date;
  std::int64_t step = 0;
  if (type == collection_notice_type) {
    if (!events::get_int(p, "fee_ore", amount) || !events::get_date(p, "sent_on", date) ||
        !events::get_int(p, "step", step)) {
      return make_error("payload_invalid", "fee_ore", "collection.notice_sent without its fee");
    }
    tx.kind = TxKind::collection_fee;
    tx.transaction_id = "collection_fee/" + number + "/" + std::to_string(step);
    tx.text = "Gebyr " + events::text_or(p, "kind") + " faktura " + number;
  } else if (type == collection_interest_type) {
    if (!events::get_int(p, "interest_ore", amount) || !events::get_date(p, "through", date)) {
      return make_error("payload_invalid", "interest_ore", "collection.interest_charged");
    }
    tx.kind = TxKind::late_interest;
    tx.transaction_id = "late_interest/" + number + "/" + date.to_iso();
    tx.text = "Forsinkelsesrente faktura " + number + " til " + date.to_iso();
  } else {
    if (!events::get_int(p, "amount_ore", amount) || !events::get_date(p, "on", date)) {
      return make_error("payload_invalid", "amount_ore", "collection.claim_written_off");
    }
    tx.kind = TxKind::write_off;
    tx.transaction_id = "write_off/" + number;
    tx.text = "Avskrevet faktura " + number;
  }
  if (amount <= 0) return std::optional<Transaction>();
  auto chart = s.rules().chart(date);
  if (!chart) return chart.error();
  tx.date = date;
  if (tx.kind == TxKind::write_off) {
    tx.entries = {debit(chart->bad_debt, amount), credit(chart->receivables, amount)};
    tx.applications.push_back({number, amount});
    o.settle(number, amount);
  } else {
    income = tx.kind == TxKind::collection_fee ? chart->fee_income : chart->interest_income;
    tx.entries = {debit(chart->receivables, amount), credit(income, amount)};
    tx.applications.push_back({number, -amount});
    o.settle(number, -amount);
    const std::int64_t balance = o.credit(item.customer_id, item.claim_family);
    if (balance > 0) {
      const std::int64_t x = std::min(balance, amount);
      tx.applications.push_back({number, x});
      tx.credit_balance_ore = -x;
      o.settle(number, x);
      o.add_credit(item.customer_id, item.claim_family, -x);
    }
  }
  return std::optional<Transaction>(std::move(tx));
}

Result<std::vector<events::EngineEvent>> decide_collection(const LedgerState& s,
                                                           const events::EventView& e,
                                                           simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  Overlay o(s);
  auto tx = collection_transaction(s, o, e.type, p);
  if (!tx) return tx.error();
  if (!*tx) return out;
  const std::string stream = "ledger/" + (*tx)->customer_id;
  out.push_back(posted_event(e, stream, posted_payload({std::move(**tx)}, nullptr, "")));
  return out;
}

// The interest charged on one posting's payments (collection.payment_interest_charged), posted
// as one ledger.transactions_posted: a transaction per charge, each decided after the ones
// before it (a customer's credit balance is taken once).
Result<std::vector<events::EngineEvent>> decide_payment_interest(const LedgerState& s,
                                                                 const events::EventView& e,
                                                                 simdjson::dom::element p) {
  std::vector<events::EngineEvent> out;
  simdjson::dom::array charges;
  if (p["charges"].get(charges) != simdjson::SUCCESS) {
    return make_error("payload_invalid", "charges", std::string(e.type) + " without charges");
  }
  Overlay o(s);
  std::vector<Transaction> txs;
  txs.reserve(charges.size());
  for (simdjson::dom::element charge : charges) {
    auto tx = collection_transaction(s, o, collection_interest_type, charge);
    if (!tx) return tx.error();
    if (*tx) txs.push_back(std::move(**tx));
  }
  if (txs.empty()) return out;
  out.push_back(posted_event(e, "ledger/interest." + std::string(e.event_id),
                             posted_payload(txs, nullptr, "")));
  return out;
}

}  // namespace

std::string LedgerService::state_version() const {
  return "ledger.state.4/" + state_.rules().rule_version();
}

std::vector<std::string> LedgerService::input_types() const {
  return {std::string(invoicing::invoice_issued_type),
          std::string(runtime::command_completed_type),
          std::string(ocr_batch_type),
          std::string(allocation_requested_type),
          std::string(collection_notice_type),
          std::string(collection_interest_type),
          std::string(collection_payment_interest_type),
          std::string(collection_write_off_type),
          std::string(refund_requested_type),
          std::string(refund_decided_type)};
}

bool LedgerService::decides(std::string_view type) const {
  return type == runtime::command_completed_type || type == ocr_batch_type ||
         type == allocation_requested_type || type == collection_notice_type ||
         type == collection_interest_type || type == collection_payment_interest_type ||
         type == collection_write_off_type || type == refund_requested_type ||
         type == refund_decided_type;
}

int LedgerService::parts(const events::EventView& e, simdjson::dom::element p) const {
  if (e.type != ocr_batch_type) return 1;
  std::int64_t n = 1;
  if (p["partitions"].get(n) != simdjson::SUCCESS) return 1;
  return n > 1 && n <= runtime::parts_max ? static_cast<int>(n) : 1;
}

bool LedgerService::spans_customers(std::string_view type) const {
  return type == ocr_batch_type;
}

Result<std::vector<events::EngineEvent>> LedgerService::decide(const events::EventView& e,
                                                               simdjson::dom::element p,
                                                               runtime::Part part) const {
  if (e.type == runtime::command_completed_type) return decide_documents(state_, e, p);
  if (e.type == ocr_batch_type) return decide_payment_batch(state_, e, p, part);
  if (e.type == collection_notice_type || e.type == collection_interest_type ||
      e.type == collection_write_off_type) {
    return decide_collection(state_, e, p);
  }
  if (e.type == collection_payment_interest_type) return decide_payment_interest(state_, e, p);
  if (e.type == refund_requested_type) return decide_refund_request(state_, e, p, part);
  if (e.type == refund_decided_type) return decide_refund_decision(state_, e, p, part);
  return decide_allocation(state_, e, p, part);
}

std::unique_ptr<LedgerService> make_ledger_service() {
  return std::make_unique<LedgerService>(invoicing::BillingRules::builtin());
}

std::unique_ptr<replay::Projection> make_ledger_projection() {
  return std::make_unique<LedgerProjection>();
}

}  // namespace oppgjor::ledger
