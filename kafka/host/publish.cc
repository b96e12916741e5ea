#include "kafka/host/publish.h"

#include <librdkafka/rdkafka.h>

#include "kafka/client.h"
#include "services/runtime/partition.h"

namespace oppgjor::kafka {
namespace {

Result<Client> make_producer(const PublishOptions& o, DeliveryCounter* acks) {
  std::map<std::string, std::string> settings = base_settings(RD_KAFKA_PRODUCER);
  settings.insert({{"bootstrap.servers", o.bootstrap},
                   {"client.id", "oppgjor-publish"},
                   {"enable.idempotence", "true"},
                   {"acks", "all"},
                   {"linger.ms", "5"},
                   {"message.max.bytes", "2000000"}});
  for (const auto& [k, v] : o.config) settings[k] = v;
  auto conf = make_conf(settings);
  if (!conf) return conf.error();
  if (acks != nullptr) count_deliveries(conf->get(), acks);
  return Client::create(RD_KAFKA_PRODUCER, std::move(*conf));
}

}  // namespace

Result<Publisher> Publisher::connect(const PublishOptions& options) {
  Publisher p;
  p.options_ = options;
  p.acks_ = std::make_unique<DeliveryCounter>();
  auto producer = make_producer(options, p.acks_.get());
  if (!producer) return producer.error();
  p.producer_ = std::move(*producer);
  auto count = topic_partition_count(p.producer_.get(), options.topic, options.bootstrap,
                                     options.timeout_ms);
  if (!count) return count.error();
  p.partitions_ = *count;
  return p;
}

Result<PublishStats> Publisher::publish(std::span<const events::ProposedEvent> events,
                                        bool every_partition) {
  const PublishOptions& options = options_;
  rd_kafka_t* producer = producer_.get();
  DeliveryCounter& acks = *acks_;
  const std::int64_t delivered_before = acks.delivered;
  const std::int64_t failed_before = acks.failed;
  PublishStats stats;
  stats.partitions = partitions_;
  std::int64_t sent = 0;
  for (const events::ProposedEvent& e : events) {
    const std::string value = events::canonical_producer_envelope(e);
    const std::string_view key = runtime::partition_key(e.stream);
    const int first = every_partition ? 0 : runtime::partition_of(key, stats.partitions);
    const int last = every_partition ? stats.partitions - 1 : first;
    for (int partition = first; partition <= last; ++partition) {
      for (;;) {
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer, RD_KAFKA_V_TOPIC(options.topic.c_str()), RD_KAFKA_V_PARTITION(partition),
            RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          return make_error("kafka_error", "produce", rd_kafka_err2str(err));
        }
        rd_kafka_poll(producer, 50);  // the local queue is full: let deliveries drain it
      }
      ++sent;
    }
    ++stats.events;
  }
  const rd_kafka_resp_err_t flushed = rd_kafka_flush(producer, options.timeout_ms);
  stats.messages = acks.delivered - delivered_before;
  if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR || acks.failed != failed_before ||
      stats.messages < sent) {
    return make_error(
        "kafka_delivery_failed", options.topic,
        std::to_string(sent - stats.messages) + " of " + std::to_string(sent) +
            " messages not acknowledged: " +
            (acks.last_error.empty() ? std::string(rd_kafka_err2str(flushed)) : acks.last_error));
  }
  return stats;
}

}  // namespace oppgjor::kafka
