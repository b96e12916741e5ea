// The error codes formats/gl07 returns (Error::code), in one place. Stable: never reworded.
#pragma once

namespace oppgjor::formats::gl07::error_code {

// Layout (parse_layout): Error::field is "line N".
inline constexpr const char* layout_syntax = "gl07_layout_syntax";
inline constexpr const char* layout_field_outside_record = "gl07_layout_field_outside_record";
inline constexpr const char* layout_fields_overlap = "gl07_layout_fields_overlap";
inline constexpr const char* layout_field_duplicate = "gl07_layout_field_duplicate";
inline constexpr const char* layout_field_wrong_type = "gl07_layout_field_wrong_type";
inline constexpr const char* layout_field_missing = "gl07_layout_field_missing";

// Batch (write_batch): Error::field is "voucher N" or "voucher N: FIELD".
inline constexpr const char* no_transactions = "gl07_no_transactions";
inline constexpr const char* too_many_transactions = "gl07_too_many_transactions";
inline constexpr const char* amount_out_of_range = "gl07_amount_out_of_range";
inline constexpr const char* voucher_unbalanced = "gl07_voucher_unbalanced";
inline constexpr const char* voucher_inconsistent = "gl07_voucher_inconsistent";  // date/period
inline constexpr const char* voucher_no_invalid = "gl07_voucher_no_invalid";
inline constexpr const char* period_invalid = "gl07_period_invalid";
inline constexpr const char* value_too_wide = "gl07_value_too_wide";
inline constexpr const char* text_not_encodable =
    "gl07_text_not_encodable";                                    // bad UTF-8, not Latin-1
inline constexpr const char* text_invalid = "gl07_text_invalid";  // control character

}  // namespace oppgjor::formats::gl07::error_code
