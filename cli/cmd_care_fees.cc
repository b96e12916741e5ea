// `oppgjor care-fees calc --input FILE.json [--format json|table]`: the yearly long-term fee
// (vederlag) for one resident, with its full trace. A thin shell: reading the file is the only
// thing done here; the calculation and both output formats live in services/care_fees
// (run_calc in calc_json.h).
//
// Exit codes (command_registry.h): 0 ok · 1 the file cannot be read, or the shipped rule data is
// broken · 2 usage · 3 the input is rejected (the message names the field or the parameter).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "services/care_fees/calc_json.h"
#include "services/care_fees/parameters.h"

namespace oppgjor::cli {
namespace {

struct CalcOptions {
  std::string input_path;
  std::string format = "json";
};

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return !in.bad();
}

int run_calc_command(const CalcOptions& opts) {
  std::string text;
  if (!read_file(opts.input_path, text)) {
    std::fprintf(stderr, "oppgjor care-fees calc: cannot read %s\n", opts.input_path.c_str());
    return exit_operating_error;
  }
  auto store = care_fees::builtin_parameters();
  if (!store) {
    std::fprintf(stderr, "oppgjor care-fees calc: rule data: %s\n",
                 store.error().to_string().c_str());
    return exit_operating_error;
  }
  const auto format =
      opts.format == "table" ? care_fees::OutputFormat::table : care_fees::OutputFormat::json;
  auto out = care_fees::run_calc(text, format, *store);
  if (!out) {
    std::fprintf(stderr, "oppgjor care-fees calc: rejected: %s\n", out.error().to_string().c_str());
    return exit_rejected;
  }
  std::fwrite(out->data(), 1, out->size(), stdout);
  return exit_ok;
}

void register_care_fees(CLI::App& app, int& exit_code) {
  CLI::App* care = app.add_subcommand("care-fees", "Nursing-home fees (vederlag/egenandel)");
  care->require_subcommand(1);
  auto opts = std::make_shared<CalcOptions>();
  CLI::App* calc = care->add_subcommand(
      "calc", "Compute the yearly long-term fee for one resident, with its trace");
  calc->add_option("--input", opts->input_path, "JSON file with the year, income and deductions")
      ->required();
  calc->add_option("--format", opts->format, "json (default) or table (Norwegian view)")
      ->check(CLI::IsMember({"json", "table"}));
  calc->callback([opts, &exit_code] { exit_code = run_calc_command(*opts); });
}

const Registrar registrar("care-fees", register_care_fees);

}  // namespace
}  // namespace oppgjor::cli
