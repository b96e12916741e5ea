// `oppgjor replay --db F [--until-seq N | --as-of TIMESTAMP] [--out STATE.db]`.
#include <cstdio>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "replay/builtin_projections.h"
#include "replay/replayer.h"

namespace oppgjor::cli {
namespace {

// The foundation's projections; services register theirs in their own cli files.
const bool builtin_registered = [] {
  replay::register_builtin_projections(replay::ProjectionRegistry::global());
  return true;
}();

struct ReplayArgs {
  std::string db;
  std::int64_t until = 0;
  std::string as_of;
  std::string out;
};

int run_replay(const ReplayArgs& a) {
  auto log = open_log(a.db, {events::Durability::full, true});
  if (!log) return exit_operating_error;
  auto projections = replay::ProjectionRegistry::global().create_all();
  replay::ReplayOptions o;
  o.until_sequence = a.until;
  o.as_of = a.as_of;
  o.out_path = a.out;
  auto r = replay::replay(*log, projections, o);
  if (!r.ok()) {
    print_error("replay", r.error());
    return exit_operating_error;
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
  (void)builtin_registered;
  auto a = std::make_shared<ReplayArgs>();
  auto* cmd =
      app.add_subcommand("replay", "Rebuild every projection from the log; print the state hash");
  cmd->add_option("--db", a->db, "Event log (SQLite file)")->required();
  auto* until = cmd->add_option("--until-seq", a->until, "Fold events up to this sequence")
                    ->check(CLI::PositiveNumber);
  cmd->add_option("--as-of", a->as_of,
                  "Fold events recorded at or before this UTC instant (2026-03-01T00:00:00Z)")
      ->excludes(until);
  cmd->add_option("--out", a->out, "Write the rebuilt state to this SQLite file (replaced)");
  cmd->callback([a, &exit_code] { exit_code = run_replay(*a); });
});

}  // namespace
}  // namespace oppgjor::cli
