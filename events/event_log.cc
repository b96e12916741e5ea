#include "events/event_log.h"

#include "common/assert.h"

#include <sqlite3.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "events/canonical_json.h"
#include "events/index_file.h"
#include "events/sha256.h"
#include "events/sqlite_util.h"

namespace oppgjor::events {

namespace {

constexpr int log_format_version = 1;

// 16 KiB pages: an event row is ~1 KiB, so appends split and write pages far less often (only
// takes effect when the file is created).
constexpr const char* page_size_pragma = "PRAGMA page_size=16384";
// 16 MiB page cache (negative: KiB): a batch's pages (5,000 events of about a KiB, with their
// index rows) stay in memory until the commit writes them once. It was 64 MiB: every connection
// that wrote or read tens of MiB grew its cache to that size in fresh memory, about 100 MiB more
// peak in an invoice run, for no measurable speed (docs/PERFORMANCE.md, 2026-12-03, ninth session).
constexpr const char* cache_size_pragma = "PRAGMA cache_size=-16384";
// Pages in the WAL after which a commit copies it into the database (SQLite's default).
constexpr int wal_autocheckpoint_pages = 1000;

// The schema is documented in events/LOG_FORMAT.md; keep the two in step. The transaction is
// committed by create_schema() after the format marker and the application_id, so a file has
// all of them or none.
constexpr const char* schema_sql = R"sql(
BEGIN;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS events(
  sequence       INTEGER PRIMARY KEY,
  stream         TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  event_id       TEXT NOT NULL,
  type           TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  occurred_at    TEXT NOT NULL,
  recorded_at    TEXT NOT NULL,
  source         TEXT NOT NULL,
  causation_id   TEXT,
  correlation_id TEXT,
  actor          TEXT,
  payload        TEXT NOT NULL,
  content_hash   TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS event_index(
  sequence       INTEGER PRIMARY KEY,
  id_key         INTEGER NOT NULL,
  stream         TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  type           TEXT NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS event_index_no_update BEFORE UPDATE ON event_index
  BEGIN SELECT RAISE(ABORT, 'event_index is append-only'); END;
CREATE TRIGGER IF NOT EXISTS event_index_no_delete BEFORE DELETE ON event_index
  BEGIN SELECT RAISE(ABORT, 'event_index is append-only'); END;
CREATE TABLE IF NOT EXISTS dead_letters(
  id              INTEGER PRIMARY KEY,
  received_at     TEXT NOT NULL,
  source          TEXT NOT NULL,
  source_ref      TEXT NOT NULL,
  reason          TEXT NOT NULL,
  field           TEXT NOT NULL,
  message         TEXT NOT NULL,
  event_id        TEXT,
  original        BLOB NOT NULL,
  original_sha256 TEXT NOT NULL,
  UNIQUE(original_sha256, reason)
) STRICT;
CREATE TABLE IF NOT EXISTS source_offsets(
  source      TEXT NOT NULL,
  partition   INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY(source, partition)
) STRICT;
)sql";

}  // namespace

struct EventLog::Statements {
  Stmt begin, commit, rollback;
  Stmt insert_event, insert_index, row_by_sequence, load_index, head, stream_at, hash_at;
  Stmt insert_dead_letter, upsert_offset, get_offset;
};

EventLog::EventLog(sqlite3* db, Clock& clock) : db_(db), clock_(clock) {}

EventLog::~EventLog() {
  if (st_ && index_file_due()) (void)save_index_file();  // a cache: a failure leaves the older
  st_.reset();
  // close_v2 only fails for a bad handle; statements are finalised above.
  (void)sqlite3_close_v2(db_);
}

namespace {

// What a file is, before anything is written to it.
enum class FileKind { new_file, oppgjor_log, legacy_log };

// Whether the last error on `db` says the file needs recovery that a read-only connection
// cannot do (a hot rollback journal, or a WAL index to rebuild, left by a writer that died).
bool needs_recovery(sqlite3* db) {
  const int rc = sqlite3_extended_errcode(db);
  return rc == SQLITE_READONLY_ROLLBACK || rc == SQLITE_READONLY_RECOVERY ||
         rc == SQLITE_READONLY_CANTINIT || rc == SQLITE_READONLY_CANTLOCK || rc == SQLITE_READONLY;
}

// Whether `db` may be written as an Oppgjør log: an empty database, a log stamped with our
// application_id, or a log from before the stamp (an events table and the meta format marker).
Result<FileKind> classify(sqlite3* db, const std::string& path) {
  // The first read of the file: where a file left mid-write by a dead writer shows.
  auto id = Stmt::prepare(db, "PRAGMA application_id");
  const bool read = id.ok() && id->step() == SQLITE_ROW;
  if (!read && needs_recovery(db)) {
    return make_error("needs_recovery", "", path + " needs recovery: " + sqlite3_errmsg(db));
  }
  if (!id.ok()) {
    return make_error("not_a_log", "",
                      path + " is not an Oppgjør event log (" + id.error().message + ")");
  }
  if (!read) {
    Error e = sqlite_error(db, "read the header of " + path);
    if (e.code == "log_busy") return e;
    return make_error("not_a_log", "", path + " is not an Oppgjør event log (" + e.message + ")");
  }
  const auto app = static_cast<std::uint32_t>(id->int_col(0));
  if (app == log_application_id) return FileKind::oppgjor_log;
  if (app != 0) {
    char ids[64];
    std::snprintf(ids, sizeof ids, "0x%08x, an Oppgjør log's is 0x%08x", app, log_application_id);
    return make_error("not_a_log", "",
                      path + " is not an Oppgjør event log (its application_id is " + ids +
                          "); refusing to use it");
  }
  auto objects = Stmt::prepare(db,
                               "SELECT count(*), "
                               "coalesce(sum(type='table' AND name IN ('events','meta')),0) "
                               "FROM sqlite_master");
  if (!objects.ok()) return objects.error();
  if (objects->step() != SQLITE_ROW) return sqlite_error(db, "read the schema of " + path);
  if (objects->int_col(0) == 0) return FileKind::new_file;
  if (objects->int_col(1) == 2) {
    auto marker = Stmt::prepare(db, "SELECT 1 FROM meta WHERE key='log_format_version'");
    if (marker.ok() && marker->step() == SQLITE_ROW) return FileKind::legacy_log;
  }
  return make_error("not_a_log", "",
                    path +
                        " is not an Oppgjør event log (it is another SQLite database); "
                        "refusing to use it");
}

// Lets SQLite recover `path` the way the dead writer's next open would have: a read-write
// connection (never creating the file) reads the schema, which rolls back a hot journal or
// rebuilds the WAL index; closing it checkpoints. Only committed transactions survive, exactly
// as for any writer.
Status recover(const std::string& path, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  Status st = ok_status();
  if (rc != SQLITE_OK) {
    st = sqlite_error(db, "recover " + path);
  } else if (sqlite3_busy_timeout(db, busy_timeout_ms) != SQLITE_OK) {
    st = sqlite_error(db, "set busy timeout");
  } else {
    st = exec(db, "SELECT count(*) FROM sqlite_master");
  }
  if (sqlite3_close_v2(db) != SQLITE_OK && st.ok()) st = sqlite_error(db, "close " + path);
  if (!st.ok()) {
    return make_error("needs_recovery", "",
                      path +
                          " was left mid-write by a process that stopped, and recovering it "
                          "needs write access to the file and its directory (" +
                          st.error().message + ")");
  }
  return ok_status();
}

Result<sqlite3*> open_connection(const std::string& path, int flags, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    Error e = sqlite_error(db, "open " + path);
    sqlite3_close_v2(db);
    return e;
  }
  if (sqlite3_busy_timeout(db, busy_timeout_ms) != SQLITE_OK) {
    Error e = sqlite_error(db, "set busy timeout");
    sqlite3_close_v2(db);
    return e;
  }
  return db;
}

// Creates the schema (idempotent) and the format marker; stamps the application_id on a new
// file or a log from before the stamp.
Status create_schema(sqlite3* db, FileKind kind) {
  char tail[256];
  std::snprintf(
      tail, sizeof tail,
      "INSERT OR IGNORE INTO meta VALUES('log_format_version','%d'),"
      "('oldest_reader_version','%d');"
      "%s%u;"
      "COMMIT;",
      log_format_version, log_format_version,
      // A stamped log is left as it is: rewriting page 1 would cost a WAL frame.
      kind == FileKind::oppgjor_log ? "SELECT " : "PRAGMA application_id=", log_application_id);
  const std::string sql = std::string(schema_sql) + tail;
  if (auto st = exec(db, sql.c_str()); !st.ok()) {
    if (sqlite3_get_autocommit(db) == 0) (void)exec(db, "ROLLBACK");  // the first error stands
    return st;
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<EventLog>> EventLog::open(const std::string& path, Clock& clock,
                                                 LogOptions options) {
  if (options.dry_run) return open_dry_run(path, clock, options);
  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  auto db = open_connection(path, flags, options.busy_timeout_ms);
  if (!db.ok()) return db.error();
  std::unique_ptr<EventLog> log(new EventLog(*db, clock));
  auto kind = classify(*db, path);
  if (!kind.ok() && options.read_only && kind.error().code == "needs_recovery") {
    // A writer died mid-write: recover like its next open would, then read (an auditor must be
    // able to verify a log whose writer died at any moment).
    log.reset();
    if (auto st = recover(path, options.busy_timeout_ms); !st.ok()) return st.error();
    db = open_connection(path, flags, options.busy_timeout_ms);
    if (!db.ok()) return db.error();
    log.reset(new EventLog(*db, clock));
    kind = classify(*db, path);
  }
  if (!kind.ok()) return kind.error();
  if (options.read_only) {
    if (*kind == FileKind::new_file) {
      // The schema is created in one transaction, so a file has all of it or none of it (a
      // writer killed right after creating the file leaves none).
      return make_error("not_a_log", "", path + " holds no event log (no events table)");
    }
  } else {
    const auto kill_at = [&](LogOptions::OpenPhase phase) {
      if (options.test_kill_at == phase) std::raise(SIGKILL);
    };
    kill_at(LogOptions::OpenPhase::file_created);
    // Nothing is written before classify() said the file is ours (or new).
    if (auto st = exec(*db, page_size_pragma); !st.ok()) return st.error();
    if (auto st = exec(*db, "PRAGMA journal_mode=WAL"); !st.ok()) return st.error();
    kill_at(LogOptions::OpenPhase::wal_enabled);
    const char* sync = options.durability == Durability::full ? "PRAGMA synchronous=FULL"
                                                              : "PRAGMA synchronous=NORMAL";
    if (auto st = exec(*db, sync); !st.ok()) return st.error();
    if (auto st = exec(*db, cache_size_pragma); !st.ok()) return st.error();
    if (auto st = create_schema(*db, *kind); !st.ok()) return st.error();
  }
  if (auto st = log->finish_open(path); !st.ok()) return st.error();
  log->log_path_ = path;
  // Only a log opened to append writes the index file.
  log->index_file_min_rows_ = options.read_only ? 0 : options.index_file_min_rows;
  return log;
}

Result<std::unique_ptr<EventLog>> EventLog::open_dry_run(const std::string& path, Clock& clock,
                                                         const LogOptions& options) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  Result<sqlite3*> db = static_cast<sqlite3*>(nullptr);
  if (exists) {
    // Read-write without CREATE (read-only only if the file is): a read-only connection would
    // leave -wal and -shm files behind, a read-write one removes them when it closes last.
    // Nothing is ever written through it.
    db = open_connection(path, SQLITE_OPEN_READWRITE, options.busy_timeout_ms);
    if (!db.ok()) db = open_connection(path, SQLITE_OPEN_READONLY, options.busy_timeout_ms);
    if (!db.ok()) return db.error();
    std::unique_ptr<EventLog> log(new EventLog(*db, clock));
    auto kind = classify(*db, path);
    if (!kind.ok()) return kind.error();
    if (*kind != FileKind::new_file) {
      log->dry_run_ = true;
      if (auto st = log->finish_open(path); !st.ok()) return st.error();
      log->log_path_ = path;  // its index file is read, never written
      return log;
    }
  }
  // No log yet: check against an empty one, in memory.
  db = open_connection(":memory:", SQLITE_OPEN_READWRITE, options.busy_timeout_ms);
  if (!db.ok()) return db.error();
  std::unique_ptr<EventLog> log(new EventLog(*db, clock));
  if (auto st = create_schema(*db, FileKind::new_file); !st.ok()) return st.error();
  log->dry_run_ = true;
  if (auto st = log->finish_open(path); !st.ok()) return st.error();
  return log;
}

Status EventLog::finish_open(const std::string& path) {
  // Persisted structures say which readers can read them (STYLE.md): refuse a newer format.
  auto v = Stmt::prepare(db_, "SELECT value FROM meta WHERE key='oldest_reader_version'");
  if (!v.ok()) return v.error();
  const int rc = v->step();
  if (rc == SQLITE_ROW && std::atoi(std::string(v->text_col(0)).c_str()) > log_format_version) {
    return make_error("log_too_new", "",
                      path + " needs a reader of log format version " +
                          std::string(v->text_col(0)) + " or later");
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db_, "read log format version");
  if (auto st = prepare(); !st.ok()) return st;
  return refresh_head();
}

Status EventLog::prepare() {
  st_ = std::make_unique<Statements>();
  struct Item {
    Stmt* stmt;
    const char* sql;
  };
  const Item items[] = {
      {&st_->begin, "BEGIN IMMEDIATE"},
      {&st_->commit, "COMMIT"},
      {&st_->rollback, "ROLLBACK"},
      {&st_->insert_event,
       "INSERT INTO events(sequence,stream,stream_version,event_id,type,schema_version,"
       "occurred_at,recorded_at,source,causation_id,correlation_id,actor,payload,content_hash,"
       "prev_hash,hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
      {&st_->insert_index,
       "INSERT INTO event_index(sequence,id_key,stream,stream_version,type) VALUES(?,?,?,?,?)"},
      {&st_->row_by_sequence,
       "SELECT event_id, stream_version, content_hash FROM events WHERE sequence=?"},
      {&st_->load_index,
       "SELECT sequence, id_key, stream, stream_version FROM event_index WHERE sequence > ? "
       "ORDER BY sequence"},
      {&st_->stream_at, "SELECT stream FROM event_index WHERE sequence=?"},
      {&st_->hash_at, "SELECT hash FROM events WHERE sequence=?"},
      {&st_->head, "SELECT sequence, hash, recorded_at FROM events ORDER BY sequence DESC LIMIT 1"},
      {&st_->insert_dead_letter,
       "INSERT OR IGNORE INTO dead_letters(received_at,source,source_ref,reason,field,message,"
       "event_id,original,original_sha256) VALUES(?,?,?,?,?,?,?,?,?)"},
      {&st_->upsert_offset,
       "INSERT INTO source_offsets VALUES(?,?,?) ON CONFLICT(source,partition) "
       "DO UPDATE SET next_offset=excluded.next_offset"},
      {&st_->get_offset, "SELECT next_offset FROM source_offsets WHERE source=? AND partition=?"},
  };
  for (const auto& item : items) {
    auto s = Stmt::prepare(db_, item.sql);
    if (!s.ok()) return s.error();
    *item.stmt = std::move(s.value());
  }
  return ok_status();
}

Status EventLog::refresh_head() {
  if (dry_run_ && dry_base_ >= 0) return ok_status();  // a dry run checks against one snapshot
  auto& s = st_->head;
  s.reset();
  const int rc = s.step();
  Head h{0, std::string(genesis_hash)};
  std::string recorded;
  if (rc == SQLITE_ROW) {
    h.sequence = s.int_col(0);
    h.hash = std::string(s.text_col(1));
    recorded = std::string(s.text_col(2));
  } else if (rc != SQLITE_DONE) {
    return sqlite_error(db_, "read head");
  }
  s.reset();
  head_ = std::move(h);
  if (recorded > last_recorded_at_) last_recorded_at_ = std::move(recorded);
  return ok_status();
}

Status EventLog::load_index() {
  if (indexed_through_ > head_.sequence) {
    // The log is shorter than what we indexed (only possible if rows were removed by hand):
    // start again from nothing rather than trust the memory.
    ids_.clear();
    streams_.clear();
    stream_versions_.clear();
    indexed_through_ = -1;
    file_through_ = 0;
  }
  if (indexed_through_ < 0) {
    if (auto st = map_index_file(); !st.ok()) return st;
  }
  if (indexed_through_ == head_.sequence) return ok_status();
  auto& s = st_->load_index;
  s.reset();
  s.bind(1, std::max<std::int64_t>(indexed_through_, 0));
  int rc;
  std::string stream;
  while ((rc = s.step()) == SQLITE_ROW) {
    const std::int64_t seq = s.int_col(0);
    ids_.insert(static_cast<std::uint64_t>(s.int_col(1)), seq);
    stream.assign(s.text_col(2));
    StreamAt& at = stream_versions_[stream];  // a new stream's slot in streams_ is unknown
    at.version = s.int_col(3);
    at.sequence = seq;
    indexed_through_ = seq;
    ++index_rows_read_;
  }
  s.reset();
  if (rc != SQLITE_DONE) return sqlite_error(db_, "load event index");
  if (indexed_through_ < 0) indexed_through_ = 0;
  if (indexed_through_ != head_.sequence) {
    return make_error("index_mismatch", "event_index",
                      "event_index ends at " + std::to_string(indexed_through_) +
                          " but the log at " + std::to_string(head_.sequence) +
                          " (run `oppgjor verify`)");
  }
  return ok_status();
}

Status EventLog::map_index_file() {
  if (log_path_.empty()) return ok_status();
  auto file = events::map_index_file(index_file_path(log_path_), ids_, streams_);
  if (!file) return ok_status();
  // The file counts only if the log holds the row it ends at, with the hash it names: then the
  // log up to there is the one it indexed (the chain hash covers every row before it).
  auto hash = file->through <= head_.sequence ? row_hash(file->through)
                                              : Result<std::string>(std::string());
  if (!hash || *hash != file->hash) {
    ids_.clear();
    streams_.clear();
    return hash ? ok_status() : Status(hash.error());
  }
  indexed_through_ = file->through;
  file_through_ = file->through;
  return ok_status();
}

Result<std::int64_t> EventLog::current_version(const std::string& stream) {
  if (const auto it = stream_versions_.find(stream); it != stream_versions_.end()) {
    return it->second.version;
  }
  if (streams_.live() == 0) return std::int64_t{0};
  auto slot = stream_slot(stream);
  if (!slot) return slot.error();
  if (*slot < 0) return std::int64_t{0};
  const StreamSlot& found = streams_.at(static_cast<std::size_t>(*slot));
  stream_versions_.emplace(stream, StreamAt{found.version, found.sequence, *slot});
  return found.version;
}

Result<std::int64_t> EventLog::stream_slot(const std::string& stream) {
  std::int64_t found = -1;
  Status failure = ok_status();
  auto& s = st_->stream_at;
  streams_.for_each(event_id_key(stream), [&](std::size_t i, const StreamSlot& slot) {
    s.reset();
    s.bind(1, slot.sequence);
    if (s.step() != SQLITE_ROW) {
      failure = sqlite_error(db_, "read the stream of row " + std::to_string(slot.sequence));
      return false;
    }
    if (s.text_col(0) != stream) return true;  // another stream with the same key
    found = static_cast<std::int64_t>(i);
    return false;
  });
  s.reset();
  if (!failure.ok()) return failure.error();
  return found;
}

Result<std::string> EventLog::row_hash(std::int64_t sequence) {
  auto& s = st_->hash_at;
  s.reset();
  s.bind(1, sequence);
  const int rc = s.step();
  std::string hash = rc == SQLITE_ROW ? std::string(s.text_col(0)) : std::string();
  s.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return sqlite_error(db_, "read row " + std::to_string(sequence));
  }
  return hash;
}

bool EventLog::index_file_due() const {
  return !dry_run_ && !log_path_.empty() && index_file_min_rows_ > 0 && indexed_through_ > 0 &&
         indexed_through_ - file_through_ >= std::max(index_file_min_rows_, file_through_ / 16);
}

Status EventLog::save_index_file() {
  if (dry_run_ || log_path_.empty()) {
    return make_error("index_file_invalid", "", "a dry run or an in-memory log has no index file");
  }
  if (indexed_through_ <= 0 || indexed_through_ == file_through_) return ok_status();
  // Every stream this process knows goes into streams_: those it has a slot for are updated in
  // place (the table does not change shape until the inserts below), then the new ones added.
  for (auto& [stream, at] : stream_versions_) {
    if (at.slot == StreamAt::slot_unknown) {
      auto slot = stream_slot(stream);
      if (!slot) return slot.error();
      at.slot = *slot;
    }
    if (at.slot < 0) continue;
    StreamSlot& slot = streams_.at(static_cast<std::size_t>(at.slot));
    slot.sequence = at.sequence;
    slot.version = at.version;
  }
  for (const auto& [stream, at] : stream_versions_) {
    if (at.slot < 0) streams_.insert(StreamSlot{event_id_key(stream), at.sequence, at.version});
  }
  stream_versions_.clear();  // all in streams_ now (their slots may have moved)
  auto hash = row_hash(indexed_through_);
  if (!hash) return hash.error();
  if (hash->empty()) {
    return make_error("storage_error", "",
                      "row " + std::to_string(indexed_through_) + " indexed but not in the log");
  }
  const IndexFileHead head{indexed_through_, std::move(hash).value()};
  if (auto st = write_index_file(index_file_path(log_path_), head, ids_, streams_); !st.ok()) {
    return st;
  }
  file_through_ = indexed_through_;
  return ok_status();
}

void EventLog::undo_batch() {
  for (const auto& [key, seq] : batch_ids_) ids_.remove(key, seq);
  for (auto it = batch_versions_.rbegin(); it != batch_versions_.rend(); ++it) {
    const auto slot = stream_versions_.find(*it->first);
    if (it->second.version == 0) {
      stream_versions_.erase(slot);  // invalidates only this node; earlier undo entries are older
    } else {
      slot->second = it->second;
    }
  }
  if (!batch_ids_.empty()) indexed_through_ = batch_ids_.front().second - 1;
  batch_ids_.clear();
  batch_versions_.clear();
}

Result<AppendOutcome> EventLog::find_same_id(const ProposedEvent& e, std::uint64_t key) {
  AppendOutcome out{AppendOutcome::Kind::rejected, 0, 0, "", ""};  // empty reason: none found
  Status failure = ok_status();
  auto& s = st_->row_by_sequence;
  ids_.for_each(key, [&](std::int64_t seq) {
    if (dry_run_ && seq > dry_base_) {  // an event this dry run would have appended
      const DryRow& row = dry_rows_[static_cast<std::size_t>(seq - dry_base_ - 1)];
      if (row.event_id != e.event_id) return true;
      out.sequence = seq;
      out.stream_version = row.stream_version;
      if (row.content_hash == e.content_hash) {
        out.kind = AppendOutcome::Kind::duplicate;
      } else {
        out.reason = reason::id_conflict;
        out.message = "event_id " + e.event_id + " is already in this dry run (sequence " +
                      std::to_string(seq) + ") with different content";
      }
      return false;
    }
    s.reset();
    s.bind(1, seq);
    if (s.step() != SQLITE_ROW) {
      failure = sqlite_error(db_, "read row " + std::to_string(seq));
      return false;
    }
    if (s.text_col(0) != e.event_id) return true;  // another id with the same key
    out.sequence = seq;
    out.stream_version = s.int_col(1);
    if (s.text_col(2) == e.content_hash) {
      out.kind = AppendOutcome::Kind::duplicate;
    } else {
      out.reason = reason::id_conflict;
      out.message = "event_id " + e.event_id + " is already recorded (sequence " +
                    std::to_string(seq) + ") with different content";
    }
    return false;
  });
  s.reset();
  if (!failure.ok()) return failure.error();
  return out;
}

Result<AppendOutcome> EventLog::check_one(const ProposedEvent& e, std::uint64_t key) {
  auto same = find_same_id(e, key);
  if (!same.ok() || same->kind == AppendOutcome::Kind::duplicate || !same->reason.empty()) {
    return same;
  }
  auto version = current_version(e.stream);
  if (!version) return version.error();
  const std::int64_t current = *version;
  if (e.stream_version && *e.stream_version != current + 1) {
    AppendOutcome out{AppendOutcome::Kind::rejected, 0, current, "", ""};
    out.reason = *e.stream_version <= current ? reason::stale_version : reason::version_gap;
    out.message = "stream " + e.stream + " is at version " + std::to_string(current) +
                  ", so the next event takes stream_version " + std::to_string(current + 1) +
                  "; this one says " + std::to_string(*e.stream_version) +
                  (out.reason == reason::stale_version ? " (stale: written against an older state)"
                                                       : " (a gap: events are missing before it)");
    return out;
  }
  return AppendOutcome{AppendOutcome::Kind::appended, head_.sequence + 1, current + 1, "", ""};
}

void EventLog::remember(const ProposedEvent& e, std::uint64_t key, const AppendOutcome& out) {
  ids_.insert(key, out.sequence);
  batch_ids_.emplace_back(key, out.sequence);
  auto [slot, fresh] = stream_versions_.try_emplace(e.stream);
  // check_one looked the stream up (current_version): a new entry is one streams_ lacks.
  if (fresh) slot->second.slot = -1;
  batch_versions_.emplace_back(&slot->first, slot->second);
  slot->second.version = out.stream_version;
  slot->second.sequence = out.sequence;
  indexed_through_ = out.sequence;
  head_.sequence = out.sequence;
}

Result<AppendOutcome> EventLog::append_one(const ProposedEvent& e) {
  const std::uint64_t key = event_id_key(e.event_id);
  auto checked = check_one(e, key);
  if (!checked.ok() || checked->kind != AppendOutcome::Kind::appended) return checked;
  const std::int64_t sequence = checked->sequence;
  const std::int64_t version = checked->stream_version;
  const std::string& recorded_at = batch_recorded_at_;
  record_.clear();
  canonical_record_of(e, sequence, version, recorded_at, record_);
  std::string hash = chain_hash(head_.hash, record_);

  auto& s = st_->insert_event;
  s.reset();
  s.bind(1, sequence);
  s.bind(2, e.stream, true);
  s.bind(3, version);
  s.bind(4, e.event_id, true);
  s.bind(5, e.type, true);
  s.bind(6, e.schema_version);
  s.bind(7, e.occurred_at, true);
  s.bind(8, recorded_at, true);
  s.bind(9, e.source, true);
  s.bind(10, e.causation_id);
  s.bind(11, e.correlation_id);
  s.bind(12, e.actor);
  s.bind(13, e.payload, true);
  s.bind(14, e.content_hash, true);
  s.bind(15, head_.hash, true);
  s.bind(16, hash, true);
  int rc = s.step();
  s.reset();
  if (rc != SQLITE_DONE) return sqlite_error(db_, "append event");
  auto& x = st_->insert_index;
  x.reset();
  x.bind(1, sequence);
  x.bind(2, static_cast<std::int64_t>(key));
  x.bind(3, e.stream, true);
  x.bind(4, version);
  x.bind(5, e.type, true);
  rc = x.step();
  x.reset();
  if (rc != SQLITE_DONE) return sqlite_error(db_, "append event index");

  remember(e, key, *checked);
  head_.hash = std::move(hash);
  return checked;
}

Status EventLog::insert_dead_letter(const DeadLetter& d) {
  auto& s = st_->insert_dead_letter;
  s.reset();
  const std::string received = clock_.now_utc();
  const std::string digest = sha256_hex(d.original);
  s.bind(1, received, true);
  s.bind(2, d.source, true);
  s.bind(3, d.source_ref, true);
  s.bind(4, d.reason, true);
  s.bind(5, d.field, true);
  s.bind(6, d.message, true);
  if (d.event_id.empty()) {
    s.bind_null(7);
  } else {
    s.bind(7, d.event_id, true);
  }
  s.bind_blob(8, d.original);
  s.bind(9, digest, true);
  const int rc = s.step();
  s.reset();
  if (rc != SQLITE_DONE) return sqlite_error(db_, "record dead letter");
  return ok_status();
}

Status EventLog::store_offset(const SourceOffset& o) {
  auto& s = st_->upsert_offset;
  s.reset();
  s.bind(1, o.source, true);
  s.bind(2, o.partition);
  s.bind(3, o.next_offset);
  const int rc = s.step();
  s.reset();
  if (rc != SQLITE_DONE) return sqlite_error(db_, "store source offset");
  return ok_status();
}

namespace {

void count(BatchResult& result, const AppendOutcome& out) {
  switch (out.kind) {
    case AppendOutcome::Kind::appended:
      ++result.appended;
      break;
    case AppendOutcome::Kind::duplicate:
      ++result.duplicates;
      break;
    case AppendOutcome::Kind::rejected:
      ++result.rejected;
      break;
  }
}

DeadLetter log_rejection(const ProposedEvent& e, const AppendOutcome& out) {
  return DeadLetter{e.channel,   std::string(e.source_ref),
                    out.reason,  out.reason == reason::id_conflict ? "event_id" : "stream_version",
                    out.message, e.event_id,
                    e.original};
}

}  // namespace

Status EventLog::rollback_open_batch(Error& cause) {
  undo_batch();  // first: whatever the rollback does, memory must not keep what was not written
  if (sqlite3_get_autocommit(db_) == 0) {  // SQLite may already have rolled back by itself
    st_->rollback.reset();
    if (st_->rollback.step() != SQLITE_DONE) {
      cause.message += "; rolling back failed too: " + std::string(sqlite3_errmsg(db_));
      st_->rollback.reset();
      return cause;
    }
    st_->rollback.reset();
  }
  if (auto st = refresh_head(); !st.ok()) {
    cause.message += "; " + st.error().message;
    return cause;
  }
  return ok_status();
}

Status EventLog::store_offsets(std::span<const SourceOffset> offsets) {
  OPPGJOR_ASSERT(!dry_run_, "store_offsets on a dry-run log");
  st_->begin.reset();
  if (st_->begin.step() != SQLITE_DONE) {
    Error e = sqlite_error(db_, "begin offsets");
    st_->begin.reset();
    return e;
  }
  st_->begin.reset();
  for (const auto& o : offsets) {
    if (auto st = store_offset(o); !st.ok()) {
      Error e = st.error();
      (void)rollback_open_batch(e);
      return e;
    }
  }
  if (before_commit_) before_commit_(BatchResult{});
  st_->commit.reset();
  const int rc = st_->commit.step();
  st_->commit.reset();
  if (rc != SQLITE_DONE) {
    Error e = sqlite_error(db_, "commit offsets");
    (void)rollback_open_batch(e);
    return e;
  }
  return ok_status();
}

Result<BatchResult> EventLog::append(std::span<const ProposedEvent> events, BatchPolicy policy,
                                     std::span<const DeadLetter> dead_letters,
                                     std::span<const SourceOffset> offsets, bool dry_run) {
  if (dry_run || dry_run_) {
    dry_run_ = true;
    return append_dry(events, policy);
  }
  st_->begin.reset();
  if (st_->begin.step() != SQLITE_DONE) {
    Error e = sqlite_error(db_, "begin batch");
    st_->begin.reset();
    return e;
  }
  st_->begin.reset();
  batch_ids_.clear();
  batch_versions_.clear();
  auto fail = [&](Error e) -> Result<BatchResult> {
    (void)rollback_open_batch(e);  // a failed rollback is added to e's message
    return e;
  };
  if (auto st = refresh_head(); !st.ok()) return fail(st.error());
  if (auto st = load_index(); !st.ok()) return fail(st.error());
  const std::int64_t head_at_begin = head_.sequence;
  // One recorded_at for the whole batch: its events are accepted together, at this commit.
  batch_recorded_at_ = clock_.now_utc();
  if (batch_recorded_at_ < last_recorded_at_) batch_recorded_at_ = last_recorded_at_;
  last_recorded_at_ = batch_recorded_at_;

  BatchResult result;
  result.outcomes.reserve(events.size());
  std::vector<DeadLetter> log_rejections;
  for (const auto& e : events) {
    auto out = append_one(e);
    if (!out.ok()) return fail(out.error());
    count(result, *out);
    if (out->kind == AppendOutcome::Kind::rejected)
      log_rejections.push_back(log_rejection(e, *out));
    result.outcomes.push_back(std::move(out.value()));
  }
  if (policy == BatchPolicy::all_or_nothing && result.rejected > 0) {
    Error e = make_error("storage_error", "", "roll back a batch with a rejection");
    if (auto st = rollback_open_batch(e); !st.ok()) return st.error();
    return result;
  }
  for (const auto& d : dead_letters) {
    if (auto st = insert_dead_letter(d); !st.ok()) return fail(st.error());
  }
  for (const auto& d : log_rejections) {
    if (auto st = insert_dead_letter(d); !st.ok()) return fail(st.error());
  }
  for (const auto& o : offsets) {
    if (auto st = store_offset(o); !st.ok()) return fail(st.error());
  }
  if (before_commit_) before_commit_(result);
  st_->commit.reset();
  const int rc = st_->commit.step();
  st_->commit.reset();
  if (rc != SQLITE_DONE) return fail(sqlite_error(db_, "commit batch"));
  // The chain head moved by exactly the events appended, and has a hash.
  OPPGJOR_ASSERT(head_.sequence == head_at_begin + static_cast<std::int64_t>(result.appended),
                 "the chain head after a batch does not match the events appended");
  OPPGJOR_ASSERT(head_.hash.size() == genesis_hash.size(), "the chain head has no hash");
  result.committed = true;
  batch_ids_.clear();
  batch_versions_.clear();
  return result;
}

Status EventLog::load_dry_snapshot() {
  if (dry_base_ >= 0) return ok_status();
  // One read transaction: the head and the index it is checked against agree.
  if (auto st = exec(db_, "BEGIN"); !st.ok()) return st;
  Status st = refresh_head();
  if (st.ok()) st = load_index();
  if (auto end = exec(db_, "COMMIT"); !end.ok() && st.ok()) st = end;
  if (!st.ok()) return st;
  dry_base_ = head_.sequence;
  return ok_status();
}

Result<BatchResult> EventLog::append_dry(std::span<const ProposedEvent> events,
                                         BatchPolicy policy) {
  if (auto st = load_dry_snapshot(); !st.ok()) return st.error();
  batch_ids_.clear();
  batch_versions_.clear();
  const std::int64_t head_before = head_.sequence;
  const std::size_t rows_before = dry_rows_.size();
  BatchResult result;
  result.outcomes.reserve(events.size());
  for (const auto& e : events) {
    const std::uint64_t key = event_id_key(e.event_id);
    auto out = check_one(e, key);
    if (!out.ok()) {
      undo_batch();
      dry_rows_.resize(rows_before);
      head_.sequence = head_before;
      return out.error();
    }
    if (out->kind == AppendOutcome::Kind::appended) {
      remember(e, key, *out);
      dry_rows_.push_back({e.event_id, out->stream_version, e.content_hash});
    }
    count(result, *out);
    result.outcomes.push_back(std::move(out.value()));
  }
  if (policy == BatchPolicy::all_or_nothing && result.rejected > 0) {
    undo_batch();
    dry_rows_.resize(rows_before);
    head_.sequence = head_before;
  }
  batch_ids_.clear();
  batch_versions_.clear();
  return result;
}

Status EventLog::set_auto_checkpoint(bool on) {
  const std::string sql =
      "PRAGMA wal_autocheckpoint=" + std::to_string(on ? wal_autocheckpoint_pages : 0);
  return exec(db_, sql.c_str());
}

std::string EventLog::path() const {
  const char* p = sqlite3_db_filename(db_, "main");
  return p == nullptr ? std::string() : std::string(p);
}

Result<Head> EventLog::head() {
  if (auto st = refresh_head(); !st.ok()) return st.error();
  // A dry run's events were never written: the head is the log's, as the dry run found it.
  if (dry_run_ && dry_base_ >= 0) return Head{dry_base_, head_.hash};
  return head_;
}

Result<std::int64_t> EventLog::stream_version(const std::string& stream) {
  if (auto st = refresh_head(); !st.ok()) return st.error();
  if (auto st = load_index(); !st.ok()) return st.error();
  return current_version(stream);
}

Result<std::int64_t> EventLog::sequence_of(std::string_view event_id) {
  // A dry run checks against the log as it was when it began (load_dry_snapshot) plus its own
  // rows; reading newer rows into the index would clash with those.
  if (!(dry_run_ && dry_base_ >= 0)) {
    if (auto st = refresh_head(); !st.ok()) return st.error();
    if (auto st = load_index(); !st.ok()) return st.error();
  }
  std::int64_t found = 0;
  Status failure = ok_status();
  auto& s = st_->row_by_sequence;
  ids_.for_each(event_id_key(event_id), [&](std::int64_t seq) {
    if (dry_run_ && seq > dry_base_) {
      if (dry_rows_[static_cast<std::size_t>(seq - dry_base_ - 1)].event_id != event_id) {
        return true;
      }
      found = seq;
      return false;
    }
    s.reset();
    s.bind(1, seq);
    if (s.step() != SQLITE_ROW) {
      failure = sqlite_error(db_, "read row " + std::to_string(seq));
      return false;
    }
    if (s.text_col(0) != event_id) return true;  // another id with the same key
    found = seq;
    return false;
  });
  s.reset();
  if (!failure.ok()) return failure.error();
  return found;
}

namespace {
// The columns of an EventView, in view_of_row's order.
#define OPPGJOR_VIEW_COLUMNS(t)                                                               \
  t "sequence," t "stream," t "stream_version," t "event_id," t "type," t "schema_version," t \
    "occurred_at," t "recorded_at," t "payload," t "source," t "causation_id," t              \
    "correlation_id," t "actor"
// The view of a row selected as OPPGJOR_VIEW_COLUMNS.
EventView view_of_row(const Stmt& s) {
  EventView v;
  v.sequence = s.int_col(0);
  v.stream = s.text_col(1);
  v.stream_version = s.int_col(2);
  v.event_id = s.text_col(3);
  v.type = s.text_col(4);
  v.schema_version = s.int_col(5);
  v.occurred_at = s.text_col(6);
  v.recorded_at = s.text_col(7);
  v.payload = s.text_col(8);
  v.source = s.text_col(9);
  v.causation_id = s.text_col(10);
  v.correlation_id = s.text_col(11);
  v.actor = s.text_col(12);
  return v;
}
}  // namespace

Status EventLog::scan(std::int64_t from_sequence, std::int64_t until_sequence,
                      const std::function<bool(const EventView&)>& fn) {
  auto s = Stmt::prepare(db_,
                         "SELECT " OPPGJOR_VIEW_COLUMNS("") " FROM events "
                         "WHERE sequence >= ? AND sequence <= ? ORDER BY sequence");
  if (!s.ok()) return s.error();
  s->bind(1, from_sequence);
  s->bind(2, until_sequence > 0 ? until_sequence : INT64_MAX);
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    if (!fn(view_of_row(*s))) return ok_status();
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, "scan events");
  return ok_status();
}

Status EventLog::scan_headers(std::int64_t from_sequence, std::int64_t until_sequence,
                              const std::function<bool(const EventView&)>& fn) {
  auto s = Stmt::prepare(db_,
                         "SELECT sequence,stream,stream_version,type FROM event_index "
                         "WHERE sequence >= ? AND sequence <= ? ORDER BY sequence");
  if (!s.ok()) return s.error();
  s->bind(1, from_sequence);
  s->bind(2, until_sequence > 0 ? until_sequence : INT64_MAX);
  EventView v;
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    v.sequence = s->int_col(0);
    v.stream = s->text_col(1);
    v.stream_version = s->int_col(2);
    v.type = s->text_col(3);
    if (!fn(v)) return ok_status();
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, "scan event index");
  return ok_status();
}

Status EventLog::scan_types(std::int64_t from_sequence, std::int64_t until_sequence,
                            const std::vector<std::string>& types,
                            const std::function<bool(const EventView&)>& fn) {
  std::string list = "[";
  for (const auto& t : types) {
    if (list.size() > 1) list += ',';
    append_json_string(t, list);
  }
  list += ']';
  const std::int64_t until = until_sequence > 0 ? until_sequence : INT64_MAX;
  // Two plans. When the types are a small share of the log (a service reading a few types),
  // find the rows in the narrow event_index and fetch each by sequence: far fewer pages read
  // than the wide table. When they are most of it (a service reading nearly everything), one
  // sequential pass over the wide table filtering by type is several times faster than a
  // B-tree lookup per row. The share is estimated from the first scan_types_sample rows of the
  // range (cheap: the narrow index); the result is the same rows in the same order either way.
  auto sample = Stmt::prepare(db_,
                              "SELECT count(*), coalesce(sum(type IN (SELECT value FROM "
                              "json_each(?))), 0) FROM (SELECT type FROM event_index WHERE "
                              "sequence >= ? AND sequence <= ? ORDER BY sequence LIMIT ?)");
  if (!sample.ok()) return sample.error();
  sample->bind(1, list);
  sample->bind(2, from_sequence);
  sample->bind(3, until);
  sample->bind(4, scan_types_sample);
  if (sample->step() != SQLITE_ROW) return sqlite_error(db_, "scan events by type: sample");
  const std::int64_t sampled = sample->int_col(0);
  const std::int64_t matching = sample->int_col(1);
  const bool sequential = sampled > 0 && matching * 100 >= sampled * scan_types_sequential_pct;
  auto s = Stmt::prepare(
      db_, sequential
               ? "SELECT " OPPGJOR_VIEW_COLUMNS("") " FROM events WHERE sequence >= ?1 AND "
                 "sequence <= ?2 AND type IN (SELECT value FROM json_each(?3)) ORDER BY sequence"
               : "SELECT " OPPGJOR_VIEW_COLUMNS("e.") " FROM event_index i JOIN events e ON "
                 "e.sequence = i.sequence WHERE i.sequence >= ?1 AND i.sequence <= ?2 AND i.type "
                 "IN (SELECT value FROM json_each(?3)) ORDER BY i.sequence");
  if (!s.ok()) return s.error();
  s->bind(1, from_sequence);
  s->bind(2, until);
  s->bind(3, list);
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    if (!fn(view_of_row(*s))) return ok_status();
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, "scan events by type");
  return ok_status();
}

Status EventLog::scan_source(std::int64_t from_sequence, std::int64_t until_sequence,
                             const std::string& source,
                             const std::function<bool(const EventView&)>& fn) {
  auto s = Stmt::prepare(db_,
                         "SELECT " OPPGJOR_VIEW_COLUMNS("") " FROM events "
                         "WHERE sequence >= ? AND sequence <= ? AND source = ? ORDER BY sequence");
  if (!s.ok()) return s.error();
  s->bind(1, from_sequence);
  s->bind(2, until_sequence > 0 ? until_sequence : INT64_MAX);
  s->bind(3, source);
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    if (!fn(view_of_row(*s))) return ok_status();
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, "scan events by source");
  return ok_status();
}

Result<std::int64_t> EventLog::sequence_as_of(const std::string& timestamp) {
  auto s = Stmt::prepare(db_, "SELECT max(sequence) FROM events WHERE recorded_at <= ?");
  if (!s.ok()) return s.error();
  s->bind(1, timestamp);
  if (s->step() != SQLITE_ROW) return sqlite_error(db_, "as-of lookup");
  return s->is_null(0) ? 0 : s->int_col(0);
}

namespace {
RecordedEvent row_to_event(const Stmt& s) {
  RecordedEvent r;
  r.sequence = s.int_col(0);
  r.stream = std::string(s.text_col(1));
  r.stream_version = s.int_col(2);
  r.event_id = std::string(s.text_col(3));
  r.type = std::string(s.text_col(4));
  r.schema_version = s.int_col(5);
  r.occurred_at = std::string(s.text_col(6));
  r.recorded_at = std::string(s.text_col(7));
  r.source = std::string(s.text_col(8));
  r.causation_id = s.opt_text_col(9);
  r.correlation_id = s.opt_text_col(10);
  r.actor = s.opt_text_col(11);
  r.payload = std::string(s.text_col(12));
  r.content_hash = std::string(s.text_col(13));
  r.prev_hash = std::string(s.text_col(14));
  r.hash = std::string(s.text_col(15));
  return r;
}
constexpr const char* select_rows =
    "SELECT sequence,stream,stream_version,event_id,type,schema_version,occurred_at,"
    "recorded_at,source,causation_id,correlation_id,actor,payload,content_hash,prev_hash,hash "
    "FROM events ";
}  // namespace

Result<std::vector<RecordedEvent>> EventLog::read(std::int64_t from_sequence, std::size_t limit,
                                                  const std::string& stream) {
  const std::string sql =
      std::string(select_rows) +
      (stream.empty() ? "WHERE sequence >= ?1 " : "WHERE sequence >= ?1 AND stream = ?3 ") +
      "ORDER BY sequence LIMIT ?2";
  auto s = Stmt::prepare(db_, sql.c_str());
  if (!s.ok()) return s.error();
  s->bind(1, from_sequence);
  s->bind(2, static_cast<std::int64_t>(limit));
  if (!stream.empty()) s->bind(3, stream);
  std::vector<RecordedEvent> out;
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) out.push_back(row_to_event(*s));
  if (rc != SQLITE_DONE) return sqlite_error(db_, "read events");
  return out;
}

Result<VerifyReport> EventLog::verify() {
  auto s = Stmt::prepare(db_, (std::string(select_rows) + "ORDER BY sequence").c_str());
  if (!s.ok()) return s.error();
  auto idx = Stmt::prepare(db_,
                           "SELECT sequence, id_key, stream, stream_version, type FROM event_index "
                           "ORDER BY sequence");
  if (!idx.ok()) return idx.error();
  VerifyReport rep;
  rep.head = Head{0, std::string(genesis_hash)};
  std::unordered_map<std::string, std::int64_t> versions;
  std::unordered_map<std::string, std::int64_t> seen_ids;
  auto bad = [&](std::int64_t seq, std::string problem) {
    rep.intact = false;
    rep.first_bad_sequence = seq;
    rep.problem = std::move(problem);
  };
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    const RecordedEvent r = row_to_event(*s);
    const std::int64_t expected = rep.head.sequence + 1;
    if (r.sequence != expected) {
      bad(expected, "sequence " + std::to_string(expected) + " is missing (next row is " +
                        std::to_string(r.sequence) + ")");
      break;
    }
    if (r.prev_hash != rep.head.hash) {
      bad(r.sequence, "prev_hash does not match the hash of the previous row");
      break;
    }
    if (chain_hash(r.prev_hash, canonical_record(r)) != r.hash) {
      bad(r.sequence, "hash does not match the row's contents");
      break;
    }
    if (idx->step() != SQLITE_ROW || idx->int_col(0) != r.sequence ||
        static_cast<std::uint64_t>(idx->int_col(1)) != event_id_key(r.event_id) ||
        idx->text_col(2) != r.stream || idx->int_col(3) != r.stream_version ||
        idx->text_col(4) != r.type) {
      bad(r.sequence, "event_index does not match the event row");
      break;
    }
    if (const auto [it, fresh] = seen_ids.emplace(r.event_id, r.sequence); !fresh) {
      bad(r.sequence,
          "event_id " + r.event_id + " already recorded at sequence " + std::to_string(it->second));
      break;
    }
    auto& v = versions[r.stream];
    if (r.stream_version != v + 1) {
      bad(r.sequence, "stream " + r.stream + " jumps from version " + std::to_string(v) + " to " +
                          std::to_string(r.stream_version));
      break;
    }
    v = r.stream_version;
    rep.head = Head{r.sequence, r.hash};
    ++rep.events_checked;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db_, "verify scan");
  if (rep.intact && idx->step() == SQLITE_ROW) {
    rep.intact = false;
    rep.first_bad_sequence = idx->int_col(0);
    rep.problem = "event_index has a row for a sequence the log does not have";
  }
  return rep;
}

Result<std::int64_t> EventLog::next_offset(const std::string& source, std::int32_t partition) {
  auto& s = st_->get_offset;
  s.reset();
  s.bind(1, source, true);
  s.bind(2, partition);
  const int rc = s.step();
  std::int64_t v = -1;
  if (rc == SQLITE_ROW) {
    v = s.int_col(0);
  } else if (rc != SQLITE_DONE) {
    return sqlite_error(db_, "read source offset");
  }
  s.reset();
  return v;
}

Result<std::vector<StoredDeadLetter>> EventLog::dead_letters(std::size_t limit,
                                                             std::int64_t after_id) {
  auto s = Stmt::prepare(db_,
                         "SELECT id,received_at,source,source_ref,reason,field,message,event_id,"
                         "original,original_sha256 FROM dead_letters WHERE id > ? ORDER BY id "
                         "LIMIT ?");
  if (!s.ok()) return s.error();
  s->bind(1, after_id);
  s->bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoredDeadLetter> out;
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    StoredDeadLetter d;
    d.id = s->int_col(0);
    d.received_at = std::string(s->text_col(1));
    d.source = std::string(s->text_col(2));
    d.source_ref = std::string(s->text_col(3));
    d.reason = std::string(s->text_col(4));
    d.field = std::string(s->text_col(5));
    d.message = std::string(s->text_col(6));
    d.event_id = s->opt_text_col(7).value_or("");
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(s->get(), 8));
    d.original.assign(blob == nullptr ? "" : blob,
                      static_cast<std::size_t>(sqlite3_column_bytes(s->get(), 8)));
    d.original_sha256 = std::string(s->text_col(9));
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, "read dead letters");
  return out;
}

Result<std::int64_t> EventLog::dead_letter_count() {
  auto s = Stmt::prepare(db_, "SELECT count(*) FROM dead_letters");
  if (!s.ok()) return s.error();
  if (s->step() != SQLITE_ROW) return sqlite_error(db_, "count dead letters");
  return s->int_col(0);
}

namespace {
void view_row(const Stmt& s, RecordView& r) {
  const auto opt = [&](int col) -> std::optional<std::string_view> {
    if (s.is_null(col)) return std::nullopt;
    return s.text_col(col);
  };
  r.sequence = s.int_col(0);
  r.stream = s.text_col(1);
  r.stream_version = s.int_col(2);
  r.event_id = s.text_col(3);
  r.type = s.text_col(4);
  r.schema_version = s.int_col(5);
  r.occurred_at = s.text_col(6);
  r.recorded_at = s.text_col(7);
  r.source = s.text_col(8);
  r.causation_id = opt(9);
  r.correlation_id = opt(10);
  r.actor = opt(11);
  r.payload = s.text_col(12);
  r.content_hash = s.text_col(13);
  r.prev_hash = s.text_col(14);
  r.hash = s.text_col(15);
}
}  // namespace

Status EventLog::scan_rows(std::int64_t from_sequence, std::int64_t until_sequence,
                           const std::function<bool(const RecordView&)>& fn) {
  auto s = Stmt::prepare(
      db_, (std::string(select_rows) + "WHERE sequence >= ? AND sequence <= ? ORDER BY sequence")
               .c_str());
  if (!s.ok()) return s.error();
  s->bind(1, from_sequence);
  s->bind(2, until_sequence > 0 ? until_sequence : INT64_MAX);
  RecordView row;
  int rc;
  while ((rc = s->step()) == SQLITE_ROW) {
    view_row(*s, row);
    if (!fn(row)) return ok_status();
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, "scan rows");
  return ok_status();
}

}  // namespace oppgjor::events
