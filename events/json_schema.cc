// JSON Schema draft-07: compile (schema text -> immutable node tree) and validate.
//
// Layout of this file: URI helpers, format checkers, the node tree, the compiler (documents,
// $id scan, $ref resolution, keyword parsing), the validator. Kept in one translation unit
// because the node tree is private to it.
#include "events/json_schema.h"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <deque>
#include <regex>
#include <set>
#include <utility>

#include "events/json_value.h"

namespace oppgjor::events {

namespace dom = simdjson::dom;

// ---------------------------------------------------------------------------------------------
// URIs (RFC 3986 reference resolution, enough for $id and $ref).
namespace {

struct UriParts {
  std::string scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

UriParts parse_uri(std::string_view s) {
  UriParts u;
  if (auto hash = s.find('#'); hash != std::string_view::npos) {
    u.has_fragment = true;
    u.fragment = std::string(s.substr(hash + 1));
    s = s.substr(0, hash);
  }
  if (auto q = s.find('?'); q != std::string_view::npos) {
    u.has_query = true;
    u.query = std::string(s.substr(q + 1));
    s = s.substr(0, q);
  }
  const auto colon = s.find(':');
  const auto slash = s.find('/');
  if (colon != std::string_view::npos && colon > 0 &&
      (slash == std::string_view::npos || colon < slash)) {
    u.has_scheme = true;
    u.scheme = std::string(s.substr(0, colon));
    s = s.substr(colon + 1);
  }
  if (s.substr(0, 2) == "//") {
    s = s.substr(2);
    const auto end = s.find('/');
    u.has_authority = true;
    u.authority = std::string(s.substr(0, end));
    s = end == std::string_view::npos ? std::string_view() : s.substr(end);
  }
  u.path = std::string(s);
  return u;
}

std::string remove_dot_segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  const bool absolute = !path.empty() && path[0] == '/';
  if (absolute) pos = 1;
  bool trailing_slash = false;
  while (pos <= path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    const std::string seg = path.substr(pos, next - pos);
    trailing_slash = (seg == "." || seg == "..");
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (seg != ".") {
      out.push_back(seg);
    }
    pos = next + 1;
  }
  std::string result = absolute ? "/" : "";
  for (std::size_t i = 0; i < out.size(); ++i) result += (i ? "/" : "") + out[i];
  if (trailing_slash && !result.empty() && result.back() != '/') result += '/';
  return result;
}

std::string join_uri(const UriParts& u) {
  std::string s;
  if (u.has_scheme) s += u.scheme + ":";
  if (u.has_authority) s += "//" + u.authority;
  s += u.path;
  if (u.has_query) s += "?" + u.query;
  if (u.has_fragment) s += "#" + u.fragment;
  return s;
}

// Resolves `ref` against the absolute `base` (RFC 3986 section 5.2.2).
std::string resolve_uri(std::string_view base, std::string_view ref) {
  const UriParts b = parse_uri(base);
  UriParts r = parse_uri(ref);
  UriParts t;
  if (r.has_scheme) {
    t = r;
    t.path = remove_dot_segments(r.path);
    return join_uri(t);
  }
  t.has_scheme = b.has_scheme;
  t.scheme = b.scheme;
  if (r.has_authority) {
    t.has_authority = true;
    t.authority = r.authority;
    t.path = remove_dot_segments(r.path);
    t.has_query = r.has_query;
    t.query = r.query;
  } else {
    t.has_authority = b.has_authority;
    t.authority = b.authority;
    if (r.path.empty()) {
      t.path = b.path;
      t.has_query = r.has_query || b.has_query;
      t.query = r.has_query ? r.query : b.query;
    } else {
      if (r.path[0] == '/') {
        t.path = remove_dot_segments(r.path);
      } else if (b.has_authority && b.path.empty()) {
        t.path = remove_dot_segments("/" + r.path);
      } else {
        const auto last = b.path.rfind('/');
        const std::string dir = last == std::string::npos ? "" : b.path.substr(0, last + 1);
        t.path = remove_dot_segments(dir + r.path);
      }
      t.has_query = r.has_query;
      t.query = r.query;
    }
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return join_uri(t);
}

// Splits "uri#fragment" into the part before '#' and the fragment (without '#').
std::pair<std::string, std::string> split_fragment(const std::string& uri) {
  const auto hash = uri.find('#');
  if (hash == std::string::npos) return {uri, ""};
  return {uri.substr(0, hash), uri.substr(hash + 1)};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// JSON pointer token escaping (RFC 6901).
std::string escape_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// Follows an escaped JSON pointer ("" or "/a/0/b~1c") from `root`. False when it leads nowhere.
bool follow_pointer(dom::element root, std::string_view pointer, dom::element& out) {
  dom::element cur = root;
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    if (pointer[pos] != '/') return false;
    auto next = pointer.find('/', pos + 1);
    if (next == std::string_view::npos) next = pointer.size();
    const std::string token = unescape_token(pointer.substr(pos + 1, next - pos - 1));
    if (cur.type() == dom::element_type::OBJECT) {
      if (object_of(cur).at_key(token).get(cur) != simdjson::SUCCESS) return false;
    } else if (cur.type() == dom::element_type::ARRAY) {
      if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) return false;
      if (array_of(cur).at(std::stoul(token)).get(cur) != simdjson::SUCCESS) {
        return false;
      }
    } else {
      return false;
    }
    pos = next;
  }
  out = cur;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Built-in formats.

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool is_leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool check_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2))) {
    return false;
  }
  const int y = to_int(s.substr(0, 4)), m = to_int(s.substr(5, 2)), d = to_int(s.substr(8, 2));
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const int max_day = days[m - 1] + (m == 2 && is_leap_year(y) ? 1 : 0);
  return d <= max_day;
}

// "hh:mm" with hh < 24 and mm < 60.
bool check_hh_mm(std::string_view s) {
  return s.size() == 5 && s[2] == ':' && all_digits(s.substr(0, 2)) && all_digits(s.substr(3, 2)) &&
         to_int(s.substr(0, 2)) < 24 && to_int(s.substr(3, 2)) < 60;
}

// RFC 3339 full-time: hh:mm:ss[.frac](Z|+hh:mm|-hh:mm), second 60 allowed (leap second).
bool check_time(std::string_view s) {
  if (s.size() < 9 || !check_hh_mm(s.substr(0, 5)) || s[5] != ':') return false;
  if (!all_digits(s.substr(6, 2)) || to_int(s.substr(6, 2)) > 60) return false;
  std::size_t pos = 8;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  const std::string_view offset = s.substr(pos);
  if (offset == "Z" || offset == "z") return true;
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
         check_hh_mm(offset.substr(1));
}

bool check_date_time(std::string_view s) {
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) return false;
  return check_date(s.substr(0, 10)) && check_time(s.substr(11));
}

bool check_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : hex_value(s[i]) < 0) return false;
  }
  return true;
}

// A plain addr-spec check: one '@', non-empty local part and domain, no spaces or control
// characters, no leading/trailing/double dots in the local part, a dot-separated domain.
bool check_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  if (std::any_of(s.begin(), s.end(), [](char c) { return c <= ' ' || c == 0x7f; })) return false;
  const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  return domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

// ECMA-262 (in unicode mode, as the JSON Schema suite expects) defines no backslash escape of
// a letter beyond these; std::regex would silently read a \Z or \A (from other dialects) as a
// plain letter, so such a pattern is refused instead.
bool has_undefined_letter_escape(std::string_view s) {
  constexpr std::string_view defined = "bBdDsSwWfnrtvcxuk";
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '\\') continue;
    const char c = s[i + 1];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter && defined.find(c) == std::string_view::npos) return true;
    ++i;  // skip the escaped character (it may itself be a backslash)
  }
  return false;
}

bool check_regex(std::string_view s) {
  if (has_undefined_letter_escape(s)) return false;
  try {
    std::regex re(s.begin(), s.end(), std::regex::ECMAScript);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace

void FormatRegistry::add(std::string name, FormatChecker checker) {
  checkers_[std::move(name)] = std::move(checker);
}

const FormatChecker* FormatRegistry::find(std::string_view name) const {
  auto it = checkers_.find(name);
  return it == checkers_.end() ? nullptr : &it->second;
}

FormatRegistry FormatRegistry::with_builtin() {
  FormatRegistry r;
  r.add("date", check_date);
  r.add("date-time", check_date_time);
  r.add("time", check_time);
  r.add("uuid", check_uuid);
  r.add("email", check_email);
  r.add("regex", check_regex);
  return r;
}

// ---------------------------------------------------------------------------------------------
// A small regex matcher for the patterns schemas actually use (anchors, literals, classes,
// \d \w \s, '.', groups with '|', quantifiers on single characters, and ?/{0,1} on groups).
// It runs without allocation and its recursion depth follows the pattern, not the input (a
// std::regex recurses once per input character). A pattern outside this subset falls back to
// std::regex, which has the same byte-wise semantics.
namespace {

struct ReNode;
using ReSeq = std::vector<ReNode>;

struct ReNode {
  enum class Kind { chars, group, begin, end };
  Kind kind = Kind::chars;
  std::bitset<256> set;
  std::vector<ReSeq> alternatives;
  std::size_t min = 1, max = 1;  // max == npos: unbounded
};

class ReParser {
 public:
  explicit ReParser(std::string_view p) : p_(p) {}
  // The pattern as alternatives, or nullopt when it is outside the subset.
  std::optional<std::vector<ReSeq>> parse() {
    auto alts = alternation();
    if (!ok_ || pos_ != p_.size()) return std::nullopt;
    return alts;
  }

 private:
  bool more() const { return pos_ < p_.size(); }
  char peek() const { return p_[pos_]; }

  std::vector<ReSeq> alternation() {
    std::vector<ReSeq> alts(1);
    while (ok_ && more() && peek() != ')') {
      if (peek() == '|') {
        ++pos_;
        alts.emplace_back();
        continue;
      }
      atom(alts.back());
    }
    return alts;
  }

  void atom(ReSeq& seq) {
    ReNode n;
    const char c = p_[pos_++];
    if (c == '^' || c == '$') {
      n.kind = c == '^' ? ReNode::Kind::begin : ReNode::Kind::end;
      seq.push_back(std::move(n));
      return;
    }
    if (c == '(') {
      if (more() && peek() == '?') {
        if (pos_ + 1 >= p_.size() || p_[pos_ + 1] != ':') return unsupported();
        pos_ += 2;
      }
      n.kind = ReNode::Kind::group;
      n.alternatives = alternation();
      if (!more() || peek() != ')') return unsupported();
      ++pos_;
    } else if (c == '[') {
      char_class(n.set);
    } else if (c == '.') {
      n.set.set();
      n.set.reset('\n');
      n.set.reset('\r');
    } else if (c == '\\') {
      escape(n.set);
    } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ')' || c == ']' || c == '}') {
      return unsupported();
    } else {
      n.set.set(static_cast<unsigned char>(c));
    }
    quantifier(n);
    if (n.kind == ReNode::Kind::group && n.max != 1) return unsupported();
    seq.push_back(std::move(n));
  }

  // The byte set of \d, \w or \s.
  static std::bitset<256> shorthand(char lower) {
    std::bitset<256> set;
    auto range = [&](char a, char b) {
      for (int x = a; x <= b; ++x) set.set(static_cast<unsigned char>(x));
    };
    if (lower == 'd' || lower == 'w') range('0', '9');
    if (lower == 'w') {
      range('a', 'z');
      range('A', 'Z');
      set.set('_');
    }
    if (lower == 's') {
      for (char w : std::string_view(" \t\n\v\f\r")) set.set(static_cast<unsigned char>(w));
    }
    return set;
  }

  void escape(std::bitset<256>& set) {
    if (!more()) return unsupported();
    const char c = p_[pos_++];
    static constexpr std::string_view controls = "n\nr\rt\tf\fv\v";
    if (c == 'd' || c == 'w' || c == 's') {
      set |= shorthand(c);
    } else if (c == 'D' || c == 'W' || c == 'S') {
      set |= ~shorthand(static_cast<char>(c - 'A' + 'a'));
    } else if (auto at = controls.find(c); at != std::string_view::npos && at % 2 == 0) {
      set.set(static_cast<unsigned char>(controls[at + 1]));
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      unsupported();  // \b, \x.., \u...., back-references, ...: left to std::regex
    } else {
      set.set(static_cast<unsigned char>(c));  // identity escape: \. \- \/ \\ ...
    }
  }

  void char_class(std::bitset<256>& set) {
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++pos_;
    }
    if (more() && peek() == ']') return unsupported();  // [] and []...] differ by dialect
    while (ok_ && more() && peek() != ']') {
      std::bitset<256> one;
      int lo = class_char(one);
      if (lo >= 0 && pos_ + 1 < p_.size() && peek() == '-' && p_[pos_ + 1] != ']') {
        ++pos_;
        std::bitset<256> other;
        const int hi = class_char(other);
        if (hi < lo) return unsupported();
        for (int x = lo; x <= hi; ++x) one.set(static_cast<std::size_t>(x));
      }
      set |= one;
    }
    if (!more()) return unsupported();
    ++pos_;  // ']'
    if (negate) set.flip();
  }

  // One class member into `one`; returns its byte, or -1 for \d-like sets.
  int class_char(std::bitset<256>& one) {
    const char c = p_[pos_++];
    if (c == '[') return unsupported(), -1;
    if (c != '\\') {
      one.set(static_cast<unsigned char>(c));
      return static_cast<unsigned char>(c);
    }
    if (!more()) return unsupported(), -1;
    if (peek() == 'b') return unsupported(), -1;  // backspace inside a class
    escape(one);
    return one.count() == 1 ? static_cast<int>(first_set(one)) : -1;
  }

  static std::size_t first_set(const std::bitset<256>& b) {
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (b.test(i)) return i;
    }
    return 0;
  }

  void quantifier(ReNode& n) {
    if (!more()) return;
    const char c = peek();
    if (c == '?' || c == '*' || c == '+') {
      ++pos_;
      n.min = c == '+' ? 1 : 0;
      n.max = c == '?' ? 1 : std::string::npos;
    } else if (c == '{') {
      const auto close = p_.find('}', pos_);
      if (close == std::string_view::npos) return unsupported();
      const std::string_view body = p_.substr(pos_ + 1, close - pos_ - 1);
      const auto comma = body.find(',');
      const std::string_view lo = body.substr(0, comma);
      const std::string_view hi = comma == std::string_view::npos ? lo : body.substr(comma + 1);
      if (!all_digits(lo) || (!hi.empty() && !all_digits(hi)) || lo.size() > 6 || hi.size() > 6) {
        return unsupported();
      }
      n.min = static_cast<std::size_t>(to_int(lo));
      n.max = hi.empty() ? std::string::npos : static_cast<std::size_t>(to_int(hi));
      if (n.max < n.min) return unsupported();
      pos_ = close + 1;
    } else {
      return;
    }
    if (more() && peek() == '?') ++pos_;  // lazy: the same answer for a yes/no search
    if (more() && (peek() == '?' || peek() == '*' || peek() == '+' || peek() == '{')) {
      return unsupported();
    }
  }

  void unsupported() { ok_ = false; }

  std::string_view p_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

struct ReFrame {  // the rest of the match after a group: continue with seq[index...]
  const ReSeq* seq;
  std::size_t index;
  const ReFrame* next;
};

bool re_match(const ReSeq& seq, std::size_t i, std::string_view s, std::size_t pos,
              const ReFrame* k) {
  if (i == seq.size()) return k == nullptr || re_match(*k->seq, k->index, s, pos, k->next);
  const ReNode& n = seq[i];
  switch (n.kind) {
    case ReNode::Kind::begin:
      return pos == 0 && re_match(seq, i + 1, s, pos, k);
    case ReNode::Kind::end:
      return pos == s.size() && re_match(seq, i + 1, s, pos, k);
    case ReNode::Kind::group: {
      const ReFrame after{&seq, i + 1, k};
      for (const ReSeq& alt : n.alternatives) {
        if (re_match(alt, 0, s, pos, &after)) return true;
      }
      return n.min == 0 && re_match(seq, i + 1, s, pos, k);
    }
    case ReNode::Kind::chars:
      break;
  }
  const std::size_t limit = std::min(n.max, s.size() - pos);
  std::size_t count = 0;
  while (count < limit && n.set.test(static_cast<unsigned char>(s[pos + count]))) ++count;
  if (count < n.min) return false;
  for (std::size_t j = count + 1; j-- > n.min;) {
    if (re_match(seq, i + 1, s, pos + j, k)) return true;
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The compiled tree.
namespace detail {

enum TypeBit : unsigned {
  type_null = 1,
  type_boolean = 2,
  type_object = 4,
  type_array = 8,
  type_number = 16,
  type_string = 32,
  type_integer = 64,
};

struct Pattern {
  std::string source;
  std::optional<ReSeq> fast;  // the pattern in the fast subset (as one group), if it is
  bool anchored = false;      // fast starts with '^': try position 0 only
  std::regex regex;           // always compiled: it validates the syntax; used without `fast`
};

struct Dependency {
  std::string property;
  std::vector<std::string> required;   // the array form
  const SchemaNode* schema = nullptr;  // the schema form
};

struct SchemaNode {
  std::optional<bool> boolean;  // a boolean schema: true accepts all, false nothing
  const SchemaNode* ref = nullptr;
  std::string ref_text;

  unsigned types = 0;  // TypeBit mask; 0 = no `type` keyword
  std::optional<std::vector<JsonValue>> enum_values;
  std::optional<JsonValue> const_value;

  std::optional<JsonNumber> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;

  std::optional<std::size_t> min_length, max_length;
  std::optional<Pattern> pattern;
  std::string format_name;
  FormatChecker format;  // empty = no assertion

  const SchemaNode* items = nullptr;  // the schema form of `items`
  std::vector<const SchemaNode*> items_tuple;
  bool items_is_tuple = false;
  const SchemaNode* additional_items = nullptr;
  const SchemaNode* contains = nullptr;
  std::optional<std::size_t> min_items, max_items;
  bool unique_items = false;

  std::vector<std::pair<std::string, const SchemaNode*>> properties;  // sorted by name
  std::vector<std::string> required;
  std::vector<std::pair<Pattern, const SchemaNode*>> pattern_properties;
  const SchemaNode* additional_properties = nullptr;
  const SchemaNode* property_names = nullptr;
  std::optional<std::size_t> min_properties, max_properties;
  std::vector<Dependency> dependencies;

  std::vector<const SchemaNode*> all_of, any_of, one_of;
  const SchemaNode* not_schema = nullptr;
  const SchemaNode* if_schema = nullptr;
  const SchemaNode* then_schema = nullptr;
  const SchemaNode* else_schema = nullptr;

  // When every `required` name is in `properties` and there are at most 64 of those: the
  // index in `properties` of each required name (presence is then a bit mask, one pass).
  std::vector<std::size_t> required_slots;
  bool required_by_slot = false;

  // The index of `name` in `properties`, or npos.
  std::size_t find_property(std::string_view name) const {
    auto it = std::lower_bound(properties.begin(), properties.end(), name,
                               [](const auto& p, std::string_view n) { return p.first < n; });
    if (it == properties.end() || it->first != name) return std::string::npos;
    return static_cast<std::size_t>(it - properties.begin());
  }
  // find_property for the members of one object in turn: `from` is where the previous member
  // was looked for. Canonical payloads list their members in the order `properties` keeps, so
  // a name is usually at or just after `from`; any other order falls back to the search.
  std::size_t find_property_from(std::string_view name, std::size_t& from) const {
    const std::size_t start = from;
    if (start > 0 && !(properties[start - 1].first < name)) {
      return find_property(name);  // out of order (or a repeated name): search them all
    }
    while (from < properties.size() && properties[from].first < name) ++from;
    if (from < properties.size() && properties[from].first == name) return from;
    return std::string::npos;
  }
};

struct SchemaStore {
  std::deque<SchemaNode> nodes;
  const SchemaNode* root = nullptr;
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// The compiler.
namespace {

using detail::SchemaNode;

constexpr std::string_view default_base_uri = "https://schemas.oppgjor.invalid/root.json";
constexpr std::string_view meta_schema_uri = "http://json-schema.org/draft-07/schema";

// The draft-07 meta-schema (http://json-schema.org/draft-07/schema#), compacted.
constexpr std::string_view meta_schema_json =
    R"json({"$schema":"http://json-schema.org/draft-07/schema#","$id":"http://json-schema.org/draft)json"
    R"json(-07/schema#","title":"Core schema meta-schema","definitions":{"schemaArray":{"type":"arr)json"
    R"json(ay","minItems":1,"items":{"$ref":"#"}},"nonNegativeInteger":{"type":"integer","minimum":)json"
    R"json(0},"nonNegativeIntegerDefault0":{"allOf":[{"$ref":"#/definitions/nonNegativeInteger"},{")json"
    R"json(default":0}]},"simpleTypes":{"enum":["array","boolean","integer","null","number","object)json"
    R"json(","string"]},"stringArray":{"type":"array","items":{"type":"string"},"uniqueItems":true,)json"
    R"json("default":[]}},"type":["object","boolean"],"properties":{"$id":{"type":"string","format")json"
    R"json(:"uri-reference"},"$schema":{"type":"string","format":"uri"},"$ref":{"type":"string","fo)json"
    R"json(rmat":"uri-reference"},"$comment":{"type":"string"},"title":{"type":"string"},"descripti)json"
    R"json(on":{"type":"string"},"default":true,"readOnly":{"type":"boolean","default":false},"exam)json"
    R"json(ples":{"type":"array","items":true},"multipleOf":{"type":"number","exclusiveMinimum":0},)json"
    R"json("maximum":{"type":"number"},"exclusiveMaximum":{"type":"number"},"minimum":{"type":"numb)json"
    R"json(er"},"exclusiveMinimum":{"type":"number"},"maxLength":{"$ref":"#/definitions/nonNegative)json"
    R"json(Integer"},"minLength":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"pattern":{"ty)json"
    R"json(pe":"string","format":"regex"},"additionalItems":{"$ref":"#"},"items":{"anyOf":[{"$ref":)json"
    R"json("#"},{"$ref":"#/definitions/schemaArray"}],"default":true},"maxItems":{"$ref":"#/definit)json"
    R"json(ions/nonNegativeInteger"},"minItems":{"$ref":"#/definitions/nonNegativeIntegerDefault0"})json"
    R"json(,"uniqueItems":{"type":"boolean","default":false},"contains":{"$ref":"#"},"maxProperties)json"
    R"json(":{"$ref":"#/definitions/nonNegativeInteger"},"minProperties":{"$ref":"#/definitions/non)json"
    R"json(NegativeIntegerDefault0"},"required":{"$ref":"#/definitions/stringArray"},"additionalPro)json"
    R"json(perties":{"$ref":"#"},"definitions":{"type":"object","additionalProperties":{"$ref":"#"})json"
    R"json(,"default":{}},"properties":{"type":"object","additionalProperties":{"$ref":"#"},"defaul)json"
    R"json(t":{}},"patternProperties":{"type":"object","additionalProperties":{"$ref":"#"},"propert)json"
    R"json(yNames":{"format":"regex"},"default":{}},"dependencies":{"type":"object","additionalProp)json"
    R"json(erties":{"anyOf":[{"$ref":"#"},{"$ref":"#/definitions/stringArray"}]}},"propertyNames":{)json"
    R"json("$ref":"#"},"const":true,"enum":{"type":"array","items":true},"type":{"anyOf":[{"$ref":")json"
    R"json(#/definitions/simpleTypes"},{"type":"array","items":{"$ref":"#/definitions/simpleTypes"})json"
    R"json(,"minItems":1,"uniqueItems":true}]},"format":{"type":"string"},"contentMediaType":{"type)json"
    R"json(":"string"},"contentEncoding":{"type":"string"},"if":{"$ref":"#"},"then":{"$ref":"#"},"e)json"
    R"json(lse":{"$ref":"#"},"allOf":{"$ref":"#/definitions/schemaArray"},"anyOf":{"$ref":"#/defini)json"
    R"json(tions/schemaArray"},"oneOf":{"$ref":"#/definitions/schemaArray"},"not":{"$ref":"#"}},"de)json"
    R"json(fault":true})json";

// clang-format off
const std::set<std::string_view>& annotation_keywords() {
  static const std::set<std::string_view> k = {
      "$schema", "$id", "$comment", "title", "description", "default", "examples", "readOnly",
      "writeOnly", "contentMediaType", "contentEncoding", "definitions"};
  return k;
}

const std::set<std::string_view>& assertion_keywords() {
  static const std::set<std::string_view> k = {
      "$ref", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
      "exclusiveMinimum", "maxLength", "minLength", "pattern", "format", "items",
      "additionalItems", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties",
      "minProperties", "required", "properties", "patternProperties", "additionalProperties",
      "dependencies", "propertyNames", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"};
  return k;
}
// clang-format on

struct Document {
  std::unique_ptr<dom::parser> parser;
  dom::element root;
  std::string uri;
  bool ignore_unknown_formats = false;
};

struct Location {
  std::size_t doc = 0;
  std::string pointer;  // escaped JSON pointer from the document root
};

class Compiler {
 public:
  Compiler(const FormatRegistry& formats, const RemoteResolver* remotes, detail::SchemaStore& store)
      : formats_(formats), remotes_(remotes), store_(store) {}

  // Compiles `root` as document 0. Returns the first error, if any.
  std::optional<Error> run(dom::element root) {
    docs_.push_back(Document{nullptr, root, std::string(default_base_uri), false});
    resources_[std::string(default_base_uri)] = Location{0, ""};
    scan(0, root, std::string(default_base_uri), "");
    store_.root = compile_at(0, "", root);
    if (!error_) check_unknown_keywords();
    return error_;
  }

 private:
  // ---- documents and the $id scan
  void scan(std::size_t doc, dom::element e, std::string base, const std::string& pointer);
  void scan_children(std::size_t doc, dom::object obj, const std::string& base,
                     const std::string& pointer);
  std::optional<Location> find_resource(const std::string& uri);
  std::optional<Location> load_remote(const std::string& uri);
  const std::string& base_of(std::size_t doc, const std::string& pointer);

  // ---- compiling
  const SchemaNode* compile_at(std::size_t doc, const std::string& pointer, dom::element e);
  void compile_object(SchemaNode& n, std::size_t doc, const std::string& pointer, dom::object obj);
  void compile_ref(SchemaNode& n, std::size_t doc, const std::string& pointer, dom::element v);
  static void index_required(SchemaNode& n);
  bool compile_keyword(SchemaNode& n, std::size_t doc, const std::string& pointer,
                       std::string_view key, dom::element v);
  bool compile_number_keyword(SchemaNode& n, const std::string& at, std::string_view key,
                              dom::element v);
  bool compile_string_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                              std::string_view key, dom::element v);
  bool compile_array_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                             std::string_view key, dom::element v);
  bool compile_object_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                              std::string_view key, dom::element v);
  bool compile_logic_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                             std::string_view key, dom::element v);
  void compile_type(SchemaNode& n, const std::string& at, dom::element v);
  void compile_format(SchemaNode& n, std::size_t doc, const std::string& at, dom::element v);
  std::vector<const SchemaNode*> compile_schema_array(std::size_t doc, const std::string& at,
                                                      dom::element v, bool non_empty);
  std::optional<std::size_t> count_of(const std::string& at, dom::element v);
  std::optional<detail::Pattern> pattern_of(const std::string& at, std::string_view source);
  void check_unknown_keywords();

  void fail(std::string code, std::string field, std::string message) {
    if (!error_) error_ = make_error(std::move(code), std::move(field), std::move(message));
  }
  std::string field_of(std::size_t doc, const std::string& pointer) const {
    return doc == 0 ? pointer : docs_[doc].uri + "#" + pointer;
  }
  static std::string key_of(std::size_t doc, const std::string& pointer) {
    return std::to_string(doc) + "#" + pointer;
  }

  const FormatRegistry& formats_;
  const RemoteResolver* remotes_;
  detail::SchemaStore& store_;
  std::deque<Document> docs_;
  std::map<std::string, Location> resources_;    // absolute URI (no empty fragment) -> location
  std::map<std::string, std::string> base_uri_;  // key_of(doc, pointer) -> base URI there
  std::map<std::string, const SchemaNode*> compiled_;         // key_of(doc, pointer) -> node
  std::vector<std::pair<std::string, std::string>> unknown_;  // (key_of, keyword)
  std::vector<std::string> ref_targets_;                      // key_of of every $ref target
  std::optional<Error> error_;
};

void Compiler::scan(std::size_t doc, dom::element e, std::string base, const std::string& pointer) {
  if (e.type() != dom::element_type::OBJECT) return;
  dom::object obj = object_of(e);
  std::string_view id;
  dom::element ignored;
  const bool has_ref = obj.at_key("$ref").get(ignored) == simdjson::SUCCESS;
  if (!has_ref && obj.at_key("$id").get(id) == simdjson::SUCCESS) {
    const std::string resolved = resolve_uri(base, id);
    auto [uri, fragment] = split_fragment(resolved);
    if (!id.empty() && id[0] == '#') {
      resources_[resolved] = Location{doc, pointer};  // a plain-name fragment: "#foo"
    } else {
      base = uri;
      resources_[uri] = Location{doc, pointer};
    }
  }
  base_uri_[key_of(doc, pointer)] = base;
  scan_children(doc, obj, base, pointer);
}

void Compiler::scan_children(std::size_t doc, dom::object obj, const std::string& base,
                             const std::string& pointer) {
  static const std::set<std::string_view> single = {"items",
                                                    "additionalItems",
                                                    "contains",
                                                    "additionalProperties",
                                                    "propertyNames",
                                                    "not",
                                                    "if",
                                                    "then",
                                                    "else"};
  static const std::set<std::string_view> maps = {"properties", "patternProperties", "definitions",
                                                  "dependencies"};
  static const std::set<std::string_view> arrays = {"items", "allOf", "anyOf", "oneOf"};
  for (dom::key_value_pair kv : obj) {
    const std::string at = pointer + "/" + escape_token(kv.key);
    if (single.count(kv.key) && kv.value.type() == dom::element_type::OBJECT) {
      scan(doc, kv.value, base, at);
    } else if (maps.count(kv.key) && kv.value.type() == dom::element_type::OBJECT) {
      for (dom::key_value_pair sub : object_of(kv.value)) {
        scan(doc, sub.value, base, at + "/" + escape_token(sub.key));
      }
    } else if (arrays.count(kv.key) && kv.value.type() == dom::element_type::ARRAY) {
      std::size_t i = 0;
      for (dom::element item : array_of(kv.value)) {
        scan(doc, item, base, at + "/" + std::to_string(i++));
      }
    }
  }
}

std::optional<Location> Compiler::find_resource(const std::string& uri) {
  if (auto it = resources_.find(uri); it != resources_.end()) return it->second;
  return load_remote(uri);
}

std::optional<Location> Compiler::load_remote(const std::string& uri) {
  std::optional<std::string> text;
  const bool is_meta = uri == meta_schema_uri;
  if (is_meta) {
    text = std::string(meta_schema_json);
  } else if (remotes_ != nullptr) {
    text = remotes_->fetch(uri);
  }
  if (!text) return std::nullopt;
  auto parser = std::make_unique<dom::parser>();
  dom::element root;
  if (parser->parse(*text).get(root) != simdjson::SUCCESS) return std::nullopt;
  const std::size_t doc = docs_.size();
  docs_.push_back(Document{std::move(parser), root, uri, is_meta});
  resources_[uri] = Location{doc, ""};
  scan(doc, root, uri, "");
  return Location{doc, ""};
}

const std::string& Compiler::base_of(std::size_t doc, const std::string& pointer) {
  // A location the scan did not visit (inside an unknown keyword) takes its parent's base.
  std::string p = pointer;
  while (true) {
    if (auto it = base_uri_.find(key_of(doc, p)); it != base_uri_.end()) return it->second;
    if (p.empty()) return docs_[doc].uri;
    p = p.substr(0, p.rfind('/'));
  }
}

const SchemaNode* Compiler::compile_at(std::size_t doc, const std::string& pointer,
                                       dom::element e) {
  const std::string key = key_of(doc, pointer);
  if (auto it = compiled_.find(key); it != compiled_.end()) return it->second;
  SchemaNode& n = store_.nodes.emplace_back();
  compiled_[key] = &n;
  if (e.type() == dom::element_type::BOOL) {
    n.boolean = e.get_bool().value_unsafe();
  } else if (e.type() == dom::element_type::OBJECT) {
    compile_object(n, doc, pointer, object_of(e));
  } else {
    fail("schema_invalid", field_of(doc, pointer), "a schema must be an object or a boolean");
  }
  return &n;
}

void Compiler::compile_object(SchemaNode& n, std::size_t doc, const std::string& pointer,
                              dom::object obj) {
  dom::element ref;
  const bool has_ref = obj.at_key("$ref").get(ref) == simdjson::SUCCESS;
  for (dom::key_value_pair kv : obj) {
    const std::string at = pointer + "/" + escape_token(kv.key);
    if (annotation_keywords().count(kv.key)) {
      if (kv.key == "$schema") {
        std::string_view uri;
        if (kv.value.get(uri) != simdjson::SUCCESS ||
            (uri != "http://json-schema.org/draft-07/schema#" &&
             uri != "http://json-schema.org/draft-07/schema")) {
          fail("schema_unsupported_keyword", field_of(doc, at),
               "$schema must name draft-07 (http://json-schema.org/draft-07/schema#)");
        }
      }
      continue;
    }
    if (!assertion_keywords().count(kv.key)) {
      unknown_.emplace_back(key_of(doc, at), std::string(kv.key));
      continue;
    }
    // draft-07: beside $ref every other keyword is ignored.
    if (has_ref || kv.key == "$ref") continue;
    if (!compile_keyword(n, doc, at, kv.key, kv.value)) {
      fail("schema_invalid", field_of(doc, at),
           "invalid value for keyword '" + std::string(kv.key) + "'");
    }
  }
  if (has_ref) compile_ref(n, doc, pointer, ref);
  std::sort(n.properties.begin(), n.properties.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  index_required(n);
}

void Compiler::index_required(SchemaNode& n) {
  n.required_by_slot = !n.required.empty() && n.properties.size() <= 64;
  for (const std::string& name : n.required) {
    const std::size_t slot = n.find_property(name);
    if (slot == std::string::npos) n.required_by_slot = false;
    n.required_slots.push_back(slot);
  }
}

void Compiler::compile_ref(SchemaNode& n, std::size_t doc, const std::string& pointer,
                           dom::element v) {
  const std::string at = pointer + "/$ref";
  std::string_view text;
  if (v.get(text) != simdjson::SUCCESS) {
    fail("schema_invalid", field_of(doc, at), "$ref must be a string");
    return;
  }
  n.ref_text = std::string(text);
  const std::string absolute = resolve_uri(base_of(doc, pointer), text);
  auto [uri, fragment] = split_fragment(absolute);
  const std::string decoded = percent_decode(fragment);
  std::optional<Location> target;
  if (decoded.empty() || decoded[0] == '/') {
    target = find_resource(uri);
    if (target) target->pointer += decoded;
  } else if (auto it = resources_.find(absolute); it != resources_.end()) {
    target = it->second;
  }
  dom::element e;
  if (!target || !follow_pointer(docs_[target->doc].root, target->pointer, e)) {
    fail("schema_unresolved_ref", field_of(doc, at), "cannot resolve $ref '" + n.ref_text + "'");
    return;
  }
  ref_targets_.push_back(key_of(target->doc, target->pointer));
  n.ref = compile_at(target->doc, target->pointer, e);
}

bool Compiler::compile_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                               std::string_view key, dom::element v) {
  if (key == "type") {
    compile_type(n, at, v);
    return true;
  }
  if (key == "enum") {
    if (v.type() != dom::element_type::ARRAY) return false;
    n.enum_values.emplace();
    for (dom::element item : array_of(v)) {
      n.enum_values->push_back(JsonValue::from_dom(item));
    }
    return true;
  }
  if (key == "const") {
    n.const_value = JsonValue::from_dom(v);
    return true;
  }
  return compile_number_keyword(n, at, key, v) && compile_string_keyword(n, doc, at, key, v) &&
         compile_array_keyword(n, doc, at, key, v) && compile_object_keyword(n, doc, at, key, v) &&
         compile_logic_keyword(n, doc, at, key, v);
}

void Compiler::compile_type(SchemaNode& n, const std::string& at, dom::element v) {
  static const std::map<std::string_view, unsigned> names = {
      {"null", detail::type_null},      {"boolean", detail::type_boolean},
      {"object", detail::type_object},  {"array", detail::type_array},
      {"number", detail::type_number},  {"string", detail::type_string},
      {"integer", detail::type_integer}};
  auto add = [&](dom::element name) {
    std::string_view s;
    auto it = name.get(s) == simdjson::SUCCESS ? names.find(s) : names.end();
    if (it == names.end()) {
      fail("schema_invalid", at,
           "'type' must name null, boolean, object, array, number, "
           "string or integer");
      return;
    }
    n.types |= it->second;
  };
  if (v.type() == dom::element_type::ARRAY) {
    for (dom::element item : array_of(v)) add(item);
    if (n.types == 0) fail("schema_invalid", at, "'type' must not be an empty array");
  } else {
    add(v);
  }
}

// Each compile_*_keyword returns false only when `key` is theirs and its value is malformed.
bool Compiler::compile_number_keyword(SchemaNode& n, const std::string& at, std::string_view key,
                                      dom::element v) {
  static const std::set<std::string_view> keys = {"multipleOf", "maximum", "exclusiveMaximum",
                                                  "minimum", "exclusiveMinimum"};
  if (!keys.count(key)) return true;
  (void)at;
  if (!is_number(v)) return false;
  const JsonNumber x = number_of(v);
  if (key == "multipleOf") {
    if (compare_numbers(x, JsonNumber::of_int(0)) <= 0) return false;
    n.multiple_of = x;
  } else if (key == "maximum") {
    n.maximum = x;
  } else if (key == "exclusiveMaximum") {
    n.exclusive_maximum = x;
  } else if (key == "minimum") {
    n.minimum = x;
  } else {
    n.exclusive_minimum = x;
  }
  return true;
}

bool Compiler::compile_string_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                                      std::string_view key, dom::element v) {
  if (key == "minLength" || key == "maxLength") {
    auto count = count_of(at, v);
    (key == "minLength" ? n.min_length : n.max_length) = count;
    return count.has_value();
  }
  if (key == "pattern") {
    std::string_view source;
    if (v.get(source) != simdjson::SUCCESS) return false;
    n.pattern = pattern_of(at, source);
    return true;
  }
  if (key == "format") compile_format(n, doc, at, v);
  return true;
}

void Compiler::compile_format(SchemaNode& n, std::size_t doc, const std::string& at,
                              dom::element v) {
  std::string_view name;
  if (v.get(name) != simdjson::SUCCESS) {
    fail("schema_invalid", field_of(doc, at), "'format' must be a string");
    return;
  }
  n.format_name = std::string(name);
  if (const FormatChecker* checker = formats_.find(name)) {
    n.format = *checker;
  } else if (!docs_[doc].ignore_unknown_formats &&
             formats_.unknown_format_policy() == UnknownFormatPolicy::reject) {
    fail("schema_unsupported_keyword", field_of(doc, at),
         "format '" + n.format_name + "' has no checker registered");
  }
}

bool Compiler::compile_array_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                                     std::string_view key, dom::element v) {
  if (key == "items") {
    if (v.type() == dom::element_type::ARRAY) {
      n.items_is_tuple = true;
      n.items_tuple = compile_schema_array(doc, at, v, false);
    } else {
      n.items = compile_at(doc, at, v);
    }
  } else if (key == "additionalItems") {
    n.additional_items = compile_at(doc, at, v);
  } else if (key == "contains") {
    n.contains = compile_at(doc, at, v);
  } else if (key == "minItems" || key == "maxItems") {
    auto count = count_of(at, v);
    (key == "minItems" ? n.min_items : n.max_items) = count;
    return count.has_value();
  } else if (key == "uniqueItems") {
    bool unique = false;
    if (v.get(unique) != simdjson::SUCCESS) return false;
    n.unique_items = unique;
  }
  return true;
}

bool Compiler::compile_object_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                                      std::string_view key, dom::element v) {
  const bool is_map = key == "properties" || key == "patternProperties" || key == "dependencies";
  if (is_map && v.type() != dom::element_type::OBJECT) return false;
  if (key == "properties") {
    for (dom::key_value_pair kv : object_of(v)) {
      n.properties.emplace_back(std::string(kv.key),
                                compile_at(doc, at + "/" + escape_token(kv.key), kv.value));
    }
  } else if (key == "patternProperties") {
    for (dom::key_value_pair kv : object_of(v)) {
      const std::string sub = at + "/" + escape_token(kv.key);
      auto pattern = pattern_of(sub, kv.key);
      if (pattern)
        n.pattern_properties.emplace_back(std::move(*pattern), compile_at(doc, sub, kv.value));
    }
  } else if (key == "dependencies") {
    for (dom::key_value_pair kv : object_of(v)) {
      detail::Dependency dep{std::string(kv.key), {}, nullptr};
      const std::string sub = at + "/" + escape_token(kv.key);
      if (kv.value.type() == dom::element_type::ARRAY) {
        for (dom::element name : array_of(kv.value)) {
          std::string_view s;
          if (name.get(s) != simdjson::SUCCESS) return false;
          dep.required.emplace_back(s);
        }
      } else {
        dep.schema = compile_at(doc, sub, kv.value);
      }
      n.dependencies.push_back(std::move(dep));
    }
  } else if (key == "required") {
    if (v.type() != dom::element_type::ARRAY) return false;
    for (dom::element name : array_of(v)) {
      std::string_view s;
      if (name.get(s) != simdjson::SUCCESS) return false;
      n.required.emplace_back(s);
    }
  } else if (key == "additionalProperties") {
    n.additional_properties = compile_at(doc, at, v);
  } else if (key == "propertyNames") {
    n.property_names = compile_at(doc, at, v);
  } else if (key == "minProperties" || key == "maxProperties") {
    auto count = count_of(at, v);
    (key == "minProperties" ? n.min_properties : n.max_properties) = count;
    return count.has_value();
  }
  return true;
}

bool Compiler::compile_logic_keyword(SchemaNode& n, std::size_t doc, const std::string& at,
                                     std::string_view key, dom::element v) {
  if (key == "allOf" || key == "anyOf" || key == "oneOf") {
    if (v.type() != dom::element_type::ARRAY || array_of(v).size() == 0) {
      return false;
    }
    auto& list = key == "allOf" ? n.all_of : (key == "anyOf" ? n.any_of : n.one_of);
    list = compile_schema_array(doc, at, v, true);
  } else if (key == "not") {
    n.not_schema = compile_at(doc, at, v);
  } else if (key == "if") {
    n.if_schema = compile_at(doc, at, v);
  } else if (key == "then") {
    n.then_schema = compile_at(doc, at, v);
  } else if (key == "else") {
    n.else_schema = compile_at(doc, at, v);
  }
  return true;
}

std::vector<const SchemaNode*> Compiler::compile_schema_array(std::size_t doc,
                                                              const std::string& at, dom::element v,
                                                              bool non_empty) {
  std::vector<const SchemaNode*> out;
  std::size_t i = 0;
  for (dom::element item : array_of(v)) {
    out.push_back(compile_at(doc, at + "/" + std::to_string(i++), item));
  }
  if (non_empty && out.empty()) fail("schema_invalid", field_of(doc, at), "must not be empty");
  return out;
}

// A non-negative integer keyword value (1.0 accepted as 1).
std::optional<std::size_t> Compiler::count_of(const std::string& at, dom::element v) {
  (void)at;
  if (!is_number(v)) return std::nullopt;
  const JsonNumber x = number_of(v);
  if (!x.is_integral() || compare_numbers(x, JsonNumber::of_int(0)) < 0) return std::nullopt;
  if (x.kind == JsonNumber::Kind::int64) return static_cast<std::size_t>(x.i);
  if (x.kind == JsonNumber::Kind::uint64) return static_cast<std::size_t>(x.u);
  return static_cast<std::size_t>(std::min(x.d, 1e18));
}

std::optional<detail::Pattern> Compiler::pattern_of(const std::string& at,
                                                    std::string_view source) {
  if (has_undefined_letter_escape(source)) {
    fail("schema_invalid", at,
         "pattern '" + std::string(source) + "' uses an escape ECMA-262 does not define");
    return std::nullopt;
  }
  try {
    detail::Pattern p{std::string(source), std::nullopt, false,
                      std::regex(source.begin(), source.end(), std::regex::ECMAScript)};
    if (auto alternatives = ReParser(source).parse()) {
      ReNode top;
      top.kind = ReNode::Kind::group;
      top.alternatives = std::move(*alternatives);
      p.anchored = std::all_of(
          top.alternatives.begin(), top.alternatives.end(),
          [](const ReSeq& a) { return !a.empty() && a.front().kind == ReNode::Kind::begin; });
      p.fast = ReSeq{std::move(top)};
    }
    return p;
  } catch (const std::regex_error&) {
    fail("schema_invalid", at, "pattern '" + std::string(source) + "' is not a valid regex");
    return std::nullopt;
  }
}

// An unknown key is fine only as a container that some $ref points into.
void Compiler::check_unknown_keywords() {
  for (const auto& [key, keyword] : unknown_) {
    const bool referenced =
        std::any_of(ref_targets_.begin(), ref_targets_.end(), [&key = key](const std::string& t) {
          return t.compare(0, key.size(), key) == 0 &&
                 (t.size() == key.size() || t[key.size()] == '/');
        });
    if (referenced) continue;
    const std::string pointer = key.substr(key.find('#') + 1);
    const std::size_t doc = std::stoul(key.substr(0, key.find('#')));
    fail("schema_unsupported_keyword", field_of(doc, pointer),
         "keyword '" + keyword + "' is not supported (draft-07 validation keywords only)");
    return;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The validator.
namespace {

struct PathSegment {
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;
};

std::string_view type_name(dom::element e) {
  switch (e.type()) {
    case dom::element_type::NULL_VALUE:
      return "null";
    case dom::element_type::BOOL:
      return "boolean";
    case dom::element_type::OBJECT:
      return "object";
    case dom::element_type::ARRAY:
      return "array";
    case dom::element_type::STRING:
      return "string";
    default:
      return number_of(e).is_integral() ? "integer" : "number";
  }
}

std::string type_list(unsigned types) {
  static const std::pair<unsigned, const char*> names[] = {
      {detail::type_null, "null"},      {detail::type_boolean, "boolean"},
      {detail::type_object, "object"},  {detail::type_array, "array"},
      {detail::type_number, "number"},  {detail::type_string, "string"},
      {detail::type_integer, "integer"}};
  std::string out;
  for (const auto& [bit, name] : names) {
    if (types & bit) out += (out.empty() ? "" : " or ") + std::string(name);
  }
  return out;
}

std::string number_text(const JsonNumber& x) {
  if (x.kind == JsonNumber::Kind::int64) return std::to_string(x.i);
  if (x.kind == JsonNumber::Kind::uint64) return std::to_string(x.u);
  std::string s = std::to_string(x.d);  // not money: a schema bound, shown in a message
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool matches(const detail::Pattern& p, std::string_view s) {
  if (!p.fast) return std::regex_search(s.begin(), s.end(), p.regex);
  const std::size_t last = p.anchored ? 0 : s.size();
  for (std::size_t start = 0; start <= last; ++start) {
    if (re_match(*p.fast, 0, s, start, nullptr)) return true;
  }
  return false;
}

// Exact for integers; a double quotient otherwise (not money: schemas never use multipleOf on
// amounts, which are decimal strings).
bool is_multiple(const JsonNumber& x, const JsonNumber& m) {
  using K = JsonNumber::Kind;
  if (x.kind != K::floating && m.kind != K::floating) {
    const std::uint64_t mag = x.kind == K::uint64 ? x.u
                              : x.i < 0           ? static_cast<std::uint64_t>(-(x.i + 1)) + 1
                                                  : static_cast<std::uint64_t>(x.i);
    const std::uint64_t div = m.kind == K::uint64 ? m.u : static_cast<std::uint64_t>(m.i);
    return mag % div == 0;
  }
  // not money: JSON number semantics
  const double q = x.as_double() / m.as_double();
  if (!std::isfinite(q)) return false;
  return std::fabs(q - std::round(q)) < 1e-9;
}

class Validator {
 public:
  Validator(std::vector<SchemaViolation>* out, std::size_t max) : out_(out), max_(max) {}

  bool check(const SchemaNode& n, dom::element e);

 private:
  // Pushes a path segment while collecting; pops it on destruction.
  class Step {
   public:
    Step(Validator& v, std::string_view key, std::size_t index, bool is_index) : v_(v) {
      pushed_ = v.out_ != nullptr;
      if (pushed_) v.path_.push_back(PathSegment{key, index, is_index});
    }
    ~Step() {
      if (pushed_) v_.path_.pop_back();
    }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

   private:
    Validator& v_;
    bool pushed_;
  };

  bool stop() const { return out_ == nullptr || out_->size() >= max_; }
  bool passes(const SchemaNode& n, dom::element e) {
    auto* saved = out_;
    out_ = nullptr;
    const bool ok = check(n, e);
    out_ = saved;
    return ok;
  }
  std::string pointer(std::string_view child = {}) const;
  bool fail(std::string_view keyword, const std::string& message, std::string_view child = {},
            std::string_view format = {});
  std::string first_reason(const SchemaNode& n, dom::element e);

  bool check_generic(const SchemaNode& n, dom::element e);
  bool check_number(const SchemaNode& n, dom::element e);
  bool check_string(const SchemaNode& n, dom::element e);
  bool check_array(const SchemaNode& n, dom::element e);
  bool check_array_items(const SchemaNode& n, dom::array a);
  bool check_object(const SchemaNode& n, dom::element e);
  bool check_object_members(const SchemaNode& n, dom::object o, std::uint64_t& seen);
  bool check_dependencies(const SchemaNode& n, dom::element e);
  bool check_property_name(const SchemaNode& n, std::string_view name);
  bool check_logic(const SchemaNode& n, dom::element e);
  bool check_alternatives(const SchemaNode& n, dom::element e);

  std::vector<SchemaViolation>* out_;
  std::size_t max_;
  std::vector<PathSegment> path_;
};

std::string Validator::pointer(std::string_view child) const {
  std::string out;
  for (const PathSegment& s : path_) {
    out += '/';
    out += s.is_index ? std::to_string(s.index) : escape_token(s.key);
  }
  if (!child.empty()) out += "/" + escape_token(child);
  return out;
}

bool Validator::fail(std::string_view keyword, const std::string& message, std::string_view child,
                     std::string_view format) {
  if (out_ == nullptr || out_->size() >= max_) return false;
  std::string where = pointer(child);
  std::string text = (where.empty() ? std::string("(root)") : where) + ": " + message;
  out_->push_back(SchemaViolation{std::move(where), std::string(keyword), std::move(text),
                                  std::string(format)});
  return false;
}

// The first violation `n` reports for `e`, for the message of a failed anyOf/oneOf.
std::string Validator::first_reason(const SchemaNode& n, dom::element e) {
  std::vector<SchemaViolation> one;
  Validator sub(&one, 1);
  sub.path_ = path_;
  sub.check(n, e);
  return one.empty() ? std::string() : one.front().message;
}

bool Validator::check(const SchemaNode& n, dom::element e) {
  if (n.boolean) return *n.boolean || fail("false", "no value is allowed here");
  if (n.ref != nullptr) return check(*n.ref, e);
  bool ok = true;
  using Check = bool (Validator::*)(const SchemaNode&, dom::element);
  static constexpr Check checks[] = {&Validator::check_generic, &Validator::check_number,
                                     &Validator::check_string,  &Validator::check_array,
                                     &Validator::check_object,  &Validator::check_logic};
  for (Check c : checks) {
    if (!(this->*c)(n, e)) {
      ok = false;
      if (stop()) return false;
    }
  }
  return ok;
}

bool type_matches(unsigned types, dom::element e) {
  switch (e.type()) {
    case dom::element_type::NULL_VALUE:
      return types & detail::type_null;
    case dom::element_type::BOOL:
      return types & detail::type_boolean;
    case dom::element_type::OBJECT:
      return types & detail::type_object;
    case dom::element_type::ARRAY:
      return types & detail::type_array;
    case dom::element_type::STRING:
      return types & detail::type_string;
    default:
      return (types & detail::type_number) ||
             ((types & detail::type_integer) && number_of(e).is_integral());
  }
}

bool Validator::check_generic(const SchemaNode& n, dom::element e) {
  bool ok = true;
  if (n.types != 0 && !type_matches(n.types, e)) {
    ok = fail("type", "expected " + type_list(n.types) + ", got " + std::string(type_name(e)));
    if (stop()) return false;
  }
  if (n.enum_values) {
    const auto& values = *n.enum_values;
    if (std::none_of(values.begin(), values.end(),
                     [&](const JsonValue& v) { return json_equal(v, e); })) {
      ok = fail("enum", "value is not one of the allowed values");
      if (stop()) return false;
    }
  }
  if (n.const_value && !json_equal(*n.const_value, e))
    ok = fail("const", "value is not the required constant");
  return ok;
}

bool Validator::check_number(const SchemaNode& n, dom::element e) {
  if (!is_number(e)) return true;
  const JsonNumber x = number_of(e);
  struct Bound {
    const std::optional<JsonNumber>& limit;
    bool (*bad)(int);
    const char* keyword;
    const char* relation;
  };
  const Bound bounds[] = {
      {n.minimum, [](int c) { return c < 0; }, "minimum", "at least"},
      {n.maximum, [](int c) { return c > 0; }, "maximum", "at most"},
      {n.exclusive_minimum, [](int c) { return c <= 0; }, "exclusiveMinimum", "greater than"},
      {n.exclusive_maximum, [](int c) { return c >= 0; }, "exclusiveMaximum", "less than"},
  };
  bool ok = true;
  for (const Bound& b : bounds) {
    if (b.limit && b.bad(compare_numbers(x, *b.limit))) {
      ok = fail(b.keyword, "must be " + std::string(b.relation) + " " + number_text(*b.limit));
      if (stop()) return false;
    }
  }
  if (n.multiple_of && !is_multiple(x, *n.multiple_of)) {
    ok = fail("multipleOf", "must be a multiple of " + number_text(*n.multiple_of));
  }
  return ok;
}

bool Validator::check_string(const SchemaNode& n, dom::element e) {
  if (e.type() != dom::element_type::STRING) return true;
  const std::string_view s = e.get_string().value_unsafe();
  bool ok = true;
  if (n.min_length || n.max_length) {
    const std::size_t length = code_points(s);
    if (n.min_length && length < *n.min_length) {
      ok = fail("minLength", "must be at least " + std::to_string(*n.min_length) + " characters");
      if (stop()) return false;
    }
    if (n.max_length && length > *n.max_length) {
      ok = fail("maxLength", "must be at most " + std::to_string(*n.max_length) + " characters");
      if (stop()) return false;
    }
  }
  if (n.pattern && !matches(*n.pattern, s)) {
    ok = fail("pattern", "does not match the pattern " + n.pattern->source);
    if (stop()) return false;
  }
  if (n.format && !n.format(s)) {
    ok = fail("format", "is not a valid " + n.format_name, {}, n.format_name);
  }
  return ok;
}

bool Validator::check_array(const SchemaNode& n, dom::element e) {
  if (e.type() != dom::element_type::ARRAY) return true;
  const dom::array a = array_of(e);
  const std::size_t size = a.size();
  bool ok = true;
  if (n.min_items && size < *n.min_items) {
    ok = fail("minItems", "must have at least " + std::to_string(*n.min_items) + " items");
    if (stop()) return false;
  }
  if (n.max_items && size > *n.max_items) {
    ok = fail("maxItems", "must have at most " + std::to_string(*n.max_items) + " items");
    if (stop()) return false;
  }
  if (n.unique_items) {
    std::size_t i = 0;
    for (auto it = a.begin(); it != a.end() && ok; ++it, ++i) {
      auto other = it;
      for (++other; other != a.end(); ++other) {
        if (json_equal(*it, *other)) {
          ok = fail("uniqueItems", "items must be unique (item " + std::to_string(i) + " repeats)");
          break;
        }
      }
    }
    if (!ok && stop()) return false;
  }
  if (n.contains && std::none_of(a.begin(), a.end(),
                                 [&](dom::element item) { return passes(*n.contains, item); })) {
    ok = fail("contains", "no item matches the 'contains' schema");
    if (stop()) return false;
  }
  return check_array_items(n, a) && ok;
}

bool Validator::check_array_items(const SchemaNode& n, dom::array a) {
  if (n.items == nullptr && !n.items_is_tuple) return true;
  bool ok = true;
  std::size_t i = 0;
  for (dom::element item : a) {
    const SchemaNode* schema = n.items;
    if (n.items_is_tuple) schema = i < n.items_tuple.size() ? n.items_tuple[i] : n.additional_items;
    if (schema != nullptr) {
      Step step(*this, {}, i, true);
      if (!check(*schema, item)) {
        ok = false;
        if (stop()) return false;
      }
    }
    ++i;
  }
  return ok;
}

bool Validator::check_object(const SchemaNode& n, dom::element e) {
  if (e.type() != dom::element_type::OBJECT) return true;
  const dom::object o = object_of(e);
  bool ok = true;
  const std::size_t size = o.size();
  if (n.min_properties && size < *n.min_properties) {
    ok = fail("minProperties",
              "must have at least " + std::to_string(*n.min_properties) + " fields");
    if (stop()) return false;
  }
  if (n.max_properties && size > *n.max_properties) {
    ok =
        fail("maxProperties", "must have at most " + std::to_string(*n.max_properties) + " fields");
    if (stop()) return false;
  }
  std::uint64_t seen = 0;  // bit i: properties[i] is present
  if (!check_object_members(n, o, seen)) {
    ok = false;
    if (stop()) return false;
  }
  for (std::size_t i = 0; i < n.required.size(); ++i) {
    dom::element ignored;
    const bool present = n.required_by_slot
                             ? (seen >> n.required_slots[i]) & 1
                             : o.at_key(n.required[i]).get(ignored) == simdjson::SUCCESS;
    if (!present) {
      ok = fail("required", "required field '" + n.required[i] + "' is missing", n.required[i]);
      if (stop()) return false;
    }
  }
  return check_dependencies(n, e) && ok;
}

// Validates each member; sets bit i of `seen` for each properties[i] present (i < 64).
bool Validator::check_object_members(const SchemaNode& n, dom::object o, std::uint64_t& seen) {
  if (n.properties.empty() && n.pattern_properties.empty() && !n.additional_properties &&
      !n.property_names) {
    return true;
  }
  bool ok = true;
  std::size_t cursor = 0;  // find_property_from
  for (dom::key_value_pair kv : o) {
    Step step(*this, kv.key, 0, false);
    bool member_ok = true;
    if (n.property_names && !check_property_name(*n.property_names, kv.key)) member_ok = false;
    bool matched = false;
    if (const std::size_t slot = n.find_property_from(kv.key, cursor); slot != std::string::npos) {
      matched = true;
      if (slot < 64) seen |= std::uint64_t{1} << slot;
      member_ok = check(*n.properties[slot].second, kv.value) && member_ok;
    }
    for (const auto& [pattern, schema] : n.pattern_properties) {
      if (!matches(pattern, kv.key)) continue;
      matched = true;
      member_ok = check(*schema, kv.value) && member_ok;
    }
    if (!matched && n.additional_properties) {
      if (n.additional_properties->boolean == false) {
        member_ok = fail("additionalProperties", "field is not allowed here");
      } else {
        member_ok = check(*n.additional_properties, kv.value) && member_ok;
      }
    }
    if (!member_ok) {
      ok = false;
      if (stop()) return false;
    }
  }
  return ok;
}

// JSON-quotes `name` so it can be validated as a string instance.
std::string quote_json(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[(c >> 4) & 0xf];
      out += hex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool Validator::check_property_name(const SchemaNode& n, std::string_view name) {
  // A name is not a DOM element; parse it as one (only schemas with propertyNames pay this).
  thread_local dom::parser parser;
  const std::string text = quote_json(name);
  dom::element e;
  if (parser.parse(text).get(e) != simdjson::SUCCESS) return false;
  std::vector<SchemaViolation> inner;
  Validator sub(out_ ? &inner : nullptr, 1);
  if (sub.check(n, e)) return true;
  const std::string reason = inner.empty() ? std::string() : inner.front().message;
  return fail("propertyNames", "field name is not allowed (" + reason + ")");
}

bool Validator::check_dependencies(const SchemaNode& n, dom::element e) {
  const dom::object o = object_of(e);
  bool ok = true;
  for (const detail::Dependency& dep : n.dependencies) {
    dom::element ignored;
    if (o.at_key(dep.property).get(ignored) != simdjson::SUCCESS) continue;
    for (const std::string& name : dep.required) {
      if (o.at_key(name).get(ignored) != simdjson::SUCCESS) {
        ok = fail("dependencies",
                  "field '" + name + "' is required when '" + dep.property + "' is present", name);
        if (stop()) return false;
      }
    }
    if (dep.schema && !check(*dep.schema, e)) {
      ok = false;
      if (stop()) return false;
    }
  }
  return ok;
}

bool Validator::check_logic(const SchemaNode& n, dom::element e) {
  bool ok = true;
  for (const SchemaNode* s : n.all_of) {
    if (!check(*s, e)) {
      ok = false;
      if (stop()) return false;
    }
  }
  if (!check_alternatives(n, e)) {
    ok = false;
    if (stop()) return false;
  }
  if (n.not_schema && passes(*n.not_schema, e)) {
    ok = fail("not", "matches a schema it must not match");
    if (stop()) return false;
  }
  if (n.if_schema) {
    const SchemaNode* branch = passes(*n.if_schema, e) ? n.then_schema : n.else_schema;
    if (branch && !check(*branch, e)) ok = false;
  }
  return ok;
}

bool Validator::check_alternatives(const SchemaNode& n, dom::element e) {
  bool ok = true;
  if (!n.any_of.empty() && std::none_of(n.any_of.begin(), n.any_of.end(),
                                        [&](const SchemaNode* s) { return passes(*s, e); })) {
    std::string reason = out_ ? first_reason(*n.any_of.front(), e) : std::string();
    ok = fail("anyOf", "matches none of the " + std::to_string(n.any_of.size()) +
                           " alternatives (first: " + reason + ")");
    if (stop()) return false;
  }
  if (!n.one_of.empty()) {
    const auto count = std::count_if(n.one_of.begin(), n.one_of.end(),
                                     [&](const SchemaNode* s) { return passes(*s, e); });
    if (count == 0) {
      std::string reason = out_ ? first_reason(*n.one_of.front(), e) : std::string();
      ok = fail("oneOf", "matches none of the " + std::to_string(n.one_of.size()) +
                             " alternatives (first: " + reason + ")");
    } else if (count > 1) {
      ok = fail("oneOf", "matches more than one of the alternatives");
    }
  }
  return ok;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// JsonSchema.

JsonSchema::JsonSchema(std::unique_ptr<detail::SchemaStore> store) : store_(std::move(store)) {}
JsonSchema::~JsonSchema() = default;

Result<std::shared_ptr<const JsonSchema>> JsonSchema::compile(std::string_view schema_json,
                                                              const FormatRegistry& formats,
                                                              const RemoteResolver* remotes) {
  dom::parser parser;
  dom::element root;
  if (auto err = parser.parse(schema_json.data(), schema_json.size()).get(root); err) {
    return make_error("schema_invalid", "",
                      std::string("schema is not valid JSON: ") + simdjson::error_message(err));
  }
  return compile(root, formats, remotes);
}

Result<std::shared_ptr<const JsonSchema>> JsonSchema::compile(dom::element schema,
                                                              const FormatRegistry& formats,
                                                              const RemoteResolver* remotes) {
  auto store = std::make_unique<detail::SchemaStore>();
  Compiler compiler(formats, remotes, *store);
  if (std::optional<Error> error = compiler.run(schema)) return *error;
  return std::shared_ptr<const JsonSchema>(new JsonSchema(std::move(store)));
}

std::vector<SchemaViolation> JsonSchema::validate(dom::element instance,
                                                  std::size_t max_violations) const {
  // Most instances are valid: the check that builds no paths and no messages first, the one
  // that collects them only for an instance that fails it.
  if (is_valid(instance)) return {};
  std::vector<SchemaViolation> out;
  Validator v(&out, std::max<std::size_t>(max_violations, 1));
  v.check(*store_->root, instance);
  return out;
}

bool JsonSchema::is_valid(dom::element instance) const {
  Validator v(nullptr, 0);
  return v.check(*store_->root, instance);
}

}  // namespace oppgjor::events
