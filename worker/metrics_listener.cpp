#include "worker/metrics_listener.h"

#include <fmt/format.h>
#include <httplib.h>

namespace tauekel::worker {

MetricsListener::MetricsListener(std::function<std::string()> render)
    : render_(std::move(render)), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_(), "text/plain; version=0.0.4");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  server_->new_task_queue = [] { return new httplib::ThreadPool(2); };
}

MetricsListener::~MetricsListener() { stop(); }

Expected<int> MetricsListener::start(const std::string& host, int port) {
  int bound = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return Error{fmt::format("--metrics {}:{}: cannot listen there (in use, or not an address of "
                                           "this machine)", host, port)};
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return bound;
}

void MetricsListener::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace tauekel::worker
