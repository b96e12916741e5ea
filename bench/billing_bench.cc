// oppgjor_billing_bench: the invoicing and ledger benchmarks behind bench/billing.sh
// (docs/PERFORMANCE.md, "Invoicing and ledger (issue 8)"). One mode per process, so that each
// reports its own peak memory:
//   invoice-run  a log of N customers with one invoice basis each for January 2026 (the sample
//                generator's first month, no nursing-home residents), brought to a fixed point
//                (not timed); then, timed, what `oppgjor invoice run` does after it has opened
//                the services: append an invoicing.run_requested command (with actor) and run
//                every service to a fixed point (the invoices, the ledger's postings of them,
//                the snapshots). Baseline, same run: EventLog::append of exactly the events the
//                run appended, prepared beforehand, into a copy of the log as it was before the
//                run, in batches.
//   ocr          on the log after the invoice run: an OCR giro file of M payments (make_ocr_file)
//                against the KIDs of the issued invoices (exact, partial, over, unknown and no
//                KID); timed, what `oppgjor payments import-ocr` does after it has opened the
//                services: ocr_file_events + make_engine_event + append + run to a fixed point.
//                Baselines, same run, into a copy of the log as it was before the import: the
//                same batch events (and the ledger's postings of them), and M events of one
//                payment each, appended in batches of 2000.
// Every service is wrapped in a decorator that times its decide(), fold() and save(), so the run
// splits into the services' own work and the runner's (scan, parse, stamp and validate the
// outputs, append, commit). Not a test: no timing is asserted anywhere (bench/CMakeLists.txt).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "events/engine_event.h"
#include "events/intake.h"
#include "events/sha256.h"
#include "formats/ocr/ocr_writer.h"
#include "sample/sample_generator.h"
#include "services/invoicing/invoicing_service.h"
#include "services/ledger/ledger_service.h"
#include "services/ledger/payments.h"
#include "services/runtime/commands.h"
#include "services/runtime/runner.h"
#include "services/wiring/wiring.h"

namespace oppgjor::bench {
namespace {

int fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor_billing_bench: %s: %s\n", what.c_str(), e.to_string().c_str());
  return 1;
}

double mib(std::int64_t kib) {
  return static_cast<double>(kib) / 1024.0;
}

// ---- Timing decorator -------------------------------------------------------------------------

struct ServiceTimes {
  double decide_s = 0, fold_s = 0, save_s = 0;
  std::int64_t decides = 0, folds = 0;
};

class Timed final : public runtime::Service {
 public:
  Timed(std::unique_ptr<runtime::Service> inner, ServiceTimes* times)
      : inner_(std::move(inner)), t_(times) {}
  std::string_view name() const override { return inner_->name(); }
  std::string state_version() const override { return inner_->state_version(); }
  std::vector<std::string> input_types() const override { return inner_->input_types(); }
  bool decides(std::string_view type) const override { return inner_->decides(type); }
  bool needs_payload() const override { return inner_->needs_payload(); }
  int parts(const events::EventView& e, simdjson::dom::element payload) const override {
    return inner_->parts(e, payload);
  }
  bool spans_customers(std::string_view type) const override {
    return inner_->spans_customers(type);
  }
  Result<std::vector<events::EngineEvent>> decide(const events::EventView& e,
                                                  simdjson::dom::element payload,
                                                  runtime::Part part) const override {
    const Stopwatch sw;
    auto r = inner_->decide(e, payload, part);
    t_->decide_s += sw.seconds();
    ++t_->decides;
    return r;
  }
  Status fold(const events::EventView& e, simdjson::dom::element payload) override {
    const Stopwatch sw;
    auto r = inner_->fold(e, payload);
    t_->fold_s += sw.seconds();
    ++t_->folds;
    return r;
  }
  std::string save() const override {
    const Stopwatch sw;
    auto r = inner_->save();
    t_->save_s += sw.seconds();
    return r;
  }
  // The runner writes snapshots through save_to (streamed to the file): forwarded, or the
  // default would build the whole state through save() instead. Its time includes the writes.
  void save_to(runtime::SnapshotSink& sink) const override {
    const Stopwatch sw;
    inner_->save_to(sink);
    t_->save_s += sw.seconds();
  }
  Status load(std::string_view snapshot) override { return inner_->load(snapshot); }
  // Forwarded too: the runner loads through it (invoicing keeps views into the bytes).
  Status load_image(std::string_view snapshot, const std::shared_ptr<const void>& keep) override {
    return inner_->load_image(snapshot, keep);
  }
  void emit(replay::RowSink& sink) const override { inner_->emit(sink); }
  const runtime::Service& inner() const { return *inner_; }

 private:
  std::unique_ptr<runtime::Service> inner_;
  ServiceTimes* t_;
};

// The engine's services, each timed into times[name].
std::vector<runtime::ServiceFactory> timed_services(std::map<std::string, ServiceTimes>& times) {
  std::vector<runtime::ServiceFactory> out;
  for (auto& f : wiring::all_services()) {
    out.push_back([f, &times]() -> std::unique_ptr<runtime::Service> {
      auto s = f();
      ServiceTimes* t = &times[std::string(s->name())];
      return std::make_unique<Timed>(std::move(s), t);
    });
  }
  return out;
}

template <typename T>
const T& inner_of(const runtime::Runner& runner, std::string_view name) {
  const auto* s = runner.service(name);
  return static_cast<const T&>(static_cast<const Timed*>(s)->inner());
}

void reset(std::map<std::string, ServiceTimes>& times) {
  for (auto& [n, t] : times) t = ServiceTimes{};
}

// ---- Log helpers ------------------------------------------------------------------------------

// The events with sequence in (after, until] as proposed again (the same ids, bytes and hashes).
Result<std::vector<events::ProposedEvent>> read_back(events::EventLog& log, std::int64_t after,
                                                     std::int64_t until) {
  std::vector<events::ProposedEvent> out;
  std::int64_t from = after + 1;
  while (from <= until) {
    auto rows = log.read(from, 10000);
    if (!rows) return rows.error();
    if (rows->empty()) break;
    for (auto& r : *rows) {
      if (r.sequence > until) break;
      events::ProposedEvent p;
      p.event_id = std::move(r.event_id);
      p.type = std::move(r.type);
      p.schema_version = r.schema_version;
      p.stream = std::move(r.stream);
      p.occurred_at = std::move(r.occurred_at);
      p.source = std::move(r.source);
      p.causation_id = std::move(r.causation_id);
      p.correlation_id = std::move(r.correlation_id);
      p.actor = std::move(r.actor);
      p.payload = std::move(r.payload);
      p.content_hash = std::move(r.content_hash);
      p.channel = "bench";
      out.push_back(std::move(p));
    }
    from = rows->back().sequence + 1;
  }
  return out;
}

struct AppendTimes {
  double seconds = 0;
  double cpu_seconds = 0;  // process CPU
  std::int64_t events = 0;
  std::int64_t bytes = 0;
  std::int64_t batches = 0;
};

// Appends `events` to `log` in batches of `batch` (all_or_nothing, as the runner does), timed.
Result<AppendTimes> timed_append(events::EventLog& log,
                                 const std::vector<events::ProposedEvent>& events,
                                 std::size_t batch) {
  AppendTimes t;
  for (const auto& e : events) t.bytes += static_cast<std::int64_t>(e.payload.size());
  const Stopwatch sw;
  const double cpu0 = process_cpu_seconds();
  for (std::size_t i = 0; i < events.size(); i += batch) {
    const std::size_t n = std::min(batch, events.size() - i);
    auto r = log.append(std::span(events.data() + i, n), events::BatchPolicy::all_or_nothing);
    if (!r) return r.error();
    if (!r->committed || r->appended != n) {
      return make_error("bench", "", "baseline batch not appended whole");
    }
    ++t.batches;
  }
  t.seconds = sw.seconds();
  t.cpu_seconds = process_cpu_seconds() - cpu0;
  t.events = static_cast<std::int64_t>(events.size());
  return t;
}

void print_split(const std::map<std::string, ServiceTimes>& times, double total) {
  double services = 0;
  for (const auto& [name, t] : times) {
    if (t.decides == 0 && t.folds == 0 && t.save_s == 0) continue;
    std::printf("    %-10s decide %7.3f s (%lld calls)  fold %7.3f s (%lld)  snapshot %6.3f s\n",
                name.c_str(), t.decide_s, static_cast<long long>(t.decides), t.fold_s,
                static_cast<long long>(t.folds), t.save_s);
    services += t.decide_s + t.fold_s;
  }
  // The snapshots (each service's save_to, its state serialised and written to its file) run on
  // two threads (runtime/two_threads.h), so their times overlap: not subtracted from the wall.
  std::printf(
      "    runner, log and snapshots (scan, parse, stamp + schema-validate outputs, append,\n"
      "    commit; the snapshots written on two threads and recorded): %.3f s\n",
      total - services);
}

void print_memory(const char* when) {
  const PeakMemory m = peak_memory();
  std::printf("peak memory %s: ru_maxrss %.0f MiB (VmHWM %.0f MiB)\n", when, mib(m.ru_maxrss_kib),
              mib(m.vm_hwm_kib));
}

// `perf record --control fifo:CTL -D -1`: the timed part alone is profiled when the bench is
// given --perf-ctl CTL (bench/billing.sh --perf).
void perf_control(const std::string& fifo, const char* command) {
  if (fifo.empty()) return;
  std::ofstream ctl(fifo);
  ctl << command << '\n';
  ctl.flush();
}

// ---- invoice-run ------------------------------------------------------------------------------

// The sample generator's lines up to the end of January (rules, customers, January's bases and
// address changes, January's closed days).
Result<std::int64_t> write_january(const std::string& path, int customers) {
  sample::SampleOptions o;
  o.seed = 2026;
  o.customers = customers;
  o.year = 2026;
  o.residents_pct = 0;
  o.compact = true;
  std::ofstream out(path, std::ios::binary);
  bool in_closed_days = false, done = false;
  std::int64_t lines = 0;
  sample::generate_sample(o, [&](std::string_view line) {
    if (done) return;
    const bool closed_day = line.find("\"type\":\"calendar.day_closed\"") != std::string_view::npos;
    if (in_closed_days && !closed_day) {
      done = true;
      return;
    }
    in_closed_days = in_closed_days || closed_day;
    out << line << '\n';
    ++lines;
  });
  if (!out) return make_error("storage_error", "", "cannot write " + path);
  return lines;
}

int run_invoice(const std::string& dir, int customers, std::size_t batch,
                const std::string& results, const std::string& perf_ctl) {
  WallClock clock;
  auto registry = events::SchemaRegistry::load();
  if (!registry) return fail("schemas", registry.error());
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/log.db";
  const std::string base = dir + "/before-run.db";
  const std::string snapshots = runtime::default_snapshot_path(db);
  remove_db(db);
  remove_db(snapshots);
  std::map<std::string, ServiceTimes> times;
  {  // Setup, not timed: the log and the services at a fixed point.
    const Stopwatch sw;
    const std::string input = dir + "/january.jsonl";
    auto lines = write_january(input, customers);
    if (!lines) return fail("sample", lines.error());
    auto log = events::EventLog::open(db, clock, {events::Durability::normal});
    if (!log) return fail("open", log.error());
    auto ingested = events::ingest_file(input, **log, *registry, {});
    if (!ingested) return fail("ingest", ingested.error());
    std::filesystem::remove(input);
    auto writer = events::EventLog::open(db, clock);
    auto reader = events::EventLog::open(db, clock);
    auto store = runtime::SnapshotStore::open(snapshots);
    if (!writer || !reader || !store) return fail("open", make_error("storage_error", "", db));
    runtime::Runner runner(**writer, **reader, **registry, store->get(), timed_services(times));
    auto stats = runner.run_to_fixed_point();
    if (!stats) return fail("setup run", stats.error());
    std::printf(
        "setup (not timed): %lld customers, %lld events ingested, fixed point at %lld, "
        "%.1f s\n",
        static_cast<long long>(customers), static_cast<long long>(ingested->appended),
        static_cast<long long>(stats->head), sw.seconds());
  }
  copy_db(db, base);
  std::printf("log before the run: %.1f MiB\n",
              static_cast<double>(std::filesystem::file_size(db)) / 1048576.0);

  std::int64_t head_before = 0, command_seq = 0, head_after = 0, invoices = 0, postings = 0;
  {
    auto writer = events::EventLog::open(db, clock);
    auto reader = events::EventLog::open(db, clock);
    auto store = runtime::SnapshotStore::open(snapshots);
    if (!writer || !reader || !store) return fail("open", make_error("storage_error", "", db));
    runtime::Runner runner(**writer, **reader, **registry, store->get(), timed_services(times));
    {
      const Stopwatch sw;
      if (auto st = runner.bring_up(); !st.ok()) return fail("bring up", st.error());
      std::printf("services up from their snapshots (not timed): %.2f s\n", sw.seconds());
    }
    auto head = reader->get()->head();
    if (!head) return fail("head", head.error());
    head_before = head->sequence;
    print_memory("before the run (setup included)");
    reset(times);

    // As cli/service_session.cc submit_command does, with fixed "randomness".
    const std::string now = clock.now_utc();
    events::EngineEvent command;
    command.event_id = runtime::command_event_id(now, 0x0123456789abcdefULL, 0x0fedcba987654321ULL);
    command.type = std::string(invoicing::run_requested_type);
    command.stream = runtime::command_stream(command.event_id);
    command.occurred_at = now;
    command.source = "oppgjor.cli";
    command.actor = "bench";
    command.payload_json = R"({"issue_date":"2026-02-05","period":"2026-01"})";

    perf_control(perf_ctl, "enable");
    const Stopwatch total;
    const double cpu0 = process_cpu_seconds();
    auto proposed = events::make_engine_event(**registry, command);
    if (!proposed) return fail("command", proposed.error());
    auto appended =
        (*writer)->append(std::span(&*proposed, 1), events::BatchPolicy::all_or_nothing);
    if (!appended || !appended->committed) {
      return fail("append command", appended ? make_error("refused", "", "") : appended.error());
    }
    const double t_command = total.seconds();
    auto stats = runner.run_to_fixed_point();
    const double seconds = total.seconds();
    const double cpu = process_cpu_seconds() - cpu0;
    perf_control(perf_ctl, "disable");
    if (!stats) return fail("run", stats.error());
    command_seq = head_before + 1;
    head_after = stats->head;
    print_memory("after the run");

    auto answer = runtime::answer_of(runner.outputs_caused_by(command.event_id));
    if (!answer) return fail("answer", answer.error());
    if (answer->refused) return fail("run refused", answer->refusal);
    invoices = answer->completion.counts["invoices"];
    postings = stats->services["ledger"].appended;
    const auto& ledger = inner_of<ledger::LedgerService>(runner, ledger::service_name);
    std::int64_t open_items = 0;
    for (const auto& [n, item] : ledger.state().items()) open_items += item.open_ore > 0;

    std::printf("\n== invoice run: %lld customers, period 2026-01\n",
                static_cast<long long>(customers));
    std::printf(
        "  invoices issued: %lld; ledger outputs: %lld; open items: %lld; "
        "events appended by the run: %lld (+1 command)\n",
        static_cast<long long>(invoices), static_cast<long long>(postings),
        static_cast<long long>(open_items), static_cast<long long>(head_after - command_seq));
    std::printf(
        "  append command + run to fixed point: %.2f s = %.0f invoices/s"
        " (process CPU %.2f s; command append %.4f s; %d passes, %lld commits)\n",
        seconds, static_cast<double>(invoices) / seconds, cpu, t_command, stats->passes,
        static_cast<long long>(stats->commits));
    print_split(times, seconds - t_command);
    std::printf("  process CPU so far: %.1f s\n", process_cpu_seconds());
    record(results, "invoice_run_s", seconds);
    record(results, "invoice_run_invoices_per_s", static_cast<double>(invoices) / seconds);
    for (const auto& [name, t] : times) {
      record(results, "invoice_run_decide_s_" + name, t.decide_s);
      record(results, "invoice_run_fold_s_" + name, t.fold_s);
      record(results, "invoice_run_save_s_" + name, t.save_s);
    }
    record(results, "invoice_run_maxrss_mib", mib(peak_memory().ru_maxrss_kib));
  }

  {  // Baseline: the same events, prepared, appended raw to the log as it was before the run.
    auto log = events::EventLog::open(db, clock, {events::Durability::full, true});
    if (!log) return fail("open", log.error());
    auto events = read_back(**log, command_seq, head_after);
    if (!events) return fail("read back", events.error());
    log->reset();
    auto target = events::EventLog::open(base, clock);
    if (!target) return fail("open", target.error());
    auto t = timed_append(**target, *events, batch);
    if (!t) return fail("baseline", t.error());
    const double eps = static_cast<double>(t->events) / t->seconds;
    std::printf(
        "  baseline, same run: EventLog::append of the run's %lld events (%.1f MiB of "
        "payload), prepared, batches of %zu, synchronous=FULL, into a copy of the log "
        "before the run: %.2f s (process CPU %.2f s) = %.0f events/s = %.0f "
        "invoices/s\n",
        static_cast<long long>(t->events), static_cast<double>(t->bytes) / 1048576.0, batch,
        t->seconds, t->cpu_seconds, eps, static_cast<double>(invoices) / t->seconds);
    record(results, "invoice_run_baseline_append_eps", eps);
    record(results, "invoice_run_baseline_invoices_per_s",
           static_cast<double>(invoices) / t->seconds);
  }
  remove_db(base);
  return 0;
}

// ---- ocr --------------------------------------------------------------------------------------

struct Mix {
  std::int64_t exact = 0, partial = 0, over = 0, unknown = 0, no_kid = 0;
};

// M payments against the open items (by invoice number): per payment, by a fixed pattern of 20,
// 11 exact (the original amount), 4 partial (a third), 2 over (+ 250 kr), 2 with an unknown KID,
// 1 without a KID. Invoices are taken in turn, so with more payments than invoices an invoice is
// paid again (then the "exact" payment is an overpayment for the ledger).
std::vector<formats::ocr::Payment> make_payments(const ledger::LedgerState& ledger,
                                                 std::int64_t count, common::Date date, Mix& mix) {
  std::vector<const ledger::OpenItem*> items;
  for (const auto& [n, item] : ledger.items()) {
    if (!item.kid.empty()) items.push_back(&item);
  }
  std::vector<formats::ocr::Payment> out;
  out.reserve(static_cast<std::size_t>(count));
  std::size_t next_item = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    formats::ocr::Payment p;
    p.date = date;
    const int slot = static_cast<int>(i % 20);
    if (slot >= 17 || items.empty()) {
      if (slot == 19) {
        ++mix.no_kid;
      } else {
        char kid[32];
        std::snprintf(kid, sizeof kid, "9%017lld", static_cast<long long>(i));
        p.kid = kid;
        ++mix.unknown;
      }
      p.amount_ore = 170000;
    } else {
      const ledger::OpenItem& item = *items[next_item++ % items.size()];
      p.kid = item.kid;
      if (slot < 11) {
        p.amount_ore = item.original_ore;
        ++mix.exact;
      } else if (slot < 15) {
        p.amount_ore = std::max<std::int64_t>(100, item.original_ore / 3);
        ++mix.partial;
      } else {
        p.amount_ore = item.original_ore + 25000;
        ++mix.over;
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

int run_ocr(const std::string& dir, std::int64_t count, const std::string& results,
            const std::string& perf_ctl, common::Date date) {
  WallClock clock;
  auto registry = events::SchemaRegistry::load();
  if (!registry) return fail("schemas", registry.error());
  const std::string db = dir + "/log.db";
  const std::string base = dir + "/before-import.db";
  const std::string snapshots = runtime::default_snapshot_path(db);
  if (!std::filesystem::exists(db)) {
    return fail("ocr", make_error("usage", "", db + " missing: run invoice-run first"));
  }
  copy_db(db, base);
  std::map<std::string, ServiceTimes> times;
  auto writer = events::EventLog::open(db, clock);
  auto reader = events::EventLog::open(db, clock);
  auto store = runtime::SnapshotStore::open(snapshots);
  if (!writer || !reader || !store) return fail("open", make_error("storage_error", "", db));
  runtime::Runner runner(**writer, **reader, **registry, store->get(), timed_services(times));
  {
    const Stopwatch sw;
    if (auto st = runner.bring_up(); !st.ok()) return fail("bring up", st.error());
    std::printf("services up from their snapshots (not timed): %.2f s\n", sw.seconds());
  }
  const auto& ledger = inner_of<ledger::LedgerService>(runner, ledger::service_name);
  Mix mix;
  std::string bytes;
  {
    const Stopwatch sw;
    const auto payments = make_payments(ledger.state(), count, date, mix);
    formats::ocr::FileParams params;
    params.nets_date = date;
    params.transmission_number = "0000042";
    bytes = formats::ocr::write_ocr_file(formats::ocr::make_ocr_file(params, payments));
    std::printf(
        "OCR file (not timed): %lld payments, %.1f MiB, %.2f s; pattern: exact %lld, "
        "partial %lld, over %lld, unknown KID %lld, no KID %lld\n",
        static_cast<long long>(count), static_cast<double>(bytes.size()) / 1048576.0, sw.seconds(),
        static_cast<long long>(mix.exact), static_cast<long long>(mix.partial),
        static_cast<long long>(mix.over), static_cast<long long>(mix.unknown),
        static_cast<long long>(mix.no_kid));
  }
  auto head = reader->get()->head();
  if (!head) return fail("head", head.error());
  const std::int64_t head_before = head->sequence;
  print_memory("before the import (setup included)");
  reset(times);

  // Timed: as cmd_payments.cc run_import + service_session.cc submit_events.
  perf_control(perf_ctl, "enable");
  const Stopwatch total;
  const double cpu0 = process_cpu_seconds();
  auto specs = ledger::ocr_file_events(bytes, clock.now_utc());
  if (!specs) return fail("ocr_file_events", specs.error());
  const double t_parse = total.seconds();
  std::vector<events::ProposedEvent> proposed;
  proposed.reserve(specs->size());
  for (auto& e : *specs) {
    const std::string type = e.type;
    auto p = events::make_engine_event(**registry, std::move(e));
    if (!p) return fail(type, p.error());
    proposed.push_back(std::move(p).value());
  }
  specs->clear();
  specs->shrink_to_fit();
  const double t_validate = total.seconds() - t_parse;
  auto appended = (*writer)->append(proposed, events::BatchPolicy::all_or_nothing);
  if (!appended || !appended->committed) {
    return fail("append", appended ? make_error("refused", "", "") : appended.error());
  }
  // Let go once appended, as submit_proposed does; the baselines read them back from the log.
  const auto batches = static_cast<std::int64_t>(proposed.size());
  proposed.clear();
  proposed.shrink_to_fit();
  const double t_append = total.seconds() - t_parse - t_validate;
  const Stopwatch run_sw;
  auto stats = runner.run_to_fixed_point();
  const double t_run = run_sw.seconds();
  const double seconds = total.seconds();
  const double cpu = process_cpu_seconds() - cpu0;
  perf_control(perf_ctl, "disable");
  if (!stats) return fail("run", stats.error());
  print_memory("after the import");
  const std::int64_t head_after = stats->head;

  const std::string sha = events::sha256_hex(bytes);
  ledger::FileStats fs;
  if (auto it = ledger.state().files().find(sha); it != ledger.state().files().end()) {
    fs = it->second;
  }
  // Traceability: every payment booked against a customer is a row on that customer's statement.
  std::int64_t statement_payment_rows = 0;
  for (const auto& [customer, rows] : ledger.state().statements()) {
    for (const auto& r : rows) statement_payment_rows += r.kind == ledger::TxKind::payment;
  }
  std::printf("\n== OCR import: %lld payments in %lld batch events\n",
              static_cast<long long>(count), static_cast<long long>(batches));
  std::printf(
      "  ledger: matched %lld, partial %lld, overpaid %lld, suspense %lld, duplicates "
      "%lld; %lld events appended by the ledger; payment rows on statements %lld\n",
      static_cast<long long>(fs.matched), static_cast<long long>(fs.partial),
      static_cast<long long>(fs.overpaid), static_cast<long long>(fs.suspense),
      static_cast<long long>(fs.duplicates),
      static_cast<long long>(stats->services["ledger"].appended),
      static_cast<long long>(statement_payment_rows));
  std::printf(
      "  ocr_file_events + validate + append + run to fixed point: %.2f s = %.0f "
      "payments/s (process CPU %.2f s)\n",
      seconds, static_cast<double>(count) / seconds, cpu);
  std::printf(
      "    parse + check file (ocr_file_events) %.3f s; make_engine_event %.3f s; "
      "append %.3f s; run %.3f s (%d passes, %lld commits)\n",
      t_parse, t_validate, t_append, t_run, stats->passes, static_cast<long long>(stats->commits));
  print_split(times, t_run);
  std::printf("  process CPU so far: %.1f s\n", process_cpu_seconds());
  record(results, "ocr_import_s", seconds);
  record(results, "ocr_import_payments_per_s", static_cast<double>(count) / seconds);
  record(results, "ocr_import_maxrss_mib", mib(peak_memory().ru_maxrss_kib));

  // Baselines, same run, into the copy of the log before the import.
  auto inputs = read_back(**reader, head_before, head_before + batches);
  if (!inputs) return fail("read back", inputs.error());
  proposed = std::move(*inputs);
  auto outputs = read_back(**reader, head_before + batches, head_after);
  if (!outputs) return fail("read back", outputs.error());
  auto target = events::EventLog::open(base, clock);
  if (!target) return fail("open", target.error());
  auto t1 = timed_append(**target, proposed, proposed.size());
  if (!t1) return fail("baseline", t1.error());
  auto t2 = timed_append(**target, *outputs, 8192);
  if (!t2) return fail("baseline", t2.error());
  std::printf(
      "  baseline 1, same run: EventLog::append of the same %lld batch events (%.1f MiB), "
      "one batch: %.3f s (process CPU %.2f s) = %.0f payments/s; with the ledger's "
      "%lld output events (%.1f MiB) after them: %.3f s (CPU %.2f s) = %.0f payments/s\n",
      static_cast<long long>(t1->events), static_cast<double>(t1->bytes) / 1048576.0, t1->seconds,
      t1->cpu_seconds, static_cast<double>(count) / t1->seconds, static_cast<long long>(t2->events),
      static_cast<double>(t2->bytes) / 1048576.0, t1->seconds + t2->seconds,
      t1->cpu_seconds + t2->cpu_seconds, static_cast<double>(count) / (t1->seconds + t2->seconds));
  record(results, "ocr_baseline_batches_payments_per_s", static_cast<double>(count) / t1->seconds);
  record(results, "ocr_baseline_all_payments_per_s",
         static_cast<double>(count) / (t1->seconds + t2->seconds));

  // Baseline 2: one event per payment (the same payments, each as a batch of one).
  std::vector<events::ProposedEvent> singles;
  {
    singles.reserve(static_cast<std::size_t>(count));
    // The schema caps batch_count (100,001): one made-up file per 100,000 payments.
    constexpr std::int64_t per_file = 100000;
    simdjson::dom::parser parser;
    std::int64_t index = 0;
    for (const auto& e : proposed) {
      simdjson::dom::element doc;
      if (parser.parse(e.payload).get(doc) != simdjson::SUCCESS) {
        return fail("parse", make_error("bench", "", "batch payload"));
      }
      auto b = ledger::decode_batch(doc);
      if (!b) return fail("decode_batch", b.error());
      // The batch without its payments, copied for each one (not the whole batch each time).
      const std::vector<ledger::Payment> payments = std::move(b->payments);
      b->payments.clear();
      for (const auto& p : payments) {
        const std::int64_t file = index / per_file;
        const std::string fake_sha =
            events::sha256_hex("bench/one-per-payment/" + sha + "/" + std::to_string(file));
        ledger::PaymentBatch one = *b;
        one.file_sha256 = fake_sha;
        one.payments.assign(1, p);
        one.batch_index = index % per_file;
        one.batch_count = std::min(per_file, count - file * per_file);
        events::EngineEvent spec;
        spec.event_id = events::deterministic_event_id("bench/one/" + std::to_string(index));
        spec.type = std::string(ledger::ocr_batch_type);
        spec.stream = ledger::payment_stream(fake_sha);
        spec.stream_version = index % per_file + 1;
        spec.occurred_at = e.occurred_at;
        spec.source = "oppgjor.payments";
        spec.payload_json = ledger::batch_payload(one);
        auto pe = events::make_engine_event(**registry, spec);
        if (!pe) return fail("single", pe.error());
        singles.push_back(std::move(pe).value());
        ++index;
      }
    }
  }
  auto t3 = timed_append(**target, singles, ledger::batch_size_max);
  if (!t3) return fail("baseline", t3.error());
  std::printf(
      "  baseline 2, same run: EventLog::append of %lld events of one payment each "
      "(%.1f MiB), batches of %zu: %.2f s (process CPU %.2f s) = %.0f events/s = "
      "payments/s\n",
      static_cast<long long>(t3->events), static_cast<double>(t3->bytes) / 1048576.0,
      ledger::batch_size_max, t3->seconds, t3->cpu_seconds,
      static_cast<double>(t3->events) / t3->seconds);
  record(results, "ocr_baseline_single_events_per_s",
         static_cast<double>(t3->events) / t3->seconds);
  target->reset();
  remove_db(base);
  return 0;
}

}  // namespace
}  // namespace oppgjor::bench

int main(int argc, char** argv) {
  using namespace oppgjor::bench;
  CLI::App app{"oppgjor_billing_bench: invoicing and ledger benchmarks (bench/billing.sh)"};
  app.require_subcommand(1);
  std::string dir, results = "/dev/null", perf_ctl;
  int customers = 60000;
  std::int64_t payments = 200000;
  std::size_t batch = 8192;
  int rc = 0;
  auto* inv = app.add_subcommand("invoice-run", "an invoice run against raw append");
  inv->add_option("--dir", dir, "work directory (log.db is left there for `ocr`)")->required();
  inv->add_option("--customers", customers);
  inv->add_option("--batch", batch, "baseline batch size (events)");
  inv->add_option("--results", results);
  inv->add_option("--perf-ctl", perf_ctl, "perf --control fifo: profile the timed part only");
  inv->callback([&] { rc = run_invoice(dir, customers, batch, results, perf_ctl); });
  auto* ocr = app.add_subcommand("ocr", "an OCR import on the log after invoice-run");
  ocr->add_option("--dir", dir)->required();
  ocr->add_option("--payments", payments);
  ocr->add_option("--results", results);
  ocr->add_option("--perf-ctl", perf_ctl, "perf --control fifo: profile the timed part only");
  // 2026-02-25: after the invoices' due date (2026-02-19), so the collection service charges
  // late-payment interest on every matched payment and the ledger posts each charge; a date on
  // or before the due date is a file paid on time (no interest).
  std::string paid_on = "2026-02-25";
  ocr->add_option("--paid-on", paid_on, "the payments' settlement date (YYYY-MM-DD)");
  ocr->callback([&] {
    auto date = oppgjor::common::Date::parse(paid_on);
    if (!date) {
      std::fprintf(stderr, "--paid-on: not a date: %s\n", paid_on.c_str());
      rc = 2;
      return;
    }
    rc = run_ocr(dir, payments, results, perf_ctl, *date);
  });
  CLI11_PARSE(app, argc, argv);
  return rc;
}
