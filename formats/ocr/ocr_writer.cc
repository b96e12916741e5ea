// The OCR giro writer (see ocr_writer.h).
#include "formats/ocr/ocr_writer.h"

#include <cstring>
#include <optional>
#include <string_view>

#include "common/ascii.h"
#include "common/assert.h"
#include "formats/ocr/ocr_layout.h"

namespace oppgjor::formats::ocr {
namespace {

using layout::Field;

// Fills one 80-character record in place. Every put_* REQUIRES its value to fit the field.
class RecordWriter {
 public:
  explicit RecordWriter(char* record) : r_(record) {}

  void head(std::string_view service, std::string_view type_code, std::string_view record_type) {
    std::memcpy(r_, layout::format_code_ny.data(), 2);
    std::memcpy(r_ + layout::service_code.offset(), service.data(), 2);
    std::memcpy(r_ + layout::type_code.offset(), type_code.data(), 2);
    std::memcpy(r_ + layout::record_type.offset(), record_type.data(), 2);
  }
  void head(std::string_view service, int type_code, std::string_view record_type) {
    const char code[2] = {static_cast<char>('0' + type_code / 10),
                          static_cast<char>('0' + type_code % 10)};
    head(service, std::string_view(code, 2), record_type);
  }
  // Right-aligned, zero-padded.
  void number(const Field& f, std::int64_t value) {
    OPPGJOR_ASSERT(value >= 0, "OCR writer: negative number");
    char* p = r_ + f.offset() + f.size();
    for (std::size_t i = 0; i < f.size(); ++i) {
      *--p = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    OPPGJOR_ASSERT(value == 0, "OCR writer: number wider than its field");
  }
  // Exactly the field's width, digits only.
  void digits(const Field& f, std::string_view s) {
    OPPGJOR_ASSERT(s.size() == f.size(), "OCR writer: digit field of the wrong width");
    for (char c : s)
      OPPGJOR_ASSERT(common::is_ascii_digit(c), "OCR writer: digit field holds a non-digit");
    std::memcpy(r_ + f.offset(), s.data(), s.size());
  }
  // Left-aligned, blank-padded. REQUIRES: no control characters.
  void text(const Field& f, std::string_view s) {
    OPPGJOR_ASSERT(s.size() <= f.size(), "OCR writer: text wider than its field");
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      OPPGJOR_ASSERT(u >= 0x20 && u != 0x7F, "OCR writer: control character in text");
    }
    std::memcpy(r_ + f.offset(), s.data(), s.size());
    std::memset(r_ + f.offset() + s.size(), ' ', f.size() - s.size());
  }
  // Right-aligned, blank-padded (the KID, research §3.1).
  void right(const Field& f, std::string_view s) {
    OPPGJOR_ASSERT(s.size() <= f.size(), "OCR writer: KID wider than its field");
    const std::size_t pad = f.size() - s.size();
    std::memset(r_ + f.offset(), ' ', pad);
    std::memcpy(r_ + f.offset() + pad, s.data(), s.size());
  }
  void zeros(const Field& f) { std::memset(r_ + f.offset(), '0', f.size()); }
  // DDMMYY; the year 1980..2079 (the parser's century rule).
  void date(const Field& f, const common::Date& d) {
    OPPGJOR_ASSERT(f.size() == 6, "OCR writer: date field not 6 wide");
    OPPGJOR_ASSERT(d.year() >= 1980 && d.year() <= 2079, "OCR writer: year outside 1980..2079");
    char* p = r_ + f.offset();
    put2(p, static_cast<int>(d.day()));
    put2(p + 2, static_cast<int>(d.month()));
    put2(p + 4, d.year() % 100);
  }
  void optional_date(const Field& f, const std::optional<common::Date>& d) {
    if (d) {
      date(f, *d);
    } else {
      zeros(f);
    }
  }

 private:
  static void put2(char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  }
  char* r_;
};

void check_kid(std::string_view kid) {
  for (std::size_t i = 0; i < kid.size(); ++i) {
    const bool ok =
        common::is_ascii_digit(kid[i]) || (kid[i] == '-' && i > 0 && i + 1 == kid.size());
    OPPGJOR_ASSERT(ok, "OCR writer: KID must be digits with an optional '-' last");
  }
}

// Appends records to a preallocated buffer.
class FileWriter {
 public:
  FileWriter(char* out, LineEnding eol) : p_(out), crlf_(eol == LineEnding::crlf) {}

  RecordWriter begin() {
    RecordWriter w(p_);
    return w;
  }
  void end() {
    p_ += layout::record_length;
    if (crlf_) *p_++ = '\r';
    *p_++ = '\n';
  }
  const char* cursor() const { return p_; }

 private:
  char* p_;
  bool crlf_;
};

void write_transaction(FileWriter& out, const Transaction& tx) {
  namespace r30 = layout::r30;
  namespace r31 = layout::r31;
  namespace r32 = layout::r32;
  const int code = transaction_type_code(tx.type);
  OPPGJOR_ASSERT(tx.number <= layout::transaction_number_max, "OCR writer: transaction number");
  OPPGJOR_ASSERT(tx.day_code <= 99 && tx.partial_settlement_no <= 9, "OCR writer: day code");
  OPPGJOR_ASSERT(tx.amount_ore >= 0 && tx.amount_ore <= layout::amount_ore_max,
                 "OCR writer: amount outside its 17 digits");
  check_kid(tx.kid);

  RecordWriter w = out.begin();
  w.head(layout::service_ocr_giro, code, "30");
  w.number(r30::transaction_number, tx.number);
  w.date(r30::nets_date, tx.nets_date);
  w.digits(r30::centre_id, tx.centre_id);
  w.number(r30::day_code, tx.day_code);
  w.number(r30::partial_settlement_no, tx.partial_settlement_no);
  w.digits(r30::serial_no, tx.serial_no);
  w.text(r30::sign, tx.sign_negative ? "-" : "0");
  w.number(r30::amount, tx.amount_ore);
  w.right(r30::kid, tx.kid);
  w.zeros(r30::filler);
  out.end();

  w = out.begin();
  w.head(layout::service_ocr_giro, code, "31");
  w.number(r31::transaction_number, tx.number);
  w.digits(r31::form_number, tx.form_number);
  w.digits(r31::archive_reference, tx.archive_reference);
  OPPGJOR_ASSERT(tx.reserved_35_41.size() == r31::reserved.size(), "OCR writer: 35-41 width");
  w.text(r31::reserved, tx.reserved_35_41);
  w.optional_date(r31::bank_date, tx.bank_date);
  w.digits(r31::debit_account, tx.debit_account);
  w.zeros(r31::filler);
  out.end();

  if (!has_free_text_record(tx.type)) {
    OPPGJOR_ASSERT(tx.free_text.empty(), "OCR writer: free text on a type without record 32");
    return;
  }
  OPPGJOR_ASSERT(tx.free_text.empty() || tx.free_text.back() != ' ',
                 "OCR writer: free text with a trailing blank would not round-trip");
  w = out.begin();
  w.head(layout::service_ocr_giro, code, "32");
  w.number(r32::transaction_number, tx.number);
  w.text(r32::free_text, tx.free_text);
  w.zeros(r32::filler);
  out.end();
}

void write_assignment(FileWriter& out, const Assignment& a) {
  namespace r20 = layout::r20;
  namespace r88 = layout::r88;
  RecordWriter w = out.begin();
  w.head(layout::service_ocr_giro, layout::assignment_type_transactions, "20");
  w.digits(r20::agreement_id, a.agreement_id);
  w.digits(r20::assignment_number, a.assignment_number);
  w.digits(r20::assignment_account, a.assignment_account);
  w.zeros(r20::filler);
  out.end();

  for (const Transaction& tx : a.transactions) write_transaction(out, tx);

  const Totals t = assignment_totals(a);
  w = out.begin();
  w.head(layout::service_ocr_giro, layout::assignment_type_transactions, "88");
  w.number(r88::transactions, t.transactions);
  w.number(r88::records, t.records);
  w.number(r88::total_amount, t.amount_ore);
  w.date(r88::nets_date, a.nets_date);
  w.optional_date(r88::first_date, t.first_nets_date);
  w.optional_date(r88::last_date, t.last_nets_date);
  w.zeros(r88::filler);
  out.end();
}

}  // namespace

std::string write_ocr_file(const File& file, LineEnding line_ending) {
  namespace r10 = layout::r10;
  namespace r89 = layout::r89;
  const Totals t = transmission_totals(file);
  OPPGJOR_ASSERT(t.records <= layout::count_max, "OCR writer: more records than 8 digits hold");
  const std::size_t line_size = layout::record_length + (line_ending == LineEnding::crlf ? 2 : 1);
  std::string bytes(static_cast<std::size_t>(t.records) * line_size, '\0');
  FileWriter out(bytes.data(), line_ending);

  RecordWriter w = out.begin();
  w.head(layout::service_transmission, layout::assignment_type_transactions, "10");
  w.digits(r10::data_transmitter, file.data_transmitter);
  w.digits(r10::transmission_number, file.transmission_number);
  w.digits(r10::data_recipient, file.data_recipient);
  w.zeros(r10::filler);
  out.end();

  for (const Assignment& a : file.assignments) write_assignment(out, a);

  w = out.begin();
  w.head(layout::service_transmission, layout::assignment_type_transactions, "89");
  w.number(r89::transactions, t.transactions);
  w.number(r89::records, t.records);
  w.number(r89::total_amount, t.amount_ore);
  w.date(r89::nets_date, file.nets_date);
  w.zeros(r89::filler);
  out.end();

  OPPGJOR_ASSERT(out.cursor() == bytes.data() + bytes.size(), "OCR writer: record count drifted");
  return bytes;
}

File make_ocr_file(const FileParams& params, std::span<const Payment> payments) {
  OPPGJOR_ASSERT(payments.size() <= static_cast<std::size_t>(layout::transaction_number_max),
                 "OCR writer: more payments than 7-digit transaction numbers");
  File file;
  file.transmission_number = params.transmission_number;
  file.data_recipient = params.data_recipient;
  file.nets_date = params.nets_date;
  Assignment& a = file.assignments.emplace_back();
  a.agreement_id = params.agreement_id;
  a.assignment_number = params.assignment_number;
  a.assignment_account = params.assignment_account;
  a.nets_date = params.nets_date;
  a.transactions.reserve(payments.size());
  std::uint32_t number = 0;
  for (const Payment& p : payments) {
    Transaction& tx = a.transactions.emplace_back();
    tx.type = params.type;
    tx.number = ++number;
    tx.nets_date = p.date;
    tx.amount_ore = p.amount_ore;
    tx.kid = p.kid;
    tx.bank_date = p.date;
    if (has_free_text_record(params.type)) tx.free_text = "payment " + std::to_string(number);
  }
  return file;
}

}  // namespace oppgjor::formats::ocr
