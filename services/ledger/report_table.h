// Rendering a report (reports.h) for people and programs: a Table of typed cells written as
// json (an array of objects, amounts as integers in øre, missing values as null), csv (for Excel
// with Norwegian settings, as the care-fees reports: UTF-8 BOM, ';', decimal comma, Norwegian
// headers) or table (aligned columns, Norwegian headers, amounts as "1 234,56").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oppgjor::ledger {

struct Column {
  std::string key;      // json key (the output contract, docs/CLI.md)
  std::string heading;  // Norwegian, for csv and table
  bool amount = false;  // øre
};

struct Cell {
  std::optional<std::string> text;     // a text cell; nullopt with no amount: null
  std::optional<std::int64_t> amount;  // an øre cell (or a plain integer in a non-amount column)
  static Cell of(std::string s) { return Cell{std::move(s), std::nullopt}; }
  static Cell ore(std::int64_t v) { return Cell{std::nullopt, v}; }
  static Cell null() { return Cell{}; }
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

enum class Format { table, csv, json };
std::optional<Format> parse_format(std::string_view name);
std::string render(const Table& t, Format f);

}  // namespace oppgjor::ledger
