// Issue 6, item 11: common upstream mistakes get a clear answer. A UTF-8 byte order mark at the
// start of a file is skipped; a pretty-printed JSON file is told that the format is one event per
// line; a decimal where integer øre is expected is told what integer øre means; a log locked by
// another writer gets a plain message instead of SQLite's text.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_input_hints_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

class Issue6InputHints : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = dir_.file("upstream.jsonl");
    db_ = dir_.file("log.db");
    ASSERT_EQ(run(bin() + " sample --out " + sample_ + " --customers 5").exit_code, 0);
  }
  std::string write(const std::string& name, const std::string& content) {
    const std::string path = dir_.file(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  TempDir dir_;
  std::string sample_;
  std::string db_;
};

TEST_F(Issue6InputHints, AByteOrderMarkOnTheFirstLineIsSkipped) {
  std::ifstream in(sample_);
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  const auto lines = std::count(text.begin(), text.end(), '\n');
  ASSERT_GT(lines, 10);
  const std::string bom = write("bom.jsonl", "\xEF\xBB\xBF" + text);
  const auto r = run(bin() + " ingest " + bom + " --db " + db_);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::string n = std::to_string(lines);
  EXPECT_NE(r.output.find(n + " inputs: " + n + " appended, 0 duplicates, 0 rejected"),
            std::string::npos)
      << r.output;
}

TEST_F(Issue6InputHints, APrettyPrintedFileIsToldTheFormatIsOneEventPerLine) {
  const std::string pretty =
      write("pretty.json", "{\n  \"event_id\": \"x\",\n  \"type\": \"y\"\n}\n");
  const auto r = run(bin() + " ingest --dry-run " + pretty + " --db " + db_);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("line 1: malformed_json"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("JSON Lines, one whole event per line"), std::string::npos) << r.output;
}

TEST_F(Issue6InputHints, ADecimalWhereIntegerOreIsExpectedNamesIntegerOre) {
  std::ifstream in(sample_);
  std::string basis;
  for (std::string l; std::getline(in, l);) {
    if (l.find("\"pris_ore\":") != std::string::npos) {
      basis = l;
      break;
    }
  }
  ASSERT_FALSE(basis.empty());
  const auto at = basis.find("\"pris_ore\":") + 11;
  basis.replace(at, basis.find_first_not_of("0123456789", at) - at, "1234.50");
  const auto r =
      run(bin() + " ingest --dry-run " + write("kr.jsonl", basis + "\n") + " --db " + db_);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("/pris_ore"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("integer øre: 1234.50 kr is 123450"), std::string::npos) << r.output;
}

TEST_F(Issue6InputHints, ALockedLogGetsAPlainMessage) {
  ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + db_).exit_code, 0);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  // The short busy timeout only makes the refusal come sooner; nothing here depends on timing.
  const auto r = run(bin() + " ingest " + sample_ + " --db " + db_ + " --test-busy-timeout-ms 50");
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("another process is writing to " + db_ + "; try again"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("database is locked"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace oppgjor::issue_6_input_hints_test
