// The error codes formats/ehf returns (Error::code), in one place. Stable: never reworded once
// published; callers count and report them. Error::field names the document field as a path
// ("buyer.organisation_number", "lines[2].line_amount_ore").
#pragma once

namespace oppgjor::formats::ehf::error_code {

inline constexpr const char* text_missing = "ehf_text_missing";  // required text blank
inline constexpr const char* text_invalid = "ehf_text_invalid";  // control character
inline constexpr const char* organisation_number_invalid = "ehf_organisation_number_invalid";
inline constexpr const char* account_number_invalid = "ehf_account_number_invalid";
inline constexpr const char* kid_invalid = "ehf_kid_invalid";
inline constexpr const char* country_code_invalid = "ehf_country_code_invalid";
inline constexpr const char* currency_not_nok = "ehf_currency_not_nok";
inline constexpr const char* due_date_missing = "ehf_due_date_missing";  // invoice
inline constexpr const char* payment_missing = "ehf_payment_missing";    // invoice
inline constexpr const char* buyer_reference_missing = "ehf_buyer_reference_missing";
inline constexpr const char* billing_reference_missing = "ehf_billing_reference_missing";
inline constexpr const char* no_lines = "ehf_no_lines";
inline constexpr const char* too_many_lines = "ehf_too_many_lines";
inline constexpr const char* line_id_duplicate = "ehf_line_id_duplicate";
inline constexpr const char* unit_code_invalid = "ehf_unit_code_invalid";
inline constexpr const char* quantity_out_of_range = "ehf_quantity_out_of_range";
inline constexpr const char* price_out_of_range = "ehf_price_out_of_range";  // < 0 (BR-27) or huge
inline constexpr const char* line_amount_mismatch = "ehf_line_amount_mismatch";
inline constexpr const char* vat_rate_invalid = "ehf_vat_rate_invalid";
inline constexpr const char* vat_exemption_reason_missing = "ehf_vat_exemption_reason_missing";
inline constexpr const char* vat_exemption_reason_differs = "ehf_vat_exemption_reason_differs";
inline constexpr const char* vat_outside_scope_mixed = "ehf_vat_outside_scope_mixed";  // BR-O-11/12
inline constexpr const char* seller_not_vat_registered = "ehf_seller_not_vat_registered";

}  // namespace oppgjor::formats::ehf::error_code
