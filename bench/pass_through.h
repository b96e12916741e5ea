// The pass-through service of the runtime benchmarks (bench/runtime_bench.cc,
// bench/kafka_bench.cc): consumes every type it is given, folds nothing but a count, decides
// nothing — what the runner (and, on Kafka, the host around it) costs by itself.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/schema_registry.h"
#include "services/runtime/runner.h"

namespace oppgjor::bench {

class PassThrough final : public runtime::Service {
 public:
  explicit PassThrough(std::vector<std::string> types) : types_(std::move(types)) {}
  std::string_view name() const override { return "pass_through"; }
  std::string state_version() const override { return "1"; }
  std::vector<std::string> input_types() const override { return types_; }
  bool decides(std::string_view) const override { return false; }
  bool needs_payload() const override { return false; }
  Result<std::vector<events::EngineEvent>> decide(const events::EventView&, simdjson::dom::element,
                                                  runtime::Part) const override {
    return std::vector<events::EngineEvent>{};
  }
  Status fold(const events::EventView&, simdjson::dom::element) override {
    ++folded_;
    return ok_status();
  }
  std::string save() const override { return std::to_string(folded_); }
  Status load(std::string_view s) override {
    folded_ = std::stoll(std::string(s));
    return ok_status();
  }
  void emit(replay::RowSink& sink) const override { sink.row("folded", std::to_string(folded_)); }

 private:
  std::vector<std::string> types_;
  std::int64_t folded_ = 0;
};

// Every event type the registry knows, once each.
inline std::vector<std::string> all_types(const events::SchemaRegistry& registry) {
  std::vector<std::string> types;
  for (const auto& [type, version] : registry.types()) {
    if (types.empty() || types.back() != type) types.push_back(type);
  }
  return types;
}

}  // namespace oppgjor::bench
