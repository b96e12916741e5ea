#include "events/canonical_json.h"

#include "common/json_text.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace oppgjor::events {

namespace {

void append_uint(std::uint64_t v, std::string& out) {
  char buf[24];
  char* end = buf + sizeof buf;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(p, static_cast<std::size_t>(end - p));
}

void append_int(std::int64_t v, std::string& out) {
  if (v < 0) {
    out += '-';
    append_uint(static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(v), out);
  } else {
    append_uint(static_cast<std::uint64_t>(v), out);
  }
}

void append_escaped_pointer_token(std::string_view key, std::string& path) {
  for (char c : key) {
    if (c == '~') {
      path += "~0";
    } else if (c == '/') {
      path += "~1";
    } else {
      path += c;
    }
  }
}

Status append_object(simdjson::dom::object obj, std::string& out, std::string_view path) {
  std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
  members.reserve(obj.size());
  for (auto field : obj) members.emplace_back(field.key, field.value);
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  std::string child;
  for (std::size_t i = 0; i < members.size(); ++i) {
    child.assign(path);
    child += '/';
    append_escaped_pointer_token(members[i].first, child);
    if (i > 0 && members[i].first == members[i - 1].first) {
      return make_error("duplicate_key", child, "the key appears more than once in the object");
    }
    if (i > 0) out += ',';
    append_json_string(members[i].first, out);
    out += ':';
    if (auto st = append_canonical(members[i].second, out, child); !st.ok()) return st;
  }
  out += '}';
  return ok_status();
}

Status append_array(simdjson::dom::array arr, std::string& out, std::string_view path) {
  out += '[';
  std::size_t i = 0;
  std::string child;
  for (auto item : arr) {
    if (i > 0) out += ',';
    child.assign(path);
    child += '/';
    append_uint(i, child);
    if (auto st = append_canonical(item, out, child); !st.ok()) return st;
    ++i;
  }
  out += ']';
  return ok_status();
}

// Matches `text` from the start against the canonical form of a value, byte for byte, as
// append_canonical would write it.
class CanonicalMatch {
 public:
  explicit CanonicalMatch(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }

  bool value(simdjson::dom::element v) {
    using simdjson::dom::element_type;
    switch (v.type()) {
      case element_type::OBJECT:
        return object(v.get_object().value_unsafe());
      case element_type::ARRAY:
        return array(v.get_array().value_unsafe());
      case element_type::STRING:
        return string(v.get_string().value_unsafe());
      case element_type::INT64:
        return integer(v.get_int64().value_unsafe());
      case element_type::UINT64:
        return unsigned_integer(v.get_uint64().value_unsafe());
      case element_type::DOUBLE:
        return false;  // append_canonical refuses it
      case element_type::BOOL:
        return bytes(v.get_bool().value_unsafe() ? "true" : "false");
      case element_type::NULL_VALUE:
        return bytes("null");
    }
    return false;
  }

 private:
  bool byte(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool bytes(std::string_view s) {
    if (text_.size() - pos_ < s.size() || text_.compare(pos_, s.size(), s) != 0) return false;
    pos_ += s.size();
    return true;
  }
  // Members in the order append_object writes them: sorted by key, no duplicates. Given the
  // document order, that holds iff the keys are strictly increasing there.
  bool object(simdjson::dom::object obj) {
    if (!byte('{')) return false;
    bool first = true;
    std::string_view previous;
    for (auto field : obj) {
      if (!first && (!(previous < field.key) || !byte(','))) return false;
      if (!string(field.key) || !byte(':') || !value(field.value)) return false;
      previous = field.key;
      first = false;
    }
    return byte('}');
  }
  bool array(simdjson::dom::array arr) {
    if (!byte('[')) return false;
    bool first = true;
    for (auto item : arr) {
      if (!first && !byte(',')) return false;
      if (!value(item)) return false;
      first = false;
    }
    return byte(']');
  }
  // As append_json_string: runs that need no escaping compared as they are, each other byte
  // against its escape.
  bool string(std::string_view s) {
    if (!byte('"')) return false;
    std::size_t run = 0;
    for (std::size_t i = common::json_plain_run_end(s, 0); i < s.size();
         i = common::json_plain_run_end(s, i + 1)) {
      if (!bytes(s.substr(run, i - run))) return false;
      run = i + 1;
      escaped_.clear();
      common::append_json_escaped(s.substr(i, 1), escaped_);
      if (!bytes(escaped_)) return false;
    }
    return bytes(s.substr(run)) && byte('"');
  }
  bool integer(std::int64_t v) {
    digits_.clear();
    append_int(v, digits_);
    return bytes(digits_);
  }
  bool unsigned_integer(std::uint64_t v) {
    digits_.clear();
    append_uint(v, digits_);
    return bytes(digits_);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string digits_;   // short: within the string's inline buffer
  std::string escaped_;  // one escape, at most 6 bytes: inline too
};

}  // namespace

bool is_canonical(simdjson::dom::element value, std::string_view text) {
  CanonicalMatch match(text);
  return match.value(value) && match.at_end();
}

void append_json_string(std::string_view s, std::string& out) {
  out += '"';
  common::append_json_escaped(s, out);
  out += '"';
}

Status append_canonical(simdjson::dom::element value, std::string& out, std::string_view path) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT:
      return append_object(value.get_object().value_unsafe(), out, path);
    case element_type::ARRAY:
      return append_array(value.get_array().value_unsafe(), out, path);
    case element_type::STRING:
      append_json_string(value.get_string().value_unsafe(), out);
      return ok_status();
    case element_type::INT64:
      append_int(value.get_int64().value_unsafe(), out);
      return ok_status();
    case element_type::UINT64:
      append_uint(value.get_uint64().value_unsafe(), out);
      return ok_status();
    case element_type::DOUBLE:
      return make_error("number_not_integer", std::string(path),
                        "non-integer JSON numbers are not accepted; send amounts and "
                        "quantities as decimal strings (\"12.50\")");
    case element_type::BOOL:
      out += value.get_bool().value_unsafe() ? "true" : "false";
      break;
    case element_type::NULL_VALUE:
      out += "null";
      break;
  }
  return ok_status();
}

void CanonicalWriter::open(char c, bool array) {
  element();
  out_ += c;
  ++depth_;
  if (depth_ >= depth_max) std::abort();
  first_[depth_] = true;
  array_[depth_] = array;
  last_key_[depth_].clear();
}

void CanonicalWriter::begin_object() {
  open('{', false);
}
void CanonicalWriter::begin_array() {
  open('[', true);
}

void CanonicalWriter::end_object() {
  out_ += '}';
  --depth_;
}

void CanonicalWriter::end_array() {
  out_ += ']';
  --depth_;
}

void CanonicalWriter::key(std::string_view k) {
  if (!first_[depth_]) {
    // Always-on: an unsorted key would silently change every hash computed from this form.
    if (!(last_key_[depth_] < k)) {
      std::fprintf(stderr, "canonical_json: key '%.*s' out of order\n", static_cast<int>(k.size()),
                   k.data());
      std::abort();
    }
    out_ += ',';
  }
  first_[depth_] = false;
  last_key_[depth_].assign(k);
  append_json_string(k, out_);
  out_ += ':';
}

void CanonicalWriter::int_value(std::int64_t v) {
  element();
  append_int(v, out_);
}

}  // namespace oppgjor::events
