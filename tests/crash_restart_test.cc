// A crash at any point of an intake leaves a valid log, and re-running the same intake adds
// exactly the events that were missing (same state hash as an uninterrupted run).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "events/tests/test_support.h"
#include "tests/process.h"

namespace oppgjor {
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
    total_ = std::stoll(field(run(bin() + " verify --db " + ref).output, "events"));
    ASSERT_GT(total_, 1500);
  }
  std::int64_t events_in(const std::string& db) {
    if (!std::filesystem::exists(db)) return 0;  // killed before it created the file
    const auto v = run(bin() + " verify --db " + db);
    if (v.output.find("holds no event log") != std::string::npos) return 0;  // killed first
    EXPECT_EQ(v.exit_code, 0) << "the log must be valid after a crash: " << v.output;
    return std::stoll(field(v.output, "events"));
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
  EXPECT_EQ(events_in(db), 1000);  // batches 1 and 2 committed; batch 3 was written, not committed

  const auto again = run(bin() + " ingest " + sample_ + " --db " + db + " --batch 500");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find(std::to_string(total_ - 1000) + " appended, 1000 duplicates"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(events_in(db), total_);
  EXPECT_EQ(field(run(bin() + " replay --db " + db).output, "state_hash"), reference_hash_);
}

TEST_F(CrashRestart, KillNineFromOutsideAtArbitraryMomentsIsSafe) {
  for (int delay_ms : {5, 20, 60}) {
    const std::string db = dir_.file("kill" + std::to_string(delay_ms) + ".db");
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string b = bin();
      execl(b.c_str(), b.c_str(), "ingest", sample_.c_str(), "--db", db.c_str(), "--batch", "100",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const std::int64_t survived = events_in(db);  // valid whatever the moment
    EXPECT_EQ(survived % 100 == 0 || survived == total_, true)
        << "whole batches only: " << survived;
    const auto again = run(bin() + " ingest " + sample_ + " --db " + db);
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_EQ(events_in(db), total_);
    EXPECT_EQ(field(run(bin() + " replay --db " + db).output, "state_hash"), reference_hash_)
        << "delay " << delay_ms << " ms, " << survived << " events survived the kill";
  }
}

}  // namespace
}  // namespace oppgjor
