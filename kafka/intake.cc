#include "events/kafka_intake.h"

#include <librdkafka/rdkafka.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

namespace oppgjor::events {

namespace {

constexpr int poll_timeout_ms = 200;
// While waiting for the broker, how long one metadata request may take before should_stop() is
// asked again.
constexpr int connect_poll_ms = 250;

struct RdKafkaHandle {
  rd_kafka_t* rk = nullptr;
  ~RdKafkaHandle() {
    if (rk != nullptr) {
      rd_kafka_consumer_close(rk);
      rd_kafka_destroy(rk);
    }
  }
};

// State shared with the rebalance callback (called from inside consumer_poll, same thread).
struct Session {
  EventLog* log = nullptr;
  Intake* intake = nullptr;
  std::string source;
  std::map<std::int32_t, std::int64_t> next_offsets;  // consumed, not yet durable
  std::set<std::int32_t> assigned;
  std::set<std::int32_t> at_end;
  Error failure;
  bool failed = false;
};

Status flush_with_offsets(rd_kafka_t* rk, Session& s) {
  std::vector<SourceOffset> offsets;
  for (const auto& [p, next] : s.next_offsets) offsets.push_back({s.source, p, next});
  if (s.intake->buffered() == 0 && offsets.empty()) return ok_status();
  if (auto st = s.intake->flush(offsets); !st.ok()) return st;
  if (!offsets.empty()) {
    // Durable in SQLite now; tell the broker too (monitoring only, so async and unchecked).
    rd_kafka_topic_partition_list_t* list =
        rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
    const std::string topic = s.source.substr(6);
    for (const auto& o : offsets) {
      rd_kafka_topic_partition_list_add(list, topic.c_str(), o.partition)->offset = o.next_offset;
    }
    rd_kafka_commit(rk, list, 1);
    rd_kafka_topic_partition_list_destroy(list);
  }
  s.next_offsets.clear();
  return ok_status();
}

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                  rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto& s = *static_cast<Session*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    for (int i = 0; i < partitions->cnt; ++i) {
      auto& tp = partitions->elems[i];
      auto stored = s.log->next_offset(s.source, tp.partition);
      if (!stored.ok()) {
        s.failure = stored.error();
        s.failed = true;
      } else if (*stored >= 0) {
        tp.offset = *stored;  // our SQLite offset is the truth
      }
      s.assigned.insert(tp.partition);
      s.at_end.erase(tp.partition);
      spdlog::info("kafka: assigned {} partition {} from offset {}", tp.topic, tp.partition,
                   tp.offset >= 0 ? std::to_string(tp.offset) : std::string("(group/earliest)"));
    }
    rd_kafka_assign(rk, partitions);
    return;
  }
  // Revoked (or an error): make what we consumed durable before giving the partitions up.
  spdlog::info("kafka: {} partitions revoked ({})", partitions->cnt, rd_kafka_err2name(err));
  if (auto st = flush_with_offsets(rk, s); !st.ok()) {
    s.failure = st.error();
    s.failed = true;
  }
  s.assigned.clear();
  s.at_end.clear();
  rd_kafka_assign(rk, nullptr);
}

Result<RdKafkaHandle*> make_consumer(const KafkaIntakeOptions& o, Session& s,
                                     RdKafkaHandle& handle) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", o.bootstrap}, {"group.id", o.group},
      {"enable.auto.commit", "false"},    {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},  {"enable.partition.eof", "true"},
      {"client.id", "oppgjor-intake"},
  };
  for (const auto& [k, v] : o.config) settings[k] = v;
  for (const auto& [k, v] : settings) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return make_error("kafka_config", k, errstr);
    }
  }
  rd_kafka_conf_set_opaque(conf, &s);
  rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
  handle.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (handle.rk == nullptr) return make_error("kafka_error", "", errstr);
  rd_kafka_poll_set_consumer(handle.rk);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, o.topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(handle.rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_error", "", std::string("subscribe: ") + rd_kafka_err2str(err));
  }
  return &handle;
}

// Handles one polled message. Returns false when the loop should end.
bool handle_message(rd_kafka_t* rk, rd_kafka_message_t* m, Session& s, bool stop_at_end) {
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    s.at_end.insert(m->partition);
    if (auto st = flush_with_offsets(rk, s); !st.ok()) {
      s.failure = st.error();
      s.failed = true;
      return false;
    }
    return !(stop_at_end && !s.assigned.empty() && s.at_end.size() == s.assigned.size());
  }
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Transient broker errors are retried by librdkafka itself; only fatal ones end the run.
    spdlog::warn("kafka: {}", rd_kafka_message_errstr(m));
    if (m->err == RD_KAFKA_RESP_ERR__FATAL || m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) {
      s.failure = make_error("kafka_error", "", rd_kafka_message_errstr(m));
      s.failed = true;
      return false;
    }
    return true;
  }
  s.at_end.erase(m->partition);
  const std::string_view bytes(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
  const std::string ref = std::string(rd_kafka_topic_name(m->rkt)) + "/" +
                          std::to_string(m->partition) + "@" + std::to_string(m->offset);
  if (auto st = s.intake->add(bytes, ref); !st.ok()) {
    s.failure = st.error();
    s.failed = true;
    return false;
  }
  s.next_offsets[m->partition] = m->offset + 1;
  if (s.intake->buffered() >= s.intake->batch_events()) {
    if (auto st = flush_with_offsets(rk, s); !st.ok()) {
      s.failure = st.error();
      s.failed = true;
      return false;
    }
  }
  return true;
}

enum class Reached { yes, stopped };

// Waits until a bootstrap server answers a metadata request, for at most
// options.connect_timeout_ms (a wall-clock budget: this is the transport edge, not domain code).
Result<Reached> wait_for_broker(rd_kafka_t* rk, const KafkaIntakeOptions& options) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.connect_timeout_ms);
  rd_kafka_resp_err_t last = RD_KAFKA_RESP_ERR_NO_ERROR;
  for (;;) {
    if (options.should_stop && options.should_stop()) return Reached::stopped;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    const rd_kafka_metadata_t* md = nullptr;
    last = rd_kafka_metadata(rk, 0, nullptr, &md,
                             static_cast<int>(std::min<long long>(left, connect_poll_ms)));
    if (last == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(md);
      return Reached::yes;
    }
  }
  return make_error("kafka_unreachable", "",
                    "cannot reach the Kafka bootstrap servers " + options.bootstrap + " within " +
                        std::to_string(options.connect_timeout_ms / 1000) + " s (" +
                        rd_kafka_err2str(last) + "); check --kafka and the network");
}

}  // namespace

std::string kafka_source_name(const std::string& topic) {
  return "kafka:" + topic;
}

Result<IntakeStats> ingest_kafka(EventLog& log, std::shared_ptr<const SchemaRegistry> registry,
                                 const KafkaIntakeOptions& options) {
  IntakeOptions io = options.intake;
  io.channel = "kafka";
  io.auto_flush = false;  // flushes happen here, with the partition offsets
  Intake intake(log, std::move(registry), io);
  Session s;
  s.log = &log;
  s.intake = &intake;
  s.source = kafka_source_name(options.topic);
  RdKafkaHandle handle;
  if (auto c = make_consumer(options, s, handle); !c.ok()) return c.error();
  auto reached = wait_for_broker(handle.rk, options);
  if (!reached.ok()) return reached.error();
  if (*reached == Reached::stopped) {
    intake.mark_interrupted();
    return intake.stats();
  }
  bool running = true;
  while (running && !s.failed) {
    if (options.should_stop && options.should_stop()) {
      intake.mark_interrupted();  // the batch in hand is appended below, with its offsets
      break;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(handle.rk, poll_timeout_ms);
    if (m == nullptr) {
      if (auto st = flush_with_offsets(handle.rk, s); !st.ok()) return st.error();
      continue;
    }
    running = handle_message(handle.rk, m, s, options.stop_at_end);
    rd_kafka_message_destroy(m);
  }
  if (s.failed) return s.failure;
  if (auto st = flush_with_offsets(handle.rk, s); !st.ok()) return st.error();
  return intake.stats();
}

}  // namespace oppgjor::events
