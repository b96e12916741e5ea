#include "kafka/client.h"

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
