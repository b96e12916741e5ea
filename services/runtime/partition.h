// Partitions: how events are split between service instances (docs/SERVICES.md, "Distributed
// mode") and how a request that spans customers is decided in parts.
//
// The partition of a key is Kafka's default for keyed messages in the Java client and in
// librdkafka's `murmur2_random` partitioner: (murmur2(key) & 0x7fffffff) % partitions. Every
// Oppgjør client sets `partitioner=murmur2_random` (librdkafka's own default is CRC32), so a key
// lands in the same partition whichever client published it, and the embedded runner, which
// decides a request spanning customers part by part, gives each part exactly the customers the
// owner of that Kafka partition holds.
//
// The key of an event is its customer: the part of the stream after the first '/' for
// customer-scoped streams ("customer/C1" and "care_fees/C1" → "C1"), the whole stream otherwise.
// Pure functions; no state.
#pragma once

#include <cstdint>
#include <string_view>

namespace oppgjor::runtime {

// A part of a decision: part `index` of `count` (count 1: the whole).
struct Part {
  int index = 0;
  int count = 1;
  bool whole() const { return count == 1; }
};

// Most parts a request may be split into (a Kafka topic's partition count).
inline constexpr int parts_max = 1024;

// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as a signed 32-bit value.
std::int32_t murmur2(std::string_view key);

// The partition of `key` among `partitions` (> 0).
int partition_of(std::string_view key, int partitions);

// The partition key of a stream (above).
std::string_view partition_key(std::string_view stream);

}  // namespace oppgjor::runtime
