#include "services/runtime/snapshot_store.h"

#include <sqlite3.h>

#include "events/sha256.h"
#include "events/sqlite_util.h"

namespace oppgjor::runtime {

using events::exec;
using events::sqlite_error;
using events::Stmt;

namespace {

// A distinct application_id so a snapshot file is never mistaken for a log or a replay store.
constexpr int snapshot_application_id = 0x4f50534e;  // "OPSN"
constexpr int busy_timeout_ms = 10000;

constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS snapshots(
  service        TEXT PRIMARY KEY,
  state_version  TEXT NOT NULL,
  sequence       INTEGER NOT NULL,
  log_hash       TEXT NOT NULL,
  state_sha256   TEXT NOT NULL,
  state          BLOB NOT NULL
) STRICT;
)sql";

}  // namespace

std::string default_snapshot_path(const std::string& log_path) {
  return log_path + ".snapshots";
}

Result<std::unique_ptr<SnapshotStore>> SnapshotStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Error e = sqlite_error(db, "open snapshot store " + path);
    sqlite3_close_v2(db);
    return e;
  }
  std::unique_ptr<SnapshotStore> store(new SnapshotStore(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  auto id = Stmt::prepare(db, "PRAGMA application_id");
  if (!id.ok()) return id.error();
  if (id->step() != SQLITE_ROW) return sqlite_error(db, "read application_id");
  const std::int64_t app_id = id->int_col(0);
  id->reset();
  if (app_id != 0 && app_id != snapshot_application_id) {
    return make_error("not_a_snapshot_store", "--snapshots",
                      path + " is another kind of SQLite file; refusing to write to it");
  }
  if (auto st = exec(db, "PRAGMA journal_mode=WAL"); !st.ok()) return st.error();
  // The store is disposable (a snapshot is a cache of the log's fold): synchronous=NORMAL, no
  // fsync per commit. In WAL mode that never corrupts the file; a power loss may lose the last
  // snapshots written, and a start then resumes from an older one (or from sequence 1) and folds
  // the tail. The log itself, written before any snapshot of it, keeps its full durability.
  if (auto st = exec(db, "PRAGMA synchronous=NORMAL"); !st.ok()) return st.error();
  if (auto st = exec(db, schema_sql); !st.ok()) return st.error();
  if (app_id == 0) {
    const std::string pragma = "PRAGMA application_id=" + std::to_string(snapshot_application_id);
    if (auto st = exec(db, pragma.c_str()); !st.ok()) return st.error();
  }
  return store;
}

SnapshotStore::~SnapshotStore() {
  sqlite3_close_v2(db_);
}

Result<std::optional<Snapshot>> SnapshotStore::get(const std::string& service) {
  auto s = Stmt::prepare(db_,
                         "SELECT state_version, sequence, log_hash, state_sha256, state "
                         "FROM snapshots WHERE service = ?");
  if (!s.ok()) return s.error();
  s->bind(1, service);
  const int rc = s->step();
  if (rc == SQLITE_DONE) return std::optional<Snapshot>{};
  if (rc != SQLITE_ROW) return sqlite_error(db_, "read snapshot");
  Snapshot snap;
  snap.service = service;
  snap.state_version = std::string(s->text_col(0));
  snap.sequence = s->int_col(1);
  snap.log_hash = std::string(s->text_col(2));
  const std::string sha(s->text_col(3));
  const auto* blob = static_cast<const char*>(sqlite3_column_blob(s->get(), 4));
  snap.state.assign(blob == nullptr ? "" : blob,
                    static_cast<std::size_t>(sqlite3_column_bytes(s->get(), 4)));
  if (events::sha256_hex(snap.state) != sha) {
    return make_error("snapshot_corrupt", "state",
                      "the snapshot of " + service + " does not match its checksum");
  }
  return std::optional<Snapshot>(std::move(snap));
}

Status SnapshotStore::put(const Snapshot& snap) {
  return put(snap, events::sha256_hex(snap.state));
}

Status SnapshotStore::put(const Snapshot& snap, const std::string& state_sha256) {
  auto s = Stmt::prepare(db_,
                         "INSERT INTO snapshots(service, state_version, sequence, log_hash, "
                         "state_sha256, state) VALUES(?,?,?,?,?,?) ON CONFLICT(service) DO "
                         "UPDATE SET state_version=excluded.state_version, "
                         "sequence=excluded.sequence, log_hash=excluded.log_hash, "
                         "state_sha256=excluded.state_sha256, state=excluded.state");
  if (!s.ok()) return s.error();
  s->bind(1, snap.service);
  s->bind(2, snap.state_version);
  s->bind(3, snap.sequence);
  s->bind(4, snap.log_hash);
  s->bind(5, state_sha256);
  s->bind_blob_static(6, snap.state);  // not copied: snap outlives the statement
  if (s->step() != SQLITE_DONE) return sqlite_error(db_, "write snapshot");
  return ok_status();
}

Status SnapshotStore::remove(const std::string& service) {
  auto s = Stmt::prepare(db_, "DELETE FROM snapshots WHERE service = ?");
  if (!s.ok()) return s.error();
  s->bind(1, service);
  if (s->step() != SQLITE_DONE) return sqlite_error(db_, "remove snapshot");
  return ok_status();
}

Result<std::int64_t> SnapshotStore::size(const std::string& service) {
  auto s = Stmt::prepare(db_, "SELECT length(state) FROM snapshots WHERE service = ?");
  if (!s.ok()) return s.error();
  s->bind(1, service);
  const int rc = s->step();
  if (rc == SQLITE_DONE) return std::int64_t{0};
  if (rc != SQLITE_ROW) return sqlite_error(db_, "snapshot size");
  return s->int_col(0);
}

}  // namespace oppgjor::runtime
