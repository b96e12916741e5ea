// Which part of a batch decided in parts books a payment (payments.h payment_part): the series of
// the invoice number its KID carries, so on Kafka the owner of a customer's partition books it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/invoicing/billing_rules.h"
#include "services/invoicing/invoice.h"
#include "services/ledger/payments.h"
#include "services/runtime/partition.h"

namespace oppgjor::ledger {
namespace {

using invoicing::KidAgreement;

const std::vector<KidAgreement> shipped = invoicing::BillingRules::builtin().kid_layouts();

std::string kid_for(const std::string& customer, int series, std::int64_t sequence) {
  return invoicing::make_kid(KidAgreement{common::KidScheme::mod10, 8, 9}, customer,
                             series * invoicing::series_block + sequence)
      .value();
}

TEST(PaymentPart, TheShippedLayoutsReadTheSameFields) {
  // MOD10 and MOD11 agreements, both customer number (8) + invoice number (9): a KID valid under
  // both reads the same invoice number either way.
  ASSERT_EQ(shipped.size(), 2u);
  for (const KidAgreement& k : shipped) {
    EXPECT_EQ(k.customer_digits, 8);
    EXPECT_EQ(k.invoice_digits, 9);
  }
  EXPECT_NE(shipped[0].scheme, shipped[1].scheme);
}

TEST(PaymentPart, TheInvoiceSeriesNamesThePart) {
  for (int series = 1; series <= 4; ++series) {
    EXPECT_EQ(payment_part(kid_for("C000123", series, 17), 4, shipped), series - 1) << series;
  }
  // Every customer's invoices are in the series of its partition (invoice_run.h), so the part
  // is the customer's partition.
  for (int c = 500; c < 540; ++c) {
    const std::string customer = "C000" + std::to_string(c);
    const int p = runtime::partition_of(customer, 4);
    EXPECT_EQ(payment_part(kid_for(customer, p + 1, 1), 4, shipped), p) << customer;
  }
}

TEST(PaymentPart, WhatNamesNoPartGoesToPartZero) {
  EXPECT_EQ(payment_part("", 4, shipped), 0);                   // no KID
  EXPECT_EQ(payment_part(kid_for("C1", 7, 1), 4, shipped), 0);  // series beyond the count
  std::string bad = kid_for("C1", 3, 1);
  bad.back() = bad.back() == '0' ? '1' : '0';  // wrong check digit
  EXPECT_EQ(payment_part(bad, 4, shipped), 0);
  EXPECT_EQ(payment_part("12345", 4, shipped), 0);              // another length
  EXPECT_EQ(payment_part(kid_for("C1", 3, 1), 1, shipped), 0);  // whole: one part
  // Two layouts of the same length that read different series (7 + 10 digits reads series
  // 202 from this KID): no part can claim it.
  const std::vector<KidAgreement> two = {KidAgreement{common::KidScheme::mod10, 8, 9},
                                         KidAgreement{common::KidScheme::mod10, 7, 10}};
  const std::string kid = kid_for("C12", 2, 5);
  EXPECT_EQ(payment_part(kid, 4, {two[0]}), 1);
  EXPECT_EQ(payment_part(kid, 4, two), 0);
}

}  // namespace
}  // namespace oppgjor::ledger
