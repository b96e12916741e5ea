// `oppgjor run --db F [--service NAME] [--follow] [--snapshots F|-]`: brings every service (or
// one) up to the head of the log and on to a fixed point (services/runtime/runner.h), then
// exits; --follow keeps tailing the log until SIGTERM or SIGINT. Prints one line per service.
//
// Exit codes: 0 ok · 1 operating error (the log, the snapshot store, a decision the log refused)
// · 2 usage.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "services/runtime/runner.h"
#include "services/wiring/wiring.h"

namespace oppgjor::cli::cmd_run {
namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void on_stop_signal(int) {
  stop_requested = 1;
}

struct RunArgs {
  std::string db;
  std::string service;
  std::string snapshots;
  bool follow = false;
  int poll_ms = 500;
  std::int64_t kill_before_commit = 0;
  std::int64_t kill_after_commit = 0;
  std::int64_t commit_every = runtime::commit_every_events_max;
};

std::vector<runtime::ServiceFactory> chosen(const std::string& name, bool& found) {
  auto all = wiring::all_services();
  found = name.empty();
  if (name.empty()) return all;
  for (auto& f : all) {
    if (f()->name() == name) {
      found = true;
      return {f};
    }
  }
  return {};
}

void print_stats(const runtime::RunStats& stats) {
  for (const auto& [name, s] : stats.services) {
    std::printf(
        "service=%s consumed=%lld decided=%lld recorded=%lld appended=%lld checkpoint=%lld "
        "snapshot_from=%lld rebuilt=%lld snapshot=%s snapshot_at=%lld snapshot_bytes=%lld "
        "tail_bytes=%lld%s%s\n",
        name.c_str(), static_cast<long long>(s.consumed), static_cast<long long>(s.decided),
        static_cast<long long>(s.folded_recorded), static_cast<long long>(s.appended),
        static_cast<long long>(s.checkpoint), static_cast<long long>(s.snapshot_sequence),
        static_cast<long long>(s.rebuilt), s.snapshot_written ? "written" : "kept",
        static_cast<long long>(s.snapshot_at), static_cast<long long>(s.snapshot_bytes),
        static_cast<long long>(s.tail_bytes),
        s.snapshot_note.empty() ? "" : " snapshot_note=", s.snapshot_note.c_str());
  }
  std::printf("passes=%d appended=%lld head=%lld commits=%lld\n", stats.passes,
              static_cast<long long>(stats.appended), static_cast<long long>(stats.head),
              static_cast<long long>(stats.commits));
  std::fflush(stdout);
}

int run_services(const RunArgs& a) {
  bool found = false;
  auto factories = chosen(a.service, found);
  if (!found) {
    std::fprintf(stderr, "oppgjor run: no service named %s\n", a.service.c_str());
    return exit_usage;
  }
  auto writer = open_log(a.db);
  if (!writer) return exit_operating_error;
  auto reader = open_log(a.db);
  if (!reader) return exit_operating_error;
  auto registry = events::SchemaRegistry::load();
  if (!registry) {
    print_error("run: schemas", registry.error());
    return exit_operating_error;
  }
  std::unique_ptr<runtime::SnapshotStore> snapshots;
  if (a.snapshots != "-") {
    auto store = runtime::SnapshotStore::open(
        a.snapshots.empty() ? runtime::default_snapshot_path(a.db) : a.snapshots);
    if (!store) {
      print_error("run: snapshots", store.error());
      return exit_operating_error;
    }
    snapshots = std::move(*store);
  }
  runtime::RunnerOptions options;
  options.kill_before_commit = a.kill_before_commit;
  options.kill_after_commit = a.kill_after_commit;
  options.commit_every_events = a.commit_every;
  runtime::Runner runner(*writer, *reader, **registry, snapshots.get(), std::move(factories),
                         options);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  for (;;) {
    auto stats = runner.run_to_fixed_point();
    if (!stats) {
      print_error("run", stats.error());
      return exit_operating_error;
    }
    if (!a.follow || stats->appended > 0 || stats->passes > 1) print_stats(*stats);
    if (!a.follow || stop_requested) break;
    // The edge may wait; the services read no clock.
    for (int waited = 0; waited < a.poll_ms && !stop_requested; waited += 50) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (stop_requested) break;
  }
  return exit_ok;
}

const Registrar reg("run", [](CLI::App& app, int& exit_code) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "Run the services to the head of the log and on to a fixed point (embedded mode)");
  cmd->add_option("--db", a->db, "Event log (SQLite file)")->required();
  cmd->add_option("--service", a->service, "Only this service (default: every service)");
  cmd->add_option("--snapshots", a->snapshots,
                  "Snapshot store (default: <db>.snapshots; - for none)");
  cmd->add_flag("--follow", a->follow, "Keep tailing the log until SIGTERM or SIGINT");
  cmd->add_option("--poll-ms", a->poll_ms, "With --follow: how often to look for new events")
      ->check(CLI::Range(50, 60000));
  // Crash-restart tests only (tests/regressions, services/runtime/tests).
  cmd->add_option("--kill-before-commit", a->kill_before_commit)->group("");
  cmd->add_option("--kill-after-commit", a->kill_after_commit)->group("");
  cmd->add_option("--commit-every", a->commit_every)->group("");
  cmd->callback([a, &exit_code] { exit_code = run_services(*a); });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_run
