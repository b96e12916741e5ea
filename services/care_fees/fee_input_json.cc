// Decoding the calculation basis's parts from JSON (fee_input_json.h).
#include "services/care_fees/fee_input_json.h"

#include "events/json_value.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees::json_in {
namespace {

Error field_error(std::string_view code, std::string field, std::string message) {
  return make_error(std::string(code), std::move(field), std::move(message));
}

// The member `key` of `obj`, or nullopt when it is absent or null.
std::optional<element> present(element obj, std::string_view key) {
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  return v;
}

std::string indexed(std::string_view list_path, std::size_t i) {
  std::string out(list_path);
  out += '[';
  out += std::to_string(i);
  out += ']';
  return out;
}

}  // namespace

std::string member_path(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

Status only_members(element obj, std::string_view path,
                    std::initializer_list<std::string_view> allowed) {
  if (!obj.is_object())
    return field_error(errc::field_type, std::string(path), "must be an object");
  for (const auto field : events::object_of(obj)) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == field.key;
    if (!known)
      return field_error(errc::unknown_field, member_path(path, field.key), "unknown member");
  }
  return ok_status();
}

Result<Decimal> amount(element obj, std::string_view path, std::string_view key) {
  std::string field = member_path(path, key);
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS) {
    return field_error(errc::field_missing, std::move(field), "required");
  }
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) {
    return field_error(errc::field_type, std::move(field),
                       "an amount is a decimal string, e.g. \"1234.50\"");
  }
  auto ore = common::parse_ore(s, field);
  if (!ore) return ore.error();
  return Decimal::from_ore(*ore);
}

Result<bool> flag(element obj, std::string_view path, std::string_view key) {
  const auto v = present(obj, key);
  if (!v) return false;
  bool b = false;
  if (v->get(b) != simdjson::SUCCESS) {
    return field_error(errc::field_type, member_path(path, key), "true or false");
  }
  return b;
}

Result<std::string> text(element obj, std::string_view path, std::string_view key, bool required) {
  const auto v = present(obj, key);
  if (!v) {
    if (required) return field_error(errc::field_missing, member_path(path, key), "required");
    return std::string{};
  }
  std::string_view s;
  if (v->get(s) != simdjson::SUCCESS) {
    return field_error(errc::field_type, member_path(path, key), "a string");
  }
  return std::string(s);
}

Result<IncomeItem> income_item(element item, std::string_view path) {
  if (auto s = only_members(item, path, {"kind", "amount", "joint"}); !s) return s.error();
  auto kind_text = text(item, path, "kind", true);
  if (!kind_text) return kind_text.error();
  const auto kind = parse_income_kind(*kind_text);
  if (!kind) {
    return field_error(errc::unknown_income_kind, member_path(path, "kind"),
                       "unknown income kind \"" + *kind_text + "\"");
  }
  auto value = amount(item, path, "amount");
  if (!value) return value.error();
  auto joint = flag(item, path, "joint");
  if (!joint) return joint.error();
  return IncomeItem{*kind, *value, *joint};
}

Result<DeductionItem> deduction_item(element item, std::string_view path) {
  if (auto s = only_members(item, path, {"kind", "amount", "joint"}); !s) return s.error();
  auto kind_text = text(item, path, "kind", true);
  if (!kind_text) return kind_text.error();
  const auto kind = parse_deduction_kind(*kind_text);
  if (!kind) {
    return field_error(errc::unknown_deduction_kind, member_path(path, "kind"),
                       "unknown deduction kind \"" + *kind_text + "\"");
  }
  auto value = amount(item, path, "amount");
  if (!value) return value.error();
  auto joint = flag(item, path, "joint");
  if (!joint) return joint.error();
  return DeductionItem{*kind, *value, *joint};
}

Result<DiscretionaryDeduction> discretionary_deduction(element item, std::string_view path) {
  if (auto s = only_members(item, path, {"amount", "reason"}); !s) return s.error();
  auto value = amount(item, path, "amount");
  if (!value) return value.error();
  auto reason = text(item, path, "reason", true);
  if (!reason) return reason.error();
  return DiscretionaryDeduction{*value, std::move(*reason)};
}

Result<std::optional<SpouseAtHome>> spouse_at_home(element obj, std::string_view path,
                                                   std::string_view key) {
  const auto v = present(obj, key);
  if (!v) return std::optional<SpouseAtHome>{};
  const std::string spouse_path = member_path(path, key);
  if (auto s = only_members(*v, spouse_path, {"assumed_survivor_pension", "own_income"}); !s) {
    return s.error();
  }
  auto pension = amount(*v, spouse_path, "assumed_survivor_pension");
  if (!pension) return pension.error();
  auto own = amount(*v, spouse_path, "own_income");
  if (!own) return own.error();
  return std::optional<SpouseAtHome>{SpouseAtHome{*pension, *own}};
}

namespace {

Result<DependantIncome> dependant_income(element item, std::string_view path) {
  if (auto s = only_members(item, path, {"kind", "amount"}); !s) return s.error();
  auto kind_text = text(item, path, "kind", true);
  if (!kind_text) return kind_text.error();
  const auto kind = parse_dependant_income(*kind_text);
  if (!kind) {
    return field_error(
        errc::unknown_income_kind, member_path(path, "kind"),
        "a dependant's income is earned, national_insurance_pension or other, not \"" + *kind_text +
            "\"");
  }
  auto value = amount(item, path, "amount");
  if (!value) return value.error();
  return DependantIncome{*kind, *value};
}

Result<Dependant> dependant(element item, std::string_view path) {
  if (auto s = only_members(item, path, {"relation", "assumed_pension", "income"}); !s) {
    return s.error();
  }
  auto relation_text = text(item, path, "relation", true);
  if (!relation_text) return relation_text.error();
  const auto relation = parse_relation(*relation_text);
  if (!relation) {
    return field_error(
        errc::unknown_relation, member_path(path, "relation"),
        "spouse, cohabitant, minor_child or supported_child, not \"" + *relation_text + "\"");
  }
  Dependant out;
  out.relation = *relation;
  auto pension = amount(item, path, "assumed_pension");
  if (!pension) return pension.error();
  out.assumed_pension_nok = *pension;
  if (auto s =
          list(item, "income", member_path(path, "income"), false, &dependant_income, out.income);
      !s) {
    return s.error();
  }
  return out;
}

}  // namespace

Status dependants(element obj, std::string_view path, std::string_view key, FeeInput& in) {
  return list(obj, key, member_path(path, key), false, &dependant, in.dependants);
}

Status covered_period(element obj, std::string_view path, FeeInput& in) {
  for (const std::string_view key :
       {std::string_view("covered_from"), std::string_view("covered_to")}) {
    auto value = text(obj, path, key, false);
    if (!value) return value.error();
    if (value->empty()) continue;
    auto date = Date::parse(*value, member_path(path, key));
    if (!date) return date.error();
    (key == "covered_from" ? in.covered_from : in.covered_to) = *date;
  }
  return ok_status();
}

template <class Item>
Status list(element obj, std::string_view key, const std::string& list_path, bool required,
            Result<Item> (*decode)(element, std::string_view), std::vector<Item>& out) {
  const auto v = present(obj, key);
  if (!v) {
    if (required) return field_error(errc::field_missing, list_path, "required");
    return ok_status();
  }
  if (!v->is_array()) return field_error(errc::field_type, list_path, "must be an array");
  std::size_t i = 0;
  for (element item : events::array_of(*v)) {
    auto decoded = decode(item, indexed(list_path, i++));
    if (!decoded) return decoded.error();
    out.push_back(std::move(*decoded));
  }
  return ok_status();
}

template Status list<IncomeItem>(element, std::string_view, const std::string&, bool,
                                 Result<IncomeItem> (*)(element, std::string_view),
                                 std::vector<IncomeItem>&);
template Status list<DeductionItem>(element, std::string_view, const std::string&, bool,
                                    Result<DeductionItem> (*)(element, std::string_view),
                                    std::vector<DeductionItem>&);
template Status list<DependantIncome>(element, std::string_view, const std::string&, bool,
                                      Result<DependantIncome> (*)(element, std::string_view),
                                      std::vector<DependantIncome>&);
template Status list<Dependant>(element, std::string_view, const std::string&, bool,
                                Result<Dependant> (*)(element, std::string_view),
                                std::vector<Dependant>&);
template Status list<DiscretionaryDeduction>(element, std::string_view, const std::string&, bool,
                                             Result<DiscretionaryDeduction> (*)(element,
                                                                                std::string_view),
                                             std::vector<DiscretionaryDeduction>&);

}  // namespace oppgjor::care_fees::json_in
