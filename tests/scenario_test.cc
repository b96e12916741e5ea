// The scenario runner: one parameterised test per tests/scenarios/*.scenario, each run against a
// fresh database through the oppgjor binary. The format is in tests/scenarios/README.md.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_run.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::scenario_test {
namespace {

namespace fs = std::filesystem;
using events::testing::TempDir;

fs::path scenario_dir() {
  return fs::path(OPPGJOR_SCENARIO_DIR);
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(scenario_dir())) {
    if (entry.path().extension() == ".scenario") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Removes a trailing "# comment" (a '#' at the start or after a blank).
std::string strip_comment(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) return s.substr(0, i);
  }
  return s;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

// Semantic JSON equality: objects by key (same key set), arrays in order, numbers by value. An
// expected string "*" matches any value. Returns "" when equal, else where and how they differ.
std::string json_diff(simdjson::dom::element want, simdjson::dom::element got,
                      const std::string& path) {
  using simdjson::dom::element_type;
  if (want.type() == element_type::STRING && std::string_view(want.get_string()) == "*") return "";
  const auto show = [](simdjson::dom::element e) { return simdjson::minify(e); };
  const auto numeric = [](element_type t) {
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
  };
  if (numeric(want.type()) && numeric(got.type())) {
    if (show(want) == show(got)) return "";
    return path + ": expected " + show(want) + ", got " + show(got);
  }
  if (want.type() != got.type()) return path + ": expected " + show(want) + ", got " + show(got);
  if (want.type() == element_type::ARRAY) {
    simdjson::dom::array a = want.get_array();
    simdjson::dom::array b = got.get_array();
    if (a.size() != b.size()) {
      return path + ": expected " + std::to_string(a.size()) + " elements, got " +
             std::to_string(b.size()) + ": " + show(got);
    }
    auto ib = b.begin();
    std::size_t i = 0;
    for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib, ++i) {
      auto d = json_diff(*ia, *ib, path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (want.type() == element_type::OBJECT) {
    simdjson::dom::object a = want.get_object();
    simdjson::dom::object b = got.get_object();
    for (auto field : a) {
      simdjson::dom::element other;
      if (b[field.key].get(other) != simdjson::SUCCESS) {
        return path + "." + std::string(field.key) + ": missing in " + show(got);
      }
      auto d = json_diff(field.value, other, path + "." + std::string(field.key));
      if (!d.empty()) return d;
    }
    for (auto field : b) {
      simdjson::dom::element other;
      if (a[field.key].get(other) != simdjson::SUCCESS) {
        return path + "." + std::string(field.key) + ": not expected, got " + show(field.value);
      }
    }
    return "";
  }
  if (show(want) == show(got)) return "";
  return path + ": expected " + show(want) + ", got " + show(got);
}

class Scenario {
 public:
  explicit Scenario(std::string name) : name_(std::move(name)) {}

  void run() {
    std::ifstream in(scenario_dir() / (name_ + ".scenario"));
    ASSERT_TRUE(in) << "cannot read " << name_;
    std::string line;
    while (std::getline(in, line)) lines_.push_back(line);
    while (next_ < lines_.size() && !::testing::Test::HasFatalFailure()) {
      const std::size_t at = next_++;
      const std::string text = trim(strip_comment(lines_[at]));
      if (text.empty()) continue;
      SCOPED_TRACE(name_ + ".scenario:" + std::to_string(at + 1) + ": " + text);
      step(text);
    }
  }

 private:
  // The lines up to `end` (exclusive), blank lines and whole-line comments dropped.
  std::vector<std::string> block() {
    std::vector<std::string> out;
    while (next_ < lines_.size()) {
      const std::string t = trim(lines_[next_++]);
      if (t == "end") return out;
      if (t.empty() || t[0] == '#') continue;
      out.push_back(t);
    }
    ADD_FAILURE() << "block without `end`";
    return out;
  }

  // `@name` words become paths in the scenario's directory.
  std::string expand(const std::string& args) const {
    std::string out;
    for (const auto& w : words(args)) {
      if (!out.empty()) out += ' ';
      if (w.size() > 1 && w[0] == '@') {
        out += dir_.file(w.substr(1));
      } else if (w.size() > 1 && w[0] == '$') {
        auto it = vars_.find(w.substr(1));
        EXPECT_NE(it, vars_.end()) << "no variable " << w;
        out += it == vars_.end() ? w : it->second;
      } else {
        out += w;
      }
    }
    return out;
  }

  testing::CliResult oppgjor(const std::string& args) {
    last_ = testing::run_split(testing::bin() + " " + expand(args) + " --db " + db(), dir_.path());
    return last_;
  }

  std::string db() const { return dir_.file("scenario.db"); }

  void expect_exit(const testing::CliResult& r, int code, const std::string& what) {
    EXPECT_EQ(r.exit_code, code) << what << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
  }

  void step(const std::string& text) {
    const auto w = words(text);
    const std::string& verb = w[0];
    const std::string rest = trim(text.substr(verb.size()));
    if (verb == "events" || verb == "events!")
      events(verb == "events!" ? std::stoi(w.at(1)) : 0);
    else if (verb == "file")
      write(w.at(1), block());
    else if (verb == "ocr")
      ocr(w);
    else if (verb == "patch")
      patch(w.at(1), std::stoi(w.at(2)), std::stoi(w.at(3)), w.at(4));
    else if (verb == "cut")
      cut(w.at(1), std::stoi(w.at(2)), std::stoi(w.at(3)));
    else if (verb == "run")
      expect_exit(oppgjor(rest), 0, rest);
    else if (verb == "run!") {
      const std::string args = trim(rest.substr(w.at(1).size()));
      expect_exit(oppgjor(args), std::stoi(w.at(1)), args);
    } else if (verb == "contains") {
      EXPECT_NE((last_.out + last_.err).find(rest), std::string::npos)
          << "output lacks `" << rest << "`:\n"
          << last_.out << last_.err;
    } else if (verb == "lacks") {
      EXPECT_EQ((last_.out + last_.err).find(rest), std::string::npos)
          << "output has `" << rest << "`:\n"
          << last_.out << last_.err;
    } else if (verb == "expect")
      expect(rest);
    else if (verb == "hash")
      hashes_[w.at(1)] = state_hash();
    else if (verb == "same-hash")
      EXPECT_EQ(state_hash(), hashes_.at(w.at(1)));
    else if (verb == "include")
      include(w.at(1));
    else if (verb == "let") {
      // let NAME KEY: NAME = the value after "KEY=" in the last command's output.
      vars_[w.at(1)] = testing::field(last_.out + last_.err, w.at(2));
      EXPECT_FALSE(vars_[w.at(1)].empty()) << w.at(2) << "= not in:\n" << last_.out << last_.err;
    } else if (verb == "drop-snapshots") {
      std::error_code ec;
      fs::remove(db() + ".snapshots", ec);
    } else {
      ADD_FAILURE() << "unknown directive `" << verb << "`";
    }
  }

  // include NAME: the lines of tests/scenarios/NAME, run here.
  void include(const std::string& name) {
    std::ifstream in(scenario_dir() / name);
    ASSERT_TRUE(in) << "cannot read " << name;
    std::vector<std::string> more;
    std::string line;
    while (std::getline(in, line)) more.push_back(line);
    lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(next_), more.begin(), more.end());
  }

  void events(int exit_code) {
    std::string out;
    for (auto& l : block()) {
      if (l[0] == '{') {
        out += l + "\n";
        continue;
      }
      // Short form: TYPE OCCURRED_AT PAYLOAD.
      const auto sp1 = l.find(' ');
      const auto sp2 = l.find(' ', sp1 + 1);
      ASSERT_NE(sp2, std::string::npos) << "event line: TYPE OCCURRED_AT {payload}: " << l;
      const std::string type = l.substr(0, sp1);
      const std::string occurred = l.substr(sp1 + 1, sp2 - sp1 - 1);
      const std::string payload = trim(l.substr(sp2 + 1));
      simdjson::dom::parser parser;
      simdjson::dom::element doc;
      ASSERT_EQ(parser.parse(payload).get(doc), simdjson::SUCCESS) << "payload: " << payload;
      std::string_view customer;
      ASSERT_EQ(doc["customer_id"].get(customer), simdjson::SUCCESS) << "no customer_id";
      const std::string stream =
          (type.rfind("care_fees.", 0) == 0 ? "resident/" : "customer/") + std::string(customer);
      char id[40];
      std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++event_number_);
      out += std::string(R"({"event_id":")") + id + R"(","type":")" + type +
             R"(","schema_version":1,"stream":")" + stream + R"(","occurred_at":")" + occurred +
             R"(","source":"scenario","payload":)" + payload + "}\n";
    }
    const std::string file = "events-" + std::to_string(++files_) + ".jsonl";
    std::ofstream(dir_.file(file), std::ios::binary) << out;
    expect_exit(oppgjor("ingest @" + file), exit_code, "ingest " + file);
  }

  void write(const std::string& name, const std::vector<std::string>& body) {
    std::string out;
    for (const auto& l : body) out += l + "\n";
    std::ofstream(dir_.file(name), std::ios::binary) << out;
  }

  // ocr NAME DATE [TRANSMISSION] [crlf]: lines `pay KID|- AMOUNT_ORE` until `end`.
  void ocr(std::vector<std::string> w) {
    auto date = common::Date::parse(w.at(2));
    ASSERT_TRUE(date.ok()) << w.at(2);
    const bool crlf = w.back() == "crlf";
    if (crlf) w.pop_back();
    const std::int64_t transmission = w.size() > 3 ? std::stoll(w[3]) : ++transmissions_;
    std::vector<formats::ocr::Payment> payments;
    for (const auto& l : block()) {
      const auto p = words(strip_comment(l));
      ASSERT_TRUE(p.size() == 3 && p[0] == "pay") << "expected `pay KID|- AMOUNT_ORE`: " << l;
      payments.push_back({p[1] == "-" ? "" : p[1], std::stoll(p[2]), *date});
    }
    std::ofstream(dir_.file(w.at(1)), std::ios::binary) << testing::ocr_file_text(
        *date, transmission, payments,
        crlf ? formats::ocr::LineEnding::crlf : formats::ocr::LineEnding::lf);
  }

  std::vector<std::string> read_lines(const std::string& name) {
    std::ifstream in(dir_.file(name), std::ios::binary);
    std::vector<std::string> out;
    std::string l;
    while (std::getline(in, l)) out.push_back(l);
    return out;
  }

  // patch NAME LINE COLUMN TEXT: overwrite TEXT at the 1-based line and column.
  void patch(const std::string& name, int line, int column, const std::string& text) {
    auto body = read_lines(name);
    ASSERT_LE(static_cast<std::size_t>(line), body.size());
    auto& l = body[static_cast<std::size_t>(line - 1)];
    ASSERT_LE(static_cast<std::size_t>(column - 1) + text.size(), l.size());
    l.replace(static_cast<std::size_t>(column - 1), text.size(), text);
    write(name, body);
  }

  // cut NAME LINE LENGTH: shorten the 1-based line to LENGTH characters.
  void cut(const std::string& name, int line, int length) {
    auto body = read_lines(name);
    ASSERT_LE(static_cast<std::size_t>(line), body.size());
    body[static_cast<std::size_t>(line - 1)].resize(static_cast<std::size_t>(length));
    write(name, body);
  }

  void expect(const std::string& args) {
    std::string want_text;
    for (const auto& l : block()) want_text += l + "\n";
    const auto r = oppgjor(args);
    expect_exit(r, 0, args);
    simdjson::dom::parser want_parser;
    simdjson::dom::parser got_parser;
    simdjson::dom::element want;
    simdjson::dom::element got;
    ASSERT_EQ(want_parser.parse(want_text).get(want), simdjson::SUCCESS)
        << "expected JSON does not parse:\n"
        << want_text;
    ASSERT_EQ(got_parser.parse(r.out).get(got), simdjson::SUCCESS) << "output is not JSON:\n"
                                                                   << r.out << r.err;
    const std::string d = json_diff(want, got, "$");
    EXPECT_TRUE(d.empty()) << args << "\n" << d << "\nwhole output:\n" << r.out;
  }

  std::string state_hash() {
    const auto r = testing::run_split(testing::bin() + " replay --db " + db(), dir_.path());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string h = testing::field(r.out, "state_hash");
    EXPECT_FALSE(h.empty()) << r.out;
    return h;
  }

  std::string name_;
  TempDir dir_;
  std::vector<std::string> lines_;
  std::size_t next_ = 0;
  testing::CliResult last_;
  std::map<std::string, std::string> hashes_;
  std::map<std::string, std::string> vars_;
  int event_number_ = 0;
  int files_ = 0;
  std::int64_t transmissions_ = 0;
};

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, Runs) {
  Scenario(GetParam()).run();
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest, ::testing::ValuesIn(scenario_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string n = param.param;
                           for (char& c : n) {
                             if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace oppgjor::scenario_test
