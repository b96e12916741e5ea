// Masking of personal identifiers in text that leaves the process (logs, error messages).
//
// A fødselsnummer, D-, H- or FH-number is shown as its first six digits and five stars
// ("151086*****"). Pure functions, thread-safe, linear in the input length.
#pragma once

#include <string>
#include <string_view>

namespace oppgjor::common {

inline constexpr std::string_view national_id_mask_suffix = "*****";

// "15108695088" -> "151086*****". Input that is not exactly 11 ASCII digits comes back as the
// same number of '*' (never leaks a malformed identifier).
std::string mask_national_id(std::string_view national_id);

// Replaces every run of exactly 11 ASCII digits (not part of a longer digit run) that is a
// valid fødselsnummer-family number (check digits and date; no `today`, so future-dated numbers
// are masked too) by its masked form; all other text is copied unchanged. An account number
// that happens to pass the personal-number rules is masked as well (the safe side).
std::string mask_personal_ids(std::string_view text);

// Stricter, for text that may carry a *mistyped* identifier (refused input, dead letters):
// masks every run of exactly 11 digits, valid or not, as first six digits + "*****".
std::string mask_all_11_digit_runs(std::string_view text);

}  // namespace oppgjor::common

namespace oppgjor::common {

// Text for a terminal or any other human-facing output: every control character — C0 (U+0000–
// U+001F, newline and tab included), DEL, C1 (U+0080–U+009F, as UTF-8 or as a bare byte) — and
// every byte that is not valid UTF-8 is written as \xHH (lower-case hex, one per byte), so input
// bytes can neither move the cursor nor retitle or recolour the terminal. Everything else is
// copied unchanged. Apply it to the masked text (mask first: it never adds digits).
// Newlines::keep leaves line ends (\n, \r\n) as they are, for text rendered on several lines (a
// report table, CSV).
enum class Newlines { escape, keep };
std::string escape_control(std::string_view text, Newlines newlines = Newlines::escape);

// escape_control(mask_personal_ids(text)): the form of every field printed for people.
std::string for_display(std::string_view text, Newlines newlines = Newlines::escape);
// escape_control(mask_all_11_digit_runs(text)): for refused input (dead letters).
std::string for_display_strict(std::string_view text, Newlines newlines = Newlines::escape);

}  // namespace oppgjor::common
