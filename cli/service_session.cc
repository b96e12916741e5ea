#include "cli/service_session.h"

#include <cstdio>
#include <filesystem>
#include <random>

#include "cli/support.h"
#include "events/engine_event.h"
#include "services/wiring/wiring.h"

namespace oppgjor::cli {

bool open_services(const std::string& db, const ServiceSessionOptions& options, ServiceSession& s) {
  const events::LogOptions log_options{events::Durability::full, options.read_only};
  s.reader = open_log(db, log_options);
  if (!s.reader) return false;
  if (!options.read_only) {
    s.writer = open_log(db, log_options);
    if (!s.writer) return false;
  }
  auto registry = events::SchemaRegistry::load();
  if (!registry) {
    print_error("schemas", registry.error());
    return false;
  }
  s.registry = *registry;
  const std::string path =
      options.snapshots.empty() ? runtime::default_snapshot_path(db) : options.snapshots;
  // A reading command never creates the snapshot store; it uses one that is there.
  if (path != "-" && (!options.read_only || std::filesystem::exists(path))) {
    auto store = runtime::SnapshotStore::open(path);
    if (!store) {
      print_error("snapshots", store.error());
      return false;
    }
    s.snapshots = std::move(*store);
  }
  runtime::RunnerOptions runner = options.runner;
  runner.write_snapshots = !options.read_only;
  events::EventLog& writer = options.read_only ? *s.reader : *s.writer;
  s.runner = std::make_unique<runtime::Runner>(
      writer, *s.reader, *s.registry, s.snapshots.get(),
      options.read_only ? wiring::services_named(options.reads) : wiring::all_services(), runner);
  if (options.read_only) {
    if (auto st = s.runner->bring_up(); !st.ok()) {
      print_error("services", st.error());
      return false;
    }
  } else if (auto stats = s.runner->run_to_fixed_point(); !stats.ok()) {
    print_error("services", stats.error());
    return false;
  }
  auto head = s.reader->head();
  if (!head) {
    print_error("log", head.error());
    return false;
  }
  s.head = head->sequence;
  return true;
}

std::optional<runtime::Answer> submit_command(ServiceSession& s, const std::string& type,
                                              const std::string& payload_json,
                                              const std::string& actor,
                                              const std::optional<std::string>& correlation_id) {
  std::random_device random;
  const auto r64 = [&] { return (std::uint64_t{random()} << 32) | random(); };
  const std::string now = system_clock().now_utc();
  events::EngineEvent command;
  command.event_id = runtime::command_event_id(now, r64(), r64());
  command.type = type;
  command.stream = runtime::command_stream(command.event_id);
  command.occurred_at = now;
  command.source = "oppgjor.cli";
  command.actor = actor;
  command.correlation_id = correlation_id;
  command.payload_json = payload_json;
  auto proposed = events::make_engine_event(*s.registry, command);
  if (!proposed) {
    print_error(type, proposed.error());
    return std::nullopt;
  }
  auto appended = s.writer->append(std::span(&*proposed, 1), events::BatchPolicy::all_or_nothing);
  if (!appended || !appended->committed) {
    if (!appended)
      print_error(type, appended.error());
    else
      std::fprintf(stderr, "oppgjor: %s: the log refused the command\n", type.c_str());
    return std::nullopt;
  }
  auto stats = s.runner->run_to_fixed_point();
  if (!stats) {
    print_error("services", stats.error());
    return std::nullopt;
  }
  s.head = stats->head;
  auto answer = runtime::answer_of(s.runner->outputs_caused_by(command.event_id));
  if (!answer) {
    print_error(type, answer.error());
    return std::nullopt;
  }
  return *answer;
}

std::optional<events::BatchResult> submit_events(ServiceSession& s,
                                                 std::vector<events::EngineEvent>&& events) {
  std::vector<events::ProposedEvent> proposed;
  proposed.reserve(events.size());
  for (auto& e : events) {
    const std::string type = e.type;
    auto p = events::make_engine_event(*s.registry, std::move(e));
    if (!p) {
      print_error(type, p.error());
      return std::nullopt;
    }
    proposed.push_back(std::move(p).value());
  }
  events.clear();
  events.shrink_to_fit();
  return submit_proposed(s, std::move(proposed));
}

std::optional<events::BatchResult> submit_proposed(ServiceSession& s,
                                                   std::vector<events::ProposedEvent>&& proposed) {
  auto appended = s.writer->append(proposed, events::BatchPolicy::all_or_nothing);
  proposed.clear();
  proposed.shrink_to_fit();
  if (!appended) {
    print_error("append", appended.error());
    return std::nullopt;
  }
  if (appended->rejected > 0) {
    for (const auto& o : appended->outcomes) {
      if (o.kind == events::AppendOutcome::Kind::rejected) {
        print_error("append", make_error(o.reason, "", o.message));
        break;
      }
    }
    return std::nullopt;
  }
  auto stats = s.runner->run_to_fixed_point();
  if (!stats) {
    print_error("services", stats.error());
    return std::nullopt;
  }
  s.head = stats->head;
  return std::move(appended).value();
}

bool record_dead_letter(ServiceSession& s, const events::DeadLetter& letter) {
  auto appended = s.writer->append({}, events::BatchPolicy::per_event, std::span(&letter, 1));
  if (!appended) {
    print_error("dead letter", appended.error());
    return false;
  }
  return true;
}

}  // namespace oppgjor::cli
