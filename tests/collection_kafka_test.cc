// The collection service on Kafka (issue 9, "Done means … in the Kafka mode"): librdkafka's mock
// cluster (3 brokers, 4 partitions) hosts the topics; kcat publishes 24 customers with a
// kindergarten invoice each (`invoicing.invoice_issued`, ready-made, due on four dates in March
// 2026), keyed by customer (murmur2), then 77 closed days (`calendar.day_closed`, 16 March to 31
// May 2026, across Easter, Ascension and Whit Monday) to every partition with `partitions: 4`,
// and three claim actions (two disputes, one resolved) keyed by the claim's customer, each in its
// place among the days. Two instances of `oppgjor serve collection` share one consumer group and
// one state directory; instance A is killed with SIGKILL right after a commit (outputs decided,
// not yet published), so B takes its partitions over from the files, with the days they had
// closed. The archiver writes both topics into a hash-chained log, which must `verify` and replay
// to the same state hash and event count as the embedded run (`oppgjor run --service collection`)
// on the same input, and hold the very same events (ids, streams, causes, payloads): every
// notice, interest charge and hand-over, each once, and no refusal. Then the service runs embedded
// on the archive and decides nothing again (the archiver's barrier for requests sent to every
// partition, kafka/README.md).
//
// Only the collection service runs on either side: with the ledger embedded, its postings of the
// invoices and fees would be outputs the Kafka side has no ledger instance for.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "common/date.h"
#include "services/runtime/partition.h"
#include "tests/support/kafka_mock.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::collection_kafka_test {
namespace {

using common::Date;
using events::testing::TempDir;
using testing::Background;
using testing::bin;
using testing::field;
using testing::run;
using testing::slurp;

constexpr int partitions = 4;
constexpr int customers = 24;
constexpr const char* key_delimiter = testing::kafka_key_delimiter;

// The input as JSON Lines (for the embedded run) and as the batches an upstream system and the
// scheduler publish it in, in the same order: a keyed batch goes by its keys (the customer), an
// unkeyed one (a command spanning customers) to every partition.
class Input {
 public:
  void customer(const std::string& id) {
    add(id, "customers.customer_registered", "customer/" + id, "2024-01-01", "folkeregister",
        R"({"customer_id":")" + id +
            R"(","kind":"person","national_id":"15108695088","name":"Test Testesen",)"
            R"("address":{"street":"Gate 1","postal_code":"0150","city":"OSLO"},)"
            R"("district":"bydel_sagene"})");
  }
  // A kindergarten invoice as the invoicing service issues it (schemas/invoicing.invoice_issued):
  // series = the customer's partition + 1, numbers gapless per series. Returns its number.
  std::string invoice(const std::string& customer, Date due, std::int64_t total_ore) {
    const int series = runtime::partition_of(customer, partitions) + 1;
    const std::int64_t sequence = ++sequences_[series];
    const std::string number = std::to_string(series * 10'000'000LL + sequence);
    const std::string total = std::to_string(total_ore);
    add(customer, "invoicing.invoice_issued", "invoicing/" + customer, "2026-02-14",
        "fakturasystem",
        R"({"basis_event_ids":["B-)" + number +
            R"("],"claim_type":"kindergarten",)"
            R"("credit_of":null,"customer_id":")" +
            customer + R"(","document":"invoice","due_date":")" + due.to_iso() +
            R"(","invoice_number":")" + number + R"(","issue_date":"2026-02-14","kid":"0000)" +
            number + R"(0","lines":[{"account":"16000","amount_ore":)" + total +
            R"(,"issuer":"BHG","ordrenummer":"O-)" + number +
            R"(","product_code":"BHG","quantity":"1","text":"Foreldrebetaling mars",)"
            R"("unit_price_ore":)" +
            total + R"(,"vat_category":"E","vat_code":"0","vat_ore":0}],"net_ore":)" + total +
            R"(,"period":{"from":"2026-03-01","to":"2026-03-31"},"rule_version":"test",)"
            R"("run_id":"run-2026-02","sequence":)" +
            std::to_string(sequence) + R"(,"series":)" + std::to_string(series) +
            R"(,"total_ore":)" + total + R"(,"vat_ore":0})");
    return number;
  }
  // The nightly job closes a day: a command spanning customers, to every partition.
  void close_day(Date day) {
    add("", "calendar.day_closed", "", day.to_iso(), "scheduler",
        R"({"date":")" + day.to_iso() + R"(","partitions":4})", "nattjobb");
  }
  // A person's action on a claim: a command keyed by the claim's customer, so it reaches the
  // partition that holds the claim.
  void action(const std::string& customer, const std::string& payload) {
    add(customer, "collection.claim_action_requested", "", "2026-04-01", "saksbehandling", payload,
        "saksbehandler");
  }
  void write(const std::string& path) const {
    std::ofstream out(path, std::ios::binary);
    for (const auto& b : batches_) {
      for (const auto& [key, line] : b.lines) out << line << '\n';
    }
  }

  struct Batch {
    bool keyed = false;
    std::vector<std::pair<std::string, std::string>> lines;  // key (or ""), JSON line
  };
  const std::vector<Batch>& batches() const { return batches_; }

 private:
  void add(const std::string& key, const std::string& type, const std::string& stream,
           const std::string& occurred, const std::string& source, const std::string& payload,
           const std::string& actor = {}) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", next_++);
    const std::string s = stream.empty() ? "command/" + std::string(id) : stream;
    std::string line = std::string(R"({"event_id":")") + id + R"(","type":")" + type +
                       R"(","schema_version":1,"stream":")" + s + R"(","occurred_at":")" +
                       occurred + R"(","source":")" + source + R"(",)" +
                       (actor.empty() ? "" : R"("actor":")" + actor + R"(",)") + R"("payload":)" +
                       payload + "}";
    const bool keyed = !key.empty();
    if (batches_.empty() || batches_.back().keyed != keyed) batches_.push_back({keyed, {}});
    batches_.back().lines.emplace_back(key, std::move(line));
  }
  int next_ = 900;
  std::map<int, std::int64_t> sequences_;
  std::vector<Batch> batches_;
};

// Rows of a query on a log, one line each, as sqlite3 prints them.
std::string query(const std::string& db, const std::string& sql) {
  return run("sqlite3 " + db + " \"" + sql + "\"").output;
}

std::int64_t count_of(const std::string& db, const std::string& type) {
  return std::stoll(query(db, "SELECT count(*) FROM events WHERE type='" + type + "'"));
}

class CollectionKafka : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.ok()) << "mock cluster did not start";
    ASSERT_TRUE(cluster_.create_topic("oppgjor.events", partitions));
    ASSERT_TRUE(cluster_.create_topic("oppgjor.collection", partitions));
    ASSERT_EQ(run("kcat -V").exit_code, 0) << "kcat is required (ops/install-deps.sh installs it)";
  }
  std::string kcat(const std::string& args) {
    return "kcat -b " + cluster_.bootstrap() + " -X partitioner=murmur2_random " + args;
  }
  std::string serve_command(const std::string& extra) {
    return bin() + " serve collection --kafka " + cluster_.bootstrap() +
           " --group collection --state-dir " + dir_.file("state") +
           " -X session.timeout.ms=6000 -X heartbeat.interval.ms=500 --batch 25 --commit-every 8" +
           extra;
  }
  // Publishes the batches in order: keyed ones by key, the others to every partition.
  void publish(const Input& input) {
    int n = 0;
    for (const auto& b : input.batches()) {
      const std::string file = dir_.file("batch-" + std::to_string(n++) + ".txt");
      {
        std::ofstream out(file, std::ios::binary);
        for (const auto& [key, line] : b.lines) {
          out << (b.keyed ? key + key_delimiter : std::string()) << line << '\n';
        }
      }
      if (b.keyed) {
        const auto r =
            run(kcat("-t oppgjor.events -P -K '" + std::string(key_delimiter) + "' -l " + file));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        continue;
      }
      for (int p = 0; p < partitions; ++p) {
        const auto r = run(kcat("-t oppgjor.events -P -p " + std::to_string(p) + " -l " + file));
        ASSERT_EQ(r.exit_code, 0) << r.output;
      }
    }
  }
  // The archiver over both topics: outputs are archived after their cause (kafka/README.md).
  void archive(const std::string& db) {
    const auto r = run(bin() + " ingest --kafka " + cluster_.bootstrap() +
                       " --topic oppgjor.events,oppgjor.collection --group archiver --db " + db +
                       " --stop-at-end -X session.timeout.ms=6000");
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }

  testing::MockCluster cluster_;
  TempDir dir_;
};

TEST_F(CollectionKafka, TwoInstancesOneKilledArchiveEqualsTheEmbeddedRun) {
  // The input: 24 customers, a kindergarten invoice each, due on four dates in March 2026.
  Input in;
  const Date dues[] = {Date::ymd(2026, 3, 2), Date::ymd(2026, 3, 6), Date::ymd(2026, 3, 13),
                       Date::ymd(2026, 3, 20)};
  std::vector<std::string> ids, numbers;
  for (int i = 0; i < customers; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%06d", 600 + i);
    ids.emplace_back(id);
    in.customer(id);
  }
  for (int i = 0; i < customers; ++i) {
    numbers.push_back(in.invoice(ids[i], dues[i % 4], 300000 + 100 * i));
  }
  // The days, with two disputes after the first reminders (one resolved two weeks later, so its
  // dunning resumes; one left open, so its dunning stays paused).
  int days = 0;
  for (Date d = Date::ymd(2026, 3, 16); d <= Date::ymd(2026, 5, 31); d = d.add_days(1)) {
    if (d == Date::ymd(2026, 4, 1)) {
      in.action(ids[1], R"({"action":"dispute","invoice_number":")" + numbers[1] +
                            R"(","on":"2026-04-01","reason":"Mener plassen var sagt opp"})");
      in.action(ids[5], R"({"action":"dispute","invoice_number":")" + numbers[5] +
                            R"(","on":"2026-04-01","reason":"Feil sats"})");
    }
    if (d == Date::ymd(2026, 4, 15)) {
      in.action(ids[1], R"({"action":"resolve","invoice_number":")" + numbers[1] +
                            R"(","on":"2026-04-15","outcome":"rejected",)"
                            R"("reason":"Oppsigelsen kom for sent"})");
    }
    in.close_day(d);
    ++days;
  }
  constexpr int actions = 3;
  const std::string input = dir_.file("input.jsonl");
  in.write(input);

  // The embedded run on the same input, the collection service only.
  const std::string embedded = dir_.file("embedded.db");
  const auto ingested = run(bin() + " ingest " + input + " --db " + embedded);
  ASSERT_EQ(ingested.exit_code, 0) << ingested.output;
  const auto ran = run(bin() + " run --db " + embedded + " --service collection");
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto reference = run(bin() + " replay --db " + embedded);
  ASSERT_EQ(reference.exit_code, 0) << reference.output;
  const std::string hash = field(reference.output, "state_hash");
  const std::string events = field(reference.output, "events");
  // Every undisputed claim: reminder, collection notice, payment demand, hand-over (with its
  // interest); the resolved one too; the one still disputed only its reminder.
  const int handovers = customers - 1;
  const int notices = 3 * (customers - 1) + 1;
  const int answers = days * partitions + actions;
  const int outputs = notices + 2 * handovers + actions + answers;
  ASSERT_EQ(std::stoll(events), (2 * customers + days + actions) + outputs) << reference.output;
  ASSERT_EQ(count_of(embedded, "collection.notice_sent"), notices);
  ASSERT_EQ(count_of(embedded, "collection.handed_over"), handovers);

  // Two instances in one group; instance A dies right after the commit that takes its outputs
  // past 40 (decided and committed, not yet published).
  Background a(serve_command(" --kill-after-outputs 40"), dir_.file("a.log"));
  Background b(serve_command(""), dir_.file("b.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  publish(in);

  ASSERT_TRUE(a.wait_for(90)) << "instance A was never killed:\n" << slurp(dir_.file("a.log"));
  ASSERT_TRUE(WIFSIGNALED(a.status()) && WTERMSIG(a.status()) == SIGKILL)
      << slurp(dir_.file("a.log"));

  // The archiver until everything arrived: B takes A's partitions over after the session
  // timeout, decides what A left and publishes what A decided but had not published.
  const std::string archived = dir_.file("archive.db");
  std::string got, replay_output;
  for (int attempt = 0; attempt < 40; ++attempt) {
    archive(archived);
    replay_output = run(bin() + " replay --db " + archived).output;
    got = field(replay_output, "events");
    if (got == events) break;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  b.terminate();
  ASSERT_TRUE(b.wait_for(60)) << slurp(dir_.file("b.log"));
  EXPECT_TRUE(WIFEXITED(b.status()) && WEXITSTATUS(b.status()) == 0) << slurp(dir_.file("b.log"));
  const std::string b_log = slurp(dir_.file("b.log"));
  if (std::getenv("OPPGJOR_TEST_SHOW") != nullptr) {
    std::printf("A:\n%s\nB:\n%s\n", slurp(dir_.file("a.log")).c_str(), b_log.c_str());
  }

  ASSERT_EQ(got, events) << replay_output << "A:\n"
                         << slurp(dir_.file("a.log")) << "\nB:\n"
                         << b_log;
  const auto replayed = run(bin() + " replay --db " + archived);
  EXPECT_EQ(field(replayed.output, "state_hash"), hash) << replayed.output;
  EXPECT_EQ(run(bin() + " verify --db " + archived).exit_code, 0);
  // The same events in both logs, whichever instance decided them and in whatever order the
  // archiver read the partitions: identity, stream, cause, actor and payload.
  const std::string same =
      "SELECT event_id, type, stream, causation_id, correlation_id, actor, occurred_at, payload "
      "FROM events ORDER BY event_id";
  EXPECT_EQ(query(archived, same), query(embedded, same));
  EXPECT_EQ(count_of(archived, "collection.notice_sent"), notices);
  EXPECT_EQ(count_of(archived, "collection.handed_over"), handovers);
  EXPECT_EQ(count_of(archived, "collection.interest_charged"), handovers);
  EXPECT_EQ(count_of(archived, "service.command_refused"), 0);
  EXPECT_EQ(query(archived, "SELECT count(*) FROM dead_letters"), "0\n");
  // Every output about a claim is archived after the claim's invoice (kafka/README.md: an output
  // waits for the input partition it was decided in, not only for the day it answers).
  EXPECT_EQ(
      query(archived,
            "SELECT count(*) FROM events o JOIN events i ON i.type='invoicing.invoice_issued' "
            "AND json_extract(i.payload,'$.invoice_number')="
            "json_extract(o.payload,'$.invoice_number') "
            "WHERE o.source='oppgjor.collection' AND o.sequence < i.sequence"),
      "0\n");
  EXPECT_EQ(query(archived,
                  "SELECT count(*) FROM events WHERE source='oppgjor.collection' AND "
                  "json_extract(payload,'$.invoice_number') IS NOT NULL"),
            std::to_string(notices + 2 * handovers + actions) + "\n");
  // B published what it decided and what A had decided but not published.
  ASSERT_NE(b_log.rfind("service=collection"), std::string::npos) << b_log;
  const std::string b_stats = b_log.substr(b_log.rfind("service=collection"));
  EXPECT_GT(std::stoll(field(b_stats, "published")), std::stoll(field(b_stats, "decided")))
      << b_log;
  // The collection service runs embedded on the archive: every closed day and action was decided
  // on Kafka, so their recorded outputs are folded at the request (which the archiver wrote once
  // every partition's copy had been read, after what each partition held before it) and nothing
  // is decided again.
  const auto embedded_on_archive = run(bin() + " run --db " + archived + " --service collection");
  ASSERT_EQ(embedded_on_archive.exit_code, 0) << embedded_on_archive.output;
  EXPECT_EQ(field(embedded_on_archive.output, "appended"), "0") << embedded_on_archive.output;
  EXPECT_EQ(field(embedded_on_archive.output, "recorded"), std::to_string(days + actions))
      << embedded_on_archive.output;
  EXPECT_EQ(field(run(bin() + " replay --db " + archived).output, "state_hash"), hash);
}

}  // namespace
}  // namespace oppgjor::collection_kafka_test
