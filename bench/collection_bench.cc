// oppgjor_collection_bench: the nightly close-day of docs/PERFORMANCE.md, "Collection close-day
// (issue 9)", behind bench/collection.sh. The collection service's state is built in memory with
// N open claims (default 1,000,000) by folding synthetic invoicing.invoice_issued payloads
// through CollectionService::fold (simdjson parse of each, as the runner does; not timed, its
// time printed). The claims, by invoice index i (i % 1000 against the per-mille shares):
//   due today     (--due-permille, default 15)  due 14 days before the day: the first
//                                               reminder is due;
//   in dunning    (--dunning-permille, default 100)  due 20–27 days before: a reminder was sent
//                 (the service's own evaluate_claim on the day it became due, its notice_sent
//                 folded), its deadline is after the day;
//   not yet due   (the rest)  due from 13 days before the day to 45 days after.
// The last closed day is the day before; the day (default 2026-03-10) is a business day.
// Timed, each --repeat times (default 3), interleaved:
//   decide    CollectionService::decide on one calendar.day_closed (Part{}): every open claim
//             evaluated, notices for the due ones; claims evaluated per second = the completion's
//             "evaluated" count / seconds;
//   baseline  a plain scan of the same open items: iterate state().claims() summing open_ore and
//             checking the due dates (which would be due for a first step).
// Then once: the decision as the runner stamps it (runtime::decide_stamped: + make_engine_event,
// schema validation of every output), and the fold of the command and its outputs as the runner
// folds them (simdjson parse of each output payload); and the snapshot, which the runner saves
// after every run and loads at every start: save() and load() of the N claims, and with --dir
// the SnapshotStore's put() and get() of it (SHA-256, SQLite) in that directory.
// Memory: peak RSS (getrusage ru_maxrss) after each phase, and the state's heap (mallinfo2) per
// claim. Not a test: no timing is asserted anywhere (bench/CMakeLists.txt).
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <simdjson.h>

#include "bench/bench_support.h"
#include "common/calendar.h"
#include "common/identifiers.h"
#include "events/engine_event.h"
#include "events/schema_registry.h"
#include "services/collection/collection_service.h"
#include "services/collection/dunning.h"
#include "services/invoicing/billing_rules.h"
#include "services/invoicing/invoice.h"
#include "services/runtime/runner.h"
#include "services/runtime/snapshot_store.h"

namespace oppgjor::bench {
namespace {

using common::Date;

int fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor_collection_bench: %s: %s\n", what.c_str(), e.to_string().c_str());
  return 1;
}

double mib(std::int64_t kib) {
  return static_cast<double>(kib) / 1024.0;
}

// Bytes the allocator has handed out and not had back (arena + mmapped chunks).
std::int64_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
}

void print_memory(const char* when) {
  const PeakMemory m = peak_memory();
  std::printf("  peak memory %s: ru_maxrss %.0f MiB\n", when, mib(m.ru_maxrss_kib));
}

// `perf record --control fifo:CTL -D -1`: the decision alone is profiled when the bench is
// given --perf-ctl CTL (bench/collection.sh --perf).
void perf_control(const std::string& fifo, const char* command) {
  if (fifo.empty()) return;
  std::ofstream ctl(fifo);
  ctl << command << '\n';
  ctl.flush();
}

constexpr const char* claim_types[] = {"kindergarten", "kindergarten", "after_school", "home_care"};

// Invoice i: customer C<i/2+1> (two claims each), one line, no VAT, 1,000–4,999 kr.
invoicing::Invoice make_invoice(std::int64_t i, Date issue, Date due, const std::string& kid) {
  invoicing::Invoice inv;
  inv.kind = invoicing::DocumentKind::invoice;
  inv.series = static_cast<int>(1 + i % 8);
  inv.sequence = i / 8 + 1;
  inv.invoice_number = invoicing::invoice_number_of(inv.series, inv.sequence);
  char customer[32];
  std::snprintf(customer, sizeof customer, "C%08lld", static_cast<long long>(i / 2 + 1));
  inv.customer_id = customer;
  inv.claim_type = claim_types[i % 4];
  inv.kid = kid;
  inv.issue_date = issue;
  inv.due_date = due;
  inv.period_from = Date::ymd(2026, 1, 1);
  inv.period_to = Date::ymd(2026, 1, 31);
  invoicing::InvoiceLine l;
  l.ordrenummer = "B" + std::to_string(i + 1);
  l.issuer = "BYDEL01";
  l.product_code = "FP01";
  l.text = "Foreldrebetaling";
  l.unit = "mnd";
  l.quantity = "1";
  l.unit_price_ore = 100'000 + (i * 7919) % 400'000;
  l.amount_ore = l.unit_price_ore;
  l.vat_code = "0";
  l.vat_category = "E";
  l.account = "1600";
  inv.lines.push_back(std::move(l));
  inv.net_ore = inv.lines.front().amount_ore;
  inv.total_ore = inv.net_ore;
  inv.basis_event_ids = {"00000000-0000-8000-8000-" + std::string(customer).substr(1) + "0000"};
  inv.run_id = "bench-run";
  inv.rule_version = "bench";
  return inv;
}

// A KID of customer number and invoice sequence (mod10), as the invoicing service makes them.
std::string kid_of(std::int64_t i) {
  char body[48];
  std::snprintf(body, sizeof body, "%08lld%09lld", static_cast<long long>(i / 2 + 1),
                static_cast<long long>(i + 1));
  auto k = common::kid_make(common::KidScheme::mod10, body);
  return k ? *k : std::string(body);
}

struct Setup {
  std::int64_t due_today = 0, in_dunning = 0, not_due = 0;
  std::int64_t payload_bytes = 0;
  double generate_s = 0, parse_fold_s = 0, reminders_s = 0;
};

// Folds `payload` of `type` into the service, as the runner folds an event (parse, then fold).
Status fold_event(collection::CollectionService& svc, simdjson::dom::parser& parser,
                  std::string_view type, const std::string& payload, std::string_view actor = {}) {
  simdjson::dom::element doc;
  if (parser.parse(payload).get(doc) != simdjson::SUCCESS) {
    return make_error("malformed_json", "payload", std::string(type));
  }
  events::EventView v;
  v.type = type;
  v.payload = payload;
  v.actor = actor;
  v.event_id = "00000000-0000-8000-8000-000000000001";
  v.occurred_at = "2026-03-10T18:00:00Z";
  return svc.fold(v, doc);
}

Result<Setup> build_state(collection::CollectionService& svc, std::int64_t n, Date day,
                          int due_permille, int dunning_permille) {
  Setup s;
  simdjson::dom::parser parser;
  PhaseTimer generate, fold, reminders;
  const Date issue = day.add_days(-60);
  std::vector<collection::Out> outs;
  for (std::int64_t i = 0; i < n; ++i) {
    const int slot = static_cast<int>((i * 7) % 1000);  // spreads each share over the indexes
    Date due;
    bool remind = false;
    if (slot < due_permille) {
      due = day.add_days(-14);
      ++s.due_today;
    } else if (slot < due_permille + dunning_permille) {
      due = day.add_days(-20 - static_cast<int>(i % 8));
      remind = true;
      ++s.in_dunning;
    } else {
      due = day.add_days(-13 + static_cast<int>(i % 59));
      ++s.not_due;
    }
    generate.start();
    const std::string payload = invoicing::invoice_payload(make_invoice(i, issue, due, kid_of(i)));
    generate.stop();
    s.payload_bytes += static_cast<std::int64_t>(payload.size());
    fold.start();
    auto st = fold_event(svc, parser, invoicing::invoice_issued_type, payload);
    fold.stop();
    if (!st) return st.error();
    if (!remind) continue;
    // The first reminder, as the service decided it on the day it became due, folded.
    reminders.start();
    const Date sent = common::next_business_day_on_or_after(due.add_days(14));
    const auto* c =
        svc.state().claim(invoicing::invoice_number_of(static_cast<int>(1 + i % 8), i / 8 + 1));
    if (c == nullptr) return make_error("bench", "", "claim not folded");
    outs.clear();
    collection::DayTally tally;
    collection::evaluate_claim(svc.state(), *c, sent, tally, outs);
    if (outs.size() != 1 || outs.front().type != collection::notice_sent_type) {
      return make_error("bench", "", "no reminder for a claim in dunning");
    }
    st = fold_event(svc, parser, outs.front().type, outs.front().payload);
    reminders.stop();
    if (!st) return st.error();
  }
  s.generate_s = generate.seconds();
  s.parse_fold_s = fold.seconds();
  s.reminders_s = reminders.seconds();
  auto st = fold_event(svc, parser, collection::day_closed_type,
                       R"({"date":")" + day.add_days(-1).to_iso() + R"("})", "bench");
  if (!st) return st.error();
  return s;
}

struct Scan {
  std::int64_t open = 0, past_first_step = 0, open_ore = 0;
};

// The baseline: a plain scan of the same open items.
Scan plain_scan(const collection::CollectionState& state, Date day) {
  Scan s;
  const Date first_step_due_by = day.add_days(-14);
  for (const auto& [number, c] : state.claims()) {
    if (!c.active() || c.open_ore() <= 0) continue;
    ++s.open;
    s.open_ore += c.open_ore();
    s.past_first_step += c.due_date <= first_step_due_by;
  }
  return s;
}

std::int64_t count_of(const std::string& completion_payload, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::int64_t n = -1;
  if (parser.parse(completion_payload).get(doc) == simdjson::SUCCESS) {
    if (doc["counts"][key].get(n) != simdjson::SUCCESS) n = -1;
  }
  return n;
}

int run(std::int64_t n, const std::string& day_text, int due_permille, int dunning_permille,
        int repeat, bool snapshot, const std::string& dir, const std::string& results,
        const std::string& perf_ctl) {
  auto day_r = Date::parse(day_text, "--day");
  if (!day_r) return fail("day", day_r.error());
  const Date day = *day_r;
  if (!common::is_business_day(day)) {
    return fail("day", make_error("bench", "day", day_text + " is not a business day"));
  }
  auto registry = events::SchemaRegistry::load();
  if (!registry) return fail("schemas", registry.error());

  const std::int64_t heap0 = heap_in_use();
  auto svc = collection::make_collection_service();
  std::printf("== setup (not timed): %lld claims folded from invoicing.invoice_issued payloads\n",
              static_cast<long long>(n));
  const Stopwatch setup_sw;
  auto setup = build_state(*svc, n, day, due_permille, dunning_permille);
  if (!setup) return fail("setup", setup.error());
  const double setup_s = setup_sw.seconds();
  malloc_trim(0);
  const std::int64_t state_bytes = heap_in_use() - heap0;
  std::printf(
      "  %.1f s: payloads written %.1f s (%.0f MiB, %.0f B each), parse + fold %.1f s "
      "(%.0f claims/s), first reminders of the claims in dunning decided and folded %.1f s\n",
      setup_s, setup->generate_s, static_cast<double>(setup->payload_bytes) / 1048576.0,
      static_cast<double>(setup->payload_bytes) / static_cast<double>(n), setup->parse_fold_s,
      static_cast<double>(n) / setup->parse_fold_s, setup->reminders_s);
  std::printf(
      "  claims: %lld due for a first reminder on %s (%.1f %%), %lld with a reminder whose "
      "deadline is after it (%.1f %%), %lld not due yet; last closed day %s\n",
      static_cast<long long>(setup->due_today), day.to_iso().c_str(),
      100.0 * static_cast<double>(setup->due_today) / static_cast<double>(n),
      static_cast<long long>(setup->in_dunning),
      100.0 * static_cast<double>(setup->in_dunning) / static_cast<double>(n),
      static_cast<long long>(setup->not_due),
      svc->state().last_closed() ? svc->state().last_closed()->to_iso().c_str() : "none");
  std::printf("  state in memory: %.0f MiB of heap = %.0f B per claim (mallinfo2)\n",
              static_cast<double>(state_bytes) / 1048576.0,
              static_cast<double>(state_bytes) / static_cast<double>(n));
  print_memory("after setup");
  record(results, "collection_claims", static_cast<double>(n));
  record(results, "collection_state_bytes_per_claim",
         static_cast<double>(state_bytes) / static_cast<double>(n));

  // The command, as `oppgjor calendar close-day` writes it.
  const std::string command_payload = R"({"date":")" + day.to_iso() + R"("})";
  events::EventView command;
  command.sequence = 1;
  command.stream = "command/00000000-0000-8000-8000-0000000000aa";
  command.event_id = "00000000-0000-8000-8000-0000000000aa";
  command.type = collection::day_closed_type;
  command.schema_version = 1;
  command.occurred_at = "2026-03-10T18:00:00Z";
  command.recorded_at = "2026-03-10T18:00:00.000000Z";
  command.payload = command_payload;
  command.source = "oppgjor.cli";
  command.actor = "bench";
  simdjson::dom::parser command_parser;
  simdjson::dom::element command_doc;
  if (command_parser.parse(command_payload).get(command_doc) != simdjson::SUCCESS) {
    return fail("command", make_error("bench", "", "command payload"));
  }

  std::printf("\n== close-day %s over %lld claims, %d time(s) each, interleaved\n",
              day.to_iso().c_str(), static_cast<long long>(n), repeat);
  double best_decide = 1e300, best_scan = 1e300, best_decide_cpu = 1e300, best_scan_cpu = 1e300;
  std::int64_t evaluated = 0, reminders = 0, outputs = 0;
  Scan scan;
  for (int r = 0; r < repeat; ++r) {
    if (r == 0) perf_control(perf_ctl, "enable");
    const double cpu0 = thread_cpu_seconds();
    const Stopwatch sw;
    auto decided = svc->decide(command, command_doc, runtime::Part{});
    const double s = sw.seconds();
    const double cpu = thread_cpu_seconds() - cpu0;
    if (r == 0) perf_control(perf_ctl, "disable");
    if (!decided) return fail("decide", decided.error());
    if (decided->empty() || decided->back().type != "service.command_completed") {
      return fail("decide", make_error("bench", "", "no completion"));
    }
    evaluated = count_of(decided->back().payload_json, "evaluated");
    reminders = count_of(decided->back().payload_json, "reminders");
    outputs = static_cast<std::int64_t>(decided->size());
    const double cpu2 = thread_cpu_seconds();
    const Stopwatch sw2;
    scan = plain_scan(svc->state(), day);
    const double s2 = sw2.seconds();
    const double scan_cpu = thread_cpu_seconds() - cpu2;
    std::printf(
        "  run %d: decide %.3f s (thread CPU %.3f s) = %.0f claims evaluated/s; "
        "baseline scan %.3f s (CPU %.3f s) = %.0f open items/s\n",
        r + 1, s, cpu, static_cast<double>(evaluated) / s, s2, scan_cpu,
        static_cast<double>(scan.open) / s2);
    best_decide = std::min(best_decide, s);
    best_decide_cpu = std::min(best_decide_cpu, cpu);
    best_scan = std::min(best_scan, s2);
    best_scan_cpu = std::min(best_scan_cpu, scan_cpu);
  }
  std::printf(
      "  decision: %lld claims evaluated, %lld reminders, %lld outputs (+ the completion)\n",
      static_cast<long long>(evaluated), static_cast<long long>(reminders),
      static_cast<long long>(outputs - 1));
  std::printf("  baseline: %lld open items, %.2f kr open, %lld past due + 14 days\n",
              static_cast<long long>(scan.open), static_cast<double>(scan.open_ore) / 100.0,
              static_cast<long long>(scan.past_first_step));
  std::printf(
      "  best: decide %.3f s = %.0f claims evaluated/s (goal 200,000/s); baseline scan %.3f s = "
      "%.0f open items/s; decide / scan = %.1f×\n",
      best_decide, static_cast<double>(evaluated) / best_decide, best_scan,
      static_cast<double>(scan.open) / best_scan, best_decide / best_scan);
  std::printf(
      "  best in thread CPU (hardly affected by other processes on the cores): decide %.3f s = "
      "%.0f claims evaluated/s; scan %.3f s = %.0f open items/s\n",
      best_decide_cpu, static_cast<double>(evaluated) / best_decide_cpu, best_scan_cpu,
      static_cast<double>(scan.open) / best_scan_cpu);
  record(results, "collection_decide_s", best_decide);
  record(results, "collection_decide_cpu_s", best_decide_cpu);
  record(results, "collection_evaluated_per_s", static_cast<double>(evaluated) / best_decide);
  record(results, "collection_scan_s", best_scan);
  record(results, "collection_scan_cpu_s", best_scan_cpu);
  record(results, "collection_scan_per_s", static_cast<double>(scan.open) / best_scan);
  print_memory("after the decisions");

  // As the runner does it: decide, stamp + validate the outputs, fold the command, then them.
  std::vector<events::ProposedEvent> stamped;
  {
    const Stopwatch sw;
    auto r = runtime::decide_stamped(*svc, **registry, command, command_doc, runtime::Part{});
    const double s = sw.seconds();
    if (!r) return fail("decide_stamped", r.error());
    stamped = std::move(r).value();
    std::printf(
        "  as the runner decides (decide + make_engine_event and schema validation of the %zu "
        "outputs): %.3f s = %.0f claims evaluated/s\n",
        stamped.size(), s, static_cast<double>(evaluated) / s);
    record(results, "collection_decide_stamped_s", s);
  }
  {
    simdjson::dom::parser parser;
    const Stopwatch sw;
    auto st = svc->fold(command, command_doc);
    if (!st) return fail("fold command", st.error());
    for (const auto& o : stamped) {
      simdjson::dom::element doc;
      if (parser.parse(o.payload).get(doc) != simdjson::SUCCESS) {
        return fail("fold", make_error("malformed_json", "payload", o.type));
      }
      events::EventView v;
      v.sequence = command.sequence;
      v.stream = o.stream;
      v.event_id = o.event_id;
      v.type = o.type;
      v.schema_version = o.schema_version;
      v.occurred_at = o.occurred_at;
      v.payload = o.payload;
      v.source = o.source;
      v.actor = o.actor ? std::string_view(*o.actor) : std::string_view();
      st = svc->fold(v, doc);
      if (!st) return fail("fold output", st.error());
    }
    const double s = sw.seconds();
    std::printf("  fold of the command and its %zu outputs: %.3f s; last closed day now %s\n",
                stamped.size(), s, svc->state().last_closed()->to_iso().c_str());
    record(results, "collection_fold_outputs_s", s);
  }

  if (snapshot) {
    std::printf("\n== snapshot of the state (saved after every run, loaded at every start)\n");
    std::string saved;
    {
      const double cpu0 = thread_cpu_seconds();
      const Stopwatch sw;
      saved = svc->save();
      const double s = sw.seconds();
      const double cpu = thread_cpu_seconds() - cpu0;
      std::printf("  save(): %.2f s (thread CPU %.2f s), %.0f MiB (%.0f B per claim)\n", s, cpu,
                  static_cast<double>(saved.size()) / 1048576.0,
                  static_cast<double>(saved.size()) / static_cast<double>(n));
      record(results, "collection_save_s", s);
      record(results, "collection_snapshot_mib", static_cast<double>(saved.size()) / 1048576.0);
    }
    print_memory("after save()");
    if (!dir.empty()) {  // as the runner keeps it: SnapshotStore (SQLite, SHA-256 checked)
      std::filesystem::create_directories(dir);
      const std::string path = dir + "/collection.snapshots";
      remove_db(path);
      auto store = runtime::SnapshotStore::open(path);
      if (!store) return fail("snapshot store", store.error());
      runtime::Snapshot snap;
      snap.service = std::string(svc->name());
      snap.state_version = svc->state_version();
      snap.sequence = 1;
      snap.log_hash = std::string(64, '0');
      snap.state = std::move(saved);
      const std::size_t bytes = snap.state.size();
      Stopwatch sw;
      auto st = (*store)->put(snap);
      const double put_s = sw.seconds();
      if (!st) {
        std::printf("  SnapshotStore::put of %zu bytes: %s\n", bytes,
                    st.error().to_string().c_str());
        return fail("snapshot put", st.error());
      }
      snap = runtime::Snapshot{};
      sw = Stopwatch();
      auto got = (*store)->get(std::string(collection::service_name));
      const double get_s = sw.seconds();
      if (!got || !*got)
        return fail("snapshot get", got ? make_error("bench", "", "none") : got.error());
      // The state as get() hands it: its file, mapped (Snapshot::bytes()).
      saved = std::string((*got)->bytes());
      if (saved.size() != bytes) return fail("snapshot get", make_error("bench", "", "size"));
      std::printf(
          "  SnapshotStore::put (state file written and checksummed by 16 MiB blocks, then "
          "recorded in SQLite): %.2f s; get (file mapped, every block's SHA-256 checked): "
          "%.2f s; %.0f MiB\n",
          put_s, get_s, static_cast<double>(bytes) / 1048576.0);
      record(results, "collection_snapshot_put_s", put_s);
      record(results, "collection_snapshot_get_s", get_s);
      store->reset();
      remove_db(path);
      print_memory("after put() and get()");
    }
    {
      auto fresh = collection::make_collection_service();
      const double cpu0 = thread_cpu_seconds();
      const Stopwatch sw;
      auto st = fresh->load(saved);
      const double s = sw.seconds();
      const double cpu = thread_cpu_seconds() - cpu0;
      if (!st) return fail("load", st.error());
      if (fresh->state().claims().size() != svc->state().claims().size()) {
        return fail("load", make_error("bench", "", "loaded state differs"));
      }
      std::printf("  load(): %.2f s (thread CPU %.2f s), %zu claims\n", s, cpu,
                  fresh->state().claims().size());
      record(results, "collection_load_s", s);
    }
    print_memory("after load()");
  }
  record(results, "collection_maxrss_mib", mib(peak_memory().ru_maxrss_kib));
  return 0;
}

}  // namespace
}  // namespace oppgjor::bench

int main(int argc, char** argv) {
  CLI::App app{"Collection close-day benchmark (docs/PERFORMANCE.md, issue 9)"};
  std::int64_t claims = 1'000'000;
  std::string day = "2026-03-10";
  int due_permille = 15;
  int dunning_permille = 100;
  int repeat = 3;
  bool no_snapshot = false;
  std::string dir;
  std::string results;
  std::string perf_ctl;
  app.add_option("--claims", claims, "open claims")->check(CLI::Range(1, 9'000'000));
  app.add_option("--day", day, "the day closed (a business day)");
  app.add_option("--due-permille", due_permille, "claims due for a reminder on the day, ‰")
      ->check(CLI::Range(0, 1000));
  app.add_option("--dunning-permille", dunning_permille,
                 "claims with a reminder sent, deadline after the day, ‰")
      ->check(CLI::Range(0, 1000));
  app.add_option("--repeat", repeat, "decisions and scans, interleaved")->check(CLI::Range(1, 100));
  app.add_flag("--no-snapshot", no_snapshot, "skip save() and load()");
  app.add_option("--dir", dir, "a directory for the SnapshotStore file (put and get timed)");
  app.add_option("--results", results, "append key value lines here");
  app.add_option("--perf-ctl", perf_ctl, "perf --control fifo: the first decision is profiled");
  CLI11_PARSE(app, argc, argv);
  if (due_permille + dunning_permille > 1000) {
    std::fprintf(stderr, "oppgjor_collection_bench: the shares add up to more than 1000 ‰\n");
    return 2;
  }
  return oppgjor::bench::run(claims, day, due_permille, dunning_permille, repeat, !no_snapshot, dir,
                             results, perf_ctl);
}
