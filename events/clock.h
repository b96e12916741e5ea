// The log's only window on wall time: `recorded_at` (ARCHITECTURE.md: assigned by the log,
// never by the producer). Injected so tests and replays are deterministic; the system clock
// implementation lives at the process edge (cli/).
#pragma once

#include <chrono>
#include <string>

namespace oppgjor::events {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC timestamp "YYYY-MM-DDTHH:MM:SS.ffffffZ" (fixed width, so strings order as times).
  virtual std::string now_utc() = 0;
};

// "YYYY-MM-DDTHH:MM:SS.ffffffZ" for a UTC instant.
std::string format_utc(std::chrono::sys_time<std::chrono::microseconds> t);

// A clock that starts at a fixed instant and ticks one microsecond per call: for tests.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::string start = "2026-01-01T00:00:00.000000Z")
      : base_(std::move(start)) {}
  std::string now_utc() override;

 private:
  std::string base_;
  long ticks_ = 0;
};

}  // namespace oppgjor::events
