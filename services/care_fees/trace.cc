// Trace building helpers (see trace.h).
#include "services/care_fees/trace.h"

#include <algorithm>

namespace oppgjor::care_fees {

TraceStep& TraceStep::input(std::string n, std::string v) {
  inputs.push_back({std::move(n), std::move(v)});
  return *this;
}

TraceStep& TraceStep::result(std::string n, std::string v) {
  results.push_back({std::move(n), std::move(v)});
  return *this;
}

TraceStep& TraceStep::parameter(std::string_view n, const DatedValue& v) {
  parameters.push_back(TraceParameter{std::string(n), v.value.to_string(),
                                      v.effective_from.to_iso(),
                                      v.effective_to ? v.effective_to->to_iso() : std::string{},
                                      v.source, v.rule_version, v.uncertain, v.example});
  return *this;
}

TraceStep& Trace::add(std::string step_name, std::string note) {
  steps.push_back(TraceStep{std::move(step_name), {}, {}, {}, std::move(note)});
  return steps.back();
}

std::string amount_string(const Decimal& amount_nok) {
  if (amount_nok.round(2, common::Rounding::down) == amount_nok) return amount_nok.to_string(2);
  return amount_nok.to_string();
}

std::vector<std::string> uncertainty_warnings(const Trace& trace) {
  std::vector<std::string> out;
  for (const TraceStep& step : trace.steps) {
    for (const TraceParameter& p : step.parameters) {
      if (!p.uncertain && !p.example) continue;
      std::string w = p.name + " from " + p.effective_from + " (" + p.value + ") is " +
                      (p.example ? "example data, not sourced" : "marked uncertain") +
                      " in the rule data";
      if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
    }
  }
  return out;
}

}  // namespace oppgjor::care_fees
