// Running the oppgjor binary (and kcat) from tests: exit status and captured output.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

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

// A process in the background (sh -c), its output in a file: `oppgjor serve` instances in the
// Kafka tests. Killed (SIGKILL) when still running at destruction.
class Background {
 public:
  Background(const std::string& command, const std::string& log) {
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", ("exec " + command + " >" + log + " 2>&1").c_str(), nullptr);
      _exit(127);
    }
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  ~Background() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // Waits at most `seconds`; true when it ended. status(): the wait status.
  bool wait_for(int seconds) {
    for (int i = 0; i < seconds * 10 && !done_; ++i) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) done_ = true;
      if (!done_) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done_;
  }
  void terminate() {
    if (!done_) kill(pid_, SIGTERM);
  }
  int status() const { return status_; }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool done_ = false;
};

// A file's bytes ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace oppgjor::testing
