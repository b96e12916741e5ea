// The `oppgjor` command: a thin shell over events/, replay/ and services/. Each subcommand lives
// in its own cli/cmd_*.cc and registers itself (command_registry.h).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "common/logging.h"

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
  app.set_version_flag("--version", std::string("oppgjor ") + oppgjor::cli::oppgjor_version);
  int exit_code = exit_ok;
  std::string log_format = "human";
  std::string log_level = "info";
  app.add_option("--log-format", log_format, "Operational log lines on stderr: human or json")
      ->check(CLI::IsMember({"human", "json"}));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  // Logging is set up after the options are read and before any subcommand runs. Every log line
  // passes through the masking formatter (no full fødselsnummer ever reaches a log).
  app.parse_complete_callback([&] {
    oppgjor::common::init_logging(*oppgjor::common::parse_log_format(log_format),
                                  spdlog::level::from_str(log_level));
  });
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
