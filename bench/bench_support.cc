#include "bench/bench_support.h"

#include <sys/resource.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace oppgjor::bench {

std::string WallClock::now_utc() {
  return events::format_utc(
      std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()));
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

PeakMemory peak_memory() {
  PeakMemory m;
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) m.ru_maxrss_kib = ru.ru_maxrss;  // KiB on Linux
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) m.vm_hwm_kib = std::stoll(line.substr(6));
  }
  return m;
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".index"}) {
    std::filesystem::remove(path + suffix);
  }
}

void copy_db(const std::string& from, const std::string& to) {
  remove_db(to);
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".index"}) {
    if (std::filesystem::exists(from + suffix)) {
      std::filesystem::copy_file(from + suffix, to + suffix);
    }
  }
}

void record(const std::string& results_path, const std::string& key, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", value);
  record_text(results_path, key, buf);
}

void record_text(const std::string& results_path, const std::string& key,
                 const std::string& value) {
  if (results_path.empty()) return;
  std::ofstream out(results_path, std::ios::app);
  out << key << ' ' << value << '\n';
}

std::map<std::string, std::string> read_results(const std::string& results_path) {
  std::map<std::string, std::string> r;
  std::ifstream in(results_path);
  std::string line;
  while (std::getline(in, line)) {
    const auto sp = line.find(' ');
    if (sp == std::string::npos) continue;
    r[line.substr(0, sp)] = line.substr(sp + 1);  // a later run of a phase wins
  }
  return r;
}

}  // namespace oppgjor::bench
