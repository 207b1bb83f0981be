#pragma once
// The worker's metrics over HTTP (GET /metrics, Prometheus text; GET /healthz), on its
// own thread, at the address --metrics names.

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "support/expected.h"

namespace httplib {
class Server;
}

namespace tauekel::worker {

class MetricsListener {
 public:
  explicit MetricsListener(std::function<std::string()> render);
  ~MetricsListener();  // stops
  // Listens on HOST:PORT (port 0: any free one); the port, or why not.
  Expected<int> start(const std::string& host, int port);
  void stop();

 private:
  std::function<std::string()> render_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace tauekel::worker
