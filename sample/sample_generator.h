// A deterministic generator of realistic upstream events for the demo, the benchmarks and the
// end-to-end tests: customers (persons with check-digit-valid synthetic fødselsnummer, and
// organisations), address changes, monthly invoice bases in FINT Fakturagrunnlag form
// (kindergarten, after-school care, home care, municipal fees), nursing-home stays and income
// data, rule parameters and closed business days. The same options give the same bytes.
//
// With `faults`, a handful of deliberately bad lines are mixed in, one per dead-letter reason,
// plus an exact resend (a duplicate).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace oppgjor::sample {

struct SampleOptions {
  std::uint64_t seed = 2026;
  int customers = 500;
  int year = 2025;
  bool faults = false;
  // Share (in percent) of person customers who are nursing-home residents (long-term stay from
  // before the year, provisional income for it).
  int residents_pct = 4;
  // Also the residents' final tax assessments for the year (at the end, as in June after it).
  bool final_assessments = false;
  // Invoice bases in their smallest schema-valid form: only the required FINT fields (no
  // leveringsdato, no fritekst) and a short product name. Used by the benchmarks to bring the
  // average payload towards the size assumed in docs/PERFORMANCE.md. Off by default: the default
  // output is unchanged byte for byte.
  bool compact = false;
};

struct SampleStats {
  std::int64_t lines = 0;
  std::int64_t faulty_lines = 0;  // lines expected to be rejected
  std::int64_t duplicate_lines = 0;
  std::int64_t bytes = 0;
};

SampleStats generate_sample(const SampleOptions& options,
                            const std::function<void(std::string_view line)>& emit);

// Synthetic but check-digit-valid identifiers (never a real person's on purpose).
std::string synthetic_national_id(std::uint64_t& state, int birth_year);
std::string synthetic_organisation_number(std::uint64_t& state);

}  // namespace oppgjor::sample
