#pragma once
// A nats-server with JetStream started for one test or benchmark: on a free loopback
// port, its store in a folder of the test's, waited for until JetStream answers, and
// stopped when its owner ends. restart() stops it and starts it again on the same port
// and store, as a broker that is restarted in production.

#include <arpa/inet.h>
#include <nats/nats.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>
#include <string>

#include "tests/common/child_process.h"

namespace tauekel::test {

inline constexpr const char* kNatsServer = "/usr/sbin/nats-server";

// A port nothing listens on now (the kernel's choice for port 0).
inline int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class NatsBroker {
 public:
  // `jetstream` false: a plain broker, as a user might start by mistake.
  explicit NatsBroker(std::string dir, bool jetstream = true)
      : dir_(std::move(dir)), port_(freeLoopbackPort()), jetstream_(jetstream) {
    start();
  }

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return process_ ? process_->log() : std::string(); }

  void stop() {
    if (process_) process_->stop();
    ready_ = false;
  }
  void restart() {
    stop();
    start();
  }

 private:
  void start() {
    ++starts_;
    std::vector<std::string> argv = {kNatsServer, "-a", "127.0.0.1", "-p", std::to_string(port_)};
    if (jetstream_) argv.insert(argv.end(), {"-js", "-sd", dir_ + "/store"});
    process_ = std::make_unique<ChildProcess>(argv, dir_ + "/nats-server-" + std::to_string(starts_) + ".log", true);
    ready_ = process_->waitFor("Server is ready", 30) && (!jetstream_ || jetStreamAnswers());
  }
  // JetStream may take a moment after the server says it is ready (recovering streams).
  bool jetStreamAnswers() const {
    for (int attempt = 0; attempt < 100; ++attempt) {
      natsConnection* nc = nullptr;
      jsCtx* js = nullptr;
      jsAccountInfo* info = nullptr;
      bool ok = natsConnection_ConnectTo(&nc, url().c_str()) == NATS_OK &&
                natsConnection_JetStream(&js, nc, nullptr) == NATS_OK &&
                js_GetAccountInfo(&info, js, nullptr, nullptr) == NATS_OK;
      if (info) jsAccountInfo_Destroy(info);
      if (js) jsCtx_Destroy(js);
      if (nc) natsConnection_Destroy(nc);
      if (ok) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string dir_;
  int port_;
  bool jetstream_;
  int starts_ = 0;
  bool ready_ = false;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace tauekel::test
