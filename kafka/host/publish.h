// Publishing events an edge made (an OCR giro file's payment batches, `oppgjor payments
// import-ocr --kafka`) to a topic, as an upstream system would: the producer envelope of each
// event, with librdkafka's idempotent producer (acks=all, murmur2 keys), waiting for every
// acknowledgement before it returns.
//
// A request that spans customers goes to every partition of the topic (its payload names the
// topic's partition count, so each partition's owner decides its part: docs/SERVICES.md); any
// other event goes to the partition of its stream's key (runtime/partition.h). Every message is
// keyed by the stream's partition key. Publishing twice is harmless: every reader dedupes by
// event_id, and the ids of edge events are deterministic.
//
// This is the transport edge: it reads the wall clock for timeouts only.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "common/result.h"
#include "events/envelope.h"

namespace oppgjor::kafka {

struct PublishOptions {
  std::string bootstrap;
  std::string topic = "oppgjor.events";
  std::map<std::string, std::string> config;  // extra librdkafka settings, applied last
  int timeout_ms = 30000;                     // metadata and delivery, each
};

// The topic's partition count, asked of the broker within options.timeout_ms. Error
// kafka_unreachable naming --kafka.
Result<int> topic_partitions(const PublishOptions& options);

struct PublishStats {
  int partitions = 0;         // of the topic
  std::int64_t events = 0;    // events given
  std::int64_t messages = 0;  // messages acknowledged (an event to every partition: N)
};

// Publishes `events` in order; `every_partition`: each event to every partition of the topic.
// Error kafka_delivery_failed when a message is not acknowledged within timeout_ms (what was
// acknowledged stays published; publishing again is safe).
Result<PublishStats> publish(const PublishOptions& options,
                             std::span<const events::ProposedEvent> events, bool every_partition);

}  // namespace oppgjor::kafka
