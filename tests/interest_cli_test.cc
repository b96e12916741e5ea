// `oppgjor interest`, end to end: the exact contract for finance staff (docs/CLI.md), exit 3
// naming a missing half-year, exit 2 naming a bad option.
#include <gtest/gtest.h>

#include <simdjson.h>

#include "tests/support/process.h"

namespace oppgjor::interest_cli_test {
namespace {

using testing::bin;
using testing::run;

std::string text_of(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return "<missing " + std::string(key) + ">";
  return std::string(v);
}

std::int64_t int_of(simdjson::dom::element e, const char* key) {
  std::int64_t v = -1;
  if (e[key].get(v) != simdjson::SUCCESS) return -1;
  return v;
}

TEST(CliInterest, TheWorkedExample) {
  const auto r = run(bin() + " interest --principal 10000.00 --due 2023-12-20 --paid 2024-01-10");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.output).get(doc), simdjson::SUCCESS) << r.output;
  EXPECT_EQ(text_of(doc, "interest_nok"), "69.56");
  EXPECT_EQ(text_of(doc, "principal_nok"), "10000.00");
  EXPECT_NE(text_of(doc, "method").find("sum of the rounded period amounts"), std::string::npos);
  simdjson::dom::array periods;
  ASSERT_EQ(doc["periods"].get(periods), simdjson::SUCCESS);
  ASSERT_EQ(periods.size(), 2u);
  const struct {
    const char* from;
    const char* to;
    std::int64_t days;
    const char* rate;
    const char* amount;
  } expected[] = {{"2023-12-21", "2023-12-31", 11, "11.75", "35.41"},
                  {"2024-01-01", "2024-01-10", 10, "12.50", "34.15"}};
  std::size_t i = 0;
  for (simdjson::dom::element p : periods) {
    EXPECT_EQ(text_of(p, "from"), expected[i].from);
    EXPECT_EQ(text_of(p, "to"), expected[i].to);
    EXPECT_EQ(int_of(p, "days"), expected[i].days);
    EXPECT_EQ(text_of(p, "rate_pct"), expected[i].rate);
    EXPECT_EQ(text_of(p, "amount_nok"), expected[i].amount);
    ++i;
  }
  // 2023 H2's rate is from a secondary source: the output says so.
  simdjson::dom::array warnings;
  ASSERT_EQ(doc["warnings"].get(warnings), simdjson::SUCCESS);
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_NE(r.output.find("\"uncertain\":true"), std::string::npos);
}

TEST(CliInterest, PaidInTimeIsZero) {
  const auto r = run(bin() + " interest --principal 500 --due 2024-01-10 --paid 2024-01-09");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"interest_nok\":\"0.00\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"periods\":[]"), std::string::npos) << r.output;
}

TEST(CliInterest, AMissingRateIsExit3NamingTheHalfYear) {
  const auto r = run(bin() + " interest --principal 10000.00 --due 2026-06-20 --paid 2026-07-10");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("late-payment interest rate missing for 2026 H2"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("\"code\":\"rate_missing\""), std::string::npos) << r.output;
}

TEST(CliInterest, BadInputIsExit2NamingTheOption) {
  const struct {
    const char* args;
    const char* option;
  } cases[] = {
      {"--principal 10000.001 --due 2023-12-20 --paid 2024-01-10", "--principal"},
      {"--principal 1e4 --due 2023-12-20 --paid 2024-01-10", "--principal"},
      {"--principal -5 --due 2023-12-20 --paid 2024-01-10", "--principal"},
      {"--principal 100000000000000 --due 2023-12-20 --paid 2024-01-10", "--principal"},
      {"--principal 10000 --due 2023-02-30 --paid 2024-01-10", "--due"},
      {"--principal 10000 --due 2023-12-20 --paid 10.01.2024", "--paid"},
      {"--principal 10000 --due 2023-12-20", "--paid"},
  };
  for (const auto& c : cases) {
    const auto r = run(bin() + " interest " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.option), std::string::npos) << c.args << ": " << r.output;
  }
}

}  // namespace
}  // namespace oppgjor::interest_cli_test
