// The error codes formats/saft returns (Error::code), in one place. Stable: never reworded once
// published. Error::field names the element as a path ("accounts[1500].grouping_code",
// "transactions[invoice/1000001].lines[2].account_id").
#pragma once

namespace oppgjor::formats::saft::error_code {

inline constexpr const char* text_missing = "saft_text_missing";    // required text blank
inline constexpr const char* text_invalid = "saft_text_invalid";    // bad UTF-8 or control char
inline constexpr const char* text_too_long = "saft_text_too_long";  // beyond the XSD's maxLength
inline constexpr const char* amount_out_of_range = "saft_amount_out_of_range";  // 18 digits
inline constexpr const char* selection_invalid = "saft_selection_invalid";      // start > end
inline constexpr const char* period_invalid = "saft_period_invalid";            // month or year
inline constexpr const char* duplicate_id = "saft_duplicate_id";          // account, customer, …
inline constexpr const char* account_unknown = "saft_account_unknown";    // not in MasterFiles
inline constexpr const char* customer_unknown = "saft_customer_unknown";  // not in MasterFiles
inline constexpr const char* tax_code_invalid = "saft_tax_code_invalid";  // standard code, rate
inline constexpr const char* no_lines = "saft_no_lines";

}  // namespace oppgjor::formats::saft::error_code
