// Commands and their answers (schemas/README.md, "Commands and their answers"): a person's command
// is an event in stream command/<event_id> with its actor; the service that owns it answers with
// service.command_completed or service.command_refused, caused by the command. The same
// builders serve every service; the same reader serves the CLI, a future HTTP API and the Kafka
// mode.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/result.h"
#include "events/engine_event.h"
#include "events/envelope.h"
#include "services/runtime/runner.h"

namespace oppgjor::runtime {

inline constexpr std::string_view command_completed_type = "service.command_completed";
inline constexpr std::string_view command_refused_type = "service.command_refused";
inline constexpr std::size_t command_note_bytes_max = 15000;

std::string command_stream(std::string_view command_event_id);

// The business date of a command: the date part of its occurred_at (the moment the person acted),
// or `fallback` when occurred_at holds no date.
common::Date business_date(const events::EventView& command, common::Date fallback);

struct Completion {
  std::map<std::string, std::int64_t> counts;
  std::map<std::string, std::int64_t> amounts;  // keys end in _ore
  std::map<std::string, std::string> refs;
  std::string note;  // cut to command_note_bytes_max at a UTF-8 boundary
  Part part;         // the part answered (partition.h); whole: no "part" in the payload
};

// The answers, stream command/<command event_id>; the runner stamps identity (service.h).
events::EngineEvent completed_event(std::string_view service, const events::EventView& command,
                                    const Completion& completion);
events::EngineEvent refused_event(std::string_view service, const events::EventView& command,
                                  const Error& why, Part part = {});

// The answer to a command among a runner's outputs for it.
struct Answer {
  bool refused = false;
  Error refusal;          // when refused: code, field, message
  Completion completion;  // when completed
};
// Error answer_missing when neither answer is among `outputs`. A command decided in parts has an
// answer per part: counts and amounts are summed, notes joined, completion.part.count says how
// many parts there were, and one refused part makes the whole a refusal.
Result<Answer> answer_of(const std::vector<Output>& outputs);

// An event id for a command, made at the edge (cli/): UUID-shaped, from the instant and 128 bits
// of the caller's randomness.
std::string command_event_id(std::string_view now_utc, std::uint64_t random_hi,
                             std::uint64_t random_lo);

}  // namespace oppgjor::runtime
