// The services runtime end to end (issue 7): `oppgjor run` killed with SIGKILL at seeded commits
// while the care-fees service bills a year for a few hundred residents (thousands of invoice
// bases); after a restart nothing is lost or doubled, `verify` passes, the replay state hash
// equals an uninterrupted run's, and every snapshot equals a full rebuild.
//
// The kill points are commits counted by the runner (--kill-before-commit / --kill-after-commit),
// never moments in time: the test cannot pass or fail by timing luck. The seed is printed.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "tests/support/care_fees_upstream.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::services_crash_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;
using testing::Upstream;

constexpr int residents = 160;
// 50 seeded kill points (issue 7 asks for at least 50), in every build, as two tests of 25 with
// their own seeds so ctest -j2 runs the halves side by side. The kills come in chains: a run
// killed at a drawn commit, restarted and killed again further on, up to chain_max times, then
// restarted to the end and checked (verify, replay against the uninterrupted run, snapshots). A
// restart killed again is the harder case (it resumes from a kill's leftovers and must leave
// leftovers another restart can resume from), and one full run per chain instead of per kill
// keeps the test at a third of the time under the sanitizers (ops/test.sh), where 25 single
// rounds took 170 s.
constexpr int kill_points = 25;
constexpr int chain_max = 5;

class ServicesCrash : public ::testing::Test {
 protected:
  // Residents with stays and provisional income, then twelve billing commands (pending: no
  // service has run yet).
  void SetUp() override {
    Upstream up(1);
    for (int i = 0; i < residents; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "C%06d", 100 + i);
      up.customer(id);
      up.stay(id, std::string("S-") + id, "2024-06-01");
      up.income(id, "provisional", std::to_string(180000 + 1000 * (i % 50)) + ".00", "30000.00");
    }
    for (int m = 1; m <= 12; ++m) {
      up.command("care_fees.billing_requested",
                 R"({"year":2025,"month":)" + std::to_string(m) + "}", "fakturering");
    }
    input_ = dir_.file("input.jsonl");
    up.write(input_);
    pristine_ = dir_.file("pristine.db");
    const auto r = run(bin() + " ingest " + input_ + " --db " + pristine_);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  std::string copy_of_pristine(const std::string& name) {
    const std::string db = dir_.file(name);
    std::filesystem::copy_file(pristine_, db, std::filesystem::copy_options::overwrite_existing);
    return db;
  }
  // kill_rounds seeded kill points (seed printed), each followed by a restart; then the checks.
  void killed_at_seeded_commits();

  TempDir dir_;
  std::string input_, pristine_;
};

TEST_F(ServicesCrash, KilledAtSeededCommitsLosesAndDoublesNothing) {
  killed_at_seeded_commits();
}

TEST_F(ServicesCrash, KilledAtOtherSeededCommitsLosesAndDoublesNothing) {
  killed_at_seeded_commits();
}

void ServicesCrash::killed_at_seeded_commits() {
  // The uninterrupted run.
  const std::string reference = copy_of_pristine("reference.db");
  const auto ran = run(bin() + " run --commit-every 16 --db " + reference);
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto replayed = run(bin() + " replay --db " + reference);
  ASSERT_EQ(replayed.exit_code, 0) << replayed.output;
  const std::string hash = field(replayed.output, "state_hash");
  const std::string events = field(replayed.output, "events");
  ASSERT_FALSE(hash.empty());
  // Inputs (3 per resident, 12 commands), then one bill per resident and month, two fee
  // decisions per resident (the provisional fee in January, the changed fee with May's new G:
  // services/care_fees/decisions.h) and one answer per command: thousands of events.
  ASSERT_EQ(std::stoll(events), (3 * residents + 12) + (14 * residents + 12)) << replayed.output;
  ASSERT_EQ(field(ran.output, "appended"), std::to_string(14 * residents + 12)) << ran.output;

  const unsigned seed = std::random_device{}();
  std::printf("ServicesCrash seed=%u\n", seed);
  SCOPED_TRACE("seed=" + std::to_string(seed));
  std::mt19937 rng(seed);
  // The runner commits every 16 consumed events (a decision's outputs always whole, with the
  // checkpoint after it); kill points are drawn from the commits the uninterrupted run made.
  const int commits = std::stoi(field(ran.output, "commits"));
  ASSERT_GE(commits, 4 * chain_max) << ran.output;
  // A kill in a chain comes within the next quarter of the run's commits, so a chain of five
  // usually reaches past the middle of the run and sometimes its end.
  std::uniform_int_distribution<int> commit_no(1, commits / 4);
  int kills = 0;
  for (int chain = 0; kills < kill_points; ++chain) {
    const std::string db = copy_of_pristine("chain.db");
    std::filesystem::remove(db + ".snapshots");
    std::string where = "chain " + std::to_string(chain) + ":";
    for (int link = 0; link < chain_max && kills < kill_points; ++link) {
      const int k = commit_no(rng);
      const bool before = rng() % 2 == 0;
      where += std::string(" killed ") + (before ? "before" : "after") + " commit " +
               std::to_string(k) + ",";
      const auto killed =
          run(bin() + " run --commit-every 16 --db " + db +
              (before ? " --kill-before-commit " : " --kill-after-commit ") + std::to_string(k));
      if (killed.signal == 0 && killed.exit_code == 0) {
        where += " (finished first)";
        break;  // fewer commits left than k: the run ended, this chain is done
      }
      ASSERT_EQ(killed.signal, SIGKILL) << where << ": " << killed.output;
      ++kills;
    }
    const auto restarted = run(bin() + " run --commit-every 16 --db " + db);
    ASSERT_EQ(restarted.exit_code, 0) << where << ": " << restarted.output;
    const auto verify = run(bin() + " verify --db " + db);
    ASSERT_EQ(verify.exit_code, 0) << where << ": " << verify.output;
    const auto again = run(bin() + " replay --check-snapshots --db " + db);
    ASSERT_EQ(again.exit_code, 0) << where << ": " << again.output;
    EXPECT_EQ(field(again.output, "state_hash"), hash) << where;
    EXPECT_EQ(field(again.output, "events"), events) << where;
    EXPECT_EQ(field(again.output, "snapshots"), "equal") << where << ": " << again.output;
  }
  EXPECT_EQ(kills, kill_points);
}

TEST_F(ServicesCrash, SnapshotPlusTailEqualsAFullRebuild) {
  const std::string db = copy_of_pristine("snap.db");
  ASSERT_EQ(run(bin() + " run --db " + db).exit_code, 0);
  // More input after the snapshot: a new resident and a billing command for January 2026 is
  // refused (no 2026 parameters) but recorded; the snapshot is now behind the log.
  Upstream up(900000);
  up.customer("C999001");
  up.stay("C999001", "S-C999001", "2025-03-10");
  up.income("C999001", "provisional", "210000.00", "31000.00");
  const std::string more = dir_.file("more.jsonl");
  up.write(more);
  ASSERT_EQ(run(bin() + " ingest " + more + " --db " + db).exit_code, 0);
  const auto check = run(bin() + " replay --check-snapshots --db " + db);
  ASSERT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(field(check.output, "snapshots"), "equal") << check.output;
  EXPECT_NE(check.output.find("snapshot service=care_fees"), std::string::npos) << check.output;
  // A snapshot of another state version is rebuilt, never trusted.
  const auto tampered =
      run("sqlite3 " + db + ".snapshots \"UPDATE snapshots SET state_version='care_fees/old'\"");
  ASSERT_EQ(tampered.exit_code, 0) << tampered.output;
  const auto rebuilt = run(bin() + " run --db " + db);
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  EXPECT_NE(rebuilt.output.find("snapshot_from=0"), std::string::npos) << rebuilt.output;
  EXPECT_NE(rebuilt.output.find("state version care_fees/old"), std::string::npos)
      << rebuilt.output;
}

}  // namespace
}  // namespace oppgjor::services_crash_test
