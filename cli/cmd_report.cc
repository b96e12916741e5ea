// `oppgjor report statement|open-items|aged|trial-balance|collection-rate|collection --db F --as-of
// DATE
// [--claim-type T] [--customer C] [--format table|csv|json]` (docs/CLI.md): the ledger's reports
// (services/ledger/reports.h) and the collection report (services/collection/collection_report.h),
// as of a date. Reading only: the services are brought up to the
// head of the log from their snapshots.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "common/assert.h"
#include "common/date.h"
#include "services/collection/collection_report.h"
#include "services/collection/collection_service.h"
#include "services/invoicing/billing_rules.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/reports.h"

namespace oppgjor::cli::cmd_report {
namespace {

struct ReportArgs {
  std::string kind;
  std::string db;
  std::string as_of;
  std::string claim_type;
  std::string customer;
  std::string format = "table";
};

int run_report_command(const ReportArgs& a) {
  auto as_of = common::Date::parse(a.as_of, "--as-of");
  if (!as_of) return rejected("report", a.kind.c_str(), as_of.error());
  if (a.kind == "statement" && a.customer.empty()) {
    return rejected("report", "statement",
                    make_error("field_missing", "--customer", "kontoutskrift krever --customer"));
  }
  ServiceSession s;
  // Only the states the report reads: the ledger's, and collection's for its own report.
  std::vector<std::string_view> reads{ledger::service_name};
  if (a.kind == "collection") reads.push_back(collection::service_name);
  if (!open_for_reading(a.db, s, reads)) return exit_operating_error;
  const auto& state = service_of<ledger::LedgerService>(s, ledger::service_name).state();
  ledger::Table table;
  if (a.kind == "open-items") {
    table = ledger::to_table(ledger::open_items(state, *as_of, a.claim_type, a.customer));
  } else if (a.kind == "trial-balance") {
    table = ledger::to_table(ledger::trial_balance(state, *as_of));
  } else if (a.kind == "aged") {
    table = ledger::to_table(ledger::aged(state, *as_of, a.claim_type));
  } else if (a.kind == "statement") {
    table = ledger::to_table(ledger::statement(state, a.customer, *as_of));
  } else if (a.kind == "collection") {
    const auto& collection =
        service_of<collection::CollectionService>(s, collection::service_name).state();
    table = collection::collection_report(collection, *as_of, a.claim_type);
  } else {
    table = ledger::to_table(ledger::collection_rate(state, *as_of, a.claim_type));
  }
  print(ledger::render(table, *ledger::parse_format(a.format)));
  return exit_ok;
}

void register_report(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("report", "The ledger's reports, as of a date");
  group->require_subcommand(1);
  for (const char* kind :
       {"statement", "open-items", "aged", "trial-balance", "collection-rate", "collection"}) {
    auto a = std::make_shared<ReportArgs>();
    a->kind = kind;
    const std::string about =
        std::string(kind) == "statement"    ? "A customer's account statement (--customer)"
        : std::string(kind) == "open-items" ? "Open items per customer and invoice; credit balances"
        : std::string(kind) == "aged"       ? "Aged receivables: 0-30, 31-60, 61-90, 90+ days"
        : std::string(kind) == "trial-balance" ? "Debits and credits per account"
        : std::string(kind) == "collection"
            ? "Dunning: claims, fees, interest and løsningsgrad per step, hand-overs"
            : "Løsningsgrad per claim type and due month";
    CLI::App* cmd = group->add_subcommand(kind, about);
    add_db(cmd, a->db);
    cmd->add_option("--as-of", a->as_of, "Date (YYYY-MM-DD): what was booked on or before it")
        ->required();
    cmd->add_option("--claim-type", a->claim_type, "Only this claim type")
        ->check(CLI::IsMember(invoicing::claim_type_names()));
    cmd->add_option("--customer", a->customer, "Only this customer");
    cmd->add_option("--format", a->format, "table (default), csv (Excel) or json")
        ->check(CLI::IsMember({"table", "csv", "json"}));
    cmd->callback([a, &exit_code] { exit_code = run_report_command(*a); });
  }
}

const Registrar registrar("report", register_report);

}  // namespace
}  // namespace oppgjor::cli::cmd_report
