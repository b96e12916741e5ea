// Issue 6, item 11: a recalculation run in which no resident got a computed fee could still be
// approved (an approval that records nothing and closes the year). Refused: nothing_to_approve,
// exit 3, with a Norwegian sentence for the approver.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/care_fees_upstream.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_nothing_to_approve_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;
using testing::Upstream;

TEST(Issue6NothingToApprove, ARunWithoutAComputedResidentIsNotApproved) {
  TempDir dir;
  const std::string db = dir.file("log.db");
  Upstream up(1);
  up.customer("C000456");
  up.stay("C000456", "S-1", "2024-06-01");
  up.income("C000456", "provisional", "260000.00", "40000.00");  // no final assessment yet
  const std::string path = dir.file("a.jsonl");
  up.write(path);
  ASSERT_EQ(run(bin() + " ingest " + path + " --db " + db).exit_code, 0);
  const auto started =
      run(bin() + " care-fees recalc --year 2025 --actor saksbehandler.a --db " + db);
  ASSERT_EQ(started.exit_code, 0) << started.output;
  EXPECT_NE(started.output.find("waiting=1"), std::string::npos) << started.output;
  const std::string run_id = field(started.output, "run_id");
  const std::string events = field(run(bin() + " verify --db " + db).output, "events");
  const auto approve = run(bin() + " care-fees approve " + run_id + " --actor leder.b --db " + db);
  EXPECT_EQ(approve.exit_code, 3) << approve.output;
  EXPECT_NE(approve.output.find("avvist (nothing_to_approve, run_id): ingen beboer i kjøringen"),
            std::string::npos)
      << approve.output;
  // The request and its refusal are recorded; no approval.
  EXPECT_EQ(std::stoll(field(run(bin() + " verify --db " + db).output, "events")),
            std::stoll(events) + 2);
}

}  // namespace
}  // namespace oppgjor::issue_6_nothing_to_approve_test
