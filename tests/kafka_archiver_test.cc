// The Kafka archiver over several topics (librdkafka's mock cluster, kcat as the producers):
// topics archived into one log with their offsets, and causal order, where a service's output is
// published before the event that caused it and must still be archived after it.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/care_fees_upstream.h"
#include "tests/support/kafka_mock.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::kafka_archiver_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::MockCluster;
using testing::run;

// The care_fees service's answer to a command: an output (source oppgjor.care_fees) whose
// causation_id is the command.
void write_output(const std::string& path, const std::string& id, const std::string& command_id) {
  std::ofstream out(path);
  out << R"({"event_id":")" << id
      << R"(","type":"service.command_completed","schema_version":1,"stream":"command/)"
      << command_id << R"(","occurred_at":"2026-01-05T10:00:00+01:00","source":)"
      << R"("oppgjor.care_fees","causation_id":")" << command_id
      << R"(","payload":{"service":"care_fees","command_type":)"
      << R"("care_fees.recalculation_requested","command_event_id":")" << command_id
      << R"(","counts":{"started":1}}})" << '\n';
}

class KafkaArchiver : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.ok()) << "mock cluster did not start";
    ASSERT_EQ(run("kcat -V").exit_code, 0) << "kcat is required (ops/install-deps.sh installs it)";
  }
  testing::RunResult publish(const std::string& topic, const std::string& jsonl) {
    return testing::kcat_publish(cluster_.bootstrap(), topic, jsonl, published_[topic]);
  }
  testing::RunResult archive(const std::string& topics, const std::string& db) {
    return run(bin() + " ingest --kafka " + cluster_.bootstrap() + " " + topics +
               " --group oppgjor-archiver --db " + db +
               " --stop-at-end -X session.timeout.ms=6000 --connect-timeout 20");
  }
  std::string sql(const std::string& db, const std::string& query) {
    return run("sqlite3 " + db + " \"" + query + "\"").output;
  }

  MockCluster cluster_;
  TempDir dir_;
  std::map<std::string, std::size_t> published_;
};

TEST_F(KafkaArchiver, TwoTopicsIntoOneLogWithTheirOffsets) {
  ASSERT_TRUE(cluster_.create_topic("upstream.customers", 2));
  ASSERT_TRUE(cluster_.create_topic("upstream.care", 3));
  // One upstream file split by stream over the two topics (a stream stays on one topic, so its
  // events keep their order).
  const std::string sample = dir_.file("upstream.jsonl");
  ASSERT_EQ(run(bin() + " sample --out " + sample + " --customers 20").exit_code, 0);
  std::ifstream in(sample);
  std::ofstream customers(dir_.file("customers.jsonl")), care(dir_.file("care.jsonl"));
  for (std::string line; std::getline(in, line);) {
    (line.find("\"stream\":\"customer/") != std::string::npos ? customers : care) << line << '\n';
  }
  customers.close();
  care.close();
  ASSERT_EQ(publish("upstream.customers", dir_.file("customers.jsonl")).exit_code, 0);
  ASSERT_EQ(publish("upstream.care", dir_.file("care.jsonl")).exit_code, 0);
  const std::size_t n_customers = published_["upstream.customers"];
  const std::size_t n_care = published_["upstream.care"];
  ASSERT_GT(n_customers, 0u);
  ASSERT_GT(n_care, 0u);

  const std::string file_db = dir_.file("file.db");
  ASSERT_EQ(run(bin() + " ingest " + sample + " --db " + file_db).exit_code, 0);

  // A comma-separated list and a repeated --topic name the same topics (each read once).
  const std::string db = dir_.file("kafka.db");
  const auto r = archive("--topic upstream.customers,upstream.care --topic upstream.care", db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string n = std::to_string(n_customers + n_care);
  EXPECT_NE(r.output.find("ingest: " + n + " inputs: " + n + " appended, 0 duplicates"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("held back"), std::string::npos) << r.output;
  EXPECT_EQ(sql(db, "SELECT count(*) FROM events"), n + "\n");
  // Offsets per topic (and partition), under the key the single-topic archiver used.
  EXPECT_EQ(sql(db,
                "SELECT source, count(*), sum(next_offset) FROM source_offsets GROUP BY source "
                "ORDER BY source"),
            "kafka:upstream.care|3|" + std::to_string(n_care) + "\nkafka:upstream.customers|2|" +
                std::to_string(n_customers) + "\n");
  const std::string hash = field(run(bin() + " replay --db " + file_db).output, "state_hash");
  ASSERT_EQ(hash.size(), 64u);
  EXPECT_EQ(field(run(bin() + " replay --db " + db).output, "state_hash"), hash);
  EXPECT_EQ(run(bin() + " verify --db " + db).exit_code, 0);

  // Again: both topics' stored offsets say everything was read.
  const auto again = archive("--topic upstream.customers,upstream.care", db);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("ingest: 0 inputs"), std::string::npos) << again.output;
}

TEST_F(KafkaArchiver, AnOutputPublishedBeforeItsCauseIsArchivedAfterIt) {
  ASSERT_TRUE(cluster_.create_topic("oppgjor.commands", 1));
  ASSERT_TRUE(cluster_.create_topic("oppgjor.care_fees", 1));
  // The cause: a person's command, as a front end puts it on oppgjor.commands.
  testing::Upstream upstream(1);
  upstream.command("care_fees.recalculation_requested", R"({"year":2025})", "saksbehandler.a");
  const std::string command_id = "00000000-0000-4000-8000-000000000001";
  upstream.write(dir_.file("command.jsonl"));
  // The care_fees service's answer (its output, caused by the command), then an unrelated event
  // behind it in the same partition: it must wait too, or the partition's offset could not stay
  // before the held output.
  const std::string output_id = "00000000-0000-4000-8000-000000000101";
  write_output(dir_.file("outputs.jsonl"), output_id, command_id);
  testing::Upstream later(201);
  later.customer("C000201");
  later.write(dir_.file("later.jsonl"));
  // One partition, published in this order: "behind it" is certain.
  ASSERT_EQ(publish("oppgjor.care_fees", dir_.file("outputs.jsonl")).exit_code, 0);
  ASSERT_EQ(publish("oppgjor.care_fees", dir_.file("later.jsonl")).exit_code, 0);
  ASSERT_EQ(published_["oppgjor.care_fees"], 2u);

  // First run: the cause is not on any topic yet. Both topics are read to their end, the output
  // and what follows it are held back (not stored), and the run says so instead of waiting.
  const std::string db = dir_.file("kafka.db");
  const std::string topics = "--topic oppgjor.commands,oppgjor.care_fees";
  const auto first = archive(topics, db);
  EXPECT_EQ(first.exit_code, 1) << first.output;
  EXPECT_NE(first.output.find("ingest: 0 inputs"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("held back 2"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("2 messages are held back"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("oppgjor.care_fees/0@0"), std::string::npos) << first.output;
  EXPECT_EQ(first.output.find("15108695088"), std::string::npos) << "a national id in full";
  EXPECT_EQ(sql(db, "SELECT count(*) FROM events"), "0\n");
  EXPECT_EQ(sql(db,
                "SELECT count(*) FROM source_offsets WHERE source='kafka:oppgjor.care_fees' "
                "AND next_offset > 0"),
            "0\n")
      << "the stored offset moved past a held message";

  // The cause arrives (late, on its own topic). The next run archives it, then its output, then
  // the event that waited behind the output.
  ASSERT_EQ(publish("oppgjor.commands", dir_.file("command.jsonl")).exit_code, 0);
  const auto second = archive(topics, db);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("ingest: 3 inputs: 3 appended"), std::string::npos) << second.output;
  EXPECT_EQ(second.output.find("held back"), std::string::npos) << second.output;
  EXPECT_EQ(sql(db, "SELECT sequence, type, source FROM events ORDER BY sequence"),
            "1|care_fees.recalculation_requested|oppgjor.cli\n"
            "2|service.command_completed|oppgjor.care_fees\n"
            "3|customers.customer_registered|folkeregister\n");
  EXPECT_EQ(sql(db,
                "SELECT o.sequence > c.sequence FROM events o JOIN events c ON "
                "c.event_id = o.causation_id WHERE o.event_id = '" +
                    output_id + "'"),
            "1\n");
  EXPECT_EQ(sql(db, "SELECT source, next_offset FROM source_offsets ORDER BY source"),
            "kafka:oppgjor.care_fees|2\nkafka:oppgjor.commands|1\n");
  EXPECT_EQ(run(bin() + " verify --db " + db).exit_code, 0);
}

TEST_F(KafkaArchiver, APartitionHoldingTooManyIsPausedAndTheRunStillEnds) {
  ASSERT_TRUE(cluster_.create_topic("oppgjor.commands", 1));
  ASSERT_TRUE(cluster_.create_topic("oppgjor.care_fees", 1));
  testing::Upstream upstream(1);
  upstream.command("care_fees.recalculation_requested", R"({"year":2025})", "saksbehandler.a");
  const std::string command_id = "00000000-0000-4000-8000-000000000001";
  upstream.write(dir_.file("command.jsonl"));
  write_output(dir_.file("outputs.jsonl"), "00000000-0000-4000-8000-000000000101", command_id);
  testing::Upstream later(201);
  for (int i = 0; i < 6; ++i) later.customer("C00030" + std::to_string(i));
  later.write(dir_.file("later.jsonl"));
  ASSERT_EQ(publish("oppgjor.care_fees", dir_.file("outputs.jsonl")).exit_code, 0);
  ASSERT_EQ(publish("oppgjor.care_fees", dir_.file("later.jsonl")).exit_code, 0);

  // Past two held messages the partition is paused (it never reports its end then); the run
  // still ends, saying how many it holds, and stores nothing of that partition.
  const std::string db = dir_.file("kafka.db");
  const std::string topics = "--topic oppgjor.commands,oppgjor.care_fees --hold-max 2";
  const auto first = archive(topics, db);
  EXPECT_EQ(first.exit_code, 1) << first.output;
  EXPECT_NE(first.output.find("oppgjor.care_fees/0 paused"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("messages are held back"), std::string::npos) << first.output;
  EXPECT_EQ(sql(db, "SELECT count(*) FROM events"), "0\n");
  EXPECT_EQ(sql(db,
                "SELECT count(*) FROM source_offsets WHERE source='kafka:oppgjor.care_fees' "
                "AND next_offset > 0"),
            "0\n");

  // With the cause published, everything arrives once, in causal order.
  ASSERT_EQ(publish("oppgjor.commands", dir_.file("command.jsonl")).exit_code, 0);
  const auto second = archive(topics, db);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("ingest: 8 inputs: 8 appended"), std::string::npos) << second.output;
  EXPECT_EQ(sql(db,
                "SELECT group_concat(type, ' ') FROM (SELECT type FROM events WHERE "
                "sequence <= 2 ORDER BY sequence)"),
            "care_fees.recalculation_requested service.command_completed\n");
  EXPECT_EQ(sql(db, "SELECT source, next_offset FROM source_offsets ORDER BY source"),
            "kafka:oppgjor.care_fees|7\nkafka:oppgjor.commands|1\n");
}

// A request sent to every partition (a closed day, "partitions": 2) is archived once, when every
// partition's copy has been read: after what each partition held before its copy, before what
// follows it. Partition 1 has 300 events ahead of its copy, so without the barrier the copy in
// partition 0 would be archived first.
TEST_F(KafkaArchiver, ARequestToEveryPartitionWaitsForEveryCopy) {
  ASSERT_TRUE(cluster_.create_topic("oppgjor.events", 2));
  testing::Upstream request(1);
  request.command("calendar.day_closed", R"({"date":"2026-03-16","partitions":2})", "nattjobb");
  request.write(dir_.file("request.jsonl"));
  testing::Upstream before(101);
  for (int i = 0; i < 300; ++i) before.customer("C00100" + std::to_string(1000 + i));
  before.write(dir_.file("before.jsonl"));
  testing::Upstream after(501);
  after.customer("C000502000");
  after.write(dir_.file("after.jsonl"));
  const auto to = [&](int partition, const std::string& file) {
    return run("kcat -b " + cluster_.bootstrap() + " -t oppgjor.events -P -p " +
               std::to_string(partition) + " -l " + dir_.file(file))
        .exit_code;
  };
  ASSERT_EQ(to(0, "request.jsonl"), 0);
  ASSERT_EQ(to(1, "before.jsonl"), 0);

  // Partition 1's copy is not published yet: the request waits (not stored, partition 0's
  // offset stays before it) and the run ends saying so; partition 1's events are archived.
  const std::string db = dir_.file("kafka.db");
  const auto first = archive("--topic oppgjor.events", db);
  EXPECT_EQ(first.exit_code, 1) << first.output;
  EXPECT_NE(first.output.find("held back 1"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("oppgjor.events/0@0"), std::string::npos) << first.output;
  EXPECT_EQ(sql(db, "SELECT count(*) FROM events"), "300\n");
  EXPECT_EQ(sql(db, "SELECT count(*) FROM events WHERE type='calendar.day_closed'"), "0\n");

  ASSERT_EQ(to(1, "request.jsonl"), 0);
  ASSERT_EQ(to(1, "after.jsonl"), 0);
  const auto second = archive("--topic oppgjor.events", db);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(second.output.find("held back"), std::string::npos) << second.output;
  // Once, between partition 1's events before its copy and the one after it.
  EXPECT_EQ(sql(db, "SELECT count(*), min(sequence) FROM events WHERE type='calendar.day_closed'"),
            "1|301\n");
  EXPECT_EQ(sql(db, "SELECT sequence FROM events WHERE stream='customer/C000502000'"), "302\n");
  EXPECT_EQ(sql(db, "SELECT source, partition, next_offset FROM source_offsets ORDER BY partition"),
            "kafka:oppgjor.events|0|1\nkafka:oppgjor.events|1|302\n");
  EXPECT_EQ(run(bin() + " verify --db " + db).exit_code, 0);
}

}  // namespace
}  // namespace oppgjor::kafka_archiver_test
