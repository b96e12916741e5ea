// The `oppgjor` command: a thin shell over events/, replay/ and services/. Each subcommand lives
// in its own cli/cmd_*.cc and registers itself (command_registry.h).
#include <algorithm>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"

namespace oppgjor::cli {
std::vector<Registration>& registry() {
  static std::vector<Registration> r;
  return r;
}
}  // namespace oppgjor::cli

int main(int argc, char** argv) {
  using namespace oppgjor::cli;
  CLI::App app{"oppgjor — event-sourced invoicing, ledger, collection and nursing-home fees"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "oppgjor 0.1.0");
  int exit_code = exit_ok;
  auto& regs = registry();
  std::sort(regs.begin(), regs.end(),
            [](const Registration& a, const Registration& b) { return a.name < b.name; });
  for (auto& r : regs) r.fn(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_usage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "oppgjor: error: %s\n", e.what());
    return exit_operating_error;
  }
  return exit_code;
}
