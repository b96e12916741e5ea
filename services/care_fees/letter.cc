// The decision letter (letter.h).
#include "services/care_fees/letter.h"

#include <simdjson.h>

#include <cstdio>
#include <string_view>
#include <utility>

#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "services/care_fees/decisions.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

using simdjson::dom::element;

constexpr std::size_t letter_label_width = 52;

std::string kr(std::string_view amount) {
  auto d = Decimal::parse(amount);
  return d ? "kr " + common::format_nok(*d) : std::string(amount);
}

// "label ......... value" with the value aligned (UTF-8 letters counted once).
std::string row(std::string_view label, std::string_view value) {
  std::size_t shown = 0;
  for (unsigned char c : label) shown += (c & 0xC0) != 0x80 ? 1 : 0;
  std::string out = "  " + std::string(label);
  out.append(shown < letter_label_width ? letter_label_width - shown : 1, ' ');
  return out + std::string(value) + "\n";
}

constexpr std::pair<std::string_view, std::string_view> names_no[] = {
    {"pension", "pensjon"},
    {"benefit", "trygdeytelser"},
    {"earned", "arbeidsinntekt"},
    {"business", "næringsinntekt"},
    {"rental", "leieinntekt"},
    {"interest", "renteinntekter"},
    {"capital_return", "annen kapitalavkastning"},
    {"realisation_gain", "realisasjonsgevinst (regnes ikke med)"},
    {"realisation_loss", "realisasjonstap (regnes ikke med)"},
    {"home_sale_gain", "gevinst ved salg av egen bolig (regnes ikke med)"},
    {"lottery", "lotterigevinst (regnes ikke med)"},
    {"compensation_return", "avkastning av erstatning (regnes ikke med)"},
    {"tax", "skatt"},
    {"wealth_tax", "formuesskatt (trekkes ikke fra)"},
    {"tax_on_excluded_gains", "skatt på gevinster som ikke regnes med"},
    {"tax_effect_of_excluded_losses", "skatteeffekt av tap som ikke regnes med"},
    {"debt_interest", "gjeldsrenter"},
    {"counted_income_nok", "Inntekter som regnes med"},
    {"excluded_income_nok", "Inntekter som ikke regnes med"},
    {"deductible_tax_nok", "Skatt som trekkes fra"},
    {"debt_interest_nok", "Gjeldsrenter"},
    {"dependant_deduction_nok", "Forsørgerfradrag"},
    {"discretionary_deductions_nok", "Skjønnsmessige fradrag"},
    {"basis_before_floor_nok", "Grunnlag (før nedre grense 0)"},
    {"basis_nok", "Beregningsgrunnlag"},
    {"annualisation_factor", "Omregning til helt år (faktor)"},
    {"grunnbelop_nok", "Grunnbeløpet (G)"},
    {"fribelop_nok", "Fribeløpet"},
    {"income_up_to_g_after_fribelop_nok", "Inntekt opp til G etter fribeløpet"},
    {"income_above_g_nok", "Inntekt over G"},
    {"fee_raw_nok", "Vederlag etter 75/85 %-regelen"},
    {"keep_nok", "Beløp du alltid beholder (eget bruk)"},
    {"cost_cap_applied", "Kostnadstak brukt"},
    {"cost_cap_year_nok", "Kostnadstak"},
    {"fee_exact_nok", "Vederlag før avrunding"},
    {"fee_year_nok", "Vederlag per år"},
    {"fee_month_nok", "Vederlag per måned"},
};

std::string name_no(std::string_view code) {
  for (const auto& [c, n] : names_no) {
    if (c == code) return std::string(n);
  }
  return std::string(code);
}

std::string value_no(std::string_view name, std::string_view value) {
  if (value == "yes") return "ja";
  if (value == "no") return "nei";
  if (value == "none") return "ingen";
  if (name.size() > 4 && name.substr(name.size() - 4) == "_nok") return kr(value);
  return std::string(value);
}

std::string kind_no(std::string_view kind) {
  if (kind == "provisional_fee") return "foreløpig vederlag";
  if (kind == "fee_changed") return "endret vederlag";
  if (kind == "recalculation_correction") return "kontrollberegning (etteroppgjør)";
  return "vedtak i klagesak";
}

void decision_section(std::string& out, element d) {
  const std::string kind = events::text_or(d, "kind");
  const std::string year = std::to_string(d["year"].get_int64().value_unsafe());
  out += "\nVedtak\n";
  if (kind == "appeal_decision") {
    const std::string outcome = events::text_or(d, "outcome");
    out += "Klagen din (" + events::text_or(d, "appeal_id") + ") på vedtak " +
           events::text_or(d, "appealed_decision_id") + " er behandlet. Resultat: " +
           (outcome == "upheld"    ? "vedtaket opprettholdes."
            : outcome == "changed" ? "vedtaket endres."
                                   : "klagen avvises.") +
           "\nBegrunnelse: " + events::text_or(d, "outcome_reason") + "\n";
  }
  out += "Du skal betale " + kr(events::text_or(d, "monthly_amount_nok")) +
         " per måned i vederlag for langtidsopphold i institusjon i " + year + " (" +
         kr(events::text_or(d, "fee_year_nok")) + " for et helt år), fra " +
         common::norwegian_date_or_text(events::text_or(d, "effective_from")) +
         ". Måneder med færre dager i institusjon betales " + "for dagene du har vært der.\n";
  if (const std::string prev = events::text_or(d, "previous_decision_id");
      !prev.empty() && kind != "appeal_decision") {
    out += "Dette vedtaket erstatter vedtak " + prev + " fra den datoen.\n";
  }
  std::int64_t correction = 0;
  if (d["correction_ore"].get(correction) == simdjson::SUCCESS) {
    const std::string amount =
        kr(Decimal::from_ore(correction < 0 ? -correction : correction).to_string(2));
    out += "Vederlaget for " + year + " er beregnet på nytt med det endelige skatteoppgjøret. " +
           (correction < 0 ? "Du har betalt for mye og får tilbake " + amount + "."
                           : "Du har betalt for lite og må betale " + amount + " i tillegg.") +
           "\n";
  }
}

void legal_section(std::string& out, element d) {
  out += "\nHjemmel\n";
  element list;
  if (d["legal_basis"].get(list) != simdjson::SUCCESS) return;
  for (element l : list.get_array()) {
    out += "- " + events::text_or(l, "reference") + ": " + events::text_or(l, "text") + ".\n";
  }
}

void basis_section(std::string& out, element d) {
  element b;
  if (d["basis"].get(b) != simdjson::SUCCESS) return;
  out += "\nOpplysninger vi har lagt til grunn\n";
  const std::string status = events::text_or(b, "income_status");
  out += "Inntektsopplysninger: " +
         std::string(status == "final"         ? "endelig skatteoppgjør"
                     : status == "provisional" ? "foreløpige opplysninger"
                                               : "ingen") +
         (events::text_or(b, "income_event_id").empty()
              ? ""
              : " (hendelse " + events::text_or(b, "income_event_id") + ")") +
         "\n";
  const auto items = [&](std::string_view key, std::string_view heading) {
    element a;
    if (b[key].get(a) != simdjson::SUCCESS || a.get_array().size() == 0) return;
    out += std::string(heading) + ":\n";
    for (element i : a.get_array()) {
      bool joint = false;
      if (i["joint"].get(joint) != simdjson::SUCCESS) joint = false;
      std::string label = key == "discretionary_deductions" ? events::text_or(i, "reason")
                                                            : name_no(events::text_or(i, "kind"));
      if (joint) label += " (felles med ektefelle, 50 % regnes med)";
      out += row(label, kr(events::text_or(i, "amount_nok")));
    }
  };
  items("income", "Inntekter");
  items("deductions", "Fradrag");
  items("discretionary_deductions", "Skjønnsmessige fradrag");
}

void calculation_section(std::string& out, element d) {
  element c;
  if (d["calculation"].get(c) != simdjson::SUCCESS || !c.is_object() ||
      events::text_or(c, "fee_year_nok").empty()) {
    return;
  }
  out += "\nBeregningen\n";
  out += row("Beregningsgrunnlag (B)", kr(events::text_or(c, "basis_nok")));
  out += row("Grunnbeløpet (G) fra " +
                 common::norwegian_date_or_text(events::text_or(c, "grunnbelop_from")),
             kr(events::text_or(c, "grunnbelop_nok")));
  out += row(
      "Fribeløpet (F) fra " + common::norwegian_date_or_text(events::text_or(c, "fribelop_from")),
      kr(events::text_or(c, "fribelop_nok")));
  out +=
      row("75 % av (B opp til G − F) + 85 % av (B over G)", kr(events::text_or(c, "fee_raw_nok")));
  out += row("Beløp du alltid beholder (0,25 G + 0,75 F)", kr(events::text_or(c, "keep_nok")));
  out += row("B minus det du beholder", kr(events::text_or(c, "fee_floor_nok")));
  const std::string cap = events::text_or(c, "cost_cap_year_nok");
  out += row("Kostnadstak (det plassen koster)", cap.empty() ? "ikke brukt" : kr(cap));
  out += row("Vederlag per år (det laveste, rundet ned)", kr(events::text_or(c, "fee_year_nok")));
  out += row("Vederlag per måned (per år / 12)", kr(events::text_or(c, "fee_month_nok")));
  element steps;
  if (c["steps"].get(steps) != simdjson::SUCCESS) return;
  out += "Trinn for trinn (fra sporingen, regelverk " + events::text_or(c, "rule_version") + "):\n";
  int n = 0;
  for (element s : steps.get_array()) {
    element results;
    if (s["results"].get(results) != simdjson::SUCCESS) continue;
    for (element r : results.get_array()) {
      const std::string name = events::text_or(r, "name");
      if (name == "full_year_monthly_charges_nok") continue;
      out += row(std::to_string(++n) + ". " + name_no(name),
                 value_no(name, events::text_or(r, "value")));
    }
  }
}

void appeal_section(std::string& out, element d, const DecisionRecord& rec,
                    const CareFeesState& state) {
  if (events::text_or(d, "kind") == "appeal_decision") {
    out +=
        "\nDette vedtaket kan ikke påklages\nVedtak i en klagesak er endelig "
        "(forvaltningsloven § 28 tredje ledd). Du har rett til å se dokumentene i saken "
        "(forvaltningsloven § 18).\n";
    return;
  }
  element a;
  std::string to = appeal_body_no();
  std::string send = appeal_send_to_no();
  if (d["appeal"].get(a) == simdjson::SUCCESS) {
    to = events::text_or(a, "appeal_to");
    send = events::text_or(a, "send_to");
  }
  out += "\nDu har rett til å klage\n";
  out +=
      "Du kan klage på dette vedtaket innen tre uker fra du mottok dette brevet "
      "(forvaltningsloven § 29). ";
  if (rec.delivered_on && rec.appeal_deadline) {
    out += "Brevet kom fram til deg " + rec.delivered_on->to_norwegian() +
           ", så klagefristen går ut " + rec.appeal_deadline->to_norwegian() + ". ";
  }
  out +=
      "Faller siste dag på en lørdag, søndag eller helligdag, kan du klage til og med "
      "neste virkedag.\n";
  out += "Send klagen til " + send + ". Den behandles av " + to +
         " hvis vi ikke selv endrer vedtaket. Skriv hvilket vedtak du klager på (" +
         events::text_or(d, "decision_id") +
         "), hva du ønsker endret og hvorfor, og skriv under (forvaltningsloven § 32). "
         "Klager du for sent, kan klagen likevel bli behandlet hvis det er grunn til det "
         "(forvaltningsloven § 31).\n";
  out += "Du har rett til å se dokumentene i saken (forvaltningsloven § 18).\n";
  out +=
      "Vederlaget faktureres som vanlig mens klagen behandles, men vi stanser purring og "
      "inkasso av fakturaene for " +
      std::to_string(rec.year) +
      " (den omtvistede delen) til klagen er avgjort. Avgjørelsen kommer som et nytt vedtak.\n";
  for (const std::string& id : rec.appeal_ids) {
    const auto it = state.decisions.appeals.find(id);
    if (it == state.decisions.appeals.end()) continue;
    const AppealRecord& ap = it->second;
    out += "Klage " + id + " mottatt " + ap.received_on.to_norwegian() +
           (ap.late ? " (etter fristen)" : "") + ": " +
           (ap.open() ? "under behandling" : "avgjort i vedtak " + ap.decided_by_decision) + ".\n";
  }
}

std::string letter_text(const CareFeesState& state, const DecisionRecord& rec, element d) {
  std::string out;
  out += "Oslo kommune — vedtak om vederlag for langtidsopphold i institusjon\n";
  out += "Vedtak " + rec.decision_id + " (" + kind_no(events::text_or(d, "kind")) + ")\n";
  // Addressed to the resident (customers.*); the customer number, never the fødselsnummer.
  const ResidentState* r = state.resident(rec.customer_id);
  if (r != nullptr && !r->name.empty()) {
    out += "Til: " + r->name + "\n";
    if (!r->street.empty()) out += "     " + r->street + "\n";
    if (!r->postal_code.empty()) out += "     " + r->postal_code + " " + r->city + "\n";
    out += "Kundenummer: " + rec.customer_id + "\n";
  } else {
    out += "Til: kunde " + rec.customer_id + " (navn og adresse er ikke registrert)\n";
  }
  out += "Gjelder: vederlag for " + std::to_string(rec.year) + "\n";
  out += "Vedtaksdato: " + rec.decided_on.to_norwegian() +
         (rec.decided_by.empty() ? "" : "   Saksbehandler: " + rec.decided_by) + "\n";
  decision_section(out, d);
  legal_section(out, d);
  basis_section(out, d);
  calculation_section(out, d);
  appeal_section(out, d, rec, state);
  return out;
}

std::string letter_json(const CareFeesState& state, const DecisionRecord& rec) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  // The addressee (customers.*): name and postal address; null when not registered.
  w.key("addressee");
  if (const ResidentState* r = state.resident(rec.customer_id); r != nullptr && !r->name.empty()) {
    w.begin_object();
    w.field("city", r->city);
    w.field("name", r->name);
    w.field("postal_code", r->postal_code);
    w.field("street", r->street);
    w.end_object();
  } else {
    w.null_value();
  }
  w.key("appeal_deadline");
  if (rec.appeal_deadline) {
    w.string_value(rec.appeal_deadline->to_iso());
  } else {
    w.null_value();
  }
  w.key("appeals");
  w.begin_array();
  for (const std::string& id : rec.appeal_ids) {
    const auto it = state.decisions.appeals.find(id);
    if (it == state.decisions.appeals.end()) continue;
    w.begin_object();
    w.field("appeal_id", id);
    w.field("decided_by_decision", it->second.decided_by_decision);
    w.key("late");
    w.bool_value(it->second.late);
    w.field("received_on", it->second.received_on.to_iso());
    w.end_object();
  }
  w.end_array();
  w.key("decision");
  w.raw_value(rec.payload);
  w.key("delivered_on");
  if (rec.delivered_on) {
    w.string_value(rec.delivered_on->to_iso());
  } else {
    w.null_value();
  }
  w.end_object();
  return out;
}

}  // namespace

Result<std::string> render_letter(const CareFeesState& state, const std::string& decision_id,
                                  LetterFormat format) {
  const auto it = state.decisions.by_id.find(decision_id);
  if (it == state.decisions.by_id.end()) {
    return make_error(std::string(errc::decision_unknown), "decision_id",
                      "ingen vedtak med id " + decision_id);
  }
  const DecisionRecord& rec = it->second;
  if (format == LetterFormat::json) return letter_json(state, rec);
  simdjson::dom::parser parser;
  element d;
  if (parser.parse(rec.payload).get(d) != simdjson::SUCCESS) {
    return make_error(std::string(errc::payload_unreadable), "decision_id",
                      "vedtak " + decision_id + " kan ikke leses");
  }
  return letter_text(state, rec, d);
}

}  // namespace oppgjor::care_fees
