// `oppgjor ingest FILE.jsonl --db F` and `oppgjor ingest --kafka B --topic T[,T2…] --group G
// --db F` (the Kafka archiver, kafka/intake.h).
// Exit: 0 all accepted or duplicates · 3 some rejected (see `oppgjor deadletters`) · 2 usage ·
// 1 operating error (also: a Kafka run with --stop-at-end interrupted by SIGTERM/SIGINT before
// it reached the end, or one that read every partition to its end with outputs still held back
// because their causes are not archived; without --stop-at-end a signal is the normal way to
// stop, exit 0 or 3).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/support.h"
#include "common/mask.h"
#include "events/intake.h"
#include "kafka/intake.h"

namespace oppgjor::cli::cmd_ingest {
namespace {

struct IngestArgs {
  std::string file;
  std::string db;
  bool dry_run = false;
  std::size_t batch = events::intake_batch_events_default;
  std::string durability = "full";
  std::string kafka;
  std::vector<std::string> topics;  // --topic, repeatable, each a comma-separated list
  std::string group;
  bool stop_at_end = false;
  std::vector<std::string> kafka_config;
  int connect_timeout_s = kafka::connect_timeout_ms_default / 1000;
  std::size_t hold_max = kafka::hold_max_default;
  std::string http;
  // Test hooks (hidden options; the crash-restart and busy tests).
  std::int64_t kill_after = -1;
  std::int64_t kill_after_commits = -1;
  std::string kill_at_open;
  int busy_timeout_ms = events::busy_timeout_ms_default;
};

// "upload.jsonl:17" -> "line 17" for the file being read; other references as they are.
std::string where(const std::string& ref, const std::string& file) {
  if (!file.empty() && ref.size() > file.size() + 1 && ref.starts_with(file) &&
      ref[file.size()] == ':') {
    return "line " + ref.substr(file.size() + 1);
  }
  return ref;
}

void print_refusals(const events::IntakeStats& s, const std::string& file) {
  for (const auto& r : s.refusals) {
    std::printf("  %s: %s%s%s: %s\n", where(r.source_ref, file).c_str(), r.reason.c_str(),
                r.field.empty() ? "" : " at ", r.field.c_str(),
                common::mask_all_11_digit_runs(r.message).c_str());
  }
  if (s.refusals_unlisted > 0) {
    std::printf("  ... and %lld more refused (not listed)\n",
                static_cast<long long>(s.refusals_unlisted));
  }
}

void print_stats(const events::IntakeStats& s, bool dry_run, const std::string& file) {
  std::printf("%s: %lld inputs: %lld %s, %lld duplicates, %lld rejected%s\n",
              dry_run ? "dry run (nothing written)" : "ingest", static_cast<long long>(s.inputs),
              static_cast<long long>(s.appended), dry_run ? "would be appended" : "appended",
              static_cast<long long>(s.duplicates), static_cast<long long>(s.rejected),
              s.interrupted ? " (interrupted)" : "");
  for (const auto& [reason, n] : s.rejected_by_reason) {
    std::printf("  rejected %-20s %lld\n", reason.c_str(), static_cast<long long>(n));
  }
  if (dry_run && s.rejected > 0) {
    std::printf("refused:\n");
    print_refusals(s, file);
  }
  if (s.rejected > 0 && !dry_run) {
    std::printf("details: oppgjor deadletters --db <file>\n");
  }
}

volatile std::sig_atomic_t stop_requested = 0;

// The topics named, each once, in the order first named ("a,b" and "--topic a --topic b" alike;
// empty names from stray commas dropped).
std::vector<std::string> topic_list(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& t : given) {
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

// "topic a" or "topics a,b" (a single topic is named as before several could be given).
std::string named(const std::vector<std::string>& topics) {
  std::string out = topics.size() == 1 ? "topic " : "topics ";
  for (std::size_t i = 0; i < topics.size(); ++i) out += (i == 0 ? "" : ",") + topics[i];
  return out;
}

int run_ingest(const IngestArgs& a) {
  if (a.file.empty() == a.kafka.empty()) {
    std::fprintf(stderr, "oppgjor ingest: give either FILE or --kafka (not both)\n");
    return exit_usage;
  }
  const std::vector<std::string> topics = topic_list(a.topics);
  if (!a.kafka.empty() && (topics.empty() || a.group.empty())) {
    std::fprintf(stderr, "oppgjor ingest: --kafka needs --topic and --group\n");
    return exit_usage;
  }
  if (!a.http.empty() && a.kafka.empty()) {
    std::fprintf(stderr, "oppgjor ingest: --http is for a consumer (--kafka)\n");
    return exit_usage;
  }
  if (!a.file.empty()) {
    // Before the log is opened: a bad input path creates no database file.
    if (auto st = events::check_input_file(a.file); !st.ok()) {
      print_error("ingest", st.error());
      return exit_operating_error;
    }
  }
  events::LogOptions lo;
  lo.durability = a.durability == "normal" ? events::Durability::normal : events::Durability::full;
  lo.dry_run = a.dry_run;
  lo.busy_timeout_ms = a.busy_timeout_ms;
  if (a.kill_at_open == "created") lo.test_kill_at = events::LogOptions::OpenPhase::file_created;
  if (a.kill_at_open == "wal") lo.test_kill_at = events::LogOptions::OpenPhase::wal_enabled;
  auto log = open_log(a.db, lo);
  if (!log) return exit_operating_error;
  auto registry = events::SchemaRegistry::load();
  if (!registry.ok()) {
    print_error("schemas", registry.error());
    return exit_operating_error;
  }
  events::IntakeOptions io;
  io.batch_events = a.batch;
  io.dry_run = a.dry_run;
  io.kill_after_appended = a.kill_after;
  io.kill_after_commits = a.kill_after_commits;
  io.progress = [](const events::IntakeStats& s) {
    spdlog::info("ingest: {} inputs so far ({} appended, {} duplicates, {} rejected)", s.inputs,
                 s.appended, s.duplicates, s.rejected);
  };
  spdlog::info("ingest: from {} into {}{}", a.file.empty() ? "kafka " + named(topics) : a.file,
               a.db, a.dry_run ? " (dry run)" : "");
  Result<kafka::ArchiveStats> stats = kafka::ArchiveStats{};
  kafka::HealthBoard board;  // --http (declared before the server, which reads it)
  std::unique_ptr<kafka::HealthServer> http;
  if (!a.file.empty()) {
    auto from_file = events::ingest_file(a.file, *log, registry.value(), io);
    if (from_file.ok()) {
      stats->intake = std::move(from_file.value());
    } else {
      stats = from_file.error();
    }
  } else {
    io.channel = "kafka";
    kafka::ArchiveOptions ko;
    ko.bootstrap = a.kafka;
    ko.topics = topics;
    ko.group = a.group;
    ko.stop_at_end = a.stop_at_end;
    ko.intake = io;
    if (!kafka_settings(a.kafka_config, "ingest", ko.config)) return exit_usage;
    ko.connect_timeout_ms = a.connect_timeout_s * 1000;
    ko.hold_max = a.hold_max;
    if (!a.http.empty()) {
      int rc = exit_ok;
      http = start_health(a.http, board, "ingest", rc);
      if (!http) return rc;
      ko.health = &board;
    }
    // Installed before connecting, so a signal while waiting for the broker stops cleanly too.
    std::signal(SIGINT, [](int) { stop_requested = 1; });
    std::signal(SIGTERM, [](int) { stop_requested = 1; });
    ko.should_stop = [] { return stop_requested != 0; };
    spdlog::info("kafka: connecting to {} (timeout {} s)", a.kafka, a.connect_timeout_s);
    stats = kafka::archive(*log, registry.value(), ko);
  }
  if (!stats.ok()) {
    print_error("ingest", stats.error());
    return exit_operating_error;
  }
  const events::IntakeStats& s = stats->intake;
  spdlog::info("ingest: done: {} inputs, {} appended, {} duplicates, {} rejected{}{}", s.inputs,
               s.appended, s.duplicates, s.rejected, s.interrupted ? " (interrupted)" : "",
               a.kafka.empty() ? "" : ", " + std::to_string(stats->held) + " held");
  print_stats(s, a.dry_run, a.file);
  if (stats->held > 0) {
    std::printf(
        "  held back %lld (outputs whose cause is not archived, and what follows them in "
        "their partitions; not stored, read again by the next run; %s)\n",
        static_cast<long long>(stats->held), stats->held_note.c_str());
  }
  if (s.interrupted && a.stop_at_end) {
    std::fprintf(stderr,
                 "oppgjor: ingest: interrupted before the end of %s was reached; what was "
                 "read is stored with its offsets, run again to continue\n",
                 named(topics).c_str());
    return exit_operating_error;
  }
  if (stats->causes_missing) {
    std::fprintf(stderr,
                 "oppgjor: ingest: every partition of %s was read to its end, but %lld messages "
                 "are held back: service outputs whose causes are not archived (%s). Publish "
                 "the causes (or add the topic they are on) and run again; the held messages "
                 "were not stored and will be read again\n",
                 named(topics).c_str(), static_cast<long long>(stats->held),
                 stats->held_note.c_str());
    return exit_operating_error;
  }
  return s.rejected > 0 ? exit_rejected : exit_ok;
}

const Registrar reg("ingest", [](CLI::App& app, int& exit_code) {
  auto a = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand("ingest", "Validate events and append them to the log");
  cmd->add_option("file", a->file, "JSON Lines file, one event envelope per line");
  cmd->add_option("--db", a->db,
                  "Event log (SQLite file; created if missing; an existing file must be an "
                  "Oppgjør log)")
      ->required();
  cmd->add_flag("--dry-run", a->dry_run,
                "Check everything (against the log in --db if it exists), list each refused "
                "line; create or change no file");
  cmd->add_option("--batch", a->batch, "Events per transaction")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--durability", a->durability, "full (fsync per batch) or normal")
      ->check(CLI::IsMember({"full", "normal"}));
  cmd->add_option("--kafka", a->kafka, "Kafka bootstrap servers (host:port,…)");
  cmd->add_option("--topic", a->topics,
                  "Kafka topics to archive (comma-separated; repeatable), one consumer group")
      ->delimiter(',');
  cmd->add_option("--group", a->group, "Kafka consumer group");
  cmd->add_flag("--stop-at-end", a->stop_at_end,
                "Exit once every assigned partition has been read to its end (exit 1 if "
                "outputs are then still held back waiting for their causes)");
  cmd->add_option("-X", a->kafka_config, "Extra librdkafka setting key=value (repeatable)");
  cmd->add_option("--connect-timeout", a->connect_timeout_s,
                  "Seconds to wait for a Kafka broker before giving up (exit 1)")
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--http", a->http,
                  "With --kafka: serve GET /healthz and GET /metrics (Prometheus) on HOST:PORT "
                  "(0: any port)");
  cmd->add_option("--hold-max", a->hold_max,
                  "Messages held back in one partition (outputs waiting for their cause) "
                  "before that partition is paused")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000000}));
  // Test hooks, hidden from --help: the process kills itself (SIGKILL) at a chosen point.
  cmd->add_option("--test-kill-after", a->kill_after)->group("");  // mid-batch, uncommitted
  cmd->add_option("--test-kill-after-commits", a->kill_after_commits)->group("");
  cmd->add_option("--test-kill-at-open", a->kill_at_open)
      ->group("")
      ->check(CLI::IsMember({"created", "wal"}));
  cmd->add_option("--test-busy-timeout-ms", a->busy_timeout_ms)->group("");
  cmd->callback([a, &exit_code] { exit_code = run_ingest(*a); });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_ingest
