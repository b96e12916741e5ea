// A rule parameter's value for a period (ARCHITECTURE.md, "Rules as dated data"), and its one
// decoder from JSON: a rules file's "values" entry and a `rules.parameter_set` payload alike
// (schemas/rules.parameter_set.v1.schema.json). The care-fees parameters and the collection rates
// both keep their values as this type.
#pragma once

#include <optional>
#include <string>

#include <simdjson.h>

#include "common/date.h"
#include "common/money.h"
#include "common/result.h"

namespace oppgjor::events {

struct DatedValue {
  common::Decimal value;
  common::Date effective_from;
  std::optional<common::Date> effective_to;  // inclusive; none = open-ended
  std::string source;                        // law, regulation, circular or URL
  std::string rule_version;                  // the data release (or event) it came with
  bool uncertain = false;  // not confirmed from the regulation itself (the research says why)
  bool example = false;    // not sourced at all: placeholder data
  std::string note;
  // Who set it: the actor of the rules.parameter_set event that recorded it; empty for values
  // from shipped rule data (files), which the decoder never sets.
  std::string set_by;
};

// value, effective_from, source and rule_version are required strings; effective_to and note
// optional strings, uncertain and example optional booleans. Members it does not know are left
// to the caller (the two documents differ there). Error: code "parameter_invalid", field the
// member ("effective_to").
Result<DatedValue> decode_dated_value(simdjson::dom::element obj);

}  // namespace oppgjor::events
