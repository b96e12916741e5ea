// JSON string escaping, shared by canonical JSON (events/canonical_json.h) and the JSON log
// format (logging.h): '"' and '\\' escaped, control characters U+0000..U+001F as \b \f \n \r \t
// or \u00xx (lowercase hex), every other byte copied as it is (input is UTF-8).
#pragma once

#include <string>
#include <string_view>

namespace oppgjor::common {

// Appends the escaped body of `s` (no surrounding quotes) to `out`.
void append_json_escaped(std::string_view s, std::string& out);

// The index of the first byte at or after `from` that JSON escapes ('"', '\\' or below U+0020),
// or s.size() when there is none. Reads eight bytes at a time: the text written to the log is
// mostly long runs that need no escaping.
std::size_t json_plain_run_end(std::string_view s, std::size_t from);

}  // namespace oppgjor::common
