// The rules/*.json files, compiled into the library (see embed_rules.cmake): the parameters are
// versioned data in the source tree and a binary never reads them from disk.
#pragma once

#include <string_view>
#include <vector>

namespace oppgjor::care_fees {

struct EmbeddedRuleFile {
  std::string_view file_name;  // "grunnbelop.json"
  std::string_view json;
};

// Sorted by file name. Static storage; thread-safe.
const std::vector<EmbeddedRuleFile>& embedded_rule_files();

}  // namespace oppgjor::care_fees
