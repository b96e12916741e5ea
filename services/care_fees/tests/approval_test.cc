// Maker–checker and "something to approve" (approval.h): pure checks shared by every front end.
#include "services/care_fees/approval.h"

#include <gtest/gtest.h>

#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

RunRecord run_started_by(const std::string& maker) {
  RunRecord run;
  run.run_id = "r";
  run.year = 2025;
  run.started_by = maker;
  run.status = RunStatus::started;
  return run;
}

common::ActorId actor(const char* name) {
  return *common::normalise_actor(name);
}

TEST(CheckDecidable, TheMakerIsTheMakerHoweverTheNameIsSpelled) {
  for (const char* maker : {"saksbehandler.a", "SAKSBEHANDLER.A ", " Saksbehandler.a"}) {
    for (const char* checker : {"saksbehandler.a", "SAKSBEHANDLER.A", "  saksbehandler.A\t"}) {
      auto st = check_decidable(run_started_by(maker), actor(checker), Decision::approve);
      ASSERT_FALSE(st.ok()) << maker << " / " << checker;
      EXPECT_EQ(st.error().code, errc::maker_is_checker);
      EXPECT_EQ(st.error().field, "--actor");
      EXPECT_EQ(st.error().message,
                "saksbehandler.a startet denne kjøringen; en annen må godkjenne den");
    }
  }
  EXPECT_TRUE(
      check_decidable(run_started_by("saksbehandler.a"), actor("leder.b"), Decision::approve).ok());
  auto reject = check_decidable(run_started_by("ØKONOMI.Å"), actor("økonomi.å"), Decision::reject);
  ASSERT_FALSE(reject.ok());
  EXPECT_NE(reject.error().message.find("en annen må avvise den"), std::string::npos);
}

TEST(CheckDecidable, ADecidedRunIsClosed) {
  auto run = run_started_by("saksbehandler.a");
  run.status = RunStatus::rejected;
  auto st = check_decidable(run, actor("leder.b"), Decision::approve);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::run_closed);
  EXPECT_EQ(st.error().message, "kjøringen er allerede avvist");
}

TEST(CheckApprovable, ARunWhereNoResidentWasComputedHasNothingToApprove) {
  RecalcReport report;
  EXPECT_EQ(check_approvable(report).error().code, errc::nothing_to_approve);  // no residents
  ResidentReport failed;
  failed.status = ResidentStatus::error;
  ResidentReport waiting;
  waiting.status = ResidentStatus::waiting_for_final_assessment;
  report.residents = {failed, waiting, failed};
  report.totals.residents = 3;
  report.totals.errors = 2;
  report.totals.waiting = 1;
  auto st = check_approvable(report);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::nothing_to_approve);
  EXPECT_NE(st.error().message.find("3 beboere, 2 med feil, 1 venter"), std::string::npos);
  ResidentReport ok;
  ok.status = ResidentStatus::ok;
  report.residents.push_back(ok);
  EXPECT_TRUE(check_approvable(report).ok());
}

}  // namespace
}  // namespace oppgjor::care_fees
