#include "formats/gl07/layout.h"

#include <gtest/gtest.h>

#include "formats/gl07/errors.h"

namespace oppgjor::formats::gl07 {
namespace {

namespace ec = error_code;

TEST(DefaultLayout, IsTheStandard2060CharacterRecordWithoutGaps) {
  const Layout& l = default_layout();
  EXPECT_EQ(l.record_length, 2060u);
  EXPECT_EQ(l.encoding, Encoding::latin1);
  EXPECT_EQ(l.line_end, "\r\n");
  ASSERT_EQ(l.fields.size(), 66u);
  std::size_t next = 1;
  for (const FieldSpec& f : l.fields) {  // in file order, each starts where the last ended
    EXPECT_EQ(f.start, next) << f.name;
    next = f.start + f.length;
  }
  EXPECT_EQ(next, 2061u);
}

TEST(DefaultLayout, PositionsMatchTheResearchTable) {
  struct Row {
    const char* name;
    std::size_t start, length;
    FieldType type;
  };
  const Row rows[] = {
      {"batch_id", 1, 25, FieldType::text},        {"trans_type", 76, 2, FieldType::text},
      {"account", 103, 25, FieldType::text},       {"dim_1", 128, 25, FieldType::text},
      {"dim_7", 278, 25, FieldType::text},         {"dc_flag", 378, 2, FieldType::number},
      {"amount", 400, 20, FieldType::number},      {"description", 491, 255, FieldType::text},
      {"voucher_date", 754, 8, FieldType::date},   {"voucher_no", 762, 15, FieldType::number},
      {"period", 777, 6, FieldType::period},       {"due_date", 1139, 8, FieldType::date},
      {"kid", 1215, 27, FieldType::text},          {"apar_id", 1246, 25, FieldType::text},
      {"bank_acc_type", 2059, 2, FieldType::text},
  };
  for (const Row& r : rows) {
    const FieldSpec* f = default_layout().find(r.name);
    ASSERT_NE(f, nullptr) << r.name;
    EXPECT_EQ(f->start, r.start) << r.name;
    EXPECT_EQ(f->length, r.length) << r.name;
    EXPECT_EQ(f->type, r.type) << r.name;
  }
  EXPECT_TRUE(default_layout().find("description")->truncate);
}

constexpr const char* minimal =
    "record_length 60\n"
    "field voucher_no 1 10 number\n"
    "field voucher_date 11 8 date\n"
    "field period 19 6 period\n"
    "field account 25 10 text\n"
    "field amount 35 15 number\n";

TEST(ParseLayout, AcceptsAMinimalLayoutWithComments) {
  auto l =
      parse_layout(std::string("# mine\n") + minimal + "encoding utf8  # trailing\nline_end lf\n");
  ASSERT_TRUE(l.ok()) << l.error().to_string();
  EXPECT_EQ(l->record_length, 60u);
  EXPECT_EQ(l->encoding, Encoding::utf8);
  EXPECT_EQ(l->line_end, "\n");
  EXPECT_EQ(l->fields.size(), 5u);
}

TEST(ParseLayout, RejectsBadLayoutsNamingTheLine) {
  struct Row {
    std::string text;
    const char* code;
    const char* field;
  };
  const Row rows[] = {
      {std::string(minimal) + "field x 45 10 text\n", ec::layout_fields_overlap, "line 7"},
      {std::string(minimal) + "field x 55 10 text\n", ec::layout_field_outside_record, "line 7"},
      {std::string(minimal) + "field account 50 5 text\n", ec::layout_field_duplicate, "line 7"},
      {std::string(minimal) + "field dim_1 50 5 number\n", ec::layout_field_wrong_type, "line 7"},
      {std::string(minimal) + "field x 50 5 money\n", ec::layout_syntax, "line 7"},
      {std::string(minimal) + "field due 50 6 date\n", ec::layout_syntax, "line 7"},
      {std::string(minimal) + "field x 50 5 text left\n", ec::layout_syntax, "line 7"},
      {std::string(minimal) + "colour blue\n", ec::layout_syntax, "line 7"},
      {"record_length 60\nfield voucher_no 1 10 number\n", ec::layout_field_missing,
       "voucher_date"},
      {"field voucher_no 1 10 number\n", ec::layout_syntax, "record_length"},
  };
  for (const Row& r : rows) {
    auto l = parse_layout(r.text);
    ASSERT_FALSE(l.ok()) << r.text;
    EXPECT_EQ(l.error().code, r.code) << r.text << l.error().to_string();
    EXPECT_EQ(l.error().field, r.field) << r.text << l.error().to_string();
  }
}

}  // namespace
}  // namespace oppgjor::formats::gl07
