// Invoice bases from a CSV batch file (basis_csv.h).
#include "services/invoicing/basis_csv.h"

#include <map>
#include <stdexcept>

#include "common/money.h"
#include "events/canonical_json.h"
#include "events/sha256.h"
#include "services/invoicing/basis.h"
#include "services/invoicing/invoicing_state.h"

namespace oppgjor::invoicing {

namespace {

constexpr std::string_view columns[] = {
    "source_reference", "customer_id", "claim_type", "period", "product_code", "text",
    "quantity",         "unit_price",  "vat_code",   "posting"};
constexpr std::size_t column_count = std::size(columns);

// Splits one line on ';' with "…" quoting ("" inside quotes is a quote).
std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string with_point(std::string s) {
  for (char& c : s) {
    if (c == ',') c = '.';
  }
  return s;
}

struct Line {
  std::int64_t number = 0;
  std::string original;
  std::string reference, customer, claim_type, from, to, product, text, quantity, vat_code;
  std::string art, funksjon, ansvar;
  std::int64_t unit_price_ore = 0;
};

Result<Line> parse_line(const std::vector<std::string>& f, std::int64_t number) {
  const auto bad = [&](std::string_view field, std::string code, std::string message) {
    return make_error(std::move(code), std::string(field), std::move(message));
  };
  if (f.size() != column_count) {
    return bad(
        "line", "column_count",
        "expected " + std::to_string(column_count) + " columns, found " + std::to_string(f.size()));
  }
  Line l;
  l.number = number;
  l.reference = f[0];
  l.customer = f[1];
  l.claim_type = f[2];
  if (l.reference.empty()) return bad("source_reference", "field_missing", "empty");
  if (l.customer.empty()) return bad("customer_id", "field_missing", "empty");
  if (!is_claim_type(l.claim_type)) {
    return bad("claim_type", "claim_type_unknown", "unknown claim type '" + l.claim_type + "'");
  }
  const std::string& period = f[3];
  if (period.size() == 7) {
    auto first = Date::parse(period + "-01");
    if (!first) return bad("period", "period_invalid", "not YYYY-MM: " + period);
    l.from = first->to_iso();
    l.to = first->last_of_month().to_iso();
  } else {
    const auto dots = period.find("..");
    auto from = Date::parse(period.substr(0, dots == std::string::npos ? 0 : dots));
    auto to = Date::parse(dots == std::string::npos ? "" : period.substr(dots + 2));
    if (!from || !to || *to < *from) {
      return bad("period", "period_invalid", "not YYYY-MM or YYYY-MM-DD..YYYY-MM-DD: " + period);
    }
    l.from = from->to_iso();
    l.to = to->to_iso();
  }
  l.product = f[4];
  l.text = f[5];
  if (l.product.empty()) return bad("product_code", "field_missing", "empty");
  if (l.text.empty()) return bad("text", "field_missing", "empty");
  l.quantity = with_point(f[6]);
  if (auto q = line_amount_ore(l.quantity, 0, "quantity"); !q) {
    return bad("quantity", q.error().code, q.error().message);
  }
  auto price = common::Decimal::parse(with_point(f[7]), "unit_price");
  if (!price) return bad("unit_price", "amount_invalid", "not a number: '" + f[7] + "'");
  if (!(price->round(2, common::Rounding::down) == *price)) {
    return bad("unit_price", "amount_invalid", "more than two decimals (NOK): " + f[7]);
  }
  try {
    l.unit_price_ore = price->to_ore(common::Rounding::half_up);
  } catch (const std::overflow_error&) {
    return bad("unit_price", "amount_invalid", "out of range");
  }
  l.vat_code = f[8];
  if (l.vat_code.empty()) return bad("vat_code", "field_missing", "empty");
  const std::string& posting = f[9];
  const auto a = posting.find('/');
  const auto b = a == std::string::npos ? a : posting.find('/', a + 1);
  if (b == std::string::npos) {
    return bad("posting", "posting_invalid", "not art/funksjon/ansvar: '" + posting + "'");
  }
  l.art = posting.substr(0, a);
  l.funksjon = posting.substr(a + 1, b - a - 1);
  l.ansvar = posting.substr(b + 1);
  return l;
}

// The basis payload for its lines (all with the same reference, customer, claim type, period).
Result<std::string> payload_of(const std::vector<Line>& lines, std::string_view issuer,
                               const BillingRules& rules) {
  const Line& first = lines.front();
  std::int64_t net = 0;
  std::int64_t vat = 0;
  auto on = Date::parse(first.from);
  for (const Line& l : lines) {
    auto amount = line_amount_ore(l.quantity, l.unit_price_ore, "quantity");
    if (!amount) return amount.error();
    auto code = rules.vat_code(l.vat_code, *on);
    if (!code) return make_error("vat_code_unknown", "vat_code", code.error().message);
    net += *amount;
    vat += (common::Decimal::from_ore(*amount) * code->rate).to_ore(common::Rounding::half_up);
  }
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field_int("avgiftsbelop_ore", vat);
  w.field("claim_type", first.claim_type);
  w.field("customer_id", first.customer);
  w.key("fakturalinjer");
  w.begin_array();
  for (const Line& l : lines) {
    w.begin_object();
    w.field("antall", l.quantity);
    w.field("mva_kode", l.vat_code);
    w.field_int("pris_ore", l.unit_price_ore);
    w.key("vare");
    w.begin_object();
    w.field("kode", l.product);
    w.key("kontering");
    w.begin_object();
    w.field("ansvar", l.ansvar);
    w.field("art", l.art);
    w.field("funksjon", l.funksjon);
    w.end_object();
    w.field("navn", l.text);
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.field("fakturautsteder", issuer);
  w.field_int("nettobelop_ore", net);
  w.field("ordrenummer", first.reference);
  w.key("period");
  w.begin_object();
  w.field("from", first.from);
  w.field("to", first.to);
  w.end_object();
  w.field("source_reference", "csv:" + std::to_string(first.number));
  w.field_int("totalbelop_ore", net + vat);
  w.end_object();
  return out;
}

// The source as an issuer code (fakturautsteder: A-Z, 0-9, _).
std::string issuer_of(std::string_view source) {
  std::string out;
  for (char c : source) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
    if (out.size() == 32) break;
  }
  return out.empty() ? "CSV" : out;
}

}  // namespace

Result<CsvImport> basis_csv_events(std::string_view bytes, std::string_view source,
                                   const events::SchemaRegistry& registry,
                                   const BillingRules& rules) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::vector<std::pair<std::int64_t, std::string_view>> raw;
  std::int64_t number = 0;
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    std::string_view line = bytes.substr(0, nl);
    bytes.remove_prefix(nl == std::string_view::npos ? bytes.size() : nl + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    raw.emplace_back(number, line);
  }
  if (raw.empty()) return make_error("file_invalid", "header", "the file has no header line");
  const auto header = split(raw.front().second);
  if (header.size() != column_count) {
    return make_error("file_invalid", "header",
                      "the header must name the " + std::to_string(column_count) + " columns");
  }
  for (std::size_t i = 0; i < column_count; ++i) {
    if (header[i] != columns[i]) {
      return make_error("file_invalid", "header",
                        "column " + std::to_string(i + 1) + " must be " + std::string(columns[i]));
    }
  }
  CsvImport out;
  const std::string issuer = issuer_of(source);
  // Bases in first-seen order; a basis with a bad line is refused whole.
  std::map<std::string, std::size_t> index;
  std::vector<std::vector<Line>> groups;
  std::vector<std::vector<CsvRefusal>> group_refusals;
  for (std::size_t i = 1; i < raw.size(); ++i) {
    ++out.lines;
    const auto [n, text] = raw[i];
    const auto fields = split(text);
    auto line = parse_line(fields, n);
    // A line that cannot be read cannot be put in its basis: refused alone (its reference, if
    // any, still sinks the basis it names).
    const std::string key = fields.size() >= 4
                                ? fields[0] + "\n" + fields[1] + "\n" + fields[2] + "\n" + fields[3]
                                : "\n#" + std::to_string(n);
    auto [it, added] = index.try_emplace(key, groups.size());
    if (added) {
      groups.emplace_back();
      group_refusals.emplace_back();
    }
    if (!line) {
      group_refusals[it->second].push_back(
          {n, line.error().field, line.error().code, line.error().message, std::string(text)});
    } else {
      line->original = std::string(text);
      groups[it->second].push_back(std::move(line).value());
    }
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto& lines = groups[g];
    auto& refusals = group_refusals[g];
    const auto refuse_rest = [&](const std::string& why) {
      for (const Line& l : lines) {
        out.refused.push_back({l.number, "source_reference", "basis_refused", why, l.original});
      }
    };
    if (!refusals.empty()) {
      for (auto& r : refusals) out.refused.push_back(r);
      refuse_rest("basis refused with line " + std::to_string(refusals.front().line));
      continue;
    }
    auto payload = payload_of(lines, issuer, rules);
    if (!payload) {
      out.refused.push_back({lines.front().number, payload.error().field, payload.error().code,
                             payload.error().message, lines.front().original});
      lines.erase(lines.begin());
      refuse_rest("basis refused with line " + std::to_string(out.refused.back().line));
      continue;
    }
    events::EngineEvent e;
    // The id follows the content: the same file again appends nothing; a changed basis under the
    // same reference is a new event, which the invoicing service refuses (ordrenummer_duplicate).
    e.event_id = events::deterministic_event_id("basis_csv/" + std::string(source) + "/" +
                                                events::sha256_hex(*payload));
    e.type = std::string(invoice_basis_type);
    e.stream = "customer/" + lines.front().customer;
    e.occurred_at = lines.front().from;  // the basis's business time: the period it covers
    e.source = std::string(source);
    e.payload_json = std::move(payload).value();
    auto proposed = events::make_engine_event(registry, e);
    if (!proposed) {
      out.refused.push_back({lines.front().number, proposed.error().field, "schema_violation",
                             proposed.error().message, lines.front().original});
      lines.erase(lines.begin());
      refuse_rest("basis refused with line " + std::to_string(out.refused.back().line));
      continue;
    }
    out.events.push_back(std::move(proposed).value());
    ++out.bases;
  }
  return out;
}

}  // namespace oppgjor::invoicing
