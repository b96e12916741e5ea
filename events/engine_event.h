// Events the engine makes itself (a service's decision, a run, a correction): built, validated
// against their schema like any upstream event, and given deterministic ids so that making the
// same decision twice appends nothing the second time (idempotent by event_id).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "events/envelope.h"
#include "events/schema_registry.h"

namespace oppgjor::events {

struct EngineEvent {
  std::string event_id;  // use deterministic_event_id() for decisions
  std::string type;
  std::int64_t schema_version = 1;
  std::string stream;
  std::optional<std::int64_t> stream_version;  // expected position, for optimistic concurrency
  std::string occurred_at;
  std::string source = "oppgjor";
  std::optional<std::string> causation_id;
  std::optional<std::string> correlation_id;
  std::optional<std::string> actor;
  std::string payload_json;  // any JSON object text; canonicalised here
};

// A UUID-shaped id (version nibble 8, RFC 9562 "custom") from SHA-256 of `key`. The same key
// gives the same id on every machine, e.g. "care_fees/correction/<run_id>/<customer_id>".
std::string deterministic_event_id(std::string_view key);

// Validates the payload against its schema (an engine event that fails its own schema is a bug:
// the Error names the field), canonicalises it and computes the content hash. `original` stays
// empty: engine events go in all_or_nothing batches, which write no dead letters.
// A payload that is canonical already (written with CanonicalWriter) is taken as it is, not
// written again; the bytes are the same either way.
Result<ProposedEvent> make_engine_event(const SchemaRegistry& registry, const EngineEvent& spec);
// The same, taking the strings of `spec` (its payload is not copied when canonical); `spec` is
// left valid but unspecified.
Result<ProposedEvent> make_engine_event(const SchemaRegistry& registry, EngineEvent&& spec);

}  // namespace oppgjor::events
