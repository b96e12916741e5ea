// Who set a rule value (issue 10, item 10: `rules list` shows "who set it"): the actor of the
// rules.parameter_set event is kept with the value, also through a snapshot; shipped rule data
// has no setter.
#include <gtest/gtest.h>

#include <string>

#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/rules_admin.h"
#include "services/care_fees/state_codec.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;

void apply_set(CareFeesProjection& p, const std::string& actor) {
  events::EventView e;
  e.event_id = "set-1";
  e.type = "rules.parameter_set";
  e.sequence = 1;
  e.occurred_at = "2026-01-01";
  e.actor = actor;
  simdjson::dom::parser parser;
  simdjson::dom::element payload;
  const std::string json =
      R"({"parameter":"care_fees.fribelop_nok","value":"10900","unit":"nok",)"
      R"("effective_from":"2026-01-01","effective_to":"2026-12-31",)"
      R"("rule_version":"care_fees.set.2026-01-01","source":"Rundskriv I-2/2026"})";
  e.payload = json;
  ASSERT_EQ(parser.parse(json).get(payload), simdjson::SUCCESS);
  ASSERT_TRUE(p.apply(e, payload).ok());
}

std::string set_by(const CareFeesState& s, const std::string& parameter, Date at) {
  for (const auto& row : parameters_in_force(s.parameters, parameter, at)) {
    if (row.parameter == parameter) return row.value.set_by;
  }
  ADD_FAILURE() << parameter << " not in force on " << at.to_iso();
  return "?";
}

TEST(RulesSetBy, TheActorOfTheEventIsKeptAndShippedDataHasNone) {
  CareFeesProjection p(testing::store());
  p.keep_raw_inputs();
  apply_set(p, " Kari.Regler ");  // an actor as an older log may hold it: folded to the identity
  EXPECT_EQ(set_by(p.state(), "care_fees.fribelop_nok", day(2026, 6, 1)), "kari.regler");
  EXPECT_EQ(set_by(p.state(), "care_fees.fribelop_nok", day(2025, 6, 1)), "");  // rule data
  EXPECT_EQ(set_by(p.state(), "care_fees.grunnbelop_nok", day(2025, 6, 1)), "");

  // Through a snapshot: the same setter.
  const std::string saved = save_state(p.state());
  CareFeesProjection restored(testing::store());
  restored.keep_raw_inputs();
  ASSERT_TRUE(restored.load(saved).ok());
  EXPECT_EQ(set_by(restored.state(), "care_fees.fribelop_nok", day(2026, 6, 1)), "kari.regler");
  EXPECT_EQ(save_state(restored.state()), saved);
}

// The snapshot is a small JSON head, then one record line per parameter event, resident,
// decision event and run, each parsed alone, in that order (state_codec.h): a record of another
// kind, or out of that order, is refused.
TEST(RulesSetBy, TheSnapshotIsAHeadAndRecordsInTheirOrder) {
  CareFeesProjection p(testing::store());
  p.keep_raw_inputs();
  apply_set(p, "kari.regler");
  const std::string saved = save_state(p.state());
  const std::size_t nl = saved.find('\n');
  ASSERT_NE(nl, std::string::npos);
  EXPECT_EQ(saved.substr(0, nl).find("fribelop"), std::string::npos) << saved.substr(0, nl);
  EXPECT_EQ(saved.substr(nl + 1, 10), "parameter\t");
  const std::string parameter_line = saved.substr(nl + 1);

  const auto refused = [](const std::string& snapshot) {
    CareFeesProjection q(testing::store());
    q.keep_raw_inputs();
    auto st = q.load(snapshot);
    return st.ok() ? std::string("loaded") : st.error().field;
  };
  EXPECT_EQ(refused(saved), "loaded");
  EXPECT_EQ(refused(saved.substr(0, nl + 1) + "stay\t{}\n"), "record kind");
  EXPECT_EQ(
      refused(saved.substr(0, nl + 1) + "run\t" + R"({"run_id":"r1"})" + "\n" + parameter_line),
      "record order");
}

}  // namespace
}  // namespace oppgjor::care_fees
