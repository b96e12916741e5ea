// Norwegian identifiers (see identifiers.h for the rules and their sources).
#include "common/identifiers.h"

#include <array>

#include "common/ascii.h"

namespace oppgjor::common {
namespace {

int digit_at(std::string_view s, std::size_t i) {
  return s[i] - '0';
}

// Σ weights[i] · digit i over the first N digits. REQUIRES: s has at least N digits.
template <std::size_t N>
int weighted_sum(std::string_view s, const std::array<int, N>& weights) {
  int sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += weights[i] * digit_at(s, i);
  return sum;
}

int two_digits(std::string_view s, std::size_t at) {
  return digit_at(s, at) * 10 + digit_at(s, at + 1);
}

IdentifierCheck make_check(std::string_view kind, std::string_view reason) {
  return IdentifierCheck{reason == id_reason::ok, std::string(kind), std::string(reason)};
}

// --- fødselsnummer family ---------------------------------------------------------------

constexpr std::array<int, 9> k1_weights = {3, 7, 6, 1, 8, 9, 4, 5, 2};
constexpr std::array<int, 11> k2_weights = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1};  // 1 on k2 itself
constexpr int k1_remainder_max_2032 = 3;  // (S + k1) mod 11 ∈ {0,1,2,3} from 2032

// Which member of the family the digits' shape says. REQUIRES: 11 digits.
std::string_view national_id_kind(std::string_view digits) {
  if (digits[0] == '8' || digits[0] == '9') return id_kind::fh_number;
  if (two_digits(digits, 0) > 40) return id_kind::d_number;
  if (two_digits(digits, 2) > 40) return id_kind::h_number;
  return id_kind::fodselsnummer;
}

// k1 under the classic rule, or also the 2032 rule for the kinds it covers (fødselsnummer and
// D-number: Skatteetaten's nyttfnr2032 names only these); k2 always classic. REQUIRES: 11 digits.
bool national_id_check_digits_ok(std::string_view digits, std::string_view kind) {
  const bool rule_2032 = kind == id_kind::fodselsnummer || kind == id_kind::d_number;
  const int k1_remainder = (weighted_sum(digits, k1_weights) + digit_at(digits, 9)) % 11;
  const bool k1_ok = k1_remainder == 0 || (rule_2032 && k1_remainder <= k1_remainder_max_2032);
  const bool k2_ok = weighted_sum(digits, k2_weights) % 11 == 0;
  return k1_ok && k2_ok;
}

// Full year from YY and the individnummer, per research §3.2; nullopt when no century fits.
std::optional<int> birth_year(int yy, int individnummer) {
  if (individnummer < 500) return 1900 + yy;
  if (individnummer < 750 && yy >= 54) return 1800 + yy;
  if (yy < 40) return 2000 + yy;
  if (individnummer >= 900) return 1900 + yy;
  return std::nullopt;
}

// Birth date of a non-FH number with 11 digits; the error code is an id_reason value.
Result<Date> birth_date_of(std::string_view digits) {
  int day = two_digits(digits, 0);
  int month = two_digits(digits, 2);
  if (day > 40) day -= 40;
  if (month > 40) month -= 40;
  const int individnummer = digit_at(digits, 6) * 100 + two_digits(digits, 7);
  const std::optional<int> year = birth_year(two_digits(digits, 4), individnummer);
  if (!year) return make_error(std::string(id_reason::no_century), "", "no century fits");
  const std::chrono::year_month_day civil{std::chrono::year{*year},
                                          std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
  if (!civil.ok()) return make_error(std::string(id_reason::bad_date), "", "not a real date");
  return Date(std::chrono::sys_days{civil});
}

// --- MOD11 numbers with weights ending in 1 on the check digit -----------------------------

constexpr std::array<int, 9> orgnr_weights = {3, 2, 7, 6, 5, 4, 3, 2, 1};
constexpr std::array<int, 11> account_weights = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1};

// "8601 11 17947" / "8601.11.17947": 4-2-5 groups with one separator, ' ' or '.'.
bool is_account_grouping(std::string_view number) {
  if (number.size() != 13) return false;
  const char sep = number[4];
  return (sep == ' ' || sep == '.') && number[7] == sep;
}

// "8601 11 17947" → "86011117947"; other shapes are returned unchanged.
std::string strip_account_grouping(std::string_view number) {
  if (!is_account_grouping(number)) return std::string(number);
  std::string out(number.substr(0, 4));
  out += number.substr(5, 2);
  out += number.substr(8);
  return out;
}

// Removes the separators people type in a number of unknown kind.
std::string strip_separators(std::string_view number) {
  std::string out;
  for (char c : number) {
    if (c != ' ' && c != '.' && c != '-') out += c;
  }
  return out;
}

// --- KID -----------------------------------------------------------------------------------

// MOD10 (Luhn): weights 2,1,2,1,… from the rightmost body digit, digit sums of the products.
char kid_mod10_check(std::string_view body) {
  int sum = 0;
  int weight = 2;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    const int product = (*it - '0') * weight;
    sum += product / 10 + product % 10;
    weight = weight == 2 ? 1 : 2;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

// MOD11: weights 2..7 repeating from the rightmost body digit; remainder 1 gives '-'.
char kid_mod11_check(std::string_view body) {
  int sum = 0;
  int weight = 2;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = weight == 7 ? 2 : weight + 1;
  }
  const int remainder = sum % 11;
  if (remainder == 0) return '0';
  if (remainder == 1) return '-';
  return static_cast<char>('0' + 11 - remainder);
}

char kid_check_char(KidScheme scheme, std::string_view body) {
  return scheme == KidScheme::mod10 ? kid_mod10_check(body) : kid_mod11_check(body);
}

bool kid_body_ok(std::string_view body) {
  return body.size() >= kid_body_digits_min && body.size() <= kid_body_digits_max &&
         only_ascii_digits(body);
}

}  // namespace

IdentifierCheck check_national_id(std::string_view digits, std::optional<Date> today) {
  if (digits.empty()) return make_check(id_kind::fodselsnummer, id_reason::empty);
  if (!only_ascii_digits(digits)) return make_check(id_kind::fodselsnummer, id_reason::not_digits);
  if (digits.size() != 11) return make_check(id_kind::fodselsnummer, id_reason::bad_length);
  const std::string_view kind = national_id_kind(digits);
  if (!national_id_check_digits_ok(digits, kind))
    return make_check(kind, id_reason::bad_check_digit);
  if (kind == id_kind::fh_number) return make_check(kind, id_reason::ok);
  const Result<Date> born = birth_date_of(digits);
  if (!born.ok()) return make_check(kind, born.error().code);
  if (today && *born > *today) return make_check(kind, id_reason::future_birth_date);
  return make_check(kind, id_reason::ok);
}

IdentifierCheck check_organisation_number(std::string_view digits) {
  const std::string_view kind = id_kind::organisation_number;
  if (digits.empty()) return make_check(kind, id_reason::empty);
  if (!only_ascii_digits(digits)) return make_check(kind, id_reason::not_digits);
  if (digits.size() != 9) return make_check(kind, id_reason::bad_length);
  if (weighted_sum(digits, orgnr_weights) % 11 != 0) {
    return make_check(kind, id_reason::bad_check_digit);
  }
  return make_check(kind, id_reason::ok);
}

IdentifierCheck check_account_number(std::string_view number) {
  const std::string_view kind = id_kind::account_number;
  const std::string digits = strip_account_grouping(number);
  if (digits.empty()) return make_check(kind, id_reason::empty);
  if (!only_ascii_digits(digits)) return make_check(kind, id_reason::not_digits);
  if (digits.size() != 11) return make_check(kind, id_reason::bad_length);
  if (weighted_sum(digits, account_weights) % 11 != 0) {
    return make_check(kind, id_reason::bad_check_digit);
  }
  return make_check(kind, id_reason::ok);
}

IdentifierCheck check_identifier(std::string_view number, std::optional<Date> today) {
  if (is_account_grouping(number)) return check_account_number(number);
  const std::string digits = strip_separators(number);
  if (digits.empty()) return make_check(id_kind::unknown, id_reason::empty);
  if (!only_ascii_digits(digits)) return make_check(id_kind::unknown, id_reason::not_digits);
  if (digits.size() == 9) return check_organisation_number(digits);
  if (digits.size() != 11) return make_check(id_kind::unknown, id_reason::bad_length);
  IdentifierCheck personal = check_national_id(digits, today);
  if (personal.valid) return personal;
  IdentifierCheck account = check_account_number(digits);
  return account.valid ? account : personal;
}

bool is_valid_national_id(std::string_view digits, std::optional<Date> today) {
  return check_national_id(digits, today).valid;
}

bool is_valid_organisation_number(std::string_view digits) {
  return check_organisation_number(digits).valid;
}

bool is_valid_account_number(std::string_view number) {
  return check_account_number(number).valid;
}

Result<Date> national_id_birth_date(std::string_view digits) {
  if (!only_ascii_digits(digits)) return make_error(std::string(id_reason::not_digits), "", "");
  if (digits.size() != 11) return make_error(std::string(id_reason::bad_length), "", "");
  if (national_id_kind(digits) == id_kind::fh_number) {
    return make_error("no_birth_date", "", "an FH-number carries no birth date");
  }
  return birth_date_of(digits);
}

std::string_view kid_scheme_name(KidScheme scheme) {
  return scheme == KidScheme::mod10 ? "mod10" : "mod11";
}

std::optional<KidScheme> parse_kid_scheme(std::string_view name) {
  if (name == "mod10") return KidScheme::mod10;
  if (name == "mod11") return KidScheme::mod11;
  return std::nullopt;
}

Result<std::string> kid_make(KidScheme scheme, std::string_view body) {
  if (body.size() < kid_body_digits_min || body.size() > kid_body_digits_max) {
    return make_error("kid_bad_length", "", "a KID body has 1 to 24 digits");
  }
  if (!only_ascii_digits(body))
    return make_error("kid_not_digits", "", "a KID body is digits only");
  std::string kid(body);
  kid += kid_check_char(scheme, body);
  return kid;
}

IdentifierCheck check_kid(KidScheme scheme, std::string_view kid) {
  const std::string_view kind = scheme == KidScheme::mod10 ? "kid_mod10" : "kid_mod11";
  if (kid.empty()) return make_check(kind, id_reason::empty);
  const std::string_view body = kid.substr(0, kid.size() - 1);
  const char check = kid.back();
  const bool check_char_ok =
      (check >= '0' && check <= '9') || (check == '-' && scheme == KidScheme::mod11);
  if (!only_ascii_digits(body) || !check_char_ok) return make_check(kind, id_reason::not_digits);
  if (!kid_body_ok(body)) return make_check(kind, id_reason::bad_length);
  if (check != kid_check_char(scheme, body)) return make_check(kind, id_reason::bad_check_digit);
  return make_check(kind, id_reason::ok);
}

bool kid_check(KidScheme scheme, std::string_view kid) {
  return check_kid(scheme, kid).valid;
}

}  // namespace oppgjor::common
