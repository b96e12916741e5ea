// Writing OCR giro files, record by record to the character (layout: ocr_layout.h, README.md).
//
// Used by tests and benchmarks to make OCR files as MPS would send them. The writer computes
// records 88 and 89 (counts, sums, first/last dates) itself from the model, with the same
// rules the parser checks (assignment_totals / transmission_totals in ocr_giro.h), so
// parse_ocr_file(write_ocr_file(f)) == f for every File that meets the REQUIRES below.
//
// Pure, no I/O, thread-safe. One allocation for the whole output.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/date.h"
#include "formats/ocr/ocr_giro.h"

namespace oppgjor::formats::ocr {

enum class LineEnding { lf, crlf };

// The whole file, every record followed by the line ending (the last one too).
// REQUIRES (checked by OPPGJOR_ASSERT; a violation is a bug in the caller, not input):
//   - every digit-string field of File, Assignment and Transaction has exactly its width and
//     only digits (see the field comments in ocr_giro.h);
//   - transaction number ≤ 9'999'999, day_code ≤ 99, partial_settlement_no ≤ 9;
//   - 0 ≤ amount_ore ≤ layout::amount_ore_max, and the sums of every assignment and of the file
//     fit 17 digits; at most 99'999'999 records and transactions;
//   - kid: at most 25 characters, digits with an optional '-' last (or empty);
//   - reserved_35_41: 7 characters without control characters;
//   - free_text: empty unless type 20/21, at most 40 characters, no control characters, no
//     trailing blank (the parser trims trailing blanks);
//   - every date in 1980..2079 (two-digit years, see parse_ocr_file).
std::string write_ocr_file(const File& file, LineEnding line_ending = LineEnding::lf);

// A payment for make_ocr_file.
struct Payment {
  std::string kid;  // as for Transaction::kid
  std::int64_t amount_ore = 0;
  common::Date date;  // becomes the transaction's nets_date and bank_date
};

// The numbers a caller picks for a generated file. Widths as in File / Assignment.
struct FileParams {
  std::string data_recipient = "00010200";         // 8 digits, the payee's customer unit ID
  std::string transmission_number = "0000001";     // 7 digits
  std::string agreement_id = "000000001";          // 9 digits
  std::string assignment_number = "0000001";       // 7 digits
  std::string assignment_account = "86011117947";  // 11 digits (a MOD11-valid test account)
  common::Date nets_date;                          // for records 88 and 89
  TransactionType type = TransactionType::giro_debited_account;
};

// One transmission from Nets (data transmitter 00008080) with one assignment holding one
// transaction per payment, in the order given, numbered 1, 2, …. A type 20/21 gets free text
// "payment <n>". REQUIRES: at most 9'999'999 payments; the REQUIRES of write_ocr_file.
File make_ocr_file(const FileParams& params, std::span<const Payment> payments);

}  // namespace oppgjor::formats::ocr
