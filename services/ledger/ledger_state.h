// The ledger (reskontro) state (docs/INVOICING.md, "The ledger"): open items per invoice, customer
// credit balances per claim family, the suspense items, the accounts' debits and credits per
// booking date, the customer statements, and what each OCR file booked. Folded from
//   invoicing.invoice_issued (an open item per invoice; the credit note's effect comes with its
//     posting; the document waits, "unposted", under the command that issued it),
//   service.command_completed (the invoicing service's answer to that command, or to one part of
//     it: the ledger posts the waiting documents then, ledger_service.h; folding it ends the wait),
//   ledger.transactions_posted (the postings, applied exactly as written),
//   ledger.refund_recorded (refunds of credit balances, the latest record of each; refunds.h).
// As-of reports read the dated parts (reports.h). Not thread-safe; one instance per fold.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "common/string_hash.h"
#include "common/view_index.h"
#include "common/view_set.h"
#include "events/envelope.h"
#include "replay/projection.h"
#include "services/invoicing/billing_rules.h"
#include "services/invoicing/invoice.h"
#include "services/ledger/refunds.h"
#include "services/ledger/transaction.h"
#include "services/runtime/snapshot_sink.h"

namespace oppgjor::ledger {

inline constexpr std::string_view allocation_requested_type = "payments.allocation_requested";
// The service whose documents the ledger posts when it answers their command
// (services/invoicing/invoicing_service.h service_name).
inline constexpr std::string_view document_service = "invoicing";

struct OpenItem {
  std::string invoice_number;
  std::string customer_id;
  std::string claim_type;
  std::string claim_family;
  std::string kid;
  Date issue_date;
  Date due_date;
  std::int64_t original_ore = 0;
  std::int64_t open_ore = 0;  // now
  struct Change {
    Date date;
    std::int64_t amount_ore = 0;  // settled (> 0) or re-opened (< 0)
    bool by_credit_note = false;  // a credit note, not money
  };
  std::vector<Change> changes;             // in log order
  std::int64_t open_on(Date as_of) const;  // REQUIRES: issue_date <= as_of for a meaningful row
};

struct SuspenseItem {
  std::string suspense_id;
  std::string kid;
  std::int64_t amount_ore = 0;  // still in suspense
  std::int64_t original_ore = 0;
  std::string reason;
  Date date;
  std::vector<std::pair<Date, std::int64_t>> changes;  // into (> 0) / out of (< 0) suspense
};

// A row of a customer's statement. A payment's row keeps its payment reference only (a view of
// the ledger's own copy, common::ViewSet's arena, which never moves): its transaction id and text
// follow from it and from the invoice number, as in the compact posting (transaction.h). Every
// other row keeps both.
struct StatementRow {
  Date date;
  TxKind kind = TxKind::invoice;
  std::string invoice_number;
  std::string_view payment_ref;  // not empty: a payment's row, id and text derived
  std::string own_id;            // the others' transaction id
  std::string own_text;          // and text
  std::int64_t charged_ore = 0;  // raises what the customer owes
  std::int64_t paid_ore = 0;     // lowers it (payments, credit notes)

  std::string transaction_id() const;
  std::string text() const;
};

struct FileStats {
  std::int64_t payments = 0;
  std::int64_t matched = 0;
  std::int64_t partial = 0;
  std::int64_t overpaid = 0;
  std::int64_t suspense = 0;
  std::int64_t reversals = 0;
  std::int64_t duplicates = 0;  // payments already booked from another file
  std::int64_t amount_ore = 0;
};

class LedgerState {
 public:
  explicit LedgerState(const invoicing::BillingRules& rules) : rules_(&rules) {}

  static bool folds(std::string_view type);
  Status fold(const events::EventView& e, simdjson::dom::element payload);

  const invoicing::BillingRules& rules() const { return *rules_; }
  const std::map<std::string, OpenItem>& items() const { return items_; }
  const OpenItem* item_by_kid(std::string_view kid) const;
  // An invoice's open item by number (nullptr: none); hashed, as every payment asks for it.
  const OpenItem* item(std::string_view invoice_number) const;
  // A customer's invoices (numbers, issue order).
  const std::vector<std::string>& invoices_of(const std::string& customer_id) const;
  // A document (invoice or credit note) by number, decoded whole from the payload it was issued
  // with: the state keeps documents as their payloads only ("document_unknown" when none).
  Result<invoicing::Invoice> document(std::string_view invoice_number) const;
  // Every document, decoded whole, in number order; stops at the first error `fn` returns.
  Status for_each_document(const std::function<Status(const invoicing::Invoice&)>& fn) const;
  // customer → claim family → credit balance (> 0: the customer has money to get back)
  const std::map<std::string, std::map<std::string, std::int64_t>>& credits() const {
    return credits_;
  }
  std::int64_t credit_on(const std::string& customer_id, Date as_of) const;
  const std::map<std::string, SuspenseItem>& suspense() const { return suspense_; }
  // Refunds by refund_id (the latest record of each).
  const std::map<std::string, Refund>& refunds() const { return refunds_; }
  // What the customer's pending refunds in the claim family ask for.
  std::int64_t pending_refunds(const std::string& customer_id, const std::string& family) const;
  bool booked(std::string_view payment_ref) const { return payment_refs_.contains(payment_ref); }
  // A payment's transaction (payment/<payment_ref>) is known by its reference alone.
  bool posted(std::string_view transaction_id) const;
  // account → booking date → (debit, credit)
  const std::map<std::string, std::map<Date, std::pair<std::int64_t, std::int64_t>>>& accounts()
      const {
    return accounts_;
  }
  const std::map<std::string, std::vector<StatementRow>>& statements() const { return statements_; }
  const std::map<std::string, FileStats>& files() const { return files_; }
  // Every ledger.transactions_posted payload, in log order (exports decode them).
  const std::vector<std::string>& posted_payloads() const { return posted_json_; }
  // The documents issued by the command `command_event_id` (their causation) and folded since
  // its last answer, in issue order; nullptr when there are none. The ledger posts them when
  // the invoicing service answers the command (ledger_service.h).
  const std::vector<std::string>* unposted(std::string_view command_event_id) const;

  // The payee of an invoice number for compact payment rows (transaction.h): its open item.
  PayeeOf payee_lookup() const;
  // Applies one transaction (also used by the decision to see its own earlier payments).
  Status apply(const Transaction& tx);
  // Applies a compact payment row as it stands: the same as apply(expand_compact_payment(...))
  // with its invoice's payee (CompactPayment tests), with no transaction built.
  Status apply(const CompactPaymentRow& row, const PaymentAccounts& accounts);
  void add_file_stats(const std::string& file_sha256, const FileStats& stats);

  void emit(replay::RowSink& sink) const;
  std::string save() const;
  // save()'s bytes in pieces, through a reused buffer (runtime/snapshot_sink.h).
  void save_to(runtime::SnapshotSink& sink) const;
  Status load(std::string_view snapshot);

 private:
  // `command`: the causation of an issued document, under which it waits to be posted ("": a
  // snapshot's document, whose waiting is restored from its own list).
  Status fold_document(simdjson::dom::element p, std::string_view payload,
                       std::string_view command);
  Status fold_posted(simdjson::dom::element p);
  Status fold_refund(simdjson::dom::element p, std::string_view payload);
  Status fold_answer(const events::EventView& e, simdjson::dom::element p);
  // A customer's statement row for `tx` (the compact form when it is a payment's).
  StatementRow statement_row(const Transaction& tx, std::string_view kept_ref) const;
  // account `account`'s debits and credits on `date`.
  std::pair<std::int64_t, std::int64_t>& account_day(const std::string& account, Date date);
  // The receivables account in force on `date` ("" when no chart is): a statement row's amounts
  // are what moves on it.
  std::string_view receivables_on(Date date) const;

  const invoicing::BillingRules* rules_;
  // Invoices and credit notes by number: their payloads, as issued (document()).
  std::map<std::string, std::string, std::less<>> documents_json_;
  std::map<std::string, OpenItem> items_;  // invoices only
  // KID (a view of the item's own) → its invoice's item (a node of items_, which never moves);
  // hashed: every payment asks.
  common::ViewIndex<OpenItem> kid_index_;
  // The KIDs of items issued again under the same number (none in practice): the index still
  // finds the item by its old KID, a view of the bytes kept here, not of a string since replaced.
  std::deque<std::string> replaced_kids_;
  // Invoice number (a view of its key in items_) → its item: payments, their postings and the
  // compact rows' expansion look items up by number, a std::map walk of string compares each.
  common::ViewIndex<OpenItem> item_index_;
  std::map<std::string, std::vector<std::string>> by_customer_;
  std::map<std::string, std::map<std::string, std::int64_t>> credits_;
  std::map<std::string, std::vector<std::pair<Date, std::int64_t>>> credit_history_;
  std::map<std::string, SuspenseItem> suspense_;
  std::map<std::string, Refund> refunds_;
  std::map<std::string, std::string> refunds_json_;  // their latest payloads, for snapshots
  // Every payment reference booked: views into the set's own arena (common/view_set.h), one
  // probe and no allocation of its own per payment.
  common::ViewSet payment_refs_;
  // The ids of the transactions posted, but a payment's (payment/<payment_ref>, in payment_refs_):
  // one hashed string per payment, not two.
  common::StringSet transaction_ids_;
  std::map<std::string, std::map<Date, std::pair<std::int64_t, std::int64_t>>> accounts_;
  std::map<std::string, std::vector<StatementRow>> statements_;
  std::map<std::string, FileStats> files_;
  std::vector<std::string> posted_json_;  // every ledger.transactions_posted payload, for snapshots
  // The transaction ids with the payment prefix that transaction_ids_ holds (a payment's id
  // whose reference is not its own; none in practice): a payment's id is looked up there only when
  // there are any.
  std::size_t payment_ids_kept_ = 0;
  // command event id → documents it issued that wait for its answer (unposted() above)
  std::map<std::string, std::vector<std::string>, std::less<>> unposted_;
};

// Every posted transaction, in log order, decoded from the recorded postings (the exports' view:
// GL07, SAF-T); each balances (asserted, always on).
Result<std::vector<Transaction>> posted_transactions(const LedgerState& state);

}  // namespace oppgjor::ledger
