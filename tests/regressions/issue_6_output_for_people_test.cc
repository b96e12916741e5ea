// Issue 6, items 3, 8 and 11 (output): what people read must not leak a national id (log show
// printed the stream and the actor whole), must not pass input bytes to the terminal (a crafted
// line could retitle or recolour it), and dead letters come in source-line order with
// --limit 0 meaning "all".
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>

#include "events/event_log.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_output_for_people_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

constexpr const char* national_id = "15108695088";

// A C0 control other than the line end, DEL, or the C1 CSI of the crafted line.
bool has_raw_control(const std::string& s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return s.find("\xc2\x9b") != std::string::npos;
}

TEST(Issue6Output, LogShowMasksNationalIdsInEveryEnvelopeField) {
  TempDir dir;
  const std::string db = dir.file("log.db");
  {
    events::FixedClock clock;
    auto log = events::EventLog::open(db, clock);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    auto e = events::testing::proposed("00000000-0000-4000-8000-000000000001",
                                       std::string("person/") + national_id,
                                       std::string(R"({"n":")") + national_id + R"("})");
    e.actor = national_id;
    e.source = std::string("upload-") + national_id;
    e.causation_id = national_id;
    e.correlation_id = std::string("run-") + national_id;
    e.content_hash = events::sha256_hex(events::canonical_producer_envelope(e));
    auto r = (*log)->append(std::span(&e, 1), events::BatchPolicy::all_or_nothing);
    ASSERT_TRUE(r.ok() && r->appended == 1);
  }
  const auto shown = run(bin() + " log show --db " + db);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_EQ(shown.output.find(national_id), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("person/151086*****"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("actor 151086*****"), std::string::npos) << shown.output;
}

class Issue6DeadLetters : public ::testing::Test {
 protected:
  std::string db() const { return dir_.file("log.db"); }
  // Ingests `lines` from a file named f.jsonl; every line here is refused.
  std::string ingest(const std::vector<std::string>& lines) {
    const std::string path = dir_.file("f.jsonl");
    std::ofstream out(path, std::ios::binary);
    for (const auto& l : lines) out << l << '\n';
    out.close();
    const auto r = run(bin() + " ingest " + path + " --db " + db());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    return path;
  }
  TempDir dir_;
};

TEST_F(Issue6DeadLetters, ControlBytesAreEscapedAndTheOriginalIsKept) {
  // ESC ] 0 ; … BEL retitles a terminal; ESC [ 31 m recolours it; C1 CSI (U+009B) too.
  const std::string crafted =
      std::string("{\"event_id\":\"\x1b]0;pwned\x07\x1b[31m ") + national_id + " \xc2\x9b" + "2J\"";
  ingest({crafted});
  const auto human = run(bin() + " deadletters --db " + db());
  ASSERT_EQ(human.exit_code, 0) << human.output;
  EXPECT_FALSE(has_raw_control(human.output)) << human.output;
  EXPECT_NE(human.output.find("\\x1b]0;pwned\\x07\\x1b[31m 151086*****"), std::string::npos)
      << human.output;
  EXPECT_NE(human.output.find("\\xc2\\x9b2J"), std::string::npos) << human.output;
  const auto json = run(bin() + " deadletters --json --db " + db());
  EXPECT_FALSE(has_raw_control(json.output)) << json.output;
  EXPECT_EQ(json.output.find(national_id), std::string::npos) << json.output;
  // The stored bytes are the bytes received.
  const auto stored = run("sqlite3 " + db() + " 'SELECT hex(original) FROM dead_letters'");
  std::string want;
  for (unsigned char c : crafted) {
    static constexpr char hex[] = "0123456789ABCDEF";
    want += hex[c >> 4];
    want += hex[c & 0xF];
  }
  EXPECT_EQ(stored.output, want + "\n");
}

TEST_F(Issue6DeadLetters, ListedInSourceLineOrderAndLimitZeroMeansAll) {
  std::vector<std::string> lines;
  for (int i = 1; i <= 12; ++i) lines.push_back("not json " + std::to_string(i));
  const std::string path = ingest(lines);
  const auto all = run(bin() + " deadletters --limit 0 --db " + db());
  ASSERT_EQ(all.exit_code, 0) << all.output;
  std::size_t at = 0;
  for (int i = 1; i <= 12; ++i) {
    const std::string ref = path + ":" + std::to_string(i) + " ";
    const std::size_t next = all.output.find(ref, at);
    ASSERT_NE(next, std::string::npos) << ref << " missing or out of order in\n" << all.output;
    at = next + ref.size();
  }
  const auto three = run(bin() + " deadletters --limit 3 --db " + db());
  EXPECT_NE(three.output.find(path + ":3 "), std::string::npos) << three.output;
  EXPECT_EQ(three.output.find(path + ":4 "), std::string::npos) << three.output;
  EXPECT_EQ(three.output.find(path + ":10 "), std::string::npos) << three.output;
  EXPECT_NE(three.output.find("(3 of 12 shown; --limit 0 shows all)"), std::string::npos)
      << three.output;
}

}  // namespace
}  // namespace oppgjor::issue_6_output_for_people_test
