#include "events/envelope.h"

#include "events/canonical_json.h"
#include "events/sha256.h"

namespace oppgjor::events {

namespace {
void optional_field(CanonicalWriter& w, std::string_view k, const std::optional<std::string>& v) {
  if (v) w.field(k, *v);
}
}  // namespace

std::string canonical_producer_envelope(const ProposedEvent& e) {
  std::string out;
  out.reserve(e.payload.size() + 256);
  CanonicalWriter w(out);
  w.begin_object();
  optional_field(w, "actor", e.actor);
  optional_field(w, "causation_id", e.causation_id);
  optional_field(w, "correlation_id", e.correlation_id);
  w.field("event_id", e.event_id);
  w.field("occurred_at", e.occurred_at);
  w.key("payload");
  w.raw_value(e.payload);
  w.field_int("schema_version", e.schema_version);
  w.field("source", e.source);
  w.field("stream", e.stream);
  if (e.stream_version) w.field_int("stream_version", *e.stream_version);
  w.field("type", e.type);
  w.end_object();
  return out;
}

namespace {
// ProposedEvent and RecordedEvent share these field names; sequence, stream_version and
// recorded_at are the log's.
template <class E>
void write_record(const E& e, std::int64_t sequence, std::int64_t stream_version,
                  std::string_view recorded_at, std::string& out) {
  out.reserve(out.size() + e.payload.size() + 384);
  CanonicalWriter w(out);
  w.begin_object();
  optional_field(w, "actor", e.actor);
  optional_field(w, "causation_id", e.causation_id);
  w.field("content_hash", e.content_hash);
  optional_field(w, "correlation_id", e.correlation_id);
  w.field("event_id", e.event_id);
  w.field("occurred_at", e.occurred_at);
  w.key("payload");
  w.raw_value(e.payload);
  w.field("recorded_at", recorded_at);
  w.field_int("schema_version", e.schema_version);
  w.field_int("sequence", sequence);
  w.field("source", e.source);
  w.field("stream", e.stream);
  w.field_int("stream_version", stream_version);
  w.field("type", e.type);
  w.end_object();
}
}  // namespace

std::string canonical_record(const RecordedEvent& e) {
  std::string out;
  write_record(e, e.sequence, e.stream_version, e.recorded_at, out);
  return out;
}

void canonical_record_of(const ProposedEvent& e, std::int64_t sequence, std::int64_t stream_version,
                         std::string_view recorded_at, std::string& out) {
  write_record(e, sequence, stream_version, recorded_at, out);
}

std::string chain_hash(std::string_view prev_hash, std::string_view canonical_record_bytes) {
  thread_local Sha256 h;
  h.update(prev_hash);
  h.update(canonical_record_bytes);
  return to_hex(h.finish());
}

}  // namespace oppgjor::events
