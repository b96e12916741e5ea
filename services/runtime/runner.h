// The embedded runner (docs/SERVICES.md, "Embedded mode"): brings every service up to the head of
// the log and on to a fixed point, in log order, in one process.
//
// For each service:
//   - its checkpoint (the last sequence it has consumed) lives in the log file itself, as the
//     source offset "service:<name>" (event_log.h), and commits in ONE SQLite transaction with
//     the outputs it decided from the events up to there: a crash at any point loses nothing
//     and books nothing twice;
//   - its state is resumed from a snapshot (snapshot_store.h) plus the tail of the log up to
//     the checkpoint, rebuilt without deciding anything again (service.h), then run on from the
//     checkpoint, deciding;
//   - after the run the snapshot is written again at the new checkpoint, for each service that
//     folded something since its snapshot (one whose checkpoint only moved over events it does
//     not consume keeps its snapshot, which states the older sequence it reflects; a start folds
//     the tail from there, which holds nothing for it), or whose snapshot is more than
//     snapshot_lag sequences behind its checkpoint.
// Services run in name order, repeatedly, until a whole pass appends nothing (one service's
// outputs are another's inputs).
//
// Not thread-safe. The runner reads through its own connection (`reader`), so the writer can
// commit while a scan is open (WAL).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "events/schema_registry.h"
#include "services/runtime/service.h"
#include "services/runtime/snapshot_store.h"

namespace oppgjor::runtime {

using ServiceFactory = std::function<std::unique_ptr<Service>()>;

// Consumed events decided between two commits, at most (each decision's outputs always commit
// whole, with the checkpoint after it).
inline constexpr std::int64_t commit_every_events_max = 8192;
inline constexpr std::size_t commit_every_outputs_max = 20000;
// A service that folded nothing keeps its snapshot until its checkpoint is this many sequences
// past it; then the snapshot is written again, so that a start's tail scan (the event index of
// the tail, for the service's input types: rebuild_service) stays short.
inline constexpr std::int64_t snapshot_lag_max = 262144;
// A service that folded something keeps its snapshot until the payload bytes it folded since
// (the tail a start would fold after loading it) reach this share of the snapshot's size, in
// percent; then it is written again. Writing the whole state after every command costs a large
// state's size each time, however small the command; this way the bytes written for snapshots
// stay within about twice the bytes folded, and a start folds at most about one snapshot's worth
// of tail after loading it. The first snapshot, and one that could not be used, is always written.
inline constexpr std::int64_t snapshot_tail_percent_default = 100;

struct RunnerOptions {
  std::int64_t commit_every_events = commit_every_events_max;
  // Test hook (crash-restart): raise SIGKILL inside the N-th commit, after its rows are written
  // and before COMMIT (kill_before_commit), or right after the N-th commit (kill_after_commit).
  // 0: off.
  std::int64_t kill_before_commit = 0;
  std::int64_t kill_after_commit = 0;
  // ... or right after the first commit that takes the outputs this runner appended to at least
  // N (a kill with outputs decided and, in Kafka mode, not yet published).
  std::int64_t kill_after_outputs = 0;
  bool write_snapshots = true;
  std::int64_t snapshot_lag = snapshot_lag_max;  // see snapshot_lag_max
  // see snapshot_tail_percent_default; 0: a service that folded something is written after
  // every run
  std::int64_t snapshot_tail_percent = snapshot_tail_percent_default;
  // Kafka mode (docs/SERVICES.md): the log is one partition's, `partition.index` of
  // `partition.count` of the input topic. A decision in parts is decided for that part only; a
  // command that spans customers and does not name that partition count is refused
  // (partitions_mismatch). Unset: embedded, every part is decided.
  std::optional<Part> partition;
};

struct ServiceRunStats {
  std::int64_t consumed = 0;  // events folded in deciding mode
  std::int64_t decided = 0;   // events decide() was called for
  std::int64_t appended = 0;  // outputs appended
  std::int64_t rebuilt = 0;   // events folded while rebuilding (snapshot tail)
  // consumed events whose outputs were already in the log (decided on Kafka, archived here):
  // folded as recorded, not decided
  std::int64_t folded_recorded = 0;
  std::int64_t checkpoint = 0;
  std::int64_t snapshot_sequence = 0;  // the snapshot it resumed from (0: none)
  std::string snapshot_note;           // why a snapshot was not used, when it was not
  // After the run: the stored snapshot's sequence and size, and the payload bytes folded since
  // it (snapshot_tail_percent); snapshot_written: this run wrote it.
  std::int64_t snapshot_at = 0;
  std::int64_t snapshot_bytes = 0;
  std::int64_t tail_bytes = 0;
  bool snapshot_written = false;
};

struct RunStats {
  std::map<std::string, ServiceRunStats> services;
  int passes = 0;
  std::int64_t appended = 0;
  std::int64_t head = 0;
  std::int64_t commits = 0;  // transactions committed by this runner so far
};

// An answer the runner appended (service.command_completed / service.command_refused), for
// callers that wait for the answer to a command (cli/ prints it).
struct Output {
  std::string event_id;
  std::string type;
  std::string stream;
  std::string payload;  // canonical JSON
};

class Runner {
 public:
  // `writer` appends (outputs and checkpoints); `reader` is a second connection to the same
  // file. `snapshots` may be null (no snapshots: every start rebuilds from sequence 1).
  // All must outlive the runner.
  Runner(events::EventLog& writer, events::EventLog& reader, const events::SchemaRegistry& registry,
         SnapshotStore* snapshots, std::vector<ServiceFactory> factories,
         RunnerOptions options = {});
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Loads every service (snapshot + tail to its checkpoint) without deciding anything.
  Status bring_up();
  // bring_up() when needed, then runs every service to the head and on to a fixed point, then
  // writes snapshots. Safe to call again (catches up what was appended since).
  Result<RunStats> run_to_fixed_point();

  // The service named `name` (after bring_up), or nullptr. Its state is the state at its
  // checkpoint.
  const Service* service(std::string_view name) const;
  std::int64_t checkpoint(std::string_view name) const;
  // How `name` was brought up: snapshot_sequence, snapshot_note and rebuilt (after bring_up).
  ServiceRunStats load_stats(std::string_view name) const;
  // The answers (service.command_completed / service.command_refused, commands.h) this runner
  // decided and appended to the event `event_id`, in order: all answer_of() reads. Other
  // outputs are not kept (a run of 60,000 invoices would hold every one of them for the life of
  // the runner); read them from the log by causation_id.
  std::vector<Output> outputs_caused_by(const std::string& event_id) const;

 private:
  struct Slot;
  Status load(Slot& slot);
  Status rebuild(Slot& slot, std::int64_t from_sequence, std::int64_t to_sequence);
  Result<std::int64_t> decide_pass(Slot& slot, ServiceRunStats& stats);
  Status commit(Slot& slot, std::vector<events::ProposedEvent>& outputs, std::int64_t checkpoint);
  Status committed(Slot& slot, std::int64_t checkpoint);  // counts, kill hook, new checkpoint
  struct SnapshotWrite {
    bool written = false;
    std::string not_written;  // why, when it was due and could not be written
  };
  bool snapshot_due(const Slot& slot) const;
  std::vector<SnapshotWrite> save_snapshots();

  events::EventLog& writer_;
  events::EventLog& reader_;
  const events::SchemaRegistry& registry_;
  SnapshotStore* snapshots_;
  RunnerOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;  // in name order
  std::int64_t commits_ = 0;
  std::int64_t outputs_appended_ = 0;
  bool up_ = false;
  std::map<std::string, std::vector<Output>> caused_;  // answers, by causation_id
};

// Folds from_sequence..to_sequence of `log` into `service` as a rebuild does (service.h): each
// consumed event, then the outputs the log recorded for it; the service's own outputs met at
// their own place are skipped. `folded` (optional) counts the consumed events folded.
// `folded_bytes` (optional) adds the payload bytes folded (consumed events and their outputs).
Status rebuild_service(events::EventLog& log, Service& service, std::int64_t from_sequence,
                       std::int64_t to_sequence, std::int64_t* folded = nullptr,
                       std::int64_t* folded_bytes = nullptr);

// The decision of `service` on `e` for `part`, each output stamped with its envelope identity
// (service.h) and validated against its schemas: what the embedded runner and the Kafka host
// both append. An invalid output is an Error naming the service and the type.
Result<std::vector<events::ProposedEvent>> decide_stamped(const Service& service,
                                                          const events::SchemaRegistry& registry,
                                                          const events::EventView& e,
                                                          simdjson::dom::element payload,
                                                          Part part);

// The answer of a Kafka-mode instance holding `partition` to a command that spans customers and
// names `parts` parts instead of partition.count: service.command_refused, partitions_mismatch.
Result<std::vector<events::ProposedEvent>> refuse_partitions(const Service& service,
                                                             const events::SchemaRegistry& registry,
                                                             const events::EventView& e, int parts,
                                                             Part partition);

// The key an output's event_id is derived from: "<service>/<cause>/<index>", with "p<part>/"
// before the index when the decision was made in parts.
std::string output_id_key(std::string_view service, std::string_view cause_id, Part part,
                          std::size_t index);

// The checkpoint key of a service in the log's source offsets.
std::string checkpoint_source(std::string_view service_name);

// Reads the checkpoint of `service_name` in `log` (0 when it never ran).
Result<std::int64_t> read_checkpoint(events::EventLog& log, std::string_view service_name);

}  // namespace oppgjor::runtime
