// `oppgjor replay --db F [--until-seq N | --as-of INSTANT] [--out STATE.db]`.
//
// Exit codes: 0 state hash printed · 1 operating error · 2 usage (--as-of that is no instant
// with a zone, --until-seq 0 or beyond the head) · 4 the hash chain is broken (like `verify`:
// no state hash is printed from a log that fails verification).
#include <cstdio>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "common/mask.h"
#include "replay/instant.h"
#include "replay/replayer.h"
#include "services/runtime/snapshot_check.h"
#include "services/wiring/wiring.h"

namespace oppgjor::cli::cmd_replay {
namespace {

struct ReplayArgs {
  std::string db;
  std::int64_t until = 0;
  bool until_given = false;
  std::string as_of;
  std::string out;
  bool check_snapshots = false;
  std::string snapshots;
};

void print_failure(const Error& e) {
  std::fprintf(stderr, "oppgjor: replay: %s\n", common::for_display(e.to_string()).c_str());
}

// --check-snapshots: each service's snapshot + tail against its full rebuild, row for row.
int run_check_snapshots(const ReplayArgs& a, events::EventLog& log) {
  const std::string path = a.snapshots.empty() ? runtime::default_snapshot_path(a.db) : a.snapshots;
  auto store = runtime::SnapshotStore::open(path);
  if (!store) {
    print_failure(store.error());
    return exit_operating_error;
  }
  auto registry = events::SchemaRegistry::load();
  if (!registry) {
    print_failure(registry.error());
    return exit_operating_error;
  }
  auto checks = runtime::check_snapshots(log, **registry, **store, wiring::all_services());
  if (!checks) {
    print_failure(checks.error());
    return exit_operating_error;
  }
  bool all_equal = true;
  for (const auto& c : *checks) {
    std::printf(
        "snapshot service=%s checkpoint=%lld snapshot_sequence=%lld tail=%lld rows=%lld "
        "snapshot_bytes=%lld %s%s%s\n",
        c.service.c_str(), static_cast<long long>(c.checkpoint),
        static_cast<long long>(c.snapshot_sequence), static_cast<long long>(c.tail),
        static_cast<long long>(c.rows), static_cast<long long>(c.snapshot_bytes),
        c.equal ? "equal" : "DIFFERENT first_key=", common::for_display(c.difference).c_str(),
        c.note.empty() ? "" : (" note=" + common::for_display(c.note)).c_str());
    all_equal = all_equal && c.equal;
  }
  std::printf("snapshots=%s\n", all_equal ? "equal" : "different");
  return all_equal ? exit_ok : exit_verify_failed;
}

int run_replay(const ReplayArgs& a) {
  if (a.until_given && a.until <= 0) {
    std::fprintf(stderr,
                 "oppgjor: replay: --until-seq must be a sequence of 1 or more (leave it out to "
                 "replay the whole log)\n");
    return exit_usage;
  }
  if (!a.as_of.empty()) {  // a usage error is reported before the log is opened
    if (auto instant = replay::parse_instant(a.as_of); !instant.ok()) {
      print_failure(instant.error());
      return exit_usage;
    }
  }
  auto log = open_log(a.db, {events::Durability::full, true});
  if (!log) return exit_operating_error;
  if (a.check_snapshots) {
    if (const int rc = run_check_snapshots(a, *log); rc != exit_ok) return rc;
  }
  auto projections = wiring::all_projections();
  replay::ReplayOptions o;
  o.until_sequence = a.until;
  o.as_of = a.as_of;
  o.out_path = a.out;
  auto r = replay::replay(*log, projections, o);
  if (!r.ok()) {
    print_failure(r.error());
    const std::string& code = r.error().code;
    return code == "as_of_invalid" || code == "until_beyond_head" ? exit_usage
                                                                  : exit_operating_error;
  }
  if (!r->chain.intact) {
    std::printf("chain=broken first_bad_sequence=%lld events_checked=%lld\nproblem: %s\n",
                static_cast<long long>(r->chain.first_bad_sequence),
                static_cast<long long>(r->events), common::for_display(r->chain.problem).c_str());
    std::fprintf(stderr,
                 "oppgjor: replay: the hash chain is broken; no state hash (see `oppgjor "
                 "verify`)\n");
    return exit_verify_failed;
  }
  std::printf("state_hash=%s\n", r->state_hash.c_str());
  std::printf("events=%lld last_sequence=%lld\n", static_cast<long long>(r->events),
              static_cast<long long>(r->last_sequence));
  for (const auto& [name, rows] : r->rows_per_projection) {
    std::printf("projection %-24s rows=%lld\n", name.c_str(), static_cast<long long>(rows));
  }
  return exit_ok;
}

const Registrar reg("replay", [](CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ReplayArgs>();
  auto* cmd =
      app.add_subcommand("replay", "Rebuild every projection from the log; print the state hash");
  cmd->add_option("--db", a->db, "Event log (SQLite file)")->required();
  auto* until =
      cmd->add_option("--until-seq", a->until, "Fold events up to this sequence (1 … the head)");
  cmd->add_option("--as-of", a->as_of,
                  "Fold events recorded at or before this instant, with its zone: "
                  "2026-03-01T00:00:00Z or 2026-03-01T01:00:00.5+01:00")
      ->excludes(until);
  cmd->add_option("--out", a->out, "Write the rebuilt state to this SQLite file (replaced)");
  cmd->add_flag(
      "--check-snapshots", a->check_snapshots,
      "Also prove each service's snapshot + tail equals its full rebuild (exit 4 if not)");
  cmd->add_option("--snapshots", a->snapshots, "Snapshot store (default: <db>.snapshots)");
  cmd->callback([a, until, &exit_code] {
    a->until_given = until->count() > 0;
    exit_code = run_replay(*a);
  });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_replay
