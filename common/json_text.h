// JSON string escaping, shared by canonical JSON (events/canonical_json.h) and the JSON log
// format (logging.h): '"' and '\\' escaped, control characters U+0000..U+001F as \b \f \n \r \t
// or \u00xx (lowercase hex), every other byte copied as it is (input is UTF-8).
#pragma once

#include <string>
#include <string_view>

namespace oppgjor::common {

// Appends the escaped body of `s` (no surrounding quotes) to `out`.
void append_json_escaped(std::string_view s, std::string& out);

}  // namespace oppgjor::common
