// Record splitting and field reading for the OCR reader (see ocr_record.h).
#include "formats/ocr/ocr_record.h"

#include <utility>

#include "common/ascii.h"

namespace oppgjor::formats::ocr::detail {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && common::only_ascii_digits(s);
}

std::string_view type_label(std::string_view line) {
  if (line.size() >= layout::record_type.last) {
    const std::string_view t =
        line.substr(layout::record_type.offset(), layout::record_type.size());
    if (all_digits(t)) return t;
  }
  return "?";
}

bool is_known_record_type(int type) {
  switch (type) {
    case 10:
    case 20:
    case 30:
    case 31:
    case 32:
    case 88:
    case 89:
      return true;
    default:
      return false;
  }
}

// Records 10 and 89 belong to the transmission (service code 00); the rest to the OCR giro
// assignment (service code 09) (research §4.1, §4.2).
std::string_view expected_service(int type) {
  return type == 10 || type == 89 ? layout::service_transmission : layout::service_ocr_giro;
}

Status check_service_code(std::string_view line, std::size_t no, int type) {
  const std::string_view service = line.substr(layout::service_code.offset(), 2);
  const std::string_view expected = expected_service(type);
  if (service == expected) return ok_status();
  if (service == layout::service_avtalegiro) {
    return record_error(error_code::invalid_field, no, type_label(line), layout::service_code.name,
                        "21 is AvtaleGiro, which this OCR giro reader does not read");
  }
  return record_error(error_code::invalid_field, no, type_label(line), layout::service_code.name,
                      "must be " + std::string(expected) + " for this record type");
}

}  // namespace

std::optional<std::string_view> LineSplitter::next() {
  if (pos_ >= bytes_.size()) return std::nullopt;
  const std::size_t end = bytes_.find('\n', pos_);
  std::string_view line;
  if (end == std::string_view::npos) {
    line = bytes_.substr(pos_);
    pos_ = bytes_.size();
  } else {
    line = bytes_.substr(pos_, end - pos_);
    pos_ = end + 1;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++lines_read_;
  return line;
}

std::string positions(const layout::Field& f) {
  if (f.first == f.last) return std::to_string(f.first);
  return std::to_string(f.first) + "-" + std::to_string(f.last);
}

Error record_error(std::string_view code, std::size_t record_no, std::string_view record_type,
                   std::string_view field, std::string_view reason) {
  const std::string no = std::to_string(record_no);
  std::string path = "record_" + no;
  std::string message = "record " + no + " (type " + std::string(record_type) + "): ";
  if (!field.empty()) {
    path += ".";
    path += field;
    message += field;
    message += " ";
  }
  message += reason;
  return make_error(std::string(code), std::move(path), std::move(message));
}

Result<RecordView> RecordView::open(std::string_view line, std::size_t no) {
  if (line.size() != layout::record_length) {
    return record_error(error_code::record_length, no, type_label(line), "",
                        "is " + std::to_string(line.size()) + " characters long, expected " +
                            std::to_string(layout::record_length));
  }
  if (line.substr(layout::format_code.offset(), 2) != layout::format_code_ny) {
    return record_error(error_code::format_code, no, type_label(line), layout::format_code.name,
                        "must be NY (positions 1-2)");
  }
  const std::string_view type_text = line.substr(layout::record_type.offset(), 2);
  if (!all_digits(type_text)) {
    return record_error(error_code::not_numeric, no, "?", layout::record_type.name,
                        "must be digits (positions 7-8)");
  }
  const int type = (type_text[0] - '0') * 10 + (type_text[1] - '0');
  if (!is_known_record_type(type)) {
    return record_error(error_code::unknown_record_type, no, type_text, layout::record_type.name,
                        std::string(type_text) + " is not a record type of an OCR giro file");
  }
  if (Status s = check_service_code(line, no, type); !s) return s.error();
  const std::string_view code = line.substr(layout::type_code.offset(), 2);
  TransactionType tx = TransactionType::giro_debited_account;
  if (type == 30 || type == 31 || type == 32) {
    const std::optional<TransactionType> known =
        all_digits(code) ? transaction_type_from_code((code[0] - '0') * 10 + (code[1] - '0'))
                         : std::nullopt;
    if (!known) {
      return record_error(error_code::invalid_field, no, type_text, "transaction_type",
                          "is not an OCR giro transaction type (positions 5-6)");
    }
    tx = *known;
  } else if (code != layout::assignment_type_transactions) {
    return record_error(error_code::invalid_field, no, type_text, layout::type_code.name,
                        "must be 00 (positions 5-6)");
  }
  return RecordView(line, no, type, tx);
}

Error RecordView::error(std::string_view code, std::string_view field,
                        std::string_view reason) const {
  return record_error(code, record_no_, type_label(line_), field, reason);
}

Result<std::int64_t> RecordView::number(const layout::Field& f) const {
  const std::string_view s = at(f);
  if (!all_digits(s))
    return error(error_code::not_numeric, f, "must be digits (positions " + positions(f) + ")");
  std::int64_t value = 0;
  for (char c : s) value = value * 10 + (c - '0');  // at most 17 digits: fits
  return value;
}

Result<std::string> RecordView::digits(const layout::Field& f) const {
  const std::string_view s = at(f);
  if (!all_digits(s))
    return error(error_code::not_numeric, f, "must be digits (positions " + positions(f) + ")");
  return std::string(s);
}

Result<std::optional<common::Date>> RecordView::optional_date(const layout::Field& f) const {
  Result<std::int64_t> n = number(f);
  if (!n) return n.error();
  const std::string_view s = at(f);
  if (s == "000000") return std::optional<common::Date>{};
  const int day = (s[0] - '0') * 10 + (s[1] - '0');
  const unsigned month = static_cast<unsigned>((s[2] - '0') * 10 + (s[3] - '0'));
  const int yy = (s[4] - '0') * 10 + (s[5] - '0');
  // The manual writes two-digit years (DDMMYY, research §4.1) and names no century. OCR giro
  // dates from 1980 (the Nets sample is from 1992): 80–99 are 19xx, 00–79 are 20xx.
  const int year = yy >= 80 ? 1900 + yy : 2000 + yy;
  if (month < 1 || month > 12 || day < 1 || day > common::Date::days_in_month(year, month)) {
    return error(
        error_code::invalid_field, f,
        std::string(s) + " is not a calendar date (DDMMYY, positions " + positions(f) + ")");
  }
  return std::optional<common::Date>(common::Date::ymd(year, month, static_cast<unsigned>(day)));
}

Result<common::Date> RecordView::date(const layout::Field& f) const {
  Result<std::optional<common::Date>> d = optional_date(f);
  if (!d) return d.error();
  if (!d.value()) {
    return error(error_code::invalid_field, f,
                 "000000 is not a calendar date (DDMMYY, positions " + positions(f) + ")");
  }
  return *d.value();
}

Status RecordView::zeros(const layout::Field& f) const {
  for (char c : at(f)) {
    if (c != '0')
      return error(error_code::invalid_field, f, "must be zeros (positions " + positions(f) + ")");
  }
  return ok_status();
}

Result<std::string> RecordView::text(const layout::Field& f, bool trim_trailing_blanks) const {
  std::string_view s = at(f);
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return error(error_code::invalid_field, f,
                   "holds a control character (positions " + positions(f) + ")");
    }
  }
  if (trim_trailing_blanks) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace oppgjor::formats::ocr::detail
