// SnapshotStore: each service's saved state with the sequence it reflects, in a SQLite file
// beside the log ("<log>.snapshots" by default). Disposable: deleting it only makes the next
// start rebuild from the log.
//
// A snapshot is trusted only when all of these hold (otherwise the runner rebuilds and says why):
//   - its state_version equals the running build's (format and rule data);
//   - the log's event at its sequence has the chain hash recorded with it (the same log, not a
//     restored backup or another file at the same path);
//   - its sequence is not past the service's checkpoint in the log;
//   - the SHA-256 of its bytes matches (a torn or edited file).
// Not thread-safe; one store per process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"

struct sqlite3;

namespace oppgjor::runtime {

struct Snapshot {
  std::string service;
  std::string state_version;
  std::int64_t sequence = 0;
  std::string log_hash;  // chain hash of the log's event at `sequence` (genesis for 0)
  std::string state;     // Service::save()
};

class SnapshotStore {
 public:
  static Result<std::unique_ptr<SnapshotStore>> open(const std::string& path);
  ~SnapshotStore();
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // The snapshot of `service`, if any. An Error only for storage failure or a checksum mismatch
  // (code snapshot_corrupt), which the runner treats as "rebuild".
  Result<std::optional<Snapshot>> get(const std::string& service);
  // Replaces the snapshot of s.service (one transaction).
  Status put(const Snapshot& s);
  // The same with the SHA-256 (hex) of s.state already computed (by the caller, e.g. on another
  // thread): REQUIRES state_sha256 == sha256_hex(s.state).
  Status put(const Snapshot& s, const std::string& state_sha256);
  Status remove(const std::string& service);
  // Size of the stored state of `service` in bytes (0 when none).
  Result<std::int64_t> size(const std::string& service);

 private:
  explicit SnapshotStore(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// "<log path>.snapshots"
std::string default_snapshot_path(const std::string& log_path);

}  // namespace oppgjor::runtime
