// Issue 6, items 4 and 5, and the replay findings of issue 7: --as-of compared timestamps as text
// (an offset was misread, a whole second took in events recorded later within it, nonsense
// replayed everything with exit 0); replay folded a log that `verify` rejects and printed a state
// hash; the state hash did not cover invoice bases.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_replay_hardening_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;

// Hands out the given recorded_at instants, one per batch.
class ScriptedClock final : public events::Clock {
 public:
  explicit ScriptedClock(std::vector<std::string> times) : times_(std::move(times)) {}
  std::string now_utc() override { return times_.at(std::min(next_++, times_.size() - 1)); }

 private:
  std::vector<std::string> times_;
  std::size_t next_ = 0;
};

class Issue6AsOf : public ::testing::Test {
 protected:
  void SetUp() override {
    ScriptedClock clock({"2026-03-01T10:00:00.100000Z", "2026-03-01T10:00:00.900000Z",
                         "2026-03-01T11:30:00.000000Z"});
    auto log = events::EventLog::open(db(), clock);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    for (int i = 1; i <= 3; ++i) {
      auto e = events::testing::proposed("00000000-0000-4000-8000-00000000000" + std::to_string(i),
                                         "thing/" + std::to_string(i));
      auto r = (*log)->append(std::span(&e, 1), events::BatchPolicy::all_or_nothing);
      ASSERT_TRUE(r.ok() && r->appended == 1);
    }
  }
  std::string db() const { return dir_.file("log.db"); }
  testing::RunResult replay(const std::string& args) {
    return run(bin() + " replay --db " + db() + " " + args);
  }
  std::string events_as_of(const std::string& instant) {
    const auto r = replay("--as-of " + instant);
    EXPECT_EQ(r.exit_code, 0) << instant << ": " << r.output;
    return field(r.output, "events");
  }
  TempDir dir_;
};

TEST_F(Issue6AsOf, InstantsAreComparedAsInstantsNotText) {
  EXPECT_EQ(events_as_of("2026-03-01T10:00:00Z"), "0");  // the whole second is not "at or before"
  EXPECT_EQ(events_as_of("2026-03-01T10:00:00.1Z"), "1");
  EXPECT_EQ(events_as_of("2026-03-01T10:00:00.500000Z"), "1");
  EXPECT_EQ(events_as_of("2026-03-01T10:00:00.9z"), "2");
  EXPECT_EQ(events_as_of("2026-03-01T11:00:00+01:00"), "0");  // = 10:00:00Z
  EXPECT_EQ(events_as_of("2026-03-01T11:00:00.95+01:00"), "2");
  EXPECT_EQ(events_as_of("2026-03-01T12:29:59.999999+01:00"), "2");
  EXPECT_EQ(events_as_of("2026-03-01T12:30:00+01:00"), "3");
  EXPECT_EQ(events_as_of("2026-03-01T05:30:00-06:00"), "3");
  EXPECT_EQ(events_as_of("2026-02-28T23:00:00Z"), "0");
}

TEST_F(Issue6AsOf, WhatIsNoInstantIsRefusedWithExit2) {
  for (const char* bad : {"nonsense", "2026-03-01", "2026-03-01T10:00:00", "2026-02-30T10:00:00Z",
                          "2026-03-01T24:00:00Z", "2026-03-01T10:00:00.1234567Z",
                          "2026-03-01T10:00:00+1:00", "'2026-03-01T10:00:00 Z'"}) {
    const auto r = replay(std::string("--as-of ") + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--as-of"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("state_hash="), std::string::npos) << r.output;
  }
}

TEST_F(Issue6AsOf, UntilSeqBeyondTheHeadOrZeroIsSaidPlainly) {
  const auto beyond = replay("--until-seq 4");
  EXPECT_EQ(beyond.exit_code, 2) << beyond.output;
  EXPECT_NE(beyond.output.find("beyond the log's head (sequence 3)"), std::string::npos)
      << beyond.output;
  const auto zero = replay("--until-seq 0");
  EXPECT_EQ(zero.exit_code, 2) << zero.output;
  EXPECT_NE(zero.output.find("--until-seq must be a sequence of 1 or more"), std::string::npos)
      << zero.output;
  EXPECT_EQ(field(replay("--until-seq 3").output, "events"), "3");
}

std::vector<std::string> sample_lines(const TempDir& dir) {
  const std::string path = dir.file("sample.jsonl");
  EXPECT_EQ(run(bin() + " sample --out " + path + " --customers 40").exit_code, 0);
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string ingest(const TempDir& dir, const std::string& name,
                   const std::vector<std::string>& lines) {
  const std::string path = dir.file(name + ".jsonl");
  std::ofstream out(path);
  for (const auto& l : lines) out << l << '\n';
  out.close();
  const std::string db = dir.file(name + ".db");
  const auto r = run(bin() + " ingest " + path + " --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return db;
}

TEST(Issue6Replay, ABrokenChainGivesNoStateHashAndExit4) {
  TempDir dir;
  const std::string db = ingest(dir, "log", sample_lines(dir));
  ASSERT_EQ(run(bin() + " replay --db " + db).exit_code, 0);
  const auto t = run("sqlite3 " + db +
                     " \"DROP TRIGGER events_no_update; UPDATE events SET "
                     "occurred_at=occurred_at||' ' WHERE sequence=17\"");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  const auto r = run(bin() + " replay --db " + db);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_EQ(field(r.output, "first_bad_sequence"), "17") << r.output;
  EXPECT_EQ(r.output.find("state_hash="), std::string::npos) << r.output;
  // A prefix that ends before the bad row is intact.
  EXPECT_EQ(run(bin() + " replay --until-seq 16 --db " + db).exit_code, 0);
}

TEST(Issue6Replay, AnEventIndexThatDiffersFromTheEventsIsFound) {
  TempDir dir;
  const std::string db = ingest(dir, "log", sample_lines(dir));
  const auto t = run("sqlite3 " + db +
                     " \"DROP TRIGGER event_index_no_update; UPDATE event_index SET "
                     "type='customers.customer_changed' WHERE sequence=5\"");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  const auto r = run(bin() + " replay --db " + db);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("event_index does not match"), std::string::npos) << r.output;
}

TEST(Issue6Replay, LogsThatDifferOnlyInAnInvoiceBasisHaveDifferentStateHashes) {
  TempDir dir;
  const auto lines = sample_lines(dir);
  auto changed = lines;
  bool done = false;
  for (auto& l : changed) {
    if (done || l.find("\"invoicing.invoice_basis_received\"") == std::string::npos) continue;
    static const std::regex issuer("\"fakturautsteder\":\"([A-Z0-9_]+)\"");
    l = std::regex_replace(l, issuer, "\"fakturautsteder\":\"$1X\"",
                           std::regex_constants::format_first_only);
    done = true;
  }
  ASSERT_TRUE(done);
  const auto a = run(bin() + " replay --db " + ingest(dir, "a", lines));
  const auto b = run(bin() + " replay --db " + ingest(dir, "b", changed));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(field(a.output, "state_hash"), field(b.output, "state_hash"));
  EXPECT_NE(a.output.find("projection invoice_bases"), std::string::npos) << a.output;
  EXPECT_EQ(field(a.output, "events"), field(b.output, "events"));
}

}  // namespace
}  // namespace oppgjor::issue_6_replay_hardening_test
