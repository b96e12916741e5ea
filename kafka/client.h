// Small helpers every Oppgjør Kafka client shares (the archiver here, the service host in
// kafka/host/): an owning handle for rd_kafka_t, a configuration built from a map with an error
// that names the refused key, and the settings every client starts from.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace oppgjor::kafka {

// librdkafka's default partitioner (CRC32) puts a key in another partition than the Java and
// Python clients (murmur2); every Oppgjør producer uses murmur2 so a stream's events share a
// partition whoever wrote them (KAFKA-TESTING.md).
inline constexpr const char* partitioner = "murmur2_random";

// The header on every output a service host publishes: "<input topic>/<partition>@<offset>", the
// input partition it was decided in and how far that partition's inbox had consumed. The archiver
// holds the output until it has archived that partition as far: an output decided in part p of a
// command sent to every partition depends on what came before the command in p (an invoice, a
// stay), not only on the command, which the archiver may have taken from another partition. A
// host with several input topics lists one entry per topic, joined by ','.
inline constexpr const char* after_header = "oppgjor-after";

// The settings every Oppgjør client of `type` starts from; callers add theirs on top. Producer
// settings are left out of a consumer's (librdkafka warns about each one a consumer is given).
std::map<std::string, std::string> base_settings(rd_kafka_type_t type);

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using Conf = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

// A configuration with every setting applied, or a kafka_config error whose field is the key
// librdkafka refused (and whose message says why).
Result<Conf> make_conf(const std::map<std::string, std::string>& settings);

class Client;

// What a producer's delivery reports said (count_deliveries sets it up).
struct DeliveryCounter {
  std::int64_t delivered = 0;
  std::int64_t failed = 0;
  std::string last_error;
};
// Makes every delivery report of producers made from `conf` count into `counter` (the
// configuration's opaque: the producer must not use it for anything else).
void count_deliveries(rd_kafka_conf_t* conf, DeliveryCounter* counter);

// The partition count of `topic`, asked of the broker through `rk` until `timeout_ms` has passed
// (the transport edge: a wall-clock budget) or `should_stop` says so. Error kafka_unreachable
// naming --kafka, with librdkafka's last answer.
Result<int> topic_partition_count(rd_kafka_t* rk, const std::string& topic,
                                  const std::string& bootstrap, int timeout_ms,
                                  const std::function<bool()>& should_stop = {});

// Owns an rd_kafka_t. A consumer is closed (leaving its group, so a restarted member does not
// wait out the session timeout) before it is destroyed. A producer is destroyed as it is:
// flushing is the owner's decision (how long to wait is domain-specific), made before this goes.
class Client {
 public:
  Client() = default;
  explicit Client(rd_kafka_t* rk) : rk_(rk) {}
  ~Client();
  Client(Client&& other) noexcept : rk_(other.rk_) { other.rk_ = nullptr; }
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Creates a client of `type` from `conf`, which it then owns (on failure `conf` is freed
  // here; a kafka_error says why).
  static Result<Client> create(rd_kafka_type_t type, Conf conf);

  rd_kafka_t* get() const { return rk_; }

 private:
  void reset();
  rd_kafka_t* rk_ = nullptr;
};

}  // namespace oppgjor::kafka
