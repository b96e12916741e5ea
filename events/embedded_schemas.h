// The schemas/*.schema.json files, compiled into the binary (see embed_schemas.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace oppgjor::events {

struct EmbeddedSchema {
  std::string_view file_name;  // "customers.customer_registered.v1.schema.json"
  std::string_view json;
};

// Sorted by file name.
const std::vector<EmbeddedSchema>& embedded_schemas();

}  // namespace oppgjor::events
