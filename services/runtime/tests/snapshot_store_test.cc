// The snapshot store (snapshot_store.h): a row per service naming a state file; a state that is
// missing, torn or edited is an error (the runner rebuilds), an older store is emptied, and a put
// leaves one file per service.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <xxhash.h>

#include "services/runtime/snapshot_store.h"
#include "tests/support/test_support.h"

namespace oppgjor::runtime {
namespace {

using events::testing::TempDir;

Snapshot snapshot_of(const std::string& service, std::int64_t sequence, std::string state) {
  Snapshot s;
  s.service = service;
  s.state_version = service + ".state.1";
  s.sequence = sequence;
  s.log_hash = std::string(64, 'a');
  s.state = std::move(state);
  return s;
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void sql(const std::string& path, const char* statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, statement, nullptr, nullptr, &err);
  const std::string message = err == nullptr ? "" : err;
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(SnapshotStore, PutThenGetGivesTheSameSnapshotBackAndKeepsOneFilePerService) {
  TempDir dir;
  const std::string path = dir.file("log.db.snapshots");
  auto store = SnapshotStore::open(path).value();
  // Bytes a text layer would trip on: NUL, newline, tab, high bytes.
  std::string state = "line 1\n\tline 2";
  state.push_back('\0');
  state += "\xc3\xb8re\xff";
  ASSERT_TRUE(store->put(snapshot_of("ledger", 7, state)).ok());
  ASSERT_TRUE(store->put(snapshot_of("care_fees", 3, "{}")).ok());
  auto got = store->get("ledger").value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->bytes(), state);
  EXPECT_EQ(got->sequence, 7);
  EXPECT_EQ(got->state_version, "ledger.state.1");
  EXPECT_EQ(got->log_hash, std::string(64, 'a'));
  EXPECT_EQ(store->size("ledger").value(), static_cast<std::int64_t>(state.size()));
  EXPECT_FALSE(store->get("invoicing").value().has_value());
  EXPECT_EQ(store->size("invoicing").value(), 0);

  // A newer snapshot replaces the older, file and all.
  ASSERT_TRUE(store->put(snapshot_of("ledger", 9, "newer state")).ok());
  const auto files = files_in(store->state_dir());
  ASSERT_EQ(files.size(), 2u) << testing::PrintToString(files);
  EXPECT_EQ(files[0].rfind("care_fees.", 0), 0u);
  EXPECT_EQ(files[1], "ledger." + state_checksum("newer state").substr(0, 16));
  store.reset();
  // Read again by another open of the same path.
  auto again = SnapshotStore::open(path).value();
  EXPECT_EQ(again->get("ledger").value()->bytes(), "newer state");
  EXPECT_EQ(again->get("ledger").value()->sequence, 9);
  ASSERT_TRUE(again->remove("ledger").ok());
  EXPECT_FALSE(again->get("ledger").value().has_value());
  EXPECT_EQ(files_in(again->state_dir()).size(), 1u);
}

TEST(SnapshotStore, AMissingTornOrEditedStateFileIsCorruptNeverTrusted) {
  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  ASSERT_TRUE(store->put(snapshot_of("ledger", 5, "0123456789")).ok());
  const std::string file =
      store->state_dir() + "/ledger." + state_checksum("0123456789").substr(0, 16);
  ASSERT_TRUE(std::filesystem::exists(file));

  {  // edited, same size
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "0123456780";
    auto got = store->get("ledger");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, "snapshot_corrupt");
    EXPECT_EQ(got.error().field, "state");
  }
  {  // torn: shorter than its row says
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "01234";
    auto got = store->get("ledger");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, "snapshot_corrupt");
    EXPECT_NE(got.error().message.find("5 bytes"), std::string::npos) << got.error().message;
  }
  {  // missing
    std::filesystem::remove(file);
    auto got = store->get("ledger");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, "snapshot_corrupt");
    EXPECT_NE(got.error().message.find("missing"), std::string::npos) << got.error().message;
  }
  // A put after any of these makes it whole again.
  ASSERT_TRUE(store->put(snapshot_of("ledger", 6, "0123456789")).ok());
  EXPECT_EQ(store->get("ledger").value()->bytes(), "0123456789");
}

// A crash between writing a state file and committing the row that names it leaves a file no
// row names (and perhaps a temporary one): never read, and removed by the service's next put.
TEST(SnapshotStore, FilesACrashLeftBehindAreRemovedByTheNextPut) {
  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  ASSERT_TRUE(store->put(snapshot_of("ledger", 1, "first")).ok());
  ASSERT_TRUE(store->put(snapshot_of("ledger_x", 1, "another service")).ok());
  std::ofstream(store->state_dir() + "/ledger.00000000deadbeef") << "orphan";
  std::ofstream(store->state_dir() + "/ledger.00000000deadbeef.tmp") << "half";
  EXPECT_EQ(store->get("ledger").value()->bytes(), "first");
  ASSERT_TRUE(store->put(snapshot_of("ledger", 2, "second")).ok());
  const auto files = files_in(store->state_dir());
  ASSERT_EQ(files.size(), 2u) << testing::PrintToString(files);
  EXPECT_EQ(files[0], "ledger." + state_checksum("second").substr(0, 16));
  EXPECT_EQ(files[1].rfind("ledger_x.", 0), 0u);  // another service's file is left alone
}

// get() maps the state file; a service may keep views into the image (Service::load_image). The
// image stays as it was read after the next put replaces the file and removes it, and an empty
// state is an empty image.
TEST(SnapshotStore, AMappedStateOutlivesTheFileTheNextPutRemoves) {
  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  const std::string first(3 << 20, 'x');  // several pages
  ASSERT_TRUE(store->put(snapshot_of("invoicing", 1, first)).ok());
  auto got = store->get("invoicing").value();
  ASSERT_TRUE(got.has_value());
  ASSERT_NE(got->image, nullptr);
  const std::shared_ptr<const StateImage> image = got->image;
  got.reset();
  ASSERT_TRUE(store->put(snapshot_of("invoicing", 2, "second")).ok());
  ASSERT_EQ(files_in(store->state_dir()).size(), 1u);  // the first file is gone
  EXPECT_EQ(image->bytes(), first);
  EXPECT_EQ(store->get("invoicing").value()->bytes(), "second");

  ASSERT_TRUE(store->put(snapshot_of("empty", 1, "")).ok());
  auto empty = store->get("empty").value();
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->bytes().empty());
}

// The checksum is XXH3-128 over the XXH3-128 of each 16 MiB block (canonical, big-endian): a
// state of several blocks, handed over in pieces that straddle them, is recorded with the
// checksum of its whole bytes, read back, and a byte edited in its last block is found.
TEST(SnapshotStore, AStateOfSeveralBlocksIsCheckedBlockByBlock) {
  const auto xxh128 = [](std::string_view bytes) {
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(bytes.data(), bytes.size()));
    return std::string(reinterpret_cast<const char*>(c.digest), sizeof c.digest);
  };
  const auto hex = [](std::string_view bytes) {
    std::string out;
    char two[3];
    for (unsigned char c : bytes) {
      std::snprintf(two, sizeof two, "%02x", c);
      out += two;
    }
    return out;
  };
  EXPECT_EQ(state_checksum("state"), hex(xxh128(xxh128("state"))));
  EXPECT_EQ(state_checksum(""), hex(xxh128("")));  // no block at all
  EXPECT_EQ(state_checksum("state").size(), 32u);
  // The published XXH3-128 of no bytes (xxhash's own test vectors): the library is the one meant.
  EXPECT_EQ(hex(xxh128("")), "99aa06d3014798d86001c324468d497f");

  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  std::string whole;
  auto file = store->write_state("invoicing", [&](SnapshotSink& sink) {
    for (int i = 0; whole.size() < (std::size_t{33} << 20); ++i) {
      const std::string piece(std::size_t{3} << 20 | static_cast<std::size_t>(i),
                              static_cast<char>('a' + i % 26));
      whole += piece;
      sink.write(piece);
    }
  });
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(file->checksum, state_checksum(whole));
  EXPECT_NE(file->checksum, hex(xxh128(whole)));  // blocks, not the whole at once
  ASSERT_TRUE(store->record(snapshot_of("invoicing", 3, ""), *file).ok());
  EXPECT_EQ(store->get("invoicing").value()->bytes(), whole);
  {
    std::fstream f(store->state_dir() + "/" + file->file,
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(whole.size() - 5));
    f.put('#');
  }
  auto edited = store->get("invoicing");
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error().code, "snapshot_corrupt");
}

// A state handed over in pieces (Service::save_to) is stored as their concatenation, hashed as
// it passed, and read back whole.
TEST(SnapshotStore, AStateWrittenInPiecesIsStoredAsTheirConcatenation) {
  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  std::string whole;
  auto file = store->write_state("ledger", [&](SnapshotSink& sink) {
    for (int i = 0; i < 300; ++i) {
      const std::string piece(static_cast<std::size_t>(1 + i * 37 % 5000),
                              static_cast<char>('a' + i % 26));
      whole += piece;
      sink.write(piece);
    }
  });
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(file->checksum, state_checksum(whole));
  EXPECT_EQ(file->bytes, static_cast<std::int64_t>(whole.size()));
  EXPECT_EQ(file->file, "ledger." + file->checksum.substr(0, 16));
  // Written but not recorded: not a snapshot yet.
  EXPECT_FALSE(store->get("ledger").value().has_value());
  Snapshot meta = snapshot_of("ledger", 12, "");
  ASSERT_TRUE(store->record(meta, *file).ok());
  auto got = store->get("ledger").value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->bytes(), whole);
  EXPECT_EQ(got->sequence, 12);
}

// SnapshotChunks hands the text on once it holds a chunk, keeps the rest, and the pieces add up
// to what was written.
TEST(SnapshotStore, ChunksHandTheTextOnAsItFillsAndWhenDone) {
  StringSnapshotSink all;
  struct Counting final : SnapshotSink {
    explicit Counting(SnapshotSink& next) : next_(next) {}
    void write(std::string_view bytes) override {
      sizes.push_back(bytes.size());
      next_.write(bytes);
    }
    SnapshotSink& next_;
    std::vector<std::size_t> sizes;
  } counting(all);
  std::string expected;
  {
    SnapshotChunks chunks(counting, 100);
    for (int i = 0; i < 50; ++i) {
      const std::string record = "record " + std::to_string(i) + "\n";
      chunks.text() += record;
      expected += record;
      chunks.maybe_flush();
    }
    chunks.flush();
    chunks.flush();  // nothing left: nothing handed on
  }
  EXPECT_EQ(all.out, expected);
  ASSERT_GE(counting.sizes.size(), 4u);
  for (std::size_t i = 0; i + 1 < counting.sizes.size(); ++i) {
    EXPECT_GE(counting.sizes[i], 100u);
    EXPECT_LT(counting.sizes[i], 100u + 12u);
  }
  EXPECT_GT(counting.sizes.back(), 0u);
}

// A state that cannot be written (its directory is gone, a full disk) is an error naming the
// file, and leaves the recorded snapshot as it was.
TEST(SnapshotStore, AStateThatCannotBeWrittenIsAnErrorAndLeavesTheOldSnapshot) {
  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  ASSERT_TRUE(store->put(snapshot_of("ledger", 1, "kept")).ok());
  const std::string moved = dir.file("elsewhere");
  std::filesystem::rename(store->state_dir(), moved);
  auto file = store->write_state("ledger", [](SnapshotSink& sink) { sink.write("never stored"); });
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, "storage_error");
  EXPECT_NE(file.error().message.find("ledger.tmp"), std::string::npos) << file.error().message;
  std::filesystem::rename(moved, store->state_dir());
  EXPECT_EQ(store->get("ledger").value()->bytes(), "kept");
}

TEST(SnapshotStore, AServiceNameThatCannotNameAFileIsRefused) {
  TempDir dir;
  auto store = SnapshotStore::open(dir.file("s")).value();
  for (const char* bad : {"", "../escape", "a.b", "with space"}) {
    const Status st = store->put(snapshot_of(bad, 1, "x"));
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().code, "service_name_invalid") << bad;
  }
}

// The older layout kept the state as a BLOB in the row: such a store is emptied on open (its
// services rebuild once) and then used in the new layout.
TEST(SnapshotStore, AStoreOfTheOlderLayoutIsEmptiedAndUpgraded) {
  TempDir dir;
  const std::string path = dir.file("old.snapshots");
  sql(path,
      "PRAGMA application_id=1330664270;"
      "CREATE TABLE snapshots(service TEXT PRIMARY KEY, state_version TEXT NOT NULL, "
      "sequence INTEGER NOT NULL, log_hash TEXT NOT NULL, state_sha256 TEXT NOT NULL, "
      "state BLOB NOT NULL) STRICT;"
      "INSERT INTO snapshots VALUES('ledger','v',1,'h','s',x'00');");
  auto store = SnapshotStore::open(path).value();
  EXPECT_FALSE(store->get("ledger").value().has_value());
  ASSERT_TRUE(store->put(snapshot_of("ledger", 4, "upgraded")).ok());
  store.reset();
  EXPECT_EQ(SnapshotStore::open(path).value()->get("ledger").value()->bytes(), "upgraded");
}

// Layout 3 checked its state files with SHA-256: its rows are dropped on open (the services
// rebuild once), its files left for the next put to remove.
TEST(SnapshotStore, AStoreCheckedWithSha256IsEmptiedAndUpgraded) {
  TempDir dir;
  const std::string path = dir.file("sha.snapshots");
  sql(path,
      "PRAGMA application_id=1330664270; PRAGMA user_version=3;"
      "CREATE TABLE snapshots(service TEXT PRIMARY KEY, state_version TEXT NOT NULL, "
      "sequence INTEGER NOT NULL, log_hash TEXT NOT NULL, state_sha256 TEXT NOT NULL, "
      "state_bytes INTEGER NOT NULL, state_file TEXT NOT NULL) STRICT;"
      "INSERT INTO snapshots VALUES('ledger','v',1,'h','s',1,'ledger.0123456789abcdef');");
  auto store = SnapshotStore::open(path).value();
  EXPECT_FALSE(store->get("ledger").value().has_value());
  ASSERT_TRUE(store->put(snapshot_of("ledger", 4, "upgraded")).ok());
  store.reset();
  EXPECT_EQ(SnapshotStore::open(path).value()->get("ledger").value()->bytes(), "upgraded");
}

TEST(SnapshotStore, AnotherKindOfSqliteFileIsRefused) {
  TempDir dir;
  const std::string path = dir.file("log.db");
  sql(path, "PRAGMA application_id=42; CREATE TABLE t(x);");
  auto store = SnapshotStore::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "not_a_snapshot_store");
}

}  // namespace
}  // namespace oppgjor::runtime
