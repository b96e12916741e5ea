// `oppgjor_log_bench report`: the results of one bench/run.sh run as a Markdown table (pasted
// into docs/PERFORMANCE.md as is), with the ratio of each figure to its same-run baseline.
#include <cstdio>
#include <map>
#include <string>

#include "bench/bench_support.h"

namespace oppgjor::bench {
namespace {

using Results = std::map<std::string, std::string>;

double num(const Results& r, const std::string& key) {
  const auto it = r.find(key);
  return it == r.end() ? 0.0 : std::stod(it->second);
}

std::string grouped(double v) {  // 1234567.8 -> "1 234 568"
  std::string digits = std::to_string(static_cast<long long>(v + 0.5));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

void throughput_row(const Results& r, const char* what, const std::string& key,
                    const char* baseline_what, const std::string& baseline_key, double target) {
  const double v = num(r, key);
  const double b = num(r, baseline_key);
  if (v <= 0) return;
  std::printf("| %s | %s events/s | %s: %s rows/s | %.2f | ≥ %s/s | %s |\n", what,
              grouped(v).c_str(), baseline_what, b > 0 ? grouped(b).c_str() : "–",
              b > 0 ? v / b : 0.0, grouped(target).c_str(), v >= target ? "yes" : "**no**");
}

}  // namespace

int run_report(const std::string& results) {
  const Results r = read_results(results);
  if (r.empty()) {
    std::fprintf(stderr, "oppgjor_log_bench: no results in %s\n", results.c_str());
    return 1;
  }
  std::printf(
      "\n%s events (%s customers), average payload %.0f bytes, average envelope %.0f "
      "bytes\n\n",
      grouped(num(r, "events")).c_str(), grouped(num(r, "customers")).c_str(),
      num(r, "avg_payload_bytes"), num(r, "avg_line_bytes"));
  std::printf("| measurement | result | same-run baseline | ratio | target | met |\n");
  std::printf("|---|---|---|---|---|---|\n");
  throughput_row(r, "ingest, synchronous=FULL, 5000 events/transaction", "ingest_full_eps",
                 "raw insert, FULL", "raw_insert_full_eps", 100000);
  throughput_row(r, "ingest, synchronous=NORMAL, 5000 events/transaction", "ingest_normal_eps",
                 "raw insert, NORMAL", "raw_insert_normal_eps", 100000);
  throughput_row(r, "replay, builtin projections", "replay_eps", "raw scan", "raw_scan_eps",
                 1000000);
  const double mib = num(r, "replay_peak_mib");
  if (mib > 0) {
    std::printf(
        "| peak memory during replay (VmHWM) | %.1f MiB | raw scan process: %.1f MiB | "
        "%.2f | < 512 MiB | %s |\n",
        mib, num(r, "raw_scan_peak_mib"), mib / num(r, "raw_scan_peak_mib"),
        mib < 512 ? "yes" : "**no**");
  }
  std::printf(
      "\nThe same per CPU-second of the measuring process (user + system time; wall time "
      "above also contains waiting for the disk and for the cores of a shared machine):\n\n");
  std::printf("| measurement | events per CPU-second | baseline rows per CPU-second | ratio |\n");
  std::printf("|---|---|---|---|\n");
  const std::pair<const char*, const char*> cpu_rows[] = {
      {"ingest_full", "raw_insert_full"},
      {"ingest_normal", "raw_insert_normal"},
      {"replay", "raw_scan"},
  };
  for (const auto& [k, b] : cpu_rows) {
    const double v = num(r, std::string(k) + "_cpu_eps");
    const double base = std::string(b).empty() ? 0.0 : num(r, std::string(b) + "_cpu_eps");
    if (v <= 0) continue;
    std::printf("| %s | %s | %s | %s |\n", k, grouped(v).c_str(),
                base > 0 ? grouped(base).c_str() : "–",
                base > 0 ? std::to_string(v / base).substr(0, 4).c_str() : "–");
  }
  if (num(r, "raw_insert_indexed_full_eps") > 0) {
    std::printf(
        "\nFor reference: raw insert with the log's two UNIQUE indexes (event_id; stream, "
        "stream_version), FULL: %s rows/s.\n",
        grouped(num(r, "raw_insert_indexed_full_eps")).c_str());
  }
  if (num(r, "replay_scan_only_eps") > 0) {
    std::printf(
        "Replay breakdown: EventLog::scan alone %s events/s; scan + simdjson parse of "
        "every payload %s events/s.\n",
        grouped(num(r, "replay_scan_only_eps")).c_str(),
        grouped(num(r, "replay_scan_parse_all_eps")).c_str());
  }
  const auto hash = r.find("state_hash");
  if (hash != r.end()) std::printf("Replay state_hash: %s\n", hash->second.c_str());
  return 0;
}

}  // namespace oppgjor::bench
