// The `oppgjor` command's contract, end to end: exit codes, outputs, dead-letter reasons,
// idempotent resends, dry runs, tamper detection, masking.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::cli_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;

TEST(CliId, ChecksIdentifiersWithExitCodes) {
  struct Case {
    const char* number;
    int exit_code;
    const char* kind;
  };
  const Case cases[] = {
      {"15108695088", 0, "fodselsnummer"},     {"15108695077", 5, ""},
      {"988077917", 0, "organisation_number"}, {"988077918", 5, ""},
      {"30108299939", 0, "fodselsnummer"},  // valid only under the 2032 rule
  };
  for (const auto& c : cases) {
    const auto r2 = run(bin() + " id check " + c.number);
    EXPECT_EQ(r2.exit_code, c.exit_code) << c.number << ": " << r2.output;
    EXPECT_NE(r2.output.find("\"valid\":"), std::string::npos) << r2.output;
    if (c.exit_code == 0) {
      EXPECT_NE(r2.output.find(std::string("\"kind\":\"") + c.kind + "\""), std::string::npos)
          << r2.output;
    }
  }
}

TEST(CliKid, MakesAndChecksKids) {
  EXPECT_EQ(run(bin() + " kid make --scheme mod10 12345678").output, "123456782\n");
  EXPECT_EQ(run(bin() + " kid make --scheme mod11 12345678").output, "123456785\n");
  EXPECT_EQ(run(bin() + " kid make --scheme mod11 40").output, "40-\n");
  EXPECT_EQ(run(bin() + " kid check --scheme mod11 40-").exit_code, 0);
  EXPECT_EQ(run(bin() + " kid check --scheme mod10 23456788").exit_code, 5);
  EXPECT_EQ(run(bin() + " kid check --scheme mod11 23456788").exit_code, 0);
  EXPECT_EQ(run(bin() + " kid make --scheme mod12 1").exit_code, 2);
}

class CliIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = dir_.file("upstream.jsonl");
    db_ = dir_.file("log.db");
    const auto r = run(bin() + " sample --out " + sample_ + " --customers 60 --faults");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  TempDir dir_;
  std::string sample_;
  std::string db_;
};

TEST_F(CliIngest, RefusesOneLinePerReasonAndKeepsTheRest) {
  const auto r = run(bin() + " ingest " + sample_ + " --db " + db_);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  for (const char* reason :
       {"malformed_json", "invalid_utf8", "too_large", "unknown_type", "unknown_version",
        "schema_violation", "invalid_identifier", "stale_version", "id_conflict"}) {
    EXPECT_TRUE(
        std::regex_search(r.output, std::regex(std::string("rejected ") + reason + " +1\n")))
        << reason << " in\n"
        << r.output;
  }
  EXPECT_NE(r.output.find("1 duplicates, 9 rejected"), std::string::npos) << r.output;

  const auto dead = run(bin() + " deadletters --json --db " + db_);
  EXPECT_EQ(dead.exit_code, 0);
  EXPECT_EQ(std::count(dead.output.begin(), dead.output.end(), '\n'), 9) << dead.output;
  EXPECT_NE(dead.output.find(R"("field":"/payload/national_id")"), std::string::npos);
  EXPECT_NE(dead.output.find(R"("field":"/payload/value")"), std::string::npos);
  // A mistyped fødselsnummer is personal data too: never printed in full.
  const auto human = run(bin() + " deadletters --db " + db_);
  EXPECT_EQ(human.output.find("15108695077"), std::string::npos) << human.output;
  EXPECT_EQ(dead.output.find("15108695077"), std::string::npos) << dead.output;
  // ... while the store keeps the original bytes as received.
  const auto stored = run("sqlite3 " + db_ +
                          " \"SELECT count(*) FROM dead_letters WHERE reason='invalid_identifier'"
                          " AND instr(original, '15108695077') > 0\"");
  EXPECT_EQ(stored.output, "1\n");
}

TEST_F(CliIngest, ASecondIngestOfTheSameFileBooksNothing) {
  const auto first = run(bin() + " ingest " + sample_ + " --db " + db_);
  const std::string hash1 = field(run(bin() + " replay --db " + db_).output, "state_hash");
  const auto again = run(bin() + " ingest " + sample_ + " --db " + db_);
  EXPECT_EQ(again.exit_code, 3);  // the bad lines are still bad
  EXPECT_NE(again.output.find(" 0 appended"), std::string::npos) << again.output;
  EXPECT_EQ(field(run(bin() + " replay --db " + db_).output, "state_hash"), hash1);
  const auto dead = run(bin() + " deadletters --json --db " + db_);
  EXPECT_EQ(std::count(dead.output.begin(), dead.output.end(), '\n'), 9) << "stored once";
  (void)first;
}

TEST_F(CliIngest, DryRunWritesNothing) {
  const auto r = run(bin() + " ingest --dry-run " + sample_ + " --db " + db_);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("dry run"), std::string::npos);
  // Nothing at all: not even an empty log file (issue 6, item 7).
  EXPECT_FALSE(std::filesystem::exists(db_)) << "a dry run creates no database file";
}

TEST_F(CliIngest, CleanFileExitsZero) {
  const std::string clean = dir_.file("clean.jsonl");
  ASSERT_EQ(run(bin() + " sample --out " + clean + " --customers 20").exit_code, 0);
  EXPECT_EQ(run(bin() + " ingest " + clean + " --db " + db_).exit_code, 0);
}

TEST_F(CliIngest, UsageAndOperatingErrors) {
  EXPECT_EQ(run(bin() + " ingest " + sample_).exit_code, 2);  // no --db
  EXPECT_EQ(run(bin() + " ingest " + sample_ + " --kafka 127.0.0.1:1 --db " + db_).exit_code, 2);
  EXPECT_EQ(run(bin() + " ingest /nonexistent/file.jsonl --db " + db_).exit_code, 1);
  EXPECT_EQ(run(bin() + " nosuchcommand").exit_code, 2);
}

TEST_F(CliIngest, VerifyNamesTheFirstTamperedSequence) {
  run(bin() + " ingest " + sample_ + " --db " + db_);
  EXPECT_EQ(run(bin() + " verify --db " + db_).exit_code, 0);
  const auto t = run("sqlite3 " + db_ +
                     " \"DROP TRIGGER events_no_update; UPDATE events SET payload="
                     "replace(payload,'OSLO','BERGEN') WHERE sequence=17\"");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  const auto v = run(bin() + " verify --db " + db_);
  EXPECT_EQ(v.exit_code, 4) << v.output;
  EXPECT_EQ(field(v.output, "first_bad_sequence"), "17") << v.output;
}

TEST_F(CliIngest, LogShowMasksNationalIds) {
  run(bin() + " ingest " + sample_ + " --db " + db_);
  const auto r = run(bin() + " log show --db " + db_ + " --limit 100");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("\"national_id\":\""), std::string::npos);
  EXPECT_FALSE(std::regex_search(r.output, std::regex("\"national_id\":\"[0-9]{11}\"")))
      << "a full national id was printed";
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\"national_id\":\"[0-9]{6}\\*{5}\"")));
}

}  // namespace
}  // namespace oppgjor::cli_test
