// librdkafka's mock cluster hosted in the test process, and publishing with kcat as an outside
// producer would (tests/kafka_*_test.cc). See ../shared KAFKA-TESTING.md for the mock's limits:
// counts are asserted end to end, and the waits (group join ~3 s) are budgeted.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <fstream>
#include <regex>
#include <string>

#include "kafka/client.h"
#include "tests/support/process.h"

namespace oppgjor::testing {

inline constexpr const char* kafka_key_delimiter = "<<K>>";

// A mock Kafka cluster (3 brokers) living in this test process for the duration of the test.
class MockCluster {
 public:
  MockCluster() {
    auto conf = kafka::make_conf({{"test.mock.num.brokers", "3"}, {"log_level", "2"}});
    if (!conf.ok()) return;
    auto client = kafka::Client::create(RD_KAFKA_PRODUCER, std::move(conf.value()));
    if (!client.ok()) return;
    client_ = std::move(client.value());
    mc_ = rd_kafka_handle_mock_cluster(client_.get());
    bootstrap_ = rd_kafka_mock_cluster_bootstraps(mc_);
  }
  bool create_topic(const std::string& name, int partitions) {
    return rd_kafka_mock_topic_create(mc_, name.c_str(), partitions, 3) ==
           RD_KAFKA_RESP_ERR_NO_ERROR;
  }
  const std::string& bootstrap() const { return bootstrap_; }
  bool ok() const { return mc_ != nullptr; }

 private:
  kafka::Client client_;
  rd_kafka_mock_cluster_t* mc_ = nullptr;
  std::string bootstrap_;
};

// Writes "stream<<K>>line" for kcat -K, keyed by stream so a stream stays in one partition.
inline std::size_t write_keyed(const std::string& jsonl, const std::string& keyed) {
  static const std::regex stream_re("\"stream\":\"([^\"]+)\"");
  std::ifstream in(jsonl, std::ios::binary);
  std::ofstream out(keyed, std::ios::binary);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line); ++n) {
    std::smatch m;
    out << (std::regex_search(line, m, stream_re) ? m[1].str() : std::string("unkeyed"))
        << kafka_key_delimiter << line << '\n';
  }
  return n;
}

// Publishes a JSONL file to `topic` with kcat, keyed by stream (murmur2, as every Oppgjør
// client). Returns kcat's result; `published` grows by the lines sent.
inline RunResult kcat_publish(const std::string& bootstrap, const std::string& topic,
                              const std::string& jsonl, std::size_t& published) {
  const std::string keyed = jsonl + ".keyed";
  published += write_keyed(jsonl, keyed);
  return run("kcat -b " + bootstrap + " -t " + topic + " -P -K '" + kafka_key_delimiter +
             "' -X partitioner=" + kafka::partitioner + " -X message.max.bytes=2000000 -l " +
             keyed);
}

}  // namespace oppgjor::testing
