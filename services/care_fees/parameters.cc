// Rule parameters: dated lookup and loading of the rules/*.json data (see parameters.h).
#include "services/care_fees/parameters.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <simdjson.h>

#include "events/json_value.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/rules_data.h"

namespace oppgjor::care_fees {
namespace {

using simdjson::dom::element;

Error data_error(std::string_view file, const std::string& path, const std::string& message) {
  return make_error(std::string(errc::rules_data_invalid), std::string(file) + ":" + path, message);
}

Result<std::string> string_member(element obj, const char* key, bool required,
                                  std::string_view file, const std::string& path) {
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS) {
    if (required) return data_error(file, path + "." + key, "missing");
    return std::string{};
  }
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) return data_error(file, path + "." + key, "must be a string");
  return std::string(s);
}

Status check_keys(element obj, const std::set<std::string, std::less<>>& allowed,
                  std::string_view file, const std::string& path) {
  if (!obj.is_object()) return data_error(file, path, "must be an object");
  for (const auto field : events::object_of(obj)) {
    if (!allowed.contains(field.key)) {
      return data_error(file, path + "." + std::string(field.key), "unknown key");
    }
  }
  return ok_status();
}

Result<DatedValue> parse_dated_value(element v, std::string_view file, const std::string& path) {
  static const std::set<std::string, std::less<>> keys = {
      "value",        "effective_from", "effective_to", "source",
      "rule_version", "uncertain",      "example",      "note"};
  if (auto s = check_keys(v, keys, file, path); !s) return s.error();
  auto out = decode_dated_value(v);
  if (!out) return data_error(file, path + "." + out.error().field, out.error().message);
  return out;
}

Status load_parameter(element p, std::string_view file, const std::string& path,
                      ParameterStore& store) {
  static const std::set<std::string, std::less<>> keys = {"parameter", "unit", "description",
                                                          "scope", "values"};
  if (auto s = check_keys(p, keys, file, path); !s) return s;
  auto name = string_member(p, "parameter", true, file, path);
  if (!name) return name.error();
  std::string institution_type;
  if (element scope; p["scope"].get(scope) == simdjson::SUCCESS) {
    if (auto s = check_keys(scope, {"institution_type", "institution_id"}, file, path + ".scope");
        !s) {
      return s;
    }
    auto type = string_member(scope, "institution_type", false, file, path + ".scope");
    auto id = string_member(scope, "institution_id", false, file, path + ".scope");
    if (!type) return type.error();
    if (!id) return id.error();
    if (type->empty() == id->empty()) {
      return data_error(file, path + ".scope", "one of institution_type and institution_id");
    }
    institution_type = id->empty() ? *type : institution_scope(*id);
  }
  element values;
  if (p["values"].get(values) != simdjson::SUCCESS || !values.is_array()) {
    return data_error(file, path + ".values", "must be an array");
  }
  std::size_t i = 0;
  for (element value : events::array_of(values)) {
    const std::string vpath = path + ".values[" + std::to_string(i++) + "]";
    auto dated = parse_dated_value(value, file, vpath);
    if (!dated) return dated.error();
    if (auto s = store.add(*name, std::move(*dated), institution_type); !s) {
      return data_error(file, vpath, s.error().message);
    }
  }
  return ok_status();
}

Result<Posting> parse_posting(element v, std::string_view file, const std::string& path) {
  static const std::set<std::string, std::less<>> keys = {
      "art",          "funksjon", "ansvar",  "district", "institution_id", "effective_from",
      "effective_to", "source",   "example", "note",     "rule_version"};
  if (auto s = check_keys(v, keys, file, path); !s) return s.error();
  Posting out;
  for (const auto& [key, member, required] :
       {std::tuple{"art", &out.art, true}, std::tuple{"funksjon", &out.funksjon, true},
        std::tuple{"ansvar", &out.ansvar, true}, std::tuple{"district", &out.district, false},
        std::tuple{"institution_id", &out.institution_id, false},
        std::tuple{"source", &out.source, true},
        std::tuple{"rule_version", &out.rule_version, true}}) {
    auto text = string_member(v, key, required, file, path);
    if (!text) return text.error();
    *member = std::move(*text);
  }
  auto from = string_member(v, "effective_from", true, file, path);
  if (!from) return from.error();
  auto from_date = Date::parse(*from);
  if (!from_date) return data_error(file, path + ".effective_from", "not a date");
  out.effective_from = *from_date;
  auto to = string_member(v, "effective_to", false, file, path);
  if (!to) return to.error();
  if (!to->empty()) {
    auto date = Date::parse(*to);
    if (!date) return data_error(file, path + ".effective_to", "not a date");
    out.effective_to = *date;
  }
  bool example = false;
  if (element e; v["example"].get(e) == simdjson::SUCCESS && e.get(example) != simdjson::SUCCESS) {
    return data_error(file, path + ".example", "must be true or false");
  }
  out.example = example;
  return out;
}

Status load_postings(element postings, std::string_view file, ParameterStore& store) {
  if (!postings.is_array()) return data_error(file, "$.postings", "must be an array");
  std::size_t i = 0;
  for (element group : events::array_of(postings)) {
    const std::string path = "$.postings[" + std::to_string(i++) + "]";
    if (auto s = check_keys(group, {"description", "values"}, file, path); !s) return s;
    element values;
    if (group["values"].get(values) != simdjson::SUCCESS || !values.is_array()) {
      return data_error(file, path + ".values", "must be an array");
    }
    std::size_t j = 0;
    for (element value : events::array_of(values)) {
      const std::string vpath = path + ".values[" + std::to_string(j++) + "]";
      auto posting = parse_posting(value, file, vpath);
      if (!posting) return posting.error();
      if (auto s = store.add_posting(std::move(*posting)); !s) {
        return data_error(file, vpath, s.error().message);
      }
    }
  }
  return ok_status();
}

}  // namespace

std::string_view short_stay_parameter(ShortStayKind kind) {
  return kind == ShortStayKind::dogn ? param::short_stay_rate_dogn
                                     : param::short_stay_rate_day_night;
}

std::string scoped_parameter(std::string_view parameter, std::string_view institution_type) {
  // Appended piece by piece: `"[" + std::string(…) + "]"` makes g++ 12 at -O3 report a false
  // -Wrestrict (GCC bug 105329) that fails the Release build.
  std::string out(parameter);
  if (!institution_type.empty()) {
    out += '[';
    out += institution_type;
    out += ']';
  }
  return out;
}

std::string institution_scope(std::string_view institution_id) {
  std::string out = "institution:";
  out += institution_id;
  return out;
}

Status ParameterStore::add(std::string_view parameter, DatedValue value, std::string_view scope) {
  if (!parameter.starts_with("care_fees.") || parameter.size() <= 10) {
    return make_error(std::string(errc::parameter_invalid), "parameter",
                      "parameter name must start with care_fees.: " + std::string(parameter));
  }
  if (value.effective_to && *value.effective_to < value.effective_from) {
    return make_error(std::string(errc::parameter_invalid), "effective_to",
                      std::string(parameter) + ": effective_to before effective_from");
  }
  auto& list = values_[scoped_parameter(parameter, scope)];
  const auto pos = std::lower_bound(
      list.begin(), list.end(), value.effective_from,
      [](const DatedValue& a, const Date& from) { return a.effective_from < from; });
  if (pos != list.end() && pos->effective_from == value.effective_from) {
    *pos = std::move(value);
  } else {
    list.insert(pos, std::move(value));
  }
  return ok_status();
}

Result<DatedValue> ParameterStore::find(std::string_view parameter, Date on,
                                        const std::string& when) const {
  const auto missing = [&] {
    return make_error(std::string(errc::parameter_missing), std::string(parameter),
                      std::string(parameter) + " missing for " + when);
  };
  const auto it = values_.find(parameter);
  if (it == values_.end()) return missing();
  const auto& list = it->second;
  // The last value that starts on or before `on`.
  const auto after =
      std::upper_bound(list.begin(), list.end(), on,
                       [](const Date& d, const DatedValue& v) { return d < v.effective_from; });
  if (after == list.begin()) return missing();
  const DatedValue& candidate = *std::prev(after);
  if (candidate.effective_to && *candidate.effective_to < on) return missing();
  return candidate;
}

const std::vector<DatedValue>& ParameterStore::values_of(std::string_view scoped_parameter) const {
  static const std::vector<DatedValue> none;
  const auto it = values_.find(scoped_parameter);
  return it == values_.end() ? none : it->second;
}

std::vector<std::string> ParameterStore::names() const {
  std::vector<std::string> out;
  for (const auto& [name, list] : values_) out.push_back(name);
  return out;
}

Result<DatedValue> ParameterStore::value_on(std::string_view parameter, Date on) const {
  return find(parameter, on, on.to_iso());
}

Result<DatedValue> ParameterStore::value_for_year(std::string_view parameter, int year) const {
  return find(parameter, Date::ymd(year, 1, 1), std::to_string(year));
}

Result<DatedValue> ParameterStore::grunnbelop_on(Date on) const {
  return value_on(param::grunnbelop, on);
}

Result<DatedValue> ParameterStore::grunnbelop_for_fee_year(int year) const {
  const Date first_may = Date::ymd(year, 5, 1);
  return find(param::grunnbelop, first_may,
              std::to_string(year) + " (in force on " + first_may.to_iso() + ")");
}

Result<DatedValue> ParameterStore::fribelop(int year, bool double_room) const {
  return value_for_year(double_room ? param::fribelop_double_room : param::fribelop, year);
}

Result<DatedValue> ParameterStore::short_stay_rate(int year, ShortStayKind kind) const {
  return value_for_year(short_stay_parameter(kind), year);
}

Result<DatedValue> ParameterStore::cost_cap(int year, std::string_view institution_type) const {
  return value_for_year(scoped_parameter(param::cost_cap_year, institution_type), year);
}

Status ParameterStore::add_posting(Posting posting) {
  if (posting.effective_to && *posting.effective_to < posting.effective_from) {
    return make_error(std::string(errc::parameter_invalid), "effective_to",
                      "care_fees.posting: effective_to before effective_from");
  }
  if (posting.art.empty() || posting.funksjon.empty() || posting.ansvar.empty()) {
    return make_error(std::string(errc::parameter_invalid), "art",
                      "care_fees.posting: art, funksjon and ansvar are required");
  }
  for (Posting& p : postings_) {
    if (p.district == posting.district && p.institution_id == posting.institution_id &&
        p.effective_from == posting.effective_from) {
      p = std::move(posting);
      return ok_status();
    }
  }
  postings_.push_back(std::move(posting));
  return ok_status();
}

Result<Posting> ParameterStore::posting(Date on, std::string_view district,
                                        std::string_view institution_id) const {
  const Posting* best = nullptr;
  int best_rank = -1;
  for (const Posting& p : postings_) {
    if (on < p.effective_from || (p.effective_to && *p.effective_to < on)) continue;
    if (!p.district.empty() && p.district != district) continue;
    if (!p.institution_id.empty() && p.institution_id != institution_id) continue;
    const int rank = (p.institution_id.empty() ? 0 : 2) + (p.district.empty() ? 0 : 1);
    if (rank > best_rank || (rank == best_rank && best->effective_from < p.effective_from)) {
      best = &p;
      best_rank = rank;
    }
  }
  if (best == nullptr) {
    return make_error(std::string(errc::parameter_missing), std::string(posting_parameter),
                      std::string(posting_parameter) + " missing for " + on.to_iso() +
                          " (district " + std::string(district) + ", institution " +
                          std::string(institution_id) + ")");
  }
  return *best;
}

Result<ScopedValue> ParameterStore::cost_cap_for(int year, std::string_view institution_id,
                                                 std::string_view institution_type) const {
  if (!institution_id.empty()) {
    std::string name = scoped_parameter(param::cost_cap_year, institution_scope(institution_id));
    auto own = value_for_year(name, year);
    if (own) return ScopedValue{std::move(name), std::move(*own)};
    if (institution_type.empty()) return own.error();
  }
  auto cap = cost_cap(year, institution_type);
  if (!cap) return cap.error();
  return ScopedValue{scoped_parameter(param::cost_cap_year, institution_type), std::move(*cap)};
}

Status load_rules_json(std::string_view file_name, std::string_view text, ParameterStore& store) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return data_error(file_name, "$", "not a JSON object");
  }
  if (element postings; doc["postings"].get(postings) == simdjson::SUCCESS) {
    if (auto s = check_keys(doc, {"postings"}, file_name, "$"); !s) return s;
    return load_postings(postings, file_name, store);
  }
  element params;
  if (doc["parameters"].get(params) != simdjson::SUCCESS) {
    static const std::set<std::string, std::less<>> keys = {"rule_set", "rule_version",
                                                            "municipality", "description"};
    if (auto s = check_keys(doc, keys, file_name, "$"); !s) return s;
    auto version = string_member(doc, "rule_version", true, file_name, "$");
    if (!version) return version.error();
    store.set_rule_version(*version);
    return ok_status();
  }
  if (auto s = check_keys(doc, {"parameters"}, file_name, "$"); !s) return s;
  if (!params.is_array()) return data_error(file_name, "$.parameters", "must be an array");
  std::size_t i = 0;
  for (element param : events::array_of(params)) {
    const std::string path = "$.parameters[" + std::to_string(i++) + "]";
    if (auto s = load_parameter(param, file_name, path, store); !s) return s;
  }
  return ok_status();
}

Result<ParameterStore> builtin_parameters() {
  ParameterStore store;
  for (const EmbeddedRuleFile& file : embedded_rule_files()) {
    if (auto s = load_rules_json(file.file_name, file.json, store); !s) return s.error();
  }
  if (store.rule_version().empty()) {
    return data_error("rule_set.json", "$.rule_version", "no rule-set version in the data");
  }
  return store;
}

}  // namespace oppgjor::care_fees
