// `oppgjor sample-ocr --db F --out FILE --date D [--seed S] [--transmission N]`: a simulated
// bank's OCR giro file paying the log's open invoices (sample/sample_ocr.h) — demo and test data
// only; the file then goes through `payments import-ocr` like any bank's.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "common/assert.h"
#include "common/date.h"
#include "sample/sample_ocr.h"
#include "services/ledger/ledger_service.h"

namespace oppgjor::cli::cmd_sample_ocr {
namespace {

struct SampleOcrArgs {
  std::string db;
  std::string out;
  std::string date;
  std::uint64_t seed = 2026;
  std::string transmission = "0000001";
};

int run_sample_ocr(const SampleOcrArgs& a) {
  auto date = common::Date::parse(a.date, "--date");
  if (!date) return rejected("sample-ocr", "", date.error());
  ServiceSession s;
  if (!open_for_reading(a.db, s, {ledger::service_name})) return exit_operating_error;
  const auto& state = service_of<ledger::LedgerService>(s, ledger::service_name).state();
  std::vector<sample::OpenInvoice> items;
  for (const auto& [number, item] : state.items()) items.push_back({item.kid, item.open_ore});
  sample::OcrSampleOptions o;
  o.seed = a.seed;
  o.date = *date;
  o.transmission_number = a.transmission;
  const auto file = sample::sample_ocr_file(items, o);
  if (!write_file(a.out, file.bytes)) {
    std::fprintf(stderr, "oppgjor sample-ocr: kan ikke skrive %s\n", shown(a.out).c_str());
    return exit_operating_error;
  }
  std::printf("payments=%lld amount_ore=%lld wrote %s\n", static_cast<long long>(file.payments),
              static_cast<long long>(file.amount_ore), shown(a.out).c_str());
  return exit_ok;
}

void register_sample_ocr(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<SampleOcrArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sample-ocr", "Write a simulated bank's OCR giro file paying the log's open invoices");
  add_db(cmd, a->db);
  cmd->add_option("--out", a->out, "The OCR file to write")->required();
  cmd->add_option("--date", a->date, "Settlement date of the payments (YYYY-MM-DD)")->required();
  cmd->add_option("--seed", a->seed, "Seed (same seed, same file)");
  cmd->add_option("--transmission", a->transmission, "Transmission number, 7 digits")
      ->check([](const std::string& v) {
        return v.size() == 7 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("7 digits");
      });
  cmd->callback([a, &exit_code] { exit_code = run_sample_ocr(*a); });
}

const Registrar registrar("sample-ocr", register_sample_ocr);

}  // namespace
}  // namespace oppgjor::cli::cmd_sample_ocr
