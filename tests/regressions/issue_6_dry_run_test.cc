// Issue 6, item 7: `ingest --dry-run` printed only counts per reason and created the database
// file. It must list each refused line (line number, reason, field) and create or change
// nothing on disk; against an existing log it still checks duplicates and stream versions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "events/sha256.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_dry_run_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

std::set<std::string> files_in(const std::filesystem::path& dir) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.insert(e.path().filename().string());
  }
  return out;
}

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return events::sha256_hex(bytes);
}

class Issue6DryRun : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = dir_.file("upstream.jsonl");
    db_ = dir_.file("log.db");
    ASSERT_EQ(run(bin() + " sample --out " + sample_ + " --customers 60 --faults").exit_code, 0);
  }
  TempDir dir_;
  std::string sample_;
  std::string db_;
};

TEST_F(Issue6DryRun, ListsEachRefusedLineAndCreatesNoFile) {
  const auto before = files_in(dir_.path());
  const auto r = run(bin() + " ingest --dry-run " + sample_ + " --db " + db_);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_EQ(files_in(dir_.path()), before) << "a dry run creates no file (db, -wal, -shm)";
  // One listed line per refusal: "  line N: reason[ at field]: message".
  const std::regex listed(R"(\n  line ([0-9]+): ([a-z_0-9]+)( at ([^:]+))?: )");
  std::map<std::string, std::string> field_by_reason;
  for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), listed);
       it != std::sregex_iterator(); ++it) {
    field_by_reason[(*it)[2]] = (*it)[4];
  }
  for (const char* reason :
       {"malformed_json", "invalid_utf8", "too_large", "unknown_type", "unknown_version",
        "schema_violation", "invalid_identifier", "stale_version", "id_conflict"}) {
    EXPECT_EQ(field_by_reason.count(reason), 1u) << reason << " not listed in\n" << r.output;
  }
  EXPECT_EQ(field_by_reason["invalid_identifier"], "/payload/national_id");
  EXPECT_EQ(field_by_reason["schema_violation"], "/payload/value");
  EXPECT_EQ(field_by_reason["stale_version"], "stream_version");
  EXPECT_EQ(field_by_reason["id_conflict"], "event_id");
  EXPECT_EQ(r.output.find("15108695077"), std::string::npos) << "masked: " << r.output;
}

TEST_F(Issue6DryRun, SameVerdictAsARealRunAcrossBatches) {
  // Small batches: the stale_version line and the resend come batches after the events they
  // refer to, so the dry run must remember what its earlier batches would have appended.
  const auto dry = run(bin() + " ingest --dry-run --batch 10 " + sample_ + " --db " + db_);
  const auto real = run(bin() + " ingest --batch 10 " + sample_ + " --db " + db_);
  ASSERT_EQ(real.exit_code, 3) << real.output;
  const std::regex counts(
      "([0-9]+) inputs: ([0-9]+) [a-z ]*appended, ([0-9]+) duplicates, "
      "([0-9]+) rejected");
  std::smatch d, w;
  ASSERT_TRUE(std::regex_search(dry.output, d, counts)) << dry.output;
  ASSERT_TRUE(std::regex_search(real.output, w, counts)) << real.output;
  for (int i = 1; i <= 4; ++i) EXPECT_EQ(d[i], w[i]) << dry.output << "\nvs\n" << real.output;
}

TEST_F(Issue6DryRun, ChecksAgainstAnExistingLogWithoutTouchingIt) {
  ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + db_).exit_code, 3);
  const auto before = files_in(dir_.path());
  const std::string hash = file_sha256(db_);
  const auto r = run(bin() + " ingest --dry-run " + sample_ + " --db " + db_);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  // Everything that was appended is now a duplicate of the log's rows.
  EXPECT_NE(r.output.find(" 0 would be appended"), std::string::npos) << r.output;
  EXPECT_EQ(files_in(dir_.path()), before) << "no -wal or -shm left behind";
  EXPECT_EQ(file_sha256(db_), hash) << "the log's bytes did not change";
}

}  // namespace
}  // namespace oppgjor::issue_6_dry_run_test
