// Tests for mask.h and for the masking loggers of logging.h.
#include "common/mask.h"

#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "common/logging.h"

namespace oppgjor::common {
namespace {

TEST(MaskNationalId, FirstSixDigits) {
  EXPECT_EQ(mask_national_id("15108695088"), "151086*****");
  EXPECT_EQ(mask_national_id("1510869508"), "**********");
  EXPECT_EQ(mask_national_id("15108695o88"), "***********");
  EXPECT_EQ(mask_national_id(""), "");
}

TEST(MaskPersonalIds, Table) {
  struct MaskRow {
    const char* in;
    const char* out;
  };
  const MaskRow rows[] = {
      {"15108695088", "151086*****"},
      {"kunde 15108695088 betalte", "kunde 151086***** betalte"},
      {"a15108695088b", "a151086*****b"},
      {"(15108695088,10048745526)", "(151086*****,100487*****)"},
      {"15108695088 og 15108695088", "151086***** og 151086*****"},
      {"D-nummer 41018012345?", "D-nummer 41018012345?"},    // bad check digits: left alone
      {"15108695077", "15108695077"},                        // invalid: left alone
      {"115108695088", "115108695088"},                      // part of a 12-digit run
      {"151086950880", "151086950880"},                      // part of a 12-digit run
      {"1510869508", "1510869508"},                          // 10 digits
      {"konto 86011117947", "konto 86011117947"},            // account number, not personal
      {"FH 82938389280.", "FH 829383*****."},                // FH-number
      {"fremtid 18103970861", "fremtid 181039*****"},        // no `today`: masked anyway
      {"2032-regel 30108299939", "2032-regel 301082*****"},  // valid under the 2032 rule
      {"beløp 1 234,50 kr", "beløp 1 234,50 kr"},
      {"", ""},
      {"æøå 15108695088 ÆØÅ", "æøå 151086***** ÆØÅ"},
  };
  for (const MaskRow& row : rows) EXPECT_EQ(mask_personal_ids(row.in), row.out) << row.in;
}

TEST(MaskPersonalIds, LongInputIsLinear) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "id 15108695088, beløp 123.45; ";
  const std::string masked = mask_personal_ids(text);
  EXPECT_EQ(masked.find("15108695088"), std::string::npos);
  EXPECT_EQ(masked.size(), text.size());
}

TEST(EscapeControl, TerminalControlBytesBecomeVisible) {
  EXPECT_EQ(escape_control("a\x1b]0;pwned\x07"
                           "b"),
            "a\\x1b]0;pwned\\x07b");
  EXPECT_EQ(escape_control("line\nnext\ttab\x7f"), "line\\x0anext\\x09tab\\x7f");
  EXPECT_EQ(escape_control("csi \xc2\x9b"
                           "31m"),
            "csi \\xc2\\x9b31m");  // C1 as UTF-8
  EXPECT_EQ(escape_control("bare \x9b"
                           "31m"),
            "bare \\x9b31m");  // C1 as a bare byte
  EXPECT_EQ(escape_control("Ærlig østby å ¤ ✓"), "Ærlig østby å ¤ ✓");
  EXPECT_EQ(for_display("15108695088\x1b"), "151086*****\\x1b");
  EXPECT_EQ(for_display_strict("12345678901"), "123456*****");
  EXPECT_EQ(for_display("a\nb\x1b", Newlines::keep), "a\nb\\x1b");
}

TEST(JsonEscape, Escapes) {
  EXPECT_EQ(json_escape("plain"), "plain");
  EXPECT_EQ(json_escape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(json_escape("line\nnext\ttab\r"), "line\\nnext\\ttab\\r");
  EXPECT_EQ(json_escape(std::string("\x01\x1f", 2)), "\\u0001\\u001f");
  EXPECT_EQ(json_escape("\b\f"), "\\b\\f");
  EXPECT_EQ(json_escape("blåbær"), "blåbær");
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_EQ(parse_log_format("human"), LogFormat::human);
  EXPECT_EQ(parse_log_format("xml"), std::nullopt);
  EXPECT_EQ(log_format_name(LogFormat::json), "json");
}

TEST(Logging, JsonLinesAreMasked) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = make_logger("care_fees", sink, LogFormat::json, spdlog::level::info);
  logger->info("stay started for {} with \"quote\"\nnew line", "15108695088");
  logger->debug("below the level: 15108695088");
  logger->flush();
  const std::string line = out.str();
  EXPECT_EQ(line.find("15108695088"), std::string::npos) << line;
  EXPECT_NE(line.find("\"msg\":\"stay started for 151086***** with \\\"quote\\\"\\nnew line\"}"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.rfind("{\"ts\":\"", 0), 0u) << line;
  EXPECT_NE(line.find("\",\"level\":\"info\",\"logger\":\"care_fees\",\"msg\":"), std::string::npos)
      << line;
  // One line, ending in "}\n"; the timestamp looks like 2025-11-23T12:34:56.789Z.
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  ASSERT_GT(line.size(), 33u);
  EXPECT_EQ(line[17], 'T') << line;
  EXPECT_EQ(line.substr(30, 3), "Z\",") << line;
}

TEST(Logging, HumanLinesAreMasked) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = make_logger("ledger", sink, LogFormat::human, spdlog::level::debug);
  logger->warn("unmatched payment from {} on account {}", "10048745526", "86011117947");
  logger->flush();
  const std::string line = out.str();
  EXPECT_EQ(line.find("10048745526"), std::string::npos) << line;
  EXPECT_NE(line.find("[warning] [ledger] unmatched payment from 100487***** on account "
                      "86011117947\n"),
            std::string::npos)
      << line;
}

TEST(Logging, DefaultLoggerIsMasked) {
  init_logging(LogFormat::json, spdlog::level::info);
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(make_masking_formatter(LogFormat::json));
  spdlog::default_logger()->sinks().push_back(sink);
  spdlog::info("customer {}", "31129956715");
  spdlog::default_logger()->flush();
  EXPECT_NE(out.str().find("customer 311299*****"), std::string::npos) << out.str();
  spdlog::default_logger()->sinks().pop_back();
}

}  // namespace
}  // namespace oppgjor::common
