// care_fees_recalc_bench: the control recalculation for a large municipality (issue 3,
// "Performance"): 5,000 long-term residents × 12 months billed, recalculated for the whole year
// with the report written (table, Excel CSV, CSV, JSON).
//
//   care_fees_recalc_bench [--residents N] [--dir DIR]
//
// Phase 1 (only when DIR/log.db does not exist) builds the log through the real code paths:
// customers, stays, provisional income, 12 × plan_billing + append, final income. Then the
// program re-executes itself so the measurement starts with a fresh peak RSS, and times:
//   baseline  the fold of the log alone (care-fees projection, replay::fold)
//   recalc    fold + compute_recalculation + the four renderings written to DIR
// and prints events/s, wall times and peak RSS. A benchmark program, not a test: it reads the
// wall clock (steady_clock) and nothing here is asserted by ctest.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "events/schema_registry.h"
#include "replay/replayer.h"
#include "services/care_fees/billing.h"
#include "services/care_fees/log_access.h"
#include "services/care_fees/recalc.h"
#include "services/care_fees/report_format.h"

namespace oppgjor::care_fees {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::string customer(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "C%07d", i + 1);
  return buf;
}

events::EngineEvent upstream(const std::string& key, std::string type, std::string stream,
                             std::string payload) {
  events::EngineEvent e;
  e.event_id = events::deterministic_event_id("bench/" + key);
  e.type = std::move(type);
  e.stream = std::move(stream);
  e.occurred_at = "2025-01-02";
  e.source = "care_records";
  e.payload_json = std::move(payload);
  return e;
}

std::vector<events::EngineEvent> residents_events(int n) {
  std::vector<events::EngineEvent> out;
  for (int i = 0; i < n; ++i) {
    const std::string id = customer(i);
    out.push_back(upstream(id + "/c", "customers.customer_registered", "customer/" + id,
                           R"({"customer_id":")" + id +
                               R"(","kind":"organisation","organisation_number":"988077917",)"
                               R"("name":"Bench","address":{"street":"Gate 1","postal_code":)"
                               R"("0150","city":"OSLO"},"district":"bydel_sagene"})"));
    out.push_back(upstream(id + "/s", "care_fees.stay_started", "resident/" + id,
                           R"({"customer_id":")" + id +
                               R"(","stay_id":"S1","kind":"long_term",)"
                               R"("institution_id":"SH-1","institution_type":"nursing_home",)"
                               R"("admission_date":"2024-06-01","from_home":false})"));
  }
  return out;
}

std::vector<events::EngineEvent> income_events(int n, const char* status, int delta) {
  std::vector<events::EngineEvent> out;
  for (int i = 0; i < n; ++i) {
    const std::string id = customer(i);
    const int pension = 150000 + (i * 37) % 300000 + delta;
    out.push_back(upstream(id + "/i/" + status, "care_fees.income_reported", "resident/" + id,
                           R"({"customer_id":")" + id + R"(","income_year":2025,"status":")" +
                               status + R"(","items":[{"kind":"pension","amount":")" +
                               std::to_string(pension) +
                               R"(","joint":false}],"deductions":[{"kind":"tax","amount":")" +
                               std::to_string(pension / 5) + R"("}]})"));
  }
  return out;
}

bool append(events::EventLog& log, const events::SchemaRegistry& reg,
            const std::vector<events::EngineEvent>& specs) {
  auto proposed = propose(reg, specs);
  if (!proposed) {
    std::fprintf(stderr, "propose: %s\n", proposed.error().to_string().c_str());
    return false;
  }
  auto r = log.append(*proposed, events::BatchPolicy::all_or_nothing);
  return r && r->committed;
}

int build_log(const std::string& path, int n) {
  events::FixedClock clock;
  auto log = events::EventLog::open(path, clock, {events::Durability::normal, false});
  auto reg = events::SchemaRegistry::load();
  auto store = builtin_parameters();
  if (!log || !reg || !store) return 1;
  const auto t0 = Clock::now();
  if (!append(**log, **reg, residents_events(n))) return 1;
  if (!append(**log, **reg, income_events(n, "provisional", 0))) return 1;
  for (unsigned m = 1; m <= 12; ++m) {
    auto projection = fold_log(**log, *store);
    if (!projection) return 1;
    const BillingPlan plan = plan_billing((*projection)->state(), {2025, m, "", "bench"});
    if (!append(**log, **reg, plan.events)) return 1;
  }
  if (!append(**log, **reg, income_events(n, "final", 12000))) return 1;
  std::printf("built %s: %d residents in %.1f s\n", path.c_str(), n, since(t0));
  return 0;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

int measure(const std::string& dir) {
  events::FixedClock clock;
  auto log = events::EventLog::open(dir + "/log.db", clock, {events::Durability::full, true});
  auto store = builtin_parameters();
  if (!log || !store) {
    std::fprintf(stderr, "cannot open %s/log.db (%s): delete it to rebuild\n", dir.c_str(),
                 log ? "rule data" : log.error().to_string().c_str());
    return 1;
  }
  auto t0 = Clock::now();
  std::int64_t folded = 0;
  {
    CareFeesProjection p(*store);
    if (!replay::fold(**log, {&p}, 0, &folded)) return 1;
  }
  const double baseline_s = since(t0);

  t0 = Clock::now();
  auto projection = fold_log(**log, *store);
  if (!projection) return 1;
  const double fold_s = since(t0);
  const auto& state = (*projection)->state();
  const RunSpec run{recalculation_run_id(2025, "", state.last_input_sequence), 2025, "",
                    state.last_input_sequence, "bench"};
  const RecalcReport report = compute_recalculation(state, run);
  const double compute_s = since(t0) - fold_s;
  const std::string base = dir + "/kontrollberegning-" + run.run_id;
  const ReportFiles files = render_report(report);
  const double render_s = since(t0) - fold_s - compute_s;
  write(base + ".txt", files.table);
  write(base + ".xlsx.csv", files.excel_csv);
  write(base + ".csv", files.csv);
  write(base + ".json", files.json);
  const double total_s = since(t0);

  std::printf("events in log            %lld\n", static_cast<long long>(folded));
  std::printf("residents                %d (with correction %d, refund %s NOK, extra %s NOK)\n",
              report.totals.residents, report.totals.with_correction,
              fmt::norwegian(report.totals.refund_ore).c_str(),
              fmt::norwegian(report.totals.extra_charge_ore).c_str());
  std::printf("baseline: fold only      %.3f s (%.0f events/s)\n", baseline_s,
              static_cast<double>(folded) / baseline_s);
  std::printf("recalc: fold             %.3f s\n", fold_s);
  std::printf("recalc: compute          %.3f s (%d residents x 12 months)\n", compute_s,
              report.totals.residents);
  std::printf(
      "recalc: render           %.3f s (table %zu B, Excel CSV %zu B, CSV %zu B, JSON %zu B)\n",
      render_s, files.table.size(), files.excel_csv.size(), files.csv.size(), files.json.size());
  std::printf("recalc: write            %.3f s\n", total_s - fold_s - compute_s - render_s);
  std::printf("recalc: total wall       %.3f s (%.0f events/s)\n", total_s,
              static_cast<double>(folded) / total_s);
  std::printf("peak RSS                 %.1f MiB\n", static_cast<double>(peak_rss_kib()) / 1024);
  return 0;
}

}  // namespace
}  // namespace oppgjor::care_fees

int main(int argc, char** argv) {
  int residents = 5000;
  std::string dir = "care_fees_bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--residents") residents = std::atoi(argv[i + 1]);
    if (flag == "--dir") dir = argv[i + 1];
  }
  std::filesystem::create_directories(dir);
  if (!std::filesystem::exists(dir + "/log.db")) {
    if (const int rc = oppgjor::care_fees::build_log(dir + "/log.db", residents); rc != 0) {
      std::fprintf(stderr, "building the log failed\n");
      return rc;
    }
    std::fflush(stdout);
    execv("/proc/self/exe", argv);  // measure in a fresh process (peak RSS without the build)
  }
  return oppgjor::care_fees::measure(dir);
}
