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

struct KafkaIntakeOptions {
  std::string bootstrap;
  std::string topic;
  std::string group;
  // Exit once every assigned partition has reached its end (tests, batch catch-up). Otherwise
  // runs until should_stop() returns true.
  bool stop_at_end = false;
  std::map<std::string, std::string> config;  // extra librdkafka settings, applied last
  IntakeOptions intake;
  std::function<bool()> should_stop;
};

// The offset-store key for a topic: "kafka:<topic>".
std::string kafka_source_name(const std::string& topic);

Result<IntakeStats> ingest_kafka(EventLog& log, std::shared_ptr<const SchemaRegistry> registry,
                                 const KafkaIntakeOptions& options);

}  // namespace oppgjor::events
