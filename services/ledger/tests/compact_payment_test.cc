// The compact payment row of ledger.transactions_posted v2 (transaction.h): a payment batch's
// posting writes each payment matched by KID as {payment_ref, date, invoice_number, amount_ore,
// applications, credit_balance_ore} on the event's payment_accounts. Expanded, a row is exactly
// the transaction decided, so a ledger folding the compact event and one folding the same
// transactions written whole (v1) hold the same state, statements and exports' view.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <simdjson.h>

#include "events/canonical_json.h"
#include "events/schema_registry.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/ledger_state.h"
#include "services/ledger/payments.h"
#include "services/ledger/tests/ledger_harness.h"
#include "services/ledger/transaction.h"

namespace oppgjor::ledger {
namespace {

using ledger_testing::Harness;

Payment payment(int number, std::int64_t amount, const std::string& kid, bool reversal = false) {
  Payment p;
  p.transaction_number = number;
  p.payment_ref = "0000001/0000002/" + std::to_string(number);
  p.transaction_type = reversal ? 19 : 13;  // Nets: 19 reversal; 13 OCR giro payment
  p.reversal = reversal;
  p.settlement_date = *common::Date::parse("2026-02-25");
  p.amount_ore = amount;
  p.kid = kid;
  p.archive_reference = "1";
  return p;
}

std::string kid_of(int sequence) {  // as Harness::document makes it
  char kid[32];
  std::snprintf(kid, sizeof kid, "%07d%010d", sequence, sequence);
  return kid;
}

std::string batch_of(const std::vector<Payment>& payments) {
  PaymentBatch b;
  b.file_sha256 = std::string(64, 'a');
  b.transmission_number = "0000001";
  b.assignment_number = "0000002";
  b.batch_index = 0;
  b.batch_count = 1;
  b.payments = payments;
  b.file_payments = static_cast<std::int64_t>(payments.size());
  for (const auto& p : payments) b.file_amount_ore += p.amount_ore;
  return batch_payload(b);
}

// Three invoices (C100001: 1000 kr, C100002: 2000 kr, C100003: 3000 kr), posted.
void issue_three(Harness& h) {
  h.document("run-1", 1, "C100001", 100000);
  h.document("run-1", 2, "C100002", 200000);
  h.document("run-1", 3, "C100003", 300000);
  ASSERT_EQ(h.answer("run-1").size(), 1u);
}

// Every kind of payment a batch books: exact, partial, two over the open amount (the second on
// an invoice already paid: all of it a credit balance), unknown and missing KID, a reversal.
std::vector<Payment> mixed_payments() {
  return {payment(1, 100000, kid_of(1)),      payment(2, 50000, kid_of(2)),
          payment(3, 350000, kid_of(3)),      payment(4, 20000, kid_of(1)),
          payment(5, 7000, "99999999999999"), payment(6, 8000, ""),
          payment(7, 50000, kid_of(2), true)};
}

std::string all_transactions(const Transaction& tx) {
  std::string out;
  events::CanonicalWriter w(out);
  write_transaction(w, tx);
  return out;
}

TEST(CompactPayment, ABatchPostsItsMatchedPaymentsAsCompactRowsAndTheRestWhole) {
  Harness h;
  issue_three(h);
  const auto out = h.feed(std::string(ocr_batch_type), batch_of(mixed_payments()), "");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].schema_version, transactions_posted_compact_version);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(out[0].payload_json).get(doc), simdjson::SUCCESS);
  std::string_view bank;
  std::string_view receivables;
  ASSERT_EQ(doc["payment_accounts"]["bank"].get(bank), simdjson::SUCCESS);
  ASSERT_EQ(doc["payment_accounts"]["receivables"].get(receivables), simdjson::SUCCESS);
  EXPECT_EQ(receivables, "1500");
  std::vector<std::string> shapes;
  for (simdjson::dom::element row : doc["transactions"].get_array()) {
    shapes.push_back(is_compact_payment(row) ? "compact"
                                             : std::string(row["kind"].get_string().value()));
  }
  EXPECT_EQ(shapes, (std::vector<std::string>{"compact", "compact", "compact", "compact",
                                              "unmatched", "unmatched", "reversal"}));
  // The payment to an invoice already paid has no applications: all of it is a credit balance.
  simdjson::dom::element fourth = doc["transactions"].at(3);
  EXPECT_NE(fourth["applications"].error(), simdjson::SUCCESS);
  EXPECT_EQ(fourth["credit_balance_ore"].get_int64().value(), 20000);
  // Each payment is still its own transaction, booked once, on its customer's statement.
  EXPECT_TRUE(h.state().booked("0000001/0000002/1"));
  EXPECT_TRUE(h.state().posted("payment/0000001/0000002/1"));
  ASSERT_EQ(h.state().statements().at("C100001").size(), 3u);  // invoice, two payments
  EXPECT_EQ(h.state().statements().at("C100001")[1].text(),
            "Innbetaling, faktura " + invoicing::invoice_number_of(1, 1));
  EXPECT_EQ(h.state().statements().at("C100001")[2].paid_ore, 20000);
  const std::string& family = h.state().items().at(invoicing::invoice_number_of(1, 1)).claim_family;
  EXPECT_EQ(h.state().credits().at("C100001").at(family), 20000);
  EXPECT_EQ(h.state().credits().at("C100003").at(family), 50000);
}

// A batch of hundreds of payments is decided on two threads, its payments shared out by
// customer: the same posting as on one thread, byte for byte — exact, partial and over payments
// (whose rest goes to the customer's other invoices), several to one invoice, unknown and missing
// KIDs, reversals, a payment twice in the batch.
TEST(CompactPayment, ALargeBatchDecidedOnTwoThreadsPostsWhatOneThreadDoes) {
  Harness h;
  constexpr int invoices = 40;
  for (int i = 1; i <= invoices; ++i) {
    char customer[16];
    std::snprintf(customer, sizeof customer, "C1%05d", 1 + i % 13);  // three invoices or four
    h.document("run-1", i, customer, 100000 + i * 1000);
  }
  ASSERT_EQ(h.answer("run-1").size(), 1u);
  std::vector<Payment> payments;
  for (int n = 1; n <= 600; ++n) {
    const int invoice = 1 + (n * 7) % invoices;
    const std::string kid = n % 23 == 0 ? "99999999999999" : n % 29 == 0 ? "" : kid_of(invoice);
    payments.push_back(payment(n, 20000 + (n % 9) * 15000, kid, n % 31 == 0));
  }
  payments.push_back(payments[10]);  // twice in the batch: booked once
  const std::string json = batch_of(payments);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS);
  events::EventView e;
  e.type = ocr_batch_type;
  e.event_id = "batch-1";
  e.occurred_at = "2026-02-25T06:00:00Z";
  e.payload = json;
  auto one = decide_payment_batch(h.state(), e, doc, runtime::Part{}, false);
  auto two = decide_payment_batch(h.state(), e, doc, runtime::Part{}, true);
  ASSERT_TRUE(one.ok()) << one.error().to_string();
  ASSERT_TRUE(two.ok()) << two.error().to_string();
  ASSERT_EQ(one->size(), 1u);
  ASSERT_EQ(two->size(), 1u);
  EXPECT_EQ((*two)[0].stream, (*one)[0].stream);
  EXPECT_EQ((*two)[0].schema_version, (*one)[0].schema_version);
  EXPECT_EQ((*two)[0].payload_json, (*one)[0].payload_json);
  // A real decision: every kind of row is in it.
  simdjson::dom::element posted;
  ASSERT_EQ(parser.parse((*one)[0].payload_json).get(posted), simdjson::SUCCESS);
  int compact = 0;
  std::set<std::string> kinds;
  for (simdjson::dom::element row : posted["transactions"].get_array()) {
    if (is_compact_payment(row)) {
      ++compact;
    } else {
      kinds.emplace(row["kind"].get_string().value());
    }
  }
  EXPECT_GT(compact, 400);
  EXPECT_EQ(kinds, (std::set<std::string>{"reversal", "unmatched"}));
  EXPECT_EQ(posted["summary"]["duplicates"].get_int64().value(), 1);
  EXPECT_GT(posted["summary"]["overpaid"].get_int64().value(), 0);
  EXPECT_GT(posted["summary"]["partial"].get_int64().value(), 0);
}

TEST(CompactPayment, TheCompactEventFoldsToTheSameStateAsItsTransactionsWrittenWhole) {
  Harness compact;
  issue_three(compact);
  const auto out = compact.feed(std::string(ocr_batch_type), batch_of(mixed_payments()), "");
  ASSERT_EQ(out.size(), 1u);
  // The same transactions, expanded, written as version 1 (with the same summary).
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(out[0].payload_json).get(doc), simdjson::SUCCESS);
  std::vector<Transaction> expanded;
  ASSERT_TRUE(for_each_posted(doc, compact.state().payee_lookup(), [&](Transaction&& tx) {
                expanded.push_back(std::move(tx));
                return ok_status();
              }).ok());
  ASSERT_EQ(expanded.size(), 7u);
  std::string whole =
      R"({"summary":)" + simdjson::to_string(doc["summary"]) + R"(,"transactions":[)";
  for (std::size_t i = 0; i < expanded.size(); ++i) {
    if (i > 0) whole += ",";
    whole += all_transactions(expanded[i]);
  }
  whole += "]}";
  const auto v1 = events::SchemaRegistry::load();
  ASSERT_TRUE(v1.ok());
  simdjson::dom::element whole_doc;
  simdjson::dom::parser whole_parser;
  ASSERT_EQ(whole_parser.parse(whole).get(whole_doc), simdjson::SUCCESS) << whole;
  EXPECT_TRUE((*v1)->find(transactions_posted_type, 1).schema->validate(whole_doc).empty());

  Harness plain;
  issue_three(plain);
  plain.fold_only(std::string(transactions_posted_type), whole);
  EXPECT_EQ(plain.rows(), compact.rows());
  ASSERT_EQ(plain.state().statements().size(), compact.state().statements().size());
  for (const auto& [customer, rows] : compact.state().statements()) {
    const auto& other = plain.state().statements().at(customer);
    ASSERT_EQ(other.size(), rows.size()) << customer;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(other[i].transaction_id(), rows[i].transaction_id());
      EXPECT_EQ(other[i].text(), rows[i].text());
      EXPECT_EQ(other[i].date, rows[i].date);
      EXPECT_EQ(other[i].kind, rows[i].kind);
      EXPECT_EQ(other[i].invoice_number, rows[i].invoice_number);
      // The compact fold keeps a payment's reference, not its id and text; so does the whole one.
      EXPECT_EQ(other[i].payment_ref, rows[i].payment_ref);
      EXPECT_EQ(other[i].paid_ore, rows[i].paid_ore);
      EXPECT_EQ(other[i].charged_ore, rows[i].charged_ore);
    }
  }
  // The dated parts the as-of reports read: each open item's changes, the credit balances.
  ASSERT_EQ(plain.state().items().size(), compact.state().items().size());
  std::size_t changes = 0;
  for (const auto& [number, item] : compact.state().items()) {
    const OpenItem& other = plain.state().items().at(number);
    EXPECT_EQ(other.open_ore, item.open_ore) << number;
    ASSERT_EQ(other.changes.size(), item.changes.size()) << number;
    for (std::size_t i = 0; i < item.changes.size(); ++i) {
      EXPECT_EQ(other.changes[i].date, item.changes[i].date);
      EXPECT_EQ(other.changes[i].amount_ore, item.changes[i].amount_ore);
      EXPECT_EQ(other.changes[i].by_credit_note, item.changes[i].by_credit_note);
    }
    changes += item.changes.size();
    EXPECT_EQ(plain.state().credit_on(item.customer_id, Date::parse("2026-12-31").value()),
              compact.state().credit_on(item.customer_id, Date::parse("2026-12-31").value()));
  }
  EXPECT_GT(changes, 0u);
  EXPECT_EQ(plain.state().credits(), compact.state().credits());
  EXPECT_EQ(plain.state().accounts(), compact.state().accounts());
  // The exports' view: the same transactions, field for field.
  auto a = posted_transactions(compact.state());
  auto b = posted_transactions(plain.state());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ(all_transactions((*a)[i]), all_transactions((*b)[i]));
  }
  // A ledger restarted from its snapshot reads the compact rows the same way.
  compact.restart();
  EXPECT_EQ(plain.rows(), compact.rows());
}

TEST(CompactPayment, TheSchemaTakesACompactRowOnlyInVersionTwoAndNeverHalfOfEach) {
  const auto registry = events::SchemaRegistry::load();
  ASSERT_TRUE(registry.ok());
  const auto* v1 = (*registry)->find(transactions_posted_type, 1).schema;
  const auto* v2 = (*registry)->find(transactions_posted_type, 2).schema;
  ASSERT_NE(v1, nullptr);
  ASSERT_NE(v2, nullptr);
  const std::string accounts = R"("payment_accounts":{"bank":"1920","receivables":"1500"})";
  const std::string row =
      R"({"amount_ore":100,"applications":[{"amount_ore":100,"invoice_number":"10000001"}],)"
      R"("date":"2026-02-25","invoice_number":"10000001","payment_ref":"0000001/0000002/1"})";
  const auto violations = [](const events::JsonSchema* s, const std::string& json) {
    simdjson::dom::parser p;
    simdjson::dom::element e;
    EXPECT_EQ(p.parse(json).get(e), simdjson::SUCCESS) << json;
    return s->validate(e).size();
  };
  EXPECT_EQ(violations(v2, "{" + accounts + R"(,"transactions":[)" + row + "]}"), 0u);
  EXPECT_GT(violations(v1, "{" + accounts + R"(,"transactions":[)" + row + "]}"), 0u);
  EXPECT_GT(violations(v1, R"({"transactions":[)" + row + "]}"), 0u);
  // Version 2 names the accounts; a row is compact or whole, never half of each.
  EXPECT_GT(violations(v2, R"({"transactions":[)" + row + "]}"), 0u);
  std::string half = row;
  half.insert(1, R"("kind":"payment",)");
  EXPECT_GT(violations(v2, "{" + accounts + R"(,"transactions":[)" + half + "]}"), 0u);
  std::string zero = row;
  zero.replace(zero.find("100,"), 4, "0,");
  EXPECT_GT(violations(v2, "{" + accounts + R"(,"transactions":[)" + zero + "]}"), 0u);
}

TEST(CompactPayment, ARowThatCannotBeExpandedIsAnErrorNamingIt) {
  Harness h;
  issue_three(h);
  const std::string n1 = invoicing::invoice_number_of(1, 1);
  const std::string accounts = R"("payment_accounts":{"bank":"1920","receivables":"1500"},)";
  const auto row = [&](const std::string& number, int amount, int applied) {
    return R"({"amount_ore":)" + std::to_string(amount) + R"(,"applications":[{"amount_ore":)" +
           std::to_string(applied) + R"(,"invoice_number":")" + number +
           R"("}],"date":"2026-02-25","invoice_number":")" + number +
           R"(","payment_ref":"0000001/0000002/9"})";
  };
  const auto error_of = [&](const std::string& payload) {
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    EXPECT_EQ(p.parse(payload).get(doc), simdjson::SUCCESS) << payload;
    auto st =
        for_each_posted(doc, h.state().payee_lookup(), [](Transaction&&) { return ok_status(); });
    return st.ok() ? std::string("ok") : st.error().code + " " + st.error().field;
  };
  const std::string ok_row = R"({"transactions":[)" + row(n1, 100, 100) + "]}";
  EXPECT_EQ(error_of("{" + accounts + ok_row.substr(1)), "ok");
  EXPECT_EQ(error_of(ok_row), "transaction_invalid payment_accounts");
  EXPECT_EQ(error_of("{" + accounts + R"("transactions":[)" + row("10009999", 100, 100) + "]}"),
            "item_unknown transactions[0].invoice_number");
  EXPECT_EQ(error_of("{" + accounts + R"("transactions":[)" + row(n1, 100, 60) + "]}"),
            "transaction_unbalanced transactions[0].amount_ore");
}

// The ledger's fold applies a compact row as it stands (LedgerState::apply(CompactPaymentRow)),
// with the checks the expanded transaction gets: its invoice, each application's, and the payment
// booked once, also when its id was posted before by a transaction without the reference.
TEST(CompactPayment, TheFoldRefusesARowItsTransactionWouldBeRefusedFor) {
  Harness h;
  issue_three(h);
  const std::string n1 = invoicing::invoice_number_of(1, 1);
  const auto posted = [](const std::string& number, const std::string& applied_to,
                         const std::string& ref) {
    return R"({"payment_accounts":{"bank":"1920","receivables":"1500"},"transactions":[)"
           R"({"amount_ore":100,"applications":[{"amount_ore":100,"invoice_number":")" +
           applied_to + R"("}],"date":"2026-02-25","invoice_number":")" + number +
           R"(","payment_ref":")" + ref + R"("}]})";
  };
  const auto code_of = [&](const std::string& payload) {
    auto st = h.fold_status(std::string(transactions_posted_type), payload);
    return st.ok() ? std::string("ok") : st.error().code + " " + st.error().field;
  };
  EXPECT_EQ(code_of(posted("10009999", "10009999", "0000001/0000002/1")),
            "item_unknown transactions[0].invoice_number");
  EXPECT_EQ(code_of(posted(n1, "10009999", "0000001/0000002/2")), "item_unknown applications");
  EXPECT_EQ(code_of(posted(n1, n1, "0000001/0000002/3")), "ok");
  EXPECT_EQ(h.state().item(n1)->open_ore, 100000 - 100);
  EXPECT_EQ(code_of(posted(n1, n1, "0000001/0000002/3")), "transaction_duplicate transaction_id");
  // A transaction posted whole under a payment's id, without its reference.
  Transaction bare;
  bare.kind = TxKind::unmatched;
  bare.transaction_id = "payment/0000001/0000002/9";
  bare.date = *common::Date::parse("2026-02-25");
  bare.suspense_id = "s9";
  bare.suspense_reason = "kid_missing";
  bare.suspense_ore = 100;
  bare.entries = {debit("1920", 100), credit("2980", 100)};
  std::string whole = R"({"transactions":[)";
  {
    events::CanonicalWriter w(whole);
    write_transaction(w, bare);
  }
  whole += "]}";
  EXPECT_EQ(code_of(whole), "ok");
  EXPECT_EQ(code_of(posted(n1, n1, "0000001/0000002/9")), "transaction_duplicate transaction_id");
  EXPECT_EQ(code_of(posted(n1, n1, "0000001/0000002/10")), "ok");
  EXPECT_EQ(h.state().item(n1)->open_ore, 100000 - 200);
  // Each payment booked is a row on the customer's statement, with the id and text of its
  // transaction.
  const auto& rows = h.state().statements().at("C100001");
  ASSERT_EQ(rows.size(), 3u);  // the invoice, two payments
  EXPECT_EQ(rows[2].transaction_id(), "payment/0000001/0000002/10");
  EXPECT_EQ(rows[2].text(), "Innbetaling, faktura " + n1);
  EXPECT_EQ(rows[2].paid_ore, 100);
  EXPECT_EQ(rows[0].transaction_id(), "invoice/" + n1);
}

// The state's indexes view keys their items hold (common/view_index.h): an invoice folded again
// under its number (never in a real log) leaves no view of bytes since freed (ASan would see it).
TEST(CompactPayment, AnInvoiceFoldedAgainUnderItsNumberIsFoundByNumberAndKid) {
  Harness h;
  h.document("run-1", 1, "C100001", 100000);
  h.document("run-1", 1, "C100001", 120000);
  const std::string n1 = invoicing::invoice_number_of(1, 1);
  ASSERT_NE(h.state().item(n1), nullptr);
  EXPECT_EQ(h.state().item(n1)->original_ore, 120000);
  ASSERT_NE(h.state().item_by_kid(kid_of(1)), nullptr);
  EXPECT_EQ(h.state().item_by_kid(kid_of(1)), h.state().item(n1));
  EXPECT_EQ(h.state().item_by_kid(kid_of(2)), nullptr);
}

TEST(CompactPayment, OnlyAPaymentThatExpandsBackToItselfFits) {
  const PaymentAccounts accounts{"1920", "1500"};
  const Payee payee{"C100001", "00000010000000001", "kindergarten"};
  Transaction tx;
  tx.kind = TxKind::payment;
  tx.payment_ref = "0000001/0000002/1";
  tx.transaction_id = payment_transaction_id(tx.payment_ref);
  tx.date = *common::Date::parse("2026-02-25");
  tx.customer_id = "C100001";
  tx.kid = "00000010000000001";
  tx.invoice_number = "10000001";
  tx.text = payment_text(tx.invoice_number);
  tx.entries = {debit("1920", 100), credit("1500", 100)};
  tx.applications = {{"10000001", 100}};
  ASSERT_TRUE(fits_compact_payment(tx, accounts, payee));
  const auto with = [&](auto change) {
    Transaction t = tx;
    change(t);
    return fits_compact_payment(t, accounts, payee);
  };
  EXPECT_FALSE(with([](Transaction& t) { t.kind = TxKind::reversal; }));
  EXPECT_FALSE(with([](Transaction& t) { t.entries[0].account = "1921"; }));
  EXPECT_FALSE(with([](Transaction& t) { t.entries[1].function = "201"; }));
  EXPECT_FALSE(with([](Transaction& t) { t.text = "Innbetaling"; }));
  EXPECT_FALSE(with([](Transaction& t) { t.customer_id = "C100002"; }));
  EXPECT_FALSE(with([](Transaction& t) { t.kid = ""; }));
  EXPECT_FALSE(with([](Transaction& t) { t.suspense_id = "x"; }));
  EXPECT_FALSE(with([](Transaction& t) { t.applications[0].amount_ore = 90; }));
  EXPECT_FALSE(with([](Transaction& t) { t.transaction_id = "payment/other"; }));
  // A credit balance is in the invoice's claim family, and only then is the family named.
  EXPECT_FALSE(with([](Transaction& t) { t.claim_family = "kindergarten"; }));
  EXPECT_TRUE(with([](Transaction& t) {
    t.entries = {debit("1920", 150), credit("1500", 150)};
    t.credit_balance_ore = 50;
    t.claim_family = "kindergarten";
  }));
  EXPECT_FALSE(with([](Transaction& t) {
    t.entries = {debit("1920", 150), credit("1500", 150)};
    t.credit_balance_ore = 50;
    t.claim_family = "other";
  }));
}

}  // namespace
}  // namespace oppgjor::ledger

namespace oppgjor::ledger {
namespace {

// A payment's transaction is recorded by its reference alone (one hashed string per payment),
// and is still known by its id and refused when posted twice, under either name.
TEST(CompactPayment, APaymentIsPostedOnceWhicheverWayItsIdIsAskedFor) {
  LedgerState state(invoicing::BillingRules::builtin());
  Transaction tx;
  tx.kind = TxKind::unmatched;
  tx.payment_ref = "0000001/0000002/7";
  tx.transaction_id = payment_transaction_id(tx.payment_ref);
  tx.date = *common::Date::parse("2026-02-25");
  tx.suspense_id = tx.payment_ref;
  tx.suspense_reason = "kid_missing";
  tx.suspense_ore = 100;
  tx.entries = {debit("1920", 100), credit("2980", 100)};
  ASSERT_TRUE(state.apply(tx).ok());
  EXPECT_TRUE(state.booked(tx.payment_ref));
  EXPECT_TRUE(state.posted("payment/0000001/0000002/7"));
  EXPECT_FALSE(state.posted("payment/0000001/0000002/8"));
  auto again = state.apply(tx);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "transaction_duplicate");
  // The same id without the reference is the same transaction.
  Transaction bare = tx;
  bare.payment_ref.clear();
  bare.suspense_id = "other";
  again = state.apply(bare);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "transaction_duplicate");
  // And the other way round.
  Transaction first = tx;
  first.payment_ref.clear();
  first.transaction_id = "payment/0000001/0000002/9";
  ASSERT_TRUE(state.apply(first).ok());
  Transaction second = tx;
  second.payment_ref = "0000001/0000002/9";
  second.transaction_id = first.transaction_id;
  again = state.apply(second);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "transaction_duplicate");
}

}  // namespace
}  // namespace oppgjor::ledger
