// The invoicing state's snapshot (invoicing_state.h): open bases kept as their fields and payload,
// read back without decoding a payload, decoded whole only when a run takes them.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "services/invoicing/invoice_run.h"
#include "services/invoicing/invoicing_state.h"

namespace oppgjor::invoicing {
namespace {

class Rows final : public replay::RowSink {
 public:
  void row(std::string_view key, std::string_view value) override {
    all += std::string(key) + "=" + std::string(value) + "\n";
  }
  std::string all;
};

std::string rows_of(const InvoicingState& s) {
  Rows rows;
  s.emit(rows);
  return rows.all;
}

void fold(InvoicingState& s, const std::string& type, const std::string& id,
          const std::string& payload) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(payload).get(doc), simdjson::SUCCESS) << payload;
  events::EventView e;
  e.type = type;
  e.event_id = id;
  e.payload = payload;
  auto st = s.fold(e, doc);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
}

std::string customer(const std::string& id) {
  return R"({"customer_id":")" + id + R"(","kind":"person","name":"Kari Nordmann"})";
}

// A basis of one line, 2 × 1,500.00 kr (quoted JSON string for `ordrenummer`).
std::string basis(const std::string& ordrenummer_json, const std::string& customer_id,
                  const std::string& from, const std::string& to) {
  return R"({"avgiftsbelop_ore":0,"claim_type":"kindergarten","customer_id":")" + customer_id +
         R"(","fakturalinjer":[{"antall":"2","mva_kode":"0","pris_ore":150000,"vare":{"kode":)"
         R"("BHG","kontering":{"ansvar":"A1","art":"16000","funksjon":"201"},"navn":"Plass"}}],)"
         R"("fakturautsteder":"BHG_SAGENE","nettobelop_ore":300000,"ordrenummer":)" +
         ordrenummer_json + R"(,"period":{"from":")" + from + R"(","to":")" + to +
         R"("},"totalbelop_ore":300000})";
}

InvoicingState folded_state() {
  InvoicingState s(BillingRules::builtin());
  fold(s, "customers.customer_registered", "c1", customer("C0000001"));
  fold(s, "customers.customer_registered", "c2", customer("C0000002"));
  fold(s, std::string(invoice_basis_type), "b1",
       basis(R"("O-1")", "C0000001", "2026-01-01", "2026-01-31"));
  // An order number with a tab, a newline and a backslash: the snapshot's fields escape them.
  fold(s, std::string(invoice_basis_type), "b2",
       basis(R"("O\t2\n\\x")", "C0000001", "2026-01-10", "2026-01-20"));
  fold(s, std::string(invoice_basis_type), "b3",
       basis(R"("O-3")", "C0000002", "2026-02-01", "2026-02-28"));
  return s;
}

std::vector<std::string> planned(const InvoicingState& s, const std::string& period) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string request = R"({"issue_date":"2026-02-05","period":")" + period + R"("})";
  EXPECT_EQ(parser.parse(request).get(doc), simdjson::SUCCESS);
  auto q = decode_run_request(doc, "run-1");
  EXPECT_TRUE(q.ok());
  auto plan = plan_run(s, *q, runtime::Part{});
  EXPECT_TRUE(plan.ok()) << plan.error().to_string();
  std::vector<std::string> out;
  for (const auto& inv : plan->documents) out.push_back(invoice_payload(inv));
  return out;
}

TEST(InvoicingState, ALoadedSnapshotHoldsAndRunsWhatTheFoldedStateDid) {
  const InvoicingState folded = folded_state();
  const std::string saved = folded.save();

  InvoicingState loaded(BillingRules::builtin());
  {
    const std::string copy = saved;  // gone after the load: the state keeps its own copy
    auto st = loaded.load(copy);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
  EXPECT_EQ(loaded.save(), saved);
  EXPECT_EQ(rows_of(loaded), rows_of(folded));
  ASSERT_EQ(loaded.open_bases().at("C0000001").size(), 2u);
  EXPECT_EQ(loaded.open_bases().at("C0000001")[1].ordrenummer, "O\t2\n\\x");

  // The bytes handed with a keeper: viewed, not copied, and valid as long as the keeper lives.
  auto bytes = std::make_shared<const std::string>(saved);
  InvoicingState viewed(BillingRules::builtin());
  ASSERT_TRUE(viewed.load(*bytes, bytes).ok());
  const std::string_view payload = viewed.open_bases().at("C0000002")[0].payload;
  EXPECT_GE(payload.data(), bytes->data());
  EXPECT_LT(payload.data(), bytes->data() + bytes->size());
  bytes.reset();

  // A run decodes the bases it takes from their payloads: the same documents as from the state
  // that folded them.
  const auto january = planned(folded, "2026-01");
  ASSERT_EQ(january.size(), 1u);  // C0000001's two bases on one invoice
  EXPECT_NE(january[0].find(R"("ordrenummer":"O\t2\n\\x")"), std::string::npos) << january[0];
  EXPECT_EQ(planned(loaded, "2026-01"), january);
  EXPECT_EQ(planned(viewed, "2026-01"), january);
  EXPECT_EQ(planned(viewed, "2026-02"), planned(folded, "2026-02"));

  // A basis invoiced after the load leaves the open set, and its order number stays taken (the
  // loaded bases' keys are hashed only when a check first asks).
  {
    simdjson::dom::parser p;
    simdjson::dom::element request;
    ASSERT_EQ(
        p.parse(std::string(R"({"issue_date":"2026-02-05","period":"2026-01"})")).get(request),
        simdjson::SUCCESS);
    auto plan = plan_run(loaded, decode_run_request(request, "run-1").value(), runtime::Part{});
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->documents.size(), 1u);
    fold(loaded, std::string(invoice_issued_type), "i1", invoice_payload(plan->documents[0]));
    EXPECT_EQ(loaded.open_bases().count("C0000001"), 0u);
    simdjson::dom::element doc;
    const std::string resend = basis(R"("O-1")", "C0000001", "2026-01-01", "2026-01-31");
    ASSERT_EQ(p.parse(resend).get(doc), simdjson::SUCCESS);
    auto again = loaded.check_basis(BasisKind::invoice, "b8", doc);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "ordrenummer_duplicate");
    const std::string fresh = basis(R"("O-4")", "C0000001", "2026-01-01", "2026-01-31");
    ASSERT_EQ(p.parse(fresh).get(doc), simdjson::SUCCESS);
    EXPECT_TRUE(loaded.check_basis(BasisKind::invoice, "b7", doc).ok());
  }

  // The order numbers came back as they were: a resend of one is still a duplicate.
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string resend = basis(R"("O\t2\n\\x")", "C0000001", "2026-01-10", "2026-01-20");
  ASSERT_EQ(parser.parse(resend).get(doc), simdjson::SUCCESS);
  auto again = viewed.check_basis(BasisKind::invoice, "b9", doc);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "ordrenummer_duplicate");
}

// Customers and issued documents are records of their own, each parsed alone when loaded, not
// arrays in the snapshot's head (parsed whole: a year of invoices there made a parse of GiB). A
// loaded state holds the same documents, numbers on from them, and keeps their order numbers
// taken.
TEST(InvoicingState, CustomersAndIssuedDocumentsAreRecordsNotTheHead) {
  InvoicingState folded = folded_state();
  const auto january = planned(folded, "2026-01");
  ASSERT_EQ(january.size(), 1u);
  fold(folded, std::string(invoice_issued_type), "i1", january[0]);
  const std::string saved = folded.save();
  const std::string head = saved.substr(0, saved.find('\n'));
  EXPECT_EQ(head.find("C0000001"), std::string::npos) << head;
  EXPECT_EQ(head.find("invoice_number"), std::string::npos) << head;
  EXPECT_NE(saved.find("customer\t\tC0000002\t"), std::string::npos);
  EXPECT_NE(saved.find("issued\t"), std::string::npos);

  InvoicingState loaded(BillingRules::builtin());
  auto st = loaded.load(saved);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(loaded.save(), saved);
  EXPECT_EQ(rows_of(loaded), rows_of(folded));
  ASSERT_EQ(loaded.invoices().size(), 1u);
  EXPECT_EQ(invoice_payload(loaded.invoices().begin()->second), january[0]);
  EXPECT_EQ(loaded.customers().size(), 2u);
  // February's invoice numbers on from January's, as in the folded state.
  EXPECT_EQ(planned(loaded, "2026-02"), planned(folded, "2026-02"));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string resend = basis(R"("O-1")", "C0000001", "2026-01-01", "2026-01-31");
  ASSERT_EQ(parser.parse(resend).get(doc), simdjson::SUCCESS);
  auto again = loaded.check_basis(BasisKind::invoice, "b9", doc);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "ordrenummer_duplicate");

  // An issued document's record that is not JSON is refused, naming it.
  std::string broken = saved;
  const std::size_t at = broken.find("issued\t");
  broken.replace(broken.find('{', at), 1, "[");
  InvoicingState refused(BillingRules::builtin());
  auto bad = refused.load(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "issued record");
}

// A run of thousands of customers decodes their bases in blocks, on two threads: each invoice
// still holds its own customer's basis, numbered in customer order without a gap.
TEST(InvoicingState, ALargeRunDecodesEachCustomersOwnBases) {
  InvoicingState s(BillingRules::builtin());
  constexpr int customers = 9000;  // more than two blocks of bases
  const auto id = [](int i) {
    std::string n = std::to_string(i);
    return "C" + std::string(7 - n.size(), '0') + n;
  };
  for (int i = 1; i <= customers; ++i) {
    fold(s, "customers.customer_registered", "c" + std::to_string(i), customer(id(i)));
    fold(s, std::string(invoice_basis_type), "b" + std::to_string(i),
         basis(R"("O-)" + std::to_string(i) + R"(")", id(i), "2026-01-01", "2026-01-31"));
  }
  InvoicingState loaded(BillingRules::builtin());
  ASSERT_TRUE(loaded.load(s.save()).ok());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(std::string(R"({"issue_date":"2026-02-05","period":"2026-01"})")).get(doc),
            simdjson::SUCCESS);
  auto q = decode_run_request(doc, "run-1");
  ASSERT_TRUE(q.ok());
  auto plan = plan_run(loaded, *q, runtime::Part{});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  ASSERT_EQ(plan->documents.size(), static_cast<std::size_t>(customers));
  for (int i = 1; i <= customers; ++i) {
    const Invoice& inv = plan->documents[static_cast<std::size_t>(i - 1)];
    ASSERT_EQ(inv.customer_id, id(i));
    EXPECT_EQ(inv.sequence, i);
    ASSERT_EQ(inv.basis_event_ids, std::vector<std::string>{"b" + std::to_string(i)});
    ASSERT_EQ(inv.lines.size(), 1u);
    EXPECT_EQ(inv.lines[0].ordrenummer, "O-" + std::to_string(i));
  }
}

// A loaded basis refused afterwards (the recorded decision wins) leaves the open set and frees
// its ordrenummer, though its key came with the snapshot and was not hashed yet.
TEST(InvoicingState, ALoadedBasisRefusedLaterFreesItsOrdrenummer) {
  InvoicingState loaded(BillingRules::builtin());
  ASSERT_TRUE(loaded.load(folded_state().save()).ok());
  fold(loaded, std::string(basis_refused_type), "r1",
       R"({"basis_event_id":"b3","code":"vat_code_unknown","customer_id":"C0000002",)"
       R"("field":"fakturalinjer[0].mva_kode","message":"x","ordrenummer":"O-3"})");
  EXPECT_EQ(loaded.open_bases().count("C0000002"), 0u);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string resend = basis(R"("O-3")", "C0000002", "2026-02-01", "2026-02-28");
  ASSERT_EQ(parser.parse(resend).get(doc), simdjson::SUCCESS);
  EXPECT_TRUE(loaded.check_basis(BasisKind::invoice, "b10", doc).ok());
  const std::string other = basis(R"("O-1")", "C0000001", "2026-01-01", "2026-01-31");
  ASSERT_EQ(parser.parse(other).get(doc), simdjson::SUCCESS);
  auto again = loaded.check_basis(BasisKind::invoice, "b11", doc);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "ordrenummer_duplicate");
}

TEST(InvoicingState, ASnapshotWhoseOpenBasisFieldsDoNotReadIsRefused) {
  const std::string saved = folded_state().save();
  const auto refused = [](const std::string& snapshot, const std::string& field) {
    InvoicingState s(BillingRules::builtin());
    auto st = s.load(snapshot);
    ASSERT_FALSE(st.ok()) << field;
    EXPECT_EQ(st.error().code, "snapshot_invalid") << field;
    EXPECT_EQ(st.error().field, field);
  };
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = saved;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  refused(replaced("O\\t2", "O\\q2"), "open basis field");  // an escape never written
  refused(replaced("\t2026-02-01\t", "\t2026-02-31\t"), "open basis period");
  refused(replaced("\t300000\t", "\t300x00\t"), "open basis total");
  refused(replaced("invoice\tb1", "bill\tb1"), "open basis kind");
}

}  // namespace
}  // namespace oppgjor::invoicing
