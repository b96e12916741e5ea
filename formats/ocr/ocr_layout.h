// The OCR giro record layout: where every field sits in an 80-character record.
//
// One table shared by the reader (ocr_giro.cc) and the writer (ocr_writer.cc), so the two
// cannot disagree. Positions are 1-based and inclusive, exactly as the Nets "System
// specification OCR giro" prints them (research notes, billing-and-collection-research.md
// §4.1 and §4.2). The static_asserts at the bottom prove that the fields of each record type
// tile positions 1–80 with no gap and no overlap.
//
// Numeric fields are right-aligned and zero-padded; alphanumeric fields are left-aligned and
// blank-padded; the KID is right-aligned and blank-padded (§3.1, §4.1). Fillers are zeros.
#pragma once

#include <cstddef>
#include <string_view>

namespace oppgjor::formats::ocr::layout {

inline constexpr std::size_t record_length = 80;

struct Field {
  std::size_t first;  // 1-based, inclusive
  std::size_t last;   // 1-based, inclusive
  std::string_view name;

  constexpr std::size_t offset() const { return first - 1; }
  constexpr std::size_t size() const { return last - first + 1; }
};

// Positions 1–8 of every record (§4.1).
inline constexpr Field format_code{1, 2, "format_code"};    // always "NY"
inline constexpr Field service_code{3, 4, "service_code"};  // 00 transmission, 09 OCR giro
inline constexpr Field type_code{5, 6, "type_code"};        // transaction type (30–32), else 00
inline constexpr Field record_type{7, 8, "record_type"};

inline constexpr std::string_view format_code_ny = "NY";
inline constexpr std::string_view service_transmission = "00";
inline constexpr std::string_view service_ocr_giro = "09";
inline constexpr std::string_view service_avtalegiro = "21";  // recognised, refused
inline constexpr std::string_view assignment_type_transactions = "00";

// Record 10, start of transmission (§4.2).
namespace r10 {
inline constexpr Field data_transmitter{9, 16, "data_transmitter"};
inline constexpr Field transmission_number{17, 23, "transmission_number"};
inline constexpr Field data_recipient{24, 31, "data_recipient"};
inline constexpr Field filler{32, 80, "filler"};
}  // namespace r10

// Record 20, start of assignment (§4.2).
namespace r20 {
inline constexpr Field agreement_id{9, 17, "agreement_id"};
inline constexpr Field assignment_number{18, 24, "assignment_number"};
inline constexpr Field assignment_account{25, 35, "assignment_account"};
inline constexpr Field filler{36, 80, "filler"};
}  // namespace r20

// Record 30, amount item 1 (§4.2).
namespace r30 {
inline constexpr Field transaction_number{9, 15, "transaction_number"};
inline constexpr Field nets_date{16, 21, "nets_date"};
inline constexpr Field centre_id{22, 23, "centre_id"};
inline constexpr Field day_code{24, 25, "day_code"};
inline constexpr Field partial_settlement_no{26, 26, "partial_settlement_no"};
inline constexpr Field serial_no{27, 31, "serial_no"};
inline constexpr Field sign{32, 32, "sign"};
inline constexpr Field amount{33, 49, "amount"};
inline constexpr Field kid{50, 74, "kid"};
inline constexpr Field filler{75, 80, "filler"};
}  // namespace r30

// Record 31, amount item 2 (§4.2).
namespace r31 {
inline constexpr Field transaction_number{9, 15, "transaction_number"};
inline constexpr Field form_number{16, 25, "form_number"};
inline constexpr Field archive_reference{26, 34, "archive_reference"};
// Documented as filler, but carries data in the Nets sample file (§4.2): kept verbatim.
inline constexpr Field reserved{35, 41, "reserved_35_41"};
inline constexpr Field bank_date{42, 47, "bank_date"};
inline constexpr Field debit_account{48, 58, "debit_account"};
inline constexpr Field filler{59, 80, "filler"};
}  // namespace r31

// Record 32, amount item 3, only after transaction types 20 and 21 (§4.1, §4.2).
namespace r32 {
inline constexpr Field transaction_number{9, 15, "transaction_number"};
inline constexpr Field free_text{16, 55, "free_text"};
inline constexpr Field filler{56, 80, "filler"};
}  // namespace r32

// Record 88, end of assignment (§4.2).
namespace r88 {
inline constexpr Field transactions{9, 16, "number_of_transactions"};
inline constexpr Field records{17, 24, "number_of_records"};
inline constexpr Field total_amount{25, 41, "sum_of_amounts"};
inline constexpr Field nets_date{42, 47, "nets_date"};
inline constexpr Field first_date{48, 53, "first_nets_date"};
inline constexpr Field last_date{54, 59, "last_nets_date"};
inline constexpr Field filler{60, 80, "filler"};
}  // namespace r88

// Record 89, end of transmission (§4.2).
namespace r89 {
inline constexpr Field transactions{9, 16, "number_of_transactions"};
inline constexpr Field records{17, 24, "number_of_records"};
inline constexpr Field total_amount{25, 41, "sum_of_amounts"};
inline constexpr Field nets_date{42, 47, "nets_date"};
inline constexpr Field filler{48, 80, "filler"};
}  // namespace r89

// Largest values the fixed-width fields can hold.
inline constexpr long long amount_ore_max = 99'999'999'999'999'999LL;  // 17 digits
inline constexpr long long count_max = 99'999'999LL;                   // 8 digits
inline constexpr long long transaction_number_max = 9'999'999LL;       // 7 digits

namespace detail {
template <std::size_t N>
constexpr bool tiles_9_to_80(const Field (&fields)[N]) {
  std::size_t next = 9;
  for (const Field& f : fields) {
    if (f.first != next || f.last < f.first) return false;
    next = f.last + 1;
  }
  return next == record_length + 1;
}
constexpr Field r10_fields[] = {r10::data_transmitter, r10::transmission_number,
                                r10::data_recipient, r10::filler};
constexpr Field r20_fields[] = {r20::agreement_id, r20::assignment_number, r20::assignment_account,
                                r20::filler};
constexpr Field r30_fields[] = {r30::transaction_number,
                                r30::nets_date,
                                r30::centre_id,
                                r30::day_code,
                                r30::partial_settlement_no,
                                r30::serial_no,
                                r30::sign,
                                r30::amount,
                                r30::kid,
                                r30::filler};
constexpr Field r31_fields[] = {r31::transaction_number,
                                r31::form_number,
                                r31::archive_reference,
                                r31::reserved,
                                r31::bank_date,
                                r31::debit_account,
                                r31::filler};
constexpr Field r32_fields[] = {r32::transaction_number, r32::free_text, r32::filler};
constexpr Field r88_fields[] = {r88::transactions, r88::records,    r88::total_amount,
                                r88::nets_date,    r88::first_date, r88::last_date,
                                r88::filler};
constexpr Field r89_fields[] = {r89::transactions, r89::records, r89::total_amount, r89::nets_date,
                                r89::filler};
static_assert(tiles_9_to_80(r10_fields));
static_assert(tiles_9_to_80(r20_fields));
static_assert(tiles_9_to_80(r30_fields));
static_assert(tiles_9_to_80(r31_fields));
static_assert(tiles_9_to_80(r32_fields));
static_assert(tiles_9_to_80(r88_fields));
static_assert(tiles_9_to_80(r89_fields));
static_assert(format_code.last + 1 == service_code.first && type_code.last + 1 == 7 &&
              record_type.last == 8);
}  // namespace detail

}  // namespace oppgjor::formats::ocr::layout
