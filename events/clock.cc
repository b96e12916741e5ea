#include "events/clock.h"

#include <chrono>
#include <cstdio>

namespace oppgjor::events {

namespace {

using Micros = std::chrono::sys_time<std::chrono::microseconds>;

Micros parse_utc(const std::string& ts) {
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, us = 0;  // fixed-width fraction: µs
  std::sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%d.%d", &y, &mo, &d, &h, &mi, &s, &us);
  const std::chrono::sys_days day{std::chrono::year{y} / mo / d};
  return Micros{day} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s} +
         std::chrono::microseconds{us};
}

}  // namespace

std::string format_utc(std::chrono::sys_time<std::chrono::microseconds> t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss<std::chrono::microseconds> tod{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<long long>(tod.seconds().count()));
  char frac[16];
  std::snprintf(frac, sizeof frac, "%06lld", static_cast<long long>(tod.subseconds().count()));
  std::string out(buf);
  out.insert(out.size() - 1, std::string(".") + frac);
  return out;
}

std::string FixedClock::now_utc() {
  return format_utc(parse_utc(base_) + std::chrono::microseconds{ticks_++});
}

}  // namespace oppgjor::events
