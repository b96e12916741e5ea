// Invoicing and the ledger on Kafka (issue 8, "Done means … and in the Kafka mode"): librdkafka's
// mock cluster (3 brokers, 4 partitions per topic) hosts oppgjor.events, oppgjor.invoicing and
// oppgjor.ledger. kcat publishes 32 customers and their January invoice bases (keyed by customer,
// murmur2) and the month's invoice run (`invoicing.run_requested` with `partitions: 4`, to every
// partition). Two instances of `oppgjor serve invoicing` share a group (A is SIGKILLed right
// after a commit, outputs decided and not yet published); two instances of `oppgjor serve
// ledger` read oppgjor.events and oppgjor.invoicing, co-partitioned (C is SIGKILLed the same
// way). Once every invoice is posted, a bank's OCR giro file is published with `oppgjor payments
// import-ocr --kafka` (each batch to every partition, decided in parts: the owner of each
// partition books the payments whose KID names its customers' invoice series): exact, partial
// and over-payments, an unknown KID, a payment without KID. The archiver writes the three topics
// into one hash-chained log, which must verify, replay to the same state hash and event count as
// the embedded run on the same input (`oppgjor run`, `payments import-ocr --partitions 4`), hold
// the very same events, and give the same open items, suspense and trial balance.
//
// A second test runs the whole chain, with the collection service reading the ledger's
// postings and the ledger the collection service's reminders (four topics).
//
// The kill point is a commit counted by the runner, never a moment in time. The waits are the
// mock's group joins and the session timeout (6 s) of the killed members (KAFKA-TESTING.md).
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/date.h"
#include "formats/ocr/ocr_writer.h"
#include "tests/support/cli_run.h"
#include "tests/support/kafka_mock.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::billing_kafka_test {
namespace {

using events::testing::TempDir;
using testing::Background;
using testing::bin;
using testing::field;
using testing::run;
using testing::slurp;

constexpr int partitions = 4;
constexpr int customers = 32;
constexpr const char* key_delimiter = testing::kafka_key_delimiter;

std::string query(const std::string& db, const std::string& sql) {
  return run("sqlite3 " + db + " \"" + sql + "\"").output;
}

std::int64_t count_of(const std::string& db, const std::string& type) {
  return std::stoll(query(db, "SELECT count(*) FROM events WHERE type='" + type + "'"));
}

// The documents the ledger has posted: transactions in its postings of the invoicing service's
// runs (stream ledger/documents.<command>[.p<part>], up to 2,000 each).
std::int64_t documents_posted(const std::string& db) {
  return std::stoll(query(db,
                          "SELECT coalesce(sum(json_array_length(payload, '$.transactions')), 0) "
                          "FROM events WHERE type='ledger.transactions_posted' AND "
                          "stream LIKE 'ledger/documents.%'"));
}

// The upstream input: JSON Lines for the embedded run, and the keyed lines (customer) and the
// command (to every partition) as kcat publishes them.
struct Input {
  std::string jsonl, keyed, command;
  int next = 1;
  std::string envelope(const std::string& type, const std::string& stream,
                       const std::string& payload, const std::string& actor = {}) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", next++);
    return std::string(R"({"event_id":")") + id + R"(","type":")" + type +
           R"(","schema_version":1,"stream":")" + stream +
           R"(","occurred_at":"2026-01-25","source":"fagsystem",)" +
           (actor.empty() ? "" : R"("actor":")" + actor + R"(",)") + R"("payload":)" + payload +
           "}";
  }
  void keyed_line(const std::string& customer, const std::string& line) {
    jsonl += line + "\n";
    keyed += customer + key_delimiter + line + "\n";
  }
  void customer(const std::string& id) {
    keyed_line(id, envelope("customers.customer_registered", "customer/" + id,
                            R"({"customer_id":")" + id +
                                R"(","kind":"person","national_id":"15108695088",)"
                                R"("name":"Test Testesen","address":{"street":"Gate 1",)"
                                R"("postal_code":"0150","city":"OSLO"}})"));
  }
  void basis(const std::string& id, int n, std::int64_t price_ore) {
    const std::string p = std::to_string(price_ore);
    keyed_line(id,
               envelope("invoicing.invoice_basis_received", "customer/" + id,
                        R"({"ordrenummer":"K-)" + id + "-" + std::to_string(n) +
                            R"(","customer_id":")" + id +
                            R"(","fakturautsteder":"BHG","claim_type":"kindergarten",)"
                            R"("period":{"from":"2026-01-01","to":"2026-01-31"},)"
                            R"("fakturalinjer":[{"vare":{"kode":"BHG","navn":"Foreldrebetaling",)"
                            R"("kontering":{"art":"16000","funksjon":"201","ansvar":"OK_01"}},)"
                            R"("antall":"1","pris_ore":)" +
                            p + R"(,"mva_kode":"0"}],"nettobelop_ore":)" + p +
                            R"(,"avgiftsbelop_ore":0,"totalbelop_ore":)" + p + "}"));
  }
  // The nightly job closes a day: to every partition, decided in parts.
  void close_day(const std::string& day) {
    const std::string line = envelope("calendar.day_closed", "command/day-" + day,
                                      R"({"date":")" + day + R"(","partitions":4})", "nattjobb");
    jsonl += line + "\n";
    command += line + "\n";
  }
  void run_requested() {
    const std::string line =
        envelope("invoicing.run_requested", "command/invoice-run-2026-01",
                 R"({"period":"2026-01","issue_date":"2026-02-05","partitions":4})", "fakturering");
    jsonl += line + "\n";
    command += line + "\n";
  }
};

struct Invoice {
  std::string number, kid;
  std::int64_t total_ore = 0;
};

std::vector<Invoice> invoices_of(const std::string& db) {
  const auto r = run(bin() + " invoice list --format json --db " + db);
  std::vector<Invoice> out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(r.output).get(doc) != simdjson::SUCCESS) return out;
  for (auto row : doc.get_array()) {
    Invoice i;
    i.number = std::string(std::string_view(row["invoice_number"].get_string()));
    i.kid = std::string(std::string_view(row["kid"].get_string()));
    i.total_ore = row["total_ore"].get_int64();
    out.push_back(i);
  }
  return out;
}

class BillingKafka : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.ok()) << "mock cluster did not start";
    for (const char* t :
         {"oppgjor.events", "oppgjor.invoicing", "oppgjor.ledger", "oppgjor.collection"}) {
      ASSERT_TRUE(cluster_.create_topic(t, partitions)) << t;
    }
    ASSERT_EQ(run("kcat -V").exit_code, 0) << "kcat is required (ops/install-deps.sh installs it)";
  }
  std::string kcat(const std::string& args) {
    return "kcat -b " + cluster_.bootstrap() + " -X partitioner=murmur2_random " + args;
  }
  std::string serve_command(const std::string& service, const std::string& extra) {
    return bin() + " serve " + service + " --kafka " + cluster_.bootstrap() + " --group " +
           service + " --state-dir " + dir_.file("state-" + service) +
           " -X session.timeout.ms=6000 -X heartbeat.interval.ms=500 --batch 25 --commit-every 8" +
           extra;
  }
  // The archiver over the topics; the number of events the archive holds.
  std::int64_t archive(
      const std::string& db,
      const std::string& topics = "oppgjor.events,oppgjor.invoicing,oppgjor.ledger") {
    const auto r =
        run(bin() + " ingest --kafka " + cluster_.bootstrap() + " --topic " + topics +
            " --group archiver --db " + db + " --stop-at-end -X session.timeout.ms=6000");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return std::stoll(query(db, "SELECT count(*) FROM events"));
  }

  testing::MockCluster cluster_;
  TempDir dir_;
};

TEST_F(BillingKafka, InvoicesAndPaymentsOnTwoServicesArchiveEqualsTheEmbeddedRun) {
  Input in;
  for (int i = 0; i < customers; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%06d", 700 + i);
    in.customer(id);
    in.basis(id, 1, 180000 + 1000 * i);
    if (i % 4 == 0) in.basis(id, 2, 45000);  // a second basis: a second invoice line
  }
  in.run_requested();
  const std::string input = dir_.file("input.jsonl");
  std::ofstream(input, std::ios::binary) << in.jsonl;

  // The embedded run: bases, the invoice run in 4 parts, then the bank's file in 4 parts.
  const std::string embedded = dir_.file("embedded.db");
  const auto ingested = run(bin() + " ingest " + input + " --db " + embedded);
  ASSERT_EQ(ingested.exit_code, 0) << ingested.output;
  const auto ran = run(bin() + " run --db " + embedded);
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const std::vector<Invoice> invs = invoices_of(embedded);
  ASSERT_EQ(static_cast<int>(invs.size()), customers);
  ASSERT_EQ(documents_posted(embedded), customers);
  // One posting per part of the run (each part's ~8 invoices), not one per invoice.
  const std::int64_t run_postings = count_of(embedded, "ledger.transactions_posted");
  ASSERT_EQ(run_postings, partitions);
  // The bank's file: by invoice, exact, a third, 250 kr over; then an unknown KID and no KID.
  std::vector<formats::ocr::Payment> pays;
  const auto paid_on = common::Date::ymd(2026, 2, 19);
  for (std::size_t k = 0; k < invs.size(); ++k) {
    const std::int64_t amount = k % 3 == 0   ? invs[k].total_ore
                                : k % 3 == 1 ? invs[k].total_ore / 3
                                             : invs[k].total_ore + 25000;
    pays.push_back({invs[k].kid, amount, paid_on});
  }
  pays.push_back({"000099991000000990", 50000, paid_on});
  pays.push_back({"", 12345, paid_on});
  const std::string ocr = dir_.file("bank.ocr");
  std::ofstream(ocr, std::ios::binary) << testing::ocr_file_text(paid_on, 1902191, pays);
  const auto imported =
      run(bin() + " payments import-ocr " + ocr + " --partitions 4 --format json --db " + embedded);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  const auto reference = run(bin() + " replay --db " + embedded);
  ASSERT_EQ(reference.exit_code, 0) << reference.output;
  const std::string hash = field(reference.output, "state_hash");
  const std::int64_t events = std::stoll(field(reference.output, "events"));
  // Per partition that has payments, one posting of its part.
  const std::int64_t posted = count_of(embedded, "ledger.transactions_posted");
  ASSERT_GT(posted, run_postings + 1) << "the payments were not decided in parts";

  // Kafka: two instances of each service; A dies right after the commit that takes one of its
  // partitions' outputs to 3 (the count is per partition: each has its own runner, and a
  // partition holds ~8 customers here), C right after its first posting's commit (a part of the
  // run is one posting), before its relay has necessarily sent it.
  Background a(serve_command("invoicing", " --kill-after-outputs 3"), dir_.file("a.log"));
  Background b(serve_command("invoicing", ""), dir_.file("b.log"));
  Background c(serve_command("ledger",
                             " --input-topic oppgjor.events,oppgjor.invoicing"
                             " --kill-after-outputs 1"),
               dir_.file("c.log"));
  Background d(serve_command("ledger", " --input-topic oppgjor.events,oppgjor.invoicing"),
               dir_.file("d.log"));
  // Publish only once every instance holds partitions: an instance that joined late would find
  // its partitions already decided by the other and never reach its kill point.
  const auto joined = [&](const char* name) {
    return slurp(dir_.file(std::string(name) + ".log")).find(": assigned ") != std::string::npos;
  };
  for (int waited = 0; waited < 600 && !(joined("a") && joined("b") && joined("c") && joined("d"));
       ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string keyed = dir_.file("keyed.txt"), command = dir_.file("command.jsonl");
  std::ofstream(keyed, std::ios::binary) << in.keyed;
  std::ofstream(command, std::ios::binary) << in.command;
  auto pub = run(kcat("-t oppgjor.events -P -K '" + std::string(key_delimiter) + "' -l " + keyed));
  ASSERT_EQ(pub.exit_code, 0) << pub.output;
  for (int p = 0; p < partitions; ++p) {
    pub = run(kcat("-t oppgjor.events -P -p " + std::to_string(p) + " -l " + command));
    ASSERT_EQ(pub.exit_code, 0) << pub.output;
  }
  const auto all_logs = [&] {
    std::string out;
    for (const char* n : {"a", "b", "c", "d"}) {
      out += std::string(n) + ":\n" + slurp(dir_.file(std::string(n) + ".log")) + "\n";
    }
    return out;
  };
  ASSERT_TRUE(a.wait_for(90)) << "instance A was never killed:\n" << all_logs();
  ASSERT_TRUE(c.wait_for(90)) << "instance C was never killed:\n" << all_logs();

  // Every invoice posted before the bank's file comes (as in life: payments come days later).
  const std::string archived = dir_.file("archive.db");
  std::int64_t got = 0;
  for (int attempt = 0; attempt < 40; ++attempt) {
    archive(archived);
    if (documents_posted(archived) == customers) break;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  ASSERT_EQ(documents_posted(archived), customers) << all_logs();
  ASSERT_EQ(count_of(archived, "ledger.transactions_posted"), run_postings) << all_logs();
  const auto sent = run(bin() + " payments import-ocr " + ocr + " --kafka " + cluster_.bootstrap());
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_EQ(field(sent.output, "partitions"), "4") << sent.output;
  EXPECT_EQ(field(sent.output, "messages"), "4") << sent.output;  // one batch, every partition
  // Sending the file again changes nothing (every reader dedupes by event_id).
  ASSERT_EQ(
      run(bin() + " payments import-ocr " + ocr + " --kafka " + cluster_.bootstrap()).exit_code, 0);

  for (int attempt = 0; attempt < 40; ++attempt) {
    got = archive(archived);
    if (got == events) break;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  b.terminate();
  d.terminate();
  ASSERT_TRUE(b.wait_for(60)) << slurp(dir_.file("b.log"));
  ASSERT_TRUE(d.wait_for(60)) << slurp(dir_.file("d.log"));
  const std::string logs = all_logs();
  if (std::getenv("OPPGJOR_TEST_SHOW") != nullptr) std::printf("%s\n", logs.c_str());
  EXPECT_TRUE(WIFEXITED(b.status()) && WEXITSTATUS(b.status()) == 0) << logs;
  EXPECT_TRUE(WIFEXITED(d.status()) && WEXITSTATUS(d.status()) == 0) << logs;
  ASSERT_EQ(got, events) << logs;

  EXPECT_EQ(run(bin() + " verify --db " + archived).exit_code, 0);
  const auto replayed = run(bin() + " replay --db " + archived);
  EXPECT_EQ(field(replayed.output, "state_hash"), hash) << replayed.output;
  const std::string same =
      "SELECT event_id, type, stream, causation_id, correlation_id, actor, occurred_at, payload "
      "FROM events ORDER BY event_id";
  EXPECT_EQ(query(archived, same), query(embedded, same));
  EXPECT_EQ(count_of(archived, "ledger.transactions_posted"), posted);
  EXPECT_EQ(count_of(archived, "service.command_refused"), 0);
  EXPECT_EQ(query(archived, "SELECT count(*) FROM dead_letters"), "0\n");
  // The services run embedded on the archive (as staff do before reading reports there) decide
  // nothing again: every decision was made on Kafka and is folded as recorded.
  const auto on_archive = run(bin() + " run --db " + archived);
  ASSERT_EQ(on_archive.exit_code, 0) << on_archive.output;
  EXPECT_EQ(field(on_archive.output, "appended"), "0") << on_archive.output;
  for (const char* report :
       {"report open-items --as-of 2026-12-31 --format json", "payments suspense --format json",
        "report trial-balance --as-of 2026-12-31 --format json"}) {
    const auto there = run(bin() + " " + report + " --db " + archived);
    const auto here = run(bin() + " " + report + " --db " + embedded);
    EXPECT_EQ(there.output, here.output) << report;
  }
  // Both unmatched payments went to suspense, in part 0.
  EXPECT_EQ(query(archived,
                  "SELECT count(*) FROM events WHERE type='ledger.transactions_posted' AND "
                  "stream LIKE 'ledger/payments.%.p0' AND payload LIKE '%kid_missing%' AND "
                  "payload LIKE '%kid_unknown%'"),
            "1\n");
}

// The whole chain on Kafka: invoicing → ledger → collection → ledger. The ledger reads
// oppgjor.events, oppgjor.invoicing and oppgjor.collection (reminder fees); the collection
// service reads oppgjor.events, oppgjor.invoicing and oppgjor.ledger (payments). Half the
// invoices are paid; the nightly job then closes 20 February to 10 March (to every partition):
// the unpaid and part-paid invoices get their reminder, the ledger posts each reminder's fee.
// The archive of the four topics equals the embedded run: same events, same state hash.
TEST_F(BillingKafka, RemindersAfterPaymentsThroughFourTopicsEqualTheEmbeddedRun) {
  constexpr int n = 16;
  Input in;
  for (int i = 0; i < n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%06d", 800 + i);
    in.customer(id);
    in.basis(id, 1, 150000 + 2000 * i);
  }
  in.run_requested();
  Input days;
  days.next = 5000;
  for (int d = 20; d <= 28; ++d) days.close_day("2026-02-" + std::to_string(d));
  for (int d = 1; d <= 10; ++d)
    days.close_day("2026-03-" + std::string(d < 10 ? "0" : "") + std::to_string(d));
  const std::string input = dir_.file("input.jsonl"), days_file = dir_.file("days.jsonl");
  std::ofstream(input, std::ios::binary) << in.jsonl;
  std::ofstream(days_file, std::ios::binary) << days.jsonl;

  // Embedded: bases, the run, the bank's file in parts, then the days.
  const std::string embedded = dir_.file("embedded.db");
  ASSERT_EQ(run(bin() + " ingest " + input + " --db " + embedded).exit_code, 0);
  ASSERT_EQ(run(bin() + " run --db " + embedded).exit_code, 0);
  const std::vector<Invoice> invs = invoices_of(embedded);
  ASSERT_EQ(static_cast<int>(invs.size()), n);
  std::vector<formats::ocr::Payment> pays;
  const auto paid_on = common::Date::ymd(2026, 2, 18);
  for (std::size_t k = 0; k < invs.size(); k += 2) {
    pays.push_back({invs[k].kid, k % 4 == 0 ? invs[k].total_ore : invs[k].total_ore / 2, paid_on});
  }
  const std::string ocr = dir_.file("bank.ocr");
  std::ofstream(ocr, std::ios::binary) << testing::ocr_file_text(paid_on, 1902181, pays);
  ASSERT_EQ(
      run(bin() + " payments import-ocr " + ocr + " --partitions 4 --db " + embedded).exit_code, 0);
  const std::int64_t posted_before_days = count_of(embedded, "ledger.transactions_posted");
  ASSERT_EQ(run(bin() + " ingest " + days_file + " --db " + embedded).exit_code, 0);
  const auto ran = run(bin() + " run --db " + embedded);
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto reference = run(bin() + " replay --db " + embedded);
  ASSERT_EQ(reference.exit_code, 0) << reference.output;
  const std::string hash = field(reference.output, "state_hash");
  const std::int64_t events = std::stoll(field(reference.output, "events"));
  // Every invoice not paid in full gets its reminder (12 of 16), and the ledger its fee.
  const std::int64_t reminders = count_of(embedded, "collection.notice_sent");
  ASSERT_EQ(reminders, n - n / 4) << reference.output;
  ASSERT_EQ(count_of(embedded, "ledger.transactions_posted"), posted_before_days + reminders);

  Background inv(serve_command("invoicing", ""), dir_.file("a.log"));
  Background led(
      serve_command("ledger", " --input-topic oppgjor.events,oppgjor.invoicing,oppgjor.collection"),
      dir_.file("b.log"));
  Background col(
      serve_command("collection", " --input-topic oppgjor.events,oppgjor.invoicing,oppgjor.ledger"),
      dir_.file("c.log"));
  const auto logs = [&] {
    return "invoicing:\n" + slurp(dir_.file("a.log")) + "\nledger:\n" + slurp(dir_.file("b.log")) +
           "\ncollection:\n" + slurp(dir_.file("c.log"));
  };
  const std::string keyed = dir_.file("keyed.txt"), command = dir_.file("command.jsonl");
  std::ofstream(keyed, std::ios::binary) << in.keyed;
  std::ofstream(command, std::ios::binary) << in.command;
  ASSERT_EQ(run(kcat("-t oppgjor.events -P -K '" + std::string(key_delimiter) + "' -l " + keyed))
                .exit_code,
            0);
  for (int p = 0; p < partitions; ++p) {
    ASSERT_EQ(
        run(kcat("-t oppgjor.events -P -p " + std::to_string(p) + " -l " + command)).exit_code, 0);
  }
  // The bank's file once every invoice is posted; the days once the collection service holds
  // every posting (as in life: the nightly job runs after the day's bank file is booked).
  const std::string archived = dir_.file("archive.db");
  const std::string all_topics =
      "oppgjor.events,oppgjor.invoicing,oppgjor.ledger,oppgjor.collection";
  for (int attempt = 0; attempt < 40; ++attempt) {
    archive(archived, all_topics);
    if (documents_posted(archived) == n) break;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  ASSERT_EQ(documents_posted(archived), n) << logs();
  ASSERT_EQ(
      run(bin() + " payments import-ocr " + ocr + " --kafka " + cluster_.bootstrap()).exit_code, 0);
  const auto collection_holds = [&] {
    std::int64_t sum = 0;
    for (int p = 0; p < partitions; ++p) {
      const std::string file =
          dir_.file("state-collection") + "/collection-p" + std::to_string(p) + ".db";
      const std::string c =
          query(file, "SELECT count(*) FROM events WHERE type='ledger.transactions_posted'");
      sum += c.empty() ? 0 : std::stoll(c);
    }
    return sum;
  };
  for (int waited = 0; waited < 600 && collection_holds() < posted_before_days; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(collection_holds(), posted_before_days) << logs();
  for (int p = 0; p < partitions; ++p) {
    ASSERT_EQ(
        run(kcat("-t oppgjor.events -P -p " + std::to_string(p) + " -l " + days_file)).exit_code,
        0);
  }
  std::int64_t got = 0;
  for (int attempt = 0; attempt < 40; ++attempt) {
    got = archive(archived, all_topics);
    if (got == events) break;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  inv.terminate();
  led.terminate();
  col.terminate();
  for (Background* b : {&inv, &led, &col}) ASSERT_TRUE(b->wait_for(60)) << logs();
  ASSERT_EQ(got, events) << logs();
  EXPECT_EQ(run(bin() + " verify --db " + archived).exit_code, 0);
  EXPECT_EQ(field(run(bin() + " replay --db " + archived).output, "state_hash"), hash);
  const std::string same =
      "SELECT event_id, type, stream, causation_id, correlation_id, actor, occurred_at, payload "
      "FROM events ORDER BY event_id";
  EXPECT_EQ(query(archived, same), query(embedded, same));
  EXPECT_EQ(count_of(archived, "collection.notice_sent"), reminders);
  EXPECT_EQ(count_of(archived, "service.command_refused"), 0);
}

}  // namespace
}  // namespace oppgjor::billing_kafka_test
