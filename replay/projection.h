// Projection: a read model folded from the log. Projections are the only state besides the log,
// and they are disposable: replay() rebuilds them from nothing.
//
// Contract (what keeps the state hash the same in embedded and Kafka mode):
//   - apply() may depend on the order of events within a stream, never on how different
//     streams interleave;
//   - apply() reads no clock, randomness or environment;
//   - emit() hands out every row in strictly increasing key order (bytewise), each value being
//     canonical JSON (events/canonical_json.h).
// A business rejection found while folding (an event the projection cannot use) is recorded in
// the projection's own rows, not returned: replay never stops on business data. apply()
// returns an Error only for a bug-class inconsistency, which stops the replay.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/result.h"
#include "events/envelope.h"

namespace oppgjor::replay {

class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void row(std::string_view key, std::string_view value_json) = 0;
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Stable name: the table name in the state store and a part of the state hash.
  virtual std::string_view name() const = 0;
  virtual bool wants(std::string_view type) const = 0;
  // When false, apply() receives a null payload element (saves parsing).
  virtual bool needs_payload() const { return true; }
  virtual Status apply(const events::EventView& e, simdjson::dom::element payload) = 0;
  virtual void emit(RowSink& sink) const = 0;
};

using ProjectionFactory = std::function<std::unique_ptr<Projection>()>;

// The projections a process folds. Services register theirs at start-up (the CLI does it for
// every service it links). Not thread-safe during registration; read-only afterwards.
class ProjectionRegistry {
 public:
  static ProjectionRegistry& global();
  void add(std::string name, ProjectionFactory factory);
  // One fresh instance of every registered projection, sorted by name.
  std::vector<std::unique_ptr<Projection>> create_all() const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::pair<std::string, ProjectionFactory>> factories_;
};

struct ProjectionRegistrar {
  ProjectionRegistrar(std::string name, ProjectionFactory factory) {
    ProjectionRegistry::global().add(std::move(name), std::move(factory));
  }
};

}  // namespace oppgjor::replay
