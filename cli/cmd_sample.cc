// `oppgjor sample --out FILE.jsonl [--customers N] [--year Y] [--seed S] [--faults]`: writes a
// realistic, deterministic sample of upstream events (sample/sample_generator.h).
#include <cstdio>
#include <fstream>

#include "cli/command_registry.h"
#include "sample/sample_generator.h"

namespace oppgjor::cli::cmd_sample {
namespace {

struct SampleArgs {
  std::string out;
  sample::SampleOptions options;
};

int run_sample(const SampleArgs& a) {
  std::ofstream out(a.out, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::fprintf(stderr, "oppgjor sample: cannot write %s\n", a.out.c_str());
    return exit_operating_error;
  }
  const auto stats = sample::generate_sample(a.options, [&](std::string_view line) {
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.put('\n');
  });
  out.close();
  if (!out) {
    std::fprintf(stderr, "oppgjor sample: write failed for %s\n", a.out.c_str());
    return exit_operating_error;
  }
  std::printf("sample: %lld lines (%lld deliberately faulty, %lld resent), %lld bytes -> %s\n",
              static_cast<long long>(stats.lines), static_cast<long long>(stats.faulty_lines),
              static_cast<long long>(stats.duplicate_lines), static_cast<long long>(stats.bytes),
              a.out.c_str());
  return exit_ok;
}

const Registrar reg("sample", [](CLI::App& app, int& exit_code) {
  auto a = std::make_shared<SampleArgs>();
  auto* cmd =
      app.add_subcommand("sample", "Write a realistic, deterministic sample of upstream events");
  cmd->add_option("--out", a->out, "JSON Lines file to write")->required();
  cmd->add_option("--customers", a->options.customers, "Number of customers")
      ->check(CLI::Range(1, 5000000));
  cmd->add_option("--year", a->options.year, "Billing year")->check(CLI::Range(2015, 2099));
  cmd->add_option("--seed", a->options.seed, "Seed (same seed, same bytes)");
  cmd->add_option("--residents-pct", a->options.residents_pct,
                  "Share of persons who are nursing-home residents")
      ->check(CLI::Range(0, 100));
  cmd->add_flag("--final-assessments", a->options.final_assessments,
                "Also the residents' final tax assessments for the year (for the control "
                "recalculation)");
  cmd->add_flag("--faults", a->options.faults,
                "Mix in one bad line per dead-letter reason and one exact resend");
  cmd->callback([a, &exit_code] { exit_code = run_sample(*a); });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_sample
