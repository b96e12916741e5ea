// A minimal, append-only XML text builder for the UBL writer: indented elements, escaped text
// and attribute values, nothing else (no namespaces logic, no parsing).
//
// Escaping: & < > " ' become entities in text and attribute values; the caller guarantees no
// control characters other than tab/newline/CR (validate.h checks this for document text).
// Not thread-safe; one builder per document.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace oppgjor::formats::ehf {

std::string xml_escape(std::string_view text);

class XmlBuilder {
 public:
  XmlBuilder();  // starts with the XML declaration (UTF-8)

  // <name attrs...> on its own line; attrs is pre-built with attr().
  void open(std::string_view name, std::string_view attrs = {});
  // REQUIRES: matches the innermost open element.
  void close(std::string_view name);
  // <name attrs>escaped text</name>.
  void leaf(std::string_view name, std::string_view text, std::string_view attrs = {});

  // ` key="escaped value"`, to pass as attrs.
  static std::string attr(std::string_view key, std::string_view value);

  // REQUIRES: every open element closed.
  std::string finish() &&;

 private:
  void indent();
  std::string out_;
  std::vector<std::string> open_;  // names of the open elements, innermost last
};

}  // namespace oppgjor::formats::ehf
