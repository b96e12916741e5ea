#include "services/runtime/snapshot_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "common/assert.h"
#include "events/sqlite_util.h"
#include "services/runtime/two_threads.h"

namespace oppgjor::runtime {

using events::exec;
using events::sqlite_error;
using events::Stmt;

namespace {

// A state's checksum (snapshot_store.h): XXH3-128 over the XXH3-128 digests (canonical, big-endian)
// of its consecutive blocks of this size (the last one shorter), so a large state is checked on
// two threads. XXH3 reads ~10× faster than SHA-256 here: the checksum guards against a torn or
// damaged file, not a forger (who could rewrite the row as well).
constexpr std::size_t checksum_block = std::size_t{16} << 20;

using BlockDigest = XXH128_canonical_t;

BlockDigest block_digest(std::string_view bytes) {
  BlockDigest d;
  XXH128_canonicalFromHash(&d, XXH3_128bits(bytes.data(), bytes.size()));
  return d;
}

std::string hex_of(const BlockDigest& d) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof d.digest);
  for (unsigned char c : d.digest) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xf]);
  }
  return out;
}

// The checksum of a state from its blocks' digests, in order.
std::string checksum_of_blocks(const std::vector<BlockDigest>& blocks) {
  return hex_of(block_digest(std::string_view(reinterpret_cast<const char*>(blocks.data()),
                                              blocks.size() * sizeof(BlockDigest))));
}

// Hashes a state handed on in pieces, block by block (state_checksum).
class BlockChecksum {
 public:
  BlockChecksum() : state_(XXH3_createState()) {
    OPPGJOR_ASSERT(state_ != nullptr, "an XXH3 state");
    XXH3_128bits_reset(state_);
  }
  ~BlockChecksum() { XXH3_freeState(state_); }
  BlockChecksum(const BlockChecksum&) = delete;
  BlockChecksum& operator=(const BlockChecksum&) = delete;

  void update(std::string_view bytes) {
    while (!bytes.empty()) {
      const std::size_t n = std::min(bytes.size(), checksum_block - in_block_);
      XXH3_128bits_update(state_, bytes.data(), n);
      in_block_ += n;
      bytes.remove_prefix(n);
      if (in_block_ == checksum_block) end_block();
    }
  }
  std::string hex() {
    if (in_block_ > 0) end_block();
    return checksum_of_blocks(blocks_);
  }

 private:
  void end_block() {
    BlockDigest d;
    XXH128_canonicalFromHash(&d, XXH3_128bits_digest(state_));
    blocks_.push_back(d);
    XXH3_128bits_reset(state_);
    in_block_ = 0;
  }
  XXH3_state_t* state_;
  std::vector<BlockDigest> blocks_;
  std::size_t in_block_ = 0;
};

// A distinct application_id so a snapshot file is never mistaken for a log or a replay store.
constexpr int snapshot_application_id = 0x4f50534e;  // "OPSN"
constexpr int busy_timeout_ms = 10000;
// The layout (snapshot_store.h): 2 = the state in a file of its own, the row naming it; 3 = its
// checksum over blocks (state_checksum); 4 = that checksum XXH3-128, not SHA-256.
constexpr int store_layout_version = 4;
// Hex digits of the state's checksum in its file name.
constexpr std::size_t file_hash_digits = 16;

constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS snapshots(
  service        TEXT PRIMARY KEY,
  state_version  TEXT NOT NULL,
  sequence       INTEGER NOT NULL,
  log_hash       TEXT NOT NULL,
  state_checksum TEXT NOT NULL,
  state_bytes    INTEGER NOT NULL,
  state_file     TEXT NOT NULL
) STRICT;
)sql";

Error file_error(const std::string& what, const std::string& path, int err) {
  return make_error("storage_error", "snapshot", what + " " + path + ": " + std::strerror(err));
}

// A service's name is part of its state file's name: letters, digits, '_' and '-' only.
bool usable_in_file_name(const std::string& service) {
  if (service.empty()) return false;
  for (const char c : service) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The file mapped, when it holds exactly `expected` bytes; an error naming why not.
Result<std::shared_ptr<const StateImage>> map_whole_file(const std::string& path,
                                                         std::int64_t expected,
                                                         const std::string& service) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return make_error("snapshot_corrupt", "state_file",
                        "the state file of " + service + "'s snapshot is missing: " + path);
    }
    return file_error("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    (void)::close(fd);
    return file_error("cannot stat", path, err);
  }
  if (static_cast<std::int64_t>(st.st_size) != expected) {
    (void)::close(fd);
    return make_error("snapshot_corrupt", "state_file",
                      "the state file of " + service + "'s snapshot has " +
                          std::to_string(st.st_size) + " bytes, its row records " +
                          std::to_string(expected));
  }
  if (expected == 0) {
    (void)::close(fd);
    return std::make_shared<const StateImage>(nullptr, 0);
  }
  // Read whole at once (its checksum reads every byte next): populated, not faulted page by page.
  const auto size = static_cast<std::size_t>(expected);
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const int err = errno;
  (void)::close(fd);  // the mapping keeps the file
  if (data == MAP_FAILED) return file_error("cannot map", path, err);
  return std::make_shared<const StateImage>(data, size);
}

}  // namespace

StateImage::~StateImage() {
  if (data_ != nullptr) (void)::munmap(data_, size_);
}

namespace {

// Removes the files of `service` in `dir` other than `keep` (an older state, a temporary file
// a crash left behind). A file that cannot be removed is left: it is never read.
void remove_other_files(const std::string& dir, const std::string& service,
                        const std::string& keep) {
  const std::string prefix = service + ".";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    // Service names hold no dot (usable_in_file_name): what precedes the first dot is the
    // service a file belongs to.
    if (name == keep || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::filesystem::remove(entry.path(), ec);
  }
}

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
  std::unique_ptr<SnapshotStore> store(new SnapshotStore(db, path + ".d"));
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
  // fsync per commit, and the state files are not synced either. In WAL mode that never
  // corrupts the file; a power loss may lose the last snapshots written, or leave a row whose
  // file did not reach the disk whole, and a start then rebuilds that service (its checksum does
  // not match) and folds the tail. The log itself, written before any snapshot of it, keeps its
  // full durability.
  if (auto st = exec(db, "PRAGMA synchronous=NORMAL"); !st.ok()) return st.error();
  auto layout = Stmt::prepare(db, "PRAGMA user_version");
  if (!layout.ok()) return layout.error();
  if (layout->step() != SQLITE_ROW) return sqlite_error(db, "read user_version");
  const std::int64_t version = layout->int_col(0);
  layout->reset();
  if (version > store_layout_version) {
    return make_error("snapshot_store_newer", "--snapshots",
                      path + " was written by a newer build (layout " + std::to_string(version) +
                          "); remove it to rebuild");
  }
  if (version < store_layout_version) {
    // The older layout kept each state in its row: its snapshots are dropped (disposable).
    const std::string upgrade =
        "BEGIN IMMEDIATE; DROP TABLE IF EXISTS snapshots; " + std::string(schema_sql) +
        " PRAGMA user_version=" + std::to_string(store_layout_version) + "; COMMIT;";
    if (auto st = exec(db, upgrade.c_str()); !st.ok()) {
      (void)exec(db, "ROLLBACK");
      return st.error();
    }
  } else if (auto st = exec(db, schema_sql); !st.ok()) {
    return st.error();
  }
  if (app_id == 0) {
    const std::string pragma = "PRAGMA application_id=" + std::to_string(snapshot_application_id);
    if (auto st = exec(db, pragma.c_str()); !st.ok()) return st.error();
  }
  std::error_code ec;
  std::filesystem::create_directories(store->dir_, ec);
  if (ec) return file_error("cannot create", store->dir_, ec.value());
  return store;
}

std::string state_checksum(std::string_view state) {
  const std::size_t blocks = (state.size() + checksum_block - 1) / checksum_block;
  std::vector<BlockDigest> digests(blocks);
  for_each_on_two_threads(blocks, 1, [&](std::size_t i) {
    digests[i] = block_digest(state.substr(i * checksum_block, checksum_block));
  });
  return checksum_of_blocks(digests);
}

SnapshotStore::~SnapshotStore() {
  sqlite3_close_v2(db_);
}

Result<std::optional<Snapshot>> SnapshotStore::get(const std::string& service) {
  auto s = Stmt::prepare(db_,
                         "SELECT state_version, sequence, log_hash, state_checksum, state_bytes, "
                         "state_file FROM snapshots WHERE service = ?");
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
  const std::string checksum(s->text_col(3));
  const std::int64_t bytes = s->int_col(4);
  const std::string file(s->text_col(5));
  s->reset();
  if (file.empty() || file.find('/') != std::string::npos) {
    return make_error("snapshot_corrupt", "state_file",
                      "the snapshot of " + service + " names no usable state file");
  }
  auto image = map_whole_file(dir_ + "/" + file, bytes, service);
  if (!image) return image.error();
  snap.image = std::move(image).value();
  if (state_checksum(snap.bytes()) != checksum) {
    return make_error("snapshot_corrupt", "state",
                      "the snapshot of " + service + " does not match its checksum");
  }
  return std::optional<Snapshot>(std::move(snap));
}

namespace {

// Writes what it is handed to an open file and hashes it; remembers the first failure.
class FileSink final : public SnapshotSink {
 public:
  FileSink(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void write(std::string_view bytes) override {
    if (!failed_.ok()) return;
    sum_.update(bytes);
    bytes_ += static_cast<std::int64_t>(bytes.size());
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed_ = file_error("cannot write", path_, n < 0 ? errno : EIO);
        return;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  const Status& failed() const { return failed_; }
  std::int64_t bytes() const { return bytes_; }
  std::string checksum_hex() { return sum_.hex(); }

 private:
  int fd_;
  std::string path_;
  BlockChecksum sum_;
  std::int64_t bytes_ = 0;
  Status failed_ = ok_status();
};

}  // namespace

Status SnapshotStore::put(const Snapshot& snap) {
  auto file = write_state(snap.service, [&](SnapshotSink& sink) { sink.write(snap.state); });
  if (!file) return file.error();
  return record(snap, *file);
}

Result<SnapshotStore::StateFile> SnapshotStore::write_state(
    const std::string& service, const std::function<void(SnapshotSink&)>& produce) const {
  if (!usable_in_file_name(service)) {
    return make_error("service_name_invalid", "service",
                      "a snapshot's service name must be letters, digits, '_' or '-': " + service);
  }
  // Written under a temporary name of its own (two threads write two services' states), then
  // renamed to the name its hash gives once it is whole.
  const std::string temporary = dir_ + "/" + service + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return file_error("cannot create", temporary, errno);
  FileSink sink(fd, temporary);
  produce(sink);
  Status st = sink.failed();
  if (::close(fd) != 0 && st.ok()) st = file_error("cannot write", temporary, errno);
  StateFile out;
  if (st.ok()) {
    out.checksum = sink.checksum_hex();
    out.bytes = sink.bytes();
    out.file = service + "." + out.checksum.substr(0, file_hash_digits);
    const std::string path = dir_ + "/" + out.file;
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
      st = file_error("cannot rename into place", path, errno);
    }
  }
  if (!st.ok()) {
    std::error_code ec;
    std::filesystem::remove(temporary, ec);
    return st.error();
  }
  return out;
}

Status SnapshotStore::record(const Snapshot& snap, const StateFile& file) {
  OPPGJOR_ASSERT(file.file.compare(0, snap.service.size() + 1, snap.service + ".") == 0,
                 "a state file recorded for another service");
  auto s = Stmt::prepare(db_,
                         "INSERT INTO snapshots(service, state_version, sequence, log_hash, "
                         "state_checksum, state_bytes, state_file) VALUES(?,?,?,?,?,?,?) "
                         "ON CONFLICT(service) DO UPDATE SET "
                         "state_version=excluded.state_version, sequence=excluded.sequence, "
                         "log_hash=excluded.log_hash, state_checksum=excluded.state_checksum, "
                         "state_bytes=excluded.state_bytes, state_file=excluded.state_file");
  if (!s.ok()) return s.error();
  s->bind(1, snap.service);
  s->bind(2, snap.state_version);
  s->bind(3, snap.sequence);
  s->bind(4, snap.log_hash);
  s->bind(5, file.checksum);
  s->bind(6, file.bytes);
  s->bind(7, file.file);
  if (s->step() != SQLITE_DONE) return sqlite_error(db_, "write snapshot");
  remove_other_files(dir_, snap.service, file.file);
  return ok_status();
}

Status SnapshotStore::remove(const std::string& service) {
  auto s = Stmt::prepare(db_, "DELETE FROM snapshots WHERE service = ?");
  if (!s.ok()) return s.error();
  s->bind(1, service);
  if (s->step() != SQLITE_DONE) return sqlite_error(db_, "remove snapshot");
  if (usable_in_file_name(service)) remove_other_files(dir_, service, std::string());
  return ok_status();
}

Result<std::int64_t> SnapshotStore::size(const std::string& service) {
  auto s = Stmt::prepare(db_, "SELECT state_bytes FROM snapshots WHERE service = ?");
  if (!s.ok()) return s.error();
  s->bind(1, service);
  const int rc = s->step();
  if (rc == SQLITE_DONE) return std::int64_t{0};
  if (rc != SQLITE_ROW) return sqlite_error(db_, "snapshot size");
  return s->int_col(0);
}

}  // namespace oppgjor::runtime
