#include "kafka/intake.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <set>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "kafka/client.h"
#include "kafka/health.h"

namespace oppgjor::kafka {

namespace {

using events::DecodedBatch;
using events::EventLog;
using events::ProposedEvent;
using events::SourceOffset;

constexpr int poll_timeout_ms = 200;
// While waiting for the broker, how long one metadata request may take before should_stop() is
// asked again.
constexpr int connect_poll_ms = 250;

using TopicPartition = std::pair<std::string, std::int32_t>;

std::string describe(const TopicPartition& tp) {
  return tp.first + "/" + std::to_string(tp.second);
}

// A message kept back, as it came: decoded again when it is released (only held messages pay
// for that).
struct HeldMessage {
  std::string bytes;
  std::string ref;
  std::int64_t offset = 0;
  std::string after;  // its after_header (client.h), "" when it has none
};

struct PartitionState {
  bool at_end = false;
  bool paused = false;
  std::int64_t position = -1;  // the next offset taken (-1: none taken or stored); health.h
  std::deque<HeldMessage> held;
};

// State shared with the rebalance callback (called from inside consumer_poll, same thread).
struct Session {
  EventLog* log = nullptr;
  events::Intake* intake = nullptr;
  events::BatchDecoder* decoder = nullptr;
  std::size_t hold_max = hold_max_default;
  DecodedBatch batch;                                   // decoded, not yet appended
  std::unordered_set<std::string> batch_ids;            // event_ids in `batch`
  std::map<TopicPartition, std::int64_t> next_offsets;  // consumed into `batch`, not yet durable
  // Requests sent to every partition (a payload with "partitions": N), by event_id: the
  // partitions whose copy has been read. Archived once every copy has come (barrier, README.md).
  std::map<std::string, std::set<TopicPartition>> barriers;
  std::map<TopicPartition, PartitionState> partitions;  // the current assignment
  std::size_t held = 0;                                 // over all partitions
  Error failure;
  bool failed = false;

  void fail(Error e) {
    if (!failed) failure = std::move(e);
    failed = true;
  }
};

// An output of the engine's own services whose cause is not archived and not in the batch
// either: appending it now would put it before its cause.
Result<bool> waits_for_cause(Session& s, const ProposedEvent& e) {
  if (!e.source.starts_with("oppgjor.") || !e.causation_id || e.causation_id->empty()) {
    return false;
  }
  if (s.batch_ids.contains(*e.causation_id)) return false;
  auto seq = s.log->sequence_of(*e.causation_id);
  if (!seq.ok()) return seq.error();
  return *seq == 0;
}

// An output whose host had consumed its input partition further than this archive has: what it
// was decided from (an invoice before a command sent to every partition) may not be archived yet.
// `after` is one entry of the message's after_header (client.h): "<topic>/<partition>@<offset>".
Result<bool> waits_for_input(Session& s, std::string_view after) {
  const auto slash = after.rfind('/');
  const auto at = after.rfind('@');
  if (after.empty() || slash == std::string_view::npos || at == std::string_view::npos ||
      at < slash) {
    return false;
  }
  const std::string topic(after.substr(0, slash));
  std::int32_t partition = 0;
  std::int64_t needed = 0;
  const auto p = after.substr(slash + 1, at - slash - 1);
  const auto o = after.substr(at + 1);
  if (std::from_chars(p.data(), p.data() + p.size(), partition).ec != std::errc{} ||
      std::from_chars(o.data(), o.data() + o.size(), needed).ec != std::errc{}) {
    return false;
  }
  if (needed <= 0) return false;  // the host had consumed nothing of that partition
  const auto in_batch = s.next_offsets.find(TopicPartition{topic, partition});
  if (in_batch != s.next_offsets.end() && in_batch->second >= needed) return false;
  auto stored = s.log->next_offset(source_name(topic), partition);
  if (!stored.ok()) return stored.error();
  return *stored < needed;
}

// The header lists one entry per input topic of the host, joined by ','; the output waits while
// any of them is not archived as far.
Result<bool> waits_for_inputs(Session& s, std::string_view after) {
  while (!after.empty()) {
    const auto comma = after.find(',');
    auto wait = waits_for_input(s, after.substr(0, comma));
    if (!wait.ok() || *wait) return wait;
    if (comma == std::string_view::npos) break;
    after.remove_prefix(comma + 1);
  }
  return false;
}

// The number of parts of a request sent to every partition of its topic: the payload's top-level
// "partitions" (calendar.day_closed, invoicing.run_requested, care_fees.billing_requested).
// 0: not such a request.
std::int64_t parts_of(const ProposedEvent& e) {
  if (e.payload.find("\"partitions\"") == std::string::npos) return 0;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::int64_t parts = 0;
  if (parser.parse(e.payload).get(root) != simdjson::SUCCESS ||
      root["partitions"].get_int64().get(parts) != simdjson::SUCCESS) {
    return 0;
  }
  return parts;
}

std::int64_t assigned_partitions(const Session& s, const std::string& topic) {
  return std::count_if(s.partitions.begin(), s.partitions.end(),
                       [&](const auto& entry) { return entry.first.first == topic; });
}

// A copy of a request sent to every partition waits until every partition's copy has been read,
// so that what each partition held before its copy is archived before the request and what
// follows its copy after it: the archived log then has the order each partition's instance
// decided in (the runner folds the parts' recorded outputs at the request). True: wait.
Result<bool> waits_for_other_copies(Session& s, const TopicPartition& tp, const ProposedEvent& e) {
  const std::int64_t parts = parts_of(e);
  if (parts < 2 || s.batch_ids.contains(e.event_id)) return false;
  if (parts != assigned_partitions(s, tp.first)) {
    // Not this topic's partition count (or not every partition is assigned here): archived at
    // its first copy, as any event.
    s.barriers.erase(e.event_id);
    return false;
  }
  auto seq = s.log->sequence_of(e.event_id);
  if (!seq.ok()) return seq.error();
  if (*seq != 0) return false;  // archived already: this copy is a duplicate
  auto& arrived = s.barriers[e.event_id];
  arrived.insert(tp);
  if (static_cast<std::int64_t>(arrived.size()) < parts) return true;
  s.barriers.erase(e.event_id);
  return false;
}

// Decodes one message into the batch, unless it must wait for its cause or for the inputs it was
// decided from (false: nothing added).
Result<bool> try_add(Session& s, const TopicPartition& tp, std::string_view bytes,
                     std::string_view ref, std::int64_t offset, std::string_view after) {
  const std::size_t events_before = s.batch.events.size();
  s.decoder->add(bytes, ref, s.batch);
  if (s.batch.events.size() > events_before) {
    const ProposedEvent& e = s.batch.events.back();
    auto wait = waits_for_cause(s, e);
    if (wait.ok() && !*wait && e.source.starts_with("oppgjor.")) wait = waits_for_inputs(s, after);
    if (wait.ok() && !*wait) wait = waits_for_other_copies(s, tp, e);
    if (!wait.ok()) return wait.error();
    if (*wait) {
      // Take back exactly what BatchDecoder::add put in (it appends to the ends only; a deque's
      // pop_back leaves the views of earlier entries valid).
      s.batch.events.pop_back();
      s.batch.originals.pop_back();
      s.batch.refs.pop_back();
      --s.batch.inputs;
      return false;
    }
    s.batch_ids.insert(e.event_id);
  }
  s.next_offsets[tp] = offset + 1;  // a dead letter is stored with the batch too: consumed
  return true;
}

void set_paused(rd_kafka_t* rk, const TopicPartition& tp, PartitionState& ps, bool pause) {
  if (ps.paused == pause) return;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, tp.first.c_str(), tp.second);
  const rd_kafka_resp_err_t err =
      pause ? rd_kafka_pause_partitions(rk, list) : rd_kafka_resume_partitions(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("kafka: cannot {} {}: {}", pause ? "pause" : "resume", describe(tp),
                 rd_kafka_err2str(err));
    return;
  }
  ps.paused = pause;
  if (pause) {
    spdlog::warn("kafka: {} paused: {} messages held back waiting for a cause", describe(tp),
                 ps.held.size());
  } else {
    spdlog::info("kafka: {} resumed: its held messages are archived", describe(tp));
  }
}

void hold(rd_kafka_t* rk, Session& s, const TopicPartition& tp, PartitionState& ps,
          std::string_view bytes, std::string_view ref, std::int64_t offset,
          std::string_view after) {
  if (ps.held.empty()) {
    // Named by its reference (topic/partition@offset) only: no content of the message reaches
    // the log lines, so no personal identifier can.
    spdlog::info(
        "kafka: holding {} from {}: an output whose cause is not archived yet, or a request "
        "whose copies in other partitions are not read yet",
        describe(tp), ref);
  }
  ps.held.push_back({std::string(bytes), std::string(ref), offset, std::string(after)});
  ++s.held;
  if (ps.held.size() > s.hold_max) set_paused(rk, tp, ps, true);
}

// Moves held messages whose causes are now archived (or in the batch) into the batch, head
// first in each partition, until no partition can move on or the batch is full. Returns false
// on an error (in s.failure).
bool release_held(rd_kafka_t* rk, Session& s) {
  for (bool moved = true; moved;) {
    moved = false;
    for (auto& [tp, ps] : s.partitions) {
      while (!ps.held.empty()) {
        if (s.batch.size() >= s.intake->batch_events()) return true;
        const HeldMessage& m = ps.held.front();
        auto added = try_add(s, tp, m.bytes, m.ref, m.offset, m.after);
        if (!added.ok()) {
          s.fail(added.error());
          return false;
        }
        if (!*added) break;
        // The batch views its own copy of the bytes (DecodedBatch::originals), so the held
        // message can go.
        ps.held.pop_front();
        --s.held;
        moved = true;
      }
      if (ps.held.empty()) set_paused(rk, tp, ps, false);
    }
  }
  return true;
}

Status append_batch(rd_kafka_t* rk, Session& s) {
  std::vector<SourceOffset> offsets;
  for (const auto& [tp, next] : s.next_offsets) {
    offsets.push_back({source_name(tp.first), tp.second, next});
  }
  if (s.batch.size() == 0 && offsets.empty()) return ok_status();
  DecodedBatch batch = std::move(s.batch);
  s.batch = DecodedBatch{};
  s.batch_ids.clear();
  if (auto st = s.intake->append(std::move(batch), offsets); !st.ok()) return st;
  if (!offsets.empty()) {
    // Durable in SQLite now; tell the broker too (monitoring only, so async and unchecked).
    rd_kafka_topic_partition_list_t* list =
        rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
    for (const auto& [tp, next] : s.next_offsets) {
      rd_kafka_topic_partition_list_add(list, tp.first.c_str(), tp.second)->offset = next;
    }
    rd_kafka_commit(rk, list, 1);
    rd_kafka_topic_partition_list_destroy(list);
  }
  s.next_offsets.clear();
  return ok_status();
}

// Appends the batch with its offsets, then releases what that batch let go of, and appends
// again until nothing more is released: afterwards the batch is empty.
bool flush(rd_kafka_t* rk, Session& s) {
  do {
    if (auto st = append_batch(rk, s); !st.ok()) {
      s.fail(st.error());
      return false;
    }
    if (s.held > 0 && !release_held(rk, s)) return false;
  } while (s.batch.size() > 0 || !s.next_offsets.empty());
  return true;
}

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                  rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto& s = *static_cast<Session*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    for (int i = 0; i < partitions->cnt; ++i) {
      auto& tp = partitions->elems[i];
      auto stored = s.log->next_offset(source_name(tp.topic), tp.partition);
      if (!stored.ok()) {
        s.fail(stored.error());
      } else if (*stored >= 0) {
        tp.offset = *stored;  // our SQLite offset is the truth
      }
      PartitionState fresh;
      fresh.position = tp.offset >= 0 ? tp.offset : -1;
      s.partitions[{tp.topic, tp.partition}] = std::move(fresh);
      spdlog::info("kafka: assigned {} partition {} from offset {}", tp.topic, tp.partition,
                   tp.offset >= 0 ? std::to_string(tp.offset) : std::string("(group/earliest)"));
    }
    rd_kafka_assign(rk, partitions);
    return;
  }
  // Revoked (or an error): make what we consumed durable before giving the partitions up. Held
  // messages are dropped unstored; whoever gets their partitions next reads them again.
  spdlog::info("kafka: {} partitions revoked ({}){}", partitions->cnt, rd_kafka_err2name(err),
               s.held > 0 ? ", " + std::to_string(s.held) + " held messages left unstored" : "");
  (void)flush(rk, s);
  for (auto& [tp, ps] : s.partitions) set_paused(rk, tp, ps, false);
  s.partitions.clear();
  s.barriers.clear();  // their held copies are dropped with the rest
  s.held = 0;
  rd_kafka_assign(rk, nullptr);
}

Result<Client> make_consumer(const ArchiveOptions& o, Session& s) {
  std::map<std::string, std::string> settings = base_settings(RD_KAFKA_CONSUMER);
  settings.insert({
      {"bootstrap.servers", o.bootstrap},
      {"group.id", o.group},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"enable.partition.eof", "true"},
      {"client.id", "oppgjor-intake"},
  });
  for (const auto& [k, v] : o.config) settings[k] = v;
  auto conf = make_conf(settings);
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_opaque(conf->get(), &s);
  rd_kafka_conf_set_rebalance_cb(conf->get(), on_rebalance);
  auto client = Client::create(RD_KAFKA_CONSUMER, std::move(conf.value()));
  if (!client.ok()) return client.error();
  rd_kafka_poll_set_consumer(client->get());
  rd_kafka_topic_partition_list_t* topics =
      rd_kafka_topic_partition_list_new(static_cast<int>(o.topics.size()));
  for (const auto& t : o.topics) {
    rd_kafka_topic_partition_list_add(topics, t.c_str(), RD_KAFKA_PARTITION_UA);
  }
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(client->get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_error", "", std::string("subscribe: ") + rd_kafka_err2str(err));
  }
  return client;
}

// stop_at_end: every assigned partition has been read to its end, or is paused behind held
// messages (which cannot move on before their causes arrive, and none are left to arrive).
bool all_read(const Session& s) {
  if (s.partitions.empty()) return false;
  return std::all_of(s.partitions.begin(), s.partitions.end(), [](const auto& entry) {
    return entry.second.at_end || (entry.second.paused && !entry.second.held.empty());
  });
}

// Handles one polled message. Returns false when the loop should end on an error.
bool handle_message(rd_kafka_t* rk, rd_kafka_message_t* m, Session& s) {
  const TopicPartition tp{m->rkt != nullptr ? rd_kafka_topic_name(m->rkt) : "", m->partition};
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    s.partitions[tp].at_end = true;
    return flush(rk, s);
  }
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Transient broker errors are retried by librdkafka itself; only fatal ones end the run.
    spdlog::warn("kafka: {}", rd_kafka_message_errstr(m));
    if (m->err == RD_KAFKA_RESP_ERR__FATAL || m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) {
      s.fail(make_error("kafka_error", "", rd_kafka_message_errstr(m)));
      return false;
    }
    return true;
  }
  PartitionState& ps = s.partitions[tp];
  ps.at_end = false;
  ps.position = m->offset + 1;
  const std::string_view bytes(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
  const std::string ref = describe(tp) + "@" + std::to_string(m->offset);
  std::string_view after;
  rd_kafka_headers_t* headers = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
      rd_kafka_header_get_last(headers, after_header, &value, &size) ==
          RD_KAFKA_RESP_ERR_NO_ERROR &&
      value != nullptr) {
    after = std::string_view(static_cast<const char*>(value), size);
  }
  if (!ps.held.empty()) {
    hold(rk, s, tp, ps, bytes, ref, m->offset, after);  // behind an earlier held one: order kept
    return true;
  }
  auto added = try_add(s, tp, bytes, ref, m->offset, after);
  if (!added.ok()) {
    s.fail(added.error());
    return false;
  }
  if (!*added) hold(rk, s, tp, ps, bytes, ref, m->offset, after);
  if (s.batch.size() >= s.intake->batch_events() && !flush(rk, s)) return false;
  return true;
}

enum class Reached { yes, stopped };

// Waits until a bootstrap server answers a metadata request, for at most
// options.connect_timeout_ms (a wall-clock budget: this is the transport edge, not domain code).
Result<Reached> wait_for_broker(rd_kafka_t* rk, const ArchiveOptions& options) {
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

ArchiveStats finish(const Session& s, const events::Intake& intake) {
  ArchiveStats out;
  out.intake = intake.stats();
  out.held = static_cast<std::int64_t>(s.held);
  for (const auto& [tp, ps] : s.partitions) {
    if (ps.held.empty()) continue;
    out.held_note = "the first is " + ps.held.front().ref;
    break;
  }
  return out;
}

// The health report (options.health, health.h): `force` now, else at most every 200 ms.
void report(rd_kafka_t* rk, const Session& s, const events::Intake& intake,
            const ArchiveOptions& options, HostState state, bool force) {
  if (options.health == nullptr) return;
  const auto now = HealthBoard::Clock::now();
  if (!force && !options.health->due(now)) return;
  const events::IntakeStats& st = intake.stats();
  HealthReport r;
  r.component = "archiver";
  r.service = "archiver";
  r.state = state;
  r.figures = {
      {"consumed_total", "Messages read from the topics.", st.inputs},
      {"appended_total", "Events appended to the log.", st.appended},
      {"duplicates_total", "Messages already in the log (the same event_id and content).",
       st.duplicates},
      {"rejected_total", "Messages refused and kept in the dead-letter store.", st.rejected},
      {"held", "Service outputs held back until their cause is archived.",
       static_cast<std::int64_t>(s.held), false}};
  if (s.failed) {
    r.state = HostState::failed;
    r.error_code = s.failure.code;
  }
  for (const auto& [tp, ps] : s.partitions) {
    r.lag.push_back(partition_lag(rk, tp.first, tp.second, ps.position));
  }
  options.health->publish(std::move(r), now);
}

}  // namespace

std::string source_name(const std::string& topic) {
  return "kafka:" + topic;
}

Result<ArchiveStats> archive(EventLog& log, std::shared_ptr<const events::SchemaRegistry> registry,
                             const ArchiveOptions& options) {
  if (options.topics.empty()) return make_error("kafka_config", "topic", "no topic to read");
  events::IntakeOptions io = options.intake;
  io.channel = "kafka";
  io.auto_flush = false;  // batches are decoded here and appended with the partition offsets
  events::BatchDecoder decoder(registry, io.channel);
  events::Intake intake(log, std::move(registry), io);
  Session s;
  s.log = &log;
  s.intake = &intake;
  s.decoder = &decoder;
  s.hold_max = std::max<std::size_t>(options.hold_max, 1);
  // Declared after the session, intake and decoder, so it is closed first: closing revokes the
  // assignment, and the rebalance callback still flushes into them.
  report(nullptr, s, intake, options, HostState::starting, true);
  auto client = make_consumer(options, s);
  if (!client.ok()) return client.error();
  rd_kafka_t* rk = client->get();
  auto reached = wait_for_broker(rk, options);
  if (!reached.ok()) return reached.error();
  if (*reached == Reached::stopped) {
    intake.mark_interrupted();
    return finish(s, intake);
  }
  bool running = true;
  report(rk, s, intake, options, HostState::serving, true);
  while (running && !s.failed) {
    if (options.should_stop && options.should_stop()) {
      intake.mark_interrupted();  // the batch in hand is appended below, with its offsets
      break;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, poll_timeout_ms);
    if (m == nullptr) {
      running = flush(rk, s);
      report(rk, s, intake, options, HostState::serving, true);
    } else {
      running = handle_message(rk, m, s);
      rd_kafka_message_destroy(m);
      report(rk, s, intake, options, HostState::serving, false);
    }
    // Checked after every message, not only at a partition's end: the last partition to finish
    // may be one paused behind held messages, which sends no end-of-partition event.
    if (running && options.stop_at_end && all_read(s)) {
      running = flush(rk, s) && !all_read(s);  // what the flush released may resume a partition
    }
  }
  report(rk, s, intake, options, HostState::stopping, true);
  if (s.failed || !flush(rk, s)) {
    report(rk, s, intake, options, HostState::failed, true);
    return s.failure;
  }
  report(rk, s, intake, options, HostState::stopped, true);
  ArchiveStats out = finish(s, intake);
  out.causes_missing = options.stop_at_end && !out.intake.interrupted && out.held > 0;
  return out;
}

}  // namespace oppgjor::kafka
