#include "cli/support.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "services/common/mask.h"

namespace oppgjor::cli {

std::string SystemClock::now_utc() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto secs = time_point_cast<seconds>(now);
  const auto us = duration_cast<microseconds>(now - secs).count();
  const std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(us));
  return buf;
}

SystemClock& system_clock() {
  static SystemClock c;
  return c;
}

void print_error(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor: %s: %s\n", what.c_str(),
               common::mask_personal_ids(e.to_string()).c_str());
}

std::unique_ptr<events::EventLog> open_log(const std::string& path, events::LogOptions options) {
  auto log = events::EventLog::open(path, system_clock(), options);
  if (!log.ok()) {
    print_error("cannot open " + path, log.error());
    return nullptr;
  }
  return std::move(log.value());
}

}  // namespace oppgjor::cli
