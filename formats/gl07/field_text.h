// Formatting one value into one fixed-width field of a GL07 record (layout.h FieldSpec): text
// left-aligned and space-padded, numbers signed and right-aligned (or left), dates YYYYMMDD,
// periods YYYYMM; output bytes in the layout's encoding. Widths count characters.
// Errors: gl07_value_too_wide, gl07_text_not_encodable, gl07_text_invalid (field = `where`).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "formats/gl07/layout.h"

namespace oppgjor::formats::gl07 {

Result<std::string> format_text(std::string_view utf8, const FieldSpec& field, Encoding encoding,
                                const std::string& where);
Result<std::string> format_number(std::int64_t value, const FieldSpec& field,
                                  const std::string& where);
// `digits`: already formatted YYYYMMDD / YYYYMM (ASCII).
Result<std::string> format_fixed(std::string_view digits, const FieldSpec& field,
                                 const std::string& where);
// `field.length` spaces.
std::string blank(const FieldSpec& field);

}  // namespace oppgjor::formats::gl07
