#include "events/decoder.h"

#include <algorithm>
#include <cctype>

#include "common/mask.h"
#include "events/canonical_json.h"
#include "events/sha256.h"

namespace oppgjor::events {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Whether `s` holds a run of exactly 11 ASCII digits (not part of a longer run).
bool has_11_digit_run(std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      ++run;
    } else {
      if (run == 11) return true;
      run = 0;
    }
  }
  return false;
}

// The first envelope field that holds an 11-digit number, as a JSON pointer; "" if none.
// The free-text fields are checked (stream, source, actor). event_id, causation_id and
// correlation_id are not: the envelope schema already holds them to the UUID format (hex), and a
// random UUID has a run of exactly 11 digits in its last group about once in 240, so refusing
// those would refuse legitimate events and could not be fixed by the producer.
std::string_view personal_id_field(simdjson::dom::object envelope) {
  for (const std::string_view field : {"/stream", "/source", "/actor"}) {
    std::string_view value;
    if (envelope[field.substr(1)].get(value) == simdjson::SUCCESS && has_11_digit_run(value)) {
      return field;
    }
  }
  return {};
}

// Hints for mistakes that upstream systems make often, appended to the validator's message.
std::string hint_for(std::string_view field, std::string_view message) {
  if (field.ends_with("_ore") && (message.find("got number") != std::string_view::npos ||
                                  message.find("non-integer") != std::string_view::npos)) {
    return "; amounts in *_ore fields are integer øre: 1234.50 kr is 123450";
  }
  return {};
}

// A line that is only part of a JSON document ("{" alone, "\"key\": value,") comes from a
// pretty-printed file: the format is one event per line.
bool looks_pretty_printed(std::string_view bytes) {
  const auto first = bytes.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const auto last = bytes.find_last_not_of(" \t");
  const std::string_view t = bytes.substr(first, last - first + 1);
  if (t == "{" || t == "[" || t == "}" || t == "}," || t == "]" || t == "],") return true;
  return t.front() == '"' && t.find("\":") != std::string_view::npos && t.back() != '}';
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
  const auto violations = schema.validate(value, 1);
  if (violations.empty()) return true;
  const auto& v = violations.front();
  const bool identifier = v.keyword == "format" && is_identifier_format(v.format);
  std::string field = std::string(path_prefix) + v.instance_path;
  std::string message = v.message + hint_for(field, v.message);
  return reject(dead, identifier ? reason::invalid_identifier : reason::schema_violation,
                std::move(field), std::move(message));
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
    std::string message = std::string("not valid JSON: ") + simdjson::error_message(err);
    if (looks_pretty_printed(bytes)) {
      message +=
          "; the format is JSON Lines, one whole event per line: this line looks like part of a "
          "pretty-printed JSON document (write each event on a single line, e.g. with jq -c)";
    }
    return reject(dead, reason::malformed_json, "", std::move(message));
  }
  if (std::string_view id; root["event_id"].get(id) == simdjson::SUCCESS) {
    dead.event_id = lowercase(id.substr(0, 64));
  }
  if (!check_schema(registry_->envelope(), root, "", dead)) return false;
  return read_envelope(root.get_object().value_unsafe(), out, dead);
}

bool Decoder::read_envelope(simdjson::dom::object obj, ProposedEvent& out, DeadLetter& dead) {
  // Before anything else about the event: this refusal matters most.
  if (const auto field = personal_id_field(obj); !field.empty()) {
    return reject(dead, reason::personal_id_in_envelope, std::string(field),
                  "the envelope field " + std::string(field.substr(1)) +
                      " holds an 11-digit number (a fødselsnummer or one like it); the envelope "
                      "appears in logs and Kafka keys, so personal identifiers go in the payload "
                      "only (streams are customer/<customer_id>, actors are user ids)");
  }
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
    return reject(dead, reason::schema_violation, st.error().field,
                  st.error().message + hint_for(st.error().field, st.error().message));
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
  if (type.starts_with("customers.")) {
    if (auto st = check_customer_stream(payload, out.stream, dead); !st) return false;
  }
  out.content_hash = producer_content_hash(out);
  return true;
}

bool Decoder::check_customer_stream(simdjson::dom::element payload, std::string_view stream,
                                    DeadLetter& dead) {
  std::string_view customer_id;
  if (payload["customer_id"].get(customer_id) != simdjson::SUCCESS) {
    return reject(dead, reason::schema_violation, "/payload/customer_id",
                  "a customers.* event names its customer in payload.customer_id");
  }
  constexpr std::string_view prefix = "customer/";
  if (!stream.starts_with(prefix) || stream.substr(prefix.size()) != customer_id) {
    return reject(dead, reason::schema_violation, "/stream",
                  "a customers.* event belongs to stream customer/<payload.customer_id>, here "
                  "customer/" +
                      std::string(customer_id) + "; the envelope says " + std::string(stream));
  }
  return true;
}

}  // namespace oppgjor::events
