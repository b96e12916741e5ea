// `oppgjor payments …`: incoming payments (docs/CLI.md, docs/INVOICING.md).
//
//   import-ocr FILE --db F [--partitions N] [--format table|json]
//   import-ocr FILE --kafka BOOTSTRAP [--topic T] [-X key=value] [--format table|json]
//   suspense   --db F [--format table|json|csv]
//   allocate   SUSPENSE_ID --invoice NO --actor NAME --db F [--date D]
//   refund     --customer C --claim-family F --amount KR --to-account NO --actor NAME --db F
//              [--date D] [--note T]
//   approve-refund REFUND_ID --actor NAME --db F [--date D]   (another person than the maker)
//   reject-refund  REFUND_ID --actor NAME --reason T --db F [--date D]
//   refunds    --db F [--status pending|approved|rejected] [--format table|json|csv]
//
// import-ocr checks the whole file (formats/ocr: record structure, records 88/89 counts and
// sums) before anything is appended; a file that does not add up is refused whole (exit 3) with
// the record number and reason, and kept as a dead letter with its bytes. The same file again
// appends nothing (duplicate_file). The ledger service matches and books (ledger_service.h).
// --partitions N: the batches are decided in N parts, as on a Kafka topic of N partitions
// (payments.h payment_part). --kafka: the checked file's batches are published to every
// partition of the topic (default oppgjor.events) with the topic's partition count, for the
// ledger instances of `oppgjor serve ledger`; matching happens there, so the answer says what was
// published, not what was matched (docs/INVOICING.md, "Modes").
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/service_session.h"
#include "cli/support.h"
#include "common/assert.h"
#include "common/identifiers.h"
#include "common/money.h"
#include "events/canonical_json.h"
#include "events/dead_letter.h"
#include "events/sha256.h"
#include "kafka/host/publish.h"
#include "kafka/host/service_host.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/payments.h"
#include "services/ledger/reports.h"

namespace oppgjor::cli::cmd_payments {
namespace {

const ledger::LedgerService& ledger_service_of(const ServiceSession& s) {
  return service_of<ledger::LedgerService>(s, ledger::service_name);
}

struct ImportArgs {
  std::string file;
  std::string db;
  std::string format = "table";
  int partitions = 1;
  std::string kafka;
  std::string topic = std::string(kafka::default_input_topic);
  std::vector<std::string> config;
};

// The file's own figures (every batch carries them).
void file_figures(const events::EngineEvent& e, std::int64_t& payments, std::int64_t& amount) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(e.payload_json).get(doc) != simdjson::SUCCESS) return;
  std::int64_t v = 0;
  if (doc["file_payments"].get(v) == simdjson::SUCCESS) payments = v;
  if (doc["file_amount_ore"].get(v) == simdjson::SUCCESS) amount = v;
}

// --kafka: the file checked, its batches published to every partition of the topic.
int run_import_kafka(const ImportArgs& a, const std::string& bytes) {
  kafka::PublishOptions o;
  o.bootstrap = a.kafka;
  o.topic = a.topic;
  if (!kafka_settings(a.config, "payments import-ocr", o.config)) return exit_usage;
  auto publisher = kafka::Publisher::connect(o);
  if (!publisher) {
    print_error("payments import-ocr", publisher.error());
    return exit_operating_error;
  }
  auto specs = ledger::ocr_file_events(bytes, system_clock().now_utc(), publisher->partitions());
  if (!specs) return rejected("payments", "import-ocr", specs.error());
  auto registry = events::SchemaRegistry::load();
  if (!registry) {
    print_error("payments import-ocr: schemas", registry.error());
    return exit_operating_error;
  }
  std::vector<events::ProposedEvent> proposed;
  for (const auto& spec : *specs) {
    auto e = events::make_engine_event(**registry, spec);
    if (!e) {
      print_error("payments import-ocr", e.error());
      return exit_operating_error;
    }
    proposed.push_back(std::move(*e));
  }
  auto stats = publisher->publish(proposed, /*every_partition=*/true);
  if (!stats) {
    print_error("payments import-ocr", stats.error());
    return exit_operating_error;
  }
  std::int64_t payments = 0;
  std::int64_t amount = 0;
  if (!specs->empty()) file_figures(specs->front(), payments, amount);
  const std::string sha = events::sha256_hex(bytes);
  if (a.format == "json") {
    std::string out;
    events::CanonicalWriter w(out);
    w.begin_object();
    w.field_int("amount_ore", amount);
    w.field_int("batches", stats->events);
    w.field("file_sha256", sha);
    w.field_int("messages", stats->messages);
    w.field_int("partitions", stats->partitions);
    w.field_int("payments", payments);
    w.field("topic", a.topic);
    w.end_object();
    print(out + "\n");
  } else {
    std::printf("payments=%lld amount_ore=%lld batches=%lld partitions=%d messages=%lld topic=%s\n",
                static_cast<long long>(payments), static_cast<long long>(amount),
                static_cast<long long>(stats->events), stats->partitions,
                static_cast<long long>(stats->messages), a.topic.c_str());
  }
  return exit_ok;
}

int run_import(const ImportArgs& a) {
  std::string bytes;
  if (!read_file(a.file, bytes)) {
    std::fprintf(stderr, "oppgjor payments import-ocr: kan ikke lese %s\n", shown(a.file).c_str());
    return exit_operating_error;
  }
  if (!a.kafka.empty()) return run_import_kafka(a, bytes);
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  auto events = ledger::ocr_file_events(bytes, system_clock().now_utc(), a.partitions);
  if (!events) {
    events::DeadLetter letter;
    letter.source = "file";
    letter.source_ref = a.file;
    letter.reason = std::string(events::reason::file_invalid);
    letter.field = events.error().field;
    letter.message = events.error().message;
    letter.original = bytes;
    if (!record_dead_letter(s, letter)) return exit_operating_error;
    return rejected("payments", "import-ocr", events.error());
  }
  std::int64_t payments = 0;
  std::int64_t amount = 0;
  if (!events->empty()) file_figures(events->front(), payments, amount);
  const bool any = !events->empty();
  auto result = submit_events(s, std::move(*events));
  if (!result) return exit_operating_error;
  const std::string sha = events::sha256_hex(bytes);
  const bool duplicate = any && result->appended == 0;
  ledger::FileStats stats;
  if (!duplicate) {
    auto it = ledger_service_of(s).state().files().find(sha);
    if (it != ledger_service_of(s).state().files().end()) stats = it->second;
  }
  if (a.format == "json") {
    std::string out;
    events::CanonicalWriter w(out);
    w.begin_object();
    w.field_int("amount_ore", amount);
    w.key("duplicate_file");
    w.bool_value(duplicate);
    w.field_int("duplicates", stats.duplicates);
    w.field("file_sha256", sha);
    w.field_int("matched", stats.matched);
    w.field_int("overpaid", stats.overpaid);
    w.field_int("partial", stats.partial);
    w.field_int("payments", payments);
    w.field_int("reversals", stats.reversals);
    w.field_int("suspense", stats.suspense);
    w.end_object();
    print(out + "\n");
  } else {
    std::printf(
        "payments=%lld matched=%lld partial=%lld overpaid=%lld suspense=%lld reversals=%lld "
        "amount_ore=%lld duplicate_file=%s\n",
        static_cast<long long>(payments), static_cast<long long>(stats.matched),
        static_cast<long long>(stats.partial), static_cast<long long>(stats.overpaid),
        static_cast<long long>(stats.suspense), static_cast<long long>(stats.reversals),
        static_cast<long long>(amount), duplicate ? "true" : "false");
  }
  return exit_ok;
}

struct SuspenseArgs {
  std::string db;
  std::string format = "table";
};

int run_suspense(const SuspenseArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {ledger::service_name})) return exit_operating_error;
  print(ledger::render(ledger::suspense_table(ledger_service_of(s).state()),
                       *ledger::parse_format(a.format)));
  return exit_ok;
}

struct AllocateArgs {
  std::string suspense_id;
  std::string invoice;
  std::string actor;
  std::string db;
  std::string date;
};

int run_allocate(const AllocateArgs& a) {
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  const std::string date = a.date.empty() ? today() : a.date;
  int rc = exit_ok;
  auto answer = submit(s, "payments", "allocate", std::string(ledger::allocation_requested_type),
                       payload_of({{"suspense_id", json_string(a.suspense_id)},
                                   {"invoice_number", json_string(a.invoice)},
                                   {"date", json_string(date)}}),
                       a.actor, {}, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("allocated_ore=%lld\n", static_cast<long long>(amount(*answer, "amount_ore")));
  return exit_ok;
}

struct RefundArgs {
  std::string customer;
  std::string family;
  std::string amount;
  std::string account;
  std::string actor;
  std::string db;
  std::string date;
  std::string note;
};

int run_refund(const RefundArgs& a) {
  auto ore = common::parse_ore(a.amount, "--amount");
  if (!ore) return rejected("payments", "refund", ore.error());
  if (const auto account = common::check_account_number(a.account); !account.valid) {
    // The number itself is not echoed: an 11-digit number can be a fødselsnummer.
    return rejected("payments", "refund",
                    make_error("account_invalid", "--to-account",
                               "ikke et gyldig norsk kontonummer (" + account.reason + ")"));
  }
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer = submit(s, "payments", "refund", std::string(ledger::refund_requested_type),
                       payload_of({{"customer_id", json_string(a.customer)},
                                   {"claim_family", json_string(a.family)},
                                   {"amount_ore", std::to_string(*ore)},
                                   {"to_account", json_string(a.account)},
                                   {"date", json_string(a.date.empty() ? today() : a.date)},
                                   {"note", a.note.empty() ? "" : json_string(a.note)}}),
                       a.actor, {}, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("refund_id=%s amount_ore=%lld\n", answer->completion.refs["refund_id"].c_str(),
              static_cast<long long>(amount(*answer, "amount_ore")));
  return exit_ok;
}

struct DecideRefundArgs {
  std::string refund_id;
  std::string actor;
  std::string db;
  std::string date;
  std::string reason;
};

int run_decide_refund(const DecideRefundArgs& a, bool approve) {
  ServiceSession s;
  if (!open_services(a.db, ServiceSessionOptions{}, s)) return exit_operating_error;
  int rc = exit_ok;
  auto answer = submit(s, "payments", approve ? "approve-refund" : "reject-refund",
                       std::string(ledger::refund_decided_type),
                       payload_of({{"refund_id", json_string(a.refund_id)},
                                   {"decision", json_string(approve ? "approve" : "reject")},
                                   {"date", json_string(a.date.empty() ? today() : a.date)},
                                   {"reason", a.reason.empty() ? "" : json_string(a.reason)}}),
                       a.actor, {}, rc);
  if (!answer) return rc;
  print(answer->completion.note + "\n");
  std::printf("refund_id=%s status=%s amount_ore=%lld\n", a.refund_id.c_str(),
              approve ? "approved" : "rejected",
              static_cast<long long>(amount(*answer, "amount_ore")));
  return exit_ok;
}

struct RefundsArgs {
  std::string db;
  std::string status;
  std::string format = "table";
};

int run_refunds(const RefundsArgs& a) {
  ServiceSession s;
  if (!open_for_reading(a.db, s, {ledger::service_name})) return exit_operating_error;
  print(ledger::render(ledger::refunds_table(ledger_service_of(s).state(), a.status),
                       *ledger::parse_format(a.format)));
  return exit_ok;
}

void register_payments(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand("payments", "Incoming payments: OCR giro, suspense");
  group->require_subcommand(1);

  auto i = std::make_shared<ImportArgs>();
  CLI::App* import_ocr = group->add_subcommand(
      "import-ocr",
      "Import a Nets OCR giro file (checked whole first; the same file twice books nothing)");
  import_ocr->add_option("file", i->file, "The OCR giro file")->required();
  auto* import_db = import_ocr->add_option("--db", i->db, "Event log (SQLite file)");
  auto* import_kafka = import_ocr->add_option(
      "--kafka", i->kafka, "Publish the batches to Kafka (bootstrap servers) instead of a log");
  import_db->excludes(import_kafka);
  auto* import_partitions =
      import_ocr
          ->add_option("--partitions", i->partitions,
                       "Decide the batches in N parts, as on a topic of N partitions")
          ->check(CLI::Range(1, 1024));
  import_partitions->excludes(import_kafka);
  import_ocr->add_option("--topic", i->topic, "With --kafka: the topic (default oppgjor.events)")
      ->needs(import_kafka);
  import_ocr->add_option("-X", i->config, "With --kafka: extra librdkafka setting key=value")
      ->needs(import_kafka);
  import_ocr->add_option("--format", i->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  import_ocr->callback([i, &exit_code] {
    if (i->db.empty() == i->kafka.empty()) {
      std::fprintf(stderr, "oppgjor payments import-ocr: give --db F or --kafka BOOTSTRAP\n");
      exit_code = exit_usage;
      return;
    }
    exit_code = run_import(*i);
  });

  auto u = std::make_shared<SuspenseArgs>();
  CLI::App* suspense = group->add_subcommand("suspense", "Payments waiting in suspense");
  add_db(suspense, u->db);
  suspense->add_option("--format", u->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  suspense->callback([u, &exit_code] { exit_code = run_suspense(*u); });

  auto l = std::make_shared<AllocateArgs>();
  CLI::App* allocate =
      group->add_subcommand("allocate", "Move a payment in suspense to an invoice");
  allocate->add_option("suspense_id", l->suspense_id, "The payment in suspense")->required();
  allocate->add_option("--invoice", l->invoice, "Invoice number")->required();
  allocate->add_option("--date", l->date, "Booking date (default: today)");
  add_db(allocate, l->db);
  add_actor(allocate, l->actor, true);
  allocate->callback([l, &exit_code] { exit_code = run_allocate(*l); });

  auto r = std::make_shared<RefundArgs>();
  CLI::App* refund = group->add_subcommand(
      "refund", "Ask for a customer's credit balance to be paid back (approved by another person)");
  refund->add_option("--customer", r->customer, "Customer number")->required();
  refund->add_option("--claim-family", r->family, "Claim family of the credit balance")->required();
  refund->add_option("--amount", r->amount, "Amount in kroner, e.g. 300.00")->required();
  refund->add_option("--to-account", r->account, "The customer's bank account (11 digits)")
      ->required();
  refund->add_option("--date", r->date, "Date of the request (default: today)");
  refund->add_option("--note", r->note, "Why (free text, no personal data)");
  add_db(refund, r->db);
  add_actor(refund, r->actor, true);
  refund->callback([r, &exit_code] { exit_code = run_refund(*r); });

  for (const bool approve : {true, false}) {
    auto d = std::make_shared<DecideRefundArgs>();
    CLI::App* decide = group->add_subcommand(
        approve ? "approve-refund" : "reject-refund",
        approve ? "Approve a pending refund (not the person who asked): posts it"
                : "Reject (or, as the maker, withdraw) a pending refund, with a reason");
    decide->add_option("refund_id", d->refund_id, "The refund (refund_id)")->required();
    decide->add_option("--date", d->date, "Booking date (default: today)");
    auto* reason = decide->add_option("--reason", d->reason, "Why it is rejected");
    if (!approve) reason->required();
    add_db(decide, d->db);
    add_actor(decide, d->actor, true);
    decide->callback([d, approve, &exit_code] { exit_code = run_decide_refund(*d, approve); });
  }

  auto f = std::make_shared<RefundsArgs>();
  CLI::App* refunds =
      group->add_subcommand("refunds", "Refunds of credit balances and their status");
  add_db(refunds, f->db);
  refunds->add_option("--status", f->status, "pending, approved or rejected (default: all)")
      ->check(CLI::IsMember({"pending", "approved", "rejected"}));
  refunds->add_option("--format", f->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  refunds->callback([f, &exit_code] { exit_code = run_refunds(*f); });
}

const Registrar registrar("payments", register_payments);

}  // namespace
}  // namespace oppgjor::cli::cmd_payments
