// Statuses and kinds are enums with one to/from-string pair each; the strings are the ones the
// JSON (payloads, snapshots, reports) has always carried.
#include <gtest/gtest.h>

#include "services/care_fees/care_fees_state.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/recalc.h"

namespace oppgjor::care_fees {
namespace {

TEST(CareFeesNames, EveryValueRoundTripsThroughItsString) {
  for (RunStatus s : {RunStatus::started, RunStatus::approved, RunStatus::rejected}) {
    EXPECT_EQ(parse_run_status(to_string(s)), s);
  }
  for (IncomeStatus s : {IncomeStatus::provisional, IncomeStatus::final}) {
    EXPECT_EQ(parse_income_status(to_string(s)), s);
  }
  for (IncomeSource s : {IncomeSource::none, IncomeSource::tax_assessment, IncomeSource::nav,
                         IncomeSource::own_statement, IncomeSource::caseworker}) {
    EXPECT_EQ(parse_income_source(to_string(s)), s);
  }
  for (ResidentStatus s :
       {ResidentStatus::ok, ResidentStatus::waiting_for_final_assessment, ResidentStatus::error}) {
    EXPECT_EQ(parse_resident_status(to_string(s)), s);
  }
  for (LineKind k :
       {LineKind::short_term_rate, LineKind::short_term_after_limit, LineKind::short_term_day_night,
        LineKind::long_term, LineKind::free_month, LineKind::no_fee}) {
    EXPECT_EQ(parse_line_kind(line_kind_name(k)), k);
  }
}

TEST(CareFeesNames, TheStringsAreTheWireNames) {
  EXPECT_EQ(to_string(RunStatus::approved), "approved");
  EXPECT_EQ(to_string(IncomeStatus::final), "final");
  EXPECT_EQ(to_string(IncomeSource::none), "");
  EXPECT_EQ(to_string(IncomeSource::own_statement), "own_statement");
  EXPECT_EQ(to_string(ResidentStatus::waiting_for_final_assessment),
            "waiting_for_final_assessment");
  EXPECT_EQ(line_kind_name(LineKind::short_term_after_limit), "short_term_after_limit");
  EXPECT_FALSE(parse_run_status("godkjent"));
  EXPECT_FALSE(parse_income_status(""));
  EXPECT_FALSE(parse_income_source("tax"));
  EXPECT_FALSE(parse_resident_status("OK"));
  EXPECT_FALSE(parse_line_kind("long-term"));
}

}  // namespace
}  // namespace oppgjor::care_fees
