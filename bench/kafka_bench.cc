// oppgjor_kafka_bench: the Kafka-mode figure of issue 7 (docs/PERFORMANCE.md, "Services runtime
// (issue 7)", bench/kafka.sh). In one process and one run:
//   1. a librdkafka mock cluster (3 brokers) with the input topic (--partitions) and the output
//      topics;
//   2. --events valid upstream events from the sample generator, produced keyed by their
//      partition key (the customer: the part of the stream after '/'), partitioner murmur2;
//   3. baseline: a raw librdkafka consumer (its own group) reads the whole topic and touches
//      every payload byte;
//   4. `kafka::serve` with the pass-through service, then with care_fees (each in its own group,
//      state in a fresh directory) until every input is appended and decided;
//   5. the intake alone, no Kafka: the same events decoded, checked and appended to one log in
//      batches of --batch-events (the host's own ceiling: it does this for every input);
//   6. the baseline again (drift check); each figure beside the best baseline, and the ratio.
// Every clock starts at the first message taken, so the mock's group join (~3 s) is outside
// every measurement alike. Counts are asserted end to end (the mock drops old data silently):
// a run whose consumed, appended or touched bytes differ from what was produced fails.
// Not a test: no timing is asserted anywhere (bench/CMakeLists.txt).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "bench/pass_through.h"
#include "events/intake.h"
#include "kafka/client.h"
#include "kafka/host/service_host.h"
#include "sample/sample_generator.h"
#include "services/runtime/partition.h"
#include "services/wiring/wiring.h"

namespace oppgjor::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* input_topic = "oppgjor.events";
// The mock keeps at most 5 MiB per partition and drops older data silently (KAFKA-TESTING.md):
// refuse to run when a partition would hold more than this.
constexpr std::int64_t partition_budget_bytes = 4 * 1024 * 1024;
constexpr int wait_budget_s = 300;

int fail(const std::string& what, const std::string& why) {
  std::fprintf(stderr, "oppgjor_kafka_bench: %s: %s\n", what.c_str(), why.c_str());
  return 1;
}

struct Event {
  std::string key;
  std::string line;
};

std::string stream_of(std::string_view line) {
  constexpr std::string_view tag = "\"stream\":\"";
  const auto at = line.find(tag);
  if (at == std::string_view::npos) return {};
  const auto from = at + tag.size();
  return std::string(line.substr(from, line.find('"', from) - from));
}

// N events from the generator (compact invoice bases, as the other benchmarks).
std::vector<Event> generate(std::int64_t wanted) {
  sample::SampleOptions o;
  o.compact = true;
  o.customers = static_cast<int>(wanted / 12 + 1);
  for (;;) {
    std::int64_t lines = 0;
    sample::generate_sample(o, [&](std::string_view) { ++lines; });
    if (lines >= wanted) break;
    o.customers += o.customers / 10 + 1;
  }
  std::vector<Event> events;
  events.reserve(static_cast<std::size_t>(wanted));
  sample::generate_sample(o, [&](std::string_view line) {
    if (static_cast<std::int64_t>(events.size()) == wanted) return;
    events.push_back({std::string(runtime::partition_key(stream_of(line))), std::string(line)});
  });
  return events;
}

std::uint64_t touch(const void* data, std::size_t len) {
  std::uint64_t sum = 0;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < len; ++i) sum += p[i];
  return sum;
}

struct DeliveryCount {
  std::int64_t ok = 0, failed = 0;
};
extern "C" void bench_on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto& c = *static_cast<DeliveryCount*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++c.ok;
  } else {
    ++c.failed;
  }
}

Status produce(const std::string& bootstrap, const std::vector<Event>& events) {
  auto s = kafka::base_settings(RD_KAFKA_PRODUCER);
  s["bootstrap.servers"] = bootstrap;
  s["enable.idempotence"] = "true";
  s["linger.ms"] = "20";
  s["log_level"] = "3";
  auto conf = kafka::make_conf(s);
  if (!conf) return conf.error();
  DeliveryCount count;
  rd_kafka_conf_set_opaque(conf->get(), &count);
  rd_kafka_conf_set_dr_msg_cb(conf->get(), bench_on_delivery);
  auto producer = kafka::Client::create(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!producer) return producer.error();
  for (const Event& e : events) {
    for (;;) {
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          producer->get(), RD_KAFKA_V_TOPIC(input_topic),
          RD_KAFKA_V_KEY(const_cast<char*>(e.key.data()), e.key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(e.line.data()), e.line.size()), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        return make_error("kafka_error", "produce", rd_kafka_err2str(err));
      }
      rd_kafka_poll(producer->get(), 50);
    }
    rd_kafka_poll(producer->get(), 0);
  }
  rd_kafka_flush(producer->get(), 60000);
  if (count.ok != static_cast<std::int64_t>(events.size()) || count.failed != 0) {
    return make_error("kafka_error", "produce",
                      std::to_string(count.ok) + " of " + std::to_string(events.size()) +
                          " delivered, " + std::to_string(count.failed) + " failed");
  }
  return ok_status();
}

struct Measured {
  std::int64_t events = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // whole process (the mock brokers live here too)
  double eps() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
};

// The baseline: a plain consumer in its own group reads the topic from the start and touches
// every payload byte; the clock runs from the first message to the last.
Result<Measured> raw_consume(const std::string& bootstrap, const std::string& group,
                             std::int64_t expected, std::uint64_t expected_sum) {
  auto s = kafka::base_settings(RD_KAFKA_CONSUMER);
  s.insert({{"bootstrap.servers", bootstrap},
            {"group.id", group},
            {"enable.auto.commit", "false"},
            {"auto.offset.reset", "earliest"},
            {"enable.partition.eof", "false"},
            {"log_level", "3"}});
  auto conf = kafka::make_conf(s);
  if (!conf) return conf.error();
  auto consumer = kafka::Client::create(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!consumer) return consumer.error();
  rd_kafka_poll_set_consumer(consumer->get());
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, input_topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer->get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  std::int64_t n = 0;
  std::uint64_t sum = 0;
  Clock::time_point first, last;
  double cpu_first = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(wait_budget_s);
  while (n < expected && Clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer->get(), 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (n == 0) {
        first = Clock::now();
        cpu_first = process_cpu_seconds();
      }
      sum += touch(m->payload, m->len);
      ++n;
      last = Clock::now();
    }
    rd_kafka_message_destroy(m);
  }
  Measured r;
  r.events = n;
  r.seconds = std::chrono::duration<double>(last - first).count();
  r.cpu_seconds = process_cpu_seconds() - cpu_first;
  if (n != expected || sum != expected_sum) {
    return make_error("count_mismatch", group,
                      "consumed " + std::to_string(n) + " of " + std::to_string(expected) +
                          (sum != expected_sum ? ", payload bytes differ" : ""));
  }
  return r;
}

struct HostRun {
  Measured measured;
  kafka::ServeStats stats;
};

// `kafka::serve` from the first message taken until every input is appended to its partition
// inbox and decided (the settle that appends the last one also runs the service and publishes).
Result<HostRun> host(runtime::ServiceFactory factory,
                     std::shared_ptr<const events::SchemaRegistry> registry,
                     const std::string& bootstrap, const std::string& group,
                     const std::string& state_dir, std::size_t batch_events,
                     std::int64_t expected) {
  WallClock wall;
  kafka::ServeOptions o;
  o.bootstrap = bootstrap;
  o.group = group;
  o.state_dir = state_dir;
  o.input_topics = {input_topic};
  o.batch_events = batch_events;
  o.config = {{"log_level", "3"}};
  std::optional<Clock::time_point> first, done;
  double cpu_first = 0, cpu_done = 0;
  o.on_progress = [&](const kafka::ServeStats& s) {
    if (!first && s.consumed > 0) {
      first = Clock::now();
      cpu_first = process_cpu_seconds();
    }
    if (!done && s.appended + s.duplicates + s.rejected >= expected) {
      done = Clock::now();
      cpu_done = process_cpu_seconds();
    }
  };
  const auto deadline = Clock::now() + std::chrono::seconds(wait_budget_s);
  o.should_stop = [&] { return done.has_value() || Clock::now() > deadline; };
  auto stats = kafka::serve(std::move(factory), std::move(registry), wall, o);
  if (!stats) return stats.error();
  if (!first || !done) {
    return make_error("timeout", group,
                      "consumed " + std::to_string(stats->consumed) + ", appended " +
                          std::to_string(stats->appended) + " of " + std::to_string(expected) +
                          " within " + std::to_string(wait_budget_s) + " s");
  }
  if (stats->consumed != expected || stats->appended != expected || stats->rejected != 0 ||
      stats->duplicates != 0) {
    return make_error("count_mismatch", group,
                      "consumed " + std::to_string(stats->consumed) + ", appended " +
                          std::to_string(stats->appended) + ", duplicates " +
                          std::to_string(stats->duplicates) + ", rejected " +
                          std::to_string(stats->rejected) + " of " + std::to_string(expected));
  }
  HostRun r;
  r.stats = *stats;
  r.measured.events = expected;
  r.measured.seconds = std::chrono::duration<double>(*done - *first).count();
  r.measured.cpu_seconds = cpu_done - cpu_first;
  return r;
}

// The intake ceiling: the same events through the same intake (decode, schema check, dedupe,
// hash-chained append in batches of batch_events, Durability::full) into one log, no Kafka. The
// host does this for every input, so it cannot be faster than this.
Result<Measured> intake_only(std::shared_ptr<const events::SchemaRegistry> registry,
                             const std::vector<Event>& events, const std::string& path,
                             std::size_t batch_events) {
  WallClock wall;
  remove_db(path);
  auto log = events::EventLog::open(path, wall, {});
  if (!log) return log.error();
  events::IntakeOptions io;
  io.channel = "kafka";
  io.auto_flush = false;
  io.batch_events = batch_events;
  events::Intake intake(**log, std::move(registry), io);
  const double cpu0 = process_cpu_seconds();
  const Stopwatch sw;
  std::int64_t offset = 0;
  for (const Event& e : events) {
    if (auto st = intake.add(e.line, "bench@" + std::to_string(offset)); !st.ok()) {
      return st.error();
    }
    ++offset;
    if (intake.buffered() >= batch_events) {
      const events::SourceOffset at{"kafka:bench", 0, offset};
      if (auto st = intake.flush(std::span<const events::SourceOffset>(&at, 1)); !st.ok()) {
        return st.error();
      }
    }
  }
  const events::SourceOffset at{"kafka:bench", 0, offset};
  if (auto st = intake.flush(std::span<const events::SourceOffset>(&at, 1)); !st.ok()) {
    return st.error();
  }
  Measured r;
  r.events = intake.stats().appended;
  r.seconds = sw.seconds();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  if (r.events != static_cast<std::int64_t>(events.size())) {
    return make_error(
        "count_mismatch", path,
        "appended " + std::to_string(r.events) + " of " + std::to_string(events.size()));
  }
  return r;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

int run(std::int64_t events_wanted, int partitions, std::size_t batch_events,
        const std::string& services, const std::string& work, const std::string& results) {
  auto registry_loaded = events::SchemaRegistry::load();
  if (!registry_loaded) return fail("schemas", registry_loaded.error().to_string());
  std::shared_ptr<const events::SchemaRegistry> registry = std::move(*registry_loaded);

  const std::vector<Event> events = generate(events_wanted);
  std::vector<std::int64_t> per_partition(static_cast<std::size_t>(partitions), 0);
  std::int64_t bytes = 0;
  std::uint64_t sum = 0;
  for (const Event& e : events) {
    // Value, key and Kafka's per-record overhead (about 70 bytes with headers and varints).
    per_partition[static_cast<std::size_t>(runtime::partition_of(e.key, partitions))] +=
        static_cast<std::int64_t>(e.line.size() + e.key.size() + 70);
    bytes += static_cast<std::int64_t>(e.line.size());
    sum += touch(e.line.data(), e.line.size());
  }
  const std::int64_t fullest = *std::max_element(per_partition.begin(), per_partition.end());
  std::printf("events: %zu (average %.0f bytes), %d partitions, fullest ~%.2f MiB\n", events.size(),
              static_cast<double>(bytes) / static_cast<double>(events.size()), partitions,
              static_cast<double>(fullest) / 1048576.0);
  if (fullest > partition_budget_bytes) {
    return fail("volume",
                "a partition would hold more than the mock keeps safely; use fewer "
                "events or more partitions");
  }

  // The mock cluster lives in this process (tests/support/kafka_mock.h).
  auto mock_conf = kafka::make_conf({{"test.mock.num.brokers", "3"}, {"log_level", "2"}});
  if (!mock_conf) return fail("mock", mock_conf.error().to_string());
  auto mock_client = kafka::Client::create(RD_KAFKA_PRODUCER, std::move(*mock_conf));
  if (!mock_client) return fail("mock", mock_client.error().to_string());
  rd_kafka_mock_cluster_t* mc = rd_kafka_handle_mock_cluster(mock_client->get());
  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(mc);
  std::vector<std::string> topics = {input_topic, "oppgjor.pass_through", "oppgjor.care_fees"};
  for (const std::string& t : topics) {
    if (rd_kafka_mock_topic_create(mc, t.c_str(), partitions, 3) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return fail("mock", "cannot create topic " + t);
    }
  }
  {
    const Stopwatch sw;
    if (auto st = produce(bootstrap, events); !st.ok()) {
      return fail("produce", st.error().to_string());
    }
    std::printf("produced %zu events in %.2f s\n", events.size(), sw.seconds());
  }

  auto report = [](const std::string& what, const Measured& m) {
    std::printf("%-34s %8lld events in %6.3f s = %8.0f events/s  (process CPU %.2f s)\n",
                what.c_str(), static_cast<long long>(m.events), m.seconds, m.eps(), m.cpu_seconds);
  };
  auto raw1 = raw_consume(bootstrap, "bench-raw-1", events_wanted, sum);
  if (!raw1) return fail("raw consume", raw1.error().to_string());
  report("raw librdkafka consume (1)", *raw1);

  struct Line {
    std::string name;
    Measured m;
    kafka::ServeStats stats;
  };
  std::vector<Line> lines;
  const std::vector<std::string> types = all_types(*registry);
  for (const std::string& service : split(services)) {
    runtime::ServiceFactory factory;
    if (service == "pass_through") {
      factory = [types] { return std::make_unique<PassThrough>(types); };
    } else if (service == "care_fees") {
      factory = wiring::all_services().front();
    } else {
      return fail("services", "unknown service " + service);
    }
    const std::string dir = work + "/" + service;
    std::filesystem::remove_all(dir);
    auto r = host(factory, registry, bootstrap, "bench-serve-" + service, dir, batch_events,
                  events_wanted);
    if (!r) return fail("serve " + service, r.error().to_string());
    report("serve " + service, r->measured);
    std::printf("  consumed %lld, appended %lld, decided %lld, published %lld, %lld assignments\n",
                static_cast<long long>(r->stats.consumed),
                static_cast<long long>(r->stats.appended), static_cast<long long>(r->stats.decided),
                static_cast<long long>(r->stats.published),
                static_cast<long long>(r->stats.assignments));
    lines.push_back({service, r->measured, r->stats});
  }

  std::filesystem::create_directories(work);
  auto ceiling = intake_only(registry, events, work + "/intake.db", batch_events);
  if (!ceiling) return fail("intake only", ceiling.error().to_string());
  report("intake only, no Kafka (ceiling)", *ceiling);

  auto raw2 = raw_consume(bootstrap, "bench-raw-2", events_wanted, sum);
  if (!raw2) return fail("raw consume", raw2.error().to_string());
  report("raw librdkafka consume (2)", *raw2);

  const double baseline = std::max(raw1->eps(), raw2->eps());
  std::printf("\nbaseline: the faster raw consume, %.0f events/s (target: >= 0.5 x)\n", baseline);
  record(results, "kafka_raw_eps_1", raw1->eps());
  record(results, "kafka_raw_eps_2", raw2->eps());
  for (const Line& l : lines) {
    const double ratio = l.m.eps() / baseline;
    std::printf("serve %-13s %8.0f events/s = %.3f x raw: %s\n", l.name.c_str(), l.m.eps(), ratio,
                ratio >= 0.5 ? "target met" : "target NOT met");
    record(results, "kafka_serve_eps_" + l.name, l.m.eps());
    std::printf("  %-19s = %.3f x the intake alone (%.0f events/s)\n", "",
                l.m.eps() / ceiling->eps(), ceiling->eps());
    record(results, "kafka_serve_ratio_" + l.name, ratio);
  }
  return 0;
}

}  // namespace
}  // namespace oppgjor::bench

int main(int argc, char** argv) {
  using namespace oppgjor::bench;
  CLI::App app{"oppgjor_kafka_bench: Kafka mode against raw librdkafka consume (bench/kafka.sh)"};
  std::int64_t events = 100000;
  int partitions = 24;
  std::size_t batch_events = 2000;
  std::string services = "pass_through,care_fees";
  std::string work = "out/bench-kafka";
  std::string results = "/dev/null";
  app.add_option("--events", events, "Upstream events produced");
  app.add_option("--partitions", partitions, "Partitions of every topic");
  app.add_option("--batch-events", batch_events, "ServeOptions::batch_events");
  app.add_option("--services", services, "Comma-separated: pass_through, care_fees");
  app.add_option("--work", work, "State directories go under it");
  app.add_option("--results", results);
  CLI11_PARSE(app, argc, argv);
  return run(events, partitions, batch_events, services, work, results);
}
