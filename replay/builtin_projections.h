// The foundation's projections: event counts per type, streams, customers, rule parameters,
// the business calendar, invoice bases. Services register
// their own (services/*/projections.*) through the same interface.
#pragma once

#include <memory>

#include "replay/projection.h"

namespace oppgjor::replay {

// "event_counts": key = event type, value {"count":N}.
std::unique_ptr<Projection> make_event_counts_projection();
// "streams": key = stream, value {"events":N,"last_type":"…","version":V}.
std::unique_ptr<Projection> make_streams_projection();
// "customers": key = customer_id, value = the registered fields with every later change
// merged in, plus "version" (number of customer events applied).
std::unique_ptr<Projection> make_customers_projection();

// "rule_parameters": key = "<parameter>@<effective_from>[@<scope>]", value = the payload of the
// rules.parameter_set event (dated rule data, as an auditor wants to see it).
std::unique_ptr<Projection> make_rule_parameters_projection();
// "calendar": key = calendar name ("business"), value {"days_closed":N,"last_closed":"date"}.
std::unique_ptr<Projection> make_calendar_projection();

// "invoice_bases" (invoice_bases_projection.h): every invoice and credit basis with its amounts.

// Adds all six to `registry`.
void register_builtin_projections(ProjectionRegistry& registry);

}  // namespace oppgjor::replay
