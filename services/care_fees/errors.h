// The one place where care_fees error codes live. Codes are stable snake_case strings: callers
// count and report them, so a published code is never reworded (STYLE.md, Redpanda habit).
// Every Error also names the field it concerns ("income[2].kind") and carries a message.
#pragma once

#include <string_view>

namespace oppgjor::care_fees::errc {

// Rule parameters.
inline constexpr std::string_view parameter_missing = "parameter_missing";
inline constexpr std::string_view parameter_invalid = "parameter_invalid";
inline constexpr std::string_view rules_data_invalid = "rules_data_invalid";

// Fee input (the calculation basis).
inline constexpr std::string_view json_syntax = "json_syntax";
inline constexpr std::string_view field_missing = "field_missing";
inline constexpr std::string_view field_type = "field_type";
inline constexpr std::string_view unknown_field = "unknown_field";
inline constexpr std::string_view unknown_income_kind = "unknown_income_kind";
inline constexpr std::string_view unknown_deduction_kind = "unknown_deduction_kind";
inline constexpr std::string_view unknown_rule_option = "unknown_rule_option";
inline constexpr std::string_view amount_negative = "amount_negative";
inline constexpr std::string_view joint_not_allowed = "joint_not_allowed";
inline constexpr std::string_view reason_missing = "reason_missing";
inline constexpr std::string_view deductible_tax_negative = "deductible_tax_negative";
inline constexpr std::string_view year_out_of_range = "year_out_of_range";

// Stays.
inline constexpr std::string_view stay_dates_invalid = "stay_dates_invalid";
inline constexpr std::string_view period_invalid = "period_invalid";
inline constexpr std::string_view basis_year_mismatch = "basis_year_mismatch";

}  // namespace oppgjor::care_fees::errc
