// The ledger posts an invoicing command's documents when the invoicing service answers it: up to
// postings_per_event transactions per event, each document decided as if it came alone (the same
// state as posting each document on its own), and a snapshot taken while documents wait keeps
// them. The harness (ledger_harness.h) decides and folds as the runner does.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <simdjson.h>

#include "services/invoicing/invoice.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/tests/ledger_harness.h"
#include "services/runtime/commands.h"

namespace oppgjor::ledger {
namespace {

using ledger_testing::Harness;

std::size_t transactions_in(const events::EngineEvent& e) {
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  EXPECT_EQ(p.parse(e.payload_json).get(doc), simdjson::SUCCESS);
  simdjson::dom::array list;
  EXPECT_EQ(doc["transactions"].get(list), simdjson::SUCCESS);
  return list.size();
}

TEST(DocumentPostings, ARunsDocumentsArePostedWhenItIsAnsweredPostingsPerEventAtATime) {
  Harness h;
  const int n = static_cast<int>(postings_per_event) + 1;
  for (int i = 1; i <= n; ++i) {
    h.document("run-1", i, "C" + std::to_string(100000 + i), 10000 + i);
  }
  // Open items exist before the posting; nothing is on the receivables account yet.
  EXPECT_EQ(h.state().items().size(), static_cast<std::size_t>(n));
  EXPECT_TRUE(h.state().accounts().empty());
  ASSERT_NE(h.state().unposted("run-1"), nullptr);
  // Another service's answer to the same command posts nothing.
  EXPECT_TRUE(h.answer("run-1", "collection").empty());
  const auto out = h.answer("run-1");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(transactions_in(out[0]), postings_per_event);
  EXPECT_EQ(transactions_in(out[1]), 1u);
  for (const auto& e : out) {
    EXPECT_EQ(e.type, transactions_posted_type);
    EXPECT_EQ(e.stream, "ledger/documents.run-1");
  }
  EXPECT_EQ(h.state().unposted("run-1"), nullptr);
  std::int64_t expected = 0;
  for (int i = 1; i <= n; ++i) expected += 10000 + i;
  std::int64_t debit = 0;
  for (const auto& [date, dc] : h.state().accounts().at("1500")) debit += dc.first;
  EXPECT_EQ(debit, expected);
  // Each document is its own transaction and statement row.
  EXPECT_TRUE(h.state().posted("invoice/" + invoicing::invoice_number_of(1, 1)));
  EXPECT_TRUE(h.state().posted("invoice/" + invoicing::invoice_number_of(1, n)));
  EXPECT_EQ(h.state().statements().size(), static_cast<std::size_t>(n));
  // A second answer (a replayed or repeated one) posts nothing again.
  EXPECT_TRUE(h.answer("run-1").empty());
}

// The ledger keeps a document as the payload it was issued with: its open item takes the header,
// and document() decodes the whole of it (lines, bases) when asked, after a restart too.
TEST(DocumentPostings, ADocumentIsDecodedWholeWhenAskedFor) {
  Harness h;
  h.document("run-3", 7, "C100007", 12300);
  const std::string number = invoicing::invoice_number_of(1, 7);
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round == 0 ? "folded" : "from the snapshot");
    auto doc = h.state().document(number);
    ASSERT_TRUE(doc.ok()) << doc.error().message;
    EXPECT_EQ(doc->customer_id, "C100007");
    ASSERT_EQ(doc->lines.size(), 1u);
    EXPECT_EQ(doc->lines[0].text, "Foreldrebetaling");
    EXPECT_EQ(doc->lines[0].amount_ore, 12300);
    EXPECT_EQ(doc->basis_event_ids, std::vector<std::string>{"b7"});
    EXPECT_EQ(h.state().items().at(number).original_ore, 12300);
    EXPECT_EQ(h.state().items().at(number).due_date, *common::Date::parse("2026-02-20"));
    h.restart();
  }
  auto unknown = h.state().document(invoicing::invoice_number_of(1, 8));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "document_unknown");
  int seen = 0;
  EXPECT_TRUE(h.state()
                  .for_each_document([&](const invoicing::Invoice& d) {
                    seen += static_cast<int>(d.lines.size());
                    return ok_status();
                  })
                  .ok());
  EXPECT_EQ(seen, 1);
}

TEST(DocumentPostings, DocumentsWaitingForTheAnswerSurviveASnapshot) {
  Harness h;
  h.document("run-2", 1, "C100001", 50000);
  h.document("run-2", 2, "C100002", 60000);
  h.restart();
  ASSERT_NE(h.state().unposted("run-2"), nullptr);
  EXPECT_EQ(h.state().unposted("run-2")->size(), 2u);
  const auto out = h.answer("run-2");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(transactions_in(out[0]), 2u);
  h.restart();
  EXPECT_EQ(h.state().unposted("run-2"), nullptr);
}

// Property: the documents of one command posted together leave the state that posting each on
// its own leaves (credit notes whose rest becomes a credit balance, later invoices that take it),
// whatever the mix. Seeded; the seed is printed on failure.
TEST(DocumentPostings, TogetherEqualsOneByOne) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    Harness together, alone;
    std::map<std::string, std::vector<std::string>> issued;  // customer → invoices, to credit
    for (int i = 1; i <= 40; ++i) {
      const std::string customer = "C10000" + std::to_string(rng() % 4);
      const std::int64_t amount = 1000 + static_cast<std::int64_t>(rng() % 5000);
      std::string credit_of;
      const auto& mine = issued[customer];
      if (!mine.empty() && rng() % 3 == 0) credit_of = mine[rng() % mine.size()];
      together.document("run", i, customer, amount, credit_of);
      alone.document("one-" + std::to_string(i), i, customer, amount, credit_of);
      alone.answer("one-" + std::to_string(i));
      if (credit_of.empty()) issued[customer].push_back(invoicing::invoice_number_of(1, i));
    }
    together.answer("run");
    ASSERT_EQ(together.rows(), alone.rows()) << "seed " << seed;
  }
}

// The interest one payment posting makes (collection.payment_interest_charged) is posted as one
// event, a transaction per charge, and leaves the state that each charge posted on its own
// (collection.interest_charged) leaves: a customer's credit balance is taken once, by the first
// charge, and the rest by the next.
std::string interest_charge(const std::string& invoice, std::int64_t ore, const char* through) {
  return R"({"cause":"payment","claim_family":"kindergarten","claim_type":"kindergarten",)"
         R"("covered_ore":0,"customer_id":"C100001","from":"2026-02-21","interest_ore":)" +
         std::to_string(ore) + R"(,"invoice_number":")" + invoice +
         R"(","method":"test","periods":[],"principal_ore":10000,"rule_version":"test",)"
         R"("through":")" +
         through + R"("})";
}

TEST(InterestPostings, OnePostingsChargesTogetherEqualOneByOne) {
  Harness together, alone;
  for (Harness* h : {&together, &alone}) {
    h->document("run-1", 1, "C100001", 10000);
    h->document("run-1", 2, "C100001", 10000);
    h->answer("run-1");
    // Credit notes: the whole of invoice 1, and 130,00 on invoice 2 (100,00 open): 30,00 is
    // left as the customer's credit balance.
    h->document("run-2", 3, "C100001", 10000, invoicing::invoice_number_of(1, 1));
    h->document("run-2", 4, "C100001", 13000, invoicing::invoice_number_of(1, 2));
    h->answer("run-2");
    ASSERT_EQ(h->state().credits().at("C100001").at("kindergarten"), 3000);
  }
  const std::string first = interest_charge(invoicing::invoice_number_of(1, 1), 2000, "2026-03-02");
  const std::string second =
      interest_charge(invoicing::invoice_number_of(1, 2), 2000, "2026-03-02");
  const auto out = together.feed("collection.payment_interest_charged",
                                 R"({"charges":[)" + first + "," + second + "]}", "posting-1");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, transactions_posted_type);
  EXPECT_EQ(transactions_in(out[0]), 2u);
  EXPECT_EQ(alone.feed("collection.interest_charged", first, "posting-1").size(), 1u);
  EXPECT_EQ(alone.feed("collection.interest_charged", second, "posting-1").size(), 1u);
  EXPECT_EQ(together.rows(), alone.rows());
  // 20,00 of the 30,00 credit paid the first charge, the last 10,00 half the second.
  EXPECT_EQ(together.state().credits().at("C100001").at("kindergarten"), 0);
  EXPECT_EQ(together.state().items().at(invoicing::invoice_number_of(1, 1)).open_ore, 0);
  EXPECT_EQ(together.state().items().at(invoicing::invoice_number_of(1, 2)).open_ore, 1000);
  EXPECT_TRUE(together.state().posted("late_interest/" + invoicing::invoice_number_of(1, 2) +
                                      "/2026-03-02"));
}

}  // namespace
}  // namespace oppgjor::ledger
