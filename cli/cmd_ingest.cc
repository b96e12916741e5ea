// `oppgjor ingest FILE.jsonl --db F` and `oppgjor ingest --kafka B --topic T --group G --db F`.
// Exit: 0 all accepted or duplicates · 3 some rejected (see `oppgjor deadletters`) · 2 usage ·
// 1 operating error.
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "events/intake.h"
#include "events/kafka_intake.h"
#include "services/common/mask.h"

namespace oppgjor::cli {
namespace {

struct IngestArgs {
  std::string file;
  std::string db;
  bool dry_run = false;
  std::size_t batch = events::intake_batch_events_default;
  std::string durability = "full";
  std::string kafka;
  std::string topic;
  std::string group;
  bool stop_at_end = false;
  std::vector<std::string> kafka_config;
  std::int64_t kill_after = -1;
};

void print_stats(const events::IntakeStats& s, bool dry_run) {
  std::printf("%s: %lld inputs: %lld appended, %lld duplicates, %lld rejected\n",
              dry_run ? "dry run (nothing written)" : "ingest", static_cast<long long>(s.inputs),
              static_cast<long long>(s.appended), static_cast<long long>(s.duplicates),
              static_cast<long long>(s.rejected));
  for (const auto& [reason, n] : s.rejected_by_reason) {
    std::printf("  rejected %-20s %lld\n", reason.c_str(), static_cast<long long>(n));
  }
  if (s.rejected > 0 && !dry_run) {
    std::printf("details: oppgjor deadletters --db <file>\n");
  }
}

volatile std::sig_atomic_t stop_requested = 0;

int run_ingest(const IngestArgs& a) {
  if (a.file.empty() == a.kafka.empty()) {
    std::fprintf(stderr, "oppgjor ingest: give either FILE or --kafka (not both)\n");
    return exit_usage;
  }
  if (!a.kafka.empty() && (a.topic.empty() || a.group.empty())) {
    std::fprintf(stderr, "oppgjor ingest: --kafka needs --topic and --group\n");
    return exit_usage;
  }
  events::LogOptions lo;
  lo.durability = a.durability == "normal" ? events::Durability::normal : events::Durability::full;
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
  io.progress = [](const events::IntakeStats& s) {
    spdlog::info("ingest: {} inputs so far ({} appended, {} duplicates, {} rejected)", s.inputs,
                 s.appended, s.duplicates, s.rejected);
  };
  spdlog::info("ingest: from {} into {}{}", a.file.empty() ? "kafka topic " + a.topic : a.file,
               a.db, a.dry_run ? " (dry run)" : "");
  Result<events::IntakeStats> stats = events::IntakeStats{};
  if (!a.file.empty()) {
    stats = events::ingest_file(a.file, *log, registry.value(), io);
  } else {
    io.channel = "kafka";
    events::KafkaIntakeOptions ko;
    ko.bootstrap = a.kafka;
    ko.topic = a.topic;
    ko.group = a.group;
    ko.stop_at_end = a.stop_at_end;
    ko.intake = io;
    for (const auto& kv : a.kafka_config) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "oppgjor ingest: -X takes key=value, got '%s'\n", kv.c_str());
        return exit_usage;
      }
      ko.config[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    std::signal(SIGINT, [](int) { stop_requested = 1; });
    std::signal(SIGTERM, [](int) { stop_requested = 1; });
    ko.should_stop = [] { return stop_requested != 0; };
    stats = events::ingest_kafka(*log, registry.value(), ko);
  }
  if (!stats.ok()) {
    print_error("ingest", stats.error());
    return exit_operating_error;
  }
  spdlog::info("ingest: done: {} inputs, {} appended, {} duplicates, {} rejected", stats->inputs,
               stats->appended, stats->duplicates, stats->rejected);
  print_stats(*stats, a.dry_run);
  return stats->rejected > 0 ? exit_rejected : exit_ok;
}

const Registrar reg("ingest", [](CLI::App& app, int& exit_code) {
  auto a = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand("ingest", "Validate events and append them to the log");
  cmd->add_option("file", a->file, "JSON Lines file, one event envelope per line");
  cmd->add_option("--db", a->db, "Event log (SQLite file; created if missing)")->required();
  cmd->add_flag("--dry-run", a->dry_run, "Check everything, write nothing");
  cmd->add_option("--batch", a->batch, "Events per transaction")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--durability", a->durability, "full (fsync per batch) or normal")
      ->check(CLI::IsMember({"full", "normal"}));
  cmd->add_option("--kafka", a->kafka, "Kafka bootstrap servers (host:port,…)");
  cmd->add_option("--topic", a->topic, "Kafka topic");
  cmd->add_option("--group", a->group, "Kafka consumer group");
  cmd->add_flag("--stop-at-end", a->stop_at_end,
                "Exit once every assigned partition has been read to its end");
  cmd->add_option("-X", a->kafka_config, "Extra librdkafka setting key=value (repeatable)");
  cmd->add_option("--test-kill-after", a->kill_after)->group("");  // crash-restart test hook
  cmd->callback([a, &exit_code] { exit_code = run_ingest(*a); });
});

}  // namespace
}  // namespace oppgjor::cli
