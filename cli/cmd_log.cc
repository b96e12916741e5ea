// `oppgjor log show --db F [--stream S] [--from N] [--limit N]` and
// `oppgjor deadletters --db F [--limit N] [--json]`: the log and its refusals, for people.
// Personal identifiers are masked (DDMMYY*****) in everything printed.
#include <cstdio>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "events/canonical_json.h"
#include "services/common/mask.h"

namespace oppgjor::cli {
namespace {

struct ShowArgs {
  std::string db;
  std::string stream;
  std::int64_t from = 1;
  std::size_t limit = 100;
};

int run_show(const ShowArgs& a) {
  auto log = open_log(a.db, {events::Durability::full, true});
  if (!log) return exit_operating_error;
  auto rows = log->read(a.from, a.limit, a.stream);
  if (!rows.ok()) {
    print_error("log show", rows.error());
    return exit_operating_error;
  }
  for (const auto& e : *rows) {
    std::printf("#%lld  %s  %s v%lld  %s (schema v%lld)\n", static_cast<long long>(e.sequence),
                e.recorded_at.c_str(), e.stream.c_str(), static_cast<long long>(e.stream_version),
                e.type.c_str(), static_cast<long long>(e.schema_version));
    std::printf("    occurred %s  source %s  event_id %s%s%s\n", e.occurred_at.c_str(),
                e.source.c_str(), e.event_id.c_str(), e.actor ? "  actor " : "",
                e.actor ? e.actor->c_str() : "");
    std::printf("    %s\n", common::mask_personal_ids(e.payload).c_str());
    std::printf("    hash %s\n", e.hash.c_str());
  }
  if (rows->empty()) std::printf("(no events)\n");
  return exit_ok;
}

struct DeadArgs {
  std::string db;
  std::size_t limit = 100;
  bool json = false;
};

int run_dead(const DeadArgs& a) {
  auto log = open_log(a.db, {events::Durability::full, true});
  if (!log) return exit_operating_error;
  auto rows = log->dead_letters(a.limit);
  if (!rows.ok()) {
    print_error("deadletters", rows.error());
    return exit_operating_error;
  }
  for (const auto& d : *rows) {
    if (a.json) {
      std::string out;
      events::CanonicalWriter w(out);
      w.begin_object();
      w.field("event_id", d.event_id);
      w.field("field", d.field);
      w.field_int("id", d.id);
      w.field("message", common::mask_all_11_digit_runs(d.message));
      w.field("original_sha256", d.original_sha256);
      w.field("reason", d.reason);
      w.field("received_at", d.received_at);
      w.field("source", d.source);
      w.field("source_ref", d.source_ref);
      w.end_object();
      std::printf("%s\n", out.c_str());
      continue;
    }
    std::printf("#%lld  %s  %s  %s\n", static_cast<long long>(d.id), d.received_at.c_str(),
                d.source_ref.c_str(), d.reason.c_str());
    std::printf("    field %s: %s\n", d.field.empty() ? "(none)" : d.field.c_str(),
                common::mask_all_11_digit_runs(d.message).c_str());
    std::printf("    original (%zu bytes, sha256 %s): %.200s\n", d.original.size(),
                d.original_sha256.c_str(), common::mask_all_11_digit_runs(d.original).c_str());
  }
  if (rows->empty() && !a.json) std::printf("(no dead letters)\n");
  return exit_ok;
}

const Registrar reg("log", [](CLI::App& app, int& exit_code) {
  auto* log = app.add_subcommand("log", "Read the event log");
  log->require_subcommand(1);
  auto s = std::make_shared<ShowArgs>();
  auto* show = log->add_subcommand("show", "Print events (personal identifiers masked)");
  show->add_option("--db", s->db, "Event log (SQLite file)")->required();
  show->add_option("--stream", s->stream, "Only this stream (customer/C000123)");
  show->add_option("--from", s->from, "First sequence");
  show->add_option("--limit", s->limit, "How many events");
  show->callback([s, &exit_code] { exit_code = run_show(*s); });

  auto d = std::make_shared<DeadArgs>();
  auto* dead = app.add_subcommand("deadletters", "List refused inputs with reason and field");
  dead->add_option("--db", d->db, "Event log (SQLite file)")->required();
  dead->add_option("--limit", d->limit, "How many");
  dead->add_flag("--json", d->json, "One JSON object per line");
  dead->callback([d, &exit_code] { exit_code = run_dead(*d); });
});

}  // namespace
}  // namespace oppgjor::cli
