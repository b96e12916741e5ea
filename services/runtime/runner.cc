#include "services/runtime/runner.h"

#include <algorithm>
#include <csignal>
#include <optional>

#include "common/assert.h"
#include "events/engine_event.h"
#include "services/runtime/commands.h"
#include "services/runtime/two_threads.h"

namespace oppgjor::runtime {

std::string output_source(std::string_view service_name) {
  return "oppgjor." + std::string(service_name);
}

std::string checkpoint_source(std::string_view service_name) {
  return "service:" + std::string(service_name);
}

Result<std::int64_t> read_checkpoint(events::EventLog& log, std::string_view service_name) {
  auto next = log.next_offset(checkpoint_source(service_name), 0);
  if (!next) return next.error();
  return *next > 0 ? *next - 1 : std::int64_t{0};
}

namespace {

// An event copied out of a scan (the views die with the scan's row).
struct OwnedEvent {
  std::int64_t sequence = 0;
  std::string stream, event_id, type, occurred_at, recorded_at, payload, source, causation_id,
      correlation_id, actor;
  std::int64_t stream_version = 0;
  std::int64_t schema_version = 0;
};

// The view an own output is folded with: its own identity and payload, and the sequence and
// recorded_at of the event that caused it (service.h), so that deciding and rebuilding fold it
// identically.
events::EventView output_view(const OwnedEvent& o, const events::EventView& cause) {
  events::EventView v;
  v.sequence = cause.sequence;
  v.recorded_at = cause.recorded_at;
  v.stream = o.stream;
  v.stream_version = 0;
  v.event_id = o.event_id;
  v.type = o.type;
  v.schema_version = o.schema_version;
  v.occurred_at = o.occurred_at;
  v.payload = o.payload;
  v.source = o.source;
  v.causation_id = o.causation_id;
  v.correlation_id = o.correlation_id;
  v.actor = o.actor;
  return v;
}

// The same view of an output decided in this process, folded from the decision itself (the
// ProposedEvent that is appended) rather than from a copy.
events::EventView output_view(const events::ProposedEvent& p, const events::EventView& cause) {
  const auto text = [](const std::optional<std::string>& s) {
    return s ? std::string_view(*s) : std::string_view();
  };
  events::EventView v;
  v.sequence = cause.sequence;
  v.recorded_at = cause.recorded_at;
  v.stream = p.stream;
  v.stream_version = 0;
  v.event_id = p.event_id;
  v.type = p.type;
  v.schema_version = p.schema_version;
  v.occurred_at = p.occurred_at;
  v.payload = p.payload;
  v.source = p.source;
  v.causation_id = text(p.causation_id);
  v.correlation_id = text(p.correlation_id);
  v.actor = text(p.actor);
  return v;
}

bool is_answer(std::string_view type) {
  return type == command_completed_type || type == command_refused_type;
}

OwnedEvent own(const events::EventView& v) {
  OwnedEvent o;
  o.sequence = v.sequence;
  o.stream = std::string(v.stream);
  o.stream_version = v.stream_version;
  o.event_id = std::string(v.event_id);
  o.type = std::string(v.type);
  o.schema_version = v.schema_version;
  o.occurred_at = std::string(v.occurred_at);
  o.recorded_at = std::string(v.recorded_at);
  o.payload = std::string(v.payload);
  o.source = std::string(v.source);
  o.causation_id = std::string(v.causation_id);
  o.correlation_id = std::string(v.correlation_id);
  o.actor = std::string(v.actor);
  return o;
}

// Sets the envelope identity of output `index` of the decision on `cause` (service.h).
}  // namespace

std::string output_id_key(std::string_view service, std::string_view cause_id, Part part,
                          std::size_t index) {
  std::string key = std::string(service) + "/" + std::string(cause_id) + "/";
  if (!part.whole()) key += "p" + std::to_string(part.index) + "/";
  return key + std::to_string(index);
}

static void stamp(events::EngineEvent& out, std::string_view service,
                  const events::EventView& cause, Part part, std::size_t index) {
  out.event_id =
      events::deterministic_event_id(output_id_key(service, cause.event_id, part, index));
  out.causation_id = std::string(cause.event_id);
  if (!cause.correlation_id.empty()) {
    out.correlation_id = std::string(cause.correlation_id);
  } else if (!out.correlation_id) {
    out.correlation_id = std::string(cause.event_id);
  }
  if (!cause.actor.empty()) {
    out.actor = std::string(cause.actor);
  } else {
    out.actor.reset();
  }
  out.source = output_source(service);
  if (out.occurred_at.empty()) out.occurred_at = std::string(cause.occurred_at);
}

struct Runner::Slot {
  ServiceFactory factory;
  std::unique_ptr<Service> svc;
  std::string name;
  std::string source;
  std::vector<std::string> input_types;
  std::int64_t checkpoint = 0;
  std::int64_t snapshot_sequence = 0;
  std::string snapshot_note;
  std::int64_t rebuilt = 0;
  // The state differs from the stored snapshot: it folded something since (or there is no
  // usable snapshot). A checkpoint that moved over nothing of the service's leaves the stored
  // snapshot as good as a new one: it states the sequence it reflects, and a start folds the
  // tail from there, which holds nothing for the service.
  bool changed = false;
  // Size of the stored snapshot the state was loaded from or last saved as (0: none usable), and
  // the payload bytes folded since it (RunnerOptions::snapshot_tail_percent).
  std::int64_t snapshot_bytes = 0;
  std::int64_t tail_bytes = 0;
  // Sequences of the outputs this runner appended for the service, as closed ranges in
  // ascending order, while they are past its checkpoint: decide_pass need not scan them for
  // outputs decided elsewhere (their causes are at or before the checkpoint).
  std::vector<std::pair<std::int64_t, std::int64_t>> appended_here;
  simdjson::dom::parser parser;
  simdjson::dom::parser output_parser;

  Result<simdjson::dom::element> parse(simdjson::dom::parser& p, std::string_view json,
                                       bool needed) {
    if (!needed) return simdjson::dom::element{};
    simdjson::dom::element e;
    if (p.parse(json.data(), json.size()).get(e) != simdjson::SUCCESS) {
      return make_error("malformed_json", "payload", "an event in the log is not JSON");
    }
    return e;
  }
  Status fold(const events::EventView& v) {
    auto payload = parse(parser, v.payload, svc->needs_payload());
    if (!payload) return payload.error();
    tail_bytes += static_cast<std::int64_t>(v.payload.size());
    return svc->fold(v, *payload);
  }
  Status fold_output(const OwnedEvent& o, const events::EventView& cause) {
    auto payload = parse(output_parser, o.payload, svc->needs_payload());
    if (!payload) return payload.error();
    tail_bytes += static_cast<std::int64_t>(o.payload.size());
    return svc->fold(output_view(o, cause), *payload);
  }
  Status fold_output(const events::ProposedEvent& o, const events::EventView& cause) {
    auto payload = parse(output_parser, o.payload, svc->needs_payload());
    if (!payload) return payload.error();
    tail_bytes += static_cast<std::int64_t>(o.payload.size());
    return svc->fold(output_view(o, cause), *payload);
  }
};

Runner::Runner(events::EventLog& writer, events::EventLog& reader,
               const events::SchemaRegistry& registry, SnapshotStore* snapshots,
               std::vector<ServiceFactory> factories, RunnerOptions options)
    : writer_(writer),
      reader_(reader),
      registry_(registry),
      snapshots_(snapshots),
      options_(options) {
  for (auto& f : factories) {
    auto slot = std::make_unique<Slot>();
    slot->factory = std::move(f);
    slot->svc = slot->factory();
    OPPGJOR_ASSERT(slot->svc != nullptr, "a service factory returned nothing");
    slot->name = std::string(slot->svc->name());
    slot->source = output_source(slot->name);
    slot->input_types = slot->svc->input_types();
    slots_.push_back(std::move(slot));
  }
  std::sort(slots_.begin(), slots_.end(),
            [](const auto& a, const auto& b) { return a->name < b->name; });
  for (std::size_t i = 1; i < slots_.size(); ++i) {
    OPPGJOR_ASSERT(slots_[i - 1]->name != slots_[i]->name, "two services with one name");
  }
  if (options_.kill_before_commit > 0) {
    writer_.set_before_commit_hook([this](const events::BatchResult&) {
      if (commits_ + 1 == options_.kill_before_commit) std::raise(SIGKILL);
    });
  }
}

Runner::~Runner() {
  if (options_.kill_before_commit > 0) writer_.set_before_commit_hook({});
}

const Service* Runner::service(std::string_view name) const {
  for (const auto& s : slots_) {
    if (s->name == name) return s->svc.get();
  }
  return nullptr;
}

std::int64_t Runner::checkpoint(std::string_view name) const {
  for (const auto& s : slots_) {
    if (s->name == name) return s->checkpoint;
  }
  return 0;
}

ServiceRunStats Runner::load_stats(std::string_view name) const {
  ServiceRunStats s;
  for (const auto& slot : slots_) {
    if (slot->name != name) continue;
    s.checkpoint = slot->checkpoint;
    s.snapshot_sequence = slot->snapshot_sequence;
    s.snapshot_note = slot->snapshot_note;
    s.rebuilt = slot->rebuilt;
  }
  return s;
}

std::vector<Output> Runner::outputs_caused_by(const std::string& event_id) const {
  const auto it = caused_.find(event_id);
  return it == caused_.end() ? std::vector<Output>{} : it->second;
}

// Restores the snapshot when it can be trusted (snapshot_store.h), else starts from nothing;
// then folds the tail up to the checkpoint without deciding.
Status Runner::load(Slot& slot) {
  auto cp = read_checkpoint(writer_, slot.name);
  if (!cp) return cp.error();
  slot.checkpoint = *cp;
  slot.svc = slot.factory();
  slot.snapshot_sequence = 0;
  slot.snapshot_bytes = 0;
  slot.tail_bytes = 0;
  slot.snapshot_note = snapshots_ == nullptr ? "no snapshot store" : "no snapshot yet";
  if (snapshots_ != nullptr) {
    auto got = snapshots_->get(slot.name);
    if (!got) {
      slot.snapshot_note = got.error().to_string();
    } else if (got->has_value()) {
      const Snapshot& snap = **got;
      std::string log_hash = std::string(events::genesis_hash);
      if (snap.sequence > 0) {
        auto rows = reader_.read(snap.sequence, 1);
        if (!rows) return rows.error();
        log_hash = rows->empty() || rows->front().sequence != snap.sequence ? std::string()
                                                                            : rows->front().hash;
      }
      if (snap.state_version != slot.svc->state_version()) {
        slot.snapshot_note = "written by state version " + snap.state_version + ", running " +
                             slot.svc->state_version() + ": rebuilt";
      } else if (snap.sequence > slot.checkpoint) {
        slot.snapshot_note = "snapshot is past the checkpoint in the log: rebuilt";
      } else if (log_hash != snap.log_hash) {
        slot.snapshot_note = "snapshot belongs to another log: rebuilt";
      } else if (auto st = slot.svc->load_image(snap.bytes(), snap.image); !st.ok()) {
        slot.snapshot_note = "snapshot unreadable (" + st.error().to_string() + "): rebuilt";
        slot.svc = slot.factory();
      } else {
        slot.snapshot_sequence = snap.sequence;
        slot.snapshot_bytes = static_cast<std::int64_t>(snap.bytes().size());
        slot.snapshot_note.clear();
      }
    }
  }
  slot.appended_here.clear();
  if (auto st = rebuild(slot, slot.snapshot_sequence + 1, slot.checkpoint); !st.ok()) return st;
  // A tail that folded nothing leaves the state the snapshot's (see Slot::changed).
  slot.changed = slot.rebuilt > 0 || !slot.snapshot_note.empty();
  return ok_status();
}

Status rebuild_service(events::EventLog& log, Service& service, std::int64_t from_sequence,
                       std::int64_t to_sequence, std::int64_t* folded, std::int64_t* folded_bytes) {
  if (folded != nullptr) *folded = 0;
  if (to_sequence < from_sequence) return ok_status();
  const std::string source = output_source(service.name());
  // Whether the tail holds an event the service consumes (its own outputs are not consumed).
  // None: nothing to fold (a snapshot kept while the checkpoint moved over nothing of the
  // service's), and no need to scan every row of the tail and on for its outputs.
  bool consumes = false;
  auto st = log.scan_types(from_sequence, to_sequence, service.input_types(),
                           [&](const events::EventView& v) {
                             if (v.source == source) return true;
                             consumes = true;
                             return false;
                           });
  if (!st.ok()) return st;
  if (!consumes) return ok_status();
  std::map<std::string, std::vector<OwnedEvent>, std::less<>> outputs;
  st = log.scan_source(from_sequence, 0, source, [&](const events::EventView& v) {
    outputs[std::string(v.causation_id)].push_back(own(v));
    return true;
  });
  if (!st.ok()) return st;
  simdjson::dom::parser parser;
  const bool needs_payload = service.needs_payload();
  auto fold = [&](const events::EventView& v) -> Status {
    simdjson::dom::element payload;
    if (needs_payload &&
        parser.parse(v.payload.data(), v.payload.size()).get(payload) != simdjson::SUCCESS) {
      return make_error("malformed_json", "payload", "an event in the log is not JSON");
    }
    if (folded_bytes != nullptr) *folded_bytes += static_cast<std::int64_t>(v.payload.size());
    return service.fold(v, payload);
  };
  Status failed = ok_status();
  st = log.scan_types(from_sequence, to_sequence, service.input_types(),
                      [&](const events::EventView& v) {
                        if (v.source == source) return true;
                        if (failed = fold(v); !failed.ok()) return false;
                        if (folded != nullptr) ++*folded;
                        const auto it = outputs.find(v.event_id);
                        if (it == outputs.end()) return true;
                        for (const OwnedEvent& o : it->second) {
                          if (failed = fold(output_view(o, v)); !failed.ok()) return false;
                        }
                        return true;
                      });
  if (!st.ok()) return st;
  return failed;
}

Status Runner::rebuild(Slot& slot, std::int64_t from_sequence, std::int64_t to_sequence) {
  return rebuild_service(reader_, *slot.svc, from_sequence, to_sequence, &slot.rebuilt,
                         &slot.tail_bytes);
}

// Not on two threads as snapshots are written (save_snapshots): restoring a state is thousands
// of small allocations, and a helper thread's malloc arena made that about twice as slow here
// (an invoice-run bench's start: 1.0 s on two threads, 0.53 s on one; docs/PERFORMANCE.md).
Status Runner::bring_up() {
  for (auto& slot : slots_) {
    if (auto st = load(*slot); !st.ok()) {
      return make_error(st.error().code, st.error().field, slot->name + ": " + st.error().message);
    }
  }
  up_ = true;
  return ok_status();
}

Status Runner::commit(Slot& slot, std::vector<events::ProposedEvent>& outputs,
                      std::int64_t checkpoint) {
  const events::SourceOffset offset{checkpoint_source(slot.name), 0, checkpoint + 1};
  if (outputs.empty()) {  // nothing decided: the checkpoint alone
    if (auto st = writer_.store_offsets(std::span<const events::SourceOffset>(&offset, 1));
        !st.ok()) {
      return st;
    }
    return committed(slot, checkpoint);
  }
  auto r = writer_.append(outputs, events::BatchPolicy::all_or_nothing, {},
                          std::span<const events::SourceOffset>(&offset, 1));
  if (!r) return r.error();
  if (!r->committed) {
    // A decision the log refuses (a stale stream version, an id used for other content) is a
    // bug in the service: nothing of it was written, and the runner stops here.
    for (const auto& o : r->outcomes) {
      if (o.kind == events::AppendOutcome::Kind::rejected) {
        return make_error("decision_refused_by_log", "stream_version",
                          slot.name + ": " + o.reason + ": " + o.message);
      }
    }
    return make_error("decision_refused_by_log", "", slot.name + ": batch not committed");
  }
  for (const auto& o : r->outcomes) {
    if (o.kind != events::AppendOutcome::Kind::appended) continue;
    if (!slot.appended_here.empty() && slot.appended_here.back().second + 1 == o.sequence) {
      slot.appended_here.back().second = o.sequence;
    } else {
      slot.appended_here.emplace_back(o.sequence, o.sequence);
    }
  }
  outputs_appended_ += static_cast<std::int64_t>(outputs.size());
  outputs.clear();
  if (options_.kill_after_outputs > 0 && outputs_appended_ >= options_.kill_after_outputs) {
    std::raise(SIGKILL);
  }
  return committed(slot, checkpoint);
}

Status Runner::committed(Slot& slot, std::int64_t checkpoint) {
  ++commits_;
  if (options_.kill_after_commit > 0 && commits_ == options_.kill_after_commit) {
    std::raise(SIGKILL);
  }
  slot.checkpoint = checkpoint;
  return ok_status();
}

// Decides from the checkpoint to the head as it was when the pass began. Returns the number
// of outputs appended.
Result<std::int64_t> Runner::decide_pass(Slot& slot, ServiceRunStats& stats) {
  auto head = reader_.head();
  if (!head) return head.error();
  const std::int64_t until = head->sequence;
  if (until <= slot.checkpoint) return std::int64_t{0};
  // Outputs of this service already in the log past the checkpoint whose cause this pass will
  // consume were decided elsewhere: by an instance on Kafka, whose outputs the archiver wrote
  // into this log (docs/SERVICES.md). They are folded as recorded, never decided again, so the
  // services can run embedded on an archived log. (Outputs decided here are past the checkpoint
  // too, but their causes are not: they are never matched.)
  // The ranges this runner appended itself are left out of the scan (Slot::appended_here).
  std::map<std::string, std::vector<OwnedEvent>, std::less<>> recorded;
  std::erase_if(slot.appended_here, [&](const auto& r) { return r.second <= slot.checkpoint; });
  const auto record = [&](const events::EventView& v) {
    recorded[std::string(v.causation_id)].push_back(own(v));
    return true;
  };
  std::int64_t from = slot.checkpoint + 1;
  for (const auto& [first, last] : slot.appended_here) {
    if (from > until) break;
    if (first > from) {
      auto scanned = reader_.scan_source(from, std::min(first - 1, until), slot.source, record);
      if (!scanned.ok()) return scanned.error();
    }
    from = std::max(from, last + 1);
  }
  if (from <= until) {
    auto scanned = reader_.scan_source(from, until, slot.source, record);
    if (!scanned.ok()) return scanned.error();
  }
  std::vector<events::ProposedEvent> pending;
  std::int64_t pending_events = 0;
  std::int64_t appended = 0;
  Status failed = ok_status();
  auto on_event = [&](const events::EventView& v) -> bool {
    if (v.source == slot.source) return true;  // folded when it was decided
    ++stats.consumed;
    slot.changed = true;
    const auto elsewhere = recorded.empty() ? recorded.end() : recorded.find(v.event_id);
    if (elsewhere != recorded.end()) {
      ++stats.folded_recorded;
      if (failed = slot.fold(v); !failed.ok()) return false;
      for (const OwnedEvent& o : elsewhere->second) {
        if (failed = slot.fold_output(o, v); !failed.ok()) return false;
      }
    } else if (slot.svc->decides(v.type)) {
      ++stats.decided;
      auto payload = slot.parse(slot.parser, v.payload, true);
      if (!payload) {
        failed = payload.error();
        return false;
      }
      const int parts = slot.svc->parts(v, *payload);
      OPPGJOR_ASSERT(parts >= 1 && parts <= parts_max, "a decision in too many parts");
      // The outputs of this decision are pending[first..] until the commit below.
      const std::size_t first = pending.size();
      const auto take = [&](Result<std::vector<events::ProposedEvent>> decided) {
        if (!decided) {
          failed = decided.error();
          return false;
        }
        for (auto& proposed : *decided) pending.push_back(std::move(proposed));
        return true;
      };
      if (!options_.partition) {
        for (int p = 0; p < parts; ++p) {
          if (!take(decide_stamped(*slot.svc, registry_, v, *payload, Part{p, parts}))) {
            return false;
          }
        }
      } else if (parts == options_.partition->count || !slot.svc->spans_customers(v.type)) {
        const Part part = parts == 1 ? Part{} : *options_.partition;
        if (!take(decide_stamped(*slot.svc, registry_, v, *payload, part))) return false;
      } else if (!take(refuse_partitions(*slot.svc, registry_, v, parts, *options_.partition))) {
        return false;
      }
      // Folded with the payload parsed for the decision (slot.parser is not used in between).
      slot.tail_bytes += static_cast<std::int64_t>(v.payload.size());
      if (failed = slot.svc->fold(v, *payload); !failed.ok()) return false;
      for (std::size_t i = first; i < pending.size(); ++i) {
        const events::ProposedEvent& o = pending[i];
        if (failed = slot.fold_output(o, v); !failed.ok()) return false;
        if (is_answer(o.type)) {
          caused_[std::string(v.event_id)].push_back(
              Output{o.event_id, o.type, o.stream, o.payload});
        }
      }
    } else if (failed = slot.fold(v); !failed.ok()) {
      return false;
    }
    ++pending_events;
    if (pending_events >= options_.commit_every_events ||
        pending.size() >= commit_every_outputs_max) {
      const std::size_t n = pending.size();
      if (failed = commit(slot, pending, v.sequence); !failed.ok()) return false;
      appended += static_cast<std::int64_t>(n);
      pending_events = 0;
    }
    return true;
  };
  auto st = reader_.scan_types(slot.checkpoint + 1, until, slot.input_types, on_event);
  if (!st.ok()) return st.error();
  if (!failed.ok()) return failed.error();
  const std::size_t n = pending.size();
  if (auto c = commit(slot, pending, until); !c.ok()) return c.error();
  appended += static_cast<std::int64_t>(n);
  return appended;
}

namespace {

// A decision whose outputs' payloads add up to fewer bytes than this is stamped on the calling
// thread (stamped): checking one is roughly 10 µs per KiB, against a few tens of µs to start the
// helper. Above it the outputs are handed out in about 64 chunks, so a few large outputs (the
// ledger's postings of an OCR file) are shared out as evenly as many small ones (an invoice run).
constexpr std::size_t stamp_parallel_bytes = std::size_t{256} << 10;
constexpr std::size_t stamp_chunks = 64;

std::size_t stamp_chunk(const std::vector<events::EngineEvent>& specs) {
  std::size_t bytes = 0;
  for (const auto& spec : specs) bytes += spec.payload_json.size();
  if (bytes < stamp_parallel_bytes) return specs.size();
  return std::max<std::size_t>(1, specs.size() / stamp_chunks);
}

// Gives each of `specs` (a decision on `e` for `part`) its envelope identity (service.h) and
// validates it against its schemas.
Result<std::vector<events::ProposedEvent>> stamped(std::string_view service,
                                                   const events::SchemaRegistry& registry,
                                                   const events::EventView& e, Part part,
                                                   std::vector<events::EngineEvent>& specs) {
  const std::string name(service);
  // Each output is stamped and checked on its own (make_engine_event reads only the immutable
  // registry and its own spec), so a large decision is split over two threads; the outputs keep
  // their order, and the first invalid one in that order is the one reported, as on one thread.
  // Made in place (an invoice run's 60,000 outputs are ~30 MiB of events: not built once more in
  // a vector of results and moved); an output's error beside it.
  std::vector<events::ProposedEvent> out(specs.size());
  std::vector<std::optional<Error>> errors(specs.size());
  std::vector<char> done(specs.size(), 0);
  for_each_on_two_threads(specs.size(), stamp_chunk(specs), [&](std::size_t i) {
    stamp(specs[i], name, e, part, i);
    std::string type = specs[i].type;
    auto proposed = events::make_engine_event(registry, std::move(specs[i]));
    if (proposed) {
      out[i] = std::move(proposed).value();
    } else {
      errors[i] =
          make_error(proposed.error().code, proposed.error().field,
                     name + " decided an invalid " + type + ": " + proposed.error().message);
    }
    done[i] = 1;
  });
  for (std::size_t i = 0; i < out.size(); ++i) {
    OPPGJOR_ASSERT(done[i] != 0, "an output was not stamped");
    if (errors[i]) return *errors[i];
  }
  return out;
}

}  // namespace

Result<std::vector<events::ProposedEvent>> decide_stamped(const Service& service,
                                                          const events::SchemaRegistry& registry,
                                                          const events::EventView& e,
                                                          simdjson::dom::element payload,
                                                          Part part) {
  auto decided = service.decide(e, payload, part);
  if (!decided) return decided.error();
  return stamped(service.name(), registry, e, part, *decided);
}

Result<std::vector<events::ProposedEvent>> refuse_partitions(const Service& service,
                                                             const events::SchemaRegistry& registry,
                                                             const events::EventView& e, int parts,
                                                             Part partition) {
  const Part part = partition.count > 1 ? partition : Part{};
  std::vector<events::EngineEvent> spec{refused_event(
      service.name(), e,
      make_error("partitions_mismatch", "payload.partitions",
                 "kommandoen gjelder mange kunder og må sendes til alle " +
                     std::to_string(partition.count) +
                     " partisjonene med partitions: " + std::to_string(partition.count) +
                     " (den har " + (parts == 1 ? std::string("ingen") : std::to_string(parts)) +
                     "); ingenting er gjort i partisjon " + std::to_string(partition.index)),
      part)};
  return stamped(service.name(), registry, e, part, spec);
}

bool Runner::snapshot_due(const Slot& slot) const {
  if (snapshots_ == nullptr) return false;
  // Unchanged (Slot::changed): kept while the tail a start scans from it stays short.
  if (!slot.changed) return slot.checkpoint - slot.snapshot_sequence > options_.snapshot_lag;
  // None usable (none yet, or rebuilt): written.
  if (slot.snapshot_bytes == 0 || options_.snapshot_tail_percent <= 0) return true;
  // Changed: kept until the tail folded since reaches its share of the snapshot's size.
  return slot.tail_bytes * 100 >= slot.snapshot_bytes * options_.snapshot_tail_percent;
}

// Writes the snapshot of every service snapshot_due(); returns, per slot in slots_ order, whether
// it was written, or why not when it was due. Each state is written to its file and hashed on
// one of two threads (two_threads.h: each service's save_to() reads only its own state, and
// write_state touches only that service's file), streamed through a reused buffer rather than
// built whole in memory (snapshot_sink.h); the log hash is read and each snapshot recorded in the
// store on this thread, as soon as its file is written.
std::vector<Runner::SnapshotWrite> Runner::save_snapshots() {
  std::vector<SnapshotWrite> writes(slots_.size());
  struct Pending {
    Slot* slot = nullptr;
    std::size_t index = 0;  // in slots_
    Snapshot snap;          // without its state: that goes to the file
    Result<SnapshotStore::StateFile> file = SnapshotStore::StateFile{};
  };
  std::vector<Pending> due;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = *slots_[i];
    if (!snapshot_due(slot)) continue;
    Pending p;
    p.slot = &slot;
    p.index = i;
    p.snap.service = slot.name;
    p.snap.state_version = slot.svc->state_version();
    p.snap.sequence = slot.checkpoint;
    p.snap.log_hash = std::string(events::genesis_hash);
    if (slot.checkpoint > 0) {
      auto rows = reader_.read(slot.checkpoint, 1);
      if (!rows) {
        writes[i].not_written = rows.error().message;
        continue;
      }
      OPPGJOR_ASSERT(!rows->empty() && rows->front().sequence == slot.checkpoint,
                     "a checkpoint past the head of the log");
      p.snap.log_hash = rows->front().hash;
    }
    due.push_back(std::move(p));
  }
  const SnapshotStore* files = snapshots_;  // null only when nothing is due
  on_two_threads(
      due.size(),
      [&](std::size_t k) {
        Pending& p = due[k];
        const Service& svc = *p.slot->svc;
        p.file = files->write_state(p.snap.service, [&](SnapshotSink& sink) { svc.save_to(sink); });
      },
      [&](std::size_t k) {
        Pending& p = due[k];
        Status st = p.file ? snapshots_->record(p.snap, *p.file) : Status(p.file.error());
        if (!st.ok()) {
          writes[p.index].not_written = st.error().message;
        } else {
          p.slot->snapshot_sequence = p.slot->checkpoint;
          p.slot->snapshot_bytes = p.file->bytes;
          p.slot->tail_bytes = 0;
          p.slot->changed = false;
          writes[p.index].written = true;
        }
      });
  return writes;
}

Result<RunStats> Runner::run_to_fixed_point() {
  if (!up_) {
    if (auto st = bring_up(); !st.ok()) return st.error();
  }
  RunStats stats;
  for (const auto& slot : slots_) {
    ServiceRunStats& s = stats.services[slot->name];
    s.rebuilt = slot->rebuilt;
    s.snapshot_sequence = slot->snapshot_sequence;
    s.snapshot_note = slot->snapshot_note;
  }
  for (;;) {
    ++stats.passes;
    std::int64_t appended = 0;
    for (auto& slot : slots_) {
      auto n = decide_pass(*slot, stats.services[slot->name]);
      if (!n) {
        // The in-memory state may be ahead of what was committed: reload before any reuse.
        up_ = false;
        return make_error(n.error().code, n.error().field, slot->name + ": " + n.error().message);
      }
      appended += *n;
      stats.services[slot->name].appended += *n;
    }
    stats.appended += appended;
    if (appended == 0) break;
  }
  // A snapshot is a shortcut, never the truth: the outputs are committed and the log holds
  // everything. A snapshot that cannot be written (SQLite's 1 GB limit on one value, a full
  // disk) leaves the older one, and the next start folds a longer tail; it never fails the run.
  const std::vector<SnapshotWrite> writes =
      options_.write_snapshots ? save_snapshots() : std::vector<SnapshotWrite>(slots_.size());
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = *slots_[i];
    ServiceRunStats& s = stats.services[slot.name];
    s.checkpoint = slot.checkpoint;
    if (!writes[i].not_written.empty()) {
      s.snapshot_note = "snapshot not written: " + writes[i].not_written;
    }
    s.snapshot_written = writes[i].written;
    s.snapshot_at = slot.snapshot_sequence;
    s.snapshot_bytes = slot.snapshot_bytes;
    s.tail_bytes = slot.tail_bytes;
  }
  auto head = reader_.head();
  if (!head) return head.error();
  stats.head = head->sequence;
  stats.commits = commits_;
  return stats;
}

}  // namespace oppgjor::runtime
