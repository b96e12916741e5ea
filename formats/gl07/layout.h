// A GL07 record layout, read from configuration because Unit4 installations differ (field
// widths, number alignment, encoding). The standard layout ships as layouts/gl07_standard.layout
// and is compiled in: default_layout().
//
// Text format (one directive per line, '#' starts a comment; see the shipped file):
//   record_length N | encoding latin1|utf8 | line_end crlf|lf
//   field NAME START LENGTH TYPE [left|truncate]     (START 1-based; TYPE text|number|date|period)
// parse_layout checks: syntax; every field inside the record; no two fields overlap; names
// unique; the fields the writer fills (known_fields()) have their expected type; the fields a
// balanced voucher needs (required_fields()) are present. Errors name the line ("line 12").
//
// Pure; a Layout is an immutable value after parsing; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace oppgjor::formats::gl07 {

enum class FieldType { text, number, date, period };
enum class Encoding { latin1, utf8 };

struct FieldSpec {
  std::string name;
  std::size_t start = 1;   // 1-based column
  std::size_t length = 0;  // characters
  FieldType type = FieldType::text;
  bool align_left = false;  // numbers only: left-aligned instead of right-aligned
  bool truncate = false;    // text only: cut at the width instead of refusing
};

struct Layout {
  std::size_t record_length = 0;
  Encoding encoding = Encoding::latin1;
  std::string line_end = "\r\n";
  std::vector<FieldSpec> fields;  // in file order

  // nullptr when the layout has no such field.
  const FieldSpec* find(std::string_view name) const;
};

Result<Layout> parse_layout(std::string_view text);

// The standard layout (layouts/gl07_standard.layout, embedded at build time), parsed.
const Layout& default_layout();
std::string_view default_layout_text();

// Names the writer fills with their type; other names in a layout are written as spaces.
struct KnownField {
  const char* name;
  FieldType type;
};
const std::vector<KnownField>& known_fields();
// Known fields a layout must contain: voucher_no, voucher_date, period, account, amount.
const std::vector<const char*>& required_fields();

}  // namespace oppgjor::formats::gl07
