// Property tests: random valid Files round-trip through write_ocr_file → parse_ocr_file, and
// every one-character change of a digit in a count or sum field of records 88 and 89 is
// refused, naming that record. Seeded std::mt19937_64; the seed is printed on failure.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/ocr/ocr_giro.h"
#include "formats/ocr/ocr_layout.h"
#include "formats/ocr/ocr_writer.h"

namespace oppgjor::formats::ocr {
namespace {

using common::Date;

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::int64_t between64(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  std::string digits(std::size_t n) {
    std::string s(n, '0');
    for (char& c : s) c = static_cast<char>('0' + between(0, 9));
    return s;
  }
  // Printable ASCII, no trailing blank when `no_trailing_blank`.
  std::string printable(std::size_t n, bool no_trailing_blank) {
    std::string s(n, ' ');
    for (char& c : s) c = static_cast<char>(between(0x20, 0x7E));
    if (no_trailing_blank && !s.empty() && s.back() == ' ') s.back() = 'x';
    return s;
  }
  Date date() {
    const int year = between(1980, 2079);
    const auto month = static_cast<unsigned>(between(1, 12));
    const int day = between(1, Date::days_in_month(year, month));
    return Date::ymd(year, month, static_cast<unsigned>(day));
  }
  std::string kid() {
    const auto n = static_cast<std::size_t>(between(0, 25));
    std::string k = digits(n);
    if (n >= 2 && between(0, 4) == 0) k.back() = '-';
    return k;
  }

  Transaction transaction(std::uint32_t number) {
    Transaction tx;
    tx.type = *transaction_type_from_code(between(10, 21));
    tx.number = number;
    tx.nets_date = date();
    tx.centre_id = digits(2);
    tx.day_code = static_cast<std::uint8_t>(between(0, 99));
    tx.partial_settlement_no = static_cast<std::uint8_t>(between(0, 9));
    tx.serial_no = digits(5);
    tx.sign_negative = between(0, 3) == 0;
    // At most 60 transactions per file, so sums stay below the 17-digit limit.
    tx.amount_ore =
        between(0, 9) == 0 ? between64(0, 1'000'000'000'000'000LL) : between64(0, 10'000'000);
    tx.kid = kid();
    tx.form_number = digits(10);
    tx.archive_reference = digits(9);
    tx.reserved_35_41 = between(0, 1) == 0 ? std::string("0000000") : printable(7, false);
    if (between(0, 2) != 0) tx.bank_date = date();
    tx.debit_account = digits(11);
    if (has_free_text_record(tx.type)) {
      tx.free_text = printable(static_cast<std::size_t>(between(0, 40)), true);
    }
    return tx;
  }

  File file() {
    File f;
    f.data_transmitter = digits(8);
    f.transmission_number = digits(7);
    f.data_recipient = digits(8);
    f.nets_date = date();
    const int assignments = between(0, 3);
    for (int i = 0; i < assignments; ++i) {
      Assignment& a = f.assignments.emplace_back();
      a.agreement_id = digits(9);
      a.assignment_number = digits(7);
      a.assignment_account = digits(11);
      a.nets_date = date();
      const int transactions = between(0, 20);
      for (int t = 0; t < transactions; ++t) {
        a.transactions.push_back(transaction(static_cast<std::uint32_t>(between(0, 9'999'999))));
      }
    }
    return f;
  }

 private:
  std::mt19937_64 rng_;
};

constexpr std::uint64_t base_seed = 0x0C'60'12'0CULL;
constexpr int files_count = 300;

TEST(OcrGiroProperty, RandomValidFilesRoundTrip) {
  for (int i = 0; i < files_count; ++i) {
    const std::uint64_t seed = base_seed + static_cast<std::uint64_t>(i);
    SCOPED_TRACE("seed " + std::to_string(seed));
    Gen gen(seed);
    const File f = gen.file();
    const LineEnding eol = gen.between(0, 1) == 0 ? LineEnding::lf : LineEnding::crlf;
    std::string bytes = write_ocr_file(f, eol);
    if (gen.between(0, 1) == 0) bytes.resize(bytes.size() - (eol == LineEnding::crlf ? 2 : 1));
    const Result<File> parsed = parse_ocr_file(bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    ASSERT_EQ(*parsed, f);
    ASSERT_EQ(write_ocr_file(*parsed, eol).substr(0, bytes.size()), bytes);
  }
}

TEST(OcrGiroProperty, EveryDigitChangeInA88Or89TotalIsRefused) {
  const layout::Field total_fields[] = {layout::r88::transactions, layout::r88::records,
                                        layout::r88::total_amount};
  static_assert(layout::r88::transactions.first == layout::r89::transactions.first &&
                layout::r88::records.first == layout::r89::records.first &&
                layout::r88::total_amount.first == layout::r89::total_amount.first &&
                layout::r88::total_amount.last == layout::r89::total_amount.last);
  for (int i = 0; i < files_count / 6; ++i) {
    const std::uint64_t seed = base_seed + 1'000'000 + static_cast<std::uint64_t>(i);
    SCOPED_TRACE("seed " + std::to_string(seed));
    Gen gen(seed);
    const std::string good = write_ocr_file(gen.file());
    const std::size_t records = good.size() / 81;
    for (std::size_t r = 0; r < records; ++r) {
      const std::string_view type = std::string_view(good).substr(r * 81 + 6, 2);
      if (type != "88" && type != "89") continue;
      for (const layout::Field& f : total_fields) {
        for (std::size_t pos = f.first; pos <= f.last; ++pos) {
          std::string bad = good;
          char& c = bad[r * 81 + pos - 1];
          const char original = c;
          // Every other digit, and one non-digit.
          for (char to : std::string("0123456789X")) {
            if (to == original) continue;
            c = to;
            const Result<File> parsed = parse_ocr_file(bad);
            ASSERT_FALSE(parsed.ok()) << "record " << r + 1 << " position " << pos << " " << to;
            const std::string prefix = "record_" + std::to_string(r + 1) + ".";
            ASSERT_EQ(parsed.error().field.rfind(prefix, 0), 0u) << parsed.error().to_string();
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace oppgjor::formats::ocr
