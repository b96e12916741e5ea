// The CLI's way to the services (docs/SERVICES.md): open the log twice (writer and reader), the
// schemas and the snapshot store, and the embedded runner over every service (wiring.h). An
// acting command appends the person's command event and runs the services to a fixed point,
// then prints the service's answer; a reading command brings the services up to their
// checkpoints (snapshot + tail) and reads their state. Nothing here decides anything.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/dead_letter.h"
#include "events/engine_event.h"

#include "common/assert.h"
#include "events/event_log.h"
#include "events/schema_registry.h"
#include "services/runtime/commands.h"
#include "services/runtime/runner.h"
#include "services/runtime/snapshot_store.h"

namespace oppgjor::cli {

struct ServiceSessionOptions {
  bool read_only = false;
  std::string snapshots;  // empty: "<db>.snapshots"; "-": none
  runtime::RunnerOptions runner;
  // read_only: the services whose state the command reads (wiring::services_named); empty: all.
  // An acting command always runs every service (one's outputs are another's inputs).
  std::vector<std::string_view> reads;
};

struct ServiceSession {
  std::unique_ptr<events::EventLog> writer;  // the reader itself when read_only
  std::unique_ptr<events::EventLog> reader;
  std::shared_ptr<const events::SchemaRegistry> registry;
  std::unique_ptr<runtime::SnapshotStore> snapshots;
  std::unique_ptr<runtime::Runner> runner;
  std::int64_t head = 0;  // after bring-up
};

// Opens everything and brings the services up (read_only) or runs them to a fixed point.
// Prints the error and returns false on failure.
bool open_services(const std::string& db, const ServiceSessionOptions& options,
                   ServiceSession& session);

// Opens the log read-only and brings the services named in `reads` (every service when empty)
// up to their checkpoints (a reading command).
inline bool open_for_reading(const std::string& db, ServiceSession& session,
                             std::vector<std::string_view> reads = {}) {
  ServiceSessionOptions options;
  options.read_only = true;
  options.reads = std::move(reads);
  return open_services(db, options, session);
}

// The wired service `name` as its concrete type. REQUIRES: it is wired (asserted, always on).
template <class S>
const S& service_of(const ServiceSession& session, std::string_view name) {
  const auto* service = session.runner->service(name);
  OPPGJOR_ASSERT(service != nullptr, "a service the command needs is not wired");
  return static_cast<const S&>(*service);
}

// Appends a command (type, canonical payload, actor; correlation_id when given) made at this
// edge (its id from the clock and randomness), runs the services to a fixed point and returns
// the answer. Prints the error and returns nullopt on an operating failure.
std::optional<runtime::Answer> submit_command(ServiceSession& session, const std::string& type,
                                              const std::string& payload_json,
                                              const std::string& actor,
                                              const std::optional<std::string>& correlation_id);

// Appends events a file adapter made at this edge (all or nothing; an event already in the log is
// a duplicate, not an error) and runs the services to a fixed point. The batch result, or nullopt
// after printing the error. The events are taken: each is validated as it is moved into the
// batch, and the batch is let go once appended, before the services run (an OCR file's batches
// are tens of MiB; the log holds them from then on).
std::optional<events::BatchResult> submit_events(ServiceSession& session,
                                                 std::vector<events::EngineEvent>&& events);

// The same for events already validated (events::make_engine_event).
std::optional<events::BatchResult> submit_proposed(ServiceSession& session,
                                                   std::vector<events::ProposedEvent>&& events);

// Keeps a refused input (a whole file that does not add up) in the dead-letter store with its
// original bytes. Prints the error and returns false on an operating failure.
bool record_dead_letter(ServiceSession& session, const events::DeadLetter& letter);

}  // namespace oppgjor::cli
