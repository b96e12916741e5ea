// Nets / Mastercard Payment Services OCR giro files ("konteringsdata", the payments file MPS
// sends the payee): the data model and a strict parser.
//
// Layout: ocr_layout.h and README.md (research notes billing-and-collection-research.md §4).
// A file is 10 → (20 → (30 31 [32])* → 88)* → 89, every record exactly 80 characters.
//
// Parsing is all or nothing: parse_ocr_file returns either a File whose every count and sum has
// been checked against records 88 and 89, or one Error for the first problem found. A file that
// does not add up is rejected whole (billing-and-collection.md, "Payments"); nothing partial is
// ever returned. The Error names the 1-based record (line) number, the record type and the
// field; it never carries a whole record, a KID or an account number.
//
// Pure: no I/O, no clock; allocates only the result. Thread-safe (values only). AvtaleGiro
// (service code 21) is recognised and refused: this reader is for OCR giro only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/result.h"

namespace oppgjor::formats::ocr {

// Transaksjonstype, positions 5–6 of records 30/31/32 (research §4.1, OCR manual §2.4).
enum class TransactionType : std::uint8_t {
  giro_debited_account = 10,    // giro belastet konto
  standing_order = 11,          // faste oppdrag
  direct_remittance = 12,       // direkte remittering
  business_terminal_giro = 13,  // BTG
  counter_giro = 14,            // skrankegiro
  avtalegiro = 15,              // settled AvtaleGiro payment
  telegiro = 16,
  cash_giro = 17,           // giro betalt kontant
  reversal_with_kid = 18,   // tilbakeføring med KID (terminal/internet)
  purchase_with_kid = 19,   // kjøp med KID
  reversal_with_text = 20,  // tilbakeføring med fritekst; has a record 32
  purchase_with_text = 21,  // kjøp med fritekst; has a record 32
};

// The type for a two-digit code, nullopt for codes the OCR manual does not list.
std::optional<TransactionType> transaction_type_from_code(int code);
int transaction_type_code(TransactionType type);
// Stable snake_case name, e.g. "reversal_with_kid".
std::string_view transaction_type_name(TransactionType type);
// Types 18 and 20: the payment is taken back (tilbakeføring).
bool is_reversal(TransactionType type);
// Types 20 and 21 carry a third record (32, free text) (research §4.1).
bool has_free_text_record(TransactionType type);

// One payment: records 30, 31 and, for types 20/21, 32. Identifier-like fields are strings of
// digits of exactly the field width (leading zeros matter); the comment gives the positions.
struct Transaction {
  TransactionType type = TransactionType::giro_debited_account;  // 30/31/32: 5–6
  std::uint32_t number = 1;                                      // 30/31/32: 9–15, 0..9'999'999
  common::Date nets_date;                  // 30: 16–21, settlement (processing) date
  std::string centre_id = "00";            // 30: 22–23, 2 digits
  std::uint8_t day_code = 0;               // 30: 24–25, 0..99
  std::uint8_t partial_settlement_no = 0;  // 30: 26, 0..9
  std::string serial_no = "00000";         // 30: 27–31, 5 digits
  bool sign_negative = false;              // 30: 32, '-' when set, '0' otherwise
  std::int64_t amount_ore = 0;             // 30: 33–49, as written: 0..layout::amount_ore_max
  std::string kid;                         // 30: 50–74, leading blanks removed; digits and an
                                           //     optional trailing '-' (MOD11); may be empty
  std::string form_number = "0000000000";  // 31: 16–25, 10 digits
  std::string archive_reference = "000000000";  // 31: 26–34, 9 digits
  std::string reserved_35_41 = "0000000";       // 31: 35–41, 7 characters, verbatim
  std::optional<common::Date> bank_date;        // 31: 42–47, "000000" reads as nullopt
  std::string debit_account = "00000000000";    // 31: 48–58, 11 digits, zeros if unknown
  std::string free_text;  // 32: 16–55, trailing blanks removed; empty unless type 20/21

  bool is_reversal() const { return ocr::is_reversal(type); }
  bool operator==(const Transaction&) const = default;
};

// One assignment (oppdrag): records 20 … 88, one agreement and one payee account.
struct Assignment {
  std::string agreement_id = "000000000";          // 20: 9–17, 9 digits
  std::string assignment_number = "0000000";       // 20: 18–24, 7 digits
  std::string assignment_account = "00000000000";  // 20: 25–35, 11 digits
  common::Date nets_date;                          // 88: 42–47
  std::vector<Transaction> transactions;

  bool operator==(const Assignment&) const = default;
};

// One transmission (forsendelse): records 10 … 89.
struct File {
  std::string data_transmitter = "00008080";    // 10: 9–16, 8 digits (Nets is 00008080)
  std::string transmission_number = "0000000";  // 10: 17–23, 7 digits
  std::string data_recipient = "00000000";      // 10: 24–31, 8 digits (payee's customer unit)
  common::Date nets_date;                       // 89: 42–47
  std::vector<Assignment> assignments;

  bool operator==(const File&) const = default;
};

// What records 88 and 89 must say about their content. Computed from the model; the parser
// compares them with the file and the writer writes them.
struct Totals {
  std::int64_t transactions = 0;
  // 88: the 20 and 88 records and every transaction record (30, 31, 32).
  // 89: every record of the file, 10 and 89 included.  (Research §4.2; the netsgiro fixture's
  // 88 says 43 for 20 transactions with one record 32: 1 + 40 + 1 + 1, so both ends count.)
  std::int64_t records = 0;
  // Sum of positions 33–49 as written: reversals (18/20) are added, not subtracted (§4.2).
  // The notes do not say how a '-' sign enters the total; we add the amount as written too,
  // like the reversals, since the field is unsigned.
  std::int64_t amount_ore = 0;
  std::optional<common::Date> first_nets_date;  // 88 only; nullopt without transactions
  std::optional<common::Date> last_nets_date;
};

// Records a transaction takes: 2, or 3 for types 20/21.
int records_per_transaction(TransactionType type);
// REQUIRES: the sums fit their fields (the writer asserts it; a parsed File always does).
Totals assignment_totals(const Assignment& assignment);
Totals transmission_totals(const File& file);

// Stable error codes of parse_ocr_file (Error::code). Never reworded once published.
namespace error_code {
inline constexpr std::string_view empty_file = "ocr_empty_file";
inline constexpr std::string_view record_length = "ocr_record_length";
inline constexpr std::string_view format_code = "ocr_format_code";
inline constexpr std::string_view unknown_record_type = "ocr_unknown_record_type";
inline constexpr std::string_view not_numeric = "ocr_not_numeric";
inline constexpr std::string_view invalid_field = "ocr_invalid_field";
inline constexpr std::string_view record_order = "ocr_record_order";
inline constexpr std::string_view outside_assignment = "ocr_transaction_outside_assignment";
inline constexpr std::string_view assignment_totals = "ocr_assignment_totals";
inline constexpr std::string_view transmission_totals = "ocr_transmission_totals";
inline constexpr std::string_view missing_end = "ocr_missing_end";
inline constexpr std::string_view content_after_end = "ocr_content_after_end";
}  // namespace error_code

// Parses and validates a whole OCR giro file. Records are separated by LF or CRLF (mixed is
// accepted); the last record may or may not end with a newline; nothing may follow record 89,
// not even an empty line. Two-digit years: 80–99 are 19xx, 00–79 are 20xx.
//
// On error: Error{code (error_code above), field "record_<n>.<field name>", message
// "record <n> (type <tt>): <field>: <reason>"}, n the 1-based record (line) number.
Result<File> parse_ocr_file(std::string_view bytes);

}  // namespace oppgjor::formats::ocr
