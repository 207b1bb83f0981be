#pragma once
// `tauekel serve` over HTTP (cpp-httplib): the screening service's endpoints, with
// limits that answer clear JSON errors, and a graceful stop.
//
//   POST /v1/screen   declarations -> decisions, with the profile set's version
//   POST /v1/reload   compile the profiles again and swap them in, or refuse
//   GET  /healthz     the process answers
//   GET  /readyz      it screens (503 while stopping)
//   GET  /metrics     Prometheus text

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <semaphore>
#include <string>

#include "service/screening_service.h"
#include "support/expected.h"

namespace httplib {
class Server;
}

namespace tauekel::service {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0: any free port (bind() says which)
  size_t threads = 1;                    // requests screened at once
  size_t connections = 64;               // connections served at once (each holds a thread)
  size_t max_body_bytes = 16u << 20;     // 413 beyond
  size_t max_waiting = 256;              // requests waiting for a screening thread; 503 beyond
};

class HttpServer {
 public:
  HttpServer(ScreeningService& service, const HttpOptions& options, std::function<void(const std::string&)> log);
  ~HttpServer();

  // Binds the address; the port it listens on, or why it cannot.
  Expected<int> bind();
  // Serves until stop(); returns once the requests in flight are answered.
  void run();
  // From any thread (a signal-handling one): stop accepting, finish what is in flight.
  void stop();

 private:
  void routes();
  Answer limited(const std::function<Answer()>& work);

  ScreeningService& service_;
  HttpOptions options_;
  std::function<void(const std::string&)> log_;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> waiting_{0};
  int listen_socket_ = -1;
  std::unique_ptr<std::counting_semaphore<>> slots_;  // screening threads free
};

}  // namespace tauekel::service
