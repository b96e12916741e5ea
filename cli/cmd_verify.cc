// `oppgjor verify --db F [--expect-head HASH]`: recompute the hash chain.
#include <cstdio>

#include "cli/command_registry.h"
#include "cli/support.h"

namespace oppgjor::cli::cmd_verify {
namespace {

struct VerifyArgs {
  std::string db;
  std::string expect_head;
};

int run_verify(const VerifyArgs& a) {
  auto log = open_log(a.db, {events::Durability::full, true});
  if (!log) return exit_operating_error;
  auto rep = log->verify();
  if (!rep.ok()) {
    print_error("verify", rep.error());
    return exit_operating_error;
  }
  if (!rep->intact) {
    std::printf("chain=broken first_bad_sequence=%lld events_checked=%lld\nproblem: %s\n",
                static_cast<long long>(rep->first_bad_sequence),
                static_cast<long long>(rep->events_checked), rep->problem.c_str());
    return exit_verify_failed;
  }
  std::printf("chain=intact events=%lld head_sequence=%lld head_hash=%s\n",
              static_cast<long long>(rep->events_checked),
              static_cast<long long>(rep->head.sequence), rep->head.hash.c_str());
  if (!a.expect_head.empty() && a.expect_head != rep->head.hash) {
    std::printf(
        "problem: head hash differs from the expected %s (events removed from the end, "
        "or a rewritten chain)\n",
        a.expect_head.c_str());
    return exit_verify_failed;
  }
  return exit_ok;
}

const Registrar reg("verify", [](CLI::App& app, int& exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd =
      app.add_subcommand("verify", "Recompute the event log's hash chain (exit 4 if broken)");
  cmd->add_option("--db", args->db, "Event log (SQLite file)")->required();
  cmd->add_option("--expect-head", args->expect_head,
                  "Head hash published earlier: also detects events cut from the end");
  cmd->callback([args, &exit_code] { exit_code = run_verify(*args); });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_verify
