// care_fees.income_reported → FeeInput (fold_events.h). The schema has already refused unknown
// kinds and negative amounts at intake; they are checked again here (defence in depth, and for
// logs written before a schema change) by the decoder the calc document uses too
// (fee_input_json.h), each error naming the payload field.
#include <string>

#include "services/care_fees/errors.h"
#include "services/care_fees/fee_input_json.h"
#include "services/care_fees/fold_events.h"

namespace oppgjor::care_fees::fold {
namespace {

// The basis in the payload, decoded by the same functions as the `care-fees calc` document
// (fee_input_json.h). "items" and "deductions" are required, as in the schema.
Status decode_basis(Payload p, FeeInput& in) {
  if (auto st = json_in::list(p, "items", "payload.items", true, &json_in::income_item, in.income);
      !st) {
    return st;
  }
  if (auto st = json_in::list(p, "deductions", "payload.deductions", true, &json_in::deduction_item,
                              in.deductions);
      !st) {
    return st;
  }
  if (auto st =
          json_in::list(p, "discretionary_deductions", "payload.discretionary_deductions", false,
                        &json_in::discretionary_deduction, in.discretionary_deductions);
      !st) {
    return st;
  }
  auto spouse = json_in::spouse_at_home(p, "payload", "spouse_at_home");
  if (!spouse) return spouse.error();
  in.spouse_at_home = *spouse;
  if (auto st = json_in::dependants(p, "payload", "dependants", in); !st) return st;
  return json_in::covered_period(p, "payload", in);
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
  if (auto st = decode_basis(p, in); !st) return st.error();
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
  // The schema allows only these values; a log from before it is refused here, naming the field.
  std::string_view status_text, source_text;
  if (p["status"].get(status_text) != simdjson::SUCCESS) status_text = {};
  if (p["source"].get(source_text) != simdjson::SUCCESS) source_text = {};
  const auto status = parse_income_status(status_text);
  const auto source = parse_income_source(source_text);
  if (!status || !source) {
    r.rejections.push_back(Rejection{
        r.customer_id, std::string(e.event_id), std::string(e.type),
        std::string(errc::payload_unreadable), !status ? "payload.status" : "payload.source",
        !status ? "not provisional or final" : "not a known source of income data"});
    return;
  }
  IncomeRecord record{
      std::string(e.event_id), std::string(e.occurred_at), *status, *source, e.sequence,
      std::move(*basis)};
  IncomeYear& year = r.income[record.basis.year];
  (*status == IncomeStatus::final ? year.final_basis : year.provisional) = record;
  r.income_by_event[record.event_id] = std::move(record);
}

}  // namespace oppgjor::care_fees::fold
