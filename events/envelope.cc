#include "events/envelope.h"

#include "common/json_text.h"
#include "events/canonical_json.h"
#include "events/sha256.h"

#include <charconv>

namespace oppgjor::events {

namespace {
void optional_field(CanonicalWriter& w, std::string_view k, const std::optional<std::string>& v) {
  if (v) w.field(k, *v);
}
}  // namespace

EnvelopeFrame producer_envelope_frame(const ProposedEvent& e, std::string_view payload) {
  EnvelopeFrame f;
  f.text.reserve(payload.size() + 256);
  CanonicalWriter w(f.text);
  w.begin_object();
  optional_field(w, "actor", e.actor);
  optional_field(w, "causation_id", e.causation_id);
  optional_field(w, "correlation_id", e.correlation_id);
  w.field("event_id", e.event_id);
  w.field("occurred_at", e.occurred_at);
  w.key("payload");
  f.payload_at = f.text.size();
  w.raw_value(payload);
  f.payload_size = f.text.size() - f.payload_at;
  w.field_int("schema_version", e.schema_version);
  w.field("source", e.source);
  w.field("stream", e.stream);
  if (e.stream_version) w.field_int("stream_version", *e.stream_version);
  w.field("type", e.type);
  w.end_object();
  return f;
}

std::string canonical_producer_envelope(const ProposedEvent& e) {
  return producer_envelope_frame(e, e.payload).text;
}

std::string framed_content_hash(const EnvelopeFrame& frame, std::string_view payload) {
  const std::string_view text = frame.text;
  Sha256 h;
  h.update(text.substr(0, frame.payload_at));
  h.update(payload);
  h.update(text.substr(frame.payload_at + frame.payload_size));
  return to_hex(h.finish());
}

std::string producer_content_hash(const ProposedEvent& e) {
  return framed_content_hash(producer_envelope_frame(e, "{}"), e.payload);
}

namespace {
// The canonical record written directly: the keys are constants in sorted order (what
// CanonicalWriter would check), each field written as ',"key":value' and the first ',' turned
// into '{' at the end. Bytes equal to CanonicalWriter's; no allocation beyond growing `out`.
void put_key(std::string_view comma_key_colon, std::string& out) {
  out.append(comma_key_colon);
}
void put_string(std::string_view comma_key_colon, std::string_view v, std::string& out) {
  out.append(comma_key_colon);
  out += '"';
  common::append_json_escaped(v, out);
  out += '"';
}
void put_int(std::string_view comma_key_colon, std::int64_t v, std::string& out) {
  out.append(comma_key_colon);
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}
void put_optional(std::string_view comma_key_colon, const std::optional<std::string_view>& v,
                  std::string& out) {
  if (v) put_string(comma_key_colon, *v, out);
}

void write_record(const RecordView& e, std::string& out) {
  out.reserve(out.size() + e.payload.size() + 384);
  const std::size_t start = out.size();
  put_optional(",\"actor\":", e.actor, out);
  put_optional(",\"causation_id\":", e.causation_id, out);
  put_string(",\"content_hash\":", e.content_hash, out);
  put_optional(",\"correlation_id\":", e.correlation_id, out);
  put_string(",\"event_id\":", e.event_id, out);
  put_string(",\"occurred_at\":", e.occurred_at, out);
  put_key(",\"payload\":", out);
  out.append(e.payload);  // already canonical
  put_string(",\"recorded_at\":", e.recorded_at, out);
  put_int(",\"schema_version\":", e.schema_version, out);
  put_int(",\"sequence\":", e.sequence, out);
  put_string(",\"source\":", e.source, out);
  put_string(",\"stream\":", e.stream, out);
  put_int(",\"stream_version\":", e.stream_version, out);
  put_string(",\"type\":", e.type, out);
  out[start] = '{';  // content_hash is always there, so the record is never empty
  out += '}';
}

std::optional<std::string_view> view_of(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return std::string_view(*v);
}

// ProposedEvent and RecordedEvent share these field names; sequence, stream_version and
// recorded_at are the log's.
template <class E>
RecordView record_view(const E& e, std::int64_t sequence, std::int64_t stream_version,
                       std::string_view recorded_at) {
  RecordView v;
  v.sequence = sequence;
  v.stream = e.stream;
  v.stream_version = stream_version;
  v.event_id = e.event_id;
  v.type = e.type;
  v.schema_version = e.schema_version;
  v.occurred_at = e.occurred_at;
  v.recorded_at = recorded_at;
  v.source = e.source;
  v.causation_id = view_of(e.causation_id);
  v.correlation_id = view_of(e.correlation_id);
  v.actor = view_of(e.actor);
  v.payload = e.payload;
  v.content_hash = e.content_hash;
  return v;
}
}  // namespace

std::string canonical_record(const RecordedEvent& e) {
  std::string out;
  write_record(record_view(e, e.sequence, e.stream_version, e.recorded_at), out);
  return out;
}

void canonical_record_of(const ProposedEvent& e, std::int64_t sequence, std::int64_t stream_version,
                         std::string_view recorded_at, std::string& out) {
  write_record(record_view(e, sequence, stream_version, recorded_at), out);
}

void canonical_record_into(const RecordView& e, std::string& out) {
  write_record(e, out);
}

std::string chain_hash(std::string_view prev_hash, std::string_view canonical_record_bytes) {
  thread_local Sha256 h;
  h.update(prev_hash);
  h.update(canonical_record_bytes);
  return to_hex(h.finish());
}

bool chain_hash_matches(std::string_view prev_hash, std::string_view canonical_record_bytes,
                        std::string_view hash) {
  thread_local Sha256 h;
  h.update(prev_hash);
  h.update(canonical_record_bytes);
  return hex_equals(h.finish(), hash);
}

}  // namespace oppgjor::events
