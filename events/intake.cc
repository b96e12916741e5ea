#include "events/intake.h"

#include <condition_variable>
#include <csignal>
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

Status Intake::append(DecodedBatch batch, std::span<const SourceOffset> offsets) {
  auto result =
      log_.append(batch.events, BatchPolicy::per_event, batch.dead, offsets, options_.dry_run);
  if (!result.ok()) return result.error();
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
    sqlite3_busy_timeout(db_, 10000);
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
      // PASSIVE never blocks the writer; frames it cannot copy yet are copied next time.
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
  }
  sqlite3* db_ = nullptr;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::uint64_t pokes_ = 0;
  bool stop_ = false;
};

}  // namespace

Result<IntakeStats> ingest_file(const std::string& path, EventLog& log,
                                std::shared_ptr<const SchemaRegistry> registry,
                                const IntakeOptions& options) {
  if (!std::ifstream(path, std::ios::binary))
    return make_error("io_error", "", "cannot open " + path);
  Intake intake(log, registry, options);
  BatchQueue queue;
  Status read_status = ok_status();
  std::thread reader([&] {
    read_status = read_and_decode(path, registry, options, queue);
    queue.close();
  });
  BackgroundCheckpointer checkpointer(log.path());
  if (checkpointer.running()) (void)log.set_auto_checkpoint(false);
  Status append_status = ok_status();
  while (auto batch = queue.pop()) {
    append_status = intake.append(std::move(*batch));
    checkpointer.poke();
    if (!append_status.ok()) {
      queue.cancel();  // stop the reader; what was appended so far is committed
      while (queue.pop()) {
      }
      break;
    }
  }
  reader.join();
  if (checkpointer.running()) (void)log.set_auto_checkpoint(true);
  if (!append_status.ok()) return append_status.error();
  if (!read_status.ok()) return read_status.error();
  return intake.stats();
}

}  // namespace oppgjor::events
