// Intake: decode → validate → dedupe → append, in batches, with rejected inputs going to the
// dead-letter store together with the batch (one transaction). Used by the file intake here
// and by the Kafka archiver (kafka/intake.h).
//
// Crash safety: a batch is one transaction, so a crash loses at most the uncommitted batch, and
// re-running the same input appends exactly the events that are missing (idempotent by
// event_id; dead letters are stored once per original bytes and reason).
//
// File intake runs two threads: one reads and decodes the next batch while the other appends
// the previous one (decoding is about a third of the work per event; the machine has 2 cores).
// The log still sees batches in file order, so the result is the same as with one thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/decoder.h"
#include "events/event_log.h"

namespace oppgjor::events {

inline constexpr std::size_t intake_batch_events_default = 5000;
// A dry run lists each refused input; past this many it only counts them (memory stays bounded).
inline constexpr std::size_t dry_run_refusals_listed_max = 10000;

// One refused input, as a dry run lists it.
struct Refusal {
  std::string source_ref;  // "upload.jsonl:17", "billing/2@1234"
  std::string reason;      // a reason:: code
  std::string field;       // JSON pointer or envelope field, "" when not about one
  std::string message;     // masked (never a full personal identifier)
};

struct IntakeStats {
  std::int64_t inputs = 0;  // non-blank lines / messages seen
  std::int64_t appended = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> rejected_by_reason;  // sorted: stable output
  // Dry runs only: the refused inputs in input order (the first dry_run_refusals_listed_max),
  // and how many more there were.
  std::vector<Refusal> refusals;
  std::int64_t refusals_unlisted = 0;
  // Set when the run stopped on request (should_stop) before its input was used up.
  bool interrupted = false;
};

struct IntakeOptions {
  std::size_t batch_events = intake_batch_events_default;
  bool dry_run = false;
  std::string channel = "file";
  // Called after a batch that takes the input count past a multiple of `progress_every`
  // (counted, never timed: deterministic).
  std::function<void(const IntakeStats&)> progress;
  std::int64_t progress_every = 100000;
  // Test hooks for the crash-restart test (never set in production; no environment involved):
  // when >= 0, the process kills itself (SIGKILL) in the middle of the first batch that would
  // take the appended count past this number, after its events were written but before its
  // commit ...
  std::int64_t kill_after_appended = -1;
  // ... or right after this many batches have committed (before the WAL is checkpointed).
  std::int64_t kill_after_commits = -1;
  // When false, add() never appends by itself: the caller flushes (Kafka intake does, so it can
  // store partition offsets with each batch).
  bool auto_flush = true;
};

// Inputs decoded and waiting to be appended. Owns the bytes its events and dead letters view.
struct DecodedBatch {
  std::deque<std::string> originals;  // a deque: growing it never moves earlier strings
  std::deque<std::string> refs;
  std::vector<ProposedEvent> events;
  std::vector<DeadLetter> dead;
  std::int64_t inputs = 0;
  std::size_t size() const { return events.size() + dead.size(); }
};

// Decodes inputs into a DecodedBatch. Not thread-safe; one per thread.
class BatchDecoder {
 public:
  BatchDecoder(std::shared_ptr<const SchemaRegistry> registry, std::string channel);
  void add(std::string_view bytes, std::string_view source_ref, DecodedBatch& batch);

 private:
  Decoder decoder_;
  std::string channel_;
};

class Intake {
 public:
  Intake(EventLog& log, std::shared_ptr<const SchemaRegistry> registry, IntakeOptions options);

  // Takes one input (a JSONL line, a Kafka message value); appends when the batch is full.
  Status add(std::string_view bytes, std::string_view source_ref);
  // Appends what is buffered, storing `offsets` in the same transaction.
  Status flush(std::span<const SourceOffset> offsets = {});
  // Appends a batch decoded elsewhere (the file pipeline's decoder thread).
  Status append(DecodedBatch batch, std::span<const SourceOffset> offsets = {});
  std::size_t buffered() const { return pending_.size(); }
  std::size_t batch_events() const { return options_.batch_events; }
  const IntakeStats& stats() const { return stats_; }
  void mark_interrupted() { stats_.interrupted = true; }

 private:
  void list_refusals(const DecodedBatch& batch, const BatchResult& result);

  EventLog& log_;
  BatchDecoder decoder_;
  IntakeOptions options_;
  IntakeStats stats_;
  DecodedBatch pending_;
  std::int64_t commits_ = 0;
};

// Checks that `path` can be read as an input file: an io_error saying why not ("no such file",
// "is a directory", "permission denied").
Status check_input_file(const std::string& path);

// Reads `path` line by line (JSON Lines; blank lines skipped, a trailing \r removed, a UTF-8 byte
// order mark at the start of the file skipped) into `log`. An io_error names a file that is
// missing, unreadable or a directory.
Result<IntakeStats> ingest_file(const std::string& path, EventLog& log,
                                std::shared_ptr<const SchemaRegistry> registry,
                                const IntakeOptions& options);

}  // namespace oppgjor::events
