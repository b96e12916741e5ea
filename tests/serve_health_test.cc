// The operator's view of a running service instance and of the archiver (kafka/health.h,
// ops/RUNBOOK.md): `oppgjor serve … --http HOST:PORT` and `oppgjor ingest --kafka … --http
// HOST:PORT` answer GET /healthz and GET /metrics. The answers are checked whole as pure
// functions of a report, then on real processes on librdkafka's mock cluster: an instance turns
// healthy once it serves, counts what kcat publishes (a refused message among them), shows its
// consumer lag fall to zero and stops cleanly on SIGTERM; the archiver then reads the same topic
// and reports the same way.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include "kafka/health.h"
#include "tests/support/care_fees_upstream.h"
#include "tests/support/kafka_mock.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::serve_health_test {
namespace {

using events::testing::TempDir;
using kafka::HealthReport;
using kafka::HostState;
using kafka::PartitionLag;
using testing::Background;
using testing::bin;
using testing::run;
using testing::slurp;

HealthReport sample_report() {
  HealthReport r;
  r.service = "ledger";
  r.state = HostState::serving;
  r.figures = {{"consumed_total", "Messages read.", 120},
               {"appended_total", "Inputs appended.", 117},
               {"rejected_total", "Inputs refused.", 1},
               {"held", "Held back.", 3, false}};
  r.lag = {PartitionLag{"oppgjor.events", 0, 60, 65, 5},
           PartitionLag{"oppgjor.events", 2, -1, 10, 10},
           PartitionLag{"oppgjor.invoicing", 0, 7, -1, -1},
           PartitionLag{"oppgjor.invoicing", 2, 3, 3, 0}};
  return r;
}

TEST(ServeHealth, HealthIsOkOnlyWhileServingAndReporting) {
  HealthReport r = sample_report();
  auto a = kafka::render_health(r, 150, 60000);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "application/json");
  // One lag unknown (no high watermark yet): the total is not claimed.
  EXPECT_EQ(a.body,
            R"({"component":"serve","service":"ledger","status":"serving","report_age_ms":150,)"
            R"("partitions_assigned":2,"lag":null,"consumed_total":120,"appended_total":117,)"
            R"("rejected_total":1,"held":3})"
            "\n");
  r.lag.erase(r.lag.begin() + 2);
  a = kafka::render_health(r, 150, 60000);
  EXPECT_NE(a.body.find(R"("lag":15,)"), std::string::npos) << a.body;

  a = kafka::render_health(r, 60001, 60000);  // the main loop stopped reporting
  EXPECT_EQ(a.status, 503);
  EXPECT_NE(a.body.find(R"("status":"stale")"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("has not reported for 60001 ms (limit 60000 ms)"), std::string::npos);

  r.state = HostState::starting;
  EXPECT_EQ(kafka::render_health(r, 0, 60000).status, 503);
  r.state = HostState::failed;
  r.error_code = "kafka_delivery_failed";
  a = kafka::render_health(r, 0, 60000);
  EXPECT_EQ(a.status, 503);
  EXPECT_NE(a.body.find(R"("reason":"failed: kafka_delivery_failed")"), std::string::npos)
      << a.body;
}

TEST(ServeHealth, MetricsAreThePrometheusTextFormat) {
  const auto a = kafka::render_metrics(sample_report(), 150);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "text/plain; version=0.0.4; charset=utf-8");
  for (const char* line :
       {"# TYPE oppgjor_serve_up gauge\noppgjor_serve_up{service=\"ledger\"} 1\n",
        "# HELP oppgjor_serve_consumed_total Messages read.\n"
        "# TYPE oppgjor_serve_consumed_total counter\n"
        "oppgjor_serve_consumed_total{service=\"ledger\"} 120\n",
        "oppgjor_serve_appended_total{service=\"ledger\"} 117\n",
        "oppgjor_serve_rejected_total{service=\"ledger\"} 1\n",
        "# TYPE oppgjor_serve_held gauge\noppgjor_serve_held{service=\"ledger\"} 3\n",
        "oppgjor_serve_report_age_milliseconds{service=\"ledger\"} 150\n",
        "oppgjor_serve_partitions_assigned{service=\"ledger\"} 2\n",
        "# TYPE oppgjor_serve_consumer_lag gauge\n"
        "oppgjor_serve_consumer_lag{service=\"ledger\",topic=\"oppgjor.events\",partition=\"0\"} "
        "5\n"
        "oppgjor_serve_consumer_lag{service=\"ledger\",topic=\"oppgjor.events\",partition=\"2\"} "
        "10\n"
        "oppgjor_serve_consumer_lag{service=\"ledger\",topic=\"oppgjor.invoicing\","
        "partition=\"2\"} 0\n"}) {
    EXPECT_NE(a.body.find(line), std::string::npos) << "missing:\n" << line << "\nin:\n" << a.body;
  }
  // The partition whose watermark is not known has no lag sample at all.
  EXPECT_EQ(a.body.find("topic=\"oppgjor.invoicing\",partition=\"0\""), std::string::npos);
  // Every sample line is NAME{LABELS} INTEGER; every other line a HELP or TYPE comment.
  static const std::regex sample(R"(^oppgjor_serve_[a-z_]+\{[^}]*\} -?[0-9]+$)");
  std::istringstream lines(a.body);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0 ||
                std::regex_match(line, sample))
        << line;
  }
  HealthReport stopped = sample_report();
  stopped.state = HostState::stopping;
  EXPECT_NE(kafka::render_metrics(stopped, 0).body.find("oppgjor_serve_up{service=\"ledger\"} 0\n"),
            std::string::npos);
}

TEST(ServeHealth, ARefusedListenAddressNamesTheField) {
  kafka::HealthBoard board;
  for (const char* bad : {"localhost", "127.0.0.1:", "127.0.0.1:http", ":9464", "1.2.3.4:70000"}) {
    auto s = kafka::HealthServer::start(bad, board);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, "invalid_value") << bad;
    EXPECT_EQ(s.error().field, "--http") << bad;
  }
}

// The number a sample line of /metrics gives (-1 when there is none).
long long metric(const std::string& body, const std::string& name_and_labels) {
  const std::string key = name_and_labels + " ";
  const auto at = body.find("\n" + key);
  if (at == std::string::npos) return -1;
  return std::stoll(body.substr(at + 1 + key.size()));
}

// The port a command's --http 127.0.0.1:0 took, from the line it prints (0 if none in 30 s).
int listening_port(const std::string& log, const std::string& command) {
  const std::regex listening(command + R"(: health and metrics on http://127\.0\.0\.1:([0-9]+))");
  for (int i = 0; i < 300; ++i) {
    std::smatch m;
    const std::string out = slurp(log);
    if (std::regex_search(out, m, listening)) return std::stoi(m[1].str());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 0;
}

// GET http://127.0.0.1:PORT/PATH: status (0 when nothing answered) and body.
std::pair<int, std::string> http_get(int port, const std::string& path) {
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(2);
  http.set_read_timeout(5);
  auto res = http.Get(path.c_str());
  if (!res) return {0, ""};
  return {res->status, res->body};
}

// /metrics of the process on `port` once it has taken all 21 messages of oppgjor.events (20
// appended, 1 refused) and its lag on both partitions is 0, or after 30 s (the last answer).
std::string settled_metrics(int port, const std::string& component, const std::string& service) {
  const std::string prefix = "oppgjor_" + component + "_";
  const std::string svc = "{service=\"" + service + "\"}";
  auto lag = [&](const std::string& body, int partition) {
    return metric(body, prefix + "consumer_lag{service=\"" + service +
                            "\",topic=\"oppgjor.events\",partition=\"" + std::to_string(partition) +
                            "\"}");
  };
  std::string body;
  for (int i = 0; i < 300; ++i) {
    body = http_get(port, "/metrics").second;
    if (metric(body, prefix + "consumed_total" + svc) == 21 &&
        metric(body, prefix + "appended_total" + svc) == 20 &&
        metric(body, prefix + "rejected_total" + svc) == 1 && lag(body, 0) == 0 &&
        lag(body, 1) == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return body;
}

// Every series of `component` that the alerting rules (ops/prometheus/oppgjor-alerts.yml) name
// and `body` (a /metrics answer) does not serve.
std::vector<std::string> alerted_but_missing(const std::string& body,
                                             const std::string& component) {
  const std::string rules =
      slurp(std::string(OPPGJOR_SCENARIO_DIR) + "/../../ops/prometheus/oppgjor-alerts.yml");
  std::vector<std::string> missing;
  if (rules.empty()) return {"(ops/prometheus/oppgjor-alerts.yml not read)"};
  const std::regex name("oppgjor_" + component + "_[a-z_]+");
  int named = 0;
  for (auto it = std::sregex_iterator(rules.begin(), rules.end(), name);
       it != std::sregex_iterator(); ++it, ++named) {
    if (body.find("\n" + it->str() + "{") == std::string::npos) missing.push_back(it->str());
  }
  if (named == 0) missing.push_back("(no oppgjor_" + component + "_ series in the rules)");
  return missing;
}

TEST(ServeHealth, ARunningInstanceReportsCountsLagAndHealth) {
  testing::MockCluster cluster;
  ASSERT_TRUE(cluster.ok()) << "mock cluster did not start";
  ASSERT_TRUE(cluster.create_topic("oppgjor.events", 2));
  ASSERT_TRUE(cluster.create_topic("oppgjor.care_fees", 2));
  TempDir dir;
  const std::string log = dir.file("serve.log");
  Background serve(bin() + " serve care_fees --kafka " + cluster.bootstrap() +
                       " --group care-fees --state-dir " + dir.file("state") +
                       " --http 127.0.0.1:0 -X session.timeout.ms=6000"
                       " -X heartbeat.interval.ms=500",
                   log);
  const int port = listening_port(log, "serve");
  ASSERT_GT(port, 0) << slurp(log);
  auto get = [port](const std::string& path) { return http_get(port, path); };
  // Healthy once it serves (joined the group and holds its partitions).
  std::pair<int, std::string> health;
  for (int i = 0; i < 300; ++i) {
    health = get("/healthz");
    if (health.first == 200 &&
        health.second.find(R"("partitions_assigned":2)") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(health.first, 200) << health.second << slurp(log);
  EXPECT_NE(health.second.find(R"("status":"serving")"), std::string::npos) << health.second;

  // 20 customers keyed by customer, and one message no schema accepts.
  testing::Upstream up(11);
  for (int i = 0; i < 20; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%06d", 700 + i);
    up.customer(id);
  }
  const std::string input = dir.file("customers.jsonl");
  up.write(input);
  {
    std::ofstream out(input, std::ios::binary | std::ios::app);
    out << R"({"not":"an event"})" << '\n';
  }
  std::size_t published = 0;
  const auto pub = testing::kcat_publish(cluster.bootstrap(), "oppgjor.events", input, published);
  ASSERT_EQ(published, 21u);
  ASSERT_EQ(pub.exit_code, 0) << pub.output;

  // The counts reach what was published and the lag of both partitions falls to zero.
  std::string metrics;
  const std::string svc = "{service=\"care_fees\"}";
  metrics = settled_metrics(port, "serve", "care_fees");
  EXPECT_EQ(metric(metrics, "oppgjor_serve_consumed_total" + svc), 21) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_serve_appended_total" + svc), 20) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_serve_rejected_total" + svc), 1) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_serve_up" + svc), 1) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_serve_partitions_assigned" + svc), 2) << metrics;
  EXPECT_EQ(
      metric(
          metrics,
          R"(oppgjor_serve_consumer_lag{service="care_fees",topic="oppgjor.events",partition="0"})"),
      0)
      << metrics;
  EXPECT_EQ(alerted_but_missing(metrics, "serve"), std::vector<std::string>{}) << metrics;
  health = get("/healthz");
  EXPECT_EQ(health.first, 200);
  EXPECT_NE(health.second.find(R"("lag":0,"consumed_total":21,"appended_total":20,)"),
            std::string::npos)
      << health.second;
  // No personal data in what the operator sees: counts and offsets only.
  EXPECT_EQ(metrics.find("C000700"), std::string::npos);

  serve.terminate();
  ASSERT_TRUE(serve.wait_for(60)) << slurp(log);
  EXPECT_TRUE(WIFEXITED(serve.status()) && WEXITSTATUS(serve.status()) == 0) << slurp(log);
  EXPECT_NE(slurp(log).find("consumed=21 appended=20 duplicates=0 rejected=1"), std::string::npos)
      << slurp(log);

  // The archiver over the same topic: the same endpoint, its own figures (oppgjor_archiver_*).
  const std::string alog = dir.file("archiver.log");
  Background archiver(bin() + " ingest --kafka " + cluster.bootstrap() +
                          " --topic oppgjor.events --group archiver --db " + dir.file("log.db") +
                          " --http 127.0.0.1:0 -X session.timeout.ms=6000",
                      alog);
  const int aport = listening_port(alog, "ingest");
  ASSERT_GT(aport, 0) << slurp(alog);
  const std::string arc = "{service=\"archiver\"}";
  metrics = settled_metrics(aport, "archiver", "archiver");
  EXPECT_EQ(metric(metrics, "oppgjor_archiver_consumed_total" + arc), 21) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_archiver_appended_total" + arc), 20) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_archiver_rejected_total" + arc), 1) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_archiver_held" + arc), 0) << metrics;
  EXPECT_EQ(metric(metrics, "oppgjor_archiver_up" + arc), 1) << metrics;
  EXPECT_EQ(alerted_but_missing(metrics, "archiver"), std::vector<std::string>{}) << metrics;
  health = http_get(aport, "/healthz");
  EXPECT_EQ(health.first, 200) << health.second;
  EXPECT_NE(health.second.find(R"("component":"archiver")"), std::string::npos) << health.second;
  archiver.terminate();
  ASSERT_TRUE(archiver.wait_for(60)) << slurp(alog);
  // A consumer stopped by a signal: exit 3 because one message was refused (docs/CLI.md).
  EXPECT_TRUE(WIFEXITED(archiver.status()) && WEXITSTATUS(archiver.status()) == 3) << slurp(alog);
}

}  // namespace
}  // namespace oppgjor::serve_health_test
