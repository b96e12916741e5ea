// Issue 6, item 6: `ingest --kafka` against a broker that cannot be reached waited forever, and
// on SIGTERM exited 0 reporting "0 inputs". Now a broker not reached within --connect-timeout is
// an operating error naming the bootstrap servers (exit 1), and SIGTERM/SIGINT stop cleanly with
// the true counts: exit 0 for a consumer stopped by a signal (its normal end), exit 1 when
// --stop-at-end was asked and the end was not reached. Only a closed loopback port is used.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::issue_6_kafka_unreachable_broker_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::run;

// A loopback port nothing listens on: bound (so the kernel picks a free one), then closed.
int closed_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// The program running with its output on a pipe, so the test can wait for a line it prints.
class Running {
 public:
  explicit Running(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      dup2(fds[1], 2);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
  }
  ~Running() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
  }
  // Reads output until `text` appears (true) or the program closes its output (false).
  bool wait_for(const std::string& text) {
    char buf[4096];
    while (output_.find(text) == std::string::npos) {
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) return false;
      output_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Sends `sig`, reads the rest of the output and returns the exit code (-1 if killed).
  int stop_with(int sig) {
    kill(pid_, sig);
    wait_for("\x01never printed\x01");
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& output() const { return output_; }
  bool started() const { return pid_ > 0 && out_ >= 0; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool waited_ = false;
  std::string output_;
};

class Issue6KafkaUnreachable : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = closed_loopback_port();
    ASSERT_GT(port_, 0);
    bootstrap_ = "127.0.0.1:" + std::to_string(port_);
  }
  std::vector<std::string> ingest(const std::string& timeout_s, bool stop_at_end) {
    std::vector<std::string> a = {bin(),
                                  "ingest",
                                  "--kafka",
                                  bootstrap_,
                                  "--topic",
                                  "billing",
                                  "--group",
                                  "oppgjor-intake",
                                  "--db",
                                  dir_.file("log.db"),
                                  "--connect-timeout",
                                  timeout_s};
    if (stop_at_end) a.push_back("--stop-at-end");
    return a;
  }
  TempDir dir_;
  int port_ = 0;
  std::string bootstrap_;
};

TEST_F(Issue6KafkaUnreachable, AnUnreachableBrokerIsAnOperatingErrorNamingTheServers) {
  std::string command;
  for (const auto& a : ingest("1", true)) command += a + " ";
  const auto r = run(command);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("cannot reach the Kafka bootstrap servers " + bootstrap_ + " within 1 s"),
            std::string::npos)
      << r.output;
}

TEST_F(Issue6KafkaUnreachable, SigtermWhileWaitingStopsCleanlyWithTrueCounts) {
  Running p(ingest("3600", false));
  ASSERT_TRUE(p.started());
  ASSERT_TRUE(p.wait_for("kafka: connecting to " + bootstrap_)) << p.output();
  EXPECT_EQ(p.stop_with(SIGTERM), 0) << p.output();
  EXPECT_NE(p.output().find("ingest: 0 inputs: 0 appended, 0 duplicates, 0 rejected (interrupted)"),
            std::string::npos)
      << p.output();
}

TEST_F(Issue6KafkaUnreachable, SigintBeforeTheEndWithStopAtEndExitsOne) {
  Running p(ingest("3600", true));
  ASSERT_TRUE(p.started());
  ASSERT_TRUE(p.wait_for("kafka: connecting to " + bootstrap_)) << p.output();
  EXPECT_EQ(p.stop_with(SIGINT), 1) << p.output();
  EXPECT_NE(p.output().find("(interrupted)"), std::string::npos) << p.output();
  EXPECT_NE(p.output().find("interrupted before the end of topic billing"), std::string::npos)
      << p.output();
}

}  // namespace
}  // namespace oppgjor::issue_6_kafka_unreachable_broker_test
