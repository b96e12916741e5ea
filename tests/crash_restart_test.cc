// A crash at any point of an intake leaves a valid log, and re-running the same intake adds
// exactly the events that were missing (same state hash as an uninterrupted run).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <sqlite3.h>
#include <sys/wait.h>

#include <filesystem>
#include <optional>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::crash_restart_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;

class CrashRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = dir_.file("upstream.jsonl");
    ASSERT_EQ(run(bin() + " sample --out " + sample_ + " --customers 150").exit_code, 0);
    const std::string ref = dir_.file("reference.db");
    const auto r = run(bin() + " ingest " + sample_ + " --db " + ref);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    reference_hash_ = field(run(bin() + " replay --db " + ref).output, "state_hash");
    ASSERT_EQ(reference_hash_.size(), 64u);
    const auto total = events_in(ref);
    ASSERT_TRUE(total.has_value());
    total_ = *total;
    ASSERT_GT(total_, 1500);
  }
  // The events in `db` as `verify` counts them: 0 for no log yet; nullopt (after a failed
  // expectation) when verify fails or prints something unexpected. Never throws.
  std::optional<std::int64_t> events_in(const std::string& db) {
    if (!std::filesystem::exists(db)) return 0;  // killed before it created the file
    const auto v = run(bin() + " verify --db " + db);
    if (v.exit_code == 1 && v.output.find("holds no event log") != std::string::npos) return 0;
    EXPECT_EQ(v.exit_code, 0) << "the log must be verifiable after a crash: " << v.output;
    const std::string n = field(v.output, "events");
    if (v.exit_code != 0 || n.empty() || n.find_first_not_of("0123456789") != std::string::npos) {
      ADD_FAILURE() << "unexpected verify output: " << v.output;
      return std::nullopt;
    }
    return std::stoll(n);
  }
  // After a crash: the log verifies, holds whole batches, and a re-run of the same intake ends
  // with every event and the reference state hash.
  void expect_recovers(const std::string& db, const std::string& what, std::int64_t batch,
                       std::optional<std::int64_t> expected_survivors = std::nullopt) {
    SCOPED_TRACE(what);
    const auto survived = events_in(db);
    ASSERT_TRUE(survived.has_value());
    EXPECT_TRUE(*survived % batch == 0 || *survived == total_)
        << "whole batches only: " << *survived;
    if (expected_survivors) {
      EXPECT_EQ(*survived, *expected_survivors);
    }
    const auto again = run(bin() + " ingest " + sample_ + " --db " + db);
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find(std::to_string(total_ - *survived) + " appended, " +
                                std::to_string(*survived) + " duplicates"),
              std::string::npos)
        << again.output;
    EXPECT_EQ(events_in(db), total_);
    EXPECT_EQ(field(run(bin() + " replay --db " + db).output, "state_hash"), reference_hash_);
  }

  TempDir dir_;
  std::string sample_;
  std::string reference_hash_;
  std::int64_t total_ = 0;
};

TEST_F(CrashRestart, KilledBetweenWriteAndCommitLosesOnlyTheOpenBatch) {
  const std::string db = dir_.file("crash.db");
  const auto crashed =
      run(bin() + " ingest " + sample_ + " --db " + db + " --batch 500 --test-kill-after 1200");
  ASSERT_EQ(crashed.signal, SIGKILL) << crashed.output;
  // batches 1 and 2 committed; batch 3 was written, not committed
  expect_recovers(db, "mid-batch", 500, 1000);
}

// Kill -9 at defined points of an intake (the process kills itself there, so no test depends on
// when a signal from outside happens to land): while the log file is being created, in the
// middle of a batch, and right after a commit, before the WAL is checkpointed.
TEST_F(CrashRestart, KillNineAtEveryPhaseOfAnIntakeIsSafe) {
  struct Point {
    const char* name;
    const char* flags;
    std::int64_t survivors;
  };
  const Point points[] = {
      {"file created, nothing in it", "--test-kill-at-open created", 0},
      {"WAL enabled, no schema yet", "--test-kill-at-open wal", 0},
      {"first batch written, not committed", "--test-kill-after 0", 0},
      {"fourth batch written, not committed", "--test-kill-after 350", 300},
      {"right after the first commit", "--test-kill-after-commits 1", 100},
      {"right after the 12th commit", "--test-kill-after-commits 12", 1200},
  };
  int i = 0;
  for (const auto& p : points) {
    const std::string db = dir_.file("kill" + std::to_string(++i) + ".db");
    const auto crashed =
        run(bin() + " ingest " + sample_ + " --db " + db + " --batch 100 " + p.flags);
    ASSERT_EQ(crashed.signal, SIGKILL) << p.name << ": " << crashed.output;
    expect_recovers(db, p.name, 100, p.survivors);
  }
}

// The cause of a failure seen once on a fresh machine: a writer killed while SQLite held a hot
// rollback journal (switching a new file to WAL goes through one) left a file that a read-only
// connection cannot open ("attempt to write a readonly database"). Made here on purpose: a child
// process dies in the middle of a rollback-journal transaction whose pages already reached the
// file. `verify` must recover it (as the next writer would) and check the chain.
TEST_F(CrashRestart, VerifyRecoversALogLeftWithAHotJournal) {
  const std::string db = dir_.file("hot.db");
  ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + db).exit_code, 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    sqlite3* raw = nullptr;
    if (sqlite3_open(db.c_str(), &raw) != SQLITE_OK) _exit(2);
    // A tiny page cache makes SQLite write changed pages to the file before the commit.
    const char* sql =
        "PRAGMA journal_mode=DELETE; PRAGMA cache_size=2; BEGIN; "
        "CREATE TABLE scratch(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
        "WHERE i < 20000) INSERT INTO scratch SELECT randomblob(200) FROM n;";
    if (sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) != SQLITE_OK) _exit(3);
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
  ASSERT_TRUE(std::filesystem::exists(db + "-journal")) << "the journal must be hot";
  const auto v = run(bin() + " verify --db " + db);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_EQ(field(v.output, "events"), std::to_string(total_)) << v.output;
  EXPECT_FALSE(std::filesystem::exists(db + "-journal"));
  EXPECT_EQ(field(run(bin() + " replay --db " + db).output, "state_hash"), reference_hash_);
}

}  // namespace
}  // namespace oppgjor::crash_restart_test
