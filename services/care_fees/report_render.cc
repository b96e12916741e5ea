// Renderings of the control-recalculation report (recalc.h): JSON for machines (hashed on
// approval), a Norwegian table for people, CSV for Excel with Norwegian settings and plain CSV.
// Every function is a pure, deterministic function of the report.
#include <cstdio>
#include <initializer_list>
#include <map>
#include <string_view>
#include <thread>

#include "common/mask.h"
#include "events/canonical_json.h"
#include "services/care_fees/recalc.h"
#include "services/care_fees/report_format.h"
#include "services/care_fees/resident_fees.h"
#include "services/care_fees/trace.h"

namespace oppgjor::care_fees {
namespace {

using events::append_json_string;

std::string nok_plain(std::int64_t ore) {
  return fmt::plain(ore);
}
std::string nok_excel(std::int64_t ore) {
  return fmt::excel(ore);
}

std::string correction_kind(std::int64_t difference_ore) {
  return difference_ore < 0 ? "refund" : difference_ore > 0 ? "extra_charge" : "none";
}

// ---- JSON

struct Json {
  std::string out;
  void key(std::string_view k) {
    append_json_string(k, out);
    out += ':';
  }
  void str(std::string_view k, std::string_view v) {
    key(k);
    append_json_string(v, out);
    out += ',';
  }
  void num(std::string_view k, std::int64_t v) {
    key(k);
    out += std::to_string(v);
    out += ',';
  }
  void close(char c) {
    if (out.back() == ',') out.pop_back();
    out += c;
  }
};

void json_error(Json& j, const std::optional<Error>& e) {
  j.key("error");
  if (!e) {
    j.out += "null,";
    return;
  }
  j.out += '{';
  j.str("code", e->code);
  j.str("field", e->field);
  j.str("message", common::mask_personal_ids(e->message));
  j.close('}');
  j.out += ',';
}

void json_why(Json& j, const std::vector<WhyItem>& why) {
  j.key("why");
  j.out += '[';
  for (const WhyItem& w : why) {
    j.out += '{';
    j.str("code", w.code);
    j.str("what", w.what);
    j.str("from", w.from);
    j.str("to", w.to);
    j.close('}');
    j.out += ',';
  }
  j.close(']');
  j.out += ',';
}

void maybe(Json& j, std::string_view k, bool known, std::int64_t ore) {
  if (known) return j.str(k, nok_plain(ore));
  j.key(k);
  j.out += "null,";
}

// `known`: the resident's due was computed (status ok); otherwise due and difference are null.
void json_month(Json& j, int year, const MonthRow& m, bool known) {
  j.out += "\n      {";
  j.str("month", common::year_month_text(year, m.month));
  j.str("charged_nok", nok_plain(m.charged_ore));
  maybe(j, "due_nok", known, m.due_ore);
  maybe(j, "difference_nok", known, m.difference_ore());
  j.key("days_billed");
  j.out += m.days_billed < 0 ? "null," : std::to_string(m.days_billed) + ",";
  j.num("days_due", m.days_due);
  j.key("why");
  j.out += '[';
  for (const std::string& w : m.why) {
    append_json_string(w, j.out);
    j.out += ',';
  }
  j.close(']');
  j.out += '}';
  j.out += ',';
}

// Each district's part, when more than one district was responsible in the year (district_split.h):
// its sums and its months with an amount.
void json_districts(Json& j, int year, const ResidentReport& r, bool known) {
  if (r.districts.size() < 2) return;
  j.key("districts");
  j.out += '[';
  for (const DistrictReport& d : r.districts) {
    j.out += "\n      {";
    j.str("district", d.district);
    j.str("charged_nok", nok_plain(d.charged_total_ore()));
    maybe(j, "due_nok", known, d.due_total_ore());
    maybe(j, "difference_nok", known, d.difference_ore());
    j.key("months");
    j.out += '[';
    for (unsigned m = 1; m <= 12; ++m) {
      if (d.charged_ore[m - 1] == 0 && d.due_ore[m - 1] == 0) continue;
      j.out += '{';
      j.str("month", common::year_month_text(year, m));
      j.str("charged_nok", nok_plain(d.charged_ore[m - 1]));
      maybe(j, "due_nok", known, d.due_ore[m - 1]);
      maybe(j, "difference_nok", known, d.due_ore[m - 1] - d.charged_ore[m - 1]);
      j.close('}');
      j.out += ',';
    }
    j.close(']');
    j.close('}');
    j.out += ',';
  }
  j.close(']');
  j.out += ',';
}

void json_resident(Json& j, int year, const ResidentReport& r) {
  j.out += "\n    {";
  j.str("customer_id", r.customer_id);
  j.str("district", r.district);
  j.str("status", to_string(r.status));
  json_error(j, r.error);
  j.str("final_income_event_id", r.final_income_event_id);
  j.str("final_received", r.final_received);
  j.str("provisional_income_event_id", r.provisional_income_event_id);
  j.key("fee_year_nok");
  if (r.fee_year_nok) {
    append_json_string(amount_string(*r.fee_year_nok), j.out);
    j.out += ',';
  } else {
    j.out += "null,";
  }
  j.str("charged_nok", nok_plain(r.charged_ore));
  const bool known = r.status == ResidentStatus::ok;
  maybe(j, "due_nok", known, r.due_ore);
  maybe(j, "difference_nok", known, r.difference_ore());
  j.str("correction", correction_kind(r.difference_ore()));
  json_why(j, r.why);
  json_districts(j, year, r, known);
  j.key("months");
  j.out += '[';
  for (const MonthRow& m : r.months) json_month(j, year, m, known);
  j.close(']');
  j.close('}');
  j.out += ',';
}

void json_totals(Json& j, const ReportTotals& t) {
  j.key("totals");
  j.out += '{';
  j.num("residents", t.residents);
  j.num("with_correction", t.with_correction);
  j.num("refunds", t.refunds);
  j.num("extra_charges", t.extra_charges);
  j.num("waiting_for_final_assessment", t.waiting);
  j.num("errors", t.errors);
  j.str("refund_nok", nok_plain(t.refund_ore));
  j.str("extra_charge_nok", nok_plain(t.extra_charge_ore));
  j.key("largest_changes");
  j.out += '[';
  for (const auto& [id, d] : t.largest) {
    j.out += '{';
    j.str("customer_id", id);
    j.str("difference_nok", nok_plain(d));
    j.close('}');
    j.out += ',';
  }
  j.close(']');
  j.close('}');
  j.out += ',';
}

}  // namespace

// Rough bytes per resident in each rendering, to reserve the output once (a large run's report is
// tens of megabytes; growing it by doubling costs copies and page faults).
constexpr std::size_t bytes_per_resident = 13 * 200;

std::string report_json(const RecalcReport& report) {
  Json j;
  j.out.reserve(report.residents.size() * bytes_per_resident + 4096);
  j.out = "{\n  ";
  j.str("report", "care_fees.control_recalculation");
  j.num("report_version", 1);
  j.str("run_id", report.run.run_id);
  j.num("year", report.run.year);
  j.str("district", report.run.district);
  j.num("as_of_sequence", report.run.as_of_sequence);
  j.str("started_by", report.run.started_by);
  j.str("rule_version", report.rule_version);
  j.out += "\n  ";
  json_totals(j, report.totals);
  j.out += "\n  ";
  j.key("residents");
  j.out += '[';
  for (const ResidentReport& r : report.residents) json_resident(j, report.run.year, r);
  j.close(']');
  j.out += "\n";
  j.out += '}';
  j.out += '\n';
  return j.out;
}

// ---- CSV

namespace {

void csv_field(std::string_view v, char sep, std::string& out) {
  bool quote = false;
  for (char c : v) quote = quote || c == sep || c == '"' || c == '\n' || c == '\r';
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

void join(std::string& out, std::initializer_list<std::string_view> fields, char sep) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += sep;
    first = false;
    csv_field(f, sep, out);
  }
  out += "\r\n";
}

std::string codes(const std::vector<std::string>& why) {
  std::string out;
  for (const std::string& w : why) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string why_codes(const std::vector<WhyItem>& why) {
  std::string out;
  for (const WhyItem& w : why) {
    out += (out.empty() ? "" : "; ") + w.what + " " + w.from + " -> " + w.to;
  }
  return out;
}

}  // namespace

std::string report_csv(const RecalcReport& report) {
  std::string out;
  out.reserve(report.residents.size() * bytes_per_resident + 4096);
  join(out,
       {"run_id", "year", "customer_id", "district", "status", "month", "charged_nok", "due_nok",
        "difference_nok", "days_billed", "days_due", "why", "resident_why"},
       ',');
  const std::string run_id = report.run.run_id;
  const std::string year = std::to_string(report.run.year);
  for (const ResidentReport& r : report.residents) {
    const bool ok = r.status == ResidentStatus::ok;
    for (const MonthRow& m : r.months) {
      join(out,
           {run_id, year, r.customer_id, r.district, to_string(r.status),
            common::year_month_text(report.run.year, m.month), nok_plain(m.charged_ore),
            ok ? nok_plain(m.due_ore) : "", ok ? nok_plain(m.difference_ore()) : "",
            m.days_billed < 0 ? "" : std::to_string(m.days_billed), std::to_string(m.days_due),
            codes(m.why), ""},
           ',');
    }
    join(out,
         {run_id, year, r.customer_id, r.district, to_string(r.status), year,
          nok_plain(r.charged_ore), ok ? nok_plain(r.due_ore) : "",
          ok ? nok_plain(r.difference_ore()) : "", "", "", r.error ? r.error->code : "",
          why_codes(r.why)},
         ',');
    // Each district's part of the year when more than one was responsible (district_split.h):
    // status district_part, the district in `district`; the parts sum to the row above.
    if (!ok || r.districts.size() < 2) continue;
    for (const DistrictReport& d : r.districts) {
      join(out,
           {run_id, year, r.customer_id, d.district, "district_part", year,
            nok_plain(d.charged_total_ore()), nok_plain(d.due_total_ore()),
            nok_plain(d.difference_ore()), "", "", "", ""},
           ',');
    }
  }
  return out;
}

std::string report_csv_excel(const RecalcReport& report) {
  std::string out;
  out.reserve(report.residents.size() * bytes_per_resident + 4096);
  out += "\xEF\xBB\xBF";
  join(out,
       {"kjøring", "år", "kunde", "bydel", "status", "måned", "fakturert", "skal betales",
        "differanse", "hvorfor", "endrede opplysninger"},
       ';');
  const std::string run_id = report.run.run_id;
  const std::string year = std::to_string(report.run.year);
  for (const ResidentReport& r : report.residents) {
    const bool ok = r.status == ResidentStatus::ok;
    for (const MonthRow& m : r.months) {
      join(out,
           {run_id, year, r.customer_id, r.district, to_string(r.status),
            std::string(month_name_no(m.month)), nok_excel(m.charged_ore),
            ok ? nok_excel(m.due_ore) : "", ok ? nok_excel(m.difference_ore()) : "",
            month_why_no(m), ""},
           ';');
    }
    std::string resident_why = r.error ? r.error->code : "";
    for (const WhyItem& w : r.why)
      resident_why += (resident_why.empty() ? "" : "; ") + why_text_no(w);
    join(out,
         {run_id, year, r.customer_id, r.district, to_string(r.status), "hele året",
          nok_excel(r.charged_ore), ok ? nok_excel(r.due_ore) : "",
          ok ? nok_excel(r.difference_ore()) : "", "", resident_why},
         ';');
    if (!ok || r.districts.size() < 2) continue;
    for (const DistrictReport& d : r.districts) {
      join(out,
           {run_id, year, r.customer_id, d.district, "bydelens del", "hele året",
            nok_excel(d.charged_total_ore()), nok_excel(d.due_total_ore()),
            nok_excel(d.difference_ore()), "", ""},
           ';');
    }
  }
  return out;
}

ReportFiles render_report(const RecalcReport& report) {
  ReportFiles f;
  std::thread table([&] { f.table = report_table(report); });
  std::thread excel([&] { f.excel_csv = report_csv_excel(report); });
  std::thread csv([&] { f.csv = report_csv(report); });
  f.json = report_json(report);
  table.join();
  excel.join();
  csv.join();
  return f;
}

}  // namespace oppgjor::care_fees
