// oppgjor_runtime_bench: the services runtime benchmarks behind bench/runtime.sh
// (docs/PERFORMANCE.md, "Services runtime"). One mode per process:
//   passthrough  the embedded runner with a pass-through service (every type, nothing folded,
//                nothing decided) over a log, against replay of the same log in the same run
//   catchup      on a large log: the first run of every service (full fold, snapshot written),
//                a reading command from the fresh snapshot, and catching up a tail file
//                ingested afterwards (the new events through the runner to a fixed point)
// Not a test: no timing is asserted anywhere (bench/CMakeLists.txt).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "bench/bench_support.h"
#include "bench/pass_through.h"
#include "events/intake.h"
#include "replay/builtin_projections.h"
#include "replay/replayer.h"
#include "services/runtime/runner.h"
#include "services/wiring/wiring.h"

namespace oppgjor::bench {
namespace {

int fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor_runtime_bench: %s: %s\n", what.c_str(), e.to_string().c_str());
  return 1;
}

int run_passthrough(const std::string& db, const std::string& results) {
  WallClock clock;
  auto registry = events::SchemaRegistry::load();
  if (!registry) return fail("schemas", registry.error());
  const std::vector<std::string> types = all_types(**registry);
  // Baseline: replay of the same log with the builtin projections, same process, same run.
  double replay_eps = 0;
  {
    auto log = events::EventLog::open(db, clock, {events::Durability::full, true});
    if (!log) return fail("open", log.error());
    replay::ProjectionRegistry projections;
    replay::register_builtin_projections(projections);
    auto all = projections.create_all();
    const Stopwatch sw;
    auto r = replay::replay(**log, all, {});
    if (!r) return fail("replay", r.error());
    replay_eps = static_cast<double>(r->events) / sw.seconds();
    std::printf("replay (baseline): %lld events, %.0f events/s\n",
                static_cast<long long>(r->events), replay_eps);
  }
  auto writer = events::EventLog::open(db, clock);
  auto reader = events::EventLog::open(db, clock);
  if (!writer || !reader) return fail("open", make_error("storage_error", "", db));
  runtime::Runner runner(**writer, **reader, **registry, nullptr,
                         {[types] { return std::make_unique<PassThrough>(types); }});
  const Stopwatch sw;
  auto stats = runner.run_to_fixed_point();
  const double s = sw.seconds();
  if (!stats) return fail("run", stats.error());
  const auto& p = stats->services["pass_through"];
  const double eps = static_cast<double>(p.consumed) / s;
  std::printf(
      "runner pass-through: %lld events consumed in %.2f s = %.0f events/s (%.2f x replay)\n",
      static_cast<long long>(p.consumed), s, eps, eps / replay_eps);
  record(results, "runtime_replay_eps", replay_eps);
  record(results, "runtime_passthrough_eps", eps);
  return 0;
}

int run_catchup(const std::string& db, const std::string& tail, const std::string& results) {
  WallClock clock;
  auto registry = events::SchemaRegistry::load();
  if (!registry) return fail("schemas", registry.error());
  const std::string snapshots_path = runtime::default_snapshot_path(db);
  remove_db(snapshots_path);
  {  // 1. The first run: every service folds the whole log and writes its snapshot.
    auto writer = events::EventLog::open(db, clock);
    auto reader = events::EventLog::open(db, clock);
    auto store = runtime::SnapshotStore::open(snapshots_path);
    if (!writer || !reader || !store) return fail("open", make_error("storage_error", "", db));
    runtime::Runner runner(**writer, **reader, **registry, store->get(), wiring::all_services());
    const Stopwatch sw;
    auto stats = runner.run_to_fixed_point();
    if (!stats) return fail("first run", stats.error());
    std::printf("first run (full fold, snapshot written): head %lld, %.2f s\n",
                static_cast<long long>(stats->head), sw.seconds());
    for (const auto& [name, s] : stats->services) {
      auto size = (*store)->size(name);
      std::printf("  %s: rebuilt %lld events, snapshot %.1f MiB\n", name.c_str(),
                  static_cast<long long>(s.rebuilt),
                  static_cast<double>(size ? *size : 0) / 1048576.0);
      record(results, "runtime_snapshot_mib_" + name,
             static_cast<double>(size ? *size : 0) / 1048576.0);
    }
  }
  {  // 2. A reading command: open, bring every service up from its fresh snapshot.
    const Stopwatch sw;
    auto reader = events::EventLog::open(db, clock, {events::Durability::full, true});
    auto store = runtime::SnapshotStore::open(snapshots_path);
    if (!reader || !store) return fail("open", make_error("storage_error", "", db));
    runtime::Runner runner(**reader, **reader, **registry, store->get(), wiring::all_services());
    if (auto st = runner.bring_up(); !st.ok()) return fail("bring up", st.error());
    const double s = sw.seconds();
    std::printf("read command from fresh snapshots: %.3f s\n", s);
    record(results, "runtime_read_s", s);
  }
  {  // 3. New events arrive.
    auto log = events::EventLog::open(db, clock);
    if (!log) return fail("open", log.error());
    auto ingested = events::ingest_file(tail, **log, *registry, {});
    if (!ingested) return fail("ingest tail", ingested.error());
    std::printf("tail ingested: %lld events\n", static_cast<long long>(ingested->appended));
  }
  // 4. The services catch up, twice from the same files (copies made before either): with the
  // runner's snapshot policy (a changed snapshot written again once its tail reaches its size),
  // and, as the same run's baseline, writing every changed snapshot after the run (the policy
  // before 2026-12-02, snapshot_tail_percent = 0).
  const std::string copy = db + ".copy";
  copy_db(db, copy);
  copy_db(snapshots_path, runtime::default_snapshot_path(copy));
  const auto catch_up = [&](const std::string& path, std::int64_t tail_percent,
                            const char* what) -> int {
    const Stopwatch sw;
    auto writer = events::EventLog::open(path, clock);
    auto reader = events::EventLog::open(path, clock);
    auto store = runtime::SnapshotStore::open(runtime::default_snapshot_path(path));
    if (!writer || !reader || !store) return fail("open", make_error("storage_error", "", path));
    runtime::RunnerOptions options;
    options.snapshot_tail_percent = tail_percent;
    runtime::Runner runner(**writer, **reader, **registry, store->get(), wiring::all_services(),
                           options);
    auto stats = runner.run_to_fixed_point();
    if (!stats) return fail("catch up", stats.error());
    const double s = sw.seconds();
    std::printf("catch-up (open, snapshots, run, %s): %.3f s\n", what, s);
    for (const auto& [name, st] : stats->services) {
      std::printf(
          "  %s: consumed %lld, snapshot %s (at %lld, %.1f MiB; tail folded since %.1f "
          "MiB)\n",
          name.c_str(), static_cast<long long>(st.consumed),
          st.snapshot_written ? "written" : "kept", static_cast<long long>(st.snapshot_at),
          static_cast<double>(st.snapshot_bytes) / 1048576.0,
          static_cast<double>(st.tail_bytes) / 1048576.0);
    }
    record(results, tail_percent == 0 ? "runtime_catchup_every_s" : "runtime_catchup_s", s);
    return 0;
  };
  if (int rc = catch_up(db, runtime::snapshot_tail_percent_default, "snapshots when due");
      rc != 0) {
    return rc;
  }
  if (int rc = catch_up(copy, 0, "baseline: every changed snapshot written"); rc != 0) return rc;
  remove_db(copy);
  remove_db(runtime::default_snapshot_path(copy));
  return 0;
}

}  // namespace
}  // namespace oppgjor::bench

int main(int argc, char** argv) {
  using namespace oppgjor::bench;
  CLI::App app{"oppgjor_runtime_bench: services runtime benchmarks (bench/runtime.sh)"};
  app.require_subcommand(1);
  std::string db, tail, results = "/dev/null";
  int rc = 0;
  auto* pass = app.add_subcommand("passthrough", "runner overhead against replay");
  pass->add_option("--db", db)->required();
  pass->add_option("--results", results);
  pass->callback([&] { rc = run_passthrough(db, results); });
  auto* catchup = app.add_subcommand("catchup", "first run, read from snapshot, catch-up");
  catchup->add_option("--db", db)->required();
  catchup->add_option("--tail", tail, "JSON Lines ingested after the first run")->required();
  catchup->add_option("--results", results);
  catchup->callback([&] { rc = run_catchup(db, tail, results); });
  CLI11_PARSE(app, argc, argv);
  return rc;
}
