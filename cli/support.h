// Helpers shared by the subcommands: the system clock (the process edge is the only place that
// reads it), opening the log, and printing errors without personal identifiers.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "events/clock.h"
#include "events/event_log.h"

namespace oppgjor::cli {

// The program's version: `oppgjor --version`, and SoftwareVersion in a SAF-T file's header.
inline constexpr const char* oppgjor_version = "0.1.0";

class SystemClock final : public events::Clock {
 public:
  std::string now_utc() override;
};

SystemClock& system_clock();

// The local calendar date (TZ; Europe/Oslo on our hosts) as YYYY-MM-DD: the default of a
// command's --date. Not the UTC date, which is yesterday's between midnight and 01:00 or 02:00.
std::string today();

// Prints "oppgjor: <what>: <error>" to stderr, masked.
void print_error(const std::string& what, const Error& e);

// Opens the log at `path` with the system clock; prints the error and returns nullptr on failure.
std::unique_ptr<events::EventLog> open_log(const std::string& path,
                                           events::LogOptions options = {});

}  // namespace oppgjor::cli
