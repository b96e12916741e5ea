// "invoice_bases": every invoice basis and credit basis received (invoicing.*_basis_received),
// so the state hash covers what has been billed and credited, not only that something was.
//
// Key: "<stream>#<ordrenummer>" (an ordrenummer is unique per source system; a resend in the
// same stream replaces the row and counts in "events"). Value (canonical JSON):
//   {"avgiftsbelop_ore":N,"claim_type":"…","customer_id":"…","events":N,
//    "fakturautsteder":"…","kind":"invoice"|"credit","lines":N,"nettobelop_ore":N,
//    "ordrenummer":"…","period":{"from":"…","to":"…"},"status":"…","totalbelop_ore":N}
// plus, for a credit, "corrects" (its canonical JSON). status: an invoice basis is "received",
// or "credited" once a credit basis for the same customer names its ordrenummer in
// corrects.ordrenummer; a credit basis is "credit". The status is settled when the rows are
// emitted, so it does not depend on how the customer's streams interleave.
#pragma once

#include <memory>

#include "replay/projection.h"

namespace oppgjor::replay {

std::unique_ptr<Projection> make_invoice_bases_projection();

}  // namespace oppgjor::replay
