// OCR giro: transaction types, totals and the file-level parser (see ocr_giro.h).
#include "formats/ocr/ocr_giro.h"

#include <algorithm>
#include <utility>

#include "common/assert.h"
#include "formats/ocr/ocr_layout.h"
#include "formats/ocr/ocr_record.h"

namespace oppgjor::formats::ocr {

std::optional<TransactionType> transaction_type_from_code(int code) {
  if (code < 10 || code > 21) return std::nullopt;
  return static_cast<TransactionType>(code);
}

int transaction_type_code(TransactionType type) {
  return static_cast<int>(type);
}

std::string_view transaction_type_name(TransactionType type) {
  switch (type) {
    case TransactionType::giro_debited_account:
      return "giro_debited_account";
    case TransactionType::standing_order:
      return "standing_order";
    case TransactionType::direct_remittance:
      return "direct_remittance";
    case TransactionType::business_terminal_giro:
      return "business_terminal_giro";
    case TransactionType::counter_giro:
      return "counter_giro";
    case TransactionType::avtalegiro:
      return "avtalegiro";
    case TransactionType::telegiro:
      return "telegiro";
    case TransactionType::cash_giro:
      return "cash_giro";
    case TransactionType::reversal_with_kid:
      return "reversal_with_kid";
    case TransactionType::purchase_with_kid:
      return "purchase_with_kid";
    case TransactionType::reversal_with_text:
      return "reversal_with_text";
    case TransactionType::purchase_with_text:
      return "purchase_with_text";
  }
  OPPGJOR_ASSERT(false, "transaction type outside the enum");
}

bool is_reversal(TransactionType type) {
  return type == TransactionType::reversal_with_kid || type == TransactionType::reversal_with_text;
}

bool has_free_text_record(TransactionType type) {
  return type == TransactionType::reversal_with_text || type == TransactionType::purchase_with_text;
}

int records_per_transaction(TransactionType type) {
  return has_free_text_record(type) ? 3 : 2;
}

Totals assignment_totals(const Assignment& assignment) {
  Totals t;
  t.records = 2;  // 20 and 88
  for (const Transaction& tx : assignment.transactions) {
    ++t.transactions;
    t.records += records_per_transaction(tx.type);
    OPPGJOR_ASSERT(tx.amount_ore >= 0 && tx.amount_ore <= layout::amount_ore_max,
                   "OCR amount outside its 17-digit field");
    t.amount_ore += tx.amount_ore;
    OPPGJOR_ASSERT(t.amount_ore <= layout::amount_ore_max, "OCR assignment sum beyond 17 digits");
    if (!t.first_nets_date || tx.nets_date < *t.first_nets_date) t.first_nets_date = tx.nets_date;
    if (!t.last_nets_date || *t.last_nets_date < tx.nets_date) t.last_nets_date = tx.nets_date;
  }
  return t;
}

Totals transmission_totals(const File& file) {
  Totals t;
  t.records = 2;  // 10 and 89
  for (const Assignment& a : file.assignments) {
    const Totals at = assignment_totals(a);
    t.transactions += at.transactions;
    t.records += at.records;
    t.amount_ore += at.amount_ore;
    OPPGJOR_ASSERT(t.amount_ore <= layout::amount_ore_max, "OCR transmission sum beyond 17 digits");
  }
  return t;
}

namespace {

using detail::RecordView;
namespace r10 = layout::r10;
namespace r20 = layout::r20;
namespace r30 = layout::r30;
namespace r31 = layout::r31;
namespace r32 = layout::r32;
namespace r88 = layout::r88;
namespace r89 = layout::r89;

std::string type_text(int type) {
  return std::to_string(type);
}

// Reads records one at a time and owns the running totals of the transmission.
class Parser {
 public:
  explicit Parser(std::string_view bytes) : lines_(bytes) {}
  Result<File> run();

 private:
  // The next record, checked by RecordView::open; an ocr_missing_end Error at end of input,
  // saying what was `expected`.
  Result<RecordView> next(std::string_view expected);
  Status read_start(const RecordView& rec, File& file);
  Status read_assignment(const RecordView& start, Assignment& out);
  Status read_transaction(const RecordView& first, Transaction& out);
  Status read_item1(const RecordView& rec, Transaction& tx);
  Status read_item2(const RecordView& rec, Transaction& tx);
  Status read_item3(const RecordView& rec, Transaction& tx);
  Status check_assignment_end(const RecordView& rec, const RecordView& start, Assignment& a,
                              std::int64_t sum_ore);
  Status check_transmission_end(const RecordView& rec, File& file);
  Status follows(const RecordView& rec, int record_type, const Transaction& tx);

  detail::LineSplitter lines_;
  std::int64_t transmission_sum_ore_ = 0;
  std::int64_t transmission_transactions_ = 0;
};

Result<RecordView> Parser::next(std::string_view expected) {
  const std::optional<std::string_view> line = lines_.next();
  if (!line) {
    return detail::record_error(error_code::missing_end, lines_.lines_read() + 1, "-",
                                layout::record_type.name,
                                "missing: the file ends where " + std::string(expected) +
                                    " was expected, so record 89 is missing");
  }
  return RecordView::open(*line, lines_.lines_read());
}

Result<File> Parser::run() {
  File file;
  const std::optional<std::string_view> first = lines_.next();
  if (!first) {
    return detail::record_error(error_code::empty_file, 1, "-", layout::record_type.name,
                                "missing: the file is empty");
  }
  Result<RecordView> start = RecordView::open(*first, 1);
  if (!start) return start.error();
  if (Status s = read_start(*start, file); !s) return s.error();
  for (;;) {
    Result<RecordView> rec = next("record 20 or 89");
    if (!rec) return rec.error();
    switch (rec->type()) {
      case 20: {
        Assignment& a = file.assignments.emplace_back();
        if (Status s = read_assignment(*rec, a); !s) return s.error();
        break;
      }
      case 89: {
        if (Status s = check_transmission_end(*rec, file); !s) return s.error();
        if (lines_.next()) {
          return detail::record_error(error_code::content_after_end, lines_.lines_read(), "-", "",
                                      "follows record 89, which ends the transmission");
        }
        return file;
      }
      case 30:
      case 31:
      case 32:
        return rec->error(error_code::outside_assignment, layout::record_type,
                          "is a transaction record outside an assignment (no open record 20)");
      default:
        return rec->error(error_code::record_order, layout::record_type,
                          type_text(rec->type()) + " where record 20 or 89 was expected");
    }
  }
}

Status Parser::read_start(const RecordView& rec, File& file) {
  if (rec.type() != 10) {
    return rec.error(error_code::record_order, layout::record_type,
                     type_text(rec.type()) + " where the file must start with record 10");
  }
  Result<std::string> transmitter = rec.digits(r10::data_transmitter);
  if (!transmitter) return transmitter.error();
  Result<std::string> number = rec.digits(r10::transmission_number);
  if (!number) return number.error();
  Result<std::string> recipient = rec.digits(r10::data_recipient);
  if (!recipient) return recipient.error();
  if (Status s = rec.zeros(r10::filler); !s) return s;
  file.data_transmitter = std::move(*transmitter);
  file.transmission_number = std::move(*number);
  file.data_recipient = std::move(*recipient);
  return ok_status();
}

Status Parser::read_assignment(const RecordView& start, Assignment& a) {
  Result<std::string> agreement = start.digits(r20::agreement_id);
  if (!agreement) return agreement.error();
  Result<std::string> number = start.digits(r20::assignment_number);
  if (!number) return number.error();
  Result<std::string> account = start.digits(r20::assignment_account);
  if (!account) return account.error();
  if (Status s = start.zeros(r20::filler); !s) return s;
  a.agreement_id = std::move(*agreement);
  a.assignment_number = std::move(*number);
  a.assignment_account = std::move(*account);
  std::int64_t sum_ore = 0;
  for (;;) {
    Result<RecordView> rec = next("record 30 or 88");
    if (!rec) return rec.error();
    if (rec->type() == 88) return check_assignment_end(*rec, start, a, sum_ore);
    if (rec->type() != 30) {
      return rec->error(error_code::record_order, layout::record_type,
                        type_text(rec->type()) + " where record 30 or 88 was expected (" +
                            "assignment begun at record " + std::to_string(start.number()) + ")");
    }
    Transaction& tx = a.transactions.emplace_back();
    if (Status s = read_transaction(*rec, tx); !s) return s;
    // Each amount is at most 17 digits, so the sum cannot overflow before this check trips.
    sum_ore += tx.amount_ore;
    if (sum_ore > layout::amount_ore_max) {
      return rec->error(error_code::assignment_totals, r30::amount,
                        "brings the assignment's sum beyond the 17 digits record 88 can hold");
    }
  }
}

// `rec` must be a record `record_type` of the same transaction as `tx`.
Status Parser::follows(const RecordView& rec, int record_type, const Transaction& tx) {
  if (rec.type() != record_type) {
    return rec.error(error_code::record_order, layout::record_type,
                     type_text(rec.type()) + " where record " + type_text(record_type) +
                         " of transaction " + std::to_string(tx.number) + " was expected");
  }
  Result<std::int64_t> number = rec.number(r31::transaction_number);
  if (!number) return number.error();
  if (*number != tx.number) {
    return rec.error(error_code::record_order, r31::transaction_number,
                     std::to_string(*number) + " does not match the record 30 before it (" +
                         std::to_string(tx.number) + ")");
  }
  if (rec.transaction_type() != tx.type) {
    return rec.error(error_code::record_order, "transaction_type",
                     std::to_string(transaction_type_code(rec.transaction_type())) +
                         " does not match the record 30 before it (" +
                         std::to_string(transaction_type_code(tx.type)) + ")");
  }
  return ok_status();
}

Status Parser::read_transaction(const RecordView& first, Transaction& tx) {
  if (Status s = read_item1(first, tx); !s) return s;
  Result<RecordView> second = next("record 31");
  if (!second) return second.error();
  if (Status s = follows(*second, 31, tx); !s) return s;
  if (Status s = read_item2(*second, tx); !s) return s;
  // Record 32 follows exactly for types 20 and 21 (research §4.1, "Types 20 and 21 have a third
  // record (32)"). We read that as: required after 20/21, refused after any other type; a 32
  // after another type reaches read_assignment and is refused there as out of order.
  if (!has_free_text_record(tx.type)) return ok_status();
  Result<RecordView> third = next("record 32");
  if (!third) return third.error();
  if (Status s = follows(*third, 32, tx); !s) return s;
  return read_item3(*third, tx);
}

Status Parser::read_item1(const RecordView& rec, Transaction& tx) {
  tx.type = rec.transaction_type();
  Result<std::int64_t> number = rec.number(r30::transaction_number);
  if (!number) return number.error();
  Result<common::Date> date = rec.date(r30::nets_date);
  if (!date) return date.error();
  Result<std::string> centre = rec.digits(r30::centre_id);
  if (!centre) return centre.error();
  Result<std::int64_t> day_code = rec.number(r30::day_code);
  if (!day_code) return day_code.error();
  Result<std::int64_t> partial = rec.number(r30::partial_settlement_no);
  if (!partial) return partial.error();
  Result<std::string> serial = rec.digits(r30::serial_no);
  if (!serial) return serial.error();
  const std::string_view sign = rec.at(r30::sign);
  if (sign != "0" && sign != "-") {
    return rec.error(error_code::invalid_field, r30::sign, "must be '0' or '-' (position 32)");
  }
  Result<std::int64_t> amount = rec.number(r30::amount);
  if (!amount) return amount.error();
  // KID: right-aligned, blank-padded, digits with the check character last, which is '-' under
  // MOD11 remainder 1 (research §3.1). Which scheme applies is the agreement's business, not
  // the file's: the KID is not checked here. All blanks (no KID) is accepted as "".
  std::string_view kid = rec.at(r30::kid);
  while (!kid.empty() && kid.front() == ' ') kid.remove_prefix(1);
  for (std::size_t i = 0; i < kid.size(); ++i) {
    const bool digit = kid[i] >= '0' && kid[i] <= '9';
    const bool last_minus = kid[i] == '-' && i + 1 == kid.size() && i > 0;
    if (!digit && !last_minus) {
      return rec.error(error_code::invalid_field, r30::kid,
                       "must be digits right-aligned in positions 50-74 (blanks only on the left; "
                       "a '-' only as the check character)");
    }
  }
  if (Status s = rec.zeros(r30::filler); !s) return s;
  tx.number = static_cast<std::uint32_t>(*number);
  tx.nets_date = *date;
  tx.centre_id = std::move(*centre);
  tx.day_code = static_cast<std::uint8_t>(*day_code);
  tx.partial_settlement_no = static_cast<std::uint8_t>(*partial);
  tx.serial_no = std::move(*serial);
  tx.sign_negative = sign == "-";
  tx.amount_ore = *amount;
  tx.kid = std::string(kid);
  return ok_status();
}

Status Parser::read_item2(const RecordView& rec, Transaction& tx) {
  Result<std::string> form = rec.digits(r31::form_number);
  if (!form) return form.error();
  Result<std::string> reference = rec.digits(r31::archive_reference);
  if (!reference) return reference.error();
  Result<std::string> reserved = rec.text(r31::reserved, false);
  if (!reserved) return reserved.error();
  Result<std::optional<common::Date>> bank_date = rec.optional_date(r31::bank_date);
  if (!bank_date) return bank_date.error();
  Result<std::string> debit = rec.digits(r31::debit_account);
  if (!debit) return debit.error();
  if (Status s = rec.zeros(r31::filler); !s) return s;
  tx.form_number = std::move(*form);
  tx.archive_reference = std::move(*reference);
  tx.reserved_35_41 = std::move(*reserved);
  tx.bank_date = *bank_date;
  tx.debit_account = std::move(*debit);
  return ok_status();
}

Status Parser::read_item3(const RecordView& rec, Transaction& tx) {
  Result<std::string> text = rec.text(r32::free_text, true);
  if (!text) return text.error();
  if (Status s = rec.zeros(r32::filler); !s) return s;
  tx.free_text = std::move(*text);
  return ok_status();
}

Status compare(const RecordView& rec, std::string_view code, const layout::Field& f,
               std::int64_t declared, std::int64_t actual, std::string_view what) {
  if (declared == actual) return ok_status();
  return rec.error(code, f,
                   std::to_string(declared) + " does not match " + std::string(what) + " (" +
                       std::to_string(actual) + ")");
}

Status compare_date(const RecordView& rec, const layout::Field& f,
                    const std::optional<common::Date>& declared,
                    const std::optional<common::Date>& actual, std::string_view what) {
  if (declared == actual) return ok_status();
  const auto show = [](const std::optional<common::Date>& d) {
    return d ? d->to_iso() : std::string("none");
  };
  return rec.error(
      error_code::assignment_totals, f,
      show(declared) + " does not match " + std::string(what) + " (" + show(actual) + ")");
}

Status Parser::check_assignment_end(const RecordView& rec, const RecordView& start, Assignment& a,
                                    std::int64_t sum_ore) {
  Result<std::int64_t> transactions = rec.number(r88::transactions);
  if (!transactions) return transactions.error();
  Result<std::int64_t> records = rec.number(r88::records);
  if (!records) return records.error();
  Result<std::int64_t> total = rec.number(r88::total_amount);
  if (!total) return total.error();
  Result<common::Date> nets_date = rec.date(r88::nets_date);
  if (!nets_date) return nets_date.error();
  Result<std::optional<common::Date>> first = rec.optional_date(r88::first_date);
  if (!first) return first.error();
  Result<std::optional<common::Date>> last = rec.optional_date(r88::last_date);
  if (!last) return last.error();
  if (Status s = rec.zeros(r88::filler); !s) return s;

  // Both sides of the boundary: the records we counted by line number, and the model's rule.
  const Totals t = assignment_totals(a);
  const auto lines = static_cast<std::int64_t>(rec.number() - start.number() + 1);
  OPPGJOR_ASSERT(t.records == lines && t.amount_ore == sum_ore, "OCR assignment count drifted");
  const std::string_view code = error_code::assignment_totals;
  if (Status s = compare(rec, code, r88::transactions, *transactions, t.transactions,
                         "the assignment's transactions");
      !s)
    return s;
  if (Status s = compare(rec, code, r88::records, *records, t.records,
                         "the assignment's records, its 20 and 88 included");
      !s)
    return s;
  if (Status s = compare(rec, code, r88::total_amount, *total, t.amount_ore,
                         "the assignment's transactions");
      !s)
    return s;
  if (Status s = compare_date(rec, r88::first_date, *first, t.first_nets_date,
                              "the earliest nets_date of the assignment's transactions");
      !s)
    return s;
  if (Status s = compare_date(rec, r88::last_date, *last, t.last_nets_date,
                              "the latest nets_date of the assignment's transactions");
      !s)
    return s;
  a.nets_date = *nets_date;
  transmission_transactions_ += t.transactions;
  transmission_sum_ore_ += t.amount_ore;
  if (transmission_sum_ore_ > layout::amount_ore_max) {
    return rec.error(error_code::transmission_totals, r88::total_amount,
                     "brings the transmission's sum beyond the 17 digits record 89 can hold");
  }
  return ok_status();
}

Status Parser::check_transmission_end(const RecordView& rec, File& file) {
  Result<std::int64_t> transactions = rec.number(r89::transactions);
  if (!transactions) return transactions.error();
  Result<std::int64_t> records = rec.number(r89::records);
  if (!records) return records.error();
  Result<std::int64_t> total = rec.number(r89::total_amount);
  if (!total) return total.error();
  Result<common::Date> nets_date = rec.date(r89::nets_date);
  if (!nets_date) return nets_date.error();
  if (Status s = rec.zeros(r89::filler); !s) return s;

  const Totals t = transmission_totals(file);
  OPPGJOR_ASSERT(t.records == static_cast<std::int64_t>(rec.number()) &&
                     t.amount_ore == transmission_sum_ore_ &&
                     t.transactions == transmission_transactions_,
                 "OCR transmission count drifted");
  const std::string_view code = error_code::transmission_totals;
  if (Status s = compare(rec, code, r89::transactions, *transactions, t.transactions,
                         "the transmission's transactions");
      !s)
    return s;
  if (Status s = compare(rec, code, r89::records, *records, t.records,
                         "the transmission's records, its 10 and 89 included");
      !s)
    return s;
  if (Status s = compare(rec, code, r89::total_amount, *total, t.amount_ore,
                         "the transmission's transactions");
      !s)
    return s;
  file.nets_date = *nets_date;
  return ok_status();
}

}  // namespace

Result<File> parse_ocr_file(std::string_view bytes) {
  return Parser(bytes).run();
}

}  // namespace oppgjor::formats::ocr
