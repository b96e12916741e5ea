// `oppgjor import basis FILE.csv --source NAME --db F`: invoice bases from a batch file
// (services/invoicing/basis_csv.h, docs/INVOICING.md "Batch file"). Each bad line goes to the
// dead-letter store with its line number, field and bytes (and the other lines of its basis with
// it); the good bases are appended and the services run. Exit 0 when every line was taken, 3 when
// some were refused, 1 on an operating error.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "cli/support.h"
#include "common/mask.h"
#include "events/dead_letter.h"
#include "services/invoicing/basis_csv.h"

namespace oppgjor::cli::cmd_import {
namespace {

struct ImportBasisArgs {
  std::string file;
  std::string source;
  std::string db;
};

int run_import_basis(const ImportBasisArgs& a) {
  std::string bytes;
  if (!read_file(a.file, bytes)) {
    std::fprintf(stderr, "oppgjor import basis: kan ikke lese %s\n", shown(a.file).c_str());
    return exit_operating_error;
  }
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  auto parsed =
      invoicing::basis_csv_events(bytes, a.source, *s.registry, invoicing::BillingRules::builtin());
  if (!parsed) return rejected("import", "basis", parsed.error());
  for (const auto& r : parsed->refused) {
    events::DeadLetter letter;
    letter.source = "file";
    letter.source_ref = a.file + ":" + std::to_string(r.line);
    letter.reason = r.code == "schema_violation" ? std::string(events::reason::schema_violation)
                                                 : std::string(events::reason::file_invalid);
    letter.field = r.field;
    letter.message = r.code + ": " + r.message;
    letter.original = r.original;
    if (!record_dead_letter(s, letter)) return exit_operating_error;
    std::fprintf(stderr, "oppgjor import basis: linje %lld (%s): %s: %s\n",
                 static_cast<long long>(r.line), r.field.c_str(), r.code.c_str(),
                 common::for_display(r.message).c_str());
  }
  std::size_t appended = 0;
  std::size_t duplicates = 0;
  if (!parsed->events.empty()) {
    auto result = submit_proposed(s, std::move(parsed->events));
    if (!result) return exit_operating_error;
    appended = result->appended;
    duplicates = result->duplicates;
  }
  std::printf("lines=%lld bases=%lld appended=%zu duplicates=%zu refused_lines=%zu\n",
              static_cast<long long>(parsed->lines), static_cast<long long>(parsed->bases),
              appended, duplicates, parsed->refused.size());
  return parsed->refused.empty() ? exit_ok : exit_rejected;
}

void register_import(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("import", "Batch files from upstream systems");
  group->require_subcommand(1);
  auto a = std::make_shared<ImportBasisArgs>();
  CLI::App* basis = group->add_subcommand(
      "basis", "Invoice bases from a CSV file (one line per basis line; docs/INVOICING.md)");
  basis->add_option("file", a->file, "The CSV file")->required();
  basis->add_option("--source", a->source, "The source system (also the issuer code)")
      ->required()
      ->check([](const std::string& v) {
        return v.empty() || v.size() > 64 ? std::string("1 to 64 characters") : std::string();
      });
  add_db(basis, a->db);
  basis->callback([a, &exit_code] { exit_code = run_import_basis(*a); });
}

const Registrar registrar("import", register_import);

}  // namespace
}  // namespace oppgjor::cli::cmd_import
