// One decoder for the calculation basis: the `care-fees calc` document and the
// care_fees.income_reported payload accept and refuse the same items, with the same codes (the
// field differs only in where the list is: "income[0]" against "payload.items[0]").
//
// The rule is the calc document's (the stricter one): unknown members, a non-string kind or
// amount, a non-boolean joint and a missing reason are refused. Before, the fold read a missing
// or numeric amount as field_missing, a non-boolean joint as false, ignored unknown members and
// let a missing reason through to reason_missing. The intake schema refuses all of these, and the
// only income_reported event in tests/corpus (and every one the sample generator makes) decodes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "services/care_fees/calc_json.h"
#include "services/care_fees/fold_events.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

struct Verdict {
  bool ok = false;
  std::string code;
  std::string field;
};

Verdict from_calc(const std::string& lists) {
  auto in = parse_fee_input_json(R"({"year": 2025, )" + lists + "}");
  if (in) return {true, {}, {}};
  return {false, in.error().code, in.error().field};
}

Verdict from_payload(const std::string& lists) {
  simdjson::dom::parser parser;
  simdjson::dom::element payload;
  const std::string text =
      R"({"customer_id": "C000001", "income_year": 2025, "status": "final", )" + lists + "}";
  EXPECT_EQ(parser.parse(text).get(payload), simdjson::SUCCESS) << text;
  auto in = fold::fee_input_from_income(payload);
  if (in) return {true, {}, {}};
  return {false, in.error().code, in.error().field};
}

struct JsonCase {
  std::string income;      // the income list
  std::string deductions;  // the deductions list
  std::string rest;        // further members, ", ..." or empty
  bool ok;
  std::string code;
  std::string calc_field;  // the payload's is the same with "payload." and "items" for "income"
};

std::string payload_field(const std::string& calc_field) {
  if (calc_field.rfind("income", 0) == 0) return "payload.items" + calc_field.substr(6);
  return "payload." + calc_field;
}

TEST(FeeInputJson, TheCalcDocumentAndThePayloadDecodeItemsAlike) {
  const JsonCase cases[] = {
      {R"([{"kind": "pension", "amount": "260000.00", "joint": false}])", "[]", "", true, "", ""},
      {R"([{"kind": "pension", "amount": "1"}])", R"([{"kind": "tax", "amount": "0"}])", "", true,
       "", ""},
      {R"([{"kind": "business", "amount": "-10.00", "joint": null}])", "[]", "", true, "", ""},
      {R"([{"kind": "pension", "amount": "1", "joint": false, "note": "x"}])", "[]", "", false,
       "unknown_field", "income[0].note"},
      {R"([{"kind": "pension", "amount": 260000, "joint": false}])", "[]", "", false, "field_type",
       "income[0].amount"},
      {R"([{"kind": "pension", "joint": false}])", "[]", "", false, "field_missing",
       "income[0].amount"},
      {R"([{"kind": "pension", "amount": "1", "joint": "yes"}])", "[]", "", false, "field_type",
       "income[0].joint"},
      {R"([{"amount": "1", "joint": false}])", "[]", "", false, "field_missing", "income[0].kind"},
      {R"([{"kind": 3, "amount": "1", "joint": false}])", "[]", "", false, "field_type",
       "income[0].kind"},
      {R"([{"kind": "salary", "amount": "1", "joint": false}])", "[]", "", false,
       "unknown_income_kind", "income[0].kind"},
      {R"([{"kind": "pension", "amount": "-5.00", "joint": false}])", "[]", "", false,
       "amount_negative", "income[0].amount"},
      {"[]", R"([{"kind": "vat", "amount": "1"}])", "", false, "unknown_deduction_kind",
       "deductions[0].kind"},
      {"[]", R"([{"kind": "tax", "amount": "1", "joint": true}])", "", false, "joint_not_allowed",
       "deductions[0].joint"},
      {"[]", "[]", R"(, "discretionary_deductions": [{"amount": "5"}])", false, "field_missing",
       "discretionary_deductions[0].reason"},
      {"[]", "[]", R"(, "discretionary_deductions": [{"amount": "5", "reason": ""}])", false,
       "reason_missing", "discretionary_deductions[0].reason"},
      {"[]", "[]", R"(, "spouse_at_home": {"own_income": "1"})", false, "field_missing",
       "spouse_at_home.assumed_survivor_pension"},
      {"[]", "[]",
       R"(, "spouse_at_home": {"assumed_survivor_pension": "1", "own_income": "1", "x": 1})", false,
       "unknown_field", "spouse_at_home.x"},
      {"[]", "[]", R"(, "spouse_at_home": null)", true, "", ""},
  };
  for (const JsonCase& c : cases) {
    const std::string calc_lists =
        R"("income": )" + c.income + R"(, "deductions": )" + c.deductions + c.rest;
    const std::string payload_lists =
        R"("items": )" + c.income + R"(, "deductions": )" + c.deductions + c.rest;
    const Verdict calc = from_calc(calc_lists);
    const Verdict payload = from_payload(payload_lists);
    EXPECT_EQ(calc.ok, c.ok) << calc_lists << " " << calc.code;
    EXPECT_EQ(payload.ok, c.ok) << payload_lists << " " << payload.code;
    if (c.ok) continue;
    EXPECT_EQ(calc.code, c.code) << calc_lists;
    EXPECT_EQ(calc.field, c.calc_field) << calc_lists;
    EXPECT_EQ(payload.code, c.code) << payload_lists;
    EXPECT_EQ(payload.field, payload_field(c.calc_field)) << payload_lists;
  }
}

TEST(FeeInputJson, ThePayloadNeedsItsListsAsTheSchemaDoes) {
  // The schema requires "items" and "deductions"; the calc document requires only "income".
  EXPECT_EQ(from_payload(R"("deductions": [])").field, "payload.items");
  EXPECT_EQ(from_payload(R"("items": [])").field, "payload.deductions");
  EXPECT_EQ(from_payload(R"("items": {}, "deductions": [])").code, "field_type");
  EXPECT_TRUE(from_calc(R"("income": [])").ok);
  EXPECT_EQ(from_calc(R"("deductions": [])").field, "income");
}

TEST(FeeInputJson, TheCorpusIncomeReportDecodes) {
  // The payload of the income_reported event in tests/corpus/events-v1.jsonl.
  const Verdict v = from_payload(
      R"("source": "tax_assessment", "items": [{"kind": "pension", "amount": "260000.00", )"
      R"("joint": false}, {"kind": "interest", "amount": "1200.00", "joint": true}, )"
      R"({"kind": "realisation_loss", "amount": "287101.00", "joint": false}], "deductions": )"
      R"([{"kind": "tax", "amount": "15000.00"}, {"kind": "tax_effect_of_excluded_losses", )"
      R"("amount": "63162.22"}, {"kind": "debt_interest", "amount": "8000.00", "joint": true}], )"
      R"("spouse_at_home": {"assumed_survivor_pension": "200000.00", "own_income": "120000.00"}, )"
      R"("discretionary_deductions": [{"amount": "6000.00", "reason": "rent for the former home, )"
      R"(3 months"}])");
  EXPECT_TRUE(v.ok) << v.code << " " << v.field;
}

}  // namespace
}  // namespace oppgjor::care_fees
