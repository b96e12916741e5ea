// oppgjor_log_bench: the event-log benchmark behind bench/run.sh (docs/PERFORMANCE.md).
//
// One mode per process, so that each figure (above all replay's peak memory) is measured in a
// fresh process image:
//   generate    write N synthetic upstream events (sample/sample_generator.h) as JSON Lines
//   ingest      the real intake path, events::ingest_file: decode, validate, canonicalise,
//               SHA-256 chain, SQLite insert, batches of 5000 per transaction
//   raw-insert  baseline: the same rows (same columns, same payload bytes) into a table with no
//               secondary index, prepared statement, one transaction per batch
//   replay      replay::replay with the builtin projections; peak memory of this process
//   raw-scan    baseline: SELECT of the replay scan's columns, touching every payload byte
//   phases      where ingest time goes: each step of the path timed on its own
//   report      the table, with ratios to the same-run baselines
// Every measuring mode appends "key value" lines to --results.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "events/canonical_json.h"
#include "events/decoder.h"
#include "events/index_file.h"
#include "events/intake.h"
#include "events/sha256.h"
#include "events/sqlite_util.h"
#include "replay/builtin_projections.h"
#include "replay/replayer.h"
#include "sample/sample_generator.h"

namespace oppgjor::bench {
namespace {

constexpr std::size_t batch_rows_default = events::intake_batch_events_default;

int fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "oppgjor_log_bench: %s: %s\n", what.c_str(), e.to_string().c_str());
  return 1;
}

events::Durability durability_of(const std::string& name) {
  return name == "normal" ? events::Durability::normal : events::Durability::full;
}

// ---- generate ------------------------------------------------------------------------------

// The payload is the envelope's last member (sample_generator.cc builds it so).
std::size_t payload_bytes(std::string_view line) {
  const auto at = line.rfind("\"payload\":");
  return at == std::string_view::npos ? 0 : line.size() - (at + 10) - 1;
}

int run_generate(std::int64_t events_wanted, const std::string& out_path, bool compact,
                 const std::string& results) {
  sample::SampleOptions o;
  o.compact = compact;
  o.customers = static_cast<int>(events_wanted / 12 + 1);  // about 12.4 lines per customer
  for (;;) {
    std::int64_t lines = 0;
    sample::generate_sample(o, [&](std::string_view) { ++lines; });
    if (lines >= events_wanted) break;
    o.customers += o.customers / 10 + 1;
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  std::int64_t lines = 0, line_bytes = 0, payload_total = 0;
  sample::generate_sample(o, [&](std::string_view line) {
    if (lines == events_wanted) return;
    ++lines;
    line_bytes += static_cast<std::int64_t>(line.size());
    payload_total += static_cast<std::int64_t>(payload_bytes(line));
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.put('\n');
  });
  out.close();
  if (!out) return fail("generate", make_error("io_error", "", "cannot write " + out_path));
  const double avg_line = static_cast<double>(line_bytes) / static_cast<double>(lines);
  const double avg_payload = static_cast<double>(payload_total) / static_cast<double>(lines);
  std::printf("generate: %lld events from %d customers (%s payloads), %.1f MB -> %s\n",
              static_cast<long long>(lines), o.customers, compact ? "compact" : "default",
              static_cast<double>(line_bytes) / 1e6, out_path.c_str());
  std::printf("generate: average envelope %.1f bytes, average payload %.1f bytes\n", avg_line,
              avg_payload);
  record(results, "events", static_cast<double>(lines));
  record(results, "customers", o.customers);
  record(results, "avg_line_bytes", avg_line);
  record(results, "avg_payload_bytes", avg_payload);
  return 0;
}

// ---- ingest --------------------------------------------------------------------------------

int run_ingest(const std::string& in_path, const std::string& db, const std::string& durability,
               std::size_t batch, const std::string& pragma, const std::string& results) {
  remove_db(db);
  WallClock clock;
  auto log = events::EventLog::open(db, clock, {durability_of(durability), false});
  if (!log.ok()) return fail("open " + db, log.error());
  if (!pragma.empty()) {  // an experiment, never part of the reported figures
    if (auto st = events::exec((*log)->db(), pragma.c_str()); !st.ok()) {
      return fail("pragma", st.error());
    }
    std::printf("ingest: experiment, extra SQL on the log connection: %s\n", pragma.c_str());
  }
  auto registry = events::SchemaRegistry::load();
  if (!registry.ok()) return fail("schemas", registry.error());
  events::IntakeOptions io;
  io.batch_events = batch;
  const double cpu0 = process_cpu_seconds();
  const Stopwatch sw;
  auto stats = events::ingest_file(in_path, **log, registry.value(), io);
  const double s = sw.seconds();
  const double cpu_s = process_cpu_seconds() - cpu0;
  if (!stats.ok()) return fail("ingest", stats.error());
  if (stats->appended != stats->inputs) {
    std::fprintf(stderr, "oppgjor_log_bench: ingest rejected %lld of %lld inputs\n",
                 static_cast<long long>(stats->inputs - stats->appended),
                 static_cast<long long>(stats->inputs));
    return 1;
  }
  const double eps = static_cast<double>(stats->appended) / s;
  const double cpu_eps = static_cast<double>(stats->appended) / cpu_s;
  std::printf(
      "ingest (synchronous=%s, %zu per transaction): %lld events in %.2f s = %.0f events/s "
      "(CPU %.2f s = %.0f events per CPU-second)\n",
      durability == "normal" ? "NORMAL" : "FULL", batch, static_cast<long long>(stats->appended), s,
      eps, cpu_s, cpu_eps);
  // What the log does as it closes after so many appends (events/index_file.h), timed apart.
  const Stopwatch index_sw;
  if (auto st = (*log)->save_index_file(); !st.ok()) return fail("index file", st.error());
  const double index_s = index_sw.seconds();
  std::error_code ec;
  const auto index_bytes = std::filesystem::file_size(events::index_file_path(db), ec);
  std::printf("  index file written as the log closes: %.2f s, %.1f MiB\n", index_s,
              ec ? 0.0 : static_cast<double>(index_bytes) / 1048576.0);
  record(results, "ingest_" + durability + "_index_file_s", index_s);
  record(results, "ingest_" + durability + "_cpu_eps", cpu_eps);
  record(results, "ingest_" + durability + "_eps", eps);
  record(results, "ingest_" + durability + "_s", s);
  return 0;
}

// ---- raw-insert ----------------------------------------------------------------------------

constexpr int log_columns = 16;
constexpr const char* select_log_rows =
    "SELECT sequence,stream,stream_version,event_id,type,schema_version,occurred_at,"
    "recorded_at,source,causation_id,correlation_id,actor,payload,content_hash,prev_hash,hash "
    "FROM events ORDER BY sequence";

// The log's columns and types (events/event_log.cc), with no UNIQUE constraint, no trigger.
constexpr const char* raw_table_sql = R"sql(
CREATE TABLE events_raw(
  sequence INTEGER PRIMARY KEY, stream TEXT NOT NULL, stream_version INTEGER NOT NULL,
  event_id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, source TEXT NOT NULL,
  causation_id TEXT, correlation_id TEXT, actor TEXT, payload TEXT NOT NULL,
  content_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
)sql";
constexpr const char* raw_indexes_sql =
    "CREATE UNIQUE INDEX raw_event_id ON events_raw(event_id);"
    "CREATE UNIQUE INDEX raw_stream ON events_raw(stream, stream_version);";

struct RawRow {
  std::int64_t ints[log_columns] = {};
  std::string texts[log_columns];
  bool null[log_columns] = {};
};

bool is_int_column(int c) {
  return c == 0 || c == 2 || c == 5;
}

// Reads up to `n` rows into `rows` (not timed). Returns the number read, -1 on error.
int read_chunk(events::Stmt& src, std::vector<RawRow>& rows, std::size_t n) {
  std::size_t k = 0;
  int rc = SQLITE_ROW;
  while (k < n && (rc = src.step()) == SQLITE_ROW) {
    RawRow& r = rows[k++];
    for (int c = 0; c < log_columns; ++c) {
      r.null[c] = src.is_null(c);
      if (is_int_column(c)) {
        r.ints[c] = src.int_col(c);
      } else if (!r.null[c]) {
        r.texts[c].assign(src.text_col(c));
      }
    }
  }
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? static_cast<int>(k) : -1;
}

Status insert_chunk(sqlite3* db, events::Stmt& ins, const std::vector<RawRow>& rows, int n) {
  if (auto st = events::exec(db, "BEGIN"); !st.ok()) return st;
  for (int i = 0; i < n; ++i) {
    const RawRow& r = rows[static_cast<std::size_t>(i)];
    sqlite3_stmt* s = ins.get();
    for (int c = 0; c < log_columns; ++c) {
      if (r.null[c]) {
        sqlite3_bind_null(s, c + 1);
      } else if (is_int_column(c)) {
        sqlite3_bind_int64(s, c + 1, r.ints[c]);
      } else {
        sqlite3_bind_text(s, c + 1, r.texts[c].data(), static_cast<int>(r.texts[c].size()),
                          SQLITE_STATIC);
      }
    }
    if (sqlite3_step(s) != SQLITE_DONE) return events::sqlite_error(db, "raw insert");
    sqlite3_reset(s);
  }
  return events::exec(db, "COMMIT");
}

int run_raw_insert(const std::string& from_db, const std::string& db, const std::string& durability,
                   std::size_t batch, bool with_indexes, const std::string& pragma,
                   const std::string& results) {
  remove_db(db);
  sqlite3* src_db = nullptr;
  sqlite3* dst = nullptr;
  if (sqlite3_open_v2(from_db.c_str(), &src_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(db.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
          SQLITE_OK) {
    return fail("raw-insert", make_error("io_error", "", "cannot open the databases"));
  }
  const std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                            (durability == "normal" ? "NORMAL;" : "FULL;") + raw_table_sql +
                            (with_indexes ? raw_indexes_sql : "");
  if (auto st = events::exec(dst, setup.c_str()); !st.ok()) return fail("raw-insert", st.error());
  if (!pragma.empty()) {  // an experiment, never part of the reported figures
    if (auto st = events::exec(dst, pragma.c_str()); !st.ok()) return fail("pragma", st.error());
    std::printf("raw insert: experiment, extra SQL after setup: %s\n", pragma.c_str());
  }
  std::int64_t total = 0;
  double insert_s = 0, insert_cpu_s = 0;
  {
    auto src = events::Stmt::prepare(src_db, select_log_rows);
    auto ins = events::Stmt::prepare(dst,
                                     "INSERT INTO events_raw VALUES(?,?,?,?,?,?,?,?,?,?,?,?,"
                                     "?,?,?,?)");
    if (!src.ok()) return fail("raw-insert", src.error());
    if (!ins.ok()) return fail("raw-insert", ins.error());
    std::vector<RawRow> rows(batch);
    for (;;) {
      const int n = read_chunk(*src, rows, batch);
      if (n < 0) return fail("raw-insert", events::sqlite_error(src_db, "read rows"));
      if (n == 0) break;
      const double cpu0 = thread_cpu_seconds();
      const Stopwatch sw;
      if (auto st = insert_chunk(dst, *ins, rows, n); !st.ok()) {
        return fail("raw-insert", st.error());
      }
      insert_s += sw.seconds();
      insert_cpu_s += thread_cpu_seconds() - cpu0;
      total += n;
    }
  }
  sqlite3_close_v2(src_db);
  sqlite3_close_v2(dst);
  const double eps = static_cast<double>(total) / insert_s;
  const std::string name =
      std::string(with_indexes ? "raw_insert_indexed_" : "raw_insert_") + durability;
  const double cpu_eps = static_cast<double>(total) / insert_cpu_s;
  std::printf(
      "raw insert (synchronous=%s, %zu per transaction%s): %lld rows in %.2f s = %.0f "
      "rows/s (CPU %.2f s = %.0f rows per CPU-second)\n",
      durability == "normal" ? "NORMAL" : "FULL", batch,
      with_indexes ? ", with the log's two UNIQUE indexes" : ", no index",
      static_cast<long long>(total), insert_s, eps, insert_cpu_s, cpu_eps);
  record(results, name + "_eps", eps);
  record(results, name + "_cpu_eps", cpu_eps);
  return 0;
}

// ---- raw-scan ------------------------------------------------------------------------------

int run_raw_scan(const std::string& db, const std::string& results) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return fail("raw-scan", make_error("io_error", "", "cannot open " + db));
  }
  std::int64_t rows = 0;
  std::uint64_t checksum = 0;
  const double cpu0 = process_cpu_seconds();
  const Stopwatch sw;
  {
    // The columns EventLog::scan reads, in sequence order.
    auto s = events::Stmt::prepare(
        h,
        "SELECT sequence,stream,stream_version,event_id,type,schema_version,occurred_at,"
        "recorded_at,payload FROM events_raw ORDER BY sequence");
    if (!s.ok()) return fail("raw-scan", s.error());
    while (s->step() == SQLITE_ROW) {
      ++rows;
      checksum += static_cast<std::uint64_t>(s->int_col(0) + s->int_col(2) + s->int_col(5));
      for (int c : {1, 3, 4, 6, 7}) checksum += s->text_col(c).size();
      for (const char ch : s->text_col(8)) checksum += static_cast<unsigned char>(ch);
    }
  }
  const double sec = sw.seconds();
  const double cpu_s = process_cpu_seconds() - cpu0;
  sqlite3_close_v2(h);
  const PeakMemory m = peak_memory();
  const double eps = static_cast<double>(rows) / sec;
  std::printf("raw scan: %lld rows in %.2f s = %.0f rows/s (checksum %llu), peak RSS %.1f MiB\n",
              static_cast<long long>(rows), sec, eps, static_cast<unsigned long long>(checksum),
              static_cast<double>(m.vm_hwm_kib) / 1024.0);
  record(results, "raw_scan_eps", eps);
  record(results, "raw_scan_cpu_eps", static_cast<double>(rows) / cpu_s);
  record(results, "raw_scan_peak_mib", static_cast<double>(m.vm_hwm_kib) / 1024.0);
  return 0;
}

// ---- replay --------------------------------------------------------------------------------

// After the measured replay (and its memory reading): how its time divides between the log
// scan, the projections' apply() and emit(), and the state hash.
class CountingSink final : public replay::RowSink {
 public:
  void row(std::string_view key, std::string_view value_json) override {
    bytes_ += key.size() + value_json.size();
  }
  std::size_t bytes() const { return bytes_; }

 private:
  std::size_t bytes_ = 0;
};

void replay_breakdown(events::EventLog& log, double replay_cpu_s, const std::string& results) {
  std::int64_t n = 0;
  double t0 = process_cpu_seconds();
  (void)log.scan(1, 0, [&](const events::EventView&) {
    ++n;
    return true;
  });
  const double scan_s = process_cpu_seconds() - t0;
  replay::ProjectionRegistry registry;
  replay::register_builtin_projections(registry);
  auto owned = registry.create_all();
  std::vector<replay::Projection*> projections;
  for (auto& p : owned) projections.push_back(p.get());
  t0 = process_cpu_seconds();
  (void)replay::fold(log, projections, 0);
  const double fold_s = process_cpu_seconds() - t0;
  CountingSink sink;
  t0 = process_cpu_seconds();
  for (auto* p : projections) p->emit(sink);
  const double emit_s = process_cpu_seconds() - t0;
  const double per = 1e6 / static_cast<double>(n);
  std::printf(
      "replay breakdown, CPU µs per event: scan %.3f, apply (fold - scan) %.3f, emit "
      "(sorting, rendering rows) %.3f, state hash and the rest (replay - fold - emit) "
      "%.3f; total replay %.3f\n",
      scan_s * per, (fold_s - scan_s) * per, emit_s * per, (replay_cpu_s - fold_s - emit_s) * per,
      replay_cpu_s * per);
  std::printf("replay breakdown: EventLog::scan alone would allow %.0f events per CPU-second\n",
              static_cast<double>(n) / scan_s);
  record(results, "replay_scan_only_cpu_eps", static_cast<double>(n) / scan_s);
  record(results, "replay_part_scan_us", scan_s * per);
  record(results, "replay_part_apply_us", (fold_s - scan_s) * per);
  record(results, "replay_part_emit_us", emit_s * per);
  record(results, "replay_part_hash_us", (replay_cpu_s - fold_s - emit_s) * per);
  if (sink.bytes() == 0) std::puts("");
}

int run_replay(const std::string& db, bool breakdown, const std::string& pragma,
               const std::string& results) {
  WallClock clock;
  auto log = events::EventLog::open(db, clock, {events::Durability::full, true});
  if (!log.ok()) return fail("open " + db, log.error());
  if (!pragma.empty()) {  // an experiment, never part of the reported figures
    if (auto st = events::exec((*log)->db(), pragma.c_str()); !st.ok()) {
      return fail("pragma", st.error());
    }
    std::printf("replay: experiment, extra SQL on the log connection: %s\n", pragma.c_str());
  }
  replay::ProjectionRegistry registry;
  replay::register_builtin_projections(registry);
  auto projections = registry.create_all();
  const PeakMemory before = peak_memory();
  const double cpu0 = process_cpu_seconds();
  const Stopwatch sw;
  auto r = replay::replay(**log, projections, {});
  const double s = sw.seconds();
  const double cpu_s = process_cpu_seconds() - cpu0;
  if (!r.ok()) return fail("replay", r.error());
  const PeakMemory m = peak_memory();
  const double eps = static_cast<double>(r->events) / s;
  std::printf("replay: %lld events in %.2f s = %.0f events/s (CPU %.2f s); state_hash=%s\n",
              static_cast<long long>(r->events), s, eps, cpu_s, r->state_hash.c_str());
  record(results, "replay_cpu_eps", static_cast<double>(r->events) / cpu_s);
  for (const auto& [name, rows] : r->rows_per_projection) {
    std::printf("  projection %-14s rows=%lld\n", name.c_str(), static_cast<long long>(rows));
  }
  std::printf("replay: peak RSS VmHWM %.1f MiB, ru_maxrss %.1f MiB (before replay %.1f MiB)\n",
              static_cast<double>(m.vm_hwm_kib) / 1024.0,
              static_cast<double>(m.ru_maxrss_kib) / 1024.0,
              static_cast<double>(before.vm_hwm_kib) / 1024.0);
  record(results, "replay_eps", eps);
  record(results, "replay_s", s);
  record(results, "replay_peak_mib", static_cast<double>(m.vm_hwm_kib) / 1024.0);
  record(results, "replay_maxrss_mib", static_cast<double>(m.ru_maxrss_kib) / 1024.0);
  record_text(results, "state_hash", r->state_hash);
  if (breakdown) replay_breakdown(**log, cpu_s, results);
  return 0;
}

}  // namespace

// Defined in log_bench_phases.cc and log_bench_report.cc.
int run_phases(const std::string& in_path, const std::string& db, std::int64_t limit,
               const std::string& results);
int run_report(const std::string& results);

}  // namespace oppgjor::bench

int main(int argc, char** argv) {
  using namespace oppgjor::bench;
  CLI::App app("Oppgjør event-log benchmark (bench/run.sh drives it; docs/PERFORMANCE.md)");
  app.require_subcommand(1);
  std::string in, out, db, from, results, pragma, durability = "full";
  std::int64_t events = 2000000, limit = 200000;
  std::size_t batch = batch_rows_default;
  bool compact = false, with_indexes = false, breakdown = false;
  auto add_results = [&](CLI::App* c) {
    c->add_option("--results", results, "Append key/value results to this file");
  };
  auto* gen = app.add_subcommand("generate", "Write N synthetic events as JSON Lines");
  gen->add_option("--events", events)->check(CLI::PositiveNumber);
  gen->add_option("--out", out)->required();
  gen->add_flag("--compact", compact, "Smallest schema-valid invoice bases");
  add_results(gen);
  auto* ing = app.add_subcommand("ingest", "events::ingest_file into a fresh log");
  ing->add_option("--in", in)->required();
  ing->add_option("--db", db)->required();
  ing->add_option("--durability", durability)->check(CLI::IsMember({"full", "normal"}));
  ing->add_option("--batch", batch)->check(CLI::PositiveNumber);
  ing->add_option("--experiment-sql", pragma,
                  "Experiment: SQL run on the log's connection after open (e.g. a PRAGMA)");
  add_results(ing);
  auto* raw = app.add_subcommand("raw-insert", "Baseline: the log's rows into a plain table");
  raw->add_option("--from", from, "An event log written by ingest")->required();
  raw->add_option("--db", db)->required();
  raw->add_option("--durability", durability)->check(CLI::IsMember({"full", "normal"}));
  raw->add_option("--batch", batch)->check(CLI::PositiveNumber);
  raw->add_flag("--with-indexes", with_indexes, "Add the log's two UNIQUE indexes");
  raw->add_option("--experiment-sql", pragma, "Experiment: SQL run on the table's connection");
  add_results(raw);
  auto* scan = app.add_subcommand("raw-scan", "Baseline: sequential scan of the plain table");
  scan->add_option("--db", db)->required();
  add_results(scan);
  auto* rep = app.add_subcommand("replay", "replay::replay with the builtin projections");
  rep->add_option("--db", db)->required();
  rep->add_flag("--breakdown", breakdown, "Afterwards, time the scan alone");
  rep->add_option("--experiment-sql", pragma,
                  "Experiment: SQL run on the log's connection after open (e.g. a PRAGMA)");
  add_results(rep);
  auto* ph = app.add_subcommand("phases", "Time each step of the ingest path on its own");
  ph->add_option("--in", in)->required();
  ph->add_option("--db", db)->required();
  ph->add_option("--limit", limit, "Events to use")->check(CLI::PositiveNumber);
  add_results(ph);
  auto* report = app.add_subcommand("report", "Print the results table");
  report->add_option("--results", results)->required();
  CLI11_PARSE(app, argc, argv);

  if (gen->parsed()) return run_generate(events, out, compact, results);
  if (ing->parsed()) return run_ingest(in, db, durability, batch, pragma, results);
  if (raw->parsed())
    return run_raw_insert(from, db, durability, batch, with_indexes, pragma, results);
  if (scan->parsed()) return run_raw_scan(db, results);
  if (rep->parsed()) return run_replay(db, breakdown, pragma, results);
  if (ph->parsed()) return run_phases(in, db, limit, results);
  return run_report(results);
}
