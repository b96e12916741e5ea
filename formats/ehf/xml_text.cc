#include "formats/ehf/xml_text.h"

#include <utility>

#include "common/assert.h"

namespace oppgjor::formats::ehf {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

XmlBuilder::XmlBuilder() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

void XmlBuilder::indent() {
  out_.append(open_.size() * 2, ' ');
}

void XmlBuilder::open(std::string_view name, std::string_view attrs) {
  indent();
  out_ += '<';
  out_ += name;
  out_ += attrs;
  out_ += ">\n";
  open_.emplace_back(name);
}

void XmlBuilder::close(std::string_view name) {
  OPPGJOR_ASSERT(!open_.empty() && open_.back() == name,
                 "XmlBuilder::close of an unopened element");
  open_.pop_back();
  indent();
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void XmlBuilder::leaf(std::string_view name, std::string_view text, std::string_view attrs) {
  indent();
  out_ += '<';
  out_ += name;
  out_ += attrs;
  out_ += '>';
  out_ += xml_escape(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

std::string XmlBuilder::attr(std::string_view key, std::string_view value) {
  std::string out = " ";
  out += key;
  out += "=\"";
  out += xml_escape(value);
  out += '"';
  return out;
}

std::string XmlBuilder::finish() && {
  OPPGJOR_ASSERT(open_.empty(), "XmlBuilder::finish with open elements");
  return std::move(out_);
}

}  // namespace oppgjor::formats::ehf
