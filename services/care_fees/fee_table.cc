// The caseworker's view of a yearly fee, in Norwegian (USERS.md: amounts "1 234 567,89", dates
// "31.12.2025", the terms vederlag, fribeløp, beregningsgrunnlag). Declared in calc_json.h.
#include <string>
#include <string_view>

#include "services/care_fees/calc_json.h"

namespace oppgjor::care_fees {
namespace {

constexpr std::size_t label_width = 56;
constexpr std::size_t value_width = 16;

std::string_view kind_no(IncomeKind k) {
  switch (k) {
    case IncomeKind::pension:
      return "Pensjon";
    case IncomeKind::benefit:
      return "Trygdeytelse";
    case IncomeKind::earned:
      return "Arbeidsinntekt";
    case IncomeKind::business:
      return "Næringsinntekt";
    case IncomeKind::rental:
      return "Leieinntekt";
    case IncomeKind::interest:
      return "Renteinntekt";
    case IncomeKind::capital_return:
      return "Annen kapitalavkastning";
    case IncomeKind::realisation_gain:
      return "Realisasjonsgevinst";
    case IncomeKind::realisation_loss:
      return "Realisasjonstap";
    case IncomeKind::home_sale_gain:
      return "Gevinst ved salg av egen bolig";
    case IncomeKind::lottery:
      return "Lotterigevinst";
    case IncomeKind::compensation_return:
      return "Avkastning av erstatning for framtidige utgifter";
  }
  return "?";
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (char c : s) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return width;
}

void row(std::string& out, std::string_view label, std::string_view value) {
  out += label;
  const std::size_t used = display_width(label);
  out.append(used < label_width ? label_width - used : 1, ' ');
  const std::size_t value_used = display_width(value);
  if (value_used < value_width) out.append(value_width - value_used, ' ');
  out += value;
  out += '\n';
}

std::string nok(const Decimal& amount) {
  return common::format_nok(amount, 2);
}

// The result `name` of trace step `step`, as an amount ("0" when absent).
Decimal traced(const Trace& trace, std::string_view step, std::string_view name) {
  for (const TraceStep& s : trace.steps) {
    if (s.name != step) continue;
    for (const TraceItem& r : s.results) {
      if (r.name != name) continue;
      auto value = Decimal::parse(r.value);
      if (value) return *value;
    }
  }
  return Decimal();
}

const TraceParameter* first_parameter(const Trace& trace, std::string_view step) {
  for (const TraceStep& s : trace.steps) {
    if (s.name == step && !s.parameters.empty()) return &s.parameters.back();
  }
  return nullptr;
}

void income_rows(std::string& out, const FeeInput& in, bool counted) {
  out += counted ? "Inntekter som regnes med\n" : "Inntekter som ikke regnes med\n";
  for (const IncomeItem& item : in.income) {
    if (is_counted(item.kind) != counted) continue;
    std::string label = "  " + std::string(kind_no(item.kind));
    if (item.joint) label += " (felles, 50 % av " + nok(item.amount_nok) + ")";
    row(out, label,
        nok(item.joint ? item.amount_nok * Decimal::from_scaled(5, 1) : item.amount_nok));
  }
}

void deduction_rows(std::string& out, const YearlyFee& fee, const FeeInput& in) {
  const Trace& t = fee.trace;
  out += "Fradrag\n";
  row(out, "  Skatt som hører til inntekten",
      nok(traced(t, "deductible_tax", "deductible_tax_nok")));
  row(out, "  Gjeldsrenter", nok(traced(t, "debt_interest", "debt_interest_nok")));
  row(out, "  Forsørgerfradrag (ektefelle/samboer hjemme, barn)",
      nok(traced(t, "dependant_deduction", "dependant_deduction_nok")));
  for (const DiscretionaryDeduction& d : in.discretionary_deductions) {
    row(out, "  Skjønnsmessig fradrag: " + d.reason, nok(d.amount_nok));
  }
  if (fee.days_covered == fee.days_in_year) {
    row(out, "Beregningsgrunnlag", nok(fee.basis_nok));
    return;
  }
  row(out,
      "Beregningsgrunnlag " + covered_first(in).to_norwegian() + "–" +
          covered_last(in).to_norwegian() + " (" + std::to_string(fee.days_covered) + " dager)",
      nok(fee.basis_covered_nok));
  row(out,
      "Beregningsgrunnlag omregnet til helt år (× " + std::to_string(fee.days_in_year) + " / " +
          std::to_string(fee.days_covered) + ")",
      nok(fee.basis_nok));
}

void parameter_rows(std::string& out, const YearlyFee& fee, const FeeInput& in) {
  const TraceParameter* g = first_parameter(fee.trace, "grunnbelop");
  const TraceParameter* f = first_parameter(fee.trace, "fribelop");
  row(out,
      "Grunnbeløp (G)" +
          (g ? ", i kraft fra " + common::norwegian_date_or_text(g->effective_from) : ""),
      nok(fee.grunnbelop_nok));
  row(out,
      std::string(in.double_room_involuntary ? "Fribeløp ved dobbeltrom " : "Fribeløp ") +
          std::to_string(fee.year) +
          (f ? ", i kraft fra " + common::norwegian_date_or_text(f->effective_from) : ""),
      nok(fee.fribelop_nok));
}

void fee_rows(std::string& out, const YearlyFee& fee) {
  row(out, "Vederlag etter 75 %/85 %-regelen", nok(fee.fee_raw_nok));
  row(out, "Til eget bruk (minst 25 % av G + fordelen av fribeløpet)", nok(fee.keep_nok));
  row(out, "Kostnadstak (reelle oppholdsutgifter)",
      fee.cost_cap_year_nok ? nok(*fee.cost_cap_year_nok) : "ikke brukt");
  row(out, "Vederlag per år (rundet ned til hele kroner)", nok(fee.fee_year_nok));
  row(out, "Vederlag per måned (1/12)", nok(fee.fee_month_nok));
  static constexpr std::string_view months[] = {"jan", "feb", "mar", "apr", "mai", "jun",
                                                "jul", "aug", "sep", "okt", "nov", "des"};
  out += "Fakturabeløp per måned for et helt år (hele kroner):\n ";
  for (std::size_t m = 0; m < fee.monthly_charges_nok.size() && m < 12; ++m) {
    // Appended piece by piece: `" " + std::string(…)` makes g++ 12 at -O3 report a false
    // -Wrestrict (GCC bug 105329) that fails the Release build.
    out += ' ';
    out += months[m];
    out += ' ';
    out += common::format_nok(fee.monthly_charges_nok[m], 0);
  }
  out += "\n";
}

void uncertainty_rows(std::string& out, const Trace& trace) {
  for (const TraceStep& s : trace.steps) {
    for (const TraceParameter& p : s.parameters) {
      if (!p.uncertain && !p.example) continue;
      out += "Merk: " + p.name + " fra " + common::norwegian_date_or_text(p.effective_from) + " (" +
             p.value + ") er " +
             (p.example ? "eksempeldata uten kilde" : "markert som usikker i regeldataene") + "\n";
    }
  }
}

}  // namespace

std::string yearly_fee_to_table(const YearlyFee& fee, const FeeInput& in) {
  std::string out = "Vederlag for langtidsopphold – beregning for " + std::to_string(fee.year) +
                    "\nRegelversjon: " + fee.trace.rule_version + " (" +
                    fee.trace.calculation_version + ")\nRegelvalg:";
  for (const TraceItem& o : fee.trace.options) out += " " + o.name + "=" + o.value;
  out += "\n\n";
  income_rows(out, in, true);
  income_rows(out, in, false);
  deduction_rows(out, fee, in);
  out += "\n";
  parameter_rows(out, fee, in);
  fee_rows(out, fee);
  if (!fee.cost_cap_year_nok) {
    out +=
        "Merk: intet kostnadstak er brukt – verken tak, tak for institusjonen eller "
        "institusjonstype er oppgitt\n";
  }
  uncertainty_rows(out, fee.trace);
  return out;
}

}  // namespace oppgjor::care_fees
