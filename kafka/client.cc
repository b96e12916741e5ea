#include "kafka/client.h"

#include <chrono>

namespace oppgjor::kafka {

std::map<std::string, std::string> base_settings(rd_kafka_type_t type) {
  std::map<std::string, std::string> settings;
  if (type == RD_KAFKA_PRODUCER) settings["partitioner"] = partitioner;
  return settings;
}

Result<Conf> make_conf(const std::map<std::string, std::string>& settings) {
  Conf conf(rd_kafka_conf_new());
  char errstr[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      return make_error("kafka_config", key, errstr);
    }
  }
  return conf;
}

namespace {

extern "C" void on_delivery_counted(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto& c = *static_cast<DeliveryCounter*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++c.delivered;
  } else {
    ++c.failed;
    c.last_error = rd_kafka_err2str(m->err);
  }
}

}  // namespace

void count_deliveries(rd_kafka_conf_t* conf, DeliveryCounter* counter) {
  rd_kafka_conf_set_opaque(conf, counter);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery_counted);
}

Result<int> topic_partition_count(rd_kafka_t* rk, const std::string& name,
                                  const std::string& bootstrap, int timeout_ms,
                                  const std::function<bool()>& should_stop) {
  constexpr int metadata_poll_ms = 250;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, name.c_str(), nullptr);
  std::string why = "no answer";
  while (std::chrono::steady_clock::now() < deadline) {
    if (should_stop && should_stop()) break;
    const rd_kafka_metadata_t* md = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, topic, &md, metadata_poll_ms);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      int count = 0;
      if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        count = md->topics[0].partition_cnt;
      } else if (md->topic_cnt == 1) {
        why = rd_kafka_err2str(md->topics[0].err);
      }
      rd_kafka_metadata_destroy(md);
      if (count > 0) {
        rd_kafka_topic_destroy(topic);
        return count;
      }
    } else {
      why = rd_kafka_err2str(err);
    }
  }
  rd_kafka_topic_destroy(topic);
  return make_error("kafka_unreachable", "--kafka",
                    "no partitions of topic " + name + " from " + bootstrap + " within " +
                        std::to_string(timeout_ms / 1000) + " s (" + why + ")");
}

Client::~Client() {
  reset();
}

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    reset();
    rk_ = other.rk_;
    other.rk_ = nullptr;
  }
  return *this;
}

void Client::reset() {
  if (rk_ == nullptr) return;
  if (rd_kafka_type(rk_) == RD_KAFKA_CONSUMER) rd_kafka_consumer_close(rk_);
  rd_kafka_destroy(rk_);
  rk_ = nullptr;
}

Result<Client> Client::create(rd_kafka_type_t type, Conf conf) {
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (rk == nullptr) return make_error("kafka_error", "", errstr);  // conf is still ours
  (void)conf.release();                                             // rd_kafka_new took it
  return Client(rk);
}

}  // namespace oppgjor::kafka
