// Running the oppgjor binary with stdout and stderr apart (a JSON report on stdout, the messages
// on stderr), and writing OCR giro files for the scenario and property tests
// (tests/scenario_test.cc, tests/billing_property_test.cc).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/date.h"
#include "formats/ocr/ocr_writer.h"

namespace oppgjor::testing {

struct CliResult {
  int exit_code = -1;  // -1: killed by a signal or not started
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `command` through /bin/sh; stderr goes through a temporary file next to `scratch_dir`.
inline CliResult run_split(const std::string& command, const std::filesystem::path& scratch_dir) {
  CliResult r;
  const std::string err_file = (scratch_dir / "stderr.txt").string();
  FILE* p = popen(("exec " + command + " 2>" + err_file).c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  std::ifstream in(err_file, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  r.err = b.str();
  return r;
}

// An OCR giro file as Nets would send it (formats/ocr/ocr_writer.h): one assignment, one
// transaction per payment, every date = `date`. `transmission` is the 7-digit transmission
// number; a payment's reference is transmission/assignment/transaction number, so two different
// files must have different transmission numbers.
inline std::string ocr_file_text(common::Date date, std::int64_t transmission,
                                 const std::vector<formats::ocr::Payment>& payments,
                                 formats::ocr::LineEnding ending = formats::ocr::LineEnding::lf) {
  formats::ocr::FileParams params;
  char tn[16];
  std::snprintf(tn, sizeof tn, "%07lld", static_cast<long long>(transmission));
  params.transmission_number = tn;
  params.nets_date = date;
  return formats::ocr::write_ocr_file(formats::ocr::make_ocr_file(params, payments), ending);
}

}  // namespace oppgjor::testing
