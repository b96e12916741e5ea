// The v1 corpus: events encoded by earlier builds that every build must still decode, with the
// chain head and the state hash pinned. A change to canonical JSON, the record layout, the chain
// or a builtin projection fails here first: if it is intended, it is a new log format version
// (events/LOG_FORMAT.md), not a silent change.
#include <gtest/gtest.h>

#include "events/intake.h"
#include "replay/builtin_projections.h"
#include "replay/replayer.h"
#include "tests/support/test_support.h"

namespace oppgjor {
namespace {

constexpr const char* corpus = OPPGJOR_SOURCE_DIR "/tests/corpus/events-v1.jsonl";
constexpr const char* pinned_head_hash =
    "956a80b8a10bcc8ceb5a34069782c801a73d479de1cee92f87f43e6c17e08805";
// Changed on purpose in issue 6 (hardening): the state hash now covers the invoice bases
// (projection invoice_bases); the log format and chain (pinned_head_hash) did not change.
constexpr const char* pinned_state_hash =
    "2f3157e75c2aa0a45b841d44083149cd2537199ba05bfdd2b80e73938e8097ef";

TEST(CorpusV1, DecodesWithTheSameChainAndState) {
  events::testing::TempDir dir;
  events::FixedClock clock("2026-01-01T00:00:00.000000Z");
  auto log = events::EventLog::open(dir.file("corpus.db"), clock);
  ASSERT_TRUE(log.ok());
  auto registry = events::SchemaRegistry::load();
  ASSERT_TRUE(registry.ok()) << registry.error().to_string();
  auto stats = events::ingest_file(corpus, **log, *registry, {});
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(stats->rejected, 0);
  EXPECT_EQ(stats->appended, 27);
  EXPECT_EQ((*log)->head()->hash, pinned_head_hash);

  replay::ProjectionRegistry projections;
  replay::register_builtin_projections(projections);
  auto all = projections.create_all();
  auto r = replay::replay(**log, all, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state_hash, pinned_state_hash);
}

}  // namespace
}  // namespace oppgjor
