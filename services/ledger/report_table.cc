// Report rendering (report_table.h).
#include "services/ledger/report_table.h"

#include <algorithm>

#include "common/assert.h"
#include "common/ore_format.h"
#include "events/canonical_json.h"

namespace oppgjor::ledger {

namespace {

void csv_field(std::string_view v, std::string& out) {
  bool quote = false;
  for (char c : v) quote = quote || c == ';' || c == '"' || c == '\n' || c == '\r';
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string shown(const Column& c, const Cell& cell, bool excel) {
  if (cell.text) return *cell.text;
  if (!cell.amount) return {};
  if (!c.amount) return std::to_string(*cell.amount);
  return excel ? common::ore_format::excel(*cell.amount)
               : common::ore_format::norwegian(*cell.amount);
}

// Display width: UTF-8 code points (the headings have æ, ø, å).
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "csv") return Format::csv;
  if (name == "json") return Format::json;
  return std::nullopt;
}

std::string render(const Table& t, Format f) {
  std::string out;
  if (f == Format::json) {
    // Keys in byte order (canonical JSON).
    std::vector<std::size_t> order(t.columns.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return t.columns[a].key < t.columns[b].key; });
    events::CanonicalWriter w(out);
    w.begin_array();
    for (const auto& row : t.rows) {
      OPPGJOR_ASSERT(row.size() == t.columns.size(), "a report row has a cell per column");
      w.begin_object();
      for (std::size_t i : order) {
        w.key(t.columns[i].key);
        const Cell& cell = row[i];
        if (cell.text) {
          w.string_value(*cell.text);
        } else if (cell.amount) {
          w.int_value(*cell.amount);
        } else {
          w.null_value();
        }
      }
      w.end_object();
    }
    w.end_array();
    out += '\n';
    return out;
  }
  if (f == Format::csv) {
    out += "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (i > 0) out += ';';
      csv_field(t.columns[i].heading, out);
    }
    out += "\r\n";
    for (const auto& row : t.rows) {
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i > 0) out += ';';
        csv_field(shown(t.columns[i], row[i], true), out);
      }
      out += "\r\n";
    }
    return out;
  }
  std::vector<std::size_t> widths(t.columns.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) widths[i] = width(t.columns[i].heading);
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : t.rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      line.push_back(shown(t.columns[i], row[i], false));
      widths[i] = std::max(widths[i], width(line.back()));
    }
  }
  const auto emit = [&](const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      const std::size_t pad = widths[i] - width(line[i]);
      if (i > 0) out += "  ";
      if (t.columns[i].amount) out.append(pad, ' ');
      out += line[i];
      if (!t.columns[i].amount && i + 1 < line.size()) out.append(pad, ' ');
    }
    out += '\n';
  };
  std::vector<std::string> head;
  for (const auto& c : t.columns) head.push_back(c.heading);
  emit(head);
  for (const auto& line : cells) emit(line);
  return out;
}

}  // namespace oppgjor::ledger
