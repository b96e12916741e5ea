#include "events/clock.h"

#include <cstdio>

namespace oppgjor::events {

std::string FixedClock::now_utc() {
  // Keep the date and the whole seconds of base_, count microseconds (wrapping into seconds).
  const long us = ticks_++;
  std::string out = base_;
  char frac[16];
  std::snprintf(frac, sizeof frac, "%06ld", us % 1000000);
  out.replace(20, 6, frac);
  const long secs = us / 1000000;
  if (secs > 0) {
    const int s = (out[17] - '0') * 10 + (out[18] - '0') + static_cast<int>(secs % 60);
    out[17] = static_cast<char>('0' + (s / 10) % 6);
    out[18] = static_cast<char>('0' + s % 10);
  }
  return out;
}

}  // namespace oppgjor::events
