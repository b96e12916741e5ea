// Kafka intake end to end: librdkafka's mock cluster (3 brokers, 4 partitions) on loopback hosts
// the topic, kcat publishes a JSONL file into it as the outside upstream system would, and
// `oppgjor ingest --kafka` consumes it in a consumer group. The resulting log has the same state
// hash as file intake of the same lines. See ../shared KAFKA-TESTING.md for the mock's limits:
// counts are asserted end to end, and the waits (group join ~3 s) are budgeted.
#include <gtest/gtest.h>

#include <regex>

#include "tests/support/kafka_mock.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::kafka_intake_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::MockCluster;
using testing::run;

constexpr const char* topic = "billing.events";

// The printed summary: from the "ingest: N inputs" line on (log lines on stderr come before).
std::string summary(const std::string& output) {
  std::smatch m;
  static const std::regex line("(^|\n)(ingest: [0-9]+ inputs)");
  if (!std::regex_search(output, m, line)) return "";
  return output.substr(static_cast<std::size_t>(m.position(2)));
}

class KafkaIntake : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.ok()) << "mock cluster did not start";
    ASSERT_TRUE(cluster_.create_topic(topic, 4));
    ASSERT_EQ(run("kcat -V").exit_code, 0) << "kcat is required (ops/install-deps.sh installs it)";
  }
  testing::RunResult publish(const std::string& jsonl) {
    return testing::kcat_publish(cluster_.bootstrap(), topic, jsonl, published_);
  }
  testing::RunResult consume(const std::string& db) {
    return run(bin() + " ingest --kafka " + cluster_.bootstrap() + " --topic " + topic +
               " --group oppgjor-intake --db " + db +
               " --stop-at-end -X session.timeout.ms=6000 -X fetch.message.max.bytes=2000000");
  }

  MockCluster cluster_;
  TempDir dir_;
  std::size_t published_ = 0;
};

TEST_F(KafkaIntake, SameStateAsFileIntakeAndResumesFromStoredOffsets) {
  const std::string sample = dir_.file("upstream.jsonl");
  ASSERT_EQ(run(bin() + " sample --out " + sample + " --customers 60 --faults").exit_code, 0);
  const auto pub = publish(sample);
  ASSERT_EQ(pub.exit_code, 0) << pub.output;

  const std::string file_db = dir_.file("file.db");
  const auto from_file = run(bin() + " ingest " + sample + " --db " + file_db);
  ASSERT_EQ(from_file.exit_code, 3) << from_file.output;

  const std::string kafka_db = dir_.file("kafka.db");
  const auto from_kafka = consume(kafka_db);
  ASSERT_EQ(from_kafka.exit_code, 3) << from_kafka.output;
  // Every published message arrived (the mock drops silently past 5 MiB per partition).
  EXPECT_NE(from_kafka.output.find("ingest: " + std::to_string(published_) + " inputs"),
            std::string::npos)
      << from_kafka.output;
  // Same accepted / duplicate / rejected counts, and the same state.
  EXPECT_EQ(summary(from_kafka.output), summary(from_file.output));
  EXPECT_NE(summary(from_file.output), "");
  const std::string hash = field(run(bin() + " replay --db " + file_db).output, "state_hash");
  ASSERT_EQ(hash.size(), 64u);
  EXPECT_EQ(field(run(bin() + " replay --db " + kafka_db).output, "state_hash"), hash);
  EXPECT_EQ(run(bin() + " verify --db " + kafka_db).exit_code, 0);
  const auto offsets =
      run("sqlite3 " + kafka_db +
          " \"SELECT sum(next_offset) FROM source_offsets WHERE source='kafka:" + topic + "'\"");
  EXPECT_EQ(offsets.output, std::to_string(published_) + "\n") << "offsets stored with the log";

  // The same group again: the stored offsets say everything was read.
  const auto again = consume(kafka_db);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("ingest: 0 inputs"), std::string::npos) << again.output;

  // New events published later are read once, and only they.
  const std::string more = dir_.file("more.jsonl");
  ASSERT_EQ(run(bin() + " sample --out " + more + " --customers 5 --seed 77").exit_code, 0);
  const std::size_t before = published_;
  ASSERT_EQ(publish(more).exit_code, 0);
  const auto later = consume(kafka_db);
  EXPECT_EQ(later.exit_code, 0) << later.output;
  const std::string n_more = std::to_string(published_ - before);
  EXPECT_NE(later.output.find("ingest: " + n_more + " inputs: " + n_more + " appended"),
            std::string::npos)
      << later.output;
}

}  // namespace
}  // namespace oppgjor::kafka_intake_test
