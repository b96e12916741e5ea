// SnapshotSink: where a service's snapshot goes, a piece at a time (Service::save_to). A large
// state (the ledger's or invoicing's after an invoice run: tens to hundreds of MiB) is then never
// one string in memory: it is written through a buffer of about a MiB that is reused, straight to
// its file, and hashed as it passes (SnapshotStore::write_state). Building it whole first cost
// that size again in fresh pages, zeroed by the kernel, and a copy.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace oppgjor::runtime {

class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  // The next bytes of the snapshot. A sink that fails (a full disk) remembers it and ignores the
  // rest; its owner reports it.
  virtual void write(std::string_view bytes) = 0;
};

// Collects the snapshot in one string (Service::save, tests).
class StringSnapshotSink final : public SnapshotSink {
 public:
  void write(std::string_view bytes) override { out.append(bytes); }
  std::string out;
};

// What state.save_to() writes, as one string: a service's save() when it implements save_to.
template <class State>
std::string saved_whole(const State& state) {
  StringSnapshotSink sink;
  state.save_to(sink);
  return std::move(sink.out);
}

// A text buffer a writer appends to (CanonicalWriter keeps its own state, not the text's), handed
// to the sink whenever it holds `chunk` bytes or more (at a point the writer chooses: between
// records) and when the writer is done.
class SnapshotChunks {
 public:
  static constexpr std::size_t default_chunk = std::size_t{1} << 20;
  explicit SnapshotChunks(SnapshotSink& sink, std::size_t chunk = default_chunk)
      : sink_(sink), chunk_(chunk) {
    text_.reserve(chunk + chunk / 4);
  }
  SnapshotChunks(const SnapshotChunks&) = delete;
  SnapshotChunks& operator=(const SnapshotChunks&) = delete;
  std::string& text() { return text_; }
  void maybe_flush() {
    if (text_.size() >= chunk_) flush();
  }
  void flush() {
    if (text_.empty()) return;
    sink_.write(text_);
    text_.clear();  // keeps the capacity: the same pages for the whole snapshot
  }

 private:
  SnapshotSink& sink_;
  std::size_t chunk_;
  std::string text_;
};

}  // namespace oppgjor::runtime
