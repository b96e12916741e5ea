// The trace of a calculation: ordered steps, each with its inputs, the rule parameters it used
// (value, effective period, source, rule version) and its results, so a caseworker can explain
// an amount and an auditor can reproduce it (nursing-home-fees.md, last section).
//
// Values are strings: amounts as exact decimal strings ("40377.50"), dates ISO. Plain values,
// built by the calculation and rendered by calc_json (JSON or a Norwegian table).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/care_fees/parameters.h"

namespace oppgjor::care_fees {

struct TraceItem {
  std::string name;
  std::string value;
};

struct TraceParameter {
  std::string name;  // "care_fees.grunnbelop_nok"
  std::string value;
  std::string effective_from;
  std::string effective_to;  // empty when open-ended
  std::string source;
  std::string rule_version;
  bool uncertain = false;
  bool example = false;
};

struct TraceStep {
  std::string name;  // "counted_income", "deductible_tax", ...
  std::vector<TraceItem> inputs;
  std::vector<TraceParameter> parameters;
  std::vector<TraceItem> results;
  std::string note;  // the rule applied, in one sentence

  TraceStep& input(std::string n, std::string v);
  TraceStep& result(std::string n, std::string v);
  TraceStep& parameter(std::string_view n, const DatedValue& v);
};

struct Trace {
  std::string rule_version;         // of the rule data ("care_fees.rules.2025-11.1")
  std::string calculation_version;  // of the formula code ("long_term_fee.v1")
  std::vector<TraceItem> options;   // the rule options in force
  std::vector<TraceStep> steps;

  TraceStep& add(std::string step_name, std::string note);
};

// Amount as an exact decimal string with at least two decimals: 40377.5 -> "40377.50",
// 12.005 -> "12.005".
std::string amount_string(const Decimal& amount_nok);

// Every parameter the trace used that is marked uncertain or example, as human warnings
// ("care_fees.fribelop_nok 2017 (8000) is uncertain: ..."), in step order, without duplicates.
std::vector<std::string> uncertainty_warnings(const Trace& trace);

}  // namespace oppgjor::care_fees
