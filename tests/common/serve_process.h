#pragma once
// A `tauekel serve` started for one test or benchmark: on a free loopback port, waited
// for until it listens, and stopped when its owner ends, whether it passes or fails.

#include <memory>
#include <string>
#include <vector>

#include "tests/common/child_process.h"

namespace tauekel::test {

class ServeProcess {
 public:
  // `args` after `BINARY serve --listen 127.0.0.1:0`; stderr goes to `log`.
  ServeProcess(const std::string& binary, const std::vector<std::string>& args, const std::string& log_path) {
    std::vector<std::string> argv = {binary, "serve", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    process_ = std::make_unique<ChildProcess>(argv, log_path);
    // Ready when it says where it listens; at most 60 s (the JIT compiles first).
    const std::string ready = "listening on 127.0.0.1:";
    if (process_->waitFor(ready, 60)) {
      std::string text = process_->log();
      port_ = std::stoi(text.substr(text.find(ready) + ready.size()));
    }
  }

  int port() const { return port_; }  // 0: not listening
  int exitCode() { return process_->running() ? -1 : process_->exitCode(); }
  std::string log() const { return process_->log(); }
  void signal(int number) const { process_->signal(number); }
  // Sends SIGTERM and waits (at most 30 s) for the exit code.
  int stop() { return process_->stop(); }

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

}  // namespace tauekel::test
