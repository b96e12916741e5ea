#include "formats/gl07/layout.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "common/assert.h"
#include "formats/gl07/errors.h"

namespace oppgjor::formats::gl07 {

namespace {

namespace ec = error_code;

constexpr std::size_t record_length_max = 100'000;

Error at_line(const char* code, std::size_t line_no, std::string message) {
  return make_error(code, "line " + std::to_string(line_no), std::move(message));
}

bool parse_size(const std::string& word, std::size_t& out) {
  const char* end = word.data() + word.size();
  auto [ptr, ec] = std::from_chars(word.data(), end, out);
  return ec == std::errc() && ptr == end && out > 0 && out <= record_length_max;
}

bool parse_type(const std::string& word, FieldType& out) {
  if (word == "text")
    out = FieldType::text;
  else if (word == "number")
    out = FieldType::number;
  else if (word == "date")
    out = FieldType::date;
  else if (word == "period")
    out = FieldType::period;
  else
    return false;
  return true;
}

// "field NAME START LENGTH TYPE [left|truncate]"
Result<FieldSpec> parse_field(const std::vector<std::string>& w, std::size_t line_no) {
  FieldSpec f;
  if (w.size() < 5 || w.size() > 6 || !parse_size(w[2], f.start) || !parse_size(w[3], f.length) ||
      !parse_type(w[4], f.type)) {
    return at_line(ec::layout_syntax, line_no,
                   "expected: field NAME START LENGTH text|number|date|period [left|truncate]");
  }
  f.name = w[1];
  if (w.size() == 6) {
    if (w[5] == "left" && f.type == FieldType::number)
      f.align_left = true;
    else if (w[5] == "truncate" && f.type == FieldType::text)
      f.truncate = true;
    else
      return at_line(ec::layout_syntax, line_no, "'left' is for numbers, 'truncate' for text");
  }
  const std::size_t fixed = f.type == FieldType::date ? 8 : f.type == FieldType::period ? 6 : 0;
  if (fixed != 0 && f.length != fixed) {
    return at_line(ec::layout_syntax, line_no, "a date is 8 characters, a period 6");
  }
  return f;
}

Status apply_directive(Layout& layout, const std::vector<std::string>& w, std::size_t line_no) {
  if (w[0] == "record_length" && w.size() == 2 && parse_size(w[1], layout.record_length)) {
    return ok_status();
  }
  if (w[0] == "encoding" && w.size() == 2 && (w[1] == "latin1" || w[1] == "utf8")) {
    layout.encoding = w[1] == "latin1" ? Encoding::latin1 : Encoding::utf8;
    return ok_status();
  }
  if (w[0] == "line_end" && w.size() == 2 && (w[1] == "crlf" || w[1] == "lf")) {
    layout.line_end = w[1] == "crlf" ? "\r\n" : "\n";
    return ok_status();
  }
  if (w[0] == "field") {
    auto f = parse_field(w, line_no);
    if (!f) return f.error();
    layout.fields.push_back(std::move(*f));
    return ok_status();
  }
  return at_line(ec::layout_syntax, line_no, "unknown or malformed directive '" + w[0] + "'");
}

// Positions, names and types, once every line is read. lines[i] is the line of fields[i].
Status check_fields(const Layout& layout, const std::vector<std::size_t>& lines) {
  if (layout.record_length == 0) {
    return make_error(ec::layout_syntax, "record_length", "no record_length directive");
  }
  std::set<std::string> names;
  std::vector<char> used(layout.record_length, 0);
  for (std::size_t i = 0; i < layout.fields.size(); ++i) {
    const FieldSpec& f = layout.fields[i];
    if (f.start + f.length - 1 > layout.record_length) {
      return at_line(ec::layout_field_outside_record, lines[i], f.name + " ends after the record");
    }
    if (!names.insert(f.name).second) {
      return at_line(ec::layout_field_duplicate, lines[i], f.name + " appears twice");
    }
    for (std::size_t c = f.start - 1; c < f.start - 1 + f.length; ++c) {
      if (used[c]++) return at_line(ec::layout_fields_overlap, lines[i], f.name + " overlaps");
    }
    for (const KnownField& k : known_fields()) {
      if (f.name == k.name && f.type != k.type) {
        return at_line(ec::layout_field_wrong_type, lines[i], f.name + " has the wrong type");
      }
    }
  }
  for (const char* name : required_fields()) {
    if (layout.find(name) == nullptr) {
      return make_error(ec::layout_field_missing, name, std::string("layout lacks ") + name);
    }
  }
  return ok_status();
}

}  // namespace

const FieldSpec* Layout::find(std::string_view name) const {
  for (const FieldSpec& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::vector<KnownField>& known_fields() {
  static const std::vector<KnownField> fields = {
      {"batch_id", FieldType::text},     {"interface", FieldType::text},
      {"voucher_type", FieldType::text}, {"trans_type", FieldType::text},
      {"client", FieldType::text},       {"account", FieldType::text},
      {"dim_1", FieldType::text},        {"dim_2", FieldType::text},
      {"dim_3", FieldType::text},        {"dim_4", FieldType::text},
      {"dim_5", FieldType::text},        {"dim_6", FieldType::text},
      {"dim_7", FieldType::text},        {"tax_code", FieldType::text},
      {"currency", FieldType::text},     {"dc_flag", FieldType::number},
      {"cur_amount", FieldType::number}, {"amount", FieldType::number},
      {"description", FieldType::text},  {"trans_date", FieldType::date},
      {"voucher_date", FieldType::date}, {"voucher_no", FieldType::number},
      {"period", FieldType::period},
  };
  return fields;
}

const std::vector<const char*>& required_fields() {
  static const std::vector<const char*> fields = {"voucher_no", "voucher_date", "period", "account",
                                                  "amount"};
  return fields;
}

Result<Layout> parse_layout(std::string_view text) {
  Layout layout;
  std::vector<std::size_t> field_lines;
  std::istringstream in{std::string(text)};
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    if (w.empty()) continue;
    if (auto s = apply_directive(layout, w, line_no); !s) return s.error();
    if (w[0] == "field") field_lines.push_back(line_no);
  }
  if (auto s = check_fields(layout, field_lines); !s) return s.error();
  return layout;
}

const Layout& default_layout() {
  static const Layout layout = [] {
    auto parsed = parse_layout(default_layout_text());
    OPPGJOR_ASSERT(parsed.ok(), "the shipped GL07 layout must parse");
    return std::move(parsed).value();
  }();
  return layout;
}

}  // namespace oppgjor::formats::gl07
