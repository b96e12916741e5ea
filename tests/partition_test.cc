// The partition function (services/runtime/partition.h) against librdkafka's own murmur2
// partitioner, an independent implementation of Kafka's (Java) default for keyed messages: the
// embedded runner's parts must be exactly the Kafka partitions a key lands in.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <string>

#include "services/runtime/partition.h"

namespace oppgjor::partition_test {
namespace {

TEST(Partition, EqualsLibrdkafkasMurmur2PartitionerForEveryKeyAndCount) {
  std::vector<std::string> keys = {"",
                                   "a",
                                   "ab",
                                   "abc",
                                   "abcd",
                                   "kafka",
                                   "C000100",
                                   "K000517",
                                   "giberish123456789",
                                   "æøå",
                                   std::string(1, '\xff')};
  for (int i = 0; i < 2000; ++i) {
    keys.push_back(std::string(1, 'C').append(std::to_string(100000 + i * 37)));
  }
  int checked = 0;
  for (const std::string& key : keys) {
    for (int n : {1, 2, 3, 4, 7, 12, 64, 1024}) {
      const std::int32_t theirs =
          rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), n, nullptr, nullptr);
      ASSERT_EQ(runtime::partition_of(key, n), theirs) << "key '" << key << "' of " << n;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(keys.size()) * 8);
}

TEST(Partition, KeyIsTheCustomerOfCustomerStreams) {
  EXPECT_EQ(runtime::partition_key("customer/C1"), "C1");
  EXPECT_EQ(runtime::partition_key("resident/C1"), "C1");
  EXPECT_EQ(runtime::partition_key("care_fees/C1"), "C1");
  EXPECT_EQ(runtime::partition_key("command/abc"), "command/abc");
  EXPECT_EQ(runtime::partition_key("rules"), "rules");
}

}  // namespace
}  // namespace oppgjor::partition_test
