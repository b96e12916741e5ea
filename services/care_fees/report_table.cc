// The control-recalculation report as a Norwegian table for caseworkers and approvers
// (recalc.h, report_table): totals first, then per resident the changed inputs and the months.
// Amounts "1 234,00", dates "31.12.2025", terms vederlag, fribeløp, etteroppgjør.
#include <map>

#include "common/mask.h"
#include "services/care_fees/recalc.h"
#include "services/care_fees/report_format.h"
#include "services/care_fees/resident_fees.h"

namespace oppgjor::care_fees {
namespace {

// The day of a date or a timestamp ("2025-12-31T…" → "31.12.2025"); other text as it is.
std::string day_no(const std::string& iso) {
  auto d = Date::parse(iso.substr(0, std::min<std::size_t>(iso.size(), 10)));
  return d ? d->to_norwegian() : iso;
}

std::string nok(std::int64_t ore) {
  return fmt::norwegian(ore);
}

std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string pad(std::string s, std::size_t w, bool right = false) {
  const std::size_t n = width(s);
  if (n >= w) return s;
  return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

const std::map<std::string, std::string>& labels() {
  static const std::map<std::string, std::string> m = {
      {"income.pension", "pensjon"},
      {"income.benefit", "trygdeytelser"},
      {"income.earned", "arbeidsinntekt"},
      {"income.business", "næringsinntekt"},
      {"income.rental", "leieinntekt"},
      {"income.interest", "renteinntekter"},
      {"income.capital_return", "annen kapitalavkastning"},
      {"income.realisation_gain", "realisasjonsgevinst (regnes ikke med)"},
      {"income.realisation_loss", "realisasjonstap (regnes ikke med)"},
      {"income.home_sale_gain", "gevinst ved salg av bolig (regnes ikke med)"},
      {"income.lottery", "lotterigevinst (regnes ikke med)"},
      {"income.compensation_return", "avkastning av erstatning (regnes ikke med)"},
      {"deduction.tax", "skatt"},
      {"deduction.wealth_tax", "formuesskatt"},
      {"deduction.tax_on_excluded_gains", "skatt på gevinster som ikke regnes med"},
      {"deduction.tax_effect_of_excluded_losses", "skatteeffekt av tap som ikke regnes med"},
      {"deduction.debt_interest", "gjeldsrenter"},
      {"spouse_at_home.assumed_survivor_pension", "tenkt etterlattepensjon"},
      {"spouse_at_home.own_income", "ektefellens egen inntekt"},
      {"discretionary_deductions", "skjønnsmessige fradrag"},
      {"care_fees.grunnbelop_nok", "G (grunnbeløp)"},
      {"care_fees.fribelop_nok", "fribeløp"},
      {"basis_nok", "beregningsgrunnlag"},
      {"fee_year_nok", "vederlag per år"},
  };
  return m;
}

// "260000.00" -> "260 000,00"; "124028 (2024-05-01)" -> "124 028,00 fra 01.05.2024".
std::string value_no(const std::string& v) {
  const auto open = v.find(" (");
  const std::string number = open == std::string::npos ? v : v.substr(0, open);
  auto d = Decimal::parse(number);
  if (!d) return v;
  std::string out = common::format_nok(*d);
  if (open != std::string::npos && v.size() > open + 2) {
    out += " fra " + day_no(v.substr(open + 2, v.size() - open - 3));
  }
  return out;
}

std::string status_no(ResidentStatus status) {
  switch (status) {
    case ResidentStatus::waiting_for_final_assessment:
      return "venter på endelig skatteoppgjør";
    case ResidentStatus::error:
      return "feil";
    case ResidentStatus::ok:
      break;
  }
  return "beregnet";
}

void totals_block(std::string& out, const RecalcReport& r) {
  const ReportTotals& t = r.totals;
  const auto line = [&](std::string_view label, const std::string& value) {
    out += "  " + pad(std::string(label), 44) + pad(value, 16, true) + "\n";
  };
  out += "Totalt\n";
  line("Beboere i kjøringen", std::to_string(t.residents));
  line("Med etteroppgjør", std::to_string(t.with_correction));
  line("  tilbakebetaling (kreditnota)", std::to_string(t.refunds));
  line("  etterfakturering (faktura)", std::to_string(t.extra_charges));
  line("Venter på endelig skatteoppgjør", std::to_string(t.waiting));
  line("Feil", std::to_string(t.errors));
  line("Sum tilbakebetaling", nok(t.refund_ore));
  line("Sum etterfakturering", nok(t.extra_charge_ore));
  out += "  Største endringer:";
  if (t.largest.empty()) out += " ingen";
  for (std::size_t i = 0; i < t.largest.size(); ++i) {
    out += std::string(i == 0 ? " " : "; ") + t.largest[i].first + " " + nok(t.largest[i].second);
  }
  out += "\n";
}

void months_block(std::string& out, const ResidentReport& r) {
  const bool known = r.status == ResidentStatus::ok;
  out += "  " + pad("Måned", 11) + pad("Fakturert", 14, true) + pad("Skal betales", 15, true) +
         pad("Differanse", 14, true) + "  Hvorfor\n";
  for (const MonthRow& m : r.months) {
    out += "  " + pad(std::string(month_name_no(m.month)), 11) + pad(nok(m.charged_ore), 14, true) +
           pad(known ? nok(m.due_ore) : "-", 15, true) +
           pad(known ? nok(m.difference_ore()) : "-", 14, true) + "  " + month_why_no(m) + "\n";
  }
  out += "  " + pad("Sum", 11) + pad(nok(r.charged_ore), 14, true) +
         pad(known ? nok(r.due_ore) : "-", 15, true) +
         pad(known ? nok(r.difference_ore()) : "-", 14, true) + "  ";
  const std::int64_t d = r.difference_ore();
  out += d < 0 ? "tilbakebetaling (kreditnota)" : d > 0 ? "etterfakturering" : "";
  out += "\n";
}

// Each district's part when more than one was responsible in the year (district_split.h).
void districts_block(std::string& out, const ResidentReport& r) {
  if (r.districts.size() < 2) return;
  const bool known = r.status == ResidentStatus::ok;
  for (const DistrictReport& d : r.districts) {
    out += "  Bydel " + (d.district.empty() ? std::string("(ingen)") : d.district) +
           ": fakturert " + nok(d.charged_total_ore()) +
           (known ? ", skal betales " + nok(d.due_total_ore()) + ", differanse " +
                        nok(d.difference_ore())
                  : std::string()) +
           " (";
    bool first = true;
    for (unsigned m = 1; m <= 12; ++m) {
      if (d.charged_ore[m - 1] == 0 && d.due_ore[m - 1] == 0) continue;
      out += std::string(first ? "" : "; ") + std::string(month_name_no(m)) + " " +
             nok(d.charged_ore[m - 1]) + (known ? " → " + nok(d.due_ore[m - 1]) : "");
      first = false;
    }
    out += ")\n";
  }
}

void resident_block(std::string& out, const ResidentReport& r) {
  out += "\n" + r.customer_id + (r.district.empty() ? "" : " (" + r.district + ")") + ": " +
         status_no(r.status);
  if (!r.final_received.empty()) {
    out += ", endelig skatteoppgjør mottatt " + day_no(r.final_received);
  }
  out += "\n";
  if (r.error) {
    out += "  " + r.error->code + " (" + r.error->field +
           "): " + common::mask_personal_ids(r.error->message) + "\n";
  }
  if (r.fee_year_nok)
    out += "  Vederlag per år (endelig): " + common::format_nok(*r.fee_year_nok) + "\n";
  for (const WhyItem& w : r.why) out += "  Endret: " + why_text_no(w) + "\n";
  districts_block(out, r);
  months_block(out, r);
}

}  // namespace

std::string why_text_no(const WhyItem& w) {
  const auto it = labels().find(w.what);
  const std::string label = it == labels().end() ? w.what : it->second;
  return label + " " + value_no(w.from) + " → " + value_no(w.to);
}

std::string month_why_no(const MonthRow& m) {
  std::string out;
  for (const std::string& code : m.why) {
    std::string text = code;
    if (code == "not_billed") text = "ikke fakturert";
    if (code == "corrected_before") text = "korrigert tidligere";
    if (code == "fee_year_changed") text = "vederlag per år endret";
    if (code == "rounding") text = "avrunding";
    if (code == "stays_changed") {
      text = "opphold endret (fakturert " + std::to_string(m.days_billed) + " døgn, skal betales " +
             std::to_string(m.days_due) + ")";
    }
    out += (out.empty() ? "" : ", ") + text;
  }
  return out;
}

std::string report_table(const RecalcReport& report) {
  std::string out;
  out.reserve(report.residents.size() * 13 * 120 + 4096);
  out += "Kontrollberegning av vederlag (etteroppgjør) for " + std::to_string(report.run.year) +
         " – " + (report.run.district.empty() ? "alle bydeler" : report.run.district) + "\n";
  out += "Kjøring " + report.run.run_id + ", startet av " + report.run.started_by +
         ", grunnlag: hendelseslogg til og med nr. " + std::to_string(report.run.as_of_sequence) +
         "\n";
  out += "Regelverk " + report.rule_version +
         "; beløp i kroner; differanse = skal betales − fakturert (negativ: tilbakebetaling)\n\n";
  totals_block(out, report);
  for (const ResidentReport& r : report.residents) resident_block(out, r);
  return out;
}

}  // namespace oppgjor::care_fees
