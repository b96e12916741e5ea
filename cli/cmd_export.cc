// `oppgjor export saf-t --db F --from DATE --to DATE [--out FILE]`: the ledger for a period as a
// SAF-T Financial 1.30 audit file (services/ledger/saft_export.h, formats/saft/README.md). Reads
// only: brings the services up to the head of the log, asks the ledger service's state for the
// file, writes it. AuditFileDateCreated is today's local date (the process edge's clock).
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "cli/support.h"
#include "common/assert.h"
#include "common/date.h"
#include "formats/saft/writer.h"
#include "services/invoicing/invoicing_service.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/saft_export.h"

namespace oppgjor::cli::cmd_export {
namespace {

struct SaftArgs {
  std::string db;
  std::string from;
  std::string to;
  std::string out;
};

int run_export_saft(const SaftArgs& a) {
  auto from = common::Date::parse(a.from, "--from");
  auto to = common::Date::parse(a.to, "--to");
  if (!from || !to || *to < *from) {
    std::fprintf(stderr,
                 "oppgjor export saf-t: --from and --to must be dates YYYY-MM-DD, "
                 "--to not before --from\n");
    return exit_usage;
  }
  auto created = common::Date::parse(today(), "today");
  OPPGJOR_ASSERT(created.ok(), "today() is a date");
  ServiceSession s;
  if (!open_for_reading(a.db, s, {ledger::service_name, invoicing::service_name})) {
    return exit_operating_error;
  }
  auto entry_dates = ledger::saft_entry_dates(*s.reader, s.head);
  if (!entry_dates) {
    print_error("export saf-t", entry_dates.error());
    return exit_operating_error;
  }
  const auto& ledger_state = service_of<ledger::LedgerService>(s, ledger::service_name).state();
  const auto& invoicing_state =
      service_of<invoicing::InvoicingService>(s, invoicing::service_name).state();
  const ledger::SaftInputs inputs{&ledger_state, &invoicing_state.customers(),
                                  &ledger::SaftRules::builtin(), &*entry_dates};
  ledger::SaftHeader header;
  header.date_created = *created;
  header.software_version = oppgjor_version;
  auto file = ledger::saft_audit_file(inputs, *from, *to, header);
  if (!file) return rejected("export", "saf-t", file.error());
  auto xml = formats::saft::write_audit_file(*file);
  if (!xml) return rejected("export", "saf-t", xml.error());
  if (a.out.empty()) {
    std::fwrite(xml->data(), 1, xml->size(), stdout);
    return exit_ok;
  }
  if (!write_file(a.out, *xml)) {
    std::fprintf(stderr, "oppgjor export saf-t: kan ikke skrive %s\n", shown(a.out).c_str());
    return exit_operating_error;
  }
  std::printf("transactions=%zu accounts=%zu customers=%zu wrote %s\n",
              file->journals.front().transactions.size(), file->accounts.size(),
              file->customers.size(), shown(a.out).c_str());
  return exit_ok;
}

void register_export(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("export", "Exports for auditors and the tax authority");
  group->require_subcommand(1);
  auto a = std::make_shared<SaftArgs>();
  CLI::App* saft = group->add_subcommand(
      "saf-t", "The ledger for a period as a SAF-T Financial 1.30 audit file (Skatteetaten)");
  add_db(saft, a->db);
  saft->add_option("--from", a->from, "First day of the period, YYYY-MM-DD")->required();
  saft->add_option("--to", a->to, "Last day of the period, YYYY-MM-DD (inclusive)")->required();
  saft->add_option("--out", a->out, "Write the XML here (default: standard output)");
  saft->callback([a, &exit_code] { exit_code = run_export_saft(*a); });
}

const Registrar registrar("export", register_export);

}  // namespace
}  // namespace oppgjor::cli::cmd_export
