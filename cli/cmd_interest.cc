// `oppgjor interest`: late-payment interest on a principal for finance staff
// (services/collection/interest.h computes; this file parses and prints).
//
//   oppgjor interest --principal 10000.00 --due 2023-12-20 --paid 2024-01-10
//       prints one line of canonical JSON (keys in byte order): due, interest_nok ("69.56"),
//       method, paid, periods (each amount_nok, days, from, half_year, rate_pct ("11.75"),
//       source, to, uncertain, year_days), principal_nok, rule_version, uncertain, warnings (one
//       line per period whose rate is not confirmed from the regulation itself); exit 0.
//       Paid on or before the due date: interest_nok "0.00", no periods.
//   A half-year without a rate: exit 3, stdout {"error":{"code":"rate_missing","field":…,
//   "message":"late-payment interest rate missing for 2026 H2 …"}}, the same on stderr as
//   "oppgjor interest: avvist (rate_missing, …): …".
//   Bad input (a principal that is not a decimal with at most two decimals, negative, or above
//   10 000 000 000 000 kr; a date that is not YYYY-MM-DD): exit 2 naming the option.
// The rates are the compiled-in rule data (services/collection/rules/collection_rates.json).
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "common/date.h"
#include "common/money.h"
#include "events/canonical_json.h"
#include "services/collection/interest.h"

namespace oppgjor::cli::cmd_interest {
namespace {

namespace col = collection;

struct InterestArgs {
  std::string principal;
  std::string due;
  std::string paid;
};

common::Date date_option(const std::string& option, const std::string& text) {
  auto parsed = common::Date::parse(text, option);
  if (!parsed) throw CLI::ValidationError(option, "not a date YYYY-MM-DD: " + shown(text));
  return *parsed;
}

std::int64_t principal_option(const std::string& text) {
  auto ore = common::parse_ore(text, "--principal");
  if (!ore) {
    throw CLI::ValidationError("--principal",
                               "not an amount in kroner with at most two decimals: " + shown(text));
  }
  if (*ore < 0) throw CLI::ValidationError("--principal", "negative: " + shown(text));
  if (*ore > col::interest_principal_max_ore) {
    throw CLI::ValidationError(
        "--principal",
        "above " + common::ore_to_string(col::interest_principal_max_ore) + " kr: " + shown(text));
  }
  return *ore;
}

std::string interest_json(const col::LateInterest& r) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("due", r.due.to_iso());
  w.field("interest_nok", common::ore_to_string(r.interest_ore));
  w.field("method", r.method);
  w.field("paid", r.paid.to_iso());
  w.key("periods");
  w.begin_array();
  for (const col::InterestPeriod& p : r.periods) {
    w.begin_object();
    w.field("amount_nok", common::ore_to_string(p.amount_ore));
    w.field_int("days", p.days);
    w.field("from", p.from.to_iso());
    w.field("half_year", p.half_year.label());
    w.field("rate_pct", col::decimal_text_2(p.rate_pct));
    w.field("source", p.source);
    w.field("to", p.to.to_iso());
    w.key("uncertain");
    w.bool_value(p.uncertain);
    w.field_int("year_days", p.year_days);
    w.end_object();
  }
  w.end_array();
  w.field("principal_nok", common::ore_to_string(r.principal_ore));
  w.field("rule_version", col::builtin_rates().rule_version());
  w.key("uncertain");
  w.bool_value(r.uncertain);
  w.key("warnings");
  w.begin_array();
  for (const std::string& line : r.warnings) w.string_value(line);
  w.end_array();
  w.end_object();
  return out;
}

std::string error_json(const Error& e) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.key("error");
  w.begin_object();
  w.field("code", e.code);
  w.field("field", e.field);
  w.field("message", e.message);
  w.end_object();
  w.end_object();
  return out;
}

int run_interest(const InterestArgs& args) {
  const std::int64_t principal = principal_option(args.principal);
  const common::Date due = date_option("--due", args.due);
  const common::Date paid = date_option("--paid", args.paid);
  auto r = col::compute_late_interest(principal, due, paid, col::builtin_rates());
  if (!r) {
    if (r.error().field == "principal") {
      throw CLI::ValidationError("--principal", r.error().message);
    }
    std::printf("%s\n", error_json(r.error()).c_str());
    std::fflush(stdout);
    const Error& e = r.error();
    std::fprintf(stderr, "oppgjor interest: avvist (%s, %s): %s\n", e.code.c_str(), e.field.c_str(),
                 shown(e.message).c_str());
    return exit_rejected;
  }
  std::printf("%s\n", interest_json(*r).c_str());
  return exit_ok;
}

void register_interest(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<InterestArgs>();
  auto* cmd = app.add_subcommand(
      "interest",
      "Late-payment interest (forsinkelsesrente) on a principal, split at 1 January and 1 July");
  cmd->add_option("--principal", args->principal, "The principal in kroner, e.g. 10000.00")
      ->required();
  cmd->add_option("--due", args->due, "The due date, YYYY-MM-DD")->required();
  cmd->add_option("--paid", args->paid, "The payment date, YYYY-MM-DD (inclusive)")->required();
  cmd->callback([args, &exit_code] { exit_code = run_interest(*args); });
}

const Registrar interest_registrar{"interest", register_interest};

}  // namespace
}  // namespace oppgjor::cli::cmd_interest
