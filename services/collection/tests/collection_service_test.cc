// The collection service on its own (no log): a small harness decides and folds as the runner
// does (decide(e), fold(e), fold(outputs)). Legal limits, seeded properties (fees within the cap
// whatever the plan says; days closed in one batch or one by one; snapshot and rebuild give the
// same rows; paying on the due date costs no interest) and refusals that change nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <simdjson.h>

#include "common/calendar.h"
#include "events/canonical_json.h"
#include "services/collection/collection_service.h"
#include "services/collection/dunning.h"
#include "services/collection/tests/test_support.h"
#include "services/invoicing/invoice.h"
#include "services/runtime/commands.h"

namespace oppgjor::collection {
namespace {

using test_support::d;

class Rows final : public replay::RowSink {
 public:
  void row(std::string_view key, std::string_view value) override {
    all += std::string(key) + "=" + std::string(value) + "\n";
  }
  std::string all;
};

std::string rows_of(const runtime::Service& s) {
  Rows r;
  s.emit(r);
  return r.all;
}

// Feeds events to a service as the embedded runner does, and keeps every event (inputs and
// outputs) so a fresh service or projection can be rebuilt from them.
class Harness {
 public:
  explicit Harness(const DunningPlans& plans = DunningPlans::builtin())
      : plans_(&plans),
        service_(std::make_unique<CollectionService>(invoicing::BillingRules::builtin(), plans)) {}

  // A new process: the service restored from its snapshot.
  void restart() {
    auto fresh = std::make_unique<CollectionService>(invoicing::BillingRules::builtin(), *plans_);
    ASSERT_TRUE(fresh->load(service_->save()).ok());
    service_ = std::move(fresh);
  }

  std::vector<events::EngineEvent> feed(const std::string& type, const std::string& payload,
                                        const std::string& actor = "tester") {
    const std::string id = "e" + std::to_string(++counter_);
    events::EventView e;
    e.type = type;
    e.event_id = id;
    e.occurred_at = "2026-01-01T00:00:00Z";
    e.actor = actor;
    e.payload = payload;
    e.stream = "test/" + id;
    simdjson::dom::element doc;
    EXPECT_EQ(parser_.parse(payload).get(doc), simdjson::SUCCESS) << payload;
    std::vector<events::EngineEvent> out;
    if (service_->decides(type)) {
      auto decided = service_->decide(e, doc, runtime::Part{});
      EXPECT_TRUE(decided.ok()) << (decided.ok() ? "" : decided.error().message);
      if (decided.ok()) out = std::move(decided).value();
    }
    log_.push_back({type, payload, actor});
    EXPECT_TRUE(service_->fold(e, doc).ok());
    for (const auto& o : out) {
      simdjson::dom::parser p2;
      simdjson::dom::element od;
      EXPECT_EQ(p2.parse(o.payload_json).get(od), simdjson::SUCCESS);
      events::EventView ov;
      ov.type = o.type;
      ov.event_id = "o";
      ov.actor = actor;
      ov.payload = o.payload_json;
      auto folded = service_->fold(ov, od);
      EXPECT_TRUE(folded.ok()) << o.type << ": " << (folded.ok() ? "" : folded.error().message);
      log_.push_back({o.type, o.payload_json, actor});
    }
    return out;
  }

  std::vector<events::EngineEvent> close(Date day, const std::string& actor = "nattjobb") {
    return feed("calendar.day_closed", "{\"date\":\"" + day.to_iso() + "\"}", actor);
  }

  void close_through(Date from, Date to) {
    for (Date x = from; x <= to; x = x.add_days(1)) close(x);
  }

  void invoice(const std::string& number, const std::string& customer, Date issue, Date due,
               std::int64_t total, const std::string& claim_type = "kindergarten") {
    invoicing::Invoice inv;
    inv.invoice_number = number;
    inv.series = 1;
    inv.sequence = std::stoll(number) - 10'000'000;
    inv.customer_id = customer;
    inv.claim_type = claim_type;
    inv.kid = "0000" + number.substr(0, 8) + "000000";
    inv.issue_date = issue;
    inv.due_date = due;
    inv.period_from = issue.first_of_month();
    inv.period_to = issue.last_of_month();
    invoicing::InvoiceLine line;
    line.product_code = "BHG";
    line.text = "Foreldrebetaling";
    line.quantity = "1";
    line.unit_price_ore = total;
    line.amount_ore = total;
    line.vat_code = "0";
    inv.lines.push_back(line);
    inv.net_ore = total;
    inv.total_ore = total;
    inv.basis_event_ids = {"b-" + number};
    inv.run_id = "run";
    inv.rule_version = "test";
    feed("invoicing.invoice_issued", invoicing::invoice_payload(inv));
  }

  // A payment as the ledger posts it: money applied to the invoice on `date`.
  std::vector<events::EngineEvent> pay(const std::string& number, std::int64_t amount, Date date) {
    const std::string tx =
        "{\"transactions\":[{\"applications\":[{\"amount_ore\":" + std::to_string(amount) +
        ",\"invoice_number\":\"" + number + "\"}],\"date\":\"" + date.to_iso() +
        "\",\"entries\":[{\"account\":\"1920\",\"credit_ore\":0,\"debit_ore\":" +
        std::to_string(amount) +
        "},{\"account\":\"1500\",\"credit_ore\":" + std::to_string(amount) +
        ",\"debit_ore\":0}],\"kind\":\"payment\",\"text\":\"t\","
        "\"transaction_id\":\"payment/" +
        number + "/" + date.to_iso() + "\"}]}";
    return feed("ledger.transactions_posted", tx);
  }

  std::vector<events::EngineEvent> action(const std::string& payload, const std::string& actor) {
    return feed("collection.claim_action_requested", payload, actor);
  }

  const CollectionService& service() const { return *service_; }

  struct Logged {
    std::string type, payload, actor;
  };
  const std::vector<Logged>& log() const { return log_; }

 private:
  const DunningPlans* plans_;
  std::unique_ptr<CollectionService> service_;
  simdjson::dom::parser parser_;
  std::vector<Logged> log_;
  int counter_ = 0;
};

bool refused(const std::vector<events::EngineEvent>& out, const std::string& code) {
  for (const auto& e : out) {
    if (e.type == runtime::command_refused_type && e.payload_json.find(code) != std::string::npos) {
      return true;
    }
  }
  return false;
}

int count_type(const std::vector<events::EngineEvent>& out, std::string_view type) {
  int n = 0;
  for (const auto& e : out) n += e.type == type ? 1 : 0;
  return n;
}

TEST(LegalLimits, ReminderAtTheEarliestFourteenDaysAfterTheDueDate) {
  Claim c;
  c.due_date = d("2026-03-19");
  EXPECT_FALSE(legal_check(c, NoticeKind::reminder, 14, d("2026-04-01")).ok());
  EXPECT_EQ(legal_check(c, NoticeKind::reminder, 14, d("2026-04-01")).error().code, "too_early");
  EXPECT_TRUE(legal_check(c, NoticeKind::reminder, 14, d("2026-04-02")).ok());
}

TEST(LegalLimits, TheSecondFeeOnlyAfterAMissedFourteenDayDeadline) {
  Claim c;
  c.due_date = d("2026-03-19");
  c.steps.push_back({NoticeKind::reminder, 1, d("2026-04-07"), d("2026-04-21"), 3500, 0});
  // The first reminder's deadline has not passed.
  EXPECT_EQ(legal_check(c, NoticeKind::reminder, 14, d("2026-04-21")).error().code,
            "deadline_not_missed");
  EXPECT_EQ(legal_check(c, NoticeKind::collection_notice, 14, d("2026-04-21")).error().code,
            "deadline_not_missed");
  EXPECT_TRUE(legal_check(c, NoticeKind::collection_notice, 14, d("2026-04-22")).ok());
  EXPECT_TRUE(legal_check(c, NoticeKind::reminder, 14, d("2026-04-22")).ok());
  // A first reminder with a 10-day deadline never allows a second fee.
  Claim short_deadline = c;
  short_deadline.steps[0].deadline = d("2026-04-17");
  EXPECT_EQ(legal_check(short_deadline, NoticeKind::reminder, 14, d("2026-05-01")).error().code,
            "deadline_not_missed");
  EXPECT_EQ(
      legal_check(short_deadline, NoticeKind::payment_demand, 14, d("2026-05-01")).error().code,
      "deadline_not_missed");
}

TEST(LegalLimits, AtMostTwoRemindersAndADemandOrReminderNoticeDemand) {
  Claim c;
  c.due_date = d("2026-01-05");
  c.steps.push_back({NoticeKind::reminder, 1, d("2026-01-20"), d("2026-02-03"), 3500, 0});
  c.steps.push_back({NoticeKind::reminder, 2, d("2026-02-04"), d("2026-02-18"), 3500, 0});
  EXPECT_EQ(legal_check(c, NoticeKind::reminder, 14, d("2026-03-01")).error().code, "legal_limit");
  EXPECT_EQ(legal_check(c, NoticeKind::collection_notice, 14, d("2026-03-01")).error().code,
            "legal_limit");
  EXPECT_TRUE(legal_check(c, NoticeKind::payment_demand, 14, d("2026-03-01")).ok());
  c.steps.push_back({NoticeKind::payment_demand, 3, d("2026-03-01"), d("2026-03-15"), 10500, 0});
  EXPECT_EQ(legal_check(c, NoticeKind::payment_demand, 14, d("2026-04-01")).error().code,
            "legal_limit");
  // The law asks for at least 14 days in a collection notice and a payment demand.
  Claim fresh;
  fresh.due_date = d("2026-01-05");
  EXPECT_EQ(legal_check(fresh, NoticeKind::collection_notice, 10, d("2026-02-01")).error().code,
            "legal_limit");
}

TEST(CollectionService, NothingOnAHolidayAndTheReminderOnTheNextBusinessDay) {
  Harness h;
  h.invoice("10000001", "C000001", d("2026-03-05"), d("2026-03-19"), 170000);
  h.close_through(d("2026-03-20"), d("2026-04-06"));  // 2 Apr is the earliest: Easter
  EXPECT_EQ(h.service().state().claim("10000001")->steps.size(), 0u);
  auto out = h.close(d("2026-04-07"));
  ASSERT_EQ(count_type(out, notice_sent_type), 1);
  const Claim& c = *h.service().state().claim("10000001");
  EXPECT_EQ(c.steps[0].sent, d("2026-04-07"));
  EXPECT_EQ(c.steps[0].deadline, d("2026-04-21"));
  EXPECT_EQ(c.fees_ore, 3500);
}

TEST(CollectionService, DaysOutOfOrderAreRefusedAndChangeNothing) {
  Harness h;
  h.invoice("10000001", "C000001", d("2026-03-05"), d("2026-03-19"), 170000);
  h.close(d("2026-04-07"));
  const std::string before = rows_of(h.service());
  EXPECT_TRUE(refused(h.close(d("2026-04-07")), "day_already_closed"));
  EXPECT_TRUE(refused(h.close(d("2026-04-01")), "day_out_of_order"));
  EXPECT_TRUE(refused(h.close(d("2026-04-09")), "day_out_of_order"));
  EXPECT_TRUE(refused(h.close(d("2026-04-08"), ""), "actor_missing"));
  EXPECT_EQ(rows_of(h.service()), before);
  EXPECT_EQ(*h.service().state().last_closed(), d("2026-04-07"));
}

TEST(CollectionService, RefusedActionsChangeNothing) {
  Harness h;
  h.invoice("10000001", "C000001", d("2026-03-05"), d("2026-03-19"), 170000);
  h.invoice("10000002", "C000002", d("2026-03-05"), d("2026-03-19"), 170000);
  h.pay("10000002", 170000, d("2026-03-19"));
  const std::string before = rows_of(h.service());
  EXPECT_TRUE(
      refused(h.action(R"({"action":"plan","invoice_number":"19999999","on":"2026-03-25",)"
                       R"("reason":"x","instalments":[{"due":"2026-04-01","amount_ore":1}]})",
                       "per"),
              "claim_unknown"));
  EXPECT_TRUE(
      refused(h.action(R"({"action":"dispute","invoice_number":"10000002","on":"2026-03-25",)"
                       R"("reason":"betalt"})",
                       "per"),
              "claim_closed"));
  EXPECT_TRUE(
      refused(h.action(R"({"action":"plan","invoice_number":"10000001","on":"2026-03-25",)"
                       R"("reason":"x","instalments":[{"due":"2026-04-01","amount_ore":100}]})",
                       "per"),
              "plan_sum_mismatch"));
  EXPECT_TRUE(refused(
      h.action(R"({"action":"approve_write_off","invoice_number":"10000001","on":"2026-03-25"})",
               "kari"),
      "no_write_off_request"));
  EXPECT_EQ(rows_of(h.service()), before);
  h.action(R"({"action":"write_off","invoice_number":"10000001","on":"2026-03-25","reason":"x"})",
           "ola");
  h.restart();  // who asked survives the snapshot: the maker still cannot approve
  EXPECT_TRUE(refused(
      h.action(R"({"action":"approve_write_off","invoice_number":"10000001","on":"2026-03-26"})",
               "ola"),
      "approver_is_maker"));
  EXPECT_EQ(h.service().state().claim("10000001")->status, ClaimStatus::open);
  auto ok = h.action(
      R"({"action":"approve_write_off","invoice_number":"10000001","on":"2026-03-26"})", "kari");
  EXPECT_EQ(count_type(ok, written_off_type), 1);
  EXPECT_EQ(h.service().state().claim("10000001")->status, ClaimStatus::written_off);
}

// The snapshot leaves out a claim's members at their defaults (an open, unpaid, undisturbed
// claim is most of them) and reads them back as those defaults.
TEST(CollectionService, TheSnapshotLeavesOutWhatAClaimHasAtItsDefaults) {
  Harness h;
  h.invoice("10000001", "C000001", d("2026-02-05"), d("2026-02-19"), 170000);
  const std::string snapshot = h.service().save();
  for (const char* absent :
       {"\"blocked\"", "\"disputed\"", "\"instalments\"", "\"interest_pauses\"", "\"steps\"",
        "\"paid_ore\"", "\"dispute_since\"", "\"write_off_requested_by\"", "\"claim_family\"",
        "1970-01-01"}) {
    EXPECT_EQ(snapshot.find(absent), std::string::npos) << absent << " in " << snapshot;
  }
  EXPECT_NE(snapshot.find("\"principal_ore\":170000"), std::string::npos) << snapshot;
  const std::string rows = rows_of(h.service());
  h.restart();
  EXPECT_EQ(rows_of(h.service()), rows);
  EXPECT_EQ(h.service().save(), snapshot);

  // Each claim is a record line after the head, parsed alone: the head holds none (the claims
  // grow with every invoice issued), and a claim that does not read is refused.
  const std::string head = snapshot.substr(0, snapshot.find('\n'));
  EXPECT_EQ(head.find("10000001"), std::string::npos) << head;
  EXPECT_EQ(snapshot.substr(head.size() + 1, 6), "claim\t") << snapshot;
  std::string broken = snapshot;
  broken.replace(head.size() + 1, 5, "clam ");
  CollectionState refused(h.service().state().billing(), h.service().state().plans());
  auto bad = refused.load(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "claims");
}

TEST(CollectionService, PayingOnOrBeforeTheDueDateCostsNoInterest) {
  std::mt19937_64 rng(20261130);
  std::printf("seed 20261130\n");
  for (int i = 0; i < 50; ++i) {
    Harness h;
    const Date due = d("2024-01-02").add_days(static_cast<int>(rng() % 700));
    const std::int64_t total = 1000 + static_cast<std::int64_t>(rng() % 10'000'000);
    h.invoice("10000001", "C000001", due.add_days(-14), due, total);
    const Date paid = due.add_days(-static_cast<int>(rng() % 14));
    auto out = h.pay("10000001", total, paid);
    EXPECT_EQ(count_type(out, payment_interest_type), 0) << "due " << due.to_iso();
    EXPECT_EQ(h.service().state().claim("10000001")->status, ClaimStatus::paid);
    EXPECT_EQ(h.service().state().claim("10000001")->interest_charged_ore, 0);
  }
}

TEST(CollectionService, APaymentAfterTheDueDatePaysFeesThenInterestThenPrincipal) {
  Harness h;
  h.invoice("10000001", "C000001", d("2026-03-05"), d("2026-03-19"), 170000);
  h.close_through(d("2026-03-20"), d("2026-04-07"));  // reminder 7 Apr, fee 35,00
  // 15 Apr: 27 days at 12,00 %: 1 700 × 0,12 × 27/365 = 15,0904 → 15,09.
  auto out = h.pay("10000001", 100000, d("2026-04-15"));
  ASSERT_EQ(count_type(out, payment_interest_type), 1);
  EXPECT_EQ(count_type(out, interest_charged_type), 0);
  const Claim& c = *h.service().state().claim("10000001");
  EXPECT_EQ(c.interest_charged_ore, 1509);
  EXPECT_EQ(c.fees_ore, 0);      // 35,00 first
  EXPECT_EQ(c.interest_ore, 0);  // then 15,09
  EXPECT_EQ(c.principal_ore, 170000 - (100000 - 3500 - 1509));
  EXPECT_EQ(c.open_ore(), 170000 + 3500 + 1509 - 100000);
  EXPECT_EQ(c.interest_from, d("2026-04-16"));
}

// The interest one posting's money makes is one collection.payment_interest_charged per 2,000
// charges (an OCR batch paid late: a charge per payment), each charge on its own claim.
TEST(CollectionService, APostingsInterestIsOneEventPerTwoThousandCharges) {
  Harness h;
  const int n = static_cast<int>(payment_interest_max) + 1;
  std::string posting = "{\"transactions\":[";
  for (int i = 1; i <= n; ++i) {
    const std::string number = std::to_string(10'000'000 + i);
    h.invoice(number, "C" + std::to_string(100'000 + i), d("2026-03-05"), d("2026-03-19"), 100000);
    if (i > 1) posting += ",";
    posting += "{\"applications\":[{\"amount_ore\":1000,\"invoice_number\":\"" + number +
               "\"}],\"date\":\"2026-04-15\",\"entries\":[{\"account\":\"1920\",\"credit_ore\":0,"
               "\"debit_ore\":1000},{\"account\":\"1500\",\"credit_ore\":1000,\"debit_ore\":0}],"
               "\"kind\":\"payment\",\"text\":\"t\",\"transaction_id\":\"payment/" +
               number + "\"}";
  }
  posting += "]}";
  const auto out = h.feed("ledger.transactions_posted", posting);
  ASSERT_EQ(count_type(out, payment_interest_type), 2);
  EXPECT_EQ(count_type(out, interest_charged_type), 0);
  simdjson::dom::parser parser;
  std::size_t charges = 0;
  std::set<std::string> streams;
  for (const auto& e : out) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(e.payload_json).get(doc), simdjson::SUCCESS);
    // Version 2: the method once for the event, each charge read with it.
    EXPECT_EQ(e.schema_version, payment_interest_version);
    std::string_view method;
    ASSERT_EQ(doc["method"].get(method), simdjson::SUCCESS);
    EXPECT_NE(method.find("actual days/365"), std::string_view::npos) << method;
    EXPECT_NE(doc["charges"].at(0)["method"].error(), simdjson::SUCCESS);
    auto decoded = decode_payment_interest(doc);
    ASSERT_TRUE(decoded.ok());
    EXPECT_LE(decoded->size(), payment_interest_max);
    for (const auto& c : *decoded) EXPECT_EQ(c.method, method);
    charges += decoded->size();
    streams.insert(e.stream);
  }
  EXPECT_EQ(charges, static_cast<std::size_t>(n));
  EXPECT_EQ(streams.size(), 2u) << "each chunk its own stream";
  // 27 days at 12,00 % on 1 000,00: 1 000 × 0,12 × 27/365 = 8,8767 → 8,88, on every claim (the
  // outputs folded as the runner folds them).
  for (int i = 1; i <= n; i += 1000) {
    const Claim& c = *h.service().state().claim(std::to_string(10'000'000 + i));
    EXPECT_EQ(c.interest_charged_ore, 888) << c.invoice_number;
    EXPECT_EQ(c.interest_from, d("2026-04-16"));
  }
}

// A posting's charges computed by different methods (a rule change between them) are split where
// the method changes, so each event states the one its charges share; a version 1 event (the
// method in each charge) still decodes, each charge with its own.
TEST(CollectionService, PaymentInterestEventsStateTheMethodTheirChargesShare) {
  std::vector<InterestCharge> charges(5);
  for (std::size_t i = 0; i < charges.size(); ++i) {
    charges[i].invoice_number = std::to_string(10'000'001 + i);
    charges[i].customer_id = "C00000" + std::to_string(i + 1);
    charges[i].cause = "payment";
    charges[i].claim_type = charges[i].claim_family = "kindergarten";
    charges[i].from = d("2026-03-20");
    charges[i].through = d("2026-04-15");
    charges[i].principal_ore = 100000;
    charges[i].interest_ore = charges[i].covered_ore = 888;
    charges[i].rule_version = "r1";
    charges[i].method = i < 3 ? "method A" : "method B";
  }
  EXPECT_EQ(payment_interest_chunk(charges.data(), charges.size()), 3u);
  EXPECT_EQ(payment_interest_chunk(&charges[3], 2), 2u);
  EXPECT_EQ(payment_interest_chunk(charges.data(), 2), 2u);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string v2 = payment_interest_payload(&charges[3], 2);
  ASSERT_EQ(parser.parse(v2).get(doc), simdjson::SUCCESS);
  auto decoded = decode_payment_interest(doc);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[1].method, "method B");
  EXPECT_EQ((*decoded)[1].invoice_number, "10000005");
  EXPECT_EQ(interest_payload((*decoded)[1]), interest_payload(charges[4]));
  // Version 1: each charge whole.
  const std::string v1 =
      "{\"charges\":[" + interest_payload(charges[2]) + "," + interest_payload(charges[3]) + "]}";
  ASSERT_EQ(parser.parse(v1).get(doc), simdjson::SUCCESS);
  decoded = decode_payment_interest(doc);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[0].method, "method A");
  EXPECT_EQ((*decoded)[1].method, "method B");
}

// Paying exactly what a reminder asked for (principal and fee) without the interest that ran
// since: the interest charged with the payment is what is left open, and the claim is open.
TEST(CollectionService, InterestChargedAfterTheClosingPaymentReopensTheClaim) {
  Harness h;
  h.invoice("10000001", "C000001", d("2026-03-05"), d("2026-03-19"), 170000);
  h.close_through(d("2026-03-20"), d("2026-04-07"));
  h.pay("10000001", 173500, d("2026-04-15"));  // 1 700 + 35; interest 15,09 charged with it
  const Claim& c = *h.service().state().claim("10000001");
  EXPECT_EQ(c.status, ClaimStatus::open);
  EXPECT_EQ(c.open_ore(), 1509);
  EXPECT_FALSE(c.closed_on.has_value());
  // 15,09 is below the plan's minimum (50 kr): no further step, no hand-over.
  h.close_through(d("2026-04-08"), d("2026-06-30"));
  EXPECT_EQ(h.service().state().claim("10000001")->steps.size(), 1u);
  EXPECT_EQ(h.service().state().claim("10000001")->status, ClaimStatus::open);
}

// Random plans, some breaking the law on purpose: the engine never charges more than the law
// allows on one claim, and never a fee sequence other than R, R, PD or R, CN, PD (or a prefix).
TEST(CollectionProperties, FeesPerClaimNeverExceedTheLegalCap) {
  const unsigned seed = 7331;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const char* kinds[] = {"reminder", "collection_notice", "payment_demand"};
  for (int round = 0; round < 12; ++round) {
    std::string steps;
    const int n = 1 + static_cast<int>(rng() % 5);
    for (int k = 0; k < n; ++k) {
      if (k > 0) steps += ",";
      steps += std::string("{\"kind\":\"") + kinds[rng() % 3] +
               "\",\"days_after_previous\":" + std::to_string(rng() % 30) +
               ",\"deadline_days\":" + std::to_string(1 + rng() % 30) + "}";
    }
    const std::string json =
        R"({"rule_version":"test","plans":[{"plan":"random","claim_types":["kindergarten"],)"
        R"("effective_from":"2000-01-01","track":"ordinary_collection","steps":[)" +
        steps +
        R"(],"handover_days_after_deadline":1,"minimum_open_ore":0,"dispute_pauses_interest":false,)"
        R"("source":"test"}]})";
    auto plans = DunningPlans::parse(json);
    ASSERT_TRUE(plans.ok()) << json;
    Harness h(*plans);
    for (int i = 0; i < 20; ++i) {
      const Date due = d("2025-01-06").add_days(static_cast<int>(rng() % 60));
      h.invoice(std::to_string(10000001 + i), "C" + std::to_string(100000 + i), due.add_days(-14),
                due, 50000);
    }
    h.close_through(d("2025-01-07"), d("2025-07-31"));
    for (const auto& [number, c] : h.service().state().claims()) {
      EXPECT_LE(c.fees_charged_ore, 3500 + 3500 + 10500) << json << " " << number;
      int reminders = 0, notices = 0, demands = 0;
      for (const auto& s : c.steps) {
        EXPECT_EQ(demands, 0) << "nothing after a payment demand: " << json;
        if (s.kind == NoticeKind::reminder) {
          EXPECT_EQ(notices, 0) << json;
          ++reminders;
        }
        if (s.kind == NoticeKind::collection_notice) ++notices;
        if (s.kind == NoticeKind::payment_demand) ++demands;
        EXPECT_GE(s.sent, c.due_date.add_days(legal_days_after_due)) << json;
        EXPECT_TRUE(common::is_business_day(s.sent)) << s.sent.to_iso();
      }
      EXPECT_LE(reminders, 2) << json;
      EXPECT_LE(notices, 1) << json;
      EXPECT_LE(demands, 1) << json;
      EXPECT_FALSE(reminders == 2 && notices == 1) << json;
    }
  }
}

// Thirty claims over 120 days with random payments, a dispute that pauses interest.
void run_days(Harness& h, unsigned seed, bool restart_every_day) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 30; ++i) {
    const Date due = d("2026-01-05").add_days(static_cast<int>(rng() % 40));
    h.invoice(std::to_string(10000001 + i), "C" + std::to_string(200000 + i), due.add_days(-14),
              due, 10000 + static_cast<std::int64_t>(rng() % 500000));
  }
  Date day = d("2026-01-06");
  for (int step = 0; step < 120; ++step, day = day.add_days(1)) {
    h.close(day);
    if (rng() % 7 == 0) {
      const int i = static_cast<int>(rng() % 30);
      h.pay(std::to_string(10000001 + i), 1 + static_cast<std::int64_t>(rng() % 300000), day);
    }
    if (step == 20) {
      h.action(R"({"action":"dispute","invoice_number":"10000003","on":")" + day.to_iso() +
                   R"(","reason":"x","pause_interest":true})",
               "per");
    }
    if (step == 50) {
      h.action(R"({"action":"resolve","invoice_number":"10000003","on":")" + day.to_iso() +
                   R"(","reason":"x","outcome":"rejected"})",
               "per");
    }
    if (restart_every_day) h.restart();
  }
}

// The same days closed in one process, or one call (one process, from the snapshot) each; a
// snapshot round trip; the state rebuilt from the events alone (the replay projection): the same
// rows.
TEST(CollectionProperties, OneByOneSnapshotsAndRebuildsGiveTheSameState) {
  const unsigned seed = 4242;
  std::printf("seed %u\n", seed);
  Harness h;
  run_days(h, seed, false);
  Harness one_by_one;
  run_days(one_by_one, seed, true);
  const std::string rows = rows_of(h.service());
  EXPECT_EQ(rows_of(one_by_one.service()), rows);
  ASSERT_NE(rows.find("handed_over"), std::string::npos);
  // Snapshot round trip.
  CollectionService restored(invoicing::BillingRules::builtin(), DunningPlans::builtin());
  ASSERT_TRUE(restored.load(h.service().save()).ok());
  EXPECT_EQ(rows_of(restored), rows);
  EXPECT_EQ(restored.save(), h.service().save());
  // Rebuilt from the events (inputs and the recorded outputs), as replay does.
  auto projection = make_collection_projection();
  simdjson::dom::parser parser;
  for (const auto& l : h.log()) {
    if (!projection->wants(l.type)) continue;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(l.payload).get(doc), simdjson::SUCCESS);
    events::EventView e;
    e.type = l.type;
    e.actor = l.actor;
    e.payload = l.payload;
    ASSERT_TRUE(projection->apply(e, doc).ok());
  }
  Rows r;
  projection->emit(r);
  EXPECT_EQ(r.all, rows);
}

}  // namespace
}  // namespace oppgjor::collection
