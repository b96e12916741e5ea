#include "formats/gl07/field_text.h"

#include <vector>

#include "formats/gl07/errors.h"

namespace oppgjor::formats::gl07 {

namespace {

namespace ec = error_code;

// Decodes strict UTF-8 (no overlongs, no surrogates); false on malformed input.
bool decode_utf8(std::string_view in, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < in.size();) {
    const auto b = static_cast<unsigned char>(in[i]);
    const std::size_t n = b < 0x80           ? 1
                          : (b >> 5) == 0x6  ? 2
                          : (b >> 4) == 0xE  ? 3
                          : (b >> 3) == 0x1E ? 4
                                             : 0;
    if (n == 0 || i + n > in.size()) return false;
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(in[i + k]);
      if ((c >> 6) != 0x2) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const char32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += n;
  }
  return true;
}

void encode(char32_t cp, Encoding encoding, std::string& out) {
  if (encoding == Encoding::latin1 || cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Error too_wide(const FieldSpec& field, const std::string& where) {
  return make_error(ec::value_too_wide, where,
                    "wider than " + field.name + " (" + std::to_string(field.length) + ")");
}

}  // namespace

std::string blank(const FieldSpec& field) {
  return std::string(field.length, ' ');
}

Result<std::string> format_text(std::string_view utf8, const FieldSpec& field, Encoding encoding,
                                const std::string& where) {
  std::vector<char32_t> chars;
  if (!decode_utf8(utf8, chars)) {
    return make_error(ec::text_not_encodable, where, "not valid UTF-8");
  }
  if (chars.size() > field.length) {
    if (!field.truncate) return too_wide(field, where);
    chars.resize(field.length);
  }
  std::string out;
  for (char32_t cp : chars) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      return make_error(ec::text_invalid, where, "control character");
    }
    if (encoding == Encoding::latin1 && cp > 0xFF) {
      return make_error(ec::text_not_encodable, where, "character outside ISO 8859-1");
    }
    encode(cp, encoding, out);
  }
  out.append(field.length - chars.size(), ' ');
  return out;
}

Result<std::string> format_number(std::int64_t value, const FieldSpec& field,
                                  const std::string& where) {
  const std::string digits = std::to_string(value);  // "-12345": sign first, then digits
  if (digits.size() > field.length) return too_wide(field, where);
  const std::string pad(field.length - digits.size(), ' ');
  return field.align_left ? digits + pad : pad + digits;
}

Result<std::string> format_fixed(std::string_view digits, const FieldSpec& field,
                                 const std::string& where) {
  if (digits.size() != field.length) return too_wide(field, where);
  return std::string(digits);
}

}  // namespace oppgjor::formats::gl07
