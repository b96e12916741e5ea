// Issue 6, item 3: intake accepted a fødselsnummer in the envelope (`stream:
// customer/15108695088`, `actor: 15108695088`), where it reaches logs and Kafka keys. An
// 11-digit number in an envelope field is now refused as personal_id_in_envelope naming the
// field, and a customers.* event must be in stream customer/<payload.customer_id>.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_personal_id_in_envelope_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

struct Case {
  const char* stream;
  const char* customer_id;
  const char* extra;  // more envelope members, "" or `"actor":"…",`
  const char* source;
  const char* reason;  // "" when accepted
  const char* field;
};

std::string line(int i, const Case& c) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
  return std::string("{\"event_id\":\"") + id +
         "\",\"type\":\"customers.customer_registered\",\"schema_version\":1,\"stream\":\"" +
         c.stream + "\"," + c.extra + "\"occurred_at\":\"2025-06-01\",\"source\":\"" + c.source +
         "\",\"payload\":{\"customer_id\":\"" + c.customer_id +
         "\",\"kind\":\"person\",\"national_id\":\"15108695088\",\"name\":\"Kari Nordmann\","
         "\"address\":{\"street\":\"Gate 1\",\"postal_code\":\"0150\",\"city\":\"OSLO\"}}}";
}

TEST(Issue6PersonalIdInEnvelope, RefusesAnElevenDigitNumberInAnyEnvelopeFieldAndNamesTheField) {
  const Case cases[] = {
      {"customer/C0000001", "C0000001", "", "crm", "", ""},
      {"customer/15108695088", "15108695088", "", "crm", "personal_id_in_envelope", "/stream"},
      {"customer/C0000002", "C0000002", "\"actor\":\"15108695088\",", "crm",
       "personal_id_in_envelope", "/actor"},
      {"customer/C0000003", "C0000003", "\"actor\":\"saksbehandler 15108695088\",", "crm",
       "personal_id_in_envelope", "/actor"},
      {"customer/C0000004", "C0000004", "", "sync15108695088", "personal_id_in_envelope",
       "/source"},
      // Not exactly 11 digits: a 12-digit user number is not a fødselsnummer.
      {"customer/C0000005", "C0000005", "\"actor\":\"151086950881\",", "crm", "", ""},
      // A customer event in another customer's stream.
      {"customer/C0000007", "C0000006", "", "crm", "schema_violation", "/stream"},
      {"rules/C0000008", "C0000008", "", "crm", "schema_violation", "/stream"},
  };
  TempDir dir;
  const std::string input = dir.file("in.jsonl");
  const std::string db = dir.file("log.db");
  {
    std::ofstream out(input);
    int i = 0;
    for (const auto& c : cases) out << line(++i, c) << '\n';
  }
  const auto r = run(bin() + " ingest " + input + " --db " + db);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("2 appended"), std::string::npos) << r.output;
  const auto dead = run(bin() + " deadletters --json --db " + db);
  ASSERT_EQ(dead.exit_code, 0) << dead.output;
  int i = 0;
  for (const auto& c : cases) {
    ++i;
    char ref[32];
    std::snprintf(ref, sizeof ref, "in.jsonl:%d\"", i);
    const auto at = dead.output.find(ref);
    if (*c.reason == '\0') {
      EXPECT_EQ(at, std::string::npos) << "line " << i << " must be accepted:\n" << dead.output;
      continue;
    }
    ASSERT_NE(at, std::string::npos) << "line " << i << " must be refused:\n" << dead.output;
    const auto begin = dead.output.rfind('\n', at) + 1;
    const std::string row = dead.output.substr(begin, dead.output.find('\n', at) - begin);
    EXPECT_NE(row.find(std::string("\"reason\":\"") + c.reason + "\""), std::string::npos) << row;
    EXPECT_NE(row.find(std::string("\"field\":\"") + c.field + "\""), std::string::npos) << row;
  }
  // The refusal itself never repeats the number in full.
  EXPECT_EQ(dead.output.find("15108695088"), std::string::npos) << dead.output;
  EXPECT_EQ(run(bin() + " deadletters --db " + db).output.find("15108695088"), std::string::npos);
}

}  // namespace
}  // namespace oppgjor::issue_6_personal_id_in_envelope_test
