// `oppgjor care-fees …`: nursing-home fees (vederlag/egenandel).
//
//   calc     --input FILE.json [--format json|table]      one yearly fee with its trace
//   bill     --year Y --month M --db F [--district D] [--actor NAME]
//   recalc   --year Y [--district D] --db F --actor NAME [--out-dir DIR]
//   report   RUN_ID --db F [--format table|json|csv|excel] [--out-dir DIR]
//   approve  RUN_ID --actor NAME --db F
//   reject   RUN_ID --actor NAME --reason TEXT --db F
//   status   --db F [--district D]                       residents due for control recalculation
//   check    --db F                                      business rejections in the log
//   resident CUSTOMER_ID --db F [--district D]            stays and charges, each with its
//                                                         district (another district's marked)
//
// A thin shell (docs/SERVICES.md): an acting command (bill, recalc, approve, reject) appends the
// person's command event with its actor, runs the services to a fixed point and prints the
// care_fees service's answer; every decision (maker–checker, "report changed", nothing to
// approve, run status) is the service's (services/care_fees/care_fees_service.h). A reading
// command (report, status, check) brings the service up from its snapshot and reads its state.
// The only clock read is cli/support.h's, for the business time of the command.
//
// Exit codes (command_registry.h): 0 ok (also "already billed/approved": nothing more to do) ·
// 1 operating error · 2 usage (also an --actor that is no user name) · 3 rejected (maker =
// checker, report changed, nothing to approve, unknown run, inputs rejected; the message names
// the code and the field). Lines for finance staff are Norwegian; codes stay as they are.
// Everything printed from the log goes through common::for_display (masked, control characters
// escaped).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "cli/support.h"
#include "common/actor.h"
#include "common/assert.h"
#include "common/mask.h"
#include "events/canonical_json.h"
#include "events/schema_registry.h"
#include "events/sha256.h"
#include "replay/projection.h"
#include "services/care_fees/approval.h"
#include "services/care_fees/billing.h"
#include "services/care_fees/calc_json.h"
#include "services/care_fees/care_fees_service.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/parameters.h"
#include "services/care_fees/recalc.h"
#include "services/care_fees/resident_view.h"

namespace oppgjor::cli::cmd_care_fees {
namespace {

// "oppgjor: <what>: <error>" on stderr, masked and with control characters escaped (the message
// may quote input).
void print_failure(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor: %s: %s\n", common::for_display(what).c_str(),
               common::for_display(e.to_string()).c_str());
}

namespace cf = care_fees;

int rejected(const char* what, const Error& e) {
  return cli::rejected("care-fees", what, e);
}

std::optional<runtime::Answer> submit(ServiceSession& s, const char* what, const std::string& type,
                                      const std::string& payload, const std::string& actor,
                                      const std::optional<std::string>& correlation, int& rc) {
  return cli::submit(s, "care-fees", what, type, payload, actor, correlation, rc);
}

// ---- calc

struct CalcOptions {
  std::string input_path;
  std::string format = "json";
};

int run_calc_command(const CalcOptions& opts) {
  std::string text;
  if (!read_file(opts.input_path, text)) {
    std::fprintf(stderr, "oppgjor care-fees calc: kan ikke lese %s\n",
                 shown(opts.input_path).c_str());
    return exit_operating_error;
  }
  auto store = cf::builtin_parameters();
  if (!store) {
    std::fprintf(stderr, "oppgjor care-fees calc: rule data: %s\n",
                 store.error().to_string().c_str());
    return exit_operating_error;
  }
  const auto format = opts.format == "table" ? cf::OutputFormat::table : cf::OutputFormat::json;
  auto out = cf::run_calc(text, format, *store);
  if (!out) return rejected("calc", out.error());
  print(*out);
  return exit_ok;
}

// ---- shared: the services (cli/service_session.h)

// Opens the log and runs the services to a fixed point first, so a reading command shows what
// the log holds now (catching up from the snapshot, never from sequence 1).
bool open_care_fees(const std::string& db, ServiceSession& s) {
  return open_services(db, ServiceSessionOptions{}, s);
}

const cf::CareFeesService& care_fees_of(const ServiceSession& s) {
  const auto* service = s.runner->service(cf::service_name);
  OPPGJOR_ASSERT(service != nullptr, "the care_fees service is not wired");
  return static_cast<const cf::CareFeesService&>(*service);
}

// ---- bill

struct BillArgs {
  std::string db;
  int year = 0;
  unsigned month = 0;
  std::string district;
  std::string actor;
};

int run_bill(const BillArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  const std::string payload =
      payload_of({{"year", std::to_string(a.year)},
                  {"month", std::to_string(a.month)},
                  {"district", a.district.empty() ? "" : json_string(a.district)}});
  int rc = exit_ok;
  auto answer = submit(s, "bill", "care_fees.billing_requested", payload, a.actor, {}, rc);
  if (!answer) return rc;
  print(answer->completion.note);
  std::printf("appended=%lld\n", static_cast<long long>(count(*answer, "billed")));
  return count(*answer, "rejected") > 0 || count(*answer, "rejections_in_log") > 0 ? exit_rejected
                                                                                   : exit_ok;
}

// ---- recalc and report

bool write_reports(const std::string& dir, const cf::RecalcReport& report) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const cf::ReportFiles f = cf::render_report(report);
  const std::string base = dir + "/kontrollberegning-" + report.run.run_id;
  const bool ok = write_file(base + ".txt", f.table) &&
                  write_file(base + ".xlsx.csv", f.excel_csv) && write_file(base + ".csv", f.csv) &&
                  write_file(base + ".json", f.json);
  if (!ok) {
    std::fprintf(stderr, "oppgjor care-fees: kan ikke skrive rapporten til %s\n",
                 shown(dir).c_str());
  }
  return ok;
}

void print_totals(const cf::RecalcReport& r) {
  const auto& t = r.totals;
  std::printf("run_id=%s\n", r.run.run_id.c_str());
  std::printf("as_of_sequence=%lld year=%d district=%s started_by=%s\n",
              static_cast<long long>(r.run.as_of_sequence), r.run.year,
              r.run.district.empty() ? "*" : shown(r.run.district).c_str(),
              shown(r.run.started_by).c_str());
  std::printf("residents=%d with_correction=%d refunds=%d extra_charges=%d waiting=%d errors=%d\n",
              t.residents, t.with_correction, t.refunds, t.extra_charges, t.waiting, t.errors);
  std::printf("Sum tilbakebetaling: %s kr, sum etterfakturering: %s kr\n",
              common::format_nok(common::Decimal::from_ore(t.refund_ore)).c_str(),
              common::format_nok(common::Decimal::from_ore(t.extra_charge_ore)).c_str());
}

// The run's report as it was when the run was started (care_fees_service.h: report_of_run).
// Prints why not and returns nullopt with `rc` set.
std::optional<cf::RecalcReport> report_of(ServiceSession& s, const std::string& run_id, int& rc) {
  auto report = cf::report_of_run(care_fees_of(s), *s.reader, run_id);
  if (!report) {
    rc = report.error().code == cf::errc::run_unknown ? rejected("report", report.error())
                                                      : exit_operating_error;
    if (rc == exit_operating_error) print_failure("care-fees report", report.error());
    return std::nullopt;
  }
  rc = exit_ok;
  return std::move(*report);
}

struct RecalcArgs {
  std::string db;
  int year = 0;
  std::string district;
  std::string actor;
  std::string out_dir;
};

int run_recalc(const RecalcArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  const std::string payload =
      payload_of({{"year", std::to_string(a.year)},
                  {"district", a.district.empty() ? "" : json_string(a.district)}});
  int rc = exit_ok;
  auto answer = submit(s, "recalc", "care_fees.recalculation_requested", payload, a.actor, {}, rc);
  if (!answer) return rc;
  if (count(*answer, "already_started") > 0) print(answer->completion.note + "\n");
  auto report = report_of(s, answer->completion.refs["run_id"], rc);
  if (!report) return rc;
  print_totals(*report);
  if (!a.out_dir.empty()) return write_reports(a.out_dir, *report) ? exit_ok : exit_operating_error;
  print(cf::report_table(*report));
  return exit_ok;
}

struct ReportArgs {
  std::string db;
  std::string run_id;
  std::string format = "table";
  std::string out_dir;
};

int run_report(const ReportArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  int rc = exit_ok;
  auto report = report_of(s, a.run_id, rc);
  if (!report) return rc;
  if (!a.out_dir.empty()) return write_reports(a.out_dir, *report) ? exit_ok : exit_operating_error;
  print(a.format == "json"    ? cf::report_json(*report)
        : a.format == "csv"   ? cf::report_csv(*report)
        : a.format == "excel" ? cf::report_csv_excel(*report)
                              : cf::report_table(*report));
  return exit_ok;
}

// ---- approve and reject

struct DecideArgs {
  std::string db;
  std::string run_id;
  std::string actor;
  std::string reason;
};

int run_approve(const DecideArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  // The approver approves the report they can see: its hash goes with the command.
  std::string seen;
  if (auto report = cf::report_of_run(care_fees_of(s), *s.reader, a.run_id); report.ok()) {
    seen = json_string(events::sha256_hex(cf::report_json(*report)));
  }
  int rc = exit_ok;
  auto answer = submit(s, "approve", "care_fees.approval_requested",
                       payload_of({{"run_id", json_string(a.run_id)}, {"report_sha256", seen}}),
                       a.actor, a.run_id, rc);
  if (!answer) return rc;
  if (count(*answer, "already_approved") > 0) {
    print(answer->completion.note + "\n");
    std::printf("appended=0\n");
    return exit_ok;
  }
  auto report = report_of(s, a.run_id, rc);
  if (!report) return rc;
  print_totals(*report);
  std::printf("godkjent av %s: %lld korreksjoner, report_sha256=%s\nappended=%lld\n",
              shown(a.actor).c_str(), static_cast<long long>(count(*answer, "corrections")),
              answer->completion.refs["report_sha256"].c_str(),
              static_cast<long long>(count(*answer, "corrections") + 1));
  return exit_ok;
}

int run_reject(const DecideArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer =
      submit(s, "reject", "care_fees.rejection_requested",
             payload_of({{"run_id", json_string(a.run_id)}, {"reason", json_string(a.reason)}}),
             a.actor, a.run_id, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("appended=%lld\n", static_cast<long long>(count(*answer, "rejected")));
  return exit_ok;
}

// ---- status and check

struct StatusArgs {
  std::string db;
  std::string district;
};

int run_status(const StatusArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  const auto& state = care_fees_of(s).state();
  int due = 0;
  std::printf(
      "Til kontrollberegning (endelig skatteoppgjør mottatt, ikke godkjent etteroppgjør):\n");
  for (const auto& [id, r] : state.residents) {
    for (int year : state.due_for_recalculation(r)) {
      // A district sees the residents it was responsible for any day of the year (a move).
      if (!a.district.empty() &&
          !cf::in_run_district(r, cf::RunSpec{"", year, a.district, 0, ""})) {
        continue;
      }
      std::printf("  due_for_recalculation %s %d %s\n", shown(id).c_str(), year,
                  shown(r.district()).c_str());
      ++due;
    }
  }
  std::printf("due=%d\n", due);
  if (due > 0) {
    std::printf(
        "Kontrollberegningen startes av en saksbehandler: oppgjor care-fees recalc --year "
        "ÅR [--district BYDEL] --db FIL --actor NAVN\n");
  }
  for (const auto& [id, run] : state.runs) {
    std::printf("run %s year=%d district=%s status=%s started_by=%s\n", shown(id).c_str(), run.year,
                run.district.empty() ? "*" : shown(run.district).c_str(),
                cf::to_string(run.status).data(), shown(run.started_by).c_str());
  }
  std::printf("rejections=%zu (oppgjor care-fees check)\n", state.all_rejections().size());
  return exit_ok;
}

int run_check(const std::string& db) {
  ServiceSession s;
  if (!open_care_fees(db, s)) return exit_operating_error;
  const auto all = care_fees_of(s).state().all_rejections();
  for (const auto& r : all) {
    const std::string line = (r.customer_id.empty() ? "parameters" : r.customer_id) + " " +
                             r.event_id + " " + r.type + ": " + r.code + " at " + r.field + ": " +
                             r.message + "\n";
    print(line);
  }
  std::printf("rejections=%zu\n", all.size());
  return all.empty() ? exit_ok : exit_rejected;
}

// ---- registration

const std::vector<std::string>& districts() {
  static const std::vector<std::string> d = {
      "bydel_alna",   "bydel_bjerke",        "bydel_frogner",     "bydel_gamle_oslo",
      "bydel_grorud", "bydel_grunerlokka",   "bydel_nordre_aker", "bydel_nordstrand",
      "bydel_sagene", "bydel_st_hanshaugen", "bydel_stovner",     "bydel_sondre_nordstrand",
      "bydel_ullern", "bydel_vestre_aker",   "bydel_ostensjo"};
  return d;
}

void add_district(CLI::App* cmd, std::string& district) {
  cmd->add_option("--district", district, "Only this district (bydel_sagene, ...)")
      ->check(CLI::IsMember(districts()));
}

void add_year(CLI::App* cmd, int& year) {
  cmd->add_option("--year", year, "Fee year")
      ->required()
      ->check(CLI::Range(cf::fee_year_min, cf::fee_year_max));
}

void register_calc(CLI::App* care, int& exit_code) {
  auto opts = std::make_shared<CalcOptions>();
  CLI::App* calc = care->add_subcommand(
      "calc", "Compute the yearly long-term fee for one resident, with its trace");
  calc->add_option("--input", opts->input_path, "JSON file with the year, income and deductions")
      ->required();
  calc->add_option("--format", opts->format, "json (default) or table (Norwegian view)")
      ->check(CLI::IsMember({"json", "table"}));
  calc->callback([opts, &exit_code] { exit_code = run_calc_command(*opts); });
}

void register_bill(CLI::App* care, int& exit_code) {
  auto a = std::make_shared<BillArgs>();
  CLI::App* cmd = care->add_subcommand(
      "bill", "Monthly invoice bases (claim type nursing_home) from stays and provisional income");
  add_db(cmd, a->db);
  add_year(cmd, a->year);
  cmd->add_option("--month", a->month, "Month 1-12")->required()->check(CLI::Range(1, 12));
  add_district(cmd, a->district);
  add_actor(cmd, a->actor, true);
  cmd->callback([a, &exit_code] { exit_code = run_bill(*a); });
}

void register_recalc(CLI::App* care, int& exit_code) {
  auto a = std::make_shared<RecalcArgs>();
  CLI::App* cmd = care->add_subcommand(
      "recalc", "Start a control recalculation (kontrollberegning): a dry run with a report");
  add_db(cmd, a->db);
  add_year(cmd, a->year);
  add_district(cmd, a->district);
  add_actor(cmd, a->actor, true);
  cmd->add_option("--out-dir", a->out_dir,
                  "Write the report as .txt, .xlsx.csv (Excel), .csv and .json here");
  cmd->callback([a, &exit_code] { exit_code = run_recalc(*a); });
}

void register_report(CLI::App* care, int& exit_code) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* cmd = care->add_subcommand(
      "report", "Recompute a run's report from the log up to its as_of_sequence");
  cmd->add_option("run_id", a->run_id, "The run")->required();
  add_db(cmd, a->db);
  cmd->add_option("--format", a->format, "table (default), json, csv or excel")
      ->check(CLI::IsMember({"table", "json", "csv", "excel"}));
  cmd->add_option("--out-dir", a->out_dir, "Write all four files here instead");
  cmd->callback([a, &exit_code] { exit_code = run_report(*a); });
}

void register_decisions(CLI::App* care, int& exit_code) {
  auto a = std::make_shared<DecideArgs>();
  CLI::App* approve = care->add_subcommand(
      "approve", "Approve a run (not its maker): one correction per resident, never an edit");
  approve->add_option("run_id", a->run_id, "The run")->required();
  add_db(approve, a->db);
  add_actor(approve, a->actor, true);
  approve->callback([a, &exit_code] { exit_code = run_approve(*a); });
  auto r = std::make_shared<DecideArgs>();
  CLI::App* reject = care->add_subcommand("reject", "Reject a run with a reason");
  reject->add_option("run_id", r->run_id, "The run")->required();
  add_db(reject, r->db);
  add_actor(reject, r->actor, true);
  reject->add_option("--reason", r->reason, "Why")->required()->check([](const std::string& v) {
    return v.find_first_not_of(" \t") == std::string::npos || v.size() > 1000
               ? std::string("1 to 1000 characters")
               : std::string();
  });
  reject->callback([r, &exit_code] { exit_code = run_reject(*r); });
}

struct ResidentArgs {
  std::string db, customer_id, district;
};

int run_resident(const ResidentArgs& a) {
  ServiceSession s;
  if (!open_care_fees(a.db, s)) return exit_operating_error;
  const cf::ResidentState* r = care_fees_of(s).state().resident(a.customer_id);
  if (r == nullptr) {
    return rejected("resident", make_error(std::string(cf::errc::resident_unknown), "customer_id",
                                           "ingen opphold eller vederlag for " + a.customer_id));
  }
  print(cf::resident_history_no(*r, a.district));
  return exit_ok;
}

void register_resident(CLI::App* care, int& exit_code) {
  auto a = std::make_shared<ResidentArgs>();
  CLI::App* cmd = care->add_subcommand(
      "resident", "A resident's stays and charges, each with its district (bydel)");
  cmd->add_option("customer_id", a->customer_id, "C000456")->required();
  add_db(cmd, a->db);
  add_district(cmd, a->district);
  cmd->callback([a, &exit_code] { exit_code = run_resident(*a); });
}

void register_status(CLI::App* care, int& exit_code) {
  auto a = std::make_shared<StatusArgs>();
  CLI::App* status = care->add_subcommand(
      "status", "Residents due for control recalculation (final income arrived), runs");
  add_db(status, a->db);
  add_district(status, a->district);
  status->callback([a, &exit_code] { exit_code = run_status(*a); });
  auto db = std::make_shared<std::string>();
  CLI::App* check = care->add_subcommand(
      "check", "Business rejections in the care-fees events (exit 3 when there are any)");
  add_db(check, *db);
  check->callback([db, &exit_code] { exit_code = run_check(*db); });
}

void register_care_fees(CLI::App& app, int& exit_code) {
  CLI::App* care = app.add_subcommand("care-fees", "Nursing-home fees (vederlag/egenandel)");
  care->require_subcommand(1);
  register_calc(care, exit_code);
  register_bill(care, exit_code);
  register_resident(care, exit_code);
  register_recalc(care, exit_code);
  register_report(care, exit_code);
  register_decisions(care, exit_code);
  register_status(care, exit_code);
}

const Registrar registrar("care-fees", register_care_fees);

}  // namespace
}  // namespace oppgjor::cli::cmd_care_fees
