// Issue 6, item 9: `ingest --db` took over any SQLite file (a foreign database, a replay state
// store) and added its tables. A log is now stamped with PRAGMA application_id on creation, and
// a writer opens only a new or empty file or an Oppgjør log (logs from before the stamp are
// recognised by their events table and format marker, and stamped). A missing input file or a
// directory given as input is reported, and no database file is created for it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "events/event_log.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_foreign_database_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

class Issue6ForeignDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = dir_.file("upstream.jsonl");
    ASSERT_EQ(run(bin() + " sample --out " + sample_ + " --customers 10").exit_code, 0);
  }
  std::string sql(const std::string& db, const std::string& statement) {
    return run("sqlite3 " + db + " \"" + statement + "\"").output;
  }
  TempDir dir_;
  std::string sample_;
};

TEST_F(Issue6ForeignDatabase, ANewLogIsStampedWithTheApplicationId) {
  const std::string db = dir_.file("log.db");
  ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + db).exit_code, 0);
  EXPECT_EQ(sql(db, "PRAGMA application_id"), std::to_string(events::log_application_id) + "\n");
}

TEST_F(Issue6ForeignDatabase, RefusesAnotherApplicationsDatabaseAndLeavesItAlone) {
  const std::string db = dir_.file("foreign.db");
  sql(db,
      "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total TEXT); INSERT INTO invoices "
      "VALUES(1,'100')");
  for (const char* command : {" ingest ", " ingest --dry-run "}) {
    const auto r = run(bin() + command + sample_ + " --db " + db);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(db + " is not an Oppgjør event log"), std::string::npos) << r.output;
  }
  EXPECT_EQ(run(bin() + " verify --db " + db).exit_code, 1);
  EXPECT_EQ(sql(db, "SELECT group_concat(name) FROM sqlite_master"), "invoices\n");
  EXPECT_EQ(sql(db, "PRAGMA application_id"), "0\n");
  EXPECT_EQ(sql(db, "PRAGMA journal_mode"), "delete\n") << "not switched to WAL either";
}

TEST_F(Issue6ForeignDatabase, RefusesADatabaseStampedByAnotherApplication) {
  const std::string db = dir_.file("other.db");
  sql(db, "PRAGMA application_id=1234");
  const auto r = run(bin() + " ingest " + sample_ + " --db " + db);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(db + " is not an Oppgjør event log"), std::string::npos) << r.output;
  EXPECT_EQ(sql(db, "SELECT count(*) FROM sqlite_master"), "0\n");
}

TEST_F(Issue6ForeignDatabase, RefusesAReplayStateStore) {
  const std::string log = dir_.file("log.db");
  const std::string state = dir_.file("state.db");
  ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + log).exit_code, 0);
  const auto replay = run(bin() + " replay --db " + log + " --out " + state);
  ASSERT_EQ(replay.exit_code, 0) << replay.output;
  const std::string tables = sql(state, "SELECT group_concat(name) FROM sqlite_master");
  const auto r = run(bin() + " ingest " + sample_ + " --db " + state);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(state), std::string::npos) << r.output;
  EXPECT_EQ(sql(state, "SELECT group_concat(name) FROM sqlite_master"), tables);
}

TEST_F(Issue6ForeignDatabase, RefusesAFileThatIsNoDatabase) {
  const std::string db = dir_.file("notes.txt");
  std::ofstream(db) << "not a database, just some text that is long enough to have a header\n";
  const auto r = run(bin() + " ingest " + sample_ + " --db " + db);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(db + " is not an Oppgjør event log"), std::string::npos) << r.output;
}

TEST_F(Issue6ForeignDatabase, AcceptsAndStampsALogFromBeforeTheStamp) {
  const std::string db = dir_.file("old.db");
  ASSERT_EQ(run(bin() + " ingest " + sample_ + " --db " + db).exit_code, 0);
  sql(db, "PRAGMA application_id=0");  // as every log written before this change
  const auto again = run(bin() + " ingest " + sample_ + " --db " + db);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find(" 0 appended"), std::string::npos) << again.output;
  EXPECT_EQ(sql(db, "PRAGMA application_id"), std::to_string(events::log_application_id) + "\n");
}

TEST_F(Issue6ForeignDatabase, AMissingOrDirectoryInputCreatesNoDatabase) {
  const std::string db = dir_.file("log.db");
  const auto missing = run(bin() + " ingest " + dir_.file("nope.jsonl") + " --db " + db);
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("nope.jsonl: no such file"), std::string::npos) << missing.output;
  const std::string folder = dir_.file("inbox");
  std::filesystem::create_directory(folder);
  const auto directory = run(bin() + " ingest " + folder + " --db " + db);
  EXPECT_EQ(directory.exit_code, 1) << directory.output;
  EXPECT_NE(directory.output.find("inbox: it is a directory"), std::string::npos)
      << directory.output;
  EXPECT_FALSE(std::filesystem::exists(db));
}

}  // namespace
}  // namespace oppgjor::issue_6_foreign_database_test
