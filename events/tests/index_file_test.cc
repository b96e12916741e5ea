// The index file beside the log (events/index_file.h): a later writer reads only the event_index
// rows after it and finds every id and stream version in it; a file that does not match the log
// — another log's, a torn one, one ahead of the log — is never used; a rolled-back batch never
// reaches it; a dry run or a reader never writes one.
#include "events/index_file.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>

#include "events/event_log.h"
#include "tests/support/test_support.h"

namespace oppgjor::events {
namespace {

using testing::proposed;
using testing::TempDir;

class IndexFileTest : public ::testing::Test {
 protected:
  std::unique_ptr<EventLog> open(const std::string& name, LogOptions options = {}) {
    options.index_file_min_rows = 1;  // written whenever a log that indexed rows closes
    auto r = EventLog::open(dir_.file(name), clock_, options);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? std::move(r.value()) : nullptr;
  }
  static BatchResult append(EventLog& log, std::vector<ProposedEvent> batch,
                            BatchPolicy policy = BatchPolicy::per_event) {
    auto r = log.append(batch, policy);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? r.value() : BatchResult{};
  }
  // 3,000 events over the streams s/0 .. s/99 (version 30 each at the end), then closed.
  void write_log(const std::string& name, const std::string& prefix) {
    auto log = open(name);
    std::vector<ProposedEvent> batch;
    for (int i = 0; i < 3000; ++i) {
      batch.push_back(proposed(prefix + std::to_string(i), "s/" + std::to_string(i % 100)));
    }
    ASSERT_EQ(append(*log, batch).appended, 3000u);
  }
  bool has_file(const std::string& name) const {
    return std::filesystem::exists(index_file_path(dir_.file(name)));
  }

  TempDir dir_;
  FixedClock clock_;
};

TEST_F(IndexFileTest, ALaterWriterReadsOnlyTheRowsAfterTheFile) {
  write_log("log.db", "id-");
  ASSERT_TRUE(has_file("log.db"));
  auto log = open("log.db");
  // Every id is found again, through the file alone.
  std::vector<ProposedEvent> again;
  for (int i = 0; i < 3000; i += 7) {
    again.push_back(proposed("id-" + std::to_string(i), "s/" + std::to_string(i % 100)));
  }
  auto dup = append(*log, again);
  EXPECT_EQ(dup.duplicates, again.size());
  EXPECT_EQ(dup.appended, 0u);
  EXPECT_EQ(log->index_rows_read(), 0);
  // Stream versions continue from the file, and a stale one is still refused.
  auto next = append(*log, {proposed("n1", "s/7"), proposed("n2", "s/new")});
  EXPECT_EQ(next.outcomes[0].stream_version, 31);
  EXPECT_EQ(next.outcomes[1].stream_version, 1);
  auto stale = append(*log, {proposed("n3", "s/8", R"({"n":1})", 30)});
  ASSERT_EQ(stale.rejected, 1u);
  EXPECT_EQ(stale.outcomes[0].reason, reason::stale_version);
  EXPECT_EQ(*log->stream_version("s/99"), 30);
  EXPECT_EQ(*log->stream_version("s/none"), 0);
  EXPECT_EQ(*log->sequence_of("id-2999"), 3000);
  // Rows another writer appends after the file are read from event_index, and only they.
  {
    auto other = open("log.db");
    ASSERT_EQ(append(*other, {proposed("o1", "s/7"), proposed("o2", "s/9")}).appended, 2u);
  }
  const std::int64_t read_before = log->index_rows_read();
  auto after = append(*log, {proposed("o1", "s/7"), proposed("n4", "s/7")});
  EXPECT_EQ(after.duplicates, 1u);
  EXPECT_EQ(after.outcomes[1].stream_version, 33);
  EXPECT_EQ(log->index_rows_read() - read_before, 2);  // o1 and o2, none of the 3,000
  EXPECT_TRUE(log->verify()->intact);
}

TEST_F(IndexFileTest, TheFileWrittenAgainHoldsWhatWasAppendedSince) {
  write_log("log.db", "id-");
  {
    auto log = open("log.db");
    ASSERT_EQ(append(*log, {proposed("m1", "s/1"), proposed("m2", "s/brand-new")}).appended, 2u);
    ASSERT_TRUE(log->save_index_file().ok());
    // After the save, the streams it knew are found in the rewritten table.
    EXPECT_EQ(*log->stream_version("s/1"), 31);
    EXPECT_EQ(append(*log, {proposed("m3", "s/brand-new")}).outcomes[0].stream_version, 2);
  }
  auto log = open("log.db");
  auto r = append(*log, {proposed("m1", "s/1"), proposed("m2", "s/brand-new"),
                         proposed("m3", "s/brand-new"), proposed("m4", "s/brand-new")});
  EXPECT_EQ(r.duplicates, 3u);
  EXPECT_EQ(r.outcomes[3].stream_version, 3);
  EXPECT_EQ(log->index_rows_read(), 1);  // m3's row: one row is too few to write the file again
}

TEST_F(IndexFileTest, AFileThatDoesNotMatchTheLogIsIgnored) {
  write_log("a.db", "a-");
  write_log("b.db", "b-");
  const auto a_index = index_file_path(dir_.file("a.db"));
  const auto b_index = index_file_path(dir_.file("b.db"));
  // Another log's file: its ids would make b's look new.
  std::filesystem::copy_file(a_index, b_index, std::filesystem::copy_options::overwrite_existing);
  {
    auto log = open("b.db");
    EXPECT_EQ(append(*log, {proposed("b-5", "s/5")}).duplicates, 1u);
    EXPECT_EQ(append(*log, {proposed("a-5", "s/x")}).appended, 1u);
    EXPECT_EQ(log->index_rows_read(), 3000);  // all of b's rows, from event_index
  }
  // A torn file (cut short): ignored.
  std::filesystem::resize_file(b_index, std::filesystem::file_size(b_index) / 2);
  {
    auto log = open("b.db");
    EXPECT_EQ(append(*log, {proposed("b-7", "s/7")}).duplicates, 1u);
    EXPECT_EQ(log->index_rows_read(), 3001);
  }
  // A file ahead of the log (the log restored from an older copy): ignored.
  write_log("c.db", "c-");
  std::filesystem::copy_file(dir_.file("c.db"), dir_.file("c-old.db"));
  {
    auto log = open("c.db");
    ASSERT_EQ(append(*log, {proposed("late", "s/1")}).appended, 1u);
    ASSERT_TRUE(log->save_index_file().ok());
  }
  std::filesystem::copy_file(index_file_path(dir_.file("c.db")),
                             index_file_path(dir_.file("c-old.db")));
  auto old = open("c-old.db");
  auto r = append(*old, {proposed("late", "s/1"), proposed("c-9", "s/9")});
  EXPECT_EQ(r.appended, 1u) << "late is not in this log";
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.outcomes[0].stream_version, 31);
}

TEST_F(IndexFileTest, ARolledBackBatchNeverReachesTheFile) {
  write_log("log.db", "id-");
  {
    auto log = open("log.db");
    log->set_before_commit_hook([&](const BatchResult&) {
      sqlite3_exec(log->db(), "ROLLBACK", nullptr, nullptr, nullptr);
    });
    ASSERT_FALSE(log->append(std::vector{proposed("gone", "s/1")}, BatchPolicy::per_event).ok());
    log->set_before_commit_hook(nullptr);
    ASSERT_TRUE(log->save_index_file().ok());
  }
  auto log = open("log.db");
  auto r = append(*log, {proposed("gone", "s/1")});
  EXPECT_EQ(r.appended, 1u) << "the id of the rolled-back batch was forgotten";
  EXPECT_EQ(r.outcomes[0].stream_version, 31);
}

TEST_F(IndexFileTest, ADryRunOrAReaderNeverWritesTheFile) {
  {
    auto log = open("log.db");
    std::vector<ProposedEvent> batch;
    for (int i = 0; i < 50; ++i) batch.push_back(proposed("r" + std::to_string(i), "s/1"));
    ASSERT_EQ(append(*log, batch).appended, 50u);
  }
  ASSERT_TRUE(has_file("log.db"));
  std::filesystem::remove(index_file_path(dir_.file("log.db")));
  {
    LogOptions dry;
    dry.dry_run = true;
    auto log = open("log.db", dry);
    auto r = log->append(std::vector{proposed("d1", "s/1"), proposed("r3", "s/1")},
                         BatchPolicy::per_event);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->appended, 1u);
    EXPECT_EQ(r->duplicates, 1u);
    EXPECT_FALSE(log->save_index_file().ok());
  }
  EXPECT_FALSE(has_file("log.db")) << "a dry run wrote the index file";
  {
    LogOptions read_only;
    read_only.read_only = true;
    auto log = open("log.db", read_only);
    EXPECT_EQ(*log->sequence_of("r3"), 4);
  }
  EXPECT_FALSE(has_file("log.db")) << "a read-only open wrote the index file";
}

// Property: whatever mix of writers, closes, saves and rolled-back batches built a log, a writer
// that starts from its index file sees the same ids and stream versions as one that reads every
// event_index row. Seeded; the seed is printed on failure.
TEST_F(IndexFileTest, AWriterFromTheFileSeesWhatOneFromEveryRowSees) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const std::string name = "p" + std::to_string(seed) + ".db";
    std::vector<std::string> ids;
    std::unique_ptr<EventLog> log = open(name);
    for (int round = 0; round < 40; ++round) {
      std::vector<ProposedEvent> batch;
      const int n = 1 + static_cast<int>(rng() % 60);
      for (int i = 0; i < n; ++i) {
        // New ids on a few hundred streams, and now and then an id sent before.
        if (!ids.empty() && rng() % 8 == 0) {
          const std::string& id = ids[rng() % ids.size()];
          batch.push_back(proposed(id, "s/" + id.substr(id.find('.') + 1)));
        } else {
          const std::string stream = std::to_string(rng() % 300);
          const std::string id =
              "e" + std::to_string(round) + "-" + std::to_string(i) + "." + stream;
          batch.push_back(proposed(id, "s/" + stream));
        }
      }
      const unsigned what = rng() % 10;
      if (what == 0) {  // a batch whose commit fails: forgotten
        log->set_before_commit_hook([&](const BatchResult&) {
          sqlite3_exec(log->db(), "ROLLBACK", nullptr, nullptr, nullptr);
        });
        ASSERT_FALSE(log->append(batch, BatchPolicy::per_event).ok());
        log->set_before_commit_hook(nullptr);
        continue;
      }
      auto r = append(*log, batch);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (r.outcomes[i].kind == AppendOutcome::Kind::appended) ids.push_back(batch[i].event_id);
      }
      if (what == 1) {
        ASSERT_TRUE(log->save_index_file().ok());
      } else if (what == 2) {
        log = open(name);  // closed (the file written when due), then a new writer
      }
    }
    log.reset();
    ASSERT_TRUE(has_file(name));
    // The same log without its index file (copied while no connection is open).
    std::filesystem::copy_file(dir_.file(name), dir_.file("copy-" + name));
    LogOptions never;
    never.index_file_min_rows = 0;
    auto from_rows = EventLog::open(dir_.file("copy-" + name), clock_, never);
    ASSERT_TRUE(from_rows.ok());
    auto from_file = open(name);
    for (int stream = 0; stream < 300; ++stream) {
      const std::string s = "s/" + std::to_string(stream);
      EXPECT_EQ(*from_file->stream_version(s), *(*from_rows)->stream_version(s)) << s;
    }
    for (const auto& id : ids) {
      EXPECT_EQ(*from_file->sequence_of(id), *(*from_rows)->sequence_of(id)) << id;
    }
    const std::int64_t head = (*from_rows)->head()->sequence;
    EXPECT_EQ((*from_rows)->index_rows_read(), head);
    EXPECT_LT(from_file->index_rows_read(), head) << "the file was not used";
    // And both append the same way from here.
    auto a = append(*from_file, {proposed("last", "s/7"), proposed(ids.front(), "s/x")});
    auto b = append(**from_rows, {proposed("last", "s/7"), proposed(ids.front(), "s/x")});
    EXPECT_EQ(a.outcomes[0].stream_version, b.outcomes[0].stream_version);
    EXPECT_EQ(a.outcomes[1].reason, b.outcomes[1].reason);
  }
}

}  // namespace
}  // namespace oppgjor::events
