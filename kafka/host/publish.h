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
#include <memory>
#include <span>
#include <string>

#include "common/result.h"
#include "events/envelope.h"
#include "kafka/client.h"

namespace oppgjor::kafka {

struct PublishOptions {
  std::string bootstrap;
  std::string topic = "oppgjor.events";
  std::map<std::string, std::string> config;  // extra librdkafka settings, applied last
  int timeout_ms = 30000;                     // metadata and delivery, each
};

struct PublishStats {
  int partitions = 0;         // of the topic
  std::int64_t events = 0;    // events given
  std::int64_t messages = 0;  // messages acknowledged (an event to every partition: N)
};

// One producer for one topic, connected once: the caller asks the partition count (to build
// events that name it), then publishes them through the same connection.
class Publisher {
 public:
  // Creates the producer and asks the topic's partition count within options.timeout_ms. Error
  // kafka_unreachable naming --kafka.
  static Result<Publisher> connect(const PublishOptions& options);

  int partitions() const { return partitions_; }

  // Publishes `events` in order; `every_partition`: each event to every partition of the topic.
  // Error kafka_delivery_failed when a message is not acknowledged within timeout_ms (what was
  // acknowledged stays published; publishing again is safe).
  Result<PublishStats> publish(std::span<const events::ProposedEvent> events, bool every_partition);

 private:
  PublishOptions options_;
  std::unique_ptr<DeliveryCounter> acks_;  // the producer's opaque: its address must not move
  Client producer_;
  int partitions_ = 0;
};

}  // namespace oppgjor::kafka
