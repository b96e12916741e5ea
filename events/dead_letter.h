// Dead letters: every input the intake refuses, kept with its original bytes so the sender can
// see what was refused and why, and so nothing received is ever silently lost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace oppgjor::events {

// Stable reason codes (never renamed; schemas/README.md lists them for integration engineers).
namespace reason {
inline constexpr std::string_view malformed_json = "malformed_json";
inline constexpr std::string_view invalid_utf8 = "invalid_utf8";
inline constexpr std::string_view too_large = "too_large";
inline constexpr std::string_view unknown_type = "unknown_type";
inline constexpr std::string_view unknown_version = "unknown_version";
inline constexpr std::string_view schema_violation = "schema_violation";
inline constexpr std::string_view invalid_identifier = "invalid_identifier";
inline constexpr std::string_view stale_version = "stale_version";
inline constexpr std::string_view version_gap = "version_gap";
inline constexpr std::string_view id_conflict = "id_conflict";
// An 11-digit number (a fødselsnummer or one like it) in an envelope field: the envelope appears
// in logs and Kafka keys, so personal identifiers belong in the payload only.
inline constexpr std::string_view personal_id_in_envelope = "personal_id_in_envelope";
// A batch file (OCR giro, CSV) that fails its own structure or totals: refused whole, kept here
// with its bytes; `field` names the record or line.
inline constexpr std::string_view file_invalid = "file_invalid";
}  // namespace reason

struct DeadLetter {
  std::string source;         // the channel: "file", "kafka"
  std::string source_ref;     // where exactly: "upload.jsonl:17", "billing/2@1234"
  std::string reason;         // one of reason::*
  std::string field;          // JSON pointer of the offending field, "" when not about one
  std::string message;        // human; never a full personal identifier
  std::string event_id;       // when it could be read
  std::string_view original;  // the bytes as received; valid during the append call
};

// A stored dead letter, as listed by `oppgjor deadletters`.
struct StoredDeadLetter {
  std::int64_t id = 0;
  std::string received_at;
  std::string source;
  std::string source_ref;
  std::string reason;
  std::string field;
  std::string message;
  std::string event_id;
  std::string original;
  std::string original_sha256;
};

}  // namespace oppgjor::events
