// Kafka intake: the same decode → validate → dedupe → append path as file intake, fed by a
// consumer group (librdkafka).
//
// Exactly-once effects without broker transactions (ARCHITECTURE.md, KAFKA-TESTING.md): the next
// offset of every partition is stored in the event log's SQLite file in the same transaction as
// the batch it ends. On assignment the consumer seeks to the stored offsets; the broker-side
// commit that follows each batch only feeds lag monitoring. A crash between the two is harmless:
// the stored offset wins, and event_id idempotency covers anything read twice.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "events/intake.h"

namespace oppgjor::events {

inline constexpr int kafka_connect_timeout_ms_default = 30000;

struct KafkaIntakeOptions {
  std::string bootstrap;
  std::string topic;
  std::string group;
  // Exit once every assigned partition has reached its end (tests, batch catch-up). Otherwise
  // runs until should_stop() returns true.
  bool stop_at_end = false;
  std::map<std::string, std::string> config;  // extra librdkafka settings, applied last
  IntakeOptions intake;
  // Checked between messages (and while waiting for the broker): when it returns true, the
  // batch in hand is appended with its offsets and the run ends with stats().interrupted set.
  std::function<bool()> should_stop;
  // A broker that cannot be reached within this time is an operating error (kafka_unreachable,
  // naming the bootstrap servers), not a wait without end.
  int connect_timeout_ms = kafka_connect_timeout_ms_default;
};

// The offset-store key for a topic: "kafka:<topic>".
std::string kafka_source_name(const std::string& topic);

Result<IntakeStats> ingest_kafka(EventLog& log, std::shared_ptr<const SchemaRegistry> registry,
                                 const KafkaIntakeOptions& options);

}  // namespace oppgjor::events
