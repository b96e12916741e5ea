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
// More than one spouse or cohabitant among the dependants.
inline constexpr std::string_view dependant_invalid = "dependant_invalid";
inline constexpr std::string_view unknown_relation = "unknown_relation";
// The period an income report covers lies (partly) outside its income year.
inline constexpr std::string_view period_outside_year = "period_outside_year";

// Stays.
inline constexpr std::string_view stay_dates_invalid = "stay_dates_invalid";
inline constexpr std::string_view period_invalid = "period_invalid";
inline constexpr std::string_view basis_year_mismatch = "basis_year_mismatch";

// Events folded from the log (phase 2): business rejections recorded by the care-fees
// projection and reported by `care-fees check`, `bill` and `recalc`. The field is the payload
// member ("payload.end_date").
inline constexpr std::string_view resident_unknown = "resident_unknown";
inline constexpr std::string_view stay_unknown = "stay_unknown";
inline constexpr std::string_view stay_already_started = "stay_already_started";
inline constexpr std::string_view stay_already_ended = "stay_already_ended";
inline constexpr std::string_view end_before_admission = "end_before_admission";
inline constexpr std::string_view transfer_before_admission = "transfer_before_admission";
inline constexpr std::string_view parameter_event_invalid = "parameter_event_invalid";
inline constexpr std::string_view payload_unreadable = "payload_unreadable";

// Billing and the control recalculation.
inline constexpr std::string_view customer_unregistered = "customer_unregistered";
inline constexpr std::string_view basis_missing = "basis_missing";
inline constexpr std::string_view final_basis_missing = "final_basis_missing";
inline constexpr std::string_view run_unknown = "run_unknown";
inline constexpr std::string_view run_closed = "run_closed";
inline constexpr std::string_view maker_is_checker = "maker_is_checker";
inline constexpr std::string_view report_changed = "report_changed";
// Approving a run in which no resident got a computed result (all failed or all wait for the
// final assessment, or none at all): there is nothing an approval could record.
inline constexpr std::string_view nothing_to_approve = "nothing_to_approve";
inline constexpr std::string_view actor_missing = "actor_missing";

// Rule parameters set by staff (`oppgjor rules set`, rules_admin.h).
inline constexpr std::string_view parameter_unknown = "parameter_unknown";
inline constexpr std::string_view value_out_of_range = "value_out_of_range";
inline constexpr std::string_view parameter_overlap = "parameter_overlap";
inline constexpr std::string_view source_missing = "source_missing";

// Decisions and appeals (decisions.h).
inline constexpr std::string_view decision_unknown = "decision_unknown";
inline constexpr std::string_view decision_final = "decision_final";
inline constexpr std::string_view already_delivered = "already_delivered";
inline constexpr std::string_view appeal_open = "appeal_open";
inline constexpr std::string_view appeal_unknown = "appeal_unknown";
inline constexpr std::string_view appeal_closed = "appeal_closed";
inline constexpr std::string_view outcome_invalid = "outcome_invalid";
inline constexpr std::string_view amount_missing = "amount_missing";
inline constexpr std::string_view amount_invalid = "amount_invalid";
inline constexpr std::string_view date_invalid = "date_invalid";

}  // namespace oppgjor::care_fees::errc
