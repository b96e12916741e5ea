// The service contract (docs/SERVICES.md): a service is a consumer with a pure decision.
//
// A service names the event types it folds into its state, the subset it decides on, and for
// each consumed event decides new events from its state, the event and rule parameters only
// (rule parameters are part of its state: shipped data plus `rules.parameter_set` events). A
// runner (runner.h: embedded; the Kafka mode feeds the same interface) owns delivery:
//
//   for a consumed event e, in delivery order:
//     outputs = decide(e)            (pure: const, no clock, no randomness, no environment)
//     fold(e)
//     fold(o) for each o in outputs  (the state reflects what the service consumed and emitted)
//
// The runner, not the service, sets each output's envelope identity: event_id =
// deterministic_event_id("<service>/<consumed event_id>/<index>") (with "/p<part>" before the
// index when the decision was made in parts), causation_id = the consumed
// event, correlation_id = the consumed event's (or, when it has none, the service's own or the
// consumed event's id), actor = the consumed event's actor, source = "oppgjor.<service>". The
// service's own outputs met again in the log are never folded a second time; when the state is
// rebuilt from the log, each consumed event is followed by the outputs the log recorded for it
// (found by causation_id), never by a new decision, so a rebuilt state is the state the
// decisions were made from, whatever rule data the build ships today.
//
// Snapshots: save() serialises the whole state (format and rule version in state_version());
// load() restores it. A snapshot whose state_version differs from the running build's is
// rebuilt from the log, never trusted. emit() lists the state as sorted rows (the same contract
// as replay::Projection::emit) so a snapshot + tail can be compared row for row with a full
// rebuild (`oppgjor replay --check-snapshots`).
//
// Thread-safety: none; a runner drives one instance from one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/result.h"
#include "events/engine_event.h"
#include "events/envelope.h"
#include "replay/projection.h"
#include "services/runtime/partition.h"
#include "services/runtime/snapshot_sink.h"

namespace oppgjor::runtime {

// "oppgjor.<service>": the source of every event a service emits.
std::string output_source(std::string_view service_name);

class Service {
 public:
  virtual ~Service() = default;

  // Stable name: checkpoint key, snapshot key, output source and id prefix. [a-z_]+.
  virtual std::string_view name() const = 0;
  // Changes whenever save()'s format or the shipped rule data changes.
  virtual std::string state_version() const = 0;
  // Event types folded into the state (its own output types need not be listed).
  virtual std::vector<std::string> input_types() const = 0;
  // Whether decide() is called for events of `type` (a subset of input_types()). Asked before the
  // event is folded; it may look at the state (deterministic, as decide() is) to skip events it
  // would decide nothing on, which are then only folded.
  virtual bool decides(std::string_view type) const = 0;
  // Whether fold() needs the payload (false: a null element is passed, the payload not parsed).
  virtual bool needs_payload() const { return true; }

  // REQUIRES: decides(e.type). In how many parts the decision on `e` is made (partition.h): a
  // request that spans customers may name a partition count, and is then decided once per
  // part, each part for the customers of its partition only, so that the owner of Kafka
  // partition N decides exactly what the embedded runner decides as part N. 1: one decision.
  virtual int parts(const events::EventView& /*e*/, simdjson::dom::element /*payload*/) const {
    return 1;
  }
  // Whether a command of `type` is about many customers (bill a month, a control
  // recalculation). On Kafka, where an instance holds only its partitions' customers, such a
  // command is decided only when it names the topic's partition count (parts() == partitions);
  // otherwise every partition refuses it (partitions_mismatch) rather than decide for a part of
  // the customers as if they were all.
  virtual bool spans_customers(std::string_view /*type*/) const { return false; }
  // REQUIRES: decides(e.type), part.count == parts(e). Pure. An Error is a bug-class failure (it
  // stops the runner); a business refusal is an output event (e.g. service.command_refused), not
  // an Error. The parts of one event are decided from the same state (before e) and must not
  // depend on each other.
  virtual Result<std::vector<events::EngineEvent>> decide(const events::EventView& e,
                                                          simdjson::dom::element payload,
                                                          Part part) const = 0;
  // Folds a consumed event or one of the service's own outputs. An Error is bug-class.
  virtual Status fold(const events::EventView& e, simdjson::dom::element payload) = 0;

  virtual std::string save() const = 0;
  // The same bytes as save(), handed to `sink` in pieces (snapshot_sink.h), so that a large state
  // is never one string in memory when the runner writes its snapshot. By default, save() whole.
  virtual void save_to(SnapshotSink& sink) const { sink.write(save()); }
  // REQUIRES: a fresh instance. An Error makes the runner rebuild from the log.
  virtual Status load(std::string_view snapshot) = 0;
  // The same as load(), from bytes that stay valid as long as `keep` lives: the service may keep
  // views into them instead of copies (invoicing keeps its open bases' text so). The runner
  // loads snapshots through this.
  virtual Status load_image(std::string_view snapshot,
                            const std::shared_ptr<const void>& /*keep*/) {
    return load(snapshot);
  }
  virtual void emit(replay::RowSink& sink) const = 0;
};

}  // namespace oppgjor::runtime
