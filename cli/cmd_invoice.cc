// `oppgjor invoice …`: invoicing (docs/CLI.md, docs/INVOICING.md).
//
//   run   --period YYYY-MM --db F --actor NAME [--claim-type T]... [--issue-date D]
//         [--partitions N] [--dry-run]
//   list  --db F [--customer C] [--format json|table|csv]
//   export-ehf INVOICE_NO --db F [--out FILE]   (services/invoicing/ehf_export.h)
//
// A thin shell: `run` appends the person's command (invoicing.run_requested) and prints the
// invoicing service's answer; --dry-run asks the service what the run would issue and appends
// nothing. Exit codes: 0 ok · 1 operating error · 2 usage · 3 refused.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <simdjson.h>
#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "cli/support.h"
#include "common/assert.h"
#include "common/ore_format.h"
#include "services/invoicing/billing_rules.h"
#include "services/invoicing/ehf_export.h"
#include "services/invoicing/invoicing_service.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/reports.h"

namespace oppgjor::cli::cmd_invoice {
namespace {

const invoicing::InvoicingService& invoicing_of(const ServiceSession& s) {
  return service_of<invoicing::InvoicingService>(s, invoicing::service_name);
}

const ledger::LedgerService& ledger_of(const ServiceSession& s) {
  return service_of<ledger::LedgerService>(s, ledger::service_name);
}

struct RunArgs {
  std::string db;
  std::string period;
  std::vector<std::string> claim_types;
  std::string issue_date;
  std::string actor;
  int partitions = 0;
  bool dry_run = false;
};

void print_plan(const invoicing::RunPlan& plan) {
  for (const auto& d : plan.documents) {
    std::printf("%s %s %s %s kid=%s forfall=%s %s\n", d.invoice_number.c_str(),
                std::string(invoicing::document_kind_name(d.kind)).c_str(), d.customer_id.c_str(),
                d.claim_type.c_str(), d.kid.c_str(), d.due_date.to_iso().c_str(),
                common::ore_format::norwegian(d.total_ore).c_str());
  }
  for (const auto& n : plan.notes) print(n + "\n");
  std::printf(
      "invoices=%lld credit_notes=%lld customers=%lld invoiced_ore=%lld credited_ore=%lld\n",
      static_cast<long long>(plan.invoices), static_cast<long long>(plan.credit_notes),
      static_cast<long long>(plan.customers), static_cast<long long>(plan.invoiced_ore),
      static_cast<long long>(plan.credited_ore));
}

int run_invoice_run(const RunArgs& a) {
  std::string types;
  if (!a.claim_types.empty()) {
    types = "[";
    for (std::size_t i = 0; i < a.claim_types.size(); ++i) {
      if (i > 0) types += ',';
      types += json_string(a.claim_types[i]);
    }
    types += "]";
  }
  const std::string payload =
      payload_of({{"period", json_string(a.period)},
                  {"issue_date", json_string(a.issue_date.empty() ? today() : a.issue_date)},
                  {"claim_types", types},
                  {"partitions", a.partitions > 0 ? std::to_string(a.partitions) : ""}});
  ServiceSessionOptions options;
  options.read_only = a.dry_run;
  ServiceSession s;
  if (!open_services(a.db, options, s)) return exit_operating_error;
  if (a.dry_run) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(payload).get(doc) != simdjson::SUCCESS) return exit_operating_error;
    auto plan = invoicing::preview_run(invoicing_of(s), doc, "dry-run");
    if (!plan) return rejected("invoice", "run", plan.error());
    std::printf("dry run: nothing appended\n");
    print_plan(*plan);
    return exit_ok;
  }
  int rc = exit_ok;
  auto answer = submit(s, "invoice", "run", std::string(invoicing::run_requested_type), payload,
                       a.actor, {}, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf(
      "invoices=%lld credit_notes=%lld customers=%lld invoiced_ore=%lld credited_ore=%lld\n",
      static_cast<long long>(count(*answer, "invoices")),
      static_cast<long long>(count(*answer, "credit_notes")),
      static_cast<long long>(count(*answer, "customers")),
      static_cast<long long>(amount(*answer, "invoiced_ore")),
      static_cast<long long>(amount(*answer, "credited_ore")));
  return exit_ok;
}

struct ListArgs {
  std::string db;
  std::string customer;
  std::string format = "table";
};

int run_invoice_list(const ListArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {invoicing::service_name, ledger::service_name})) {
    return exit_operating_error;
  }
  const auto table =
      ledger::invoice_table(invoicing_of(s).state(), ledger_of(s).state(), a.customer);
  print(ledger::render(table, *ledger::parse_format(a.format)));
  return exit_ok;
}

struct ExportArgs {
  std::string invoice;
  std::string db;
  std::string out;
};

int run_export_ehf(const ExportArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {invoicing::service_name})) return exit_operating_error;
  auto xml = invoicing::ehf_xml(invoicing_of(s).state(), a.invoice);
  if (!xml) return rejected("invoice", "export-ehf", xml.error());
  if (a.out.empty()) {
    std::fwrite(xml->data(), 1, xml->size(), stdout);
    return exit_ok;
  }
  if (!write_file(a.out, *xml)) {
    std::fprintf(stderr, "oppgjor invoice export-ehf: kan ikke skrive %s\n", shown(a.out).c_str());
    return exit_operating_error;
  }
  std::printf("wrote %s\n", shown(a.out).c_str());
  return exit_ok;
}

void register_invoice(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("invoice", "Invoicing: runs, invoices, e-invoices");
  group->require_subcommand(1);

  auto r = std::make_shared<RunArgs>();
  CLI::App* run = group->add_subcommand(
      "run", "Invoice the open bases of a period (recorded with its actor; again: nothing new)");
  add_db(run, r->db);
  run->add_option("--period", r->period, "Billing period YYYY-MM")
      ->required()
      ->check([](const std::string& v) {
        return v.size() == 7 && v[4] == '-' ? std::string() : std::string("YYYY-MM");
      });
  run->add_option("--claim-type", r->claim_types, "Only this claim type (repeatable)")
      ->check(CLI::IsMember(invoicing::claim_type_names()));
  run->add_option("--issue-date", r->issue_date, "Issue date (default: today)");
  run->add_option("--partitions", r->partitions,
                  "Invoice-number series = partitions (the Kafka topic's count; default 1)")
      ->check(CLI::Range(1, 1024));
  run->add_flag("--dry-run", r->dry_run, "Show what the run would issue; append nothing");
  add_actor(run, r->actor, true);
  run->callback([r, &exit_code] { exit_code = run_invoice_run(*r); });

  auto l = std::make_shared<ListArgs>();
  CLI::App* list = group->add_subcommand("list", "Invoices and credit notes with what is open");
  add_db(list, l->db);
  list->add_option("--customer", l->customer, "Only this customer");
  list->add_option("--format", l->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  list->callback([l, &exit_code] { exit_code = run_invoice_list(*l); });

  auto x = std::make_shared<ExportArgs>();
  CLI::App* ehf = group->add_subcommand(
      "export-ehf",
      "EHF / PEPPOL BIS Billing 3.0 UBL for an organisation's invoice or credit note");
  ehf->add_option("invoice_number", x->invoice, "The invoice or credit note")->required();
  add_db(ehf, x->db);
  ehf->add_option("--out", x->out, "Write the XML here (default: standard output)");
  ehf->callback([x, &exit_code] { exit_code = run_export_ehf(*x); });
}

const Registrar registrar("invoice", register_invoice);

}  // namespace
}  // namespace oppgjor::cli::cmd_invoice
