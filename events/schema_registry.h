// SchemaRegistry: every schema in schemas/ (embedded at build time), compiled once, looked up by
// event type and schema version. Registers the identifier formats ("no-national-id",
// "no-organisation-number", "no-account-number", "no-kid") backed by common.
//
// Immutable after load(): safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "events/json_schema.h"

namespace oppgjor::events {

// Format names whose failure is reported as reason "invalid_identifier", not "schema_violation".
bool is_identifier_format(std::string_view format);

FormatRegistry oppgjor_formats();

class SchemaRegistry {
 public:
  // Compiles every embedded schema. A schema that does not compile is an Error naming the file
  // (it is a build defect, caught by the tests).
  static Result<std::shared_ptr<const SchemaRegistry>> load();

  const JsonSchema& envelope() const { return *envelope_; }

  enum class Miss { none, unknown_type, unknown_version };
  struct Lookup {
    const JsonSchema* schema = nullptr;
    Miss miss = Miss::none;
  };
  Lookup find(std::string_view type, std::int64_t version) const;

  // (type, version) pairs, sorted.
  std::vector<std::pair<std::string, std::int64_t>> types() const;

 private:
  std::shared_ptr<const JsonSchema> envelope_;
  std::map<std::string, std::map<std::int64_t, std::shared_ptr<const JsonSchema>>, std::less<>>
      by_type_;
};

}  // namespace oppgjor::events
