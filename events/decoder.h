// Decoder: raw bytes of one envelope → a validated, canonical ProposedEvent, or a DeadLetter
// saying which field is wrong and why (reason codes in dead_letter.h).
//
// Order of checks: size, UTF-8 and JSON syntax, the envelope schema, type and version known,
// the payload schema (identifier formats → invalid_identifier), canonical form (integers only,
// no duplicate keys), no 11-digit number in the envelope's free-text fields
// (personal_id_in_envelope), and a customers.* event in stream customer/<payload.customer_id>.
// Messages never contain a full personal identifier.
//
// Not thread-safe (owns a simdjson parser); one Decoder per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "events/dead_letter.h"
#include "events/envelope.h"
#include "events/schema_registry.h"

namespace oppgjor::events {

class Decoder {
 public:
  explicit Decoder(std::shared_ptr<const SchemaRegistry> registry);

  // On success fills `out` (its channel/original/source_ref are left for the caller) and
  // returns true. On rejection fills `dead` (reason, field, message, event_id if readable) and
  // returns false. `bytes` need not be padded.
  bool decode(std::string_view bytes, ProposedEvent& out, DeadLetter& dead);

 private:
  bool reject(DeadLetter& dead, std::string_view reason, std::string field, std::string message);
  bool check_schema(const JsonSchema& schema, simdjson::dom::element value,
                    std::string_view path_prefix, DeadLetter& dead);
  bool read_envelope(simdjson::dom::object obj, ProposedEvent& out, DeadLetter& dead);
  bool check_customer_stream(simdjson::dom::element payload, std::string_view stream,
                             DeadLetter& dead);

  std::shared_ptr<const SchemaRegistry> registry_;
  simdjson::dom::parser parser_;
  simdjson::padded_string buffer_;
};

}  // namespace oppgjor::events
