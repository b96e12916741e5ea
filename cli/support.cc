#include "cli/support.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/mask.h"

namespace oppgjor::cli {

std::string SystemClock::now_utc() {
  return events::format_utc(
      std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()));
}

SystemClock& system_clock() {
  static SystemClock c;
  return c;
}

std::string today() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char out[40];  // room for any int, so no truncation warning
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", local.tm_year + 1900, local.tm_mon + 1,
                local.tm_mday);
  return out;
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
