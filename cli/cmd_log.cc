// `oppgjor log show --db F [--stream S] [--from N] [--limit N]` and
// `oppgjor deadletters --db F [--limit N] [--json]`: the log and its refusals, for people.
// Personal identifiers are masked (DDMMYY*****) in every field printed (common::for_display;
// dead letters with the stricter common::for_display_strict), and control characters are
// escaped (\x1b), so stored bytes can neither leak an id nor drive the terminal. The stored
// originals stay untouched. Dead letters are listed by source reference in natural order
// (upload.jsonl:9 before upload.jsonl:10); --limit 0 means no limit.
#include <algorithm>
#include <cstdio>
#include <limits>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "common/mask.h"
#include "common/text_order.h"
#include "events/canonical_json.h"

namespace oppgjor::cli::cmd_log {
namespace {

// "oppgjor: <what>: <error>" on stderr, masked and with control characters escaped (the message
// may quote input).
void print_failure(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor: %s: %s\n", common::for_display(what).c_str(),
               common::for_display(e.to_string()).c_str());
}

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
    print_failure("log show", rows.error());
    return exit_operating_error;
  }
  const auto shown = [](const std::string& s) { return common::for_display(s); };
  for (const auto& e : *rows) {
    std::printf("#%lld  %s  %s v%lld  %s (schema v%lld)\n", static_cast<long long>(e.sequence),
                shown(e.recorded_at).c_str(), shown(e.stream).c_str(),
                static_cast<long long>(e.stream_version), shown(e.type).c_str(),
                static_cast<long long>(e.schema_version));
    std::printf("    occurred %s  source %s  event_id %s%s%s\n", shown(e.occurred_at).c_str(),
                shown(e.source).c_str(), shown(e.event_id).c_str(), e.actor ? "  actor " : "",
                e.actor ? shown(*e.actor).c_str() : "");
    if (e.causation_id || e.correlation_id) {
      std::printf("    causation %s  correlation %s\n",
                  e.causation_id ? shown(*e.causation_id).c_str() : "-",
                  e.correlation_id ? shown(*e.correlation_id).c_str() : "-");
    }
    std::printf("    %s\n", shown(e.payload).c_str());
    std::printf("    hash %s\n", shown(e.hash).c_str());
  }
  if (rows->empty()) std::printf("(no events)\n");
  return exit_ok;
}

struct DeadArgs {
  std::string db;
  std::size_t limit = 100;
  bool json = false;
};

constexpr std::size_t original_shown_bytes_max = 200;

// One dead letter as a JSON line: canonical JSON escapes every control character; text fields
// are masked strictly (a refused line may carry a mistyped identifier anywhere).
std::string dead_letter_json(const events::StoredDeadLetter& d) {
  const auto masked = [](const std::string& s) { return common::mask_all_11_digit_runs(s); };
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("event_id", masked(d.event_id));
  w.field("field", masked(d.field));
  w.field_int("id", d.id);
  w.field("message", masked(d.message));
  w.field("original_sha256", d.original_sha256);
  w.field("reason", masked(d.reason));
  w.field("received_at", masked(d.received_at));
  w.field("source", masked(d.source));
  w.field("source_ref", masked(d.source_ref));
  w.end_object();
  return out;
}

void print_dead_letter(const events::StoredDeadLetter& d) {
  const auto shown = [](const std::string& s) { return common::for_display_strict(s); };
  std::printf("#%lld  %s  %s  %s\n", static_cast<long long>(d.id), shown(d.received_at).c_str(),
              shown(d.source_ref).c_str(), shown(d.reason).c_str());
  std::printf("    field %s: %s\n", d.field.empty() ? "(none)" : shown(d.field).c_str(),
              shown(d.message).c_str());
  // Masked over the whole original first, so the cut can never split an identifier.
  const std::string masked = common::mask_all_11_digit_runs(d.original);
  std::printf(
      "    original (%zu bytes, sha256 %s): %s\n", d.original.size(),
      shown(d.original_sha256).c_str(),
      common::escape_control(std::string_view(masked).substr(0, original_shown_bytes_max)).c_str());
}

int run_dead(const DeadArgs& a) {
  auto log = open_log(a.db, {events::Durability::full, true});
  if (!log) return exit_operating_error;
  // Every row, so the natural order by source reference is over all of them; then the limit.
  auto rows = log->dead_letters(static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()));
  if (!rows.ok()) {
    print_failure("deadletters", rows.error());
    return exit_operating_error;
  }
  std::stable_sort(rows->begin(), rows->end(), [](const auto& x, const auto& y) {
    return common::natural_less(x.source_ref, y.source_ref);
  });
  const std::size_t shown = a.limit == 0 ? rows->size() : std::min(a.limit, rows->size());
  for (std::size_t i = 0; i < shown; ++i) {
    if (a.json) {
      std::printf("%s\n", dead_letter_json((*rows)[i]).c_str());
    } else {
      print_dead_letter((*rows)[i]);
    }
  }
  if (rows->empty() && !a.json) std::printf("(no dead letters)\n");
  if (shown < rows->size() && !a.json) {
    std::printf("(%zu of %zu shown; --limit 0 shows all)\n", shown, rows->size());
  }
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
  dead->add_option("--limit", d->limit, "How many, in source order (default 100; 0: all)");
  dead->add_flag("--json", d->json, "One JSON object per line");
  dead->callback([d, &exit_code] { exit_code = run_dead(*d); });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_log
