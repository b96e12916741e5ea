// Replay is a pure function of the events: the same log gives the same state hash every time,
// whatever the physical page order, and however streams interleave (as Kafka partitions do).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::replay_determinism_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const auto& l : lines) out << l << '\n';
}

std::string stream_of(const std::string& line) {
  static const std::regex re("\"stream\":\"([^\"]+)\"");
  std::smatch m;
  return std::regex_search(line, m, re) ? m[1].str() : "";
}

class ReplayDeterminism : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = dir_.file("upstream.jsonl");
    db_ = dir_.file("log.db");
    ASSERT_EQ(run(bin() + " sample --out " + sample_ + " --customers 80").exit_code, 0);
    // Batches of 100: recorded_at is one instant per batch, so --as-of resolves to batch ends.
    ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + db_ + " --batch 100").exit_code, 0);
  }
  std::string hash(const std::string& db, const std::string& extra = "") {
    const auto r = run(bin() + " replay --db " + db + extra);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return field(r.output, "state_hash");
  }
  TempDir dir_;
  std::string sample_;
  std::string db_;
};

TEST_F(ReplayDeterminism, SameLogSameHashAcrossRunsAndVacuum) {
  const std::string h = hash(db_);
  ASSERT_EQ(h.size(), 64u);
  EXPECT_EQ(hash(db_), h);
  ASSERT_EQ(run("sqlite3 " + db_ + " VACUUM").exit_code, 0);
  EXPECT_EQ(hash(db_), h);
}

TEST_F(ReplayDeterminism, StateStoreIsDisposable) {
  const std::string out = dir_.file("state.db");
  const std::string h = hash(db_, " --out " + out);
  const auto dump1 =
      run("sqlite3 " + out + " 'SELECT projection,key,value FROM state ORDER BY 1,2'");
  EXPECT_EQ(hash(db_, " --out " + out), h);  // replaced, not appended to
  const auto dump2 =
      run("sqlite3 " + out + " 'SELECT projection,key,value FROM state ORDER BY 1,2'");
  EXPECT_EQ(dump1.output, dump2.output);
  EXPECT_NE(dump1.output.find("customers|C0000001|"), std::string::npos);
  // Never overwrites something that is not a state store.
  EXPECT_EQ(run(bin() + " replay --db " + db_ + " --out " + db_).exit_code, 1);
}

TEST_F(ReplayDeterminism, UntilSeqAndAsOfEqualAReplayOfThePrefix) {
  const auto lines = read_lines(sample_);
  const std::size_t k = 700;
  const std::string prefix = dir_.file("prefix.jsonl");
  write_lines(prefix, std::vector<std::string>(lines.begin(), lines.begin() + k));
  const std::string prefix_db = dir_.file("prefix.db");
  ASSERT_EQ(run(bin() + " ingest " + prefix + " --db " + prefix_db).exit_code, 0);
  const std::string want = hash(prefix_db);
  EXPECT_EQ(hash(db_, " --until-seq " + std::to_string(k)), want);
  const auto at = run("sqlite3 " + db_ +
                      " 'SELECT recorded_at FROM events WHERE sequence=" + std::to_string(k) + "'");
  std::string ts = at.output.substr(0, at.output.find('\n'));
  EXPECT_EQ(hash(db_, " --as-of " + ts), want);
  EXPECT_NE(hash(db_), want);
}

TEST_F(ReplayDeterminism, OtherInterleavingOfStreamsGivesTheSameHash) {
  // Keep each stream's order (as a Kafka partition does), interleave streams differently.
  std::map<std::string, std::vector<std::string>> by_stream;
  std::vector<std::string> order;
  for (const auto& l : read_lines(sample_)) {
    const auto s = stream_of(l);
    if (by_stream[s].empty()) order.push_back(s);
    by_stream[s].push_back(l);
  }
  std::vector<std::string> shuffled;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    for (const auto& l : by_stream[*it]) shuffled.push_back(l);
  }
  const std::string other = dir_.file("other.jsonl");
  write_lines(other, shuffled);
  const std::string other_db = dir_.file("other.db");
  ASSERT_EQ(run(bin() + " ingest " + other + " --db " + other_db).exit_code, 0);
  EXPECT_EQ(hash(other_db), hash(db_));
  // The logs themselves differ (other global order, other chain), the state does not.
  EXPECT_NE(field(run(bin() + " verify --db " + other_db).output, "head_hash"),
            field(run(bin() + " verify --db " + db_).output, "head_hash"));
}

}  // namespace
}  // namespace oppgjor::replay_determinism_test
