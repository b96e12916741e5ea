// `oppgjor serve SERVICE --kafka B --group G --state-dir DIR`: one service on Kafka
// (kafka/host/service_host.h, docs/SERVICES.md "Distributed mode") until SIGTERM or SIGINT.
// Consumes the input topics (default oppgjor.events; several with --input-topic a,b, which must
// be co-partitioned: the ledger reads oppgjor.events,oppgjor.invoicing) in consumer group G,
// keeps one state file per assigned partition in DIR, publishes the outputs to
// oppgjor.<service> (partition N's outputs to its partition N). Prints one summary line when it
// stops. --http HOST:PORT: health and metrics for the operator (GET /healthz, GET /metrics in
// the Prometheus text format; kafka/health.h, ops/RUNBOOK.md); port 0 takes a free port, and
// the line "serve: health and metrics on http://HOST:PORT" on stderr names it.
//
// Exit codes: 0 stopped on request · 1 operating error (broker unreachable, a state file, a
// delivery that failed) · 2 usage.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command_registry.h"
#include "cli/command_support.h"
#include "cli/support.h"
#include "kafka/host/service_host.h"
#include "services/wiring/wiring.h"

namespace oppgjor::cli::cmd_serve {
namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void on_serve_stop_signal(int) {
  stop_requested = 1;
}

struct ServeArgs {
  std::string service;
  std::string kafka;
  std::string group;
  std::string state_dir;
  std::vector<std::string> input_topics = {std::string(kafka::default_input_topic)};
  std::string output_topic;
  std::vector<std::string> config;
  std::string http;
  int connect_timeout_s = 30;
  std::size_t batch = 2000;
  std::int64_t kill_after_commit = 0;
  std::int64_t kill_after_outputs = 0;
  std::int64_t commit_every = runtime::commit_every_events_max;
};

int serve_service(const ServeArgs& a) {
  runtime::ServiceFactory factory;
  for (auto& f : wiring::all_services()) {
    if (f()->name() == a.service) factory = f;
  }
  if (!factory) {
    std::fprintf(stderr, "oppgjor serve: no service named %s\n", a.service.c_str());
    return exit_usage;
  }
  kafka::ServeOptions o;
  o.bootstrap = a.kafka;
  o.group = a.group;
  o.state_dir = a.state_dir;
  o.input_topics = a.input_topics;
  o.output_topic = a.output_topic;
  o.connect_timeout_ms = a.connect_timeout_s * 1000;
  o.batch_events = a.batch;
  o.runner.kill_after_commit = a.kill_after_commit;
  o.runner.kill_after_outputs = a.kill_after_outputs;
  o.runner.commit_every_events = a.commit_every;
  if (!kafka_settings(a.config, "serve", o.config)) return exit_usage;
  o.should_stop = [] { return stop_requested != 0; };
  auto registry = events::SchemaRegistry::load();
  if (!registry) {
    print_error("serve: schemas", registry.error());
    return exit_operating_error;
  }
  kafka::HealthBoard board;
  std::unique_ptr<kafka::HealthServer> http;
  if (!a.http.empty()) {
    int rc = exit_ok;
    http = start_health(a.http, board, "serve", rc);
    if (!http) return rc;
    o.health = &board;
  }
  std::signal(SIGTERM, on_serve_stop_signal);
  std::signal(SIGINT, on_serve_stop_signal);
  auto stats = kafka::serve(factory, *registry, system_clock(), o);
  if (!stats) {
    print_error("serve", stats.error());
    return exit_operating_error;
  }
  std::printf(
      "service=%s partitions=%d assignments=%lld consumed=%lld appended=%lld duplicates=%lld "
      "rejected=%lld decided=%lld published=%lld\n",
      a.service.c_str(), stats->partitions, static_cast<long long>(stats->assignments),
      static_cast<long long>(stats->consumed), static_cast<long long>(stats->appended),
      static_cast<long long>(stats->duplicates), static_cast<long long>(stats->rejected),
      static_cast<long long>(stats->decided), static_cast<long long>(stats->published));
  std::fflush(stdout);
  return exit_ok;
}

const Registrar reg("serve", [](CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd =
      app.add_subcommand("serve", "Run one service on Kafka until SIGTERM (distributed mode)");
  cmd->add_option("service", a->service, "The service (e.g. care_fees)")->required();
  cmd->add_option("--kafka", a->kafka, "Kafka bootstrap servers (host:port,…)")->required();
  cmd->add_option("--group", a->group, "Consumer group (every instance of the service shares it)")
      ->required();
  cmd->add_option("--state-dir", a->state_dir,
                  "Directory of the per-partition state files (shared by the group's instances)")
      ->required();
  cmd->add_option("--input-topic", a->input_topics,
                  "Topics to consume, co-partitioned (a,b or repeated; default oppgjor.events)")
      ->delimiter(',');
  cmd->add_option("--output-topic", a->output_topic,
                  "Topic the outputs are published to (default oppgjor.<service>)");
  cmd->add_option("-X", a->config, "Extra librdkafka setting key=value (repeatable)");
  cmd->add_option("--http", a->http,
                  "Serve GET /healthz and GET /metrics (Prometheus) on HOST:PORT (0: any port)");
  cmd->add_option("--connect-timeout", a->connect_timeout_s,
                  "Seconds to wait for the broker before giving up")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--batch", a->batch, "Messages per partition appended and decided at once")
      ->check(CLI::Range(1, 100000));
  // Crash tests only (tests/services_kafka_test.cc).
  cmd->add_option("--kill-after-commit", a->kill_after_commit)->group("");
  cmd->add_option("--kill-after-outputs", a->kill_after_outputs)->group("");
  cmd->add_option("--commit-every", a->commit_every)->group("");
  cmd->callback([a, &exit_code] { exit_code = serve_service(*a); });
});

}  // namespace
}  // namespace oppgjor::cli::cmd_serve
