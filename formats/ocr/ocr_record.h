// Internal to the OCR reader: splitting a file into records and reading typed fields out of one
// record, each failure an Error that names the record number, record type and field.
//
// Not part of the public API (include ocr_giro.h). A RecordView borrows the file's bytes; it
// lives no longer than the std::string_view given to LineSplitter. Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/result.h"
#include "formats/ocr/ocr_giro.h"
#include "formats/ocr/ocr_layout.h"

namespace oppgjor::formats::ocr::detail {

// Yields the lines of `bytes`: split at LF, one CR before the LF removed. A final LF does not
// start another line. Line numbers are 1-based.
class LineSplitter {
 public:
  explicit LineSplitter(std::string_view bytes) : bytes_(bytes) {}
  std::optional<std::string_view> next();
  std::size_t lines_read() const { return lines_read_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::size_t lines_read_ = 0;
};

// The error every check here returns. `record_type` is the two characters of positions 7–8
// when they are digits, "?" otherwise.
Error record_error(std::string_view code, std::size_t record_no, std::string_view record_type,
                   std::string_view field, std::string_view reason);

// One record whose common part (length, "NY", record type, service code, type code) is
// checked by RecordView::open.
class RecordView {
 public:
  // Checks what every record must satisfy and knows the record type. Record types 10, 20, 30,
  // 31, 32, 88 and 89 are accepted; for 30–32 the transaction type must be a known one.
  static Result<RecordView> open(std::string_view line, std::size_t record_no);

  int type() const { return type_; }
  std::size_t number() const { return record_no_; }
  // REQUIRES: type() is 30, 31 or 32.
  TransactionType transaction_type() const { return transaction_type_; }
  std::string_view at(const layout::Field& f) const { return line_.substr(f.offset(), f.size()); }

  Error error(std::string_view code, std::string_view field, std::string_view reason) const;
  Error error(std::string_view code, const layout::Field& f, std::string_view reason) const {
    return error(code, f.name, reason);
  }

  // A numeric field (digits only) as a number.
  Result<std::int64_t> number(const layout::Field& f) const;
  // A numeric field kept as its digits (identifiers: leading zeros matter).
  Result<std::string> digits(const layout::Field& f) const;
  // DDMMYY, a real calendar day.
  Result<common::Date> date(const layout::Field& f) const;
  // DDMMYY or "000000" (nullopt).
  Result<std::optional<common::Date>> optional_date(const layout::Field& f) const;
  // Every position '0'.
  Status zeros(const layout::Field& f) const;
  // Text without control characters (bytes below 0x20 and 0x7F), trailing blanks removed.
  Result<std::string> text(const layout::Field& f, bool trim_trailing_blanks) const;

 private:
  RecordView(std::string_view line, std::size_t record_no, int type, TransactionType tx)
      : line_(line), record_no_(record_no), type_(type), transaction_type_(tx) {}

  std::string_view line_;
  std::size_t record_no_;
  int type_;
  TransactionType transaction_type_;
};

// "33-49": a field's positions for messages.
std::string positions(const layout::Field& f);

}  // namespace oppgjor::formats::ocr::detail
