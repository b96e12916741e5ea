// `oppgjor rules …`: rule parameters that staff set (issue 10, item 10).
//
//   set   --parameter P --value V --from DATE [--to DATE] [--scope S] [--replace]
//         --source TEXT --actor NAME --db F        records one rules.parameter_set
//   list  [--parameter P] [--at DATE] --db F       the values in force, with their source and
//                                                  who set them ("satt av NAME", or "regeldata"
//                                                  for the shipped rule data)
//
// A thin shell: the validation (known parameter, sensible range, no overlap without --replace)
// and the event are services/care_fees/rules_admin.h's; this file parses, appends and prints.
// Exit codes: 0 ok (also "already recorded") · 1 operating error · 2 usage · 3 rejected (the
// message names the code and the field).
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "cli/support.h"
#include "common/assert.h"
#include "services/care_fees/care_fees_service.h"
#include "services/care_fees/rules_admin.h"

namespace oppgjor::cli::cmd_rules {
namespace {

namespace cf = care_fees;

const cf::CareFeesService& care_fees_service(const ServiceSession& s) {
  const auto* service = s.runner->service(cf::service_name);
  OPPGJOR_ASSERT(service != nullptr, "the care_fees service is not wired");
  return static_cast<const cf::CareFeesService&>(*service);
}

struct SetArgs {
  std::string db, parameter, value, from, to, scope, source, actor;
  bool replace = false;
};

int run_set(const SetArgs& a) {
  auto from = common::Date::parse(a.from, "from");
  if (!from) return rejected("rules", "set", from.error());
  cf::ParameterSetRequest r{a.parameter, a.value,  *from,   std::nullopt,
                            a.scope,     a.source, a.actor, a.replace};
  if (!a.to.empty()) {
    auto to = common::Date::parse(a.to, "to");
    if (!to) return rejected("rules", "set", to.error());
    r.to = *to;
  }
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  auto event = cf::plan_parameter_set(care_fees_service(s).state().parameters, r);
  if (!event) return rejected("rules", "set", event.error());
  auto result = submit_events(s, {*event});
  if (!result) return exit_operating_error;
  std::printf("%s %s = %s fra %s: %s\nappended=%zu\n", shown(a.parameter).c_str(),
              shown(a.scope).c_str(), shown(a.value).c_str(), from->to_iso().c_str(),
              result->appended > 0 ? "registrert" : "allerede registrert", result->appended);
  return exit_ok;
}

struct ListArgs {
  std::string db, parameter, at;
};

int run_list(const ListArgs& a) {
  common::Date at = common::Date::ymd(2000, 1, 1);  // replaced below
  if (!a.at.empty()) {
    auto parsed = common::Date::parse(a.at, "at");
    if (!parsed) return rejected("rules", "list", parsed.error());
    at = *parsed;
  } else {
    auto today = common::Date::parse(system_clock().now_utc().substr(0, 10));
    if (today) at = *today;
  }
  ServiceSession s;
  if (!open_for_reading(a.db, s, {cf::service_name})) return exit_operating_error;
  for (const auto& row :
       cf::parameters_in_force(care_fees_service(s).state().parameters, a.parameter, at)) {
    const auto& v = row.value;
    print(row.parameter + " = " + v.value.to_string() + " fra " + v.effective_from.to_iso() +
          (v.effective_to ? " til " + v.effective_to->to_iso() : "") + " (" + v.rule_version +
          "; " + v.source + (v.example ? "; eksempeldata" : "") + (v.uncertain ? "; usikker" : "") +
          "; " + (v.set_by.empty() ? "regeldata" : "satt av " + v.set_by) + ")\n");
  }
  return exit_ok;
}

void register_rules(CLI::App& app, int& exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "Rule parameters (care fees): set and list");
  rules->require_subcommand(1);
  auto s = std::make_shared<SetArgs>();
  CLI::App* set = rules->add_subcommand("set", "Record a parameter value from a date");
  set->add_option("--parameter", s->parameter, "care_fees.fribelop_nok, …")->required();
  set->add_option("--value", s->value, "decimal, e.g. 10900")->required();
  set->add_option("--from", s->from, "first day, YYYY-MM-DD")->required();
  set->add_option("--to", s->to, "last day (inclusive), YYYY-MM-DD");
  set->add_option("--scope", s->scope, "institution_type=TYPE or institution_id=ID");
  set->add_option("--source", s->source, "the legal or official source")->required();
  set->add_flag("--replace", s->replace, "supersede a value already in force");
  add_db(set, s->db);
  add_actor(set, s->actor, true);
  set->callback([s, &exit_code] { exit_code = run_set(*s); });
  auto l = std::make_shared<ListArgs>();
  CLI::App* list = rules->add_subcommand("list", "The values in force on a date");
  list->add_option("--parameter", l->parameter, "a name or its prefix");
  list->add_option("--at", l->at, "YYYY-MM-DD (default today)");
  add_db(list, l->db);
  list->callback([l, &exit_code] { exit_code = run_list(*l); });
}

const Registrar registrar("rules", register_rules);

}  // namespace
}  // namespace oppgjor::cli::cmd_rules
