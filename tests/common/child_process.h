#pragma once
// A program started for one test or benchmark (our CLI, nats-server), its standard error
// in a log file, waited for until its log says it is ready, and killed when its owner
// ends, whether the test passes or fails.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace tauekel::test {

class ChildProcess {
 public:
  // Starts `argv` (argv[0] the program's path); standard error (and output, when
  // `output_to_log`) goes to `log_path`.
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path, bool output_to_log = false)
      : log_(log_path) {
    std::vector<std::string> args = argv;
    std::vector<char*> raw;
    for (auto& a : args) raw.push_back(a.data());
    raw.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (output_to_log)
      posix_spawn_file_actions_adddup2(&actions, 2, 1);
    else
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, raw.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ChildProcess() { kill(SIGKILL); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until the log holds `text` (true), or the process ended or `seconds` passed.
  bool waitFor(const std::string& text, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (log().find(text) != std::string::npos) return true;
      if (!running()) return log().find(text) != std::string::npos;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
      return false;
    }
    return true;
  }
  int exitCode() const { return exit_code_; }
  pid_t pid() const { return pid_; }
  std::string log() const {
    std::ifstream in(log_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  void signal(int number) const {
    if (pid_ > 0) ::kill(pid_, number);
  }
  // Sends `number` and waits for the end (at most `seconds`, then SIGKILL); the exit code
  // (128 + the signal's number for a process a signal ended).
  int kill(int number, int seconds = 30) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, number);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) != pid_) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }
  int stop() { return kill(SIGTERM); }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace tauekel::test
