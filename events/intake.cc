#include "events/intake.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include <sqlite3.h>

namespace oppgjor::events {

BatchDecoder::BatchDecoder(std::shared_ptr<const SchemaRegistry> registry, std::string channel)
    : decoder_(std::move(registry)), channel_(std::move(channel)) {}

void BatchDecoder::add(std::string_view bytes, std::string_view source_ref, DecodedBatch& batch) {
  ++batch.inputs;
  const std::string_view original = batch.originals.emplace_back(bytes);
  const std::string_view ref = batch.refs.emplace_back(source_ref);
  ProposedEvent e;
  DeadLetter d;
  if (decoder_.decode(original, e, d)) {
    e.channel = channel_;
    e.original = original;
    e.source_ref = ref;
    batch.events.push_back(std::move(e));
  } else {
    d.source = channel_;
    d.source_ref = std::string(ref);
    d.original = original;
    batch.dead.push_back(std::move(d));
  }
}

Intake::Intake(EventLog& log, std::shared_ptr<const SchemaRegistry> registry, IntakeOptions options)
    : log_(log), decoder_(std::move(registry), options.channel), options_(std::move(options)) {
  if (options_.kill_after_appended >= 0) {
    log_.set_before_commit_hook([this](const BatchResult& r) {
      if (stats_.appended + static_cast<std::int64_t>(r.appended) > options_.kill_after_appended) {
        std::raise(SIGKILL);  // the crash-restart test: die with the batch written, not committed
      }
    });
  }
}

Status Intake::add(std::string_view bytes, std::string_view source_ref) {
  decoder_.add(bytes, source_ref, pending_);
  if (options_.auto_flush && buffered() >= options_.batch_events) return flush();
  return ok_status();
}

Status Intake::flush(std::span<const SourceOffset> offsets) {
  if (buffered() == 0 && offsets.empty()) return ok_status();
  DecodedBatch batch = std::move(pending_);
  pending_ = DecodedBatch{};
  return append(std::move(batch), offsets);
}

void Intake::list_refusals(const DecodedBatch& batch, const BatchResult& result) {
  std::vector<Refusal> found;
  for (const auto& d : batch.dead) found.push_back({d.source_ref, d.reason, d.field, d.message});
  for (std::size_t i = 0; i < result.outcomes.size(); ++i) {
    const auto& o = result.outcomes[i];
    if (o.kind != AppendOutcome::Kind::rejected) continue;
    found.push_back({std::string(batch.events[i].source_ref), o.reason,
                     o.reason == reason::id_conflict ? "event_id" : "stream_version", o.message});
  }
  // Input order: references of one file differ only in their line number, so a shorter one
  // comes first.
  std::stable_sort(found.begin(), found.end(), [](const Refusal& a, const Refusal& b) {
    if (a.source_ref.size() != b.source_ref.size()) {
      return a.source_ref.size() < b.source_ref.size();
    }
    return a.source_ref < b.source_ref;
  });
  for (auto& r : found) {
    if (stats_.refusals.size() < dry_run_refusals_listed_max) {
      stats_.refusals.push_back(std::move(r));
    } else {
      ++stats_.refusals_unlisted;
    }
  }
}

Status Intake::append(DecodedBatch batch, std::span<const SourceOffset> offsets) {
  auto result = log_.append(batch.events, BatchPolicy::per_event, batch.dead, offsets,
                            options_.dry_run || log_.dry_run());
  if (!result.ok()) return result.error();
  if (result->committed && ++commits_ == options_.kill_after_commits) {
    std::raise(SIGKILL);  // the crash-restart test: die right after a commit
  }
  if (options_.dry_run || log_.dry_run()) list_refusals(batch, *result);
  const std::int64_t before = stats_.inputs;
  stats_.inputs += batch.inputs;
  stats_.appended += static_cast<std::int64_t>(result->appended);
  stats_.duplicates += static_cast<std::int64_t>(result->duplicates);
  stats_.rejected += static_cast<std::int64_t>(result->rejected + batch.dead.size());
  for (const auto& d : batch.dead) ++stats_.rejected_by_reason[d.reason];
  for (const auto& o : result->outcomes) {
    if (o.kind == AppendOutcome::Kind::rejected) ++stats_.rejected_by_reason[o.reason];
  }
  if (options_.progress &&
      before / options_.progress_every != stats_.inputs / options_.progress_every) {
    options_.progress(stats_);
  }
  return ok_status();
}

namespace {

// A bounded hand-over of decoded batches from the reading thread to the appending thread.
class BatchQueue {
 public:
  void push(DecodedBatch b) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return queue_.size() < capacity || cancelled_; });
    if (cancelled_) return;
    queue_.push_back(std::move(b));
    ready_.notify_one();
  }
  std::optional<DecodedBatch> pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return std::nullopt;
    DecodedBatch b = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return b;
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    room_.notify_all();
  }
  bool cancelled() {
    std::lock_guard lock(mu_);
    return cancelled_;
  }

 private:
  static constexpr std::size_t capacity = 2;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<DecodedBatch> queue_;
  bool closed_ = false;
  bool cancelled_ = false;
};

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// The reading and decoding side; returns an io Error if the file cannot be read.
Status read_and_decode(const std::string& path, std::shared_ptr<const SchemaRegistry> registry,
                       const IntakeOptions& options, BatchQueue& queue) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("io_error", "", "cannot open " + path);
  BatchDecoder decoder(std::move(registry), options.channel);
  DecodedBatch batch;
  std::string line;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A UTF-8 byte order mark (editors on Windows write one) is not part of the first event.
    if (line_no == 1 && line.starts_with(utf8_bom)) line.erase(0, utf8_bom.size());
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    decoder.add(line, path + ":" + std::to_string(line_no), batch);
    if (batch.size() >= options.batch_events) {
      queue.push(std::move(batch));
      batch = DecodedBatch{};
      if (queue.cancelled()) return ok_status();
    }
  }
  if (in.bad()) return make_error("io_error", "", "read error in " + path);
  if (batch.size() > 0) queue.push(std::move(batch));
  return ok_status();
}

// Copies committed WAL frames into the database from its own connection and thread, woken after
// every commit (counted, never timed), so the appending thread does not do that I/O itself.
class BackgroundCheckpointer {
 public:
  explicit BackgroundCheckpointer(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return;
    }
    if (sqlite3_busy_timeout(db_, busy_timeout_ms_default) != SQLITE_OK) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return;  // not running: the log checkpoints by itself
    }
    thread_ = std::thread([this] { run(); });
  }
  ~BackgroundCheckpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }
  bool running() const { return db_ != nullptr; }
  void poke() {
    {
      std::lock_guard lock(mu_);
      ++pokes_;
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [&] { return stop_ || pokes_ != seen; });
        if (stop_) return;
        seen = pokes_;
      }
      // PASSIVE never blocks the writer; frames it cannot copy yet are copied next time. A
      // failure loses nothing (the frames stay in the WAL, readers see them there): say so once.
      const int rc =
          sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY && !warned_) {
        warned_ = true;
        std::fprintf(stderr, "oppgjor: background checkpoint: %s (retried after the next batch)\n",
                     sqlite3_errmsg(db_));
      }
    }
  }
  sqlite3* db_ = nullptr;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::uint64_t pokes_ = 0;
  bool stop_ = false;
  bool warned_ = false;
};

}  // namespace

Status check_input_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return make_error("io_error", "", "cannot read " + path + ": no such file");
  }
  if (std::filesystem::is_directory(status)) {
    return make_error("io_error", "", "cannot read " + path + ": it is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error("io_error", "", "cannot read " + path + ": " + std::strerror(errno));
  }
  return ok_status();
}

Result<IntakeStats> ingest_file(const std::string& path, EventLog& log,
                                std::shared_ptr<const SchemaRegistry> registry,
                                const IntakeOptions& options) {
  if (auto st = check_input_file(path); !st.ok()) return st.error();
  Intake intake(log, registry, options);
  BatchQueue queue;
  Status read_status = ok_status();
  std::thread reader([&] {
    read_status = read_and_decode(path, registry, options, queue);
    queue.close();
  });
  // A dry run writes nothing, so there is nothing to checkpoint.
  const bool checkpoint = !options.dry_run && !log.dry_run();
  std::optional<BackgroundCheckpointer> checkpointer;
  if (checkpoint) checkpointer.emplace(log.path());
  const bool background = checkpointer && checkpointer->running();
  if (background) {
    if (auto st = log.set_auto_checkpoint(false); !st.ok()) {
      queue.cancel();
      while (queue.pop()) {
      }
      reader.join();
      return st.error();
    }
  }
  Status append_status = ok_status();
  while (auto batch = queue.pop()) {
    append_status = intake.append(std::move(*batch));
    if (background) checkpointer->poke();
    if (!append_status.ok()) {
      queue.cancel();  // stop the reader; what was appended so far is committed
      while (queue.pop()) {
      }
      break;
    }
  }
  reader.join();
  if (background) {
    // Back to SQLite's own checkpoints for whoever uses the log next; a failure here loses
    // nothing, but the run should not pass silently.
    if (auto st = log.set_auto_checkpoint(true); !st.ok() && append_status.ok()) {
      append_status = st;
    }
  }
  if (!append_status.ok()) return append_status.error();
  if (!read_status.ok()) return read_status.error();
  return intake.stats();
}

}  // namespace oppgjor::events
