// SnapshotStore: each service's saved state with the sequence it reflects, beside the log
// ("<log>.snapshots" by default). Disposable: deleting it only makes the next start rebuild from
// the log.
//
// Layout: "<path>" is a small SQLite file with one row per service (state version, sequence, log
// hash, checksum, size and the name of the state file); the states themselves are plain files in
// "<path>.d/", named "<service>.<first 16 hex digits of their checksum>" (state_checksum). A state
// of hundreds of MiB is written once, straight from memory (write(2), then rename), and read back
// the same way, instead of being copied into SQLite's pages, its WAL and then the database file:
// that was about a sixth of an invoice run's CPU (docs/PERFORMANCE.md). A put writes the new file,
// then commits the row that names it, then removes the service's other files; a crash in between
// leaves the older row with its own file, or a file no row names, which the next put removes.
//
// A snapshot is trusted only when all of these hold (otherwise the runner rebuilds and says why):
//   - its state_version equals the running build's (format and rule data);
//   - the log's event at its sequence has the chain hash recorded with it (the same log, not a
//     restored backup or another file at the same path);
//   - its sequence is not past the service's checkpoint in the log;
//   - its state file is there, has the size recorded, and the checksum of its bytes matches (a
//     torn, missing or edited file).
// A store written by an older layout (the state as a BLOB in the row, one SHA-256 over the state
// where now its blocks are hashed, or SHA-256 where now XXH3) is emptied on open: its services
// rebuild once. Not thread-safe; one store per process.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "services/runtime/snapshot_sink.h"

struct sqlite3;

namespace oppgjor::runtime {

// A state file's bytes, mapped read-only and shared by whoever keeps views into them (a service
// may keep parts of its state there instead of copying them: Service::load_image). State files
// are never written in place (a put writes a new file and renames it), so the bytes stay as
// they were checked, also after a later put removes the file.
class StateImage {
 public:
  StateImage(void* data, std::size_t size) : data_(data), size_(size) {}
  ~StateImage();
  StateImage(const StateImage&) = delete;
  StateImage& operator=(const StateImage&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_;  // null when empty
  std::size_t size_;
};

struct Snapshot {
  std::string service;
  std::string state_version;
  std::int64_t sequence = 0;
  std::string log_hash;  // chain hash of the log's event at `sequence` (genesis for 0)
  std::string state;     // Service::save(): what put() stores
  // What get() read: the state file, mapped (then `state` is empty).
  std::shared_ptr<const StateImage> image;

  // The state's bytes: the image's when there is one, else `state`.
  std::string_view bytes() const { return image ? image->bytes() : std::string_view(state); }
};

class SnapshotStore {
 public:
  static Result<std::unique_ptr<SnapshotStore>> open(const std::string& path);
  ~SnapshotStore();
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // The snapshot of `service`, if any. An Error only for storage failure or a state file that
  // is missing, of another size or does not match its checksum (code snapshot_corrupt), which
  // the runner treats as "rebuild".
  Result<std::optional<Snapshot>> get(const std::string& service);
  // Replaces the snapshot of s.service (write_state, then record).
  Status put(const Snapshot& s);

  // A state written to its file and not yet recorded.
  struct StateFile {
    std::string file;      // name in state_dir()
    std::string checksum;  // state_checksum() of its bytes
    std::int64_t bytes = 0;
  };
  // Writes a state file for `service` from the bytes `produce` hands to its sink, hashing them as
  // they pass. Touches only that file: it may run on another thread than this store's other
  // calls, for one service at a time (the runner writes two services' states at once).
  Result<StateFile> write_state(const std::string& service,
                                const std::function<void(SnapshotSink&)>& produce) const;
  // Makes `file` (write_state's, for s.service) the snapshot of s.service with s's sequence, log
  // hash and state version (s.state is not read), and removes the service's other files.
  Status record(const Snapshot& s, const StateFile& file);
  Status remove(const std::string& service);
  // Size of the stored state of `service` in bytes (0 when none).
  Result<std::int64_t> size(const std::string& service);
  // The directory holding the state files ("<path>.d").
  const std::string& state_dir() const { return dir_; }

 private:
  SnapshotStore(sqlite3* db, std::string dir) : db_(db), dir_(std::move(dir)) {}
  sqlite3* db_;
  std::string dir_;
};

// "<log path>.snapshots"
std::string default_snapshot_path(const std::string& log_path);

// The checksum a state is recorded and checked with (32 hex digits): XXH3-128 over the XXH3-128
// digests (canonical form, big-endian) of its consecutive 16 MiB blocks (the last one shorter;
// none for an empty state), so a state of hundreds of MiB is checked on two threads. A checksum
// against a torn or damaged file, read at every start: XXH3 reads ~10× faster than SHA-256 here
// (docs/PERFORMANCE.md). The first 16 digits name its file.
std::string state_checksum(std::string_view state);

}  // namespace oppgjor::runtime
