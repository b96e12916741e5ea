// `oppgjor care-fees …`: fee decisions (vedtak) and appeals (klage), docs/care-fees.md section 11.
//
//   letter             DECISION_ID --db F [--format text|json]    the decision letter (Norwegian)
//   decision-delivered DECISION_ID --on DATE --actor N --db F     when it reached the resident
//   appeal             DECISION_ID --received DATE --reason TEXT --actor N --db F [--amount KR]
//   decide-appeal      APPEAL_ID --outcome upheld|changed|dismissed --reason TEXT --actor N --db F
//                      [--monthly-amount KR] [--on DATE]
//
// A thin shell: the acting commands append the person's command (care_fees.*_requested, with
// --actor) and print the care_fees service's answer; every decision (unknown decision, an appeal
// already open, a late appeal, maker = checker) is the service's (services/care_fees/decisions.h).
// `letter` brings the services up and renders the letter from the state
// (services/care_fees/letter.h). Exit codes: 0 ok · 1 operating error · 2 usage (a bad date or
// amount, naming the option) · 3 refused or unknown decision (code and field printed).
// Registered after "care-fees" (registrations run sorted by name) as its subcommands.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "common/date.h"
#include "common/money.h"
#include "services/care_fees/care_fees_service.h"
#include "services/care_fees/decisions.h"
#include "services/care_fees/letter.h"

namespace oppgjor::cli::cmd_care_fees_decisions {
namespace {

namespace cf = care_fees;

// Usage errors name the option; exit 2.
int usage(const std::string& what, const std::string& message) {
  std::fprintf(stderr, "oppgjor care-fees %s: %s\n", what.c_str(), message.c_str());
  return exit_usage;
}

bool valid_date(const std::string& text) {
  return common::Date::parse(text).ok();
}

bool valid_amount(const std::string& text) {
  auto ore = common::parse_ore(text);
  return ore.ok() && *ore >= 0;
}

std::optional<runtime::Answer> submit_cf(ServiceSession& s, const char* what, std::string_view type,
                                         const std::string& payload, const std::string& actor,
                                         int& rc) {
  return submit(s, "care-fees", what, std::string(type), payload, actor, {}, rc);
}

// ---- letter

struct LetterArgs {
  std::string db;
  std::string decision_id;
  std::string format = "text";
};

int run_letter(const LetterArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {cf::service_name})) return exit_operating_error;
  const auto& service = service_of<cf::CareFeesService>(s, cf::service_name);
  auto letter =
      cf::render_letter(service.state(), a.decision_id,
                        a.format == "json" ? cf::LetterFormat::json : cf::LetterFormat::text);
  if (!letter) return rejected("care-fees", "letter", letter.error());
  if (a.format == "json") {
    std::printf("%s\n", letter->c_str());  // JSON-escaped by the writer
  } else {
    print(*letter);
  }
  return exit_ok;
}

// ---- decision-delivered, appeal, decide-appeal

struct ActArgs {
  std::string db;
  std::string id;
  std::string actor;
  std::string on;
  std::string reason;
  std::string amount;
  std::string outcome;
};

int run_delivered(const ActArgs& a) {
  if (!valid_date(a.on)) return usage("decision-delivered", "--on: a date YYYY-MM-DD");
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer = submit_cf(
      s, "decision-delivered", cf::delivery_requested_type,
      payload_of({{"decision_id", json_string(a.id)}, {"delivered_on", json_string(a.on)}}),
      a.actor, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("appeal_deadline=%s appended=%lld\n",
              answer->completion.refs["appeal_deadline"].c_str(),
              static_cast<long long>(count(*answer, "recorded")));
  return exit_ok;
}

int run_appeal(const ActArgs& a) {
  if (!valid_date(a.on)) return usage("appeal", "--received: a date YYYY-MM-DD");
  if (!a.amount.empty() && !valid_amount(a.amount)) {
    return usage("appeal", "--amount: kroner with at most two decimals, e.g. 1500.00");
  }
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer =
      submit_cf(s, "appeal", cf::appeal_requested_type,
                payload_of({{"decision_id", json_string(a.id)},
                            {"received_on", json_string(a.on)},
                            {"reason", json_string(a.reason)},
                            {"disputed_amount", a.amount.empty() ? "" : json_string(a.amount)}}),
                a.actor, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("appeal_id=%s late=%lld\n", answer->completion.refs["appeal_id"].c_str(),
              static_cast<long long>(count(*answer, "late")));
  return exit_ok;
}

int run_decide_appeal(const ActArgs& a) {
  if (!a.on.empty() && !valid_date(a.on)) return usage("decide-appeal", "--on: a date YYYY-MM-DD");
  if (!a.amount.empty() && !valid_amount(a.amount)) {
    return usage("decide-appeal", "--monthly-amount: kroner with at most two decimals");
  }
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer =
      submit_cf(s, "decide-appeal", cf::appeal_decision_requested_type,
                payload_of({{"appeal_id", json_string(a.id)},
                            {"outcome", json_string(a.outcome)},
                            {"reason", json_string(a.reason)},
                            {"monthly_amount", a.amount.empty() ? "" : json_string(a.amount)},
                            {"decided_on", a.on.empty() ? "" : json_string(a.on)}}),
                a.actor, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("decision_id=%s\n", answer->completion.refs["decision_id"].c_str());
  return exit_ok;
}

void add_reason(CLI::App* cmd, std::string& reason) {
  cmd->add_option("--reason", reason, "Why (1 to 2000 characters)")
      ->required()
      ->check([](const std::string& v) {
        return v.find_first_not_of(" \t") == std::string::npos || v.size() > 2000
                   ? std::string("1 to 2000 characters")
                   : std::string();
      });
}

void register_decision_commands(CLI::App& app, int& exit_code) {
  CLI::App* care = app.get_subcommand("care-fees");
  auto l = std::make_shared<LetterArgs>();
  CLI::App* letter = care->add_subcommand("letter", "The decision letter (vedtaksbrev), Norwegian");
  letter->add_option("decision_id", l->decision_id, "The decision (V-2025-C000456-1)")->required();
  add_db(letter, l->db);
  letter->add_option("--format", l->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  letter->callback([l, &exit_code] { exit_code = run_letter(*l); });

  auto d = std::make_shared<ActArgs>();
  CLI::App* delivered = care->add_subcommand(
      "decision-delivered", "Record when a decision reached the resident (the appeal deadline)");
  delivered->add_option("decision_id", d->id, "The decision")->required();
  delivered->add_option("--on", d->on, "The date it reached the resident")->required();
  add_db(delivered, d->db);
  add_actor(delivered, d->actor, true);
  delivered->callback([d, &exit_code] { exit_code = run_delivered(*d); });

  auto p = std::make_shared<ActArgs>();
  CLI::App* appeal = care->add_subcommand(
      "appeal", "Register an appeal (klage): collection of the year's claims pauses");
  appeal->add_option("decision_id", p->id, "The decision appealed")->required();
  appeal->add_option("--received", p->on, "The date the appeal was received")->required();
  appeal->add_option("--amount", p->amount, "The amount disputed, kroner (optional)");
  add_reason(appeal, p->reason);
  add_db(appeal, p->db);
  add_actor(appeal, p->actor, true);
  appeal->callback([p, &exit_code] { exit_code = run_appeal(*p); });

  auto x = std::make_shared<ActArgs>();
  CLI::App* decide = care->add_subcommand(
      "decide-appeal", "Decide an appeal: a new decision (never an edit); collection resumes");
  decide->add_option("appeal_id", x->id, "The appeal (K-2025-C000456-1-1)")->required();
  decide->add_option("--outcome", x->outcome, "upheld (the decision stands), changed, dismissed")
      ->required()
      ->check(CLI::IsMember({"upheld", "changed", "dismissed"}));
  decide->add_option("--monthly-amount", x->amount, "outcome changed: the new monthly amount");
  decide->add_option("--on", x->on, "Business date of the decision (default: today)");
  add_reason(decide, x->reason);
  add_db(decide, x->db);
  add_actor(decide, x->actor, true);
  decide->callback([x, &exit_code] { exit_code = run_decide_appeal(*x); });
}

const Registrar registrar("care-fees-decisions", register_decision_commands);

}  // namespace
}  // namespace oppgjor::cli::cmd_care_fees_decisions
