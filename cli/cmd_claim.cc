// `oppgjor calendar close-day` and `oppgjor claim …`: collection (docs/CLI.md,
// docs/COLLECTION.md).
//
//   calendar close-day DATE [--through DATE] --db F --actor N [--partitions N]
//       one calendar.day_closed per day, in order; each answered by the collection service
//   claim dispute|resolve|plan|defer|write-off|approve-write-off|reject-write-off INVOICE
//       --db F --actor N [--on DATE] [--reason R] [--pause-interest] [--outcome upheld|rejected]
//       [--instalment DATE=AMOUNT]... [--until DATE]
//   claim show INVOICE --db F [--format table|csv|json]
//   claim notice INVOICE --db F [--step N] [--format text|json]
//
// A thin shell: acting commands append the person's command and print the collection service's
// answer; reading commands print the service's state or the notices in the log. Nothing here
// decides. Exit codes: 0 ok · 1 operating error · 2 usage · 3 refused.
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
#include "common/date.h"
#include "common/money.h"
#include "services/collection/collection_report.h"
#include "services/collection/collection_service.h"
#include "services/collection/notices.h"

namespace oppgjor::cli::cmd_claim {
namespace {

using collection::CollectionService;

const CollectionService& collection_of(const ServiceSession& s) {
  return service_of<CollectionService>(s, collection::service_name);
}

struct CloseArgs {
  std::string db;
  std::string date;
  std::string through;
  std::string actor;
  int partitions = 0;
};

int run_close(const CloseArgs& a) {
  auto from = common::Date::parse(a.date, "date");
  if (!from) return rejected("calendar", "close-day", from.error());
  common::Date to = *from;
  if (!a.through.empty()) {
    auto t = common::Date::parse(a.through, "--through");
    if (!t) return rejected("calendar", "close-day", t.error());
    if (*t < *from) {
      return rejected("calendar", "close-day",
                      make_error("date_invalid", "--through", "--through er før DATE"));
    }
    to = *t;
  }
  if (from->days_until(to) > 3660) {
    return rejected("calendar", "close-day",
                    make_error("date_invalid", "--through", "høyst ti år per kall"));
  }
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  std::int64_t days = 0;
  for (common::Date d = *from; d <= to; d = d.add_days(1)) {
    int rc = exit_ok;
    auto answer =
        submit(s, "calendar", "close-day", std::string(collection::day_closed_type),
               payload_of({{"date", json_string(d.to_iso())},
                           {"partitions", a.partitions > 0 ? std::to_string(a.partitions) : ""}}),
               a.actor, {}, rc);
    if (!answer) return rc;
    print(answer->completion.note + "\n");
    ++days;
  }
  std::printf("days_closed=%lld last_closed=%s\n", static_cast<long long>(days),
              to.to_iso().c_str());
  return exit_ok;
}

struct ActionArgs {
  std::string action;  // the schema's name
  std::string db;
  std::string invoice;
  std::string actor;
  std::string on;
  std::string reason;
  bool pause_interest = false;
  std::string outcome;
  std::vector<std::string> instalments;  // DATE=AMOUNT
  std::string until;
};

int run_action(const ActionArgs& a) {
  std::string instalments;
  for (std::size_t i = 0; i < a.instalments.size(); ++i) {
    const auto eq = a.instalments[i].find('=');
    const std::string field = "--instalment[" + std::to_string(i) + "]";
    if (eq == std::string::npos) {
      return rejected("claim", "plan",
                      make_error("instalment_invalid", field, "skriv avdrag som DATO=BELØP"));
    }
    auto due = common::Date::parse(a.instalments[i].substr(0, eq), field);
    if (!due) return rejected("claim", "plan", due.error());
    auto amount = common::parse_ore(a.instalments[i].substr(eq + 1), field);
    if (!amount) return rejected("claim", "plan", amount.error());
    instalments += instalments.empty() ? "[" : ",";
    instalments += "{\"amount_ore\":" + std::to_string(*amount) +
                   ",\"due\":" + json_string(due->to_iso()) + "}";
  }
  if (!instalments.empty()) instalments += "]";
  const std::string payload = payload_of(
      {{"action", json_string(a.action)},
       {"invoice_number", json_string(a.invoice)},
       {"on", json_string(a.on.empty() ? today() : a.on)},
       {"reason", a.reason.empty() ? "" : json_string(a.reason)},
       {"pause_interest", a.action == "dispute" ? (a.pause_interest ? "true" : "false") : ""},
       {"outcome", a.outcome.empty() ? "" : json_string(a.outcome)},
       {"instalments", instalments},
       {"until", a.until.empty() ? "" : json_string(a.until)}});
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer = submit(s, "claim", a.action.c_str(), std::string(collection::action_requested_type),
                       payload, a.actor, {}, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  return exit_ok;
}

struct ShowArgs {
  std::string db;
  std::string invoice;
  std::string format = "table";
  int step = 0;
};

int run_show(const ShowArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {collection::service_name})) return exit_operating_error;
  const collection::Claim* c = collection_of(s).state().claim(a.invoice);
  if (c == nullptr) {
    return rejected("claim", "show",
                    make_error("claim_unknown", "invoice_number", "ukjent krav " + a.invoice));
  }
  std::printf(
      "invoice=%s customer=%s claim_type=%s status=%s steps=%zu open_ore=%lld "
      "principal_ore=%lld fees_ore=%lld interest_ore=%lld disputed=%s plan=%s\n",
      c->invoice_number.c_str(), c->customer_id.c_str(), c->claim_type.c_str(),
      std::string(collection::claim_status_name(c->status)).c_str(), c->steps.size(),
      static_cast<long long>(c->open_ore()), static_cast<long long>(c->principal_ore),
      static_cast<long long>(c->fees_ore), static_cast<long long>(c->interest_ore),
      c->disputed ? "true" : "false", c->plan_active ? "true" : "false");
  print(ledger::render(collection::claim_history_table(*c), *ledger::parse_format(a.format)));
  return exit_ok;
}

int run_notice(const ShowArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {collection::service_name})) return exit_operating_error;
  const collection::Claim* c = collection_of(s).state().claim(a.invoice);
  if (c == nullptr) {
    return rejected("claim", "notice",
                    make_error("claim_unknown", "invoice_number", "ukjent krav " + a.invoice));
  }
  auto rows = s.reader->read(1, 1000000, collection::collection_stream(c->customer_id));
  if (!rows) {
    std::fprintf(stderr, "oppgjor claim notice: %s\n", rows.error().message.c_str());
    return exit_operating_error;
  }
  simdjson::dom::parser parser;
  int shown = 0;
  for (const auto& r : *rows) {
    if (r.type != collection::notice_sent_type) continue;
    simdjson::dom::element doc;
    if (parser.parse(r.payload).get(doc) != simdjson::SUCCESS) continue;
    auto n = collection::decode_notice(doc);
    if (!n || n->invoice_number != a.invoice) continue;
    if (a.step > 0 && n->step != a.step) continue;
    if (shown++ > 0) print("\n");
    print(a.format == "json" ? r.payload + "\n" : collection::render_notice(*n));
  }
  if (shown == 0) {
    return rejected("claim", "notice",
                    make_error("notice_missing", "invoice_number",
                               "ingen varsler er sendt for " + a.invoice +
                                   (a.step > 0 ? " steg " + std::to_string(a.step) : "")));
  }
  return exit_ok;
}

void register_calendar(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("calendar", "The business calendar: closing days");
  group->require_subcommand(1);
  auto c = std::make_shared<CloseArgs>();
  CLI::App* close = group->add_subcommand(
      "close-day", "Close a business day (or every day through --through), in order");
  close->add_option("date", c->date, "The day to close (YYYY-MM-DD)")->required();
  close->add_option("--through", c->through, "Close every day from DATE through this one");
  close->add_option("--partitions", c->partitions, "Kafka mode: the topic's partition count")
      ->check(CLI::Range(1, 1024));
  add_db(close, c->db);
  add_actor(close, c->actor, true);
  close->callback([c, &exit_code] { exit_code = run_close(*c); });
}

void register_claim(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("claim", "Claims in collection: pauses, plans, write-off");
  group->require_subcommand(1);
  struct Spec {
    const char* name;
    const char* action;
    const char* about;
  };
  for (const Spec& spec : {Spec{"dispute", "dispute", "Register a dispute (pauses dunning)"},
                           Spec{"resolve", "resolve", "Decide a dispute (dunning resumes)"},
                           Spec{"plan", "plan", "Agree a payment plan (instalments)"},
                           Spec{"defer", "defer", "Move the current deadline"},
                           Spec{"write-off", "write_off", "Ask for a write-off (needs approval)"},
                           Spec{"approve-write-off", "approve_write_off",
                                "Approve a write-off (not its maker): the loss is posted"},
                           Spec{"reject-write-off", "reject_write_off", "Reject a write-off"}}) {
    auto a = std::make_shared<ActionArgs>();
    a->action = spec.action;
    CLI::App* cmd = group->add_subcommand(spec.name, spec.about);
    cmd->add_option("invoice", a->invoice, "The claim's invoice number")->required();
    add_db(cmd, a->db);
    add_actor(cmd, a->actor, true);
    cmd->add_option("--on", a->on, "Business date of the action (default: today)");
    cmd->add_option("--reason", a->reason, "Why (required except for approve-write-off)");
    const std::string name = spec.name;
    if (name == "dispute") {
      cmd->add_flag("--pause-interest", a->pause_interest, "Interest pauses too");
    }
    if (name == "resolve") {
      cmd->add_option("--outcome", a->outcome, "upheld or rejected")
          ->required()
          ->check(CLI::IsMember({"upheld", "rejected"}));
    }
    if (name == "plan") {
      cmd->add_option("--instalment", a->instalments, "DATE=AMOUNT (NOK), repeatable")->required();
    }
    if (name == "defer") cmd->add_option("--until", a->until, "The new deadline")->required();
    cmd->callback([a, &exit_code] { exit_code = run_action(*a); });
  }
  auto sh = std::make_shared<ShowArgs>();
  CLI::App* show = group->add_subcommand("show", "A claim: amounts, status and history");
  show->add_option("invoice", sh->invoice, "The claim's invoice number")->required();
  add_db(show, sh->db);
  show->add_option("--format", sh->format, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  show->callback([sh, &exit_code] { exit_code = run_show(*sh); });
  auto n = std::make_shared<ShowArgs>();
  n->format = "text";
  CLI::App* notice = group->add_subcommand("notice", "The notices sent for a claim");
  notice->add_option("invoice", n->invoice, "The claim's invoice number")->required();
  add_db(notice, n->db);
  notice->add_option("--step", n->step, "Only this step (1, 2, ...)");
  notice->add_option("--format", n->format, "text (default, Norwegian) or json (the event)")
      ->check(CLI::IsMember({"text", "json"}));
  notice->callback([n, &exit_code] { exit_code = run_notice(*n); });
}

const Registrar calendar_registrar("calendar", register_calendar);
const Registrar claim_registrar("claim", register_claim);

}  // namespace
}  // namespace oppgjor::cli::cmd_claim
