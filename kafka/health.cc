#include "kafka/health.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <thread>
#include <utility>

#include "common/json_text.h"

namespace oppgjor::kafka {

std::string_view state_name(HostState s) {
  switch (s) {
    case HostState::starting:
      return "starting";
    case HostState::serving:
      return "serving";
    case HostState::stopping:
      return "stopping";
    case HostState::stopped:
      return "stopped";
    case HostState::failed:
      return "failed";
  }
  return "unknown";
}

void HealthBoard::publish(HealthReport report, Clock::time_point at) {
  std::sort(report.lag.begin(), report.lag.end(), [](const PartitionLag& a, const PartitionLag& b) {
    return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
  });
  std::lock_guard<std::mutex> lock(mutex_);
  report_ = std::move(report);
  at_ = at;
}

bool HealthBoard::due(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return now - at_ >= std::chrono::milliseconds(200);
}

std::pair<HealthReport, std::int64_t> HealthBoard::read(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - at_).count();
  return {report_, age < 0 ? 0 : static_cast<std::int64_t>(age)};
}

namespace {

// A label value in the exposition format: backslash, double quote and newline escaped.
std::string label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (const char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// A JSON string, quoted (common/json_text.h escapes it).
std::string json_string(std::string_view v) {
  std::string out = "\"";
  common::append_json_escaped(v, out);
  return out + "\"";
}

std::int64_t total_lag(const HealthReport& r, bool& known) {
  std::int64_t sum = 0;
  known = true;
  for (const PartitionLag& l : r.lag) {
    if (l.lag < 0) {
      known = false;
      continue;
    }
    sum += l.lag;
  }
  return sum;
}

int assigned_partitions(const HealthReport& r) {
  std::vector<int> seen;
  for (const PartitionLag& l : r.lag) {
    if (std::find(seen.begin(), seen.end(), l.partition) == seen.end()) {
      seen.push_back(l.partition);
    }
  }
  return static_cast<int>(seen.size());
}

}  // namespace

PartitionLag partition_lag(rd_kafka_t* consumer, const std::string& topic, int partition,
                           std::int64_t position) {
  PartitionLag l;
  l.topic = topic;
  l.partition = partition;
  l.position = position;
  std::int64_t low = -1;
  std::int64_t high = -1;
  if (consumer != nullptr &&
      rd_kafka_get_watermark_offsets(consumer, topic.c_str(), partition, &low, &high) ==
          RD_KAFKA_RESP_ERR_NO_ERROR &&
      high >= 0) {
    l.high_watermark = high;
    const std::int64_t from = position >= 0 ? position : low;
    if (from >= 0) l.lag = std::max<std::int64_t>(0, high - from);
  }
  return l;
}

HttpAnswer render_health(const HealthReport& r, std::int64_t age_ms, std::int64_t stale_after_ms) {
  HttpAnswer a;
  a.content_type = "application/json";
  std::string status(state_name(r.state));
  std::string reason;
  if (r.state != HostState::serving) {
    a.status = 503;
    reason = r.state == HostState::failed ? "failed: " + r.error_code : "not serving: " + status;
  } else if (age_ms > stale_after_ms) {
    a.status = 503;
    status = "stale";
    reason = "the main loop has not reported for " + std::to_string(age_ms) + " ms (limit " +
             std::to_string(stale_after_ms) + " ms)";
  }
  bool known = false;
  const std::int64_t lag = total_lag(r, known);
  std::string& o = a.body;
  o = "{\"component\":" + json_string(r.component) + ",\"service\":" + json_string(r.service) +
      ",\"status\":" + json_string(status) + ",\"report_age_ms\":" + std::to_string(age_ms) +
      ",\"partitions_assigned\":" + std::to_string(assigned_partitions(r)) +
      ",\"lag\":" + (known ? std::to_string(lag) : std::string("null"));
  for (const Figure& f : r.figures) o += "," + json_string(f.name) + ":" + std::to_string(f.value);
  if (!reason.empty()) o += ",\"reason\":" + json_string(reason);
  o += "}\n";
  return a;
}

HttpAnswer render_metrics(const HealthReport& r, std::int64_t age_ms) {
  HttpAnswer a;
  a.content_type = "text/plain; version=0.0.4; charset=utf-8";
  const std::string prefix = "oppgjor_" + r.component + "_";
  const std::string svc = "service=\"" + label(r.service) + "\"";
  std::string& o = a.body;
  auto head = [&](std::string_view name, std::string_view type, std::string_view help) {
    o += "# HELP " + prefix + std::string(name) + " " + std::string(help) + "\n";
    o += "# TYPE " + prefix + std::string(name) + " " + std::string(type) + "\n";
  };
  auto metric = [&](std::string_view name, std::string_view type, std::string_view help,
                    std::int64_t value) {
    head(name, type, help);
    o += prefix + std::string(name) + "{" + svc + "} " + std::to_string(value) + "\n";
  };
  metric("up", "gauge", "1 while it serves (its state is serving), else 0.",
         r.state == HostState::serving ? 1 : 0);
  metric("report_age_milliseconds", "gauge",
         "Milliseconds since the main loop last reported (it reports at least every 100 ms).",
         age_ms);
  for (const Figure& f : r.figures) {
    metric(f.name, f.counter ? "counter" : "gauge", f.help, f.value);
  }
  metric("partitions_assigned", "gauge", "Partition numbers assigned to it now.",
         assigned_partitions(r));
  head("consumer_lag", "gauge",
       "Messages in the partition not yet taken (high watermark minus position).");
  for (const PartitionLag& l : r.lag) {
    if (l.lag < 0) continue;  // not known yet: no sample rather than a wrong one
    o.append(prefix).append("consumer_lag{").append(svc).append(",topic=\"");
    o.append(label(l.topic)).append("\",partition=\"").append(std::to_string(l.partition));
    o.append("\"} ").append(std::to_string(l.lag)).append("\n");
  }
  return a;
}

struct HealthServer::Impl {
  httplib::Server server;
  std::thread thread;
  std::string host;
  int port = 0;
};

HealthServer::HealthServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HealthServer::~HealthServer() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int HealthServer::port() const {
  return impl_->port;
}
const std::string& HealthServer::host() const {
  return impl_->host;
}

Result<std::unique_ptr<HealthServer>> HealthServer::start(const std::string& listen,
                                                          const HealthBoard& board,
                                                          std::int64_t stale_after_ms) {
  const std::size_t colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    const char* first = listen.data() + colon + 1;
    const char* last = listen.data() + listen.size();
    const auto [end, ec] = std::from_chars(first, last, port);
    if (ec != std::errc() || end != last || first == last) port = -1;
  }
  if (port < 0 || port > 65535) {
    return make_error("invalid_value", "--http",
                      "'" + listen + "' is not HOST:PORT (e.g. 127.0.0.1:9464; port 0 for any)");
  }
  auto impl = std::make_unique<Impl>();
  impl->host = listen.substr(0, colon);
  impl->server.set_tcp_nodelay(true);
  const HealthBoard* b = &board;
  const auto route = [&impl, b](const char* path, auto render) {
    impl->server.Get(path, [b, render](const httplib::Request&, httplib::Response& res) {
      const auto [report, age] = b->read(HealthBoard::Clock::now());
      const HttpAnswer a = render(report, age);
      res.status = a.status;
      res.set_content(a.body, a.content_type.c_str());
    });
  };
  route("/healthz", [stale_after_ms](const HealthReport& r, std::int64_t age) {
    return render_health(r, age, stale_after_ms);
  });
  route("/metrics", [](const HealthReport& r, std::int64_t age) { return render_metrics(r, age); });
  if (port == 0) {
    impl->port = impl->server.bind_to_any_port(impl->host.c_str());
    if (impl->port <= 0) {
      return make_error("io_error", "--http", "cannot listen on " + impl->host + " (any port)");
    }
  } else {
    if (!impl->server.bind_to_port(impl->host.c_str(), port)) {
      return make_error("io_error", "--http", "cannot listen on " + listen);
    }
    impl->port = port;
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  return std::unique_ptr<HealthServer>(new HealthServer(std::move(impl)));
}

}  // namespace oppgjor::kafka
