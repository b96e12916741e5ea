// Instants for `replay --as-of`: parsed, never compared as text.
//
// Accepted: an RFC 3339 date-time, "YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±hh:mm)" ('T' or 't' or one
// space between date and time, 'Z' or 'z'). Refused: a bare date or a time without a zone (which
// day or zone was meant is a guess), more than six fractional digits (the log records
// microseconds), a leap second, out-of-range fields. A leap-free proleptic Gregorian calendar;
// no clock, no time-zone database. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace oppgjor::replay {

// Microseconds since 1970-01-01T00:00:00Z.
struct Instant {
  std::int64_t micros_since_epoch = 0;
  auto operator<=>(const Instant&) const = default;
};

// Error code as_of_invalid (field `field`), the message saying what was expected.
Result<Instant> parse_instant(std::string_view text, std::string_view field = "--as-of");

// The log's own recorded_at form (events/clock.cc): "YYYY-MM-DDTHH:MM:SS.ffffffZ", fixed width,
// so two such strings order as their instants do.
std::string to_recorded_at(Instant t);

}  // namespace oppgjor::replay
