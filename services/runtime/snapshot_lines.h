// Snapshot lines: a service snapshot laid out as a JSON head on the first line, then one line per
// record the service keeps as it came (an event payload), with a few tab-separated fields before
// it:
//
//   {"format":…, …}\n
//   <field>\t<field>\t…\t<payload JSON>\n
//
// Loading parses the head, then each record's JSON alone with one reused parser, and keeps the
// record's bytes as they are. Before, such a snapshot was one JSON document: its parse built a
// tape several times the snapshot's size (hundreds of MiB of fresh memory for a large state), and
// each kept payload was written out again from the parsed value (simdjson::to_string).
//
// Canonical JSON (events/canonical_json.h) is one line: a newline or tab inside a string is
// escaped, so neither can appear raw in a payload. The fields before it are the service's own
// values (ids, kinds) and must not contain a tab or newline either (asserted when written).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "common/assert.h"
#include "common/result.h"

namespace oppgjor::runtime {

// Appends one record line: the fields, then the JSON, separated by tabs.
template <std::size_t N>
void append_snapshot_record(std::string& out, const std::array<std::string_view, N>& fields,
                            std::string_view json) {
  for (const std::string_view f : fields) {
    OPPGJOR_ASSERT(f.find_first_of("\t\n") == std::string_view::npos,
                   "a snapshot record field with a tab or newline");
    out.append(f);
    out.push_back('\t');
  }
  OPPGJOR_ASSERT(json.find('\n') == std::string_view::npos, "a snapshot record of several lines");
  out.append(json);
  out.push_back('\n');
}

// The head (first line) of a snapshot in lines; the rest (the record lines) in `records`.
// An Error when there is no line end after the head.
inline Result<std::string_view> snapshot_head(std::string_view snapshot, std::string_view& records,
                                              std::string_view service) {
  const std::size_t nl = snapshot.find('\n');
  if (nl == std::string_view::npos) {
    return make_error("snapshot_invalid", "head", std::string(service) + " snapshot: no head line");
  }
  records = snapshot.substr(nl + 1);
  return snapshot.substr(0, nl);
}

// The characters a snapshot field escapes, each written as a backslash and the code beside it.
inline constexpr std::array<std::pair<char, char>, 3> snapshot_field_escapes = {
    {{'\\', '\\'}, {'\t', 't'}, {'\n', 'n'}}};

// Appends `f` as a snapshot field that may hold any text (a value from upstream, such as an order
// number): a backslash, tab or newline is written as the two characters \\, \t or \n
// (snapshot_field() reads it back). Two texts are equal exactly when their escaped forms are.
inline void append_escaped_field(std::string& out, std::string_view f) {
  if (f.find_first_of("\\\t\n") == std::string_view::npos) {  // nearly always: as it is
    out.append(f);
    return;
  }
  for (const char c : f) {
    const auto* e = std::find_if(snapshot_field_escapes.begin(), snapshot_field_escapes.end(),
                                 [c](const auto& x) { return x.first == c; });
    if (e == snapshot_field_escapes.end()) {
      out.push_back(c);
    } else {
      out.push_back('\\');
      out.push_back(e->second);
    }
  }
}

// Appends one record line whose fields may hold any text, each escaped (append_escaped_field).
template <std::size_t N>
void append_snapshot_record_escaped(std::string& out, const std::array<std::string_view, N>& fields,
                                    std::string_view json) {
  for (const std::string_view f : fields) {
    append_escaped_field(out, f);
    out.push_back('\t');
  }
  OPPGJOR_ASSERT(json.find('\n') == std::string_view::npos, "a snapshot record of several lines");
  out.append(json);
  out.push_back('\n');
}

// A field written by append_snapshot_record_escaped, as it was. nullopt: an escape that
// append_snapshot_record_escaped never writes (a corrupt record).
inline std::optional<std::string> snapshot_field(std::string_view f) {
  if (f.find('\\') == std::string_view::npos) return std::string(f);
  std::string out;
  out.reserve(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '\\') {
      out.push_back(f[i]);
      continue;
    }
    if (++i == f.size()) return std::nullopt;
    const char code = f[i];
    const auto* e = std::find_if(snapshot_field_escapes.begin(), snapshot_field_escapes.end(),
                                 [code](const auto& x) { return x.second == code; });
    if (e == snapshot_field_escapes.end()) return std::nullopt;
    out.push_back(e->first);
  }
  return out;
}

// Calls f(fields, json) for each record line, in order: N fields (as written), then the JSON as
// text, not parsed. An Error when a line is not complete or has fewer fields; otherwise the
// first Error f returns.
template <std::size_t N, class F>
Status for_each_snapshot_line(std::string_view records, std::string_view service, F&& f) {
  std::size_t pos = 0;
  while (pos < records.size()) {
    const std::size_t nl = records.find('\n', pos);
    if (nl == std::string_view::npos) {
      return make_error("snapshot_invalid", "records",
                        std::string(service) + " snapshot: a record line without its end");
    }
    std::string_view line = records.substr(pos, nl - pos);
    pos = nl + 1;
    std::array<std::string_view, N> fields;
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        return make_error("snapshot_invalid", "records",
                          std::string(service) + " snapshot: a record line with too few fields");
      }
      fields[i] = line.substr(0, tab);
      line.remove_prefix(tab + 1);
    }
    if (auto st = f(fields, line); !st.ok()) return st;
  }
  return ok_status();
}

// Calls f(fields, json, value) for each record line, in order: N fields, then the JSON as text
// and as parsed with `parser` (valid until the next record). An Error when a line is not complete,
// has fewer fields or its JSON does not parse; otherwise the first Error f returns.
template <std::size_t N, class F>
Status for_each_snapshot_record(std::string_view records, std::string_view service,
                                simdjson::dom::parser& parser, F&& f) {
  return for_each_snapshot_line<N>(
      records, service,
      [&](const std::array<std::string_view, N>& fields, std::string_view json) -> Status {
        simdjson::dom::element value;
        if (parser.parse(json.data(), json.size()).get(value) != simdjson::SUCCESS) {
          return make_error("snapshot_invalid", "records",
                            std::string(service) + " snapshot: a record that is not JSON");
        }
        return f(fields, json, value);
      });
}

}  // namespace oppgjor::runtime
