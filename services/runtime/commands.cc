#include "services/runtime/commands.h"

#include <simdjson.h>

#include "events/canonical_json.h"
#include "events/json_value.h"

namespace oppgjor::runtime {
namespace {

// `text` cut to at most `max` bytes, never inside a UTF-8 sequence, with "…" when cut.
std::string cut_utf8(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max - 3;  // room for "…"
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\xE2\x80\xA6";
}

void head_fields(events::CanonicalWriter& w, const events::EventView& command) {
  w.field("command_event_id", command.event_id);
  w.field("command_type", command.type);
}

void part_field(events::CanonicalWriter& w, Part part) {
  if (part.whole()) return;
  w.key("part");
  w.begin_object();
  w.field_int("count", part.count);
  w.field_int("index", part.index);
  w.end_object();
}

events::EngineEvent answer(std::string_view type, const events::EventView& command,
                           std::string payload) {
  events::EngineEvent e;
  e.type = std::string(type);
  e.stream = command_stream(command.event_id);
  e.occurred_at = std::string(command.occurred_at);
  e.payload_json = std::move(payload);
  return e;
}

}  // namespace

common::Date business_date(const events::EventView& command, common::Date fallback) {
  if (command.occurred_at.size() < 10) return fallback;
  const auto d = common::Date::parse(command.occurred_at.substr(0, 10));
  return d ? *d : fallback;
}

std::string command_stream(std::string_view command_event_id) {
  return "command/" + std::string(command_event_id);
}

events::EngineEvent completed_event(std::string_view service, const events::EventView& command,
                                    const Completion& c) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  if (!c.amounts.empty()) {
    w.key("amounts");
    w.begin_object();
    for (const auto& [k, v] : c.amounts) w.field_int(k, v);
    w.end_object();
  }
  head_fields(w, command);
  w.key("counts");
  w.begin_object();
  for (const auto& [k, v] : c.counts) w.field_int(k, v);
  w.end_object();
  if (!c.note.empty()) w.field("note", cut_utf8(c.note, command_note_bytes_max));
  part_field(w, c.part);
  if (!c.refs.empty()) {
    w.key("refs");
    w.begin_object();
    for (const auto& [k, v] : c.refs) w.field(k, v);
    w.end_object();
  }
  w.field("service", service);
  w.end_object();
  return answer(command_completed_type, command, std::move(out));
}

events::EngineEvent refused_event(std::string_view service, const events::EventView& command,
                                  const Error& why, Part part) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("code", why.code);
  head_fields(w, command);
  w.field("field", why.field);
  w.field("message", cut_utf8(why.message, 2000));
  part_field(w, part);
  w.field("service", service);
  w.end_object();
  return answer(command_refused_type, command, std::move(out));
}

Result<Answer> answer_of(const std::vector<Output>& outputs) {
  simdjson::dom::parser parser;
  auto text = [](simdjson::dom::element e, std::string_view key) {
    std::string_view v;
    return e[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
  };
  // A command decided in parts has one answer per part: counts and amounts add up, a refused
  // part makes the answer a refusal (the first one, in part order).
  Answer a;
  int answers = 0;
  for (const Output& o : outputs) {
    if (o.type != command_completed_type && o.type != command_refused_type) continue;
    simdjson::dom::element p;
    if (parser.parse(o.payload).get(p) != simdjson::SUCCESS) {
      return make_error("answer_malformed", "payload", "an answer that is not JSON");
    }
    ++answers;
    if (o.type == command_refused_type) {
      if (!a.refused) {
        a.refused = true;
        a.refusal = make_error(text(p, "code"), text(p, "field"), text(p, "message"));
      }
      continue;
    }
    const std::string note = text(p, "note");
    if (!note.empty()) a.completion.note += (a.completion.note.empty() ? "" : "\n") + note;
    simdjson::dom::object obj;
    if (p["counts"].get(obj) == simdjson::SUCCESS) {
      for (auto [k, v] : obj) {
        std::int64_t n = 0;
        if (v.get(n) == simdjson::SUCCESS) a.completion.counts[std::string(k)] += n;
      }
    }
    if (p["amounts"].get(obj) == simdjson::SUCCESS) {
      for (auto [k, v] : obj) {
        std::int64_t n = 0;
        if (v.get(n) == simdjson::SUCCESS) a.completion.amounts[std::string(k)] += n;
      }
    }
    if (p["refs"].get(obj) == simdjson::SUCCESS) {
      for (auto [k, v] : obj) {
        std::string_view s;
        if (v.get(s) == simdjson::SUCCESS) a.completion.refs[std::string(k)] = std::string(s);
      }
    }
    std::int64_t count = 0;
    if (p["part"]["count"].get(count) == simdjson::SUCCESS) {
      a.completion.part.count = static_cast<int>(count);
    }
  }
  if (answers > 0) return a;
  return make_error("answer_missing", "", "no service answered the command");
}

std::string command_event_id(std::string_view now_utc, std::uint64_t random_hi,
                             std::uint64_t random_lo) {
  return events::deterministic_event_id("command/" + std::string(now_utc) + "/" +
                                        std::to_string(random_hi) + "/" +
                                        std::to_string(random_lo));
}

}  // namespace oppgjor::runtime
