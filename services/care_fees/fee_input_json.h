// The one JSON decoder of the parts of a calculation basis (fee_input.h): income items,
// deductions, discretionary deductions and the spouse at home. Used by the `care-fees calc`
// document (calc_json.cc, list "income") and by the care_fees.income_reported payload
// (fold_income.cc, list "payload.items"), so both accept and refuse the same items.
//
// Strict, for both: an item is an object with only its known members (else unknown_field);
// "kind" is a required string naming a known kind (field_missing, field_type,
// unknown_income_kind / unknown_deduction_kind); "amount" a required decimal string (field_missing,
// field_type, the money parser's codes); "joint" true, false, null or absent (else field_type);
// "reason" a required string. Signs and the joint rule of deductions are checked afterwards by
// validate_fee_input(). The income_reported schema is stricter still where it can be ("joint" is
// required on income items), so every payload that passed intake decodes.
//
// Errors name the field under `path`: "income[2].kind", "payload.items[2].kind".
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "services/care_fees/fee_input.h"

namespace oppgjor::care_fees::json_in {

using simdjson::dom::element;

// "path.key", or "key" when `path` is empty.
std::string member_path(std::string_view path, std::string_view key);

// unknown_field (naming the member) unless every member of `obj` is in `allowed`; field_type
// when `obj` is not an object.
Status only_members(element obj, std::string_view path,
                    std::initializer_list<std::string_view> allowed);

// The decimal-string amount `key` of `obj` (required).
Result<Decimal> amount(element obj, std::string_view path, std::string_view key);
// The boolean `key` of `obj`; absent or null: false.
Result<bool> flag(element obj, std::string_view path, std::string_view key);
// The string `key` of `obj`; absent or null: empty, or field_missing when `required`.
Result<std::string> text(element obj, std::string_view path, std::string_view key, bool required);

Result<IncomeItem> income_item(element item, std::string_view path);
Result<DeductionItem> deduction_item(element item, std::string_view path);
Result<DiscretionaryDeduction> discretionary_deduction(element item, std::string_view path);
// The member `key` of `obj`: absent or null gives no spouse.
Result<std::optional<SpouseAtHome>> spouse_at_home(element obj, std::string_view path,
                                                   std::string_view key);

// The member `key` of `obj`: an array of dependants
// [{"relation", "assumed_pension", "income": [{"kind", "amount"}]}]; absent or null: none.
Status dependants(element obj, std::string_view path, std::string_view key, FeeInput& in);

// The optional date strings "covered_from" and "covered_to" of `obj` (the period the income data
// covers) into `in` (date_invalid or field_type naming "path.covered_from").
Status covered_period(element obj, std::string_view path, FeeInput& in);

// Decodes the array member `key` of `obj` into `out`, item i named "<list_path>[i]". Absent or
// null: nothing (field_missing when `required`); not an array: field_type.
template <class Item>
Status list(element obj, std::string_view key, const std::string& list_path, bool required,
            Result<Item> (*decode)(element, std::string_view), std::vector<Item>& out);

}  // namespace oppgjor::care_fees::json_in
