// Invoicing and ledger rule data (rules/invoicing_rules.json, compiled in): per claim type the
// income account, payment terms, KID agreement, claim family and special enforcement powers; the
// VAT codes; the chart of accounts. Every entry is dated (effective_from; in force until the next
// entry for the same key). A lookup for a date no entry covers is an Error naming what is missing
// (code "parameter_missing") — there is no default in code (ARCHITECTURE.md, rules as dated data).
//
// Thread-safety: immutable after loading; const methods may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/identifiers.h"
#include "common/money.h"
#include "common/result.h"

namespace oppgjor::invoicing {

using common::Date;
using common::Decimal;

// The claim types the invoice basis schema allows, in the schema's order.
const std::vector<std::string>& claim_type_names();
bool is_claim_type(std::string_view name);

struct KidAgreement {
  common::KidScheme scheme = common::KidScheme::mod10;
  int customer_digits = 0;  // the customer number, zero-padded on the left
  int invoice_digits = 0;   // the invoice number, zero-padded on the left
  // Total length: customer_digits + invoice_digits + 1 check character (≤ 25).
  int length() const { return customer_digits + invoice_digits + 1; }
  bool operator==(const KidAgreement&) const = default;
};

struct ClaimTypeRules {
  std::string claim_type;
  Date effective_from;
  std::string income_account;  // default when a line carries no account of its own
  int payment_terms_days = 0;
  std::string claim_family;  // overpayments are set off within a family (billing-and-collection.md)
  bool special_enforcement = false;
  KidAgreement kid;
  bool example = false;  // not sourced: the installation's own choice, shown as example data
};

struct VatCode {
  std::string code;
  Date effective_from;
  Decimal rate;          // 0.25 for 25 %
  std::string category;  // UNCL 5305 / EN 16931 category: O, S, Z, E
  std::string source;
};

struct Chart {
  Date effective_from;
  std::string receivables, bank, suspense, vat_payable, rounding, bad_debt, fee_income;
  std::string interest_income;  // late-payment interest (collection)
  bool example = false;
};

// The municipality as the seller on e-invoices (EHF): name, organisation number, address and the
// account payments go to.
struct Seller {
  Date effective_from;
  std::string name, organisation_number, street, postcode, city, account_number;
  bool vat_registered = false;
  bool example = false;
};

class BillingRules {
 public:
  // Parses the rule file. Error "rules_data_invalid" naming the JSON path.
  static Result<BillingRules> parse(std::string_view json);
  // The compiled-in rule data (parsed once; an error here is a bug in the shipped data).
  static const BillingRules& builtin();

  Result<ClaimTypeRules> claim_type(std::string_view claim_type, Date on) const;
  Result<VatCode> vat_code(std::string_view code, Date on) const;
  Result<Chart> chart(Date on) const;
  // The chart in force on `on`, not copied (nullptr: none); for what asks once per payment.
  const Chart* chart_in_force(Date on) const;
  Result<Seller> seller(Date on) const;
  const std::string& rule_version() const { return rule_version_; }
  // Every distinct KID layout (scheme and widths) of any claim type at any date, in a stable
  // order: what a KID on a payment may have been made with.
  std::vector<KidAgreement> kid_layouts() const;

 private:
  std::string rule_version_;
  std::map<std::string, std::vector<ClaimTypeRules>, std::less<>> claim_types_;
  std::map<std::string, std::vector<VatCode>, std::less<>> vat_codes_;
  std::vector<Chart> charts_;
  std::vector<Seller> sellers_;
};

// The KID for an invoice: customer number (the digits of customer_id "C…") and invoice sequence
// number, each zero-padded to the agreement's width, then the check character. Error
// "kid_field_too_long" when a number does not fit the agreement.
Result<std::string> make_kid(const KidAgreement& agreement, std::string_view customer_id,
                             std::int64_t invoice_number);

// Issue date + payment terms, moved to the next business day when it falls on a Saturday,
// Sunday or public holiday (common/calendar.h).
Date due_date_for(Date issue_date, int payment_terms_days);

}  // namespace oppgjor::invoicing
