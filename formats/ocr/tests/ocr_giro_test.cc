// Tests for parse_ocr_file on the hand-written sample (tests/ocr_sample.h): every field read
// from its positions, LF / CRLF / no final newline, the reversal type, the enum.
#include "formats/ocr/ocr_giro.h"

#include <string>

#include <gtest/gtest.h>

#include "formats/ocr/tests/ocr_sample.h"

namespace oppgjor::formats::ocr {
namespace {

using common::Date;

TEST(OcrGiroSample, EveryRecordIs80Characters) {
  const auto records = testing::sample_records();
  ASSERT_EQ(records.size(), 11u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].size(), 80u) << "record " << i + 1;
  }
}

TEST(OcrGiroSample, ParsesEveryField) {
  const Result<File> parsed = parse_ocr_file(testing::sample_file());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  const File& f = *parsed;
  EXPECT_EQ(f.data_transmitter, "00008080");
  EXPECT_EQ(f.transmission_number, "0170031");
  EXPECT_EQ(f.data_recipient, "00010200");
  EXPECT_EQ(f.nets_date, Date::ymd(2025, 1, 16));
  ASSERT_EQ(f.assignments.size(), 1u);

  const Assignment& a = f.assignments[0];
  EXPECT_EQ(a.agreement_id, "001008566");
  EXPECT_EQ(a.assignment_number, "0000002");
  EXPECT_EQ(a.assignment_account, "86011117947");
  EXPECT_EQ(a.nets_date, Date::ymd(2025, 1, 16));
  ASSERT_EQ(a.transactions.size(), 3u);

  const Transaction& t1 = a.transactions[0];
  EXPECT_EQ(t1.type, TransactionType::giro_debited_account);
  EXPECT_EQ(t1.number, 1u);
  EXPECT_EQ(t1.nets_date, Date::ymd(2025, 1, 15));
  EXPECT_EQ(t1.centre_id, "13");
  EXPECT_EQ(t1.day_code, 15);
  EXPECT_EQ(t1.partial_settlement_no, 1);
  EXPECT_EQ(t1.serial_no, "01464");
  EXPECT_FALSE(t1.sign_negative);
  EXPECT_EQ(t1.amount_ore, 102000);
  EXPECT_EQ(t1.kid, "123456782");
  EXPECT_EQ(t1.form_number, "9636827194");
  EXPECT_EQ(t1.archive_reference, "099038562");
  EXPECT_EQ(t1.reserved_35_41, "1883206");
  EXPECT_EQ(t1.bank_date, Date::ymd(2025, 1, 14));
  EXPECT_EQ(t1.debit_account, "86011117947");
  EXPECT_EQ(t1.free_text, "");
  EXPECT_FALSE(t1.is_reversal());

  const Transaction& t2 = a.transactions[1];
  EXPECT_EQ(t2.type, TransactionType::reversal_with_kid);
  EXPECT_TRUE(t2.is_reversal());
  EXPECT_EQ(t2.number, 2u);
  EXPECT_TRUE(t2.sign_negative);
  EXPECT_EQ(t2.amount_ore, 56000);
  EXPECT_EQ(t2.kid, "40-");
  EXPECT_EQ(t2.archive_reference, "123456001");
  EXPECT_EQ(t2.bank_date, std::nullopt);
  EXPECT_EQ(t2.debit_account, "00000000000");

  const Transaction& t3 = a.transactions[2];
  EXPECT_EQ(t3.type, TransactionType::purchase_with_text);
  EXPECT_FALSE(t3.is_reversal());
  EXPECT_EQ(t3.nets_date, Date::ymd(2025, 1, 16));
  EXPECT_EQ(t3.day_code, 16);
  EXPECT_EQ(t3.partial_settlement_no, 2);
  EXPECT_EQ(t3.serial_no, "00007");
  EXPECT_EQ(t3.amount_ore, 100);
  EXPECT_EQ(t3.kid, "2345676");
  EXPECT_EQ(t3.free_text, "Faktura 2025-17 Oslo kommune");
}

TEST(OcrGiroSample, TotalsFollowTheCountingRules) {
  const Result<File> parsed = parse_ocr_file(testing::sample_file());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  const Totals a = assignment_totals(parsed->assignments[0]);
  EXPECT_EQ(a.transactions, 3);
  EXPECT_EQ(a.records, 9);          // 20 + 2 + 2 + 3 + 88
  EXPECT_EQ(a.amount_ore, 158100);  // the reversal is added, not subtracted
  EXPECT_EQ(a.first_nets_date, Date::ymd(2025, 1, 15));
  EXPECT_EQ(a.last_nets_date, Date::ymd(2025, 1, 16));
  const Totals t = transmission_totals(*parsed);
  EXPECT_EQ(t.transactions, 3);
  EXPECT_EQ(t.records, 11);
  EXPECT_EQ(t.amount_ore, 158100);
}

TEST(OcrGiroSample, LineEndings) {
  const Result<File> lf = parse_ocr_file(testing::sample_file("\n"));
  const Result<File> crlf = parse_ocr_file(testing::sample_file("\r\n"));
  const Result<File> no_final =
      parse_ocr_file(testing::join_records(testing::sample_records(), "\n", false));
  const Result<File> crlf_no_final =
      parse_ocr_file(testing::join_records(testing::sample_records(), "\r\n", false));
  ASSERT_TRUE(lf.ok()) << lf.error().to_string();
  ASSERT_TRUE(crlf.ok()) << crlf.error().to_string();
  ASSERT_TRUE(no_final.ok()) << no_final.error().to_string();
  ASSERT_TRUE(crlf_no_final.ok()) << crlf_no_final.error().to_string();
  EXPECT_EQ(*lf, *crlf);
  EXPECT_EQ(*lf, *no_final);
  EXPECT_EQ(*lf, *crlf_no_final);
}

TEST(OcrGiroSample, AnEmptyAssignmentHasZeroDates) {
  // clang-format off
  const std::string file = testing::join_records({
      "NY000010" "00008080" "0000001" "00010200" + std::string(49, '0'),
      "NY090020" "000000001" "0000001" "86011117947" + std::string(45, '0'),
      "NY090088" "00000000" "00000002" "00000000000000000" "310125" "000000" "000000" +
          std::string(21, '0'),
      "NY000089" "00000000" "00000004" "00000000000000000" "310125" + std::string(33, '0'),
  });
  // clang-format on
  const Result<File> parsed = parse_ocr_file(file);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  ASSERT_EQ(parsed->assignments.size(), 1u);
  EXPECT_TRUE(parsed->assignments[0].transactions.empty());
  EXPECT_EQ(parsed->nets_date, Date::ymd(2025, 1, 31));
}

TEST(OcrGiroSample, CenturyOfTwoDigitYears) {
  std::vector<std::string> records = testing::sample_records();
  // 1992 as in the Nets manual's sample: nets date 20.01.92 on transaction 1 and record 88.
  records[2].replace(15, 6, "200192");
  records[9].replace(47, 6, "200192");
  const Result<File> parsed = parse_ocr_file(testing::join_records(records));
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->assignments[0].transactions[0].nets_date, Date::ymd(1992, 1, 20));
}

TEST(OcrGiroTransactionType, CodesNamesAndReversals) {
  for (int code = 0; code < 100; ++code) {
    const auto type = transaction_type_from_code(code);
    EXPECT_EQ(type.has_value(), code >= 10 && code <= 21) << code;
    if (!type) continue;
    EXPECT_EQ(transaction_type_code(*type), code);
    EXPECT_FALSE(transaction_type_name(*type).empty());
    EXPECT_EQ(is_reversal(*type), code == 18 || code == 20) << code;
    EXPECT_EQ(has_free_text_record(*type), code == 20 || code == 21) << code;
    EXPECT_EQ(records_per_transaction(*type), code == 20 || code == 21 ? 3 : 2);
  }
  EXPECT_EQ(transaction_type_name(TransactionType::reversal_with_kid), "reversal_with_kid");
  EXPECT_EQ(transaction_type_name(TransactionType::avtalegiro), "avtalegiro");
}

}  // namespace
}  // namespace oppgjor::formats::ocr
