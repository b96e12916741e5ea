// Issue 6, item 1: maker–checker compared actor names byte for byte, so the maker approved their
// own run by typing their name in capitals or with a trailing space. Actors are identities now:
// normalised at the edge, stored normalised, compared as identities (also the maker named in a
// log written before normalisation).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/care_fees_upstream.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_maker_checker_identity_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;
using testing::Upstream;

class Issue6MakerChecker : public ::testing::Test {
 protected:
  std::string db() const { return dir_.file("log.db"); }
  testing::RunResult cf(const std::string& args) {
    return run(bin() + " care-fees " + args + " --db " + db());
  }
  void ingest_lines(const std::string& name, const std::string& text) {
    const std::string path = dir_.file(name);
    std::ofstream(path) << text;
    const auto r = run(bin() + " ingest " + path + " --db " + db());
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // One resident billed all of 2025 on the provisional basis, then the final data.
  void resident_billed_then_final() {
    Upstream up(1);
    up.customer("C000456");
    up.stay("C000456", "S-1", "2024-06-01");
    up.income("C000456", "provisional", "260000.00", "40000.00");
    const std::string setup = dir_.file("setup.jsonl");
    up.write(setup);
    ASSERT_EQ(run(bin() + " ingest " + setup + " --db " + db()).exit_code, 0);
    for (int m = 1; m <= 12; ++m) {
      ASSERT_EQ(
          cf("bill --year 2025 --month " + std::to_string(m) + " --actor fakturering").exit_code,
          0);
    }
    up.income("C000456", "final", "250000.00", "38000.00");
    const std::string final_path = dir_.file("final.jsonl");
    up.write(final_path);
    ASSERT_EQ(run(bin() + " ingest " + final_path + " --db " + db()).exit_code, 0);
  }
  std::string events_count() { return field(run(bin() + " verify --db " + db()).output, "events"); }
  TempDir dir_;
};

TEST_F(Issue6MakerChecker, MakerCannotApproveOrRejectUnderAnotherSpelling) {
  resident_billed_then_final();
  const auto started = cf("recalc --year 2025 --actor saksbehandler.a");
  ASSERT_EQ(started.exit_code, 0) << started.output;
  const std::string run_id = field(started.output, "run_id");
  const std::string before = events_count();
  for (const char* spelling : {"SAKSBEHANDLER.A", "'saksbehandler.a '", "' Saksbehandler.A\t'"}) {
    const auto approve = cf("approve " + run_id + " --actor " + spelling);
    EXPECT_EQ(approve.exit_code, 3) << spelling << ": " << approve.output;
    EXPECT_NE(approve.output.find("maker_is_checker"), std::string::npos) << approve.output;
    EXPECT_NE(approve.output.find("saksbehandler.a startet denne kjøringen; en annen må godkjenne"),
              std::string::npos)
        << approve.output;
    const auto reject = cf("reject " + run_id + " --reason x --actor " + spelling);
    EXPECT_EQ(reject.exit_code, 3) << spelling << ": " << reject.output;
    EXPECT_NE(reject.output.find("maker_is_checker"), std::string::npos) << reject.output;
  }
  // Each refused command is recorded with its refusal (2 events); no approval, no rejection.
  EXPECT_EQ(std::stoll(events_count()), std::stoll(before) + 12);
  const auto refused = run("sqlite3 " + db() +
                           " \"SELECT count(*) FROM events WHERE type='service.command_refused' "
                           "AND json_extract(payload,'$.code')='maker_is_checker'\"");
  EXPECT_EQ(refused.output, "6\n");
  const auto other = cf("approve " + run_id + " --actor LEDER.B");
  ASSERT_EQ(other.exit_code, 0) << other.output;
  EXPECT_NE(other.output.find("godkjent av leder.b"), std::string::npos) << other.output;
  // Stored as the identity.
  const auto stored = run("sqlite3 " + db() +
                          " \"SELECT actor, json_extract(payload,'$.approved_by') FROM events "
                          "WHERE type='care_fees.recalculation_approved'\"");
  EXPECT_EQ(stored.output, "leder.b|leder.b\n");
}

TEST_F(Issue6MakerChecker, MakerNamedInAnOlderLogIsComparedAsAnIdentity) {
  resident_billed_then_final();
  const std::string head = events_count();
  // A run started before names were normalised: the maker typed "Saksbehandler.A ".
  const std::string run_id = "11111111-2222-4333-8444-555555555555";
  ingest_lines("legacy.jsonl",
               R"({"event_id":"00000000-0000-4000-8000-000000000900","type":)"
               R"("care_fees.recalculation_started","schema_version":1,"stream":"care_fees_run/)" +
                   run_id +
                   R"(","stream_version":1,"occurred_at":"2026-06-30","source":"oppgjor",)"
                   R"("actor":"Saksbehandler.A ","payload":{"run_id":")" +
                   run_id + R"(","year":2025,"as_of_sequence":)" + head +
                   R"(,"started_by":"Saksbehandler.A "}})"
                   "\n");
  const auto approve = cf("approve " + run_id + " --actor saksbehandler.a");
  EXPECT_EQ(approve.exit_code, 3) << approve.output;
  EXPECT_NE(approve.output.find("maker_is_checker"), std::string::npos) << approve.output;
  const auto status = cf("status");
  EXPECT_NE(status.output.find("started_by=saksbehandler.a\n"), std::string::npos) << status.output;
  EXPECT_EQ(cf("approve " + run_id + " --actor leder.b").exit_code, 0);
}

TEST_F(Issue6MakerChecker, AnActorThatIsNoUserNameIsRefusedClearly) {
  resident_billed_then_final();
  struct Case {
    std::string actor;
    std::string says;
  };
  const Case cases[] = {
      {"''", "navnet er tomt"},
      {"'   '", "navnet er tomt"},
      {"15108695088", "11-sifret"},
      {"\"$(printf 'a\\033]0;x')\"", "kontrolltegn"},
  };
  for (const auto& c : cases) {
    const auto r = cf("recalc --year 2025 --actor " + c.actor);
    EXPECT_EQ(r.exit_code, 2) << c.actor << ": " << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << c.actor << ": " << r.output;
    EXPECT_EQ(r.output.find("15108695088"), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace oppgjor::issue_6_maker_checker_identity_test
