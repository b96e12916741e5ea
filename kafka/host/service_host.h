// The Kafka service host (`oppgjor serve SERVICE --kafka …`, docs/SERVICES.md "Distributed
// mode"): one service, fed by a consumer group on its input topics, its outputs published to the
// service's own topic.
//
// Several input topics (the ledger reads upstream events and the invoicing service's invoices)
// must be co-partitioned: the same partition count, and partition N of every topic assigned to
// the same instance (the group uses the range assignor, which does that; the host refuses an
// assignment that splits a partition number between instances). One customer's events are in
// partition N of every topic, so partition N's state sees all of them.
//
// Per assigned partition N the host keeps one SQLite file,
// DIR/<service>-p<N>.db, which is an Oppgjør event log (the same hash-chained format) holding
//   - the inbox: the partition's messages, decoded and checked by the same intake as
//     `oppgjor ingest` (schemas, dedupe by event_id, stream versions, dead letters with the
//     original bytes), appended in ONE transaction with the partition's next Kafka offset of
//     each input topic (source "kafka:<topic>", partition N);
//   - the service's checkpoint and its outputs — the outbox — appended in ONE transaction by the
//     embedded runner (runtime/runner.h) in partition mode: a command split in parts is decided
//     for part N only;
//   - the relay position (source "relay:<output topic>"): outputs up to it are published.
// and beside it DIR/<service>-p<N>.db.snapshots, the service's snapshot.
//
// After each batch the relay publishes the outbox past the relay position with librdkafka's
// idempotent producer to partition N of the output topic (the outputs were decided from
// partition N's customers; key = the stream's partition key, which murmur2 maps to N for every
// customer-scoped stream, so a keyed reader agrees), waits for
// every delivery, then stores the new relay position. A crash anywhere is safe: inputs without a
// decision are decided after the restart (the checkpoint), outputs without a stored relay
// position are published again (the archiver and every consumer dedupe by event_id, and the ids
// are deterministic), Kafka offsets are read from the file, never from the broker.
//
// A partition moves between instances on a rebalance with its file: instances of one group
// share DIR (a shared volume in production). On revoke, the host finishes the batch in hand,
// decides, publishes, and closes the file before giving the partition up.
//
// This is the transport edge: it reads the wall clock for timeouts only; decisions are the
// runner's and the service's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "events/clock.h"
#include "events/schema_registry.h"
#include "services/runtime/runner.h"

namespace oppgjor::kafka {

inline constexpr std::string_view default_input_topic = "oppgjor.events";

class HealthBoard;  // health.h

struct ServeStats {
  std::int64_t consumed = 0;    // messages read
  std::int64_t appended = 0;    // inputs appended to partition inboxes
  std::int64_t duplicates = 0;  // inputs already there (same event_id and content)
  std::int64_t rejected = 0;    // inputs dead-lettered
  std::int64_t decided = 0;     // outputs appended by the service
  std::int64_t published = 0;   // outputs delivered to the output topic
  std::int64_t assignments = 0;
  int partitions = 0;  // of the input topics (each has as many)
};

struct ServeOptions {
  std::string bootstrap;
  std::string group;
  std::string state_dir;
  // Co-partitioned (above); the first is the one named in error messages.
  std::vector<std::string> input_topics = {std::string(default_input_topic)};
  std::string output_topic;                   // empty: "oppgjor.<service>"
  std::map<std::string, std::string> config;  // extra librdkafka settings, applied last
  int connect_timeout_ms = 30000;
  // Messages of one partition taken before they are appended, decided and published (also
  // whenever the consumer has nothing more for a moment).
  std::size_t batch_events = 2000;
  runtime::RunnerOptions runner;  // commit_every_events, kill hooks (tests)
  // Checked between messages: when it returns true the host finishes what it holds (append,
  // decide, publish) and returns.
  std::function<bool()> should_stop;
  // Progress (benchmarks: bench/kafka_bench.cc): when set, called on the serving thread after
  // each message taken and after each settle of the main loop (batch full, or the consumer idle),
  // with the counts so far. It only observes; unset, nothing changes. Keep it cheap.
  std::function<void(const ServeStats&)> on_progress;
  // When set, the host reports its state, counts and consumer lag here (health.h: what
  // `--http` serves) at least every poll and at most every 200 ms while busy. Only observes.
  HealthBoard* health = nullptr;
};

// The file of partition `partition` in `state_dir`.
std::string partition_state_path(const std::string& state_dir, std::string_view service,
                                 int partition);

// Serves one service until should_stop() (or an operating error: the broker unreachable within
// connect_timeout_ms, a state file that cannot be opened, a delivery that fails for good).
// `clock` stamps recorded_at in the partition files (the edge's system clock).
Result<ServeStats> serve(runtime::ServiceFactory factory,
                         std::shared_ptr<const events::SchemaRegistry> registry,
                         events::Clock& clock, const ServeOptions& options);

}  // namespace oppgjor::kafka
