// Norwegian identifiers: fødselsnummer family, organisasjonsnummer, kontonummer and KID.
//
// Algorithms follow shared/domain/billing-and-collection-research.md §3 exactly:
//  - fødselsnummer: DDMMYY + individnummer (3) + k1 + k2. k2 is the classic MOD11 digit
//    (weights 5,4,3,2,7,6,5,4,3,2). k1 is accepted under either rule: the classic one
//    ((S + k1) mod 11 == 0, S = weights 3,7,6,1,8,9,4,5,2 over digits 1–9) or the rule for
//    numbers issued from 2032 ((S + k1) mod 11 ∈ {0,1,2,3}). A k1 of 10 cannot be written and is
//    rejected under both. The 2032 rule applies to fødselsnumre and D-numbers only (the kinds
//    Skatteetaten's nyttfnr2032 names); H- and FH-numbers keep the classic k1. D-number: day + 40;
//    H-number: month + 40; FH-number: first digit 8 or 9, no date. The century comes from the
//    individnummer table (§3.2); the birth date must be a real date and, when `today` is given, not
//    after it. Limitation: from 2032 the individnummer no longer encodes the century; numbers valid
//    only under the 2032 rule are still read with the table (all of Skatteetaten's examples
//    resolve), since the true date lives in Folkeregisteret.
//  - organisasjonsnummer: 9 digits, weights 3,2,7,6,5,4,3,2 and 1 on the check digit, sum ≡ 0.
//  - kontonummer: 11 digits, weights 5,4,3,2,7,6,5,4,3,2 and 1 on the check digit, sum ≡ 0.
//  - KID: body of 1–24 digits + one check character, MOD10 (Luhn) or MOD11 (remainder 1 gives
//    '-'). A KID is a string, never an integer (leading zeros and the '-' matter).
//
// Pure functions: no clock (pass `today`), no I/O. Thread-safe. Reasons are stable snake_case
// codes, never reworded once published (see README.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/result.h"

namespace oppgjor::common {

// Kinds reported by IdentifierCheck::kind.
namespace id_kind {
inline constexpr std::string_view fodselsnummer = "fodselsnummer";
inline constexpr std::string_view d_number = "d_number";
inline constexpr std::string_view h_number = "h_number";
inline constexpr std::string_view fh_number = "fh_number";
inline constexpr std::string_view organisation_number = "organisation_number";
inline constexpr std::string_view account_number = "account_number";
inline constexpr std::string_view unknown = "unknown";
}  // namespace id_kind

// Reasons reported by IdentifierCheck::reason.
namespace id_reason {
inline constexpr std::string_view ok = "ok";
inline constexpr std::string_view empty = "empty";
inline constexpr std::string_view not_digits = "not_digits";
inline constexpr std::string_view bad_length = "bad_length";
inline constexpr std::string_view bad_check_digit = "bad_check_digit";
inline constexpr std::string_view bad_date = "bad_date";
inline constexpr std::string_view no_century = "no_century";
inline constexpr std::string_view future_birth_date = "future_birth_date";
}  // namespace id_reason

struct IdentifierCheck {
  bool valid = false;
  std::string kind;    // an id_kind value
  std::string reason;  // an id_reason value; "ok" exactly when valid
};

// Checks a number of unknown kind as a person would type it.
//   - Grouped 4-2-5 with ' ' or '.' ("8601 11 17947"): that is how account numbers are written,
//     so it is checked as an account number only.
//   - Otherwise spaces, '.' and '-' are removed ("151086 95088"), then by digit count:
//     9 digits: organisasjonsnummer.
//     11 digits: the fødselsnummer family is tried first; if it fails but the kontonummer check
//       passes, the result is {valid, "account_number"}; if both fail, the personal-number
//       failure is reported (kind from the number's shape, e.g. "d_number").
//     other: {invalid, "unknown", "bad_length"} (or "not_digits" / "empty").
// Note: fødselsnummer's k2 and the kontonummer check are the same MOD11 computation, so every
// 11-digit number with a right k2 is a valid account number. Through this function a personal
// number's own failure ("bad_date", "no_century", "future_birth_date", a wrong k1) is therefore
// only visible when k2 is wrong too; use check_national_id when the kind is known. A number that
// passes both is reported as the personal number (the safer reading: it gets masked in logs).
IdentifierCheck check_identifier(std::string_view number, std::optional<Date> today);

// Fødselsnummer, D-, H- or FH-number: exactly 11 ASCII digits, no separators.
IdentifierCheck check_national_id(std::string_view digits, std::optional<Date> today);
// Exactly 9 ASCII digits, no separators.
IdentifierCheck check_organisation_number(std::string_view digits);
// 11 digits, either plain or grouped 4-2-5 with one kind of separator: "8601 11 17947",
// "8601.11.17947".
IdentifierCheck check_account_number(std::string_view number);

// Validators for JSON-schema formats (same rules as the check_* functions above).
bool is_valid_national_id(std::string_view digits, std::optional<Date> today);
bool is_valid_organisation_number(std::string_view digits);
bool is_valid_account_number(std::string_view number);

// The birth date a valid fødselsnummer, D- or H-number encodes (day/month offsets removed,
// century from the individnummer). Error codes: the id_reason values ("bad_length",
// "not_digits", "bad_date", "no_century"; FH-numbers give "no_birth_date"). Does not verify
// the check digits.
Result<Date> national_id_birth_date(std::string_view digits);

enum class KidScheme { mod10, mod11 };
inline constexpr std::size_t kid_body_digits_min = 1;
inline constexpr std::size_t kid_body_digits_max = 24;  // so a KID has 2..25 characters

std::string_view kid_scheme_name(KidScheme scheme);  // "mod10", "mod11"
std::optional<KidScheme> parse_kid_scheme(std::string_view name);

// Appends the check character to `body`. Error codes: "kid_bad_length" (body not 1..24 long),
// "kid_not_digits".
Result<std::string> kid_make(KidScheme scheme, std::string_view body);
// The KID check with a reason: kind "kid_mod10" / "kid_mod11"; reason "ok", "empty",
// "bad_length" (not 2..25 characters), "not_digits" (body not digits, or a check character
// other than a digit or, under MOD11, '-'), "bad_check_digit".
IdentifierCheck check_kid(KidScheme scheme, std::string_view kid);
// True when `kid` is 2..25 characters, a digit body and the right check character for the
// scheme ('-' only under MOD11, for remainder 1).
bool kid_check(KidScheme scheme, std::string_view kid);

}  // namespace oppgjor::common
