// The ledger state: folding, rows and snapshots (ledger_state.h).
#include "services/ledger/ledger_state.h"

#include <algorithm>
#include <optional>

#include "common/assert.h"
#include "events/canonical_json.h"
#include "services/runtime/commands.h"
#include "services/runtime/snapshot_lines.h"

namespace oppgjor::ledger {

namespace {

void write_pair_row(events::CanonicalWriter& w, std::string_view k1, std::int64_t v1,
                    std::string_view k2, std::int64_t v2) {
  w.begin_object();
  w.field_int(k1, v1);
  w.field_int(k2, v2);
  w.end_object();
}

}  // namespace

std::int64_t OpenItem::open_on(Date as_of) const {
  std::int64_t open = original_ore;
  for (const auto& c : changes) {
    if (c.date <= as_of) open -= c.amount_ore;
  }
  return open;
}

bool LedgerState::folds(std::string_view type) {
  return type == invoicing::invoice_issued_type || type == transactions_posted_type ||
         type == refund_recorded_type || type == runtime::command_completed_type;
}

const std::vector<std::string>* LedgerState::unposted(std::string_view command_event_id) const {
  auto it = unposted_.find(command_event_id);
  return it == unposted_.end() || it->second.empty() ? nullptr : &it->second;
}

const OpenItem* LedgerState::item_by_kid(std::string_view kid) const {
  return kid_index_.find(kid);
}

const OpenItem* LedgerState::item(std::string_view invoice_number) const {
  return item_index_.find(invoice_number);
}

const std::vector<std::string>& LedgerState::invoices_of(const std::string& customer_id) const {
  static const std::vector<std::string> none;
  auto it = by_customer_.find(customer_id);
  return it == by_customer_.end() ? none : it->second;
}

std::int64_t LedgerState::credit_on(const std::string& customer_id, Date as_of) const {
  auto it = credit_history_.find(customer_id);
  if (it == credit_history_.end()) return 0;
  std::int64_t sum = 0;
  for (const auto& [date, delta] : it->second) {
    if (date <= as_of) sum += delta;
  }
  return sum;
}

Status LedgerState::fold(const events::EventView& e, simdjson::dom::element p) {
  if (e.type == invoicing::invoice_issued_type) return fold_document(p, e.payload, e.causation_id);
  if (e.type == runtime::command_completed_type) return fold_answer(e, p);
  if (e.type == transactions_posted_type) {
    posted_json_.emplace_back(e.payload);
    return fold_posted(p);
  }
  if (e.type == refund_recorded_type) return fold_refund(p, e.payload);
  return ok_status();
}

Status LedgerState::fold_answer(const events::EventView& e, simdjson::dom::element p) {
  // The invoicing service's answer has been decided on (the postings, if any, follow it):
  // nothing of its command waits any more. Another service's answer changes nothing.
  std::string_view service;
  if (p["service"].get(service) != simdjson::SUCCESS || service != document_service) {
    return ok_status();
  }
  if (!e.causation_id.empty()) {
    auto it = unposted_.find(e.causation_id);
    if (it != unposted_.end()) unposted_.erase(it);
  }
  return ok_status();
}

Status LedgerState::fold_refund(simdjson::dom::element p, std::string_view payload) {
  auto r = decode_refund(p);
  if (!r) return r.error();
  refunds_json_.insert_or_assign(r->refund_id, std::string(payload));
  const std::string id = r->refund_id;
  refunds_.insert_or_assign(id, std::move(r).value());
  return ok_status();
}

std::int64_t LedgerState::pending_refunds(const std::string& customer_id,
                                          const std::string& family) const {
  std::int64_t sum = 0;
  for (const auto& [id, r] : refunds_) {
    if (r.status == RefundStatus::pending && r.customer_id == customer_id &&
        r.claim_family == family) {
      sum += r.amount_ore;
    }
  }
  return sum;
}

Status LedgerState::fold_document(simdjson::dom::element p, std::string_view payload,
                                  std::string_view command) {
  // The header is all the open item needs; document() decodes the rest when it is asked for.
  auto inv = invoicing::decode_invoice(p, invoicing::InvoiceParts::header);
  if (!inv) return inv.error();
  // The document waits for its command's answer (every document is issued by a run).
  if (!command.empty()) unposted_[std::string(command)].push_back(inv->invoice_number);
  documents_json_.insert_or_assign(inv->invoice_number, std::string(payload));
  if (inv->kind == invoicing::DocumentKind::invoice) {
    OpenItem item;
    item.invoice_number = inv->invoice_number;
    item.customer_id = inv->customer_id;
    item.claim_type = inv->claim_type;
    auto rules = rules_->claim_type(inv->claim_type, inv->issue_date);
    item.claim_family = rules ? rules->claim_family : inv->claim_type;
    item.kid = inv->kid;
    item.issue_date = inv->issue_date;
    item.due_date = inv->due_date;
    item.original_ore = inv->total_ore;
    item.open_ore = inv->total_ore;
    by_customer_[item.customer_id].push_back(item.invoice_number);
    const std::string number = item.invoice_number;
    // std::map nodes stay where they are: the indexes point at the item and view its keys.
    // An item issued again under its number (none in practice) gives its old KID's bytes to
    // replaced_kids_ first, so no view in the index dangles (ledger_state.h).
    if (auto old = items_.find(number); old != items_.end() && !old->second.kid.empty()) {
      replaced_kids_.push_back(std::move(old->second.kid));
      kid_index_.insert_or_assign(replaced_kids_.back(), &old->second);
    }
    const auto stored = items_.insert_or_assign(number, std::move(item)).first;
    item_index_.insert_or_assign(stored->first, &stored->second);
    if (!stored->second.kid.empty()) {
      kid_index_.insert_or_assign(stored->second.kid, &stored->second);
    }
  }
  return ok_status();
}

namespace {

// A document's payload as the ledger keeps it, decoded whole.
Result<invoicing::Invoice> whole_document(std::string_view number, std::string_view json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element p;
  if (parser.parse(json).get(p) != simdjson::SUCCESS) {
    return make_error("malformed_json", "document",
                      "the payload of " + std::string(number) + " is not JSON");
  }
  return invoicing::decode_invoice(p);
}

}  // namespace

Result<invoicing::Invoice> LedgerState::document(std::string_view invoice_number) const {
  auto it = documents_json_.find(invoice_number);
  if (it == documents_json_.end()) {
    return make_error(
        "document_unknown", "invoice_number",
        "no invoice or credit note " + std::string(invoice_number) + " in the ledger");
  }
  return whole_document(it->first, it->second);
}

Status LedgerState::for_each_document(
    const std::function<Status(const invoicing::Invoice&)>& fn) const {
  for (const auto& [number, json] : documents_json_) {
    auto doc = whole_document(number, json);
    if (!doc) return doc.error();
    if (auto st = fn(*doc); !st.ok()) return st;
  }
  return ok_status();
}

Status LedgerState::fold_posted(simdjson::dom::element p) {
  auto st = for_each_posted_row(
      p,
      [&](const CompactPaymentRow& row, const PaymentAccounts& accounts) {
        return apply(row, accounts);
      },
      [&](Transaction&& tx) { return apply(tx); });
  if (!st) return st;
  simdjson::dom::element summary;
  if (p["summary"].get(summary) == simdjson::SUCCESS) {
    std::string_view sha;
    if (summary["file_sha256"].get(sha) == simdjson::SUCCESS) {
      FileStats f;
      const std::pair<std::string_view, std::int64_t*> fields[] = {
          {"payments", &f.payments},     {"matched", &f.matched},      {"partial", &f.partial},
          {"overpaid", &f.overpaid},     {"suspense", &f.suspense},    {"reversals", &f.reversals},
          {"duplicates", &f.duplicates}, {"amount_ore", &f.amount_ore}};
      for (const auto& [key, target] : fields) {
        std::int64_t v = 0;
        if (summary[key].get(v) == simdjson::SUCCESS) *target = v;
      }
      add_file_stats(std::string(sha), f);
    }
  }
  return ok_status();
}

void LedgerState::add_file_stats(const std::string& sha, const FileStats& f) {
  FileStats& t = files_[sha];
  t.payments += f.payments;
  t.matched += f.matched;
  t.partial += f.partial;
  t.overpaid += f.overpaid;
  t.suspense += f.suspense;
  t.reversals += f.reversals;
  t.duplicates += f.duplicates;
  t.amount_ore += f.amount_ore;
}

namespace {

// The payment reference a transaction id payment/<ref> names ("" for any other id).
std::string_view payment_ref_of(std::string_view transaction_id) {
  if (transaction_id.substr(0, payment_id_prefix.size()) != payment_id_prefix) return {};
  return transaction_id.substr(payment_id_prefix.size());
}

}  // namespace

bool LedgerState::posted(std::string_view transaction_id) const {
  if (transaction_ids_.find(transaction_id) != transaction_ids_.end()) return true;
  const std::string_view ref = payment_ref_of(transaction_id);
  return !ref.empty() && booked(ref);
}

std::string StatementRow::transaction_id() const {
  return payment_ref.empty() ? own_id : payment_transaction_id(payment_ref);
}

std::string StatementRow::text() const {
  return payment_ref.empty() ? own_text : payment_text(invoice_number);
}

std::string_view LedgerState::receivables_on(Date date) const {
  const invoicing::Chart* chart = rules_->chart_in_force(date);
  return chart == nullptr ? std::string_view() : std::string_view(chart->receivables);
}

std::pair<std::int64_t, std::int64_t>& LedgerState::account_day(const std::string& account,
                                                                Date date) {
  return accounts_[account][date];
}

StatementRow LedgerState::statement_row(const Transaction& tx, std::string_view kept_ref) const {
  StatementRow row;
  row.date = tx.date;
  row.kind = tx.kind;
  row.invoice_number = tx.invoice_number;
  // A payment's id and text are those of its compact row: keep its reference only.
  if (!kept_ref.empty() && is_payment_transaction_id(tx.transaction_id, tx.payment_ref) &&
      is_payment_text(tx.text, tx.invoice_number)) {
    row.payment_ref = kept_ref;
  } else {
    row.own_id = tx.transaction_id;
    row.own_text = tx.text;
  }
  // What the customer owes moves with the receivables account: debit raises, credit lowers.
  const std::string_view receivables = receivables_on(tx.date);
  for (const auto& entry : tx.entries) {
    if (entry.account != receivables) continue;
    row.charged_ore += entry.debit_ore;
    row.paid_ore += entry.credit_ore;
  }
  return row;
}

Status LedgerState::apply(const Transaction& tx) {
  OPPGJOR_ASSERT(balances(tx), "a ledger transaction balances");
  // A payment's transaction is recorded by its reference alone (ledger_state.h).
  const std::string_view id_ref = payment_ref_of(tx.transaction_id);
  const bool by_ref = !tx.payment_ref.empty() && id_ref == tx.payment_ref;
  std::optional<std::string_view> kept_ref;
  bool fresh = false;
  if (by_ref) {
    fresh = (payment_ids_kept_ == 0 ||
             transaction_ids_.find(tx.transaction_id) == transaction_ids_.end()) &&
            (kept_ref = payment_refs_.insert_kept(tx.payment_ref)).has_value();
  } else {
    fresh =
        (id_ref.empty() || !booked(id_ref)) && transaction_ids_.insert(tx.transaction_id).second;
    if (fresh && !id_ref.empty()) ++payment_ids_kept_;
  }
  if (!fresh) {
    return make_error("transaction_duplicate", "transaction_id",
                      "ledger transaction " + tx.transaction_id + " was posted twice");
  }
  for (const auto& entry : tx.entries) {
    auto& day = account_day(entry.account, tx.date);
    day.first += entry.debit_ore;
    day.second += entry.credit_ore;
  }
  for (const auto& a : tx.applications) {
    OpenItem* paid = item_index_.find(a.invoice_number);
    if (paid == nullptr) {
      return make_error(
          "item_unknown", "applications",
          "transaction " + tx.transaction_id + " settles unknown invoice " + a.invoice_number);
    }
    paid->open_ore -= a.amount_ore;
    paid->changes.push_back({tx.date, a.amount_ore, tx.kind == TxKind::credit_note});
  }
  if (tx.credit_balance_ore != 0) {
    credits_[tx.customer_id][tx.claim_family] += tx.credit_balance_ore;
    credit_history_[tx.customer_id].emplace_back(tx.date, tx.credit_balance_ore);
  }
  if (!tx.suspense_id.empty()) {
    SuspenseItem& s = suspense_[tx.suspense_id];
    if (s.suspense_id.empty()) {
      s.suspense_id = tx.suspense_id;
      s.kid = tx.kid;
      s.reason = tx.suspense_reason;
      s.date = tx.date;
      s.original_ore = tx.suspense_ore;
    }
    s.amount_ore += tx.suspense_ore;
    s.changes.emplace_back(tx.date, tx.suspense_ore);
  }
  if (!by_ref && !tx.payment_ref.empty()) payment_refs_.insert(tx.payment_ref);
  if (!tx.customer_id.empty()) {
    statements_[tx.customer_id].push_back(statement_row(tx, kept_ref.value_or("")));
  }
  return ok_status();
}

Status LedgerState::apply(const CompactPaymentRow& row, const PaymentAccounts& accounts) {
  // What apply() does with the row's transaction (expand_compact_payment): the invoice gives
  // the customer, KID and claim family; the id is payment/<ref>, recorded by its reference.
  OpenItem* item = item_index_.find(row.invoice_number);
  if (item == nullptr) return compact_payee_unknown(row);
  std::int64_t applied = row.credit_balance_ore;
  for (const auto& a : *row.applications) applied += a.amount_ore;
  OPPGJOR_ASSERT(row.amount_ore > 0 && applied == row.amount_ore,
                 "a compact ledger payment balances");
  std::optional<std::string_view> kept;
  if (payment_ids_kept_ == 0 ||
      transaction_ids_.find(payment_transaction_id(row.payment_ref)) == transaction_ids_.end()) {
    kept = payment_refs_.insert_kept(row.payment_ref);
  }
  if (!kept) {
    return make_error(
        "transaction_duplicate", "transaction_id",
        "ledger transaction " + payment_transaction_id(row.payment_ref) + " was posted twice");
  }
  auto& bank = account_day(accounts.bank, row.date);
  bank.first += row.amount_ore;
  auto& receivables = account_day(accounts.receivables, row.date);
  receivables.second += row.amount_ore;
  for (const auto& a : *row.applications) {
    OpenItem* paid = item;
    if (a.invoice_number != item->invoice_number) {
      paid = item_index_.find(a.invoice_number);
      if (paid == nullptr) {
        return make_error("item_unknown", "applications",
                          "transaction " + payment_transaction_id(row.payment_ref) +
                              " settles unknown invoice " + std::string(a.invoice_number));
      }
    }
    paid->open_ore -= a.amount_ore;
    paid->changes.push_back({row.date, a.amount_ore, false});
  }
  if (row.credit_balance_ore != 0) {
    credits_[item->customer_id][item->claim_family] += row.credit_balance_ore;
    credit_history_[item->customer_id].emplace_back(row.date, row.credit_balance_ore);
  }
  if (item->customer_id.empty()) return ok_status();
  StatementRow line;
  line.date = row.date;
  line.kind = TxKind::payment;
  line.invoice_number = row.invoice_number;
  line.payment_ref = *kept;
  // The entries: D bank, C receivables (statement_row()).
  const std::string_view on_statement = receivables_on(row.date);
  if (accounts.bank == on_statement) line.charged_ore += row.amount_ore;
  if (accounts.receivables == on_statement) line.paid_ore += row.amount_ore;
  statements_[item->customer_id].push_back(std::move(line));
  return ok_status();
}

void LedgerState::emit(replay::RowSink& sink) const {
  std::string v;
  for (const auto& [account, days] : accounts_) {
    std::int64_t debit = 0;
    std::int64_t credit = 0;
    for (const auto& [date, dc] : days) {
      debit += dc.first;
      credit += dc.second;
    }
    v.clear();
    events::CanonicalWriter w(v);
    write_pair_row(w, "credit_ore", credit, "debit_ore", debit);
    sink.row("account/" + account, v);
  }
  for (const auto& [customer, families] : credits_) {
    for (const auto& [family, amount] : families) {
      v.clear();
      events::CanonicalWriter w(v);
      w.begin_object();
      w.field_int("credit_ore", amount);
      w.end_object();
      sink.row("credit/" + customer + "/" + family, v);
    }
  }
  for (const auto& [sha, f] : files_) {
    v.clear();
    events::CanonicalWriter w(v);
    w.begin_object();
    w.field_int("amount_ore", f.amount_ore);
    w.field_int("duplicates", f.duplicates);
    w.field_int("matched", f.matched);
    w.field_int("overpaid", f.overpaid);
    w.field_int("partial", f.partial);
    w.field_int("payments", f.payments);
    w.field_int("reversals", f.reversals);
    w.field_int("suspense", f.suspense);
    w.end_object();
    sink.row("file/" + sha, v);
  }
  for (const auto& [number, item] : items_) {
    v.clear();
    events::CanonicalWriter w(v);
    w.begin_object();
    w.field("customer_id", item.customer_id);
    w.field("kid", item.kid);
    w.field_int("open_ore", item.open_ore);
    w.field_int("original_ore", item.original_ore);
    w.end_object();
    sink.row("item/" + number, v);
  }
  for (const auto& [id, json] : refunds_json_) sink.row("refund/" + id, json);
  for (const auto& [id, s] : suspense_) {
    v.clear();
    events::CanonicalWriter w(v);
    w.begin_object();
    w.field_int("amount_ore", s.amount_ore);
    w.field("kid", s.kid);
    w.field("reason", s.reason);
    w.end_object();
    sink.row("suspense/" + id, v);
  }
}

// The snapshot (runtime/snapshot_lines.h): a head with the documents waiting to be posted, then
// the payloads the state folds as they came, one line each: the documents, the postings in log
// order, the latest record of each refund.
std::string LedgerState::save() const {
  return runtime::saved_whole(*this);
}

void LedgerState::save_to(runtime::SnapshotSink& sink) const {
  // The snapshot is mostly the payloads it holds, one record line each, handed on a MiB at a time.
  runtime::SnapshotChunks chunks(sink);
  std::string& out = chunks.text();
  events::CanonicalWriter w(out);
  w.begin_object();
  w.key("unposted");
  w.begin_array();
  for (const auto& [command, numbers] : unposted_) {
    if (numbers.empty()) continue;
    w.begin_object();
    w.field("command_event_id", command);
    w.key("documents");
    w.begin_array();
    for (const auto& n : numbers) {
      w.string_value(n);
      chunks.maybe_flush();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out.push_back('\n');
  for (const auto& [number, json] : documents_json_) {
    runtime::append_snapshot_record<1>(out, {"document"}, json);
    chunks.maybe_flush();
  }
  for (const auto& json : posted_json_) {
    runtime::append_snapshot_record<1>(out, {"posted"}, json);
    chunks.maybe_flush();
  }
  for (const auto& [id, json] : refunds_json_) {
    runtime::append_snapshot_record<1>(out, {"refund"}, json);
    chunks.maybe_flush();
  }
  chunks.flush();
}

Status LedgerState::load(std::string_view snapshot) {
  const auto bad = [](const char* field) {
    return make_error("snapshot_invalid", field, "ledger snapshot unreadable");
  };
  std::string_view records;
  auto head = runtime::snapshot_head(snapshot, records, "ledger");
  if (!head) return head.error();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array list;
  if (parser.parse(head->data(), head->size()).get(doc) != simdjson::SUCCESS ||
      doc["unposted"].get(list) != simdjson::SUCCESS) {
    return bad("unposted");
  }
  for (simdjson::dom::element e : list) {
    std::string_view command;
    simdjson::dom::array numbers;
    if (e["command_event_id"].get(command) != simdjson::SUCCESS ||
        e["documents"].get(numbers) != simdjson::SUCCESS) {
      return bad("unposted");
    }
    auto& waiting = unposted_[std::string(command)];
    for (simdjson::dom::element n : numbers) {
      std::string_view number;
      if (n.get(number) != simdjson::SUCCESS) return bad("unposted");
      waiting.emplace_back(number);
    }
  }
  // Documents first (issue order is number order within a series), then the postings in log
  // order: the same state as the fold, since every posting follows its document. Each payload is
  // parsed alone (the head's parser is done with) and kept as it is.
  return runtime::for_each_snapshot_record<1>(
      records, "ledger", parser,
      [&](const std::array<std::string_view, 1>& fields, std::string_view json,
          simdjson::dom::element e) -> Status {
        if (fields[0] == "document") return fold_document(e, json, {});  // waiting: "unposted"
        if (fields[0] == "posted") {
          posted_json_.emplace_back(json);
          return fold_posted(e);
        }
        if (fields[0] == "refund") return fold_refund(e, json);
        return bad("records");
      });
}

PayeeOf LedgerState::payee_lookup() const {
  return [this](std::string_view number) -> std::optional<Payee> {
    const OpenItem* it = item(number);
    if (it == nullptr) return std::nullopt;
    return Payee{it->customer_id, it->kid, it->claim_family};
  };
}

Result<std::vector<Transaction>> posted_transactions(const LedgerState& state) {
  std::vector<Transaction> out;
  simdjson::dom::parser parser;
  const PayeeOf payee_of = state.payee_lookup();
  for (const std::string& json : state.posted_payloads()) {
    simdjson::dom::element doc;
    if (parser.parse(json).get(doc) != simdjson::SUCCESS) {
      return make_error("transaction_invalid", "payload", "a recorded posting does not parse");
    }
    simdjson::dom::array list;
    if (doc["transactions"].get(list) != simdjson::SUCCESS) continue;
    auto st = for_each_posted(doc, payee_of, [&](Transaction&& tx) {
      OPPGJOR_ASSERT(balances(tx), "a posted ledger transaction balances");
      out.push_back(std::move(tx));
      return ok_status();
    });
    if (!st) return st.error();
  }
  return out;
}

}  // namespace oppgjor::ledger
