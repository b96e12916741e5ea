// The event log: an append-only, hash-chained SQLite table (events/LOG_FORMAT.md).
//
// Ownership: an EventLog owns its SQLite connection. Not thread-safe: one EventLog per thread.
// Several processes may append to the same file; SQLite serialises them (BEGIN IMMEDIATE) and
// every batch re-checks the head, so per-stream versions stay correct.
//
// Guarantees:
//   - a batch is one transaction: all its appended events, its dead letters and its source
//     offsets become durable together, or none of them do (crash at any point is safe);
//   - sequence is gapless from 1; each stream's versions are gapless from 1;
//   - idempotent by event_id: the same id with the same content is a duplicate (no new row), the
//     same id with different content is rejected as id_conflict. The check runs against an
//     in-memory index (id_index.h) loaded the first time this EventLog appends — from the index
//     file beside the log (index_file.h) when it matches the log, then from the narrow,
//     append-only event_index table for the rows after it — and topped up from event_index
//     whenever another writer appended (no random-key B-tree insert per event: see
//     docs/PERFORMANCE.md);
//   - a producer-given stream_version must be exactly current + 1 (stale_version / version_gap);
//   - hash = SHA-256(prev_hash || canonical_record) for every row; verify() recomputes it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "events/clock.h"
#include "events/dead_letter.h"
#include "events/envelope.h"
#include "events/id_index.h"

struct sqlite3;

namespace oppgjor::events {

// synchronous=FULL (default): a committed batch survives power loss. NORMAL: survives a process
// crash, may lose the last batches on power loss (WAL). Either way a crash never corrupts.
enum class Durability { full, normal };

// How long a statement waits for another process's write lock before giving up (then the error
// is "log_busy": another process is writing to the file).
inline constexpr int busy_timeout_ms_default = 10000;
// scan_types() reads the wide table sequentially when at least this share (per cent) of the
// first scan_types_sample rows of the range are of the wanted types, else it looks the rows up
// through the narrow index.
inline constexpr std::int64_t scan_types_sample = 10000;
inline constexpr std::int64_t scan_types_sequential_pct = 40;
// An EventLog that appended writes the index file (index_file.h) as it closes once at least this
// many rows were indexed past the file it read, and at least a sixteenth of the rows that file
// held: a later process then reads at most about that many event_index rows before it appends.
inline constexpr std::int64_t index_file_min_rows_default = 20000;

// The SQLite application_id of an Oppgjør log ("OPGJ"), stamped when a log is created and checked
// on every open (events/LOG_FORMAT.md): a writer never adds its tables to someone else's file.
inline constexpr std::uint32_t log_application_id = 0x4F50474A;

struct LogOptions {
  Durability durability = Durability::full;
  // Opens an existing log for reading only (an auditor's `verify`). A log whose writer died
  // mid-write is recovered first (SQLite rolls back or replays its journal; no committed data
  // changes), which needs write access to the directory.
  bool read_only = false;
  // A dry run (`ingest --dry-run`): appends are checked against the log and against each other
  // but nothing is written, and no file is created or left behind (a missing file is checked as
  // an empty log, in memory). All appends through this log then behave as dry runs.
  bool dry_run = false;
  int busy_timeout_ms = busy_timeout_ms_default;
  // See index_file_min_rows_default; 0 never writes the index file (it is still read).
  std::int64_t index_file_min_rows = index_file_min_rows_default;
  // Test hook for the crash-restart test: the process kills itself (SIGKILL) at this point of
  // creating a log. Never set in production.
  enum class OpenPhase { file_created, wal_enabled };
  std::optional<OpenPhase> test_kill_at = std::nullopt;
};

enum class BatchPolicy {
  per_event,       // intake: rejected events become dead letters, the rest are appended
  all_or_nothing,  // a decider's output: any rejection appends nothing
};

struct AppendOutcome {
  enum class Kind { appended, duplicate, rejected };
  Kind kind = Kind::appended;
  std::int64_t sequence = 0;        // the row's sequence (appended or the existing duplicate)
  std::int64_t stream_version = 0;  // the version assigned (appended) or found (duplicate)
  std::string reason;               // when rejected: a reason:: code
  std::string message;
};

struct BatchResult {
  std::vector<AppendOutcome> outcomes;  // one per proposed event, same order
  std::size_t appended = 0;
  std::size_t duplicates = 0;
  std::size_t rejected = 0;
  bool committed = false;  // false for a dry run or an all_or_nothing batch with a rejection
};

// The position a source (a Kafka topic partition, say) has reached, stored with the batch.
struct SourceOffset {
  std::string source;  // "kafka:bootstrap/topic"
  std::int32_t partition = 0;
  std::int64_t next_offset = 0;
};

struct Head {
  std::int64_t sequence = 0;  // 0 for an empty log
  std::string hash;           // genesis_hash for an empty log
};

struct VerifyReport {
  bool intact = true;
  std::int64_t events_checked = 0;
  std::int64_t first_bad_sequence = 0;  // when !intact
  std::string problem;                  // when !intact: what was found
  Head head;
};

class EventLog {
 public:
  // Opens (creating if needed) the log at `path`. `clock` must outlive the log.
  static Result<std::unique_ptr<EventLog>> open(const std::string& path, Clock& clock,
                                                LogOptions options = {});
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends a batch in one transaction together with `dead_letters` and `offsets`. Events the
  // log itself rejects (stale_version, version_gap, id_conflict) are also written as dead
  // letters from their `original` bytes. With dry_run (or a log opened with LogOptions::dry_run)
  // nothing is written: the batch is checked against the log as it was when the dry run began
  // plus the earlier dry-run batches (REQUIRES: a log that has done a dry-run append does only
  // dry-run appends from then on).
  // An Error means an operating failure (storage): nothing of the batch was written, and the
  // in-memory index forgets it too.
  Result<BatchResult> append(std::span<const ProposedEvent> events, BatchPolicy policy,
                             std::span<const DeadLetter> dead_letters = {},
                             std::span<const SourceOffset> offsets = {}, bool dry_run = false);

  // Stores source offsets alone, in one transaction (a service's checkpoint when it decided
  // nothing new): unlike append(), it never loads the in-memory id index, so it costs the same on
  // a log of any length.
  Status store_offsets(std::span<const SourceOffset> offsets);

  Result<Head> head();
  // Current version of `stream` (0 when it has no events).
  Result<std::int64_t> stream_version(const std::string& stream);
  // The sequence of the event with `event_id` (0 when the log holds none): a probe of the
  // in-memory id index, brought up to the current head first, confirmed against the row (ids may
  // share an index key). The Kafka archiver asks it whether an output's cause is archived.
  Result<std::int64_t> sequence_of(std::string_view event_id);

  // Calls `fn` for every event with from_sequence <= sequence <= until_sequence (0 = no upper
  // bound) in sequence order. Stops early when fn returns false.
  Status scan(std::int64_t from_sequence, std::int64_t until_sequence,
              const std::function<bool(const EventView&)>& fn);
  // Like scan, over the narrow event_index: only sequence, stream, stream_version and type are
  // set in the view (for projections that read no payload; much faster than scan).
  Status scan_headers(std::int64_t from_sequence, std::int64_t until_sequence,
                      const std::function<bool(const EventView&)>& fn);
  // Like scan, for events whose type is one of `types` only (filtered inside SQLite).
  Status scan_types(std::int64_t from_sequence, std::int64_t until_sequence,
                    const std::vector<std::string>& types,
                    const std::function<bool(const EventView&)>& fn);
  // Like scan, for events whose `source` column equals `source` (a service's own outputs,
  // runtime/service.h). Reads the wide table from from_sequence on: meant for a snapshot's tail.
  Status scan_source(std::int64_t from_sequence, std::int64_t until_sequence,
                     const std::string& source, const std::function<bool(const EventView&)>& fn);
  // The file this log lives in (another connection may open it, e.g. a replay thread).
  std::string path() const;
  // Whether a commit that grows the WAL past 1000 pages copies it into the database itself
  // (SQLite's default). Bulk intake turns it off and checkpoints from another thread
  // (BackgroundCheckpointer), so the appending thread never waits for those writes.
  Status set_auto_checkpoint(bool on);
  // The highest sequence whose recorded_at <= `timestamp` (0 if none).
  Result<std::int64_t> sequence_as_of(const std::string& timestamp);
  // Full rows (for `log show` and tests), optionally one stream, in sequence order.
  Result<std::vector<RecordedEvent>> read(std::int64_t from_sequence, std::size_t limit,
                                          const std::string& stream = {});

  // Recomputes the chain from sequence 1.
  Result<VerifyReport> verify();

  Result<std::int64_t> next_offset(const std::string& source, std::int32_t partition);
  Result<std::vector<StoredDeadLetter>> dead_letters(std::size_t limit, std::int64_t after_id = 0);
  Result<std::int64_t> dead_letter_count();

  bool dry_run() const { return dry_run_; }
  // Writes the index file (index_file.h) for the rows indexed so far; the destructor does it
  // when enough rows were indexed past the file read (LogOptions::index_file_min_rows). A
  // failure leaves the older file, or none: the file is a cache.
  Status save_index_file();
  // event_index rows this EventLog has read into its index (the rows after the index file).
  std::int64_t index_rows_read() const { return index_rows_read_; }
  sqlite3* db() { return db_; }  // for tests and benchmarks only
  // Test hook: called inside append() after the batch's rows are written, just before COMMIT.
  void set_before_commit_hook(std::function<void(const BatchResult&)> hook) {
    before_commit_ = std::move(hook);
  }

 private:
  EventLog(sqlite3* db, Clock& clock);
  struct Statements;
  struct DryRow {  // an event a dry run would have appended
    std::string event_id;
    std::int64_t stream_version = 0;
    std::string content_hash;
  };
  static Result<std::unique_ptr<EventLog>> open_dry_run(const std::string& path, Clock& clock,
                                                        const LogOptions& options);
  Status finish_open(const std::string& path);
  Result<BatchResult> append_dry(std::span<const ProposedEvent> events, BatchPolicy policy);
  Status load_dry_snapshot();
  Status rollback_open_batch(Error& cause);  // rolls back; adds a failed rollback to `cause`
  Status prepare();
  Status refresh_head();
  Status load_index();  // event_index rows after indexed_through_ into ids_ / stream_versions_
  // The index file, when it matches the log (index_file.h): indexed_through_ becomes its head.
  Status map_index_file();
  // Current version of `stream`, looked up in the index file when this process has not seen it.
  Result<std::int64_t> current_version(const std::string& stream);
  // The slot of `stream` in streams_ (confirmed against the row it names), or -1.
  Result<std::int64_t> stream_slot(const std::string& stream);
  // The chain hash of row `sequence` ("" when the log has no such row).
  Result<std::string> row_hash(std::int64_t sequence);
  // Whether this log should write the index file as it closes (index_file_min_rows_default).
  bool index_file_due() const;
  // The outcome of appending `e` now, without writing: a duplicate, a rejection, or `appended`
  // with the sequence and version it would take.
  Result<AppendOutcome> check_one(const ProposedEvent& e, std::uint64_t key);
  Result<AppendOutcome> append_one(const ProposedEvent& e);
  void remember(const ProposedEvent& e, std::uint64_t key, const AppendOutcome& out);
  // The recorded event with e.event_id, if any (a duplicate or an id_conflict).
  Result<AppendOutcome> find_same_id(const ProposedEvent& e, std::uint64_t key);
  Status insert_dead_letter(const DeadLetter& d);
  Status store_offset(const SourceOffset& o);
  void undo_batch();  // forget the in-memory effects of a rolled-back batch

  sqlite3* db_;
  Clock& clock_;
  std::unique_ptr<Statements> st_;
  Head head_;
  std::string last_recorded_at_;
  // The in-memory index, complete up to indexed_through_ once loaded (-1: not loaded yet):
  // event ids, and each stream's last event — in streams_ as the index file had them, and in
  // stream_versions_ for every stream this process looked up or indexed since.
  struct StreamAt {
    static constexpr std::int64_t slot_unknown = -2;  // not looked up in streams_
    std::int64_t version = 0;
    std::int64_t sequence = 0;         // of the stream's last event
    std::int64_t slot = slot_unknown;  // its slot in streams_, or -1 for none
  };
  IdIndex ids_;
  StreamIndex streams_;
  std::unordered_map<std::string, StreamAt> stream_versions_;
  std::int64_t indexed_through_ = -1;
  std::string log_path_;
  std::int64_t index_file_min_rows_ = index_file_min_rows_default;
  std::int64_t file_through_ = 0;     // the head of the index file read (0: none)
  std::int64_t index_rows_read_ = 0;  // event_index rows read into the index
  // What the open batch added, to undo on rollback.
  std::vector<std::pair<std::uint64_t, std::int64_t>> batch_ids_;
  // (stream key in stream_versions_, what it was); map nodes never move, so the pointers stay
  // valid until their node is erased, which only undo_batch does, newest first.
  std::vector<std::pair<const std::string*, StreamAt>> batch_versions_;
  std::string record_;             // reused buffer for the canonical record
  std::string batch_recorded_at_;  // recorded_at of every event in the open batch
  std::function<void(const BatchResult&)> before_commit_;
  // Dry runs: the log as read once at the first dry-run append (its head sequence), and the
  // events the dry run would have appended after it (sequence dry_base_ + 1 + index).
  bool dry_run_ = false;
  std::int64_t dry_base_ = -1;
  std::vector<DryRow> dry_rows_;

 public:
  // Calls `fn` with every full row (chain columns included) with from_sequence <= sequence <=
  // until_sequence (0 = no upper bound), in sequence order, as views into SQLite's row (valid
  // during the callback only; nothing is copied). Stops early when fn returns false. For replay,
  // which checks the hash chain as it folds.
  Status scan_rows(std::int64_t from_sequence, std::int64_t until_sequence,
                   const std::function<bool(const RecordView&)>& fn);
};

}  // namespace oppgjor::events
