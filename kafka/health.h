// Health and metrics of a running Kafka consumer of Oppgjør — a service instance (`oppgjor serve
// … --http HOST:PORT`) or the archiver (`oppgjor ingest --kafka … --http HOST:PORT`) —, the
// operator's view (ops/RUNBOOK.md): is it alive and consuming, how far behind its topics it is
// (consumer lag per partition), how much it has read, appended, decided, published and refused
// (dead letters).
//
//   GET /healthz  200 {"status":"serving",…} while the instance serves and its main loop has
//                 reported within `stale_after_ms`; 503 otherwise (starting, stopping, failed, or
//                 a loop that stopped reporting), with the reason.
//   GET /metrics  the Prometheus text exposition format (version 0.0.4): counters and gauges
//                 named oppgjor_<component>_* (oppgjor_serve_*, oppgjor_archiver_*), labelled by
//                 service (and topic and partition for lag).
//
// The consuming thread writes a HealthReport to a HealthBoard; the HTTP thread reads the latest
// one. Nothing here decides anything or touches a log: it only reports. No personal data: the
// figures are counts, offsets and error codes.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"

namespace oppgjor::kafka {

enum class HostState { starting, serving, stopping, stopped, failed };
std::string_view state_name(HostState s);

// One assigned input partition. position: the next offset the instance will take (-1: none
// taken or stored yet); high_watermark: the broker's end of the partition as last fetched (-1:
// not known yet); lag = high_watermark − position (or − the low watermark when nothing was taken
// yet), -1 when not known.
struct PartitionLag {
  std::string topic;
  int partition = 0;
  std::int64_t position = -1;
  std::int64_t high_watermark = -1;
  std::int64_t lag = -1;
};

// The lag of one assigned partition of `consumer`, from its position and the watermarks the
// consumer last fetched (local: no request to the broker).
PartitionLag partition_lag(rd_kafka_t* consumer, const std::string& topic, int partition,
                           std::int64_t position);

// One figure of /metrics (and of /healthz): oppgjor_<component>_<name>. Counters end in _total.
struct Figure {
  std::string name;
  std::string help;
  std::int64_t value = 0;
  bool counter = true;  // else a gauge
};

struct HealthReport {
  std::string component = "serve";  // the metric prefix: "serve", "archiver"
  std::string service;              // the service label ("archiver" for the archiver)
  HostState state = HostState::starting;
  std::vector<Figure> figures;    // in the order shown
  std::vector<PartitionLag> lag;  // every assigned partition, by topic then partition
  std::string error_code;         // when failed: the error's code (never its message: it may
                                  // quote input)
};

// The latest report, shared between the serving thread (publish) and the HTTP thread (read).
class HealthBoard {
 public:
  using Clock = std::chrono::steady_clock;
  // Sorts the report's lag by topic, then partition.
  void publish(HealthReport report, Clock::time_point at);
  // Whether a report is due (the last is 200 ms old or more): a busy loop reports at most this
  // often, an idle one after every poll (force).
  bool due(Clock::time_point now) const;
  // The latest report and how many milliseconds before `now` it was published.
  std::pair<HealthReport, std::int64_t> read(Clock::time_point now) const;

 private:
  mutable std::mutex mutex_;
  HealthReport report_;
  Clock::time_point at_{};
};

// A main loop that has not reported for this long is not healthy: the serving thread reports
// after every message and at least every poll (100 ms) when idle, so only a decision or a
// delivery that hangs makes a report this old.
inline constexpr std::int64_t default_stale_after_ms = 60000;

struct HttpAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
};

// The answers, as pure functions of a report and its age (tests compare them whole).
HttpAnswer render_health(const HealthReport& r, std::int64_t age_ms,
                         std::int64_t stale_after_ms = default_stale_after_ms);
HttpAnswer render_metrics(const HealthReport& r, std::int64_t age_ms);

// The HTTP endpoint: its own thread, answering from `board` until destroyed.
class HealthServer {
 public:
  // listen: "HOST:PORT"; PORT 0 takes a free port (port() tells which).
  static Result<std::unique_ptr<HealthServer>> start(
      const std::string& listen, const HealthBoard& board,
      std::int64_t stale_after_ms = default_stale_after_ms);
  ~HealthServer();
  HealthServer(const HealthServer&) = delete;
  HealthServer& operator=(const HealthServer&) = delete;
  int port() const;
  const std::string& host() const;

 private:
  struct Impl;
  explicit HealthServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace oppgjor::kafka
