// The event envelope (ARCHITECTURE.md, "Event envelope"): what a producer sends, and what the log
// records around it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oppgjor::events {

// Limits, checked at intake.
inline constexpr std::size_t event_bytes_max = std::size_t{256} * 1024;  // one encoded envelope
inline constexpr std::size_t stream_bytes_max = 200;

// An event as a producer sent it, decoded, validated and canonicalised (intake.h), not yet in
// the log. `payload` is canonical JSON. `content_hash` is SHA-256 (hex) over the canonical
// producer envelope (canonical_producer_envelope below): the idempotency comparison.
struct ProposedEvent {
  std::string event_id;
  std::string type;
  std::int64_t schema_version = 0;
  std::string stream;
  std::optional<std::int64_t> stream_version;  // expected position, when the producer gave one
  std::string occurred_at;
  std::string source;
  std::optional<std::string> causation_id;
  std::optional<std::string> correlation_id;
  std::optional<std::string> actor;
  std::string payload;
  std::string content_hash;

  // Where it came from, for dead letters. `channel` is owned: a batch outlives the decoder that
  // made it (file intake queues batches across threads), and a dead letter written at append time
  // (stale_version, id_conflict, version_gap) reads it then. The short names fit the string's
  // inline buffer, so owning it allocates nothing on the ingest path.
  std::string channel;  // "file", "kafka", "http"
  // The original bytes and a reference ("file.jsonl:17", "topic/2@1234"): views into the
  // DecodedBatch that holds the event (intake.h); valid while that batch lives.
  std::string_view original;
  std::string_view source_ref;
};

// An event as recorded. All string fields are owned.
struct RecordedEvent {
  std::int64_t sequence = 0;
  std::string stream;
  std::int64_t stream_version = 0;
  std::string event_id;
  std::string type;
  std::int64_t schema_version = 0;
  std::string occurred_at;
  std::string recorded_at;
  std::string source;
  std::optional<std::string> causation_id;
  std::optional<std::string> correlation_id;
  std::optional<std::string> actor;
  std::string payload;
  std::string content_hash;
  std::string prev_hash;
  std::string hash;
};

// A borrowed view of a recorded event, as handed out while scanning the log. Views are valid
// only during the callback that receives them.
struct EventView {
  std::int64_t sequence = 0;
  std::string_view stream;
  std::int64_t stream_version = 0;
  std::string_view event_id;
  std::string_view type;
  std::int64_t schema_version = 0;
  std::string_view occurred_at;
  std::string_view recorded_at;
  std::string_view payload;
  // Set by scan() and scan_types() (empty when the producer gave none); scan_headers() leaves
  // them empty.
  std::string_view source;
  std::string_view causation_id;
  std::string_view correlation_id;
  std::string_view actor;
};

// A recorded row's columns as borrowed views (EventLog::scan_rows), chain columns included.
// Valid only during the callback that receives it.
struct RecordView {
  std::int64_t sequence = 0;
  std::string_view stream;
  std::int64_t stream_version = 0;
  std::string_view event_id;
  std::string_view type;
  std::int64_t schema_version = 0;
  std::string_view occurred_at;
  std::string_view recorded_at;
  std::string_view source;
  std::optional<std::string_view> causation_id;
  std::optional<std::string_view> correlation_id;
  std::optional<std::string_view> actor;
  std::string_view payload;
  std::string_view content_hash;
  std::string_view prev_hash;
  std::string_view hash;
};

// The canonical JSON of the producer's envelope (every field the producer sent, payload
// included, none the log assigns). Two sends with equal bytes here are the same event.
std::string canonical_producer_envelope(const ProposedEvent& e);

// The canonical producer envelope written with `payload` standing where e.payload goes, and
// where it stands: an engine event's envelope is checked with a stand-in of the payload's JSON
// type, and hashed in three pieces, so a large payload is neither copied nor parsed again
// (make_engine_event).
struct EnvelopeFrame {
  std::string text;
  std::size_t payload_at = 0;    // the stand-in's offset in text
  std::size_t payload_size = 0;  // the stand-in's size
};
EnvelopeFrame producer_envelope_frame(const ProposedEvent& e, std::string_view payload);
// SHA-256 (hex) of the frame with `payload` in the stand-in's place: with e.payload, equal to
// sha256_hex(canonical_producer_envelope(e)) (the content hash).
std::string framed_content_hash(const EnvelopeFrame& frame, std::string_view payload);
// The content hash of `e` (above), the payload hashed where it is.
std::string producer_content_hash(const ProposedEvent& e);

// The canonical JSON of a recorded row, every column but prev_hash and hash. The chain is
// hash = SHA-256(prev_hash as 64 hex characters || canonical_record).
std::string canonical_record(const RecordedEvent& e);
// The same bytes for an event about to be recorded, appended to `out`.
void canonical_record_of(const ProposedEvent& e, std::int64_t sequence, std::int64_t stream_version,
                         std::string_view recorded_at, std::string& out);

// The same bytes for a row read as views, appended to `out` (no allocation once `out` has grown
// to the largest record).
void canonical_record_into(const RecordView& e, std::string& out);

// 64 zeros: the prev_hash of sequence 1.
inline constexpr std::string_view genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string chain_hash(std::string_view prev_hash, std::string_view canonical_record_bytes);
// Whether `hash` (64 lowercase hex characters, as stored) is SHA-256(prev_hash ||
// canonical_record_bytes); allocates nothing.
bool chain_hash_matches(std::string_view prev_hash, std::string_view canonical_record_bytes,
                        std::string_view hash);

}  // namespace oppgjor::events
