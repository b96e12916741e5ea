#include "events/decoder.h"

#include <algorithm>
#include <cctype>

#include "events/canonical_json.h"
#include "events/sha256.h"
#include "services/common/mask.h"

namespace oppgjor::events {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::string> optional_string(simdjson::dom::object obj, std::string_view key) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS) return std::nullopt;
  return std::string(v);
}

}  // namespace

Decoder::Decoder(std::shared_ptr<const SchemaRegistry> registry) : registry_(std::move(registry)) {}

bool Decoder::reject(DeadLetter& dead, std::string_view reason, std::string field,
                     std::string message) {
  dead.reason.assign(reason);
  dead.field = std::move(field);
  // Validators may echo the offending value: never let a national id through in full.
  dead.message = common::mask_all_11_digit_runs(message);
  return false;
}

bool Decoder::check_schema(const JsonSchema& schema, simdjson::dom::element value,
                           std::string_view path_prefix, DeadLetter& dead) {
  if (schema.is_valid(value)) return true;
  const auto violations = schema.validate(value, 1);
  if (violations.empty()) return true;  // cannot happen; both paths agree
  const auto& v = violations.front();
  const bool identifier = v.keyword == "format" && is_identifier_format(v.format);
  return reject(dead, identifier ? reason::invalid_identifier : reason::schema_violation,
                std::string(path_prefix) + v.instance_path, v.message);
}

bool Decoder::decode(std::string_view bytes, ProposedEvent& out, DeadLetter& dead) {
  dead = DeadLetter{};
  if (bytes.size() > event_bytes_max) {
    return reject(dead, reason::too_large, "",
                  "the event is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                      std::to_string(event_bytes_max));
  }
  buffer_ = simdjson::padded_string(bytes);
  simdjson::dom::element root;
  if (auto err = parser_.parse(buffer_).get(root); err != simdjson::SUCCESS) {
    if (err == simdjson::UTF8_ERROR) {
      return reject(dead, reason::invalid_utf8, "", "the bytes are not valid UTF-8");
    }
    return reject(dead, reason::malformed_json, "",
                  std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  if (std::string_view id; root["event_id"].get(id) == simdjson::SUCCESS) {
    dead.event_id = lowercase(id.substr(0, 64));
  }
  if (!check_schema(registry_->envelope(), root, "", dead)) return false;
  return read_envelope(root.get_object().value_unsafe(), out, dead);
}

bool Decoder::read_envelope(simdjson::dom::object obj, ProposedEvent& out, DeadLetter& dead) {
  std::string_view type = obj["type"].get_string().value_unsafe();
  const std::int64_t version = obj["schema_version"].get_int64().value_unsafe();
  const auto found = registry_->find(type, version);
  if (found.miss == SchemaRegistry::Miss::unknown_type) {
    return reject(dead, reason::unknown_type, "/type",
                  "no schema for event type '" + std::string(type) + "'");
  }
  if (found.miss == SchemaRegistry::Miss::unknown_version) {
    return reject(
        dead, reason::unknown_version, "/schema_version",
        "event type '" + std::string(type) + "' has no schema version " + std::to_string(version));
  }
  const simdjson::dom::element payload = obj["payload"].value_unsafe();
  if (!check_schema(*found.schema, payload, "/payload", dead)) return false;

  // Duplicate keys in the envelope itself (the payload's are caught when canonicalising it).
  std::string_view keys[16];
  std::size_t n = 0;
  for (auto field : obj) {
    if (n == std::size(keys)) break;  // the envelope schema allows far fewer members
    keys[n++] = field.key;
  }
  std::sort(keys, keys + n);
  if (const auto* dup = std::adjacent_find(keys, keys + n); dup != keys + n) {
    return reject(dead, reason::malformed_json, "/" + std::string(*dup),
                  "the key appears more than once in the envelope");
  }
  out.payload.clear();
  if (auto st = append_canonical(payload, out.payload, "/payload"); !st.ok()) {
    return reject(dead, reason::schema_violation, st.error().field, st.error().message);
  }
  out.event_id = lowercase(obj["event_id"].get_string().value_unsafe());
  out.type.assign(type);
  out.schema_version = version;
  out.stream.assign(obj["stream"].get_string().value_unsafe());
  std::int64_t sv = 0;
  out.stream_version.reset();
  if (obj["stream_version"].get(sv) == simdjson::SUCCESS) out.stream_version = sv;
  out.occurred_at.assign(obj["occurred_at"].get_string().value_unsafe());
  out.source.assign(obj["source"].get_string().value_unsafe());
  out.causation_id = optional_string(obj, "causation_id");
  out.correlation_id = optional_string(obj, "correlation_id");
  out.actor = optional_string(obj, "actor");
  out.content_hash = sha256_hex(canonical_producer_envelope(out));
  return true;
}

}  // namespace oppgjor::events
