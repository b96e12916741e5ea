// The SAF-T export's rule data: parsing and dated lookup (saft_rules.h).
#include "services/ledger/saft_rules.h"

#include <simdjson.h>

#include <algorithm>

#include "common/dated.h"

namespace oppgjor::ledger {

std::string_view embedded_saft_rules_json();  // generated from rules/saft_rules.json

namespace {

Error invalid(const std::string& path, const std::string& why) {
  return make_error("rules_data_invalid", path, "SAF-T rule data: " + why);
}

Result<std::string> text_at(simdjson::dom::element obj, std::string_view key,
                            const std::string& path) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.empty()) {
    return invalid(path + "/" + std::string(key), "missing, empty or not a string");
  }
  return std::string(v);
}

Result<Date> date_at(simdjson::dom::element obj, std::string_view key, const std::string& path) {
  auto text = text_at(obj, key, path);
  if (!text) return text.error();
  auto d = Date::parse(*text, path + "/" + std::string(key));
  if (!d) return invalid(path + "/" + std::string(key), "not a date");
  return *d;
}

bool example_of(simdjson::dom::element obj) {
  bool v = false;
  return obj["example"].get(v) == simdjson::SUCCESS && v;
}

using common::in_force;
using common::sort_dated;

Result<SaftAccount> parse_account(simdjson::dom::element e, const std::string& path) {
  SaftAccount a;
  auto account = text_at(e, "account", path);
  if (!account) return account.error();
  auto from = date_at(e, "effective_from", path);
  if (!from) return from.error();
  auto description = text_at(e, "description", path);
  if (!description) return description.error();
  auto category = text_at(e, "grouping_category", path);
  if (!category) return category.error();
  auto code = text_at(e, "grouping_code", path);
  if (!code) return code.error();
  return SaftAccount{*account, *from, *description, *category, *code, example_of(e)};
}

Result<SaftTaxCode> parse_tax_code(simdjson::dom::element e, const std::string& path) {
  auto code = text_at(e, "code", path);
  if (!code) return code.error();
  auto from = date_at(e, "effective_from", path);
  if (!from) return from.error();
  auto standard = text_at(e, "standard_tax_code", path);
  if (!standard) return standard.error();
  auto description = text_at(e, "description", path);
  if (!description) return description.error();
  return SaftTaxCode{*code, *from, *standard, *description};
}

Result<SaftContact> parse_contact(simdjson::dom::element e, const std::string& path) {
  auto from = date_at(e, "effective_from", path);
  if (!from) return from.error();
  auto first = text_at(e, "first_name", path);
  if (!first) return first.error();
  auto last = text_at(e, "last_name", path);
  if (!last) return last.error();
  auto telephone = text_at(e, "telephone", path);
  if (!telephone) return telephone.error();
  return SaftContact{*from, *first, *last, *telephone, example_of(e)};
}

// Parses every element of the array `key` with `parse` and hands each to `add`.
template <class Parse, class Add>
Status each_of(simdjson::dom::element doc, const char* key, Parse parse, Add add) {
  simdjson::dom::array list;
  if (doc[key].get(list) != simdjson::SUCCESS) {
    return invalid(std::string("/") + key, "missing or not an array");
  }
  std::size_t i = 0;
  for (simdjson::dom::element e : list) {
    auto parsed = parse(e, std::string("/") + key + "/" + std::to_string(i++));
    if (!parsed) return parsed.error();
    add(std::move(parsed).value());
  }
  return ok_status();
}

}  // namespace

Result<SaftRules> SaftRules::parse(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    return invalid("", "not JSON");
  }
  SaftRules r;
  auto version = text_at(doc, "rule_version", "");
  if (!version) return version.error();
  r.rule_version_ = *version;
  auto accounts = each_of(doc, "accounts", parse_account,
                          [&](SaftAccount a) { r.accounts_[a.account].push_back(std::move(a)); });
  if (!accounts) return accounts.error();
  auto taxes = each_of(doc, "tax_codes", parse_tax_code,
                       [&](SaftTaxCode t) { r.tax_codes_[t.code].push_back(std::move(t)); });
  if (!taxes) return taxes.error();
  auto contacts = each_of(doc, "contact", parse_contact,
                          [&](SaftContact c) { r.contacts_.push_back(std::move(c)); });
  if (!contacts) return contacts.error();
  for (auto& [key, dated] : r.accounts_) sort_dated(dated);
  for (auto& [key, dated] : r.tax_codes_) sort_dated(dated);
  sort_dated(r.contacts_);
  return r;
}

const SaftRules& SaftRules::builtin() {
  static const SaftRules rules = [] {
    auto parsed = parse(embedded_saft_rules_json());
    OPPGJOR_ASSERT(parsed.ok(), "the shipped SAF-T rule data parses");
    return std::move(parsed).value();
  }();
  return rules;
}

Result<SaftAccount> SaftRules::account(std::string_view account, Date on) const {
  auto it = accounts_.find(account);
  const SaftAccount* a = it == accounts_.end() ? nullptr : in_force(it->second, on);
  if (a == nullptr) {
    return make_error("parameter_missing", "accounts[" + std::string(account) + "]",
                      "no description and grouping code (KA_K) for account " +
                          std::string(account) + " in force on " + on.to_iso() + " (rules " +
                          rule_version_ + ")");
  }
  return *a;
}

Result<SaftTaxCode> SaftRules::tax_code(std::string_view code, Date on) const {
  auto it = tax_codes_.find(code);
  const SaftTaxCode* t = it == tax_codes_.end() ? nullptr : in_force(it->second, on);
  if (t == nullptr) {
    return make_error("parameter_missing", "tax_codes[" + std::string(code) + "]",
                      "no SAF-T standard tax code for VAT code " + std::string(code) +
                          " in force on " + on.to_iso() + " (rules " + rule_version_ + ")");
  }
  return *t;
}

Result<SaftContact> SaftRules::contact(Date on) const {
  const SaftContact* c = in_force(contacts_, on);
  if (c == nullptr) {
    return make_error(
        "parameter_missing", "contact",
        "no SAF-T contact person in force on " + on.to_iso() + " (rules " + rule_version_ + ")");
  }
  return *c;
}

std::vector<std::string> SaftRules::tax_codes() const {
  std::vector<std::string> out;
  for (const auto& [code, dated] : tax_codes_) out.push_back(code);
  return out;
}

}  // namespace oppgjor::ledger
