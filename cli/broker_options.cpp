#include "cli/broker_options.h"

#include <fmt/format.h>

#include <atomic>

#include "support/utf8.h"

namespace tauekel::cli {

void addNatsOption(CLI::App& cmd, std::string& servers) {
  cmd.add_option("--nats", servers, "NATS server URLs, comma-separated")->capture_default_str();
}

Expected<std::unique_ptr<worker::nats::Connection>> connectOnce(const std::string& servers, const std::string& name) {
  std::atomic<bool> give_up{true};
  worker::nats::ConnectOptions options;
  options.servers = servers;
  options.name = name;
  return worker::nats::Connection::connect(options, give_up);
}

int commandError(const char* command, int code, const std::string& message) {
  fmt::print(stderr, "tauekel {}: {}\n", command, utf8::sanitize(message, true));
  return code;
}

}  // namespace tauekel::cli
