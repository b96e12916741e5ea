// Notice rendering (notices.h).
#include "services/collection/notices.h"

#include "common/ore_format.h"
#include "services/collection/dunning.h"

namespace oppgjor::collection {

namespace {

std::string kr(std::int64_t ore) {
  return "kr " + common::ore_format::norwegian(ore);
}

std::string line(const std::string& label, const std::string& value) {
  std::string out = label;
  out.append(out.size() < 34 ? 34 - out.size() : 2, ' ');
  return out + value + "\n";
}

}  // namespace

std::string render_notice(const Notice& n) {
  std::string t;
  t += notice_kind_text(n.kind) + " — " + n.creditor_name + " (org.nr. " +
       n.creditor_organisation_number + ")\n";
  t += "Dato: " + n.sent_on.to_norwegian() + "    Kunde: " + n.customer_id + "    Steg " +
       std::to_string(n.step) + "\n\n";
  t += "Gjelder: " + n.concerns + ".\n\n";
  t += line("Hovedstol", kr(n.principal_ore));
  t += line(notice_kind_text(n.kind) + "sgebyr", kr(n.fee_ore));
  if (n.fees_ore != n.fee_ore) t += line("Tidligere gebyrer", kr(n.fees_ore - n.fee_ore));
  if (n.interest_ore != 0) t += line("Forsinkelsesrente belastet", kr(n.interest_ore));
  t += line("Forsinkelsesrente påløpt til " + n.sent_on.to_norwegian(), kr(n.interest_accrued_ore));
  t += line("Å betale", kr(n.total_ore));
  t += "\n";
  t += "Betalingsfrist: " + n.deadline.to_norwegian() + ". Betal til konto " + n.creditor_account +
       " med KID " + n.kid + ".\n";
  t += "Forsinkelsesrenten er " + n.interest_rate_pct +
       " % per år (forsinkelsesrenteloven § 3) og "
       "løper fra " +
       n.interest_from.to_norwegian() + " til betaling skjer; renten øker med " +
       "tiden til kravet er betalt.";
  if (n.rate_uncertain) t += " (Satsen er ikke bekreftet fra forskriften.)";
  t += "\n";
  t += "Gebyret er " + n.fee_fraction + " av inkassosatsen (kr " + n.fee_inkassosats_nok +
       "), inkassoforskriften § 1-2.\n\n";
  t += n.consequences + "\n\n";
  t += "Mener du at kravet ikke er riktig, må du si fra før fristen; da stanser vi innkrevingen "
       "til innsigelsen er avgjort.\n";
  return t;
}

}  // namespace oppgjor::collection
