// Issue 6, item 2: a dead letter written at append time (stale_version, id_conflict,
// version_gap) kept its `source` as a view into the decoder of the reading thread, which is gone
// by the time a queued batch is appended: the stored source was garbage (a use after free that
// the sanitizer build of ops/test.sh reports as such).
#include <gtest/gtest.h>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_dead_letter_source_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

TEST(Issue6DeadLetterSource, AppendTimeRejectionsNameTheirChannelAfterTheReaderFinished) {
  TempDir dir;
  const std::string sample = dir.file("upstream.jsonl");
  const std::string db = dir.file("log.db");
  ASSERT_EQ(run(bin() + " sample --out " + sample + " --customers 60 --faults").exit_code, 0);
  // Small batches: the reading thread decodes the whole file and ends (its decoder destroyed)
  // while the appending thread still has batches to write.
  const auto r = run(bin() + " ingest " + sample + " --db " + db + " --batch 7");
  ASSERT_EQ(r.exit_code, 3) << r.output;
  const auto sources = run("sqlite3 " + db +
                           " \"SELECT reason || '=' || source FROM dead_letters WHERE reason IN "
                           "('stale_version','id_conflict','version_gap') ORDER BY reason\"");
  EXPECT_EQ(sources.output, "id_conflict=file\nstale_version=file\n");
}

}  // namespace
}  // namespace oppgjor::issue_6_dead_letter_source_test
