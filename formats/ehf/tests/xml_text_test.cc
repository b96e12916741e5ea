#include "formats/ehf/xml_text.h"

#include <gtest/gtest.h>

namespace oppgjor::formats::ehf {
namespace {

TEST(XmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(xml_escape(R"(a & b < c > d " e ' f)"), "a &amp; b &lt; c &gt; d &quot; e &apos; f");
}

TEST(XmlEscape, LeavesUtf8Alone) {
  EXPECT_EQ(xml_escape("Ærøy Østre Åsen æøå"), "Ærøy Østre Åsen æøå");
}

TEST(XmlBuilder, NestsIndentsAndEscapesAttributes) {
  XmlBuilder x;
  x.open("a", XmlBuilder::attr("k", "1&2"));
  x.leaf("b", "x<y");
  x.close("a");
  EXPECT_EQ(std::move(x).finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<a k=\"1&amp;2\">\n"
            "  <b>x&lt;y</b>\n"
            "</a>\n");
}

}  // namespace
}  // namespace oppgjor::formats::ehf
