#include "events/engine_event.h"

#include <simdjson.h>

#include "events/canonical_json.h"
#include "events/sha256.h"

namespace oppgjor::events {

std::string deterministic_event_id(std::string_view key) {
  const Digest d = sha256(key);
  std::string hex = to_hex(d).substr(0, 32);
  hex[12] = '8';                                             // version: custom (RFC 9562)
  hex[16] = "89ab"[static_cast<unsigned char>(d[8]) & 0x3];  // variant 10xx
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

Result<ProposedEvent> make_engine_event(const SchemaRegistry& registry, const EngineEvent& spec) {
  const auto found = registry.find(spec.type, spec.schema_version);
  if (found.schema == nullptr) {
    return make_error(
        found.miss == SchemaRegistry::Miss::unknown_type ? "unknown_type" : "unknown_version",
        "type", "no schema for " + spec.type + " v" + std::to_string(spec.schema_version));
  }
  simdjson::dom::parser parser;
  simdjson::padded_string text(spec.payload_json);
  simdjson::dom::element payload;
  if (parser.parse(text).get(payload) != simdjson::SUCCESS) {
    return make_error("malformed_json", "payload", "engine event payload is not JSON");
  }
  const auto violations = found.schema->validate(payload, 1);
  if (!violations.empty()) {
    return make_error("schema_violation", "payload" + violations.front().instance_path,
                      spec.type + ": " + violations.front().message);
  }
  ProposedEvent e;
  if (auto st = append_canonical(payload, e.payload, "/payload"); !st.ok()) return st.error();
  e.event_id = spec.event_id;
  e.type = spec.type;
  e.schema_version = spec.schema_version;
  e.stream = spec.stream;
  e.stream_version = spec.stream_version;
  e.occurred_at = spec.occurred_at;
  e.source = spec.source;
  e.causation_id = spec.causation_id;
  e.correlation_id = spec.correlation_id;
  e.actor = spec.actor;
  // The envelope too: an engine event must be what an upstream producer may send (source,
  // stream, actor and ids of the right shape), so it could travel over Kafka like any other.
  const std::string envelope = canonical_producer_envelope(e);
  simdjson::dom::element env;
  if (parser.parse(envelope).get(env) != simdjson::SUCCESS) {
    return make_error("malformed_json", "", "engine event envelope is not JSON");
  }
  const auto envelope_violations = registry.envelope().validate(env, 1);
  if (!envelope_violations.empty()) {
    return make_error("schema_violation", envelope_violations.front().instance_path,
                      spec.type + " envelope: " + envelope_violations.front().message);
  }
  e.content_hash = sha256_hex(envelope);
  e.channel = "engine";
  e.source_ref = "engine";
  return e;
}

}  // namespace oppgjor::events
