#include "events/engine_event.h"

#include <optional>
#include <thread>
#include <vector>

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

namespace {

// One parser per thread and use, reused: its buffers are allocated once, not for every event (a
// service's decision makes thousands). One that grew past parser_keep_bytes for a large event
// is dropped after it. The envelope has its own, so the payload's document stays valid while
// the envelope is parsed (a large payload's schema check runs beside it, below).
constexpr std::size_t parser_keep_bytes = std::size_t{16} << 20;

simdjson::dom::parser& payload_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

simdjson::dom::parser& envelope_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

struct Trim {
  simdjson::dom::parser& p;
  explicit Trim(simdjson::dom::parser& parser) : p(parser) {}
  Trim(const Trim&) = delete;
  Trim& operator=(const Trim&) = delete;
  ~Trim() {
    if (p.capacity() > parser_keep_bytes) p = simdjson::dom::parser{};
  }
};

// A payload at least this large has its schema checked on a second thread while this one checks
// its canonical form and its envelope and hashes it: the two halves take about as long, and
// both only read the parsed payload. The result, and which error wins, is the same as one after
// the other.
constexpr std::size_t parallel_check_bytes = std::size_t{256} << 10;

// The smallest JSON of `type`: what the envelope's check sees in the payload's place.
std::string_view stand_in(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::OBJECT:
      return "{}";
    case simdjson::dom::element_type::ARRAY:
      return "[]";
    case simdjson::dom::element_type::STRING:
      return "\"\"";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return "0";
    case simdjson::dom::element_type::BOOL:
      return "false";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "null";
}

// The body of both make_engine_event overloads. `payload_json` is spec.payload_json, which
// the rvalue overload may take (it is read only before that).
template <typename Spec>
Result<ProposedEvent> make(const SchemaRegistry& registry, Spec&& spec) {
  const auto found = registry.find(spec.type, spec.schema_version);
  if (found.schema == nullptr) {
    return make_error(
        found.miss == SchemaRegistry::Miss::unknown_type ? "unknown_type" : "unknown_version",
        "type", "no schema for " + spec.type + " v" + std::to_string(spec.schema_version));
  }
  simdjson::dom::parser& parser = payload_parser();
  const Trim trim{parser};
  simdjson::dom::element payload;
  // Copied into the parser's own padded buffer (reused), never read past the string's end.
  if (parser.parse(spec.payload_json.data(), spec.payload_json.size(), true).get(payload) !=
      simdjson::SUCCESS) {
    return make_error("malformed_json", "payload", "engine event payload is not JSON");
  }
  // The payload's schema check: on a helper for a large payload (joined before anything is
  // returned), here otherwise. Its violation is the error reported first either way.
  std::vector<SchemaViolation> violations;
  std::optional<std::jthread> checker;
  const auto check_payload = [&] { violations = found.schema->validate(payload, 1); };
  if (spec.payload_json.size() >= parallel_check_bytes) {
    checker.emplace(check_payload);
  } else {
    check_payload();
  }
  // The payload's error, once its check has finished (spec.type is copied below, never moved).
  const auto payload_error = [&]() -> std::optional<Error> {
    if (checker && checker->joinable()) checker->join();
    if (violations.empty()) return std::nullopt;
    return make_error("schema_violation", "payload" + violations.front().instance_path,
                      spec.type + ": " + violations.front().message);
  };
  // Checked here: nothing after it is worth doing for a payload that fails its schema.
  if (!checker) {
    if (auto first = payload_error()) return *first;
  }
  ProposedEvent e;
  // A payload written with CanonicalWriter is canonical already: taken as it is when it is
  // byte for byte what append_canonical would write (is_canonical), canonicalised otherwise.
  if (is_canonical(payload, spec.payload_json)) {
    e.payload = std::forward<Spec>(spec).payload_json;
  } else if (auto st = append_canonical(payload, e.payload, "/payload"); !st.ok()) {
    if (auto first = payload_error()) return *first;
    return st.error();
  }
  e.event_id = std::forward<Spec>(spec).event_id;
  e.type = spec.type;
  e.schema_version = spec.schema_version;
  e.stream = std::forward<Spec>(spec).stream;
  e.stream_version = spec.stream_version;
  e.occurred_at = std::forward<Spec>(spec).occurred_at;
  e.source = std::forward<Spec>(spec).source;
  e.causation_id = std::forward<Spec>(spec).causation_id;
  e.correlation_id = std::forward<Spec>(spec).correlation_id;
  e.actor = std::forward<Spec>(spec).actor;
  // The envelope too: an engine event must be what an upstream producer may send (source,
  // stream, actor and ids of the right shape), so it could travel over Kafka like any other.
  // The envelope schema asks of the payload only its JSON type ("type": "object"), so the
  // envelope is checked with a stand-in of that type, not a second copy of the payload parsed
  // again; the content hash reads the payload where it is (EnvelopeFrame, envelope.h).
  const EnvelopeFrame frame = producer_envelope_frame(e, stand_in(payload.type()));
  simdjson::dom::parser& env_parser = envelope_parser();
  const Trim env_trim{env_parser};
  simdjson::dom::element env;
  if (env_parser.parse(frame.text.data(), frame.text.size(), true).get(env) != simdjson::SUCCESS) {
    if (auto first = payload_error()) return *first;
    return make_error("malformed_json", "", "engine event envelope is not JSON");
  }
  const auto envelope_violations = registry.envelope().validate(env, 1);
  e.content_hash = framed_content_hash(frame, e.payload);
  if (auto first = payload_error()) return *first;
  if (!envelope_violations.empty()) {
    return make_error("schema_violation", envelope_violations.front().instance_path,
                      e.type + " envelope: " + envelope_violations.front().message);
  }
  e.channel = "engine";
  e.source_ref = "engine";
  return e;
}

}  // namespace

Result<ProposedEvent> make_engine_event(const SchemaRegistry& registry, const EngineEvent& spec) {
  return make(registry, spec);
}

Result<ProposedEvent> make_engine_event(const SchemaRegistry& registry, EngineEvent&& spec) {
  return make(registry, std::move(spec));
}

}  // namespace oppgjor::events
