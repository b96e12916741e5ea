// The services runtime on Kafka (issue 7): librdkafka's mock cluster (3 brokers, 4 partitions)
// hosts the topics; kcat publishes the upstream events (keyed by customer, murmur2 as every
// Oppgjør client) and the month's billing commands (to every partition, `partitions: 4`); two
// instances of `oppgjor serve care_fees` share one consumer group and one state directory; one
// instance is killed with SIGKILL right after one of its commits (outputs decided, not yet
// published), so the other takes its partitions over from the files. The archiver
// (`oppgjor ingest --kafka`) writes both topics into a hash-chained log, which must replay to
// the same state hash and event count as the embedded run (`oppgjor run`) on the same input:
// nothing lost, nothing doubled.
//
// The kill point is a commit counted by the runner, never a moment in time. The waits are the
// mock's group joins and the session timeout (6 s) of the killed member (KAFKA-TESTING.md).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/support/care_fees_upstream.h"
#include "tests/support/kafka_mock.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::services_kafka_test {
namespace {

using events::testing::TempDir;
using testing::Background;
using testing::bin;
using testing::field;
using testing::run;
using testing::slurp;
using testing::Upstream;

constexpr int partitions = 4;
constexpr int residents = 40;
constexpr const char* key_delimiter = testing::kafka_key_delimiter;

// Splits the upstream file as an upstream system would publish it: customer and resident events
// keyed by the customer (the part of the stream after '/'), commands (stream command/…) to
// every partition.
void split(const std::string& jsonl, const std::string& keyed, const std::string& commands) {
  static const std::regex stream_re("\"stream\":\"([^\"/]+)/([^\"]+)\"");
  std::ifstream in(jsonl, std::ios::binary);
  std::ofstream k(keyed, std::ios::binary), c(commands, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, stream_re)) << line;
    if (m[1].str() == "command") {
      c << line << '\n';
    } else {
      k << m[2].str() << key_delimiter << line << '\n';
    }
  }
}

class ServicesKafka : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.ok()) << "mock cluster did not start";
    ASSERT_TRUE(cluster_.create_topic("oppgjor.events", partitions));
    ASSERT_TRUE(cluster_.create_topic("oppgjor.care_fees", partitions));
    ASSERT_EQ(run("kcat -V").exit_code, 0) << "kcat is required (ops/install-deps.sh installs it)";
  }
  std::string kcat(const std::string& args) {
    return "kcat -b " + cluster_.bootstrap() + " -X partitioner=murmur2_random " + args;
  }
  std::string serve_command(const std::string& extra) {
    return bin() + " serve care_fees --kafka " + cluster_.bootstrap() +
           " --group care-fees --state-dir " + dir_.file("state") +
           " -X session.timeout.ms=6000 -X heartbeat.interval.ms=500 --batch 25 --commit-every 8" +
           extra;
  }
  // The archiver over both topics: outputs are archived after their cause (kafka/README.md).
  void archive(const std::string& db) {
    const auto r = run(bin() + " ingest --kafka " + cluster_.bootstrap() +
                       " --topic oppgjor.events,oppgjor.care_fees --group archiver --db " + db +
                       " --stop-at-end -X session.timeout.ms=6000");
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }

  testing::MockCluster cluster_;
  TempDir dir_;
};

TEST_F(ServicesKafka, TwoInstancesOneKilledArchiveReplaysToTheEmbeddedStateHash) {
  // The input: residents with stays and provisional income; a year of billing commands, each
  // to be decided in `partitions` parts.
  Upstream up(7);
  for (int i = 0; i < residents; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%06d", 500 + i);
    up.customer(id);
    up.stay(id, std::string("S-") + id, "2024-09-01");
    up.income(id, "provisional", std::to_string(200000 + 1500 * (i % 30)) + ".00", "32000.00");
  }
  for (int m = 1; m <= 12; ++m) {
    up.command("care_fees.billing_requested",
               R"({"month":)" + std::to_string(m) + R"(,"partitions":4,"year":2025})",
               "fakturering");
  }
  const std::string input = dir_.file("input.jsonl");
  up.write(input);

  // The embedded run on the same input.
  const std::string embedded = dir_.file("embedded.db");
  const auto ingested = run(bin() + " ingest " + input + " --db " + embedded);
  ASSERT_EQ(ingested.exit_code, 0) << ingested.output;
  const auto ran = run(bin() + " run --db " + embedded);
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto reference = run(bin() + " replay --db " + embedded);
  ASSERT_EQ(reference.exit_code, 0) << reference.output;
  const std::string hash = field(reference.output, "state_hash");
  const std::string events = field(reference.output, "events");
  // Inputs (3 per resident, 12 commands), one bill per resident and month, two fee decisions
  // per resident (January's provisional fee, May's changed fee), and one answer per command and
  // part.
  ASSERT_EQ(std::stoll(events), (3 * residents + 12) + (14 * residents + 12 * partitions))
      << reference.output;

  // Two instances in one group; instance A dies right after the commit that takes its outputs
  // past 30 (bills decided and committed, not yet published).
  Background a(serve_command(" --kill-after-outputs 30"), dir_.file("a.log"));
  Background b(serve_command(""), dir_.file("b.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const std::string keyed = dir_.file("keyed.txt"), commands = dir_.file("commands.jsonl");
  split(input, keyed, commands);
  auto pub = run(kcat("-t oppgjor.events -P -K '" + std::string(key_delimiter) + "' -l " + keyed));
  ASSERT_EQ(pub.exit_code, 0) << pub.output;
  for (int p = 0; p < partitions; ++p) {
    pub = run(kcat("-t oppgjor.events -P -p " + std::to_string(p) + " -l " + commands));
    ASSERT_EQ(pub.exit_code, 0) << pub.output;
  }

  ASSERT_TRUE(a.wait_for(90)) << "instance A was never killed:\n" << slurp(dir_.file("a.log"));
  ASSERT_TRUE(WIFSIGNALED(a.status()) && WTERMSIG(a.status()) == SIGKILL)
      << slurp(dir_.file("a.log"));

  // The archiver until everything arrived: B takes A's partitions over after the session
  // timeout, decides what A left and publishes what A decided but had not published.
  const std::string archived = dir_.file("archive.db");
  std::string got;
  for (int attempt = 0; attempt < 40; ++attempt) {
    archive(archived);
    got = field(run(bin() + " replay --db " + archived).output, "events");
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

  ASSERT_EQ(got, events) << "A:\n" << slurp(dir_.file("a.log")) << "\nB:\n" << b_log;
  const auto replayed = run(bin() + " replay --db " + archived);
  EXPECT_EQ(field(replayed.output, "state_hash"), hash) << replayed.output;
  EXPECT_EQ(run(bin() + " verify --db " + archived).exit_code, 0);
  // B published what it decided and what A had decided but not published; the archive holds no
  // output twice (counts above) and no refusal.
  ASSERT_NE(b_log.rfind("service=care_fees"), std::string::npos) << b_log;
  const std::string b_stats = b_log.substr(b_log.rfind("service=care_fees"));
  EXPECT_GT(std::stoll(field(b_stats, "published")), std::stoll(field(b_stats, "decided")))
      << b_log;
  EXPECT_LT(std::stoll(field(b_stats, "decided")), 14 * residents + 12 * partitions) << b_log;
  // The services run embedded on the archive (as finance staff do for a control recalculation):
  // every request was decided on Kafka, so its recorded outputs are folded and nothing is
  // decided again.
  const auto embedded_on_archive = run(bin() + " run --db " + archived);
  ASSERT_EQ(embedded_on_archive.exit_code, 0) << embedded_on_archive.output;
  EXPECT_EQ(field(embedded_on_archive.output, "appended"), "0") << embedded_on_archive.output;
  EXPECT_EQ(field(embedded_on_archive.output, "recorded"), "12") << embedded_on_archive.output;
  EXPECT_EQ(field(run(bin() + " replay --db " + archived).output, "state_hash"), hash);
  const auto refused = run("sqlite3 " + archived +
                           " \"SELECT count(*) FROM events WHERE type='service.command_refused'\"");
  EXPECT_EQ(refused.output, "0\n") << refused.output;
}

}  // namespace
}  // namespace oppgjor::services_kafka_test
