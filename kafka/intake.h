// The Kafka archiver: the same decode → validate → dedupe → append path as file intake, fed by a
// consumer group (librdkafka) over one or more topics.
//
// Exactly-once effects without broker transactions (ARCHITECTURE.md, KAFKA-TESTING.md): the next
// offset of every topic partition is stored in the event log's SQLite file in the same
// transaction as the batch it ends. On assignment the consumer seeks to the stored offsets; the
// broker-side commit that follows each batch only feeds lag monitoring. A crash between the two
// is harmless: the stored offset wins, and event_id idempotency covers anything read twice.
//
// Causal order: the log never holds a service's output before its cause. A message whose event
// comes from one of the engine's services (source "oppgjor.…") and names a causation_id that is
// neither in the log nor earlier in the batch being built is held back in memory, together with
// every later message of its topic partition (order kept), and that partition's stored offset
// stays before it. Held messages are retried after every batch. More than hold_max held in one
// partition pauses it until they are released. Held messages are never stored: a run that ends
// (or loses the partition) with some held reads them again next time. A request sent to every
// partition (payload "partitions": N, N the topic's partitions) is held the same way until every
// partition's copy has been read, then archived once (a barrier). See README.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "events/intake.h"

namespace oppgjor::kafka {

class HealthBoard;  // health.h

inline constexpr int connect_timeout_ms_default = 30000;
inline constexpr std::size_t hold_max_default = 10000;

struct ArchiveOptions {
  std::string bootstrap;
  std::vector<std::string> topics;  // one consumer group subscription over all of them
  std::string group;
  // Exit once every assigned partition of every topic has reached its end and nothing is held
  // (tests, batch catch-up). Otherwise runs until should_stop() returns true.
  bool stop_at_end = false;
  std::map<std::string, std::string> config;  // extra librdkafka settings, applied last
  events::IntakeOptions intake;
  // Checked between messages (and while waiting for the broker): when it returns true, the
  // batch in hand is appended with its offsets and the run ends with interrupted set.
  std::function<bool()> should_stop;
  // A broker that cannot be reached within this time is an operating error (kafka_unreachable,
  // naming the bootstrap servers), not a wait without end.
  int connect_timeout_ms = connect_timeout_ms_default;
  // Held messages in one partition past which it is paused (memory stays bounded).
  std::size_t hold_max = hold_max_default;
  // When set, the archiver reports its state, counts and consumer lag here (what `--http`
  // serves) after every poll and at most every 200 ms while busy. Only observes.
  HealthBoard* health = nullptr;
};

struct ArchiveStats {
  events::IntakeStats intake;  // what was appended, refused, read
  // Messages held back when the run ended (outputs waiting for their cause and what follows
  // them in their partitions): not stored, so the next run reads them again.
  std::int64_t held = 0;
  // stop_at_end only: the run ended with messages held although every partition was read to
  // its end, so their causes cannot arrive in this run. `held_note` names the first one.
  bool causes_missing = false;
  std::string held_note;
};

// The offset-store key for a topic: "kafka:<topic>".
std::string source_name(const std::string& topic);

Result<ArchiveStats> archive(events::EventLog& log,
                             std::shared_ptr<const events::SchemaRegistry> registry,
                             const ArchiveOptions& options);

}  // namespace oppgjor::kafka
