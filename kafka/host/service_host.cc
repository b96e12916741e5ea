#include "kafka/host/service_host.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "common/assert.h"
#include "events/envelope.h"
#include "events/intake.h"
#include "kafka/client.h"
#include "kafka/health.h"
#include "services/runtime/partition.h"

namespace oppgjor::kafka {
namespace {

constexpr int poll_timeout_ms = 100;
// How long the relay waits for the broker to acknowledge one batch of outputs before it treats
// the delivery as failed (the outputs stay in the outbox and are sent again).
constexpr int delivery_timeout_ms = 60000;

// One assigned partition: its inbox/outbox log, snapshot store, intake and runner.
struct PartitionHost {
  int partition = 0;
  std::unique_ptr<events::EventLog> writer;
  std::unique_ptr<events::EventLog> reader;
  std::unique_ptr<runtime::SnapshotStore> snapshots;
  std::unique_ptr<events::Intake> intake;
  std::unique_ptr<runtime::Runner> runner;
  // Per input topic assigned here: the next offset consumed, not yet stored (-1: nothing new).
  std::map<std::string, std::int64_t> next_offsets;
  // Per input topic: the next offset this instance takes (-1: none taken or stored yet). Only
  // for the health report's consumer lag.
  std::map<std::string, std::int64_t> position;
  std::int64_t relayed_to = 1;  // the next sequence to publish
};

// The envelope of a recorded output as a producer sends it (the canonical producer envelope the
// log compares duplicates by), without stream_version: the reader's log places it.
std::string envelope_json(const events::EventView& v) {
  events::ProposedEvent e;
  e.event_id = std::string(v.event_id);
  e.type = std::string(v.type);
  e.schema_version = v.schema_version;
  e.stream = std::string(v.stream);
  e.occurred_at = std::string(v.occurred_at);
  e.source = std::string(v.source);
  if (!v.causation_id.empty()) e.causation_id = std::string(v.causation_id);
  if (!v.correlation_id.empty()) e.correlation_id = std::string(v.correlation_id);
  if (!v.actor.empty()) e.actor = std::string(v.actor);
  e.payload = std::string(v.payload);
  return events::canonical_producer_envelope(e);
}

class Host {
 public:
  Host(runtime::ServiceFactory factory, std::shared_ptr<const events::SchemaRegistry> registry,
       events::Clock& clock, const ServeOptions& options)
      : factory_(std::move(factory)),
        registry_(std::move(registry)),
        clock_(clock),
        options_(options) {
    service_name_ = std::string(factory_()->name());
    output_topic_ = options_.output_topic.empty() ? runtime::output_source(service_name_)
                                                  : options_.output_topic;
    relay_source_ = "relay:" + output_topic_;
  }

  Result<ServeStats> run();
  // The health report (options_.health): state, counts, lag per assigned input partition.
  // `force`: now, else at most every 200 ms. `error`: the failure that ended the run.
  void report(HostState state, bool force, const Error* error = nullptr);
  // Leaves the group: the revoke callback settles every partition first.
  void close();

  // The rebalance callback (called from inside consumer_poll, on this thread).
  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);

 private:
  Status connect();
  Result<int> partition_count(const std::string& topic);
  Result<int> input_partition_count();
  Status assign(int partition);
  // Every assigned partition number holds every input topic (co-partitioning, header comment).
  Status check_copartitioned() const;
  Status settle(PartitionHost& p);  // append inbox, decide, publish
  Status relay(PartitionHost& p);
  Status settle_all();
  void fail(const Error& e) {
    if (!failed_) failure_ = e;
    failed_ = true;
  }

  runtime::ServiceFactory factory_;
  std::shared_ptr<const events::SchemaRegistry> registry_;
  events::Clock& clock_;
  ServeOptions options_;
  std::string service_name_, output_topic_, relay_source_;
  Client consumer_, producer_;
  DeliveryCounter deliveries_;
  std::map<int, std::unique_ptr<PartitionHost>> hosts_;
  ServeStats stats_;
  Error failure_;
  bool failed_ = false;
};

void Host::report(HostState state, bool force, const Error* error) {
  if (options_.health == nullptr) return;
  const auto now = HealthBoard::Clock::now();
  if (!force && !options_.health->due(now)) return;
  HealthReport r;
  r.component = "serve";
  r.service = service_name_;
  r.state = state;
  r.figures = {
      {"consumed_total", "Messages read from the input topics.", stats_.consumed},
      {"appended_total", "Inputs appended to the partition inboxes.", stats_.appended},
      {"duplicates_total",
       "Inputs already in an inbox (the same event_id and content), not appended again.",
       stats_.duplicates},
      {"rejected_total",
       "Inputs refused and kept in the dead-letter store (schema, envelope, stream version).",
       stats_.rejected},
      {"decided_total", "Outputs the service decided (appended to the outboxes).", stats_.decided},
      {"published_total", "Outputs delivered to the output topic.", stats_.published},
      {"assignments_total", "Partitions assigned to this instance (rebalances).",
       stats_.assignments}};
  if (error != nullptr || failed_) {
    r.state = HostState::failed;
    r.error_code = error != nullptr ? error->code : failure_.code;
  }
  for (const auto& [n, p] : hosts_) {
    for (const auto& [topic, position] : p->position) {
      r.lag.push_back(partition_lag(consumer_.get(), topic, n, position));
    }
  }
  options_.health->publish(std::move(r), now);
}

extern "C" void host_on_rebalance(rd_kafka_t*, rd_kafka_resp_err_t err,
                                  rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  static_cast<Host*>(opaque)->rebalance(err, partitions);
}

Status Host::connect() {
  std::map<std::string, std::string> c = base_settings(RD_KAFKA_CONSUMER);
  c.insert({{"bootstrap.servers", options_.bootstrap},
            {"group.id", options_.group},
            {"client.id", "oppgjor-serve-" + service_name_},
            {"enable.auto.commit", "false"},
            {"enable.auto.offset.store", "false"},
            {"auto.offset.reset", "earliest"},
            {"enable.partition.eof", "false"},
            // Partition N of every input topic to the same member (co-partitioning).
            {"partition.assignment.strategy", "range"}});
  std::map<std::string, std::string> p = base_settings(RD_KAFKA_PRODUCER);
  p.insert({{"bootstrap.servers", options_.bootstrap},
            {"client.id", "oppgjor-relay-" + service_name_},
            {"enable.idempotence", "true"},
            {"acks", "all"},
            {"linger.ms", "5"}});
  for (const auto& [k, v] : options_.config) {
    // Settings only a consumer or only a producer knows go to that one.
    const bool consumer_only = k.rfind("group.", 0) == 0 || k.rfind("session.", 0) == 0 ||
                               k.rfind("heartbeat.", 0) == 0 || k.rfind("auto.", 0) == 0 ||
                               k.rfind("partition.assignment", 0) == 0 ||
                               k.rfind("max.poll", 0) == 0 || k.rfind("fetch.", 0) == 0;
    const bool producer_only = k.rfind("linger", 0) == 0 || k.rfind("batch.", 0) == 0 ||
                               k == "acks" || k == "partitioner" ||
                               k.rfind("compression", 0) == 0 || k.rfind("queue.buffering", 0) == 0;
    if (!producer_only) c[k] = v;
    if (!consumer_only) p[k] = v;
  }
  auto cc = make_conf(c);
  if (!cc) return cc.error();
  rd_kafka_conf_set_opaque(cc->get(), this);
  rd_kafka_conf_set_rebalance_cb(cc->get(), host_on_rebalance);
  auto consumer = Client::create(RD_KAFKA_CONSUMER, std::move(*cc));
  if (!consumer) return consumer.error();
  consumer_ = std::move(*consumer);
  rd_kafka_poll_set_consumer(consumer_.get());
  auto pc = make_conf(p);
  if (!pc) return pc.error();
  count_deliveries(pc->get(), &deliveries_);
  auto producer = Client::create(RD_KAFKA_PRODUCER, std::move(*pc));
  if (!producer) return producer.error();
  producer_ = std::move(*producer);
  return ok_status();
}

Result<int> Host::partition_count(const std::string& name) {
  return topic_partition_count(consumer_.get(), name, options_.bootstrap,
                               options_.connect_timeout_ms, options_.should_stop);
}

// The partition count every input topic and the output topic share. The outputs decided in
// partition N go to partition N of the output topic, so it must have as many.
Result<int> Host::input_partition_count() {
  int count = 0;
  for (const std::string& topic : options_.input_topics) {
    auto n = partition_count(topic);
    if (!n) return n.error();
    if (count != 0 && *n != count) {
      return make_error("partitions_differ", "--input-topic",
                        "topic " + topic + " has " + std::to_string(*n) + " partitions, " +
                            options_.input_topics.front() + " " + std::to_string(count) +
                            ": input topics must be co-partitioned");
    }
    count = *n;
  }
  auto out = partition_count(output_topic_);
  if (!out) return out.error();
  if (*out != count) {
    return make_error("partitions_differ", "--output-topic",
                      "output topic " + output_topic_ + " has " + std::to_string(*out) +
                          " partitions, the input topics " + std::to_string(count) +
                          ": partition N's outputs go to partition N");
  }
  return count;
}

// Where a partition file keeps the next offset of an input topic (the archiver's key too).
std::string offset_source(std::string_view topic) {
  return "kafka:" + std::string(topic);
}

Status Host::check_copartitioned() const {
  for (const auto& [n, p] : hosts_) {
    for (const std::string& topic : options_.input_topics) {
      if (p->next_offsets.count(topic) == 0) {
        return make_error("partitions_split", "partition.assignment.strategy",
                          "partition " + std::to_string(n) + " of " + topic +
                              " is not assigned with the other input topics' partition " +
                              std::to_string(n) +
                              ": the group must assign co-partitioned topics together (range)");
      }
    }
  }
  return ok_status();
}

std::string state_path(const std::string& dir, std::string_view service, int partition) {
  return (std::filesystem::path(dir) /
          (std::string(service) + "-p" + std::to_string(partition) + ".db"))
      .string();
}

Status Host::assign(int partition) {
  auto p = std::make_unique<PartitionHost>();
  p->partition = partition;
  const std::string path = state_path(options_.state_dir, service_name_, partition);
  auto w = events::EventLog::open(path, clock_, {});
  if (!w) return w.error();
  p->writer = std::move(*w);
  auto r = events::EventLog::open(path, clock_, {});
  if (!r) return r.error();
  p->reader = std::move(*r);
  auto s = runtime::SnapshotStore::open(runtime::default_snapshot_path(path));
  if (!s) return s.error();
  p->snapshots = std::move(*s);
  events::IntakeOptions io;
  io.channel = "kafka";
  io.auto_flush = false;
  io.batch_events = options_.batch_events;
  p->intake = std::make_unique<events::Intake>(*p->writer, registry_, io);
  runtime::RunnerOptions ro = options_.runner;
  ro.partition = runtime::Part{partition, stats_.partitions};
  p->runner =
      std::make_unique<runtime::Runner>(*p->writer, *p->reader, *registry_, p->snapshots.get(),
                                        std::vector<runtime::ServiceFactory>{factory_}, ro);
  auto relayed = p->writer->next_offset(relay_source_, 0);
  if (!relayed) return relayed.error();
  p->relayed_to = *relayed > 0 ? *relayed : 1;
  PartitionHost& ref = *p;
  hosts_[partition] = std::move(p);
  // Outputs decided before a crash or by the previous owner and not yet published; and inputs
  // in the inbox not yet decided.
  return settle(ref);
}

void Host::rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    for (int i = 0; i < partitions->cnt && !failed_; ++i) {
      auto& tp = partitions->elems[i];
      if (hosts_.count(tp.partition) == 0) {  // the first input topic of this partition number
        if (auto st = assign(tp.partition); !st.ok()) {
          fail(make_error(st.error().code, st.error().field,
                          "partition " + std::to_string(tp.partition) + ": " + st.error().message));
          break;
        }
      }
      PartitionHost& p = *hosts_.at(tp.partition);
      auto stored = p.writer->next_offset(offset_source(tp.topic), tp.partition);
      if (!stored) {
        fail(stored.error());
        break;
      }
      const std::int64_t offset = *stored;  // -1 when never consumed here
      p.next_offsets[tp.topic] = -1;
      p.position[tp.topic] = offset;
      if (offset >= 0) tp.offset = offset;  // the file's offset is the truth
      ++stats_.assignments;
      spdlog::info("serve {}: assigned {} partition {} from offset {}", service_name_, tp.topic,
                   tp.partition, offset >= 0 ? std::to_string(offset) : std::string("earliest"));
    }
    if (!failed_) {
      if (auto st = check_copartitioned(); !st.ok()) fail(st.error());
    }
    rd_kafka_assign(consumer_.get(), partitions);
    return;
  }
  // Revoked (or lost): finish what we hold before another instance takes the partitions.
  spdlog::info("serve {}: {} partitions revoked ({})", service_name_, partitions->cnt,
               rd_kafka_err2name(err));
  if (auto st = settle_all(); !st.ok()) fail(st.error());
  hosts_.clear();
  rd_kafka_assign(consumer_.get(), nullptr);
}

Status Host::settle(PartitionHost& p) {
  std::vector<events::SourceOffset> offsets;
  for (const auto& [topic, next] : p.next_offsets) {
    if (next >= 0) offsets.push_back({offset_source(topic), p.partition, next});
  }
  if (p.intake->buffered() > 0 || !offsets.empty()) {
    const events::IntakeStats before = p.intake->stats();
    if (auto st = p.intake->flush(offsets); !st.ok()) return st;
    const events::IntakeStats& after = p.intake->stats();
    stats_.appended += after.appended - before.appended;
    stats_.duplicates += after.duplicates - before.duplicates;
    stats_.rejected += after.rejected - before.rejected;
    for (auto& [topic, next] : p.next_offsets) next = -1;
  }
  auto ran = p.runner->run_to_fixed_point();
  if (!ran) return ran.error();
  stats_.decided += ran->appended;
  return relay(p);
}

Status Host::relay(PartitionHost& p) {
  const std::string source = runtime::output_source(service_name_);
  std::int64_t last = 0;
  std::int64_t sent = 0;
  const std::int64_t failed_before = deliveries_.failed;
  const std::int64_t delivered_before = deliveries_.delivered;
  Status produce_error = ok_status();
  // Every output here was decided from inputs this partition's inbox had consumed (kafka/client.h
  // after_header: one entry per input topic); the stored offsets are past them.
  std::string after;
  for (const auto& [topic, next] : p.next_offsets) {
    auto consumed = p.writer->next_offset(offset_source(topic), p.partition);
    if (!consumed) return consumed.error();
    if (*consumed <= 0) continue;  // nothing of that topic consumed here: nothing to wait for
    if (!after.empty()) after += ',';
    after += topic + "/" + std::to_string(p.partition) + "@" + std::to_string(*consumed);
  }
  auto st = p.reader->scan_source(p.relayed_to, 0, source, [&](const events::EventView& v) {
    const std::string value = envelope_json(v);
    const std::string_view key = runtime::partition_key(v.stream);
    for (;;) {
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          producer_.get(), RD_KAFKA_V_TOPIC(output_topic_.c_str()),
          RD_KAFKA_V_PARTITION(p.partition),
          RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_HEADER(after_header, after.data(), static_cast<ssize_t>(after.size())),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        produce_error = make_error("kafka_error", "produce", rd_kafka_err2str(err));
        return false;
      }
      rd_kafka_poll(producer_.get(), 50);  // the local queue is full: let deliveries drain it
    }
    ++sent;
    last = v.sequence;
    return true;
  });
  if (!st.ok()) return st;
  if (sent == 0) {
    // Nothing of ours past the relay position: move it to the head so the next scan is short.
    auto head = p.reader->head();
    if (!head) return head.error();
    if (head->sequence + 1 > p.relayed_to) {
      const events::SourceOffset at{relay_source_, 0, head->sequence + 1};
      if (auto s = p.writer->store_offsets(std::span<const events::SourceOffset>(&at, 1));
          !s.ok()) {
        return s;
      }
      p.relayed_to = head->sequence + 1;
    }
    return produce_error;
  }
  if (!produce_error.ok()) return produce_error;
  const rd_kafka_resp_err_t flushed = rd_kafka_flush(producer_.get(), delivery_timeout_ms);
  if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR || deliveries_.failed != failed_before ||
      deliveries_.delivered - delivered_before < sent) {
    // Nothing is marked sent: the whole batch goes again after a restart (dedupe by event_id).
    return make_error("kafka_delivery_failed", output_topic_,
                      "outputs of partition " + std::to_string(p.partition) +
                          " not acknowledged: " +
                          (deliveries_.last_error.empty() ? std::string(rd_kafka_err2str(flushed))
                                                          : deliveries_.last_error));
  }
  const events::SourceOffset at{relay_source_, 0, last + 1};
  if (auto s = p.writer->store_offsets(std::span<const events::SourceOffset>(&at, 1)); !s.ok()) {
    return s;
  }
  p.relayed_to = last + 1;
  stats_.published += sent;
  return ok_status();
}

Status Host::settle_all() {
  for (auto& [n, p] : hosts_) {
    if (auto st = settle(*p); !st.ok()) {
      return make_error(st.error().code, st.error().field,
                        "partition " + std::to_string(n) + ": " + st.error().message);
    }
  }
  return ok_status();
}

void Host::close() {
  if (consumer_.get() == nullptr) return;
  consumer_ = Client();   // leaves the group: rebalance() settles every partition first
  if (!hosts_.empty()) {  // closed without a revocation (never joined): settle here
    if (auto st = settle_all(); !st.ok()) fail(st.error());
    hosts_.clear();
  }
  if (producer_.get() != nullptr) rd_kafka_flush(producer_.get(), delivery_timeout_ms);
}

Result<ServeStats> Host::run() {
  std::error_code ec;
  std::filesystem::create_directories(options_.state_dir, ec);
  if (ec) {
    return make_error("io_error", "--state-dir",
                      "cannot create " + options_.state_dir + ": " + ec.message());
  }
  report(HostState::starting, true);
  if (auto st = connect(); !st.ok()) return st.error();
  auto count = input_partition_count();
  if (!count) return count.error();
  stats_.partitions = *count;
  rd_kafka_topic_partition_list_t* topics =
      rd_kafka_topic_partition_list_new(static_cast<int>(options_.input_topics.size()));
  for (const std::string& topic : options_.input_topics) {
    rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_error", "", std::string("subscribe: ") + rd_kafka_err2str(err));
  }
  while (!failed_) {
    if (options_.should_stop && options_.should_stop()) break;
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), poll_timeout_ms);
    rd_kafka_poll(producer_.get(), 0);
    if (m == nullptr) {
      // Nothing more for now: append, decide and publish what every partition holds.
      if (auto st = settle_all(); !st.ok()) fail(st.error());
      if (options_.on_progress) options_.on_progress(stats_);
      report(HostState::serving, true);
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::warn("serve {}: {}", service_name_, rd_kafka_message_errstr(m));
      if (m->err == RD_KAFKA_RESP_ERR__FATAL) {
        fail(make_error("kafka_error", "", rd_kafka_message_errstr(m)));
      }
      rd_kafka_message_destroy(m);
      continue;
    }
    const auto it = hosts_.find(m->partition);
    if (it == hosts_.end()) {  // not (or no longer) ours: leave it to its owner
      rd_kafka_message_destroy(m);
      continue;
    }
    PartitionHost& p = *it->second;
    ++stats_.consumed;
    const std::string_view bytes(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
    const std::string topic = rd_kafka_topic_name(m->rkt);
    const std::string ref =
        topic + "/" + std::to_string(m->partition) + "@" + std::to_string(m->offset);
    if (auto st = p.intake->add(bytes, ref); !st.ok()) fail(st.error());
    p.next_offsets[topic] = m->offset + 1;
    p.position[topic] = m->offset + 1;
    rd_kafka_message_destroy(m);
    if (p.intake->buffered() >= options_.batch_events) {
      if (auto st = settle(p); !st.ok()) fail(st.error());
    }
    if (options_.on_progress) options_.on_progress(stats_);
    report(HostState::serving, false);
  }
  report(HostState::stopping, true);
  close();
  if (failed_) return failure_;
  return stats_;
}

}  // namespace

std::string partition_state_path(const std::string& state_dir, std::string_view service,
                                 int partition) {
  return state_path(state_dir, service, partition);
}

Result<ServeStats> serve(runtime::ServiceFactory factory,
                         std::shared_ptr<const events::SchemaRegistry> registry,
                         events::Clock& clock, const ServeOptions& options) {
  OPPGJOR_ASSERT(factory != nullptr, "serve without a service");
  Host host(std::move(factory), std::move(registry), clock, options);
  auto stats = host.run();
  host.close();  // also after an error: the files are closed, what was decided is published
  host.report(HostState::stopped, true, stats ? nullptr : &stats.error());
  return stats;
}

}  // namespace oppgjor::kafka
