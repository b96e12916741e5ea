// Small helpers shared by the benchmark binaries: a wall clock for the log (benchmarks are at
// the process edge, so they may read the real clock), a stopwatch, peak-memory readings and the
// results file that bench/run.sh collects into one table.
//
// Not used by any test: no timing is ever asserted (bench/CMakeLists.txt).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "events/clock.h"

namespace oppgjor::bench {

// UTC wall clock, same format as the CLI's (events/clock.h).
class WallClock final : public events::Clock {
 public:
  std::string now_utc() override;
};

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Accumulates the time of many short intervals (phase timing inside a loop).
class PhaseTimer {
 public:
  void start() { t0_ = std::chrono::steady_clock::now(); }
  void stop() { total_ += std::chrono::steady_clock::now() - t0_; }
  double seconds() const { return std::chrono::duration<double>(total_).count(); }

 private:
  std::chrono::steady_clock::time_point t0_;
  std::chrono::steady_clock::duration total_{};
};

// CPU time of the calling thread (user + system), seconds: unlike wall time, it is hardly
// affected by other processes competing for the cores of a shared machine.
double thread_cpu_seconds();
// CPU time of the whole process (user + system, getrusage), seconds.
double process_cpu_seconds();

struct PeakMemory {
  std::int64_t vm_hwm_kib = 0;     // /proc/self/status VmHWM: this process image's peak RSS
  std::int64_t ru_maxrss_kib = 0;  // getrusage(RUSAGE_SELF).ru_maxrss
};
PeakMemory peak_memory();

// Removes a SQLite file and its -wal / -shm / -journal companions, and an event log's index file
// (events/index_file.h), if present.
void remove_db(const std::string& path);
// Copies a closed SQLite file with its -wal, -shm, -journal and .index files (whichever exist) to
// `to`, replacing what was there.
void copy_db(const std::string& from, const std::string& to);

// Results: "key value" lines appended to a file, read back by `report`.
void record(const std::string& results_path, const std::string& key, double value);
void record_text(const std::string& results_path, const std::string& key, const std::string& value);
std::map<std::string, std::string> read_results(const std::string& results_path);

}  // namespace oppgjor::bench
