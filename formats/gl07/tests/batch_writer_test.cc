#include "formats/gl07/batch_writer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/gl07/errors.h"

namespace oppgjor::formats::gl07 {
namespace {

namespace ec = error_code;
using common::Date;

Transaction posting(std::int64_t voucher_no, std::string account, std::int64_t amount_ore,
                    std::string text) {
  Transaction t;
  t.voucher_no = voucher_no;
  t.voucher_date = Date::ymd(2025, 3, 31);
  t.period_yyyymm = 202503;
  t.account = std::move(account);
  t.amount_ore = amount_ore;
  t.text = std::move(text);
  return t;
}

// Voucher 1001: a nursing-home fee, receivable against income with dimensions.
// Voucher 1002: a correction moved between two responsibilities.
Batch sample_batch() {
  Batch b;
  b.batch_id = "OPPGJOR-20250331-01";
  b.interface = "BI";
  b.voucher_type = "GL";
  b.client = "FV";
  b.transactions.push_back(posting(1001, "1500", 4'250'000, "Vederlag mars, sykehjem"));
  b.transactions.push_back(posting(1001, "1620", -4'250'000, "Vederlag mars, sykehjem"));
  b.transactions.back().dimensions = {"2531", "253", "", "", "", "", ""};
  b.transactions.push_back(posting(1002, "1620", 12'345, "Omføring ansvar 2531 til 2532"));
  b.transactions.back().dimensions[0] = "2531";
  b.transactions.push_back(posting(1002, "1620", -12'345, "Omføring ansvar"));
  b.transactions.back().dimensions[0] = "2532";
  return b;
}

std::vector<std::string> records(const std::string& file, const std::string& line_end) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (auto end = file.find(line_end); end != std::string::npos;
       begin = end + line_end.size(), end = file.find(line_end, begin)) {
    out.push_back(file.substr(begin, end - begin));
  }
  EXPECT_EQ(begin, file.size()) << "the file ends with a line end";
  return out;
}

// The field at 1-based `start` (bytes = characters in a latin1 layout).
std::string at(const std::string& record, std::size_t start, std::size_t length) {
  return record.substr(start - 1, length);
}

TEST(WriteBatch, StandardLayoutPutsEachFieldAtItsPosition) {
  auto file = write_batch(sample_batch(), default_layout());
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  const auto r = records(*file, "\r\n");
  ASSERT_EQ(r.size(), 4u);
  for (const std::string& rec : r) EXPECT_EQ(rec.size(), 2060u);
  const std::string& credit = r[1];
  EXPECT_EQ(at(credit, 1, 25), "OPPGJOR-20250331-01      ");
  EXPECT_EQ(at(credit, 26, 25), "BI" + std::string(23, ' '));
  EXPECT_EQ(at(credit, 51, 25), "GL" + std::string(23, ' '));
  EXPECT_EQ(at(credit, 76, 2), "GL");
  EXPECT_EQ(at(credit, 78, 25), "FV" + std::string(23, ' '));
  EXPECT_EQ(at(credit, 103, 25), "1620" + std::string(21, ' '));
  EXPECT_EQ(at(credit, 128, 25), "2531" + std::string(21, ' '));
  EXPECT_EQ(at(credit, 153, 25), "253" + std::string(22, ' '));
  EXPECT_EQ(at(credit, 178, 125), std::string(125, ' '));  // dim_3..dim_7
  EXPECT_EQ(at(credit, 303, 25), std::string(25, ' '));    // tax_code
  EXPECT_EQ(at(credit, 353, 25), "NOK" + std::string(22, ' '));
  EXPECT_EQ(at(credit, 378, 2), "-1");
  EXPECT_EQ(at(credit, 380, 20), "            -4250000");  // cur_amount
  EXPECT_EQ(at(credit, 400, 20), "            -4250000");  // amount
  EXPECT_EQ(at(credit, 420, 71), std::string(71, ' '));    // number_1, value_1..3
  EXPECT_EQ(at(credit, 491, 255), "Vederlag mars, sykehjem" + std::string(232, ' '));
  EXPECT_EQ(at(credit, 746, 8), "20250331");  // trans_date
  EXPECT_EQ(at(credit, 754, 8), "20250331");  // voucher_date
  EXPECT_EQ(at(credit, 762, 15), "           1001");
  EXPECT_EQ(at(credit, 777, 6), "202503");
  EXPECT_EQ(at(credit, 783, 2060 - 782), std::string(2060 - 782, ' '));
  EXPECT_EQ(at(r[0], 378, 2), " 1");
  EXPECT_EQ(at(r[0], 400, 20), "             4250000");
}

TEST(WriteBatch, Latin1OneBytePerCharacter) {
  auto file = write_batch(sample_batch(), default_layout());
  ASSERT_TRUE(file.ok());
  const auto r = records(*file, "\r\n");
  EXPECT_EQ(at(r[3], 491, 16), "Omf\xF8ring ansvar ");  // ø is the one byte 0xF8
  for (const std::string& rec : r) EXPECT_EQ(rec.size(), 2060u);
}

TEST(WriteBatch, RefusesTextOutsideLatin1ButUtf8LayoutTakesIt) {
  Batch b = sample_batch();
  b.transactions[2].text = "Omføring 2531 → 2532";
  auto refused = write_batch(b, default_layout());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ec::text_not_encodable);
  EXPECT_EQ(refused.error().field, "voucher 1002: description");

  Layout utf8 = default_layout();
  utf8.encoding = Encoding::utf8;
  auto file = write_batch(b, utf8);
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  const auto r = records(*file, "\r\n");
  // ø is 2 bytes, → 3 bytes: the record is 2060 characters, 2063 bytes.
  EXPECT_EQ(r[2].size(), 2063u);
  EXPECT_EQ(r[2].substr(490, 23), "Omføring 2531 → 2532");
  EXPECT_EQ(r[2].substr(490 + 23 + 235, 8), "20250331");  // trans_date after 235 pad spaces
}

TEST(WriteBatch, RefusesAnUnbalancedVoucherNamingIt) {
  Batch b = sample_batch();
  b.transactions[3].amount_ore = -12'344;
  auto file = write_batch(b, default_layout());
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, ec::voucher_unbalanced);
  EXPECT_EQ(file.error().field, "voucher 1002");
  EXPECT_NE(file.error().message.find("0.01"), std::string::npos) << file.error().message;
}

TEST(WriteBatch, RefusesBadVouchers) {
  struct Row {
    const char* name;
    void (*change)(Batch&);
    const char* code;
    const char* field;
  };
  const Row rows[] = {
      {"empty", [](Batch& b) { b.transactions.clear(); }, ec::no_transactions, "transactions"},
      {"one-sided", [](Batch& b) { b.transactions.pop_back(); }, ec::voucher_unbalanced,
       "voucher 1002"},
      {"dates differ", [](Batch& b) { b.transactions[1].voucher_date = Date::ymd(2025, 4, 1); },
       ec::voucher_inconsistent, "voucher 1001"},
      {"periods differ", [](Batch& b) { b.transactions[1].period_yyyymm = 202504; },
       ec::voucher_inconsistent, "voucher 1001"},
      {"period month 13", [](Batch& b) { b.transactions[0].period_yyyymm = 202513; },
       ec::period_invalid, "voucher 1001"},
      {"voucher 0", [](Batch& b) { b.transactions[0].voucher_no = 0; }, ec::voucher_no_invalid,
       "voucher 0"},
      {"account too wide", [](Batch& b) { b.transactions[0].account = std::string(26, '1'); },
       ec::value_too_wide, "voucher 1001: account"},
      {"control character", [](Batch& b) { b.transactions[0].text = "a\tb"; }, ec::text_invalid,
       "voucher 1001: description"},
      {"bad UTF-8", [](Batch& b) { b.transactions[0].text = "\xC3"; }, ec::text_not_encodable,
       "voucher 1001: description"},
      {"huge amount",
       [](Batch& b) {
         b.transactions[0].amount_ore = amount_ore_max + 1;
         b.transactions[1].amount_ore = -amount_ore_max - 1;
       },
       ec::amount_out_of_range, "voucher 1001: amount"},
  };
  for (const Row& row : rows) {
    Batch b = sample_batch();
    row.change(b);
    auto file = write_batch(b, default_layout());
    ASSERT_FALSE(file.ok()) << row.name;
    EXPECT_EQ(file.error().code, row.code) << row.name << ": " << file.error().to_string();
    EXPECT_EQ(file.error().field, row.field) << row.name << ": " << file.error().to_string();
  }
}

TEST(WriteBatch, TruncatesOnlyFieldsMarkedTruncate) {
  Batch b = sample_batch();
  b.transactions[0].text = std::string(300, 'x');
  auto file = write_batch(b, default_layout());
  ASSERT_TRUE(file.ok());
  const auto r = records(*file, "\r\n");
  EXPECT_EQ(at(r[0], 491, 255), std::string(255, 'x'));
  EXPECT_EQ(at(r[0], 746, 8), "20250331");
}

TEST(WriteBatch, ConfiguredLayoutWholeRecordsExactly) {
  auto layout = parse_layout(
      "record_length 48\nline_end lf\n"
      "field voucher_no   1  6  number left\n"
      "field voucher_date 7  8  date\n"
      "field period       15 6  period\n"
      "field account      21 6  text\n"
      "field dim_1        27 4  text\n"
      "field amount       33 12 number\n");
  ASSERT_TRUE(layout.ok()) << layout.error().to_string();
  auto file = write_batch(sample_batch(), *layout);
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(*file,
            "1001  20250331202503"
            "1500  "
            "    "
            "  "
            "     4250000"
            "    \n"
            "1001  20250331202503"
            "1620  "
            "2531"
            "  "
            "    -4250000"
            "    \n"
            "1002  20250331202503"
            "1620  "
            "2531"
            "  "
            "       12345"
            "    \n"
            "1002  20250331202503"
            "1620  "
            "2532"
            "  "
            "      -12345"
            "    \n");
}

}  // namespace
}  // namespace oppgjor::formats::gl07
