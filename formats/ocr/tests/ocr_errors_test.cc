// Tests for parse_ocr_file's refusals, as a table: one change to the sample file (ocr_sample.h)
// → the error code, the field path (1-based record number) and the start of the message.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/ocr/ocr_giro.h"
#include "formats/ocr/tests/ocr_sample.h"

namespace oppgjor::formats::ocr {
namespace {

using Records = std::vector<std::string>;

struct Case {
  const char* name;
  std::function<std::string(Records&)> change;  // returns the file's bytes
  std::string_view code;
  const char* field;
  const char* message_start;
};

std::string lf(Records& r) {
  return testing::join_records(r);
}

// Record i (1-based) of the sample: positions first..first+text.size()-1 replaced.
void put(Records& r, std::size_t record_no, std::size_t first, const std::string& text) {
  r[record_no - 1].replace(first - 1, text.size(), text);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"record too short",
       [](Records& r) {
         r[3].pop_back();
         return lf(r);
       },
       error_code::record_length, "record_4", "record 4 (type 31): is 79 characters long"},
      {"record too long",
       [](Records& r) {
         r[0] += "0";
         return lf(r);
       },
       error_code::record_length, "record_1", "record 1 (type 10): is 81 characters long"},
      {"empty line in the middle",
       [](Records& r) {
         r.insert(r.begin() + 2, "");
         return lf(r);
       },
       error_code::record_length, "record_3", "record 3 (type ?): is 0 characters long"},
      {"format code not NY",
       [](Records& r) {
         put(r, 5, 1, "NX");
         return lf(r);
       },
       error_code::format_code, "record_5.format_code", "record 5 (type 30): format_code"},
      {"record type not digits",
       [](Records& r) {
         put(r, 4, 7, "3X");
         return lf(r);
       },
       error_code::not_numeric, "record_4.record_type", "record 4 (type ?): record_type"},
      {"unknown record type",
       [](Records& r) {
         put(r, 4, 7, "49");
         return lf(r);
       },
       error_code::unknown_record_type, "record_4.record_type",
       "record 4 (type 49): record_type 49 is not a record type"},
      {"AvtaleGiro service code",
       [](Records& r) {
         put(r, 2, 3, "21");
         return lf(r);
       },
       error_code::invalid_field, "record_2.service_code", "record 2 (type 20): service_code 21"},
      {"unknown transaction type",
       [](Records& r) {
         put(r, 3, 5, "22");
         return lf(r);
       },
       error_code::invalid_field, "record_3.transaction_type", "record 3 (type 30)"},
      {"amount not numeric",
       [](Records& r) {
         put(r, 3, 40, "x");
         return lf(r);
       },
       error_code::not_numeric, "record_3.amount",
       "record 3 (type 30): amount must be digits (positions 33-49)"},
      {"transaction number not numeric",
       [](Records& r) {
         put(r, 5, 9, " ");
         return lf(r);
       },
       error_code::not_numeric, "record_5.transaction_number", "record 5 (type 30)"},
      {"88 count not numeric",
       [](Records& r) {
         put(r, 10, 16, "O");
         return lf(r);
       },
       error_code::not_numeric, "record_10.number_of_transactions", "record 10 (type 88)"},
      {"not a calendar date",
       [](Records& r) {
         put(r, 3, 16, "310225");
         return lf(r);
       },
       error_code::invalid_field, "record_3.nets_date",
       "record 3 (type 30): nets_date 310225 is not a calendar date"},
      {"bad sign",
       [](Records& r) {
         put(r, 3, 32, "+");
         return lf(r);
       },
       error_code::invalid_field, "record_3.sign", "record 3 (type 30): sign"},
      {"letter in KID",
       [](Records& r) {
         put(r, 3, 70, "A");
         return lf(r);
       },
       error_code::invalid_field, "record_3.kid", "record 3 (type 30): kid must be digits"},
      {"KID not right-aligned",
       [](Records& r) {
         put(r, 3, 50, "123456782                ");
         return lf(r);
       },
       error_code::invalid_field, "record_3.kid", "record 3 (type 30): kid"},
      {"filler not zeros",
       [](Records& r) {
         put(r, 3, 80, " ");
         return lf(r);
       },
       error_code::invalid_field, "record_3.filler",
       "record 3 (type 30): filler must be zeros (positions 75-80)"},
      {"first record not 10",
       [](Records& r) {
         r.erase(r.begin());
         return lf(r);
       },
       error_code::record_order, "record_1.record_type", "record 1 (type 20): record_type 20"},
      {"30 not followed by 31",
       [](Records& r) {
         r.erase(r.begin() + 3);
         return lf(r);
       },
       error_code::record_order, "record_4.record_type",
       "record 4 (type 30): record_type 30 where record 31 of transaction 1 was expected"},
      {"31 of another transaction",
       [](Records& r) {
         put(r, 4, 9, "0000009");
         return lf(r);
       },
       error_code::record_order, "record_4.transaction_number",
       "record 4 (type 31): transaction_number 9 does not match the record 30 before it (1)"},
      {"31 of another transaction type",
       [](Records& r) {
         put(r, 4, 5, "11");
         return lf(r);
       },
       error_code::record_order, "record_4.transaction_type", "record 4 (type 31)"},
      {"type 21 without record 32",
       [](Records& r) {
         r.erase(r.begin() + 8);
         return lf(r);
       },
       error_code::record_order, "record_9.record_type",
       "record 9 (type 88): record_type 88 where record 32 of transaction 3 was expected"},
      {"record 32 after type 10",
       [](Records& r) {
         std::string extra = r[8];
         extra.replace(4, 2, "10");
         extra.replace(8, 7, "0000001");
         r.insert(r.begin() + 4, extra);
         return lf(r);
       },
       error_code::record_order, "record_5.record_type", "record 5 (type 32)"},
      {"31 first in an assignment",
       [](Records& r) {
         r.erase(r.begin() + 2);
         return lf(r);
       },
       error_code::record_order, "record_3.record_type", "record 3 (type 31)"},
      {"transaction before any assignment",
       [](Records& r) {
         r.insert(r.begin() + 1, r[2]);
         return lf(r);
       },
       error_code::outside_assignment, "record_2.record_type",
       "record 2 (type 30): record_type is a transaction record outside an assignment"},
      {"transaction after record 88",
       [](Records& r) {
         r.insert(r.begin() + 10, r[2]);
         return lf(r);
       },
       error_code::outside_assignment, "record_11.record_type", "record 11 (type 30)"},
      {"second record 10",
       [](Records& r) {
         r.insert(r.begin() + 1, r[0]);
         return lf(r);
       },
       error_code::record_order, "record_2.record_type", "record 2 (type 10)"},
      {"record 20 inside an assignment",
       [](Records& r) {
         r.insert(r.begin() + 4, r[1]);
         return lf(r);
       },
       error_code::record_order, "record_5.record_type", "record 5 (type 20)"},
      {"88 count of transactions",
       [](Records& r) {
         put(r, 10, 9, "00000004");
         return lf(r);
       },
       error_code::assignment_totals, "record_10.number_of_transactions",
       "record 10 (type 88): number_of_transactions 4 does not match the assignment's "
       "transactions (3)"},
      {"88 count of records",
       [](Records& r) {
         put(r, 10, 17, "00000008");
         return lf(r);
       },
       error_code::assignment_totals, "record_10.number_of_records",
       "record 10 (type 88): number_of_records 8 does not match the assignment's records, its 20 "
       "and 88 included (9)"},
      {"88 sum of amounts",
       [](Records& r) {
         put(r, 10, 25, "00000000000012345");
         return lf(r);
       },
       error_code::assignment_totals, "record_10.sum_of_amounts",
       "record 10 (type 88): sum_of_amounts 12345 does not match the assignment's transactions "
       "(158100)"},
      {"88 reversal subtracted",
       [](Records& r) {
         put(r, 10, 25, "00000000000046100");
         return lf(r);
       },
       error_code::assignment_totals, "record_10.sum_of_amounts", "record 10 (type 88)"},
      {"88 first date",
       [](Records& r) {
         put(r, 10, 48, "140125");
         return lf(r);
       },
       error_code::assignment_totals, "record_10.first_nets_date",
       "record 10 (type 88): first_nets_date 2025-01-14 does not match"},
      {"88 last date",
       [](Records& r) {
         put(r, 10, 54, "000000");
         return lf(r);
       },
       error_code::assignment_totals, "record_10.last_nets_date", "record 10 (type 88)"},
      {"89 count of transactions",
       [](Records& r) {
         put(r, 11, 9, "00000002");
         return lf(r);
       },
       error_code::transmission_totals, "record_11.number_of_transactions",
       "record 11 (type 89): number_of_transactions 2 does not match the transmission's "
       "transactions (3)"},
      {"89 count of records",
       [](Records& r) {
         put(r, 11, 17, "00000009");
         return lf(r);
       },
       error_code::transmission_totals, "record_11.number_of_records",
       "record 11 (type 89): number_of_records 9 does not match the transmission's records, its "
       "10 and 89 included (11)"},
      {"89 sum of amounts",
       [](Records& r) {
         put(r, 11, 25, "00000000000158000");
         return lf(r);
       },
       error_code::transmission_totals, "record_11.sum_of_amounts",
       "record 11 (type 89): sum_of_amounts 158000 does not match the transmission's "
       "transactions (158100)"},
      {"88 missing",
       [](Records& r) {
         r.erase(r.begin() + 9);
         return lf(r);
       },
       error_code::record_order, "record_10.record_type", "record 10 (type 89)"},
      {"89 missing",
       [](Records& r) {
         r.pop_back();
         return lf(r);
       },
       error_code::missing_end, "record_11.record_type", "record 11 (type -): record_type missing"},
      {"file ends inside an assignment",
       [](Records& r) {
         r.resize(5);
         return lf(r);
       },
       error_code::missing_end, "record_6.record_type", "record 6 (type -)"},
      {"content after 89",
       [](Records& r) {
         r.push_back(r[0]);
         return lf(r);
       },
       error_code::content_after_end, "record_12", "record 12 (type -): follows record 89"},
      {"empty line after 89", [](Records& r) { return lf(r) + "\n"; },
       error_code::content_after_end, "record_12", "record 12"},
      {"empty file", [](Records&) { return std::string(); }, error_code::empty_file,
       "record_1.record_type", "record 1 (type -)"},
  };
  return table;
}

void expect_error(const Error& e, const Case& c);

std::string to_crlf(const std::string& lf_bytes) {
  std::string out;
  for (char ch : lf_bytes) {
    if (ch == '\n') out += '\r';
    out += ch;
  }
  return out;
}

// Each case twice, with LF and with CRLF: the same error, the same record number.
TEST(OcrGiroErrors, EachBadInputNamesRecordAndField) {
  for (const Case& c : cases()) {
    for (const bool crlf : {false, true}) {
      SCOPED_TRACE(std::string(c.name) + (crlf ? " (CRLF)" : " (LF)"));
      Records records = testing::sample_records();
      const std::string bytes = c.change(records);
      const Result<File> parsed = parse_ocr_file(crlf ? to_crlf(bytes) : bytes);
      ASSERT_FALSE(parsed.ok());
      expect_error(parsed.error(), c);
    }
  }
}

void expect_error(const Error& e, const Case& c) {
  EXPECT_EQ(e.code, c.code) << e.to_string();
  EXPECT_EQ(e.field, c.field) << e.to_string();
  EXPECT_EQ(e.message.rfind(c.message_start, 0), 0u) << e.message;
  // Never a whole record, a KID or an account number in an error.
  for (const std::string& secret : {std::string("86011117947"), std::string("123456782"),
                                    std::string("2345676"), std::string("9636827194")}) {
    EXPECT_EQ(e.message.find(secret), std::string::npos) << e.message;
  }
  EXPECT_LT(e.message.size(), 200u) << e.message;
}

TEST(OcrGiroErrors, TheSampleItselfIsAccepted) {
  Records records = testing::sample_records();
  const Result<File> parsed = parse_ocr_file(lf(records));
  EXPECT_TRUE(parsed.ok()) << parsed.error().to_string();
}

}  // namespace
}  // namespace oppgjor::formats::ocr
