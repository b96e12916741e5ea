// Running the oppgjor binary (and kcat) from tests: exit status and captured output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace oppgjor::testing {

struct RunResult {
  int exit_code = -1;  // when exited normally
  int signal = 0;      // when killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs `command` through /bin/sh with `exec`, so a signal that kills the program is seen here.
inline RunResult run(const std::string& command) {
  RunResult r;
  FILE* p = popen(("exec " + command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(p);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

inline std::string bin() {
  return OPPGJOR_BIN;
}

// The value after "key=" on the output line that starts with it ("state_hash=…").
inline std::string field(const std::string& output, const std::string& key) {
  const auto at = output.find(key + "=");
  if (at == std::string::npos) return "";
  const auto start = at + key.size() + 1;
  return output.substr(start, output.find_first_of(" \n", start) - start);
}

}  // namespace oppgjor::testing
