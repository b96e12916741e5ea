// `oppgjor id check` and `oppgjor kid make|check`: identifier checks for finance staff and
// scripts (common/identifiers.h holds the rules).
//
//   oppgjor id check [--kind any|national_id|organisation_number|account_number]
//                    [--today YYYY-MM-DD] NUMBER
//       prints {"kind":"…","reason":"…","valid":true|false} (sorted keys, one line);
//       exit 0 valid, 5 invalid. "today" (for the future-birth-date rule) is the system's local
//       date unless --today is given: the CLI is the process edge, where the clock may be read.
//   oppgjor kid make --scheme mod10|mod11 BODY
//       prints the KID; exit 0. A body that is not 1–24 digits is invalid data, not a usage
//       error: the error code and message go to stderr and the exit code is 5. A missing or
//       unknown --scheme is a usage error (CLI11 parse error, exit 2 from main.cc).
//   oppgjor kid check --scheme mod10|mod11 KID
//       prints {"kind":"kid_mod10","reason":"…","valid":…}; exit 0 valid, 5 invalid.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "common/assert.h"
#include "common/date.h"
#include "common/identifiers.h"
#include "common/logging.h"

namespace oppgjor::cli::cmd_id {
namespace {

using common::IdentifierCheck;

// The system's local calendar date (TZ, normally Europe/Oslo on our hosts).
common::Date local_today() {
  auto d = common::Date::parse(today());
  OPPGJOR_ASSERT(d.ok(), "the local date is a date");
  return *d;
}

void print_check(const IdentifierCheck& check) {
  std::printf("{\"kind\":\"%s\",\"reason\":\"%s\",\"valid\":%s}\n",
              common::json_escape(check.kind).c_str(), common::json_escape(check.reason).c_str(),
              check.valid ? "true" : "false");
}

int exit_for(const IdentifierCheck& check) {
  return check.valid ? exit_ok : exit_invalid;
}

struct IdCheckArgs {
  std::string number;
  std::string kind = "any";
  std::string today_iso;
};

IdentifierCheck run_id_check(const IdCheckArgs& args, common::Date today) {
  if (args.kind == "national_id") return common::check_national_id(args.number, today);
  if (args.kind == "organisation_number") return common::check_organisation_number(args.number);
  if (args.kind == "account_number") return common::check_account_number(args.number);
  return common::check_identifier(args.number, today);
}

void register_id(CLI::App& app, int& exit_code) {
  auto* id = app.add_subcommand("id", "Check Norwegian identifiers");
  id->require_subcommand(1);
  auto args = std::make_shared<IdCheckArgs>();
  auto* check = id->add_subcommand(
      "check", "Check a fødselsnummer/D/H/FH-number, organisasjonsnummer or kontonummer");
  check->add_option("NUMBER", args->number, "The number (spaces and dots allowed)")->required();
  check->add_option("--kind", args->kind, "any (default), or the kind to check as")
      ->check(CLI::IsMember({"any", "national_id", "organisation_number", "account_number"}));
  check->add_option("--today", args->today_iso, "Date for the future-birth-date rule (ISO)");
  check->callback([args, &exit_code] {
    common::Date today = local_today();
    if (!args->today_iso.empty()) {
      auto parsed = common::Date::parse(args->today_iso, "--today");
      if (!parsed.ok()) throw CLI::ValidationError("--today", parsed.error().to_string());
      today = *parsed;
    }
    const IdentifierCheck result = run_id_check(*args, today);
    print_check(result);
    exit_code = exit_for(result);
  });
}

struct KidArgs {
  std::string scheme;
  std::string value;  // BODY for make, KID for check
};

common::KidScheme scheme_of(const KidArgs& args) {
  return *common::parse_kid_scheme(args.scheme);  // validated by CLI::IsMember
}

CLI::App* add_kid_subcommand(CLI::App& kid, const std::string& name, const std::string& help,
                             const std::string& positional, KidArgs& args) {
  auto* sub = kid.add_subcommand(name, help);
  sub->add_option("--scheme", args.scheme, "mod10 or mod11")
      ->required()
      ->check(CLI::IsMember({"mod10", "mod11"}));
  sub->add_option(positional, args.value, positional == "BODY" ? "1–24 digits" : "The KID")
      ->required();
  return sub;
}

void register_kid(CLI::App& app, int& exit_code) {
  auto* kid = app.add_subcommand("kid", "Make and check KID payment references");
  kid->require_subcommand(1);
  auto make_args = std::make_shared<KidArgs>();
  auto check_args = std::make_shared<KidArgs>();
  add_kid_subcommand(*kid, "make", "Append the check digit to a KID body", "BODY", *make_args)
      ->callback([make_args, &exit_code] {
        const auto made = common::kid_make(scheme_of(*make_args), make_args->value);
        if (!made.ok()) {
          std::fprintf(stderr, "oppgjor: %s\n", made.error().to_string().c_str());
          exit_code = exit_invalid;
          return;
        }
        std::printf("%s\n", made->c_str());
        exit_code = exit_ok;
      });
  add_kid_subcommand(*kid, "check", "Check a KID's check digit", "KID", *check_args)
      ->callback([check_args, &exit_code] {
        const IdentifierCheck result = common::check_kid(scheme_of(*check_args), check_args->value);
        print_check(result);
        exit_code = exit_for(result);
      });
}

const Registrar id_registrar{"id", register_id};
const Registrar kid_registrar{"kid", register_kid};

}  // namespace
}  // namespace oppgjor::cli::cmd_id
