// Tests for write_ocr_file and make_ocr_file: the writer gives back the hand-written sample to
// the character, computes 88/89 itself, and its output parses back to the same File.
#include "formats/ocr/ocr_writer.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/ocr/tests/ocr_sample.h"

namespace oppgjor::formats::ocr {
namespace {

using common::Date;

TEST(OcrWriter, WritesTheSampleToTheCharacter) {
  const Result<File> parsed = parse_ocr_file(testing::sample_file());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  const std::string written = write_ocr_file(*parsed);
  const std::vector<std::string> expected = testing::sample_records();
  ASSERT_EQ(written.size(), expected.size() * 81);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(written.substr(i * 81, 80), expected[i]) << "record " << i + 1;
    EXPECT_EQ(written[i * 81 + 80], '\n');
  }
  EXPECT_EQ(write_ocr_file(*parsed, LineEnding::crlf), testing::sample_file("\r\n"));
}

TEST(OcrWriter, ComputesTotalsItself) {
  Result<File> parsed = parse_ocr_file(testing::sample_file());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  File f = *parsed;
  f.assignments[0].transactions[0].amount_ore += 1;  // the writer must carry it into 88 and 89
  const std::string written = write_ocr_file(f);
  EXPECT_EQ(written.substr(9 * 81 + 24, 17), "00000000000158101");   // record 10, 25-41
  EXPECT_EQ(written.substr(10 * 81 + 24, 17), "00000000000158101");  // record 11, 25-41
  const Result<File> again = parse_ocr_file(written);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(*again, f);
}

TEST(OcrWriter, MakeFileFromPayments) {
  const std::vector<Payment> payments = {
      {"123456782", 102000, Date::ymd(2025, 3, 3)},
      {"40-", 1, Date::ymd(2025, 3, 1)},
      {"", 99'999'999'999'999'999LL - 102001, Date::ymd(2025, 3, 4)},
  };
  FileParams params;
  params.transmission_number = "0303001";
  params.assignment_number = "0303001";
  params.nets_date = Date::ymd(2025, 3, 4);
  const File f = make_ocr_file(params, payments);
  ASSERT_EQ(f.assignments.size(), 1u);
  ASSERT_EQ(f.assignments[0].transactions.size(), 3u);
  EXPECT_EQ(f.assignments[0].transactions[2].number, 3u);
  EXPECT_EQ(f.data_transmitter, "00008080");

  const std::string bytes = write_ocr_file(f);
  const Result<File> parsed = parse_ocr_file(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, f);
  const Totals t = assignment_totals(parsed->assignments[0]);
  EXPECT_EQ(t.amount_ore, 99'999'999'999'999'999LL);  // the 17-digit field, full
  EXPECT_EQ(t.first_nets_date, Date::ymd(2025, 3, 1));
  EXPECT_EQ(t.last_nets_date, Date::ymd(2025, 3, 4));
}

TEST(OcrWriter, MakeFileWithFreeTextType) {
  const std::vector<Payment> payments = {{"2345676", 500, Date::ymd(2030, 12, 31)}};
  FileParams params;
  params.nets_date = Date::ymd(2031, 1, 2);
  params.type = TransactionType::reversal_with_text;
  const File f = make_ocr_file(params, payments);
  const std::string bytes = write_ocr_file(f);
  EXPECT_EQ(bytes.size(), 7u * 81);  // 10, 20, 30, 31, 32, 88, 89
  const Result<File> parsed = parse_ocr_file(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->assignments[0].transactions[0].free_text, "payment 1");
  EXPECT_TRUE(parsed->assignments[0].transactions[0].is_reversal());
  EXPECT_EQ(*parsed, f);
}

TEST(OcrWriter, LargeFileRoundTrips) {
  // The benchmarks write 200,000 payments; 50,000 here keeps the test quick on a shared box.
  constexpr int payments_count = 50'000;
  std::vector<Payment> payments;
  payments.reserve(payments_count);
  for (int i = 0; i < payments_count; ++i) {
    payments.push_back({std::to_string(1'000'000 + i), 100 + i, Date::ymd(2025, 6, 1 + i % 28)});
  }
  FileParams params;
  params.nets_date = Date::ymd(2025, 6, 30);
  const File f = make_ocr_file(params, payments);
  const auto started = std::chrono::steady_clock::now();
  const std::string bytes = write_ocr_file(f);
  const Result<File> parsed = parse_ocr_file(bytes);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(bytes.size(), (2u * payments_count + 4) * 81);
  EXPECT_EQ(*parsed, f);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 10);
}

}  // namespace
}  // namespace oppgjor::formats::ocr
