// `oppgjor_log_bench phases`: where the ingest time goes, in CPU time (robust on a shared
// machine). The steps of the intake path (events/decoder.cc, events/event_log.cc) are re-run
// through the same public functions over the first --limit events, held in memory. Pass k runs
// steps 1..k for every event; a step's cost is the difference between two passes, so no timer
// sits inside the per-event loop.
//
// It also times one alternative that docs/PERFORMANCE.md proposes: SHA-256 through an EVP_MD
// fetched once and a reused context, against events/sha256.cc as it is.
#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "events/canonical_json.h"
#include "events/decoder.h"
#include "events/event_log.h"
#include "events/intake.h"
#include "events/sha256.h"

namespace oppgjor::bench {
namespace {

std::vector<std::string> read_lines(const std::string& path, std::int64_t limit) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (static_cast<std::int64_t>(lines.size()) < limit && std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

// Steps 1..`upto` of Decoder::decode, in its order, for every line. Returns CPU seconds.
double decode_pass(const std::vector<std::string>& lines, const events::SchemaRegistry& reg,
                   int upto) {
  simdjson::dom::parser parser;
  simdjson::padded_string buffer;
  std::string canonical;
  std::size_t sink = 0;
  const double t0 = thread_cpu_seconds();
  for (const auto& line : lines) {
    buffer = simdjson::padded_string(line);
    simdjson::dom::element root;
    if (parser.parse(buffer).get(root) != simdjson::SUCCESS) continue;
    if (upto >= 2 && !reg.envelope().is_valid(root)) continue;
    const auto payload = root["payload"].value_unsafe();
    if (upto >= 3) {
      const auto found = reg.find(root["type"].get_string().value_unsafe(),
                                  root["schema_version"].get_int64().value_unsafe());
      if (found.schema == nullptr || !found.schema->is_valid(payload)) continue;
    }
    if (upto >= 4) {
      canonical.clear();
      (void)events::append_canonical(payload, canonical, "/payload");
    }
    if (upto >= 5) {
      events::ProposedEvent e;
      e.event_id.assign(root["event_id"].get_string().value_unsafe());
      e.type.assign(root["type"].get_string().value_unsafe());
      e.schema_version = root["schema_version"].get_int64().value_unsafe();
      e.stream.assign(root["stream"].get_string().value_unsafe());
      e.occurred_at.assign(root["occurred_at"].get_string().value_unsafe());
      e.source.assign(root["source"].get_string().value_unsafe());
      e.payload = canonical;
      sink += events::sha256_hex(events::canonical_producer_envelope(e)).size();
    }
  }
  const double s = thread_cpu_seconds() - t0;
  if (sink == 1) std::puts("");  // keeps the last step from being optimised away
  return s;
}

// What EventLog::append_one computes outside SQLite: recorded_at, then the chain hash.
double chain_pass(const std::vector<events::ProposedEvent>& decoded, int upto,
                  std::vector<std::string>* records) {
  WallClock clock;
  std::string prev(events::genesis_hash);
  std::int64_t seq = 0;
  const double t0 = thread_cpu_seconds();
  for (const auto& e : decoded) {
    std::string recorded_at = clock.now_utc();
    if (upto < 2) continue;
    events::RecordedEvent r;
    r.sequence = ++seq;
    r.stream = e.stream;
    r.stream_version = 1;
    r.event_id = e.event_id;
    r.type = e.type;
    r.schema_version = e.schema_version;
    r.occurred_at = e.occurred_at;
    r.recorded_at = std::move(recorded_at);
    r.source = e.source;
    r.payload = e.payload;
    r.content_hash = e.content_hash;
    r.prev_hash = prev;
    std::string record = events::canonical_record(r);
    prev = events::chain_hash(r.prev_hash, record);
    if (records != nullptr) records->push_back(std::move(record));
  }
  return thread_cpu_seconds() - t0;
}

// SHA-256 of every record the way events/sha256.cc does it, then with a fetched-once EVP_MD and
// one reused context. Returns {as_is_s, reused_s}.
std::pair<double, double> sha_alternative(const std::vector<std::string>& records) {
  std::size_t sink = 0;
  double t0 = thread_cpu_seconds();
  for (const auto& r : records) {
    sink += events::chain_hash(events::genesis_hash, r).size();
    sink += events::sha256_hex(r).size();
  }
  const double as_is = thread_cpu_seconds() - t0;
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  t0 = thread_cpu_seconds();
  for (const auto& r : records) {
    for (int twice = 0; twice < 2; ++twice) {  // chain hash and content hash
      EVP_DigestInit_ex2(ctx, md, nullptr);
      if (twice == 0) EVP_DigestUpdate(ctx, events::genesis_hash.data(), 64);
      EVP_DigestUpdate(ctx, r.data(), r.size());
      EVP_DigestFinal_ex(ctx, out, &len);
      sink += len;
    }
  }
  const double reused = thread_cpu_seconds() - t0;
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  if (sink == 1) std::puts("");
  return {as_is, reused};
}

struct Printer {
  std::size_t n;
  double total_us;
  const std::string& results;
  void operator()(const char* what, double s, const std::string& key) const {
    const double us = s * 1e6 / static_cast<double>(n);
    std::printf("  %-62s %7.3f µs  %5.1f %%\n", what, us, 100.0 * us / total_us);
    record(results, "phase_" + key + "_us", us);
  }
};

}  // namespace

int run_phases(const std::string& in_path, const std::string& db, std::int64_t limit,
               const std::string& results) {
  const auto lines = read_lines(in_path, limit);
  auto registry = events::SchemaRegistry::load();
  if (!registry.ok()) {
    std::fprintf(stderr, "oppgjor_log_bench: schemas: %s\n", registry.error().to_string().c_str());
    return 1;
  }
  const std::size_t n = lines.size();

  // Decoder::decode as a whole (also gives the events for the append step).
  events::Decoder decoder(registry.value());
  std::vector<events::ProposedEvent> decoded(n);
  events::DeadLetter dead;
  double t0 = thread_cpu_seconds();
  for (std::size_t i = 0; i < n; ++i) {
    if (!decoder.decode(lines[i], decoded[i], dead)) {
      std::fprintf(stderr, "oppgjor_log_bench: line %zu rejected: %s\n", i + 1,
                   dead.reason.c_str());
      return 1;
    }
  }
  double decode_s = thread_cpu_seconds() - t0;
  // Again, warm (the first pass also paid for first-touch page faults): the figure reported.
  t0 = thread_cpu_seconds();
  for (std::size_t i = 0; i < n; ++i) (void)decoder.decode(lines[i], decoded[i], dead);
  decode_s = thread_cpu_seconds() - t0;
  for (std::size_t i = 0; i < n; ++i) {
    decoded[i].channel = "file";
    decoded[i].original = lines[i];
  }
  double pass[6] = {};
  for (int k = 1; k <= 5; ++k) pass[k] = decode_pass(lines, **registry, k);
  const double clock_s = chain_pass(decoded, 1, nullptr);
  const double chain_s = chain_pass(decoded, 2, nullptr) - clock_s;
  std::vector<std::string> records;
  records.reserve(n);
  (void)chain_pass(decoded, 2, &records);
  const auto [sha_as_is_s, sha_reused_s] = sha_alternative(records);

  // EventLog::append of the decoded events, in the intake's batches, synchronous=FULL.
  remove_db(db);
  WallClock clock;
  auto log = events::EventLog::open(db, clock, {events::Durability::full, false});
  if (!log.ok()) {
    std::fprintf(stderr, "oppgjor_log_bench: open %s: %s\n", db.c_str(),
                 log.error().to_string().c_str());
    return 1;
  }
  const std::size_t batch = events::intake_batch_events_default;
  t0 = thread_cpu_seconds();
  const Stopwatch wall;
  for (std::size_t at = 0; at < n; at += batch) {
    const std::span<const events::ProposedEvent> span(decoded.data() + at, std::min(batch, n - at));
    auto r = (*log)->append(span, events::BatchPolicy::per_event);
    if (!r.ok() || r->appended != span.size()) {
      std::fprintf(stderr, "oppgjor_log_bench: append failed\n");
      return 1;
    }
  }
  const double append_s = thread_cpu_seconds() - t0;
  const double append_wall_s = wall.seconds();
  log->reset();
  remove_db(db);

  const double total_us = (decode_s + append_s) * 1e6 / static_cast<double>(n);
  std::printf("phases over %zu events, CPU µs per event (%% of decode + append = %.2f µs):\n", n,
              total_us);
  const Printer p{n, total_us, results};
  p("Decoder::decode, as a whole", decode_s, "decode");
  p("  simdjson DOM parse (incl. copy into a padded buffer)", pass[1], "parse");
  p("  envelope JSON-schema validation", pass[2] - pass[1], "envelope_schema");
  p("  payload JSON-schema validation (incl. schema lookup)", pass[3] - pass[2], "payload_schema");
  p("  canonicalise the payload", pass[4] - pass[3], "canonicalise");
  p("  envelope fields, canonical envelope, SHA-256 content hash", pass[5] - pass[4],
    "content_hash");
  p("EventLog::append, as a whole (synchronous=FULL)", append_s, "append");
  p("  recorded_at (wall clock, formatted)", clock_s, "clock");
  p("  canonical record + SHA-256 chain hash", chain_s, "chain_hash");
  p("  the rest: SQLite insert (table + 2 unique indexes), commit, caches",
    append_s - clock_s - chain_s, "append_sqlite");
  std::printf("  (append wall time %.2f µs per event, CPU %.2f)\n",
              append_wall_s * 1e6 / static_cast<double>(n),
              append_s * 1e6 / static_cast<double>(n));
  std::printf(
      "alternative: two SHA-256 per event (chain + content) as events/sha256.cc does them "
      "%.2f µs; with EVP_MD fetched once and a reused EVP_MD_CTX %.2f µs\n",
      sha_as_is_s * 1e6 / static_cast<double>(n), sha_reused_s * 1e6 / static_cast<double>(n));
  record(results, "phase_sha_as_is_us", sha_as_is_s * 1e6 / static_cast<double>(n));
  record(results, "phase_sha_reused_us", sha_reused_s * 1e6 / static_cast<double>(n));
  return 0;
}

}  // namespace oppgjor::bench
