// How `oppgjor` subcommands register themselves.
//
// Each cli/cmd_*.cc file defines a static `Registrar` whose function adds its subcommand(s) to
// the CLI11 app. The command's callback stores its process exit code in `exit_code`.
// Exit codes (stable, documented in docs/CLI.md):
//   0 ok · 1 operating error · 2 usage error · 3 some inputs rejected · 4 verification failed ·
//   5 invalid identifier / check failed
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace oppgjor::cli {

enum ExitCode : int {
  exit_ok = 0,
  exit_operating_error = 1,
  exit_usage = 2,
  exit_rejected = 3,
  exit_verify_failed = 4,
  exit_invalid = 5,
};

using RegisterFn = std::function<void(CLI::App& app, int& exit_code)>;

struct Registration {
  std::string name;  // for ordering in --help; registrations run sorted by name
  RegisterFn fn;
};

std::vector<Registration>& registry();

struct Registrar {
  Registrar(std::string name, RegisterFn fn) {
    registry().push_back(Registration{std::move(name), std::move(fn)});
  }
};

}  // namespace oppgjor::cli
