// care_fees.income_reported → FeeInput (fold_events.h). The schema has already refused unknown
// kinds and negative amounts at intake; they are checked again here (defence in depth, and for
// logs written before a schema change), each error naming the payload field.
#include <string>

#include "events/json_value.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/fold_events.h"

namespace oppgjor::care_fees::fold {
namespace {

using simdjson::dom::element;

std::string at(std::string_view list, std::size_t i, std::string_view member) {
  return "payload." + std::string(list) + "[" + std::to_string(i) + "]." + std::string(member);
}

Result<Decimal> amount(element obj, std::string_view key, const std::string& field) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS) {
    return make_error(std::string(errc::field_missing), field, "an amount string is required");
  }
  auto ore = common::parse_ore(v, field);
  if (!ore) return ore.error();
  return Decimal::from_ore(*ore);
}

bool joint(element obj) {
  bool v = false;
  return obj["joint"].get(v) == simdjson::SUCCESS && v;
}

Status items(element p, FeeInput& in) {
  element list;
  if (p["items"].get(list) != simdjson::SUCCESS || !list.is_array()) return ok_status();
  std::size_t i = 0;
  for (element item : events::array_of(list)) {
    std::string_view name;
    if (item["kind"].get(name) != simdjson::SUCCESS) name = {};
    const auto kind = parse_income_kind(name);
    if (!kind) {
      return make_error(std::string(errc::unknown_income_kind), at("items", i, "kind"),
                        "unknown income kind \"" + std::string(name) + "\"");
    }
    auto value = amount(item, "amount", at("items", i, "amount"));
    if (!value) return value.error();
    in.income.push_back({*kind, *value, joint(item)});
    ++i;
  }
  return ok_status();
}

Status deductions(element p, FeeInput& in) {
  element list;
  if (p["deductions"].get(list) != simdjson::SUCCESS || !list.is_array()) return ok_status();
  std::size_t i = 0;
  for (element item : events::array_of(list)) {
    std::string_view name;
    if (item["kind"].get(name) != simdjson::SUCCESS) name = {};
    const auto kind = parse_deduction_kind(name);
    if (!kind) {
      return make_error(std::string(errc::unknown_deduction_kind), at("deductions", i, "kind"),
                        "unknown deduction kind \"" + std::string(name) + "\"");
    }
    auto value = amount(item, "amount", at("deductions", i, "amount"));
    if (!value) return value.error();
    in.deductions.push_back({*kind, *value, joint(item)});
    ++i;
  }
  return ok_status();
}

Status others(element p, FeeInput& in) {
  element spouse;
  if (p["spouse_at_home"].get(spouse) == simdjson::SUCCESS && spouse.is_object()) {
    auto pension = amount(spouse, "assumed_survivor_pension",
                          "payload.spouse_at_home.assumed_survivor_pension");
    if (!pension) return pension.error();
    auto own = amount(spouse, "own_income", "payload.spouse_at_home.own_income");
    if (!own) return own.error();
    in.spouse_at_home = SpouseAtHome{*pension, *own};
  }
  element list;
  if (p["discretionary_deductions"].get(list) != simdjson::SUCCESS || !list.is_array()) {
    return ok_status();
  }
  std::size_t i = 0;
  for (element item : events::array_of(list)) {
    auto value = amount(item, "amount", at("discretionary_deductions", i, "amount"));
    if (!value) return value.error();
    std::string_view reason;
    if (item["reason"].get(reason) != simdjson::SUCCESS) reason = {};
    in.discretionary_deductions.push_back({*value, std::string(reason)});
    ++i;
  }
  return ok_status();
}

// validate_fee_input names fields of the calc document ("income[2].amount"); the payload calls
// the list "items".
Error payload_field(Error e) {
  if (e.field.rfind("income[", 0) == 0)
    e.field = "payload.items" + e.field.substr(6);
  else if (!e.field.empty() && e.field.rfind("payload.", 0) != 0)
    e.field = "payload." + e.field;
  return e;
}

}  // namespace

Result<FeeInput> fee_input_from_income(Payload p) {
  FeeInput in;
  std::int64_t year = 0;
  if (p["income_year"].get(year) != simdjson::SUCCESS) {
    return make_error(std::string(errc::field_missing), "payload.income_year", "required");
  }
  in.year = static_cast<int>(year);
  if (auto st = items(p, in); !st) return st.error();
  if (auto st = deductions(p, in); !st) return st.error();
  if (auto st = others(p, in); !st) return st.error();
  if (auto st = validate_fee_input(in); !st) return payload_field(st.error());
  return in;
}

void income_reported(CareFeesState& s, const EventRef& e, Payload p) {
  std::string_view customer_id;
  if (p["customer_id"].get(customer_id) != simdjson::SUCCESS) customer_id = {};
  auto& r = s.residents[std::string(customer_id)];
  r.customer_id = std::string(customer_id);
  auto basis = fee_input_from_income(p);
  if (!basis) {
    r.rejections.push_back(Rejection{r.customer_id, std::string(e.event_id), std::string(e.type),
                                     basis.error().code, basis.error().field,
                                     basis.error().message});
    return;
  }
  std::string_view status, source;
  if (p["status"].get(status) != simdjson::SUCCESS) status = {};
  if (p["source"].get(source) != simdjson::SUCCESS) source = {};
  IncomeRecord record{std::string(e.event_id),
                      std::string(e.occurred_at),
                      std::string(status),
                      std::string(source),
                      e.sequence,
                      std::move(*basis)};
  IncomeYear& year = r.income[record.basis.year];
  (status == "final" ? year.final_basis : year.provisional) = record;
  r.income_by_event[record.event_id] = std::move(record);
}

}  // namespace oppgjor::care_fees::fold
