// The SAF-T export's own rule data (rules/saft_rules.json, compiled in): per ledger account its
// description and grouping (category KA_K — KOSTRA arter, kommuner — and code), per VAT code of
// the invoicing rule data its SAF-T standard tax code, and the contact person the file's header
// names. Every entry is dated (effective_from; in force until the next entry for the same key). A
// lookup no entry covers is an Error naming the account or code and the date (code
// "parameter_missing"): there is no default in code (ARCHITECTURE.md, rules as dated data).
//
// Thread-safety: immutable after loading; const methods may be called concurrently.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/result.h"

namespace oppgjor::ledger {

using common::Date;

struct SaftAccount {
  std::string account;
  Date effective_from;
  std::string description;
  std::string grouping_category;  // KA_K
  std::string grouping_code;      // KOSTRA art, e.g. 13 (kundefordringer)
  bool example = false;
};

struct SaftTaxCode {
  std::string code;  // the invoicing rule data's VAT code
  Date effective_from;
  std::string standard_tax_code;
  std::string description;
};

struct SaftContact {
  Date effective_from;
  std::string first_name, last_name, telephone;
  bool example = false;
};

class SaftRules {
 public:
  // Parses the rule file. Error "rules_data_invalid" naming the JSON path.
  static Result<SaftRules> parse(std::string_view json);
  // The compiled-in rule data (parsed once; an error here is a bug in the shipped data).
  static const SaftRules& builtin();

  Result<SaftAccount> account(std::string_view account, Date on) const;
  Result<SaftTaxCode> tax_code(std::string_view code, Date on) const;
  Result<SaftContact> contact(Date on) const;
  // Every VAT code the data maps (any date), sorted.
  std::vector<std::string> tax_codes() const;
  const std::string& rule_version() const { return rule_version_; }

 private:
  std::string rule_version_;
  std::map<std::string, std::vector<SaftAccount>, std::less<>> accounts_;
  std::map<std::string, std::vector<SaftTaxCode>, std::less<>> tax_codes_;
  std::vector<SaftContact> contacts_;
};

}  // namespace oppgjor::ledger
