// `oppgjor ledger export-gl07 --period YYYY-MM --db F --out FILE [--layout FILE] [--client C]
// [--interface I] [--voucher-type T]`: the month's ledger transactions as a Unit4 (Agresso) GL07
// batch-input file (services/ledger/gl07_export.h, formats/gl07/README.md). The layout is the
// installation's file (--layout) or the standard GL07 layout.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "common/assert.h"
#include "common/date.h"
#include "formats/gl07/batch_writer.h"
#include "formats/gl07/layout.h"
#include "services/ledger/gl07_export.h"
#include "services/ledger/ledger_service.h"

namespace oppgjor::cli::cmd_ledger {
namespace {

struct Gl07Args {
  std::string period;
  std::string db;
  std::string out;
  std::string layout;
  ledger::Gl07Header header;
};

int run_export_gl07(const Gl07Args& a) {
  auto first = common::Date::parse(a.period + "-01", "--period");
  if (!first || a.period.size() != 7) {
    return rejected("ledger", "export-gl07",
                    make_error("period_invalid", "--period", "perioden må være YYYY-MM"));
  }
  formats::gl07::Layout layout = formats::gl07::default_layout();
  if (!a.layout.empty()) {
    std::string text;
    if (!read_file(a.layout, text)) {
      std::fprintf(stderr, "oppgjor ledger export-gl07: kan ikke lese %s\n",
                   shown(a.layout).c_str());
      return exit_operating_error;
    }
    auto parsed = formats::gl07::parse_layout(text);
    if (!parsed) return rejected("ledger", "export-gl07", parsed.error());
    layout = std::move(parsed).value();
  }
  ServiceSession s;
  if (!open_for_reading(a.db, s, {ledger::service_name})) return exit_operating_error;
  const auto& state = service_of<ledger::LedgerService>(s, ledger::service_name).state();
  auto batch = ledger::gl07_batch(state, first->year(), first->month(), a.header);
  if (!batch) return rejected("ledger", "export-gl07", batch.error());
  auto bytes = formats::gl07::write_batch(*batch, layout);
  if (!bytes) return rejected("ledger", "export-gl07", bytes.error());
  if (!write_file(a.out, *bytes)) {
    std::fprintf(stderr, "oppgjor ledger export-gl07: kan ikke skrive %s\n", shown(a.out).c_str());
    return exit_operating_error;
  }
  std::printf("lines=%zu batch=%s wrote %s\n", batch->transactions.size(), batch->batch_id.c_str(),
              shown(a.out).c_str());
  return exit_ok;
}

void register_ledger(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("ledger", "The ledger's exports");
  group->require_subcommand(1);
  auto a = std::make_shared<Gl07Args>();
  CLI::App* gl07 = group->add_subcommand(
      "export-gl07", "A month's transactions as a Unit4 (Agresso) GL07 batch-input file");
  gl07->add_option("--period", a->period, "Accounting period YYYY-MM")->required();
  add_db(gl07, a->db);
  gl07->add_option("--out", a->out, "The file to write")->required();
  gl07->add_option("--layout", a->layout,
                   "The installation's layout file (default: standard GL07)");
  gl07->add_option("--client", a->header.client, "Unit4 client (default OK)");
  gl07->add_option("--interface", a->header.interface, "Batch-input interface code (default BI)");
  gl07->add_option("--voucher-type", a->header.voucher_type, "Voucher type (default GL)");
  gl07->callback([a, &exit_code] { exit_code = run_export_gl07(*a); });
}

const Registrar registrar("ledger", register_ledger);

}  // namespace
}  // namespace oppgjor::cli::cmd_ledger
