// `tauekel serve`: the screening service over HTTP. Parses the options, loads the
// profile set, and leaves the rest to the service library; signals are taken by one
// thread: SIGHUP reloads the profiles, SIGTERM and SIGINT stop after the requests in
// flight are answered.

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <thread>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/listen_address.h"
#include "cli/profile_set_options.h"
#include "service/http_server.h"
#include "support/input_file.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {

struct ServeArgs {
  std::string profiles;
  std::string persons;
  std::string listen = "127.0.0.1:8080";
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  size_t connections = 64;
  std::string max_body_bytes = "16M";
  uint64_t max_declarations = 10000;
  uint64_t max_items = 100000;
  size_t max_waiting = 256;
  std::string audience = "analyst";
  std::string audit_log;
  std::string operator_name;
  ProfileSetArgs profile_set;
};

int usage(const std::string& message) {
  fmt::print(stderr, "tauekel serve: {}\n", utf8::sanitize(message, true));
  return kExitUsage;
}

void log(const std::string& message) { fmt::print(stderr, "tauekel serve: {}\n", message); }

}  // namespace

Runner addServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Screen declarations sent over HTTP (POST /v1/screen)");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory)")->required();
  auto* persons = cmd->add_option("--persons", args->persons, "Person register (.csv), read again on reload");
  cmd->add_option("--listen", args->listen, "Address and port (port 0: any free one, printed when listening)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Requests screened at once (default: the cores)")->capture_default_str();
  cmd->add_option("--connections", args->connections, "Connections served at once")->capture_default_str();
  cmd->add_option("--max-body-bytes", args->max_body_bytes, "Largest request body (K, M, G suffixes); 413 beyond")
      ->capture_default_str();
  cmd->add_option("--max-declarations", args->max_declarations, "Most declarations in one request; 413 beyond")
      ->capture_default_str();
  cmd->add_option("--max-items", args->max_items, "Most goods items in one request; 413 beyond")->capture_default_str();
  cmd->add_option("--audience", args->audience,
                  "Who this listener answers: analyst, officer or declarant. A request may narrow it "
                  "(?audience=declarant), never widen it (403)")
      ->check(CLI::IsMember({"analyst", "officer", "declarant"}))
      ->capture_default_str();
  cmd->add_option("--audit-log", args->audit_log, "Append a record of the start and of every reload to this log");
  cmd->add_option("--operator", args->operator_name, "Who runs the server, for the audit log");
  cmd->add_option("--max-waiting", args->max_waiting, "Requests waiting for a thread; 503 beyond")
      ->capture_default_str();
  addProfileSetOptions(*cmd, args->profile_set);
  cmd->footer(
      "SIGHUP or POST /v1/reload compile the profiles again and swap them in while serving (a set with errors is "
      "refused, the old one keeps serving). SIGTERM or SIGINT stop after the requests in flight. Exit codes: 0 "
      "stopped; 1 errors in the profiles at start; 2 usage error or an address that cannot be listened on.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    service::ServiceOptions options;
    if (args->profiles.empty()) return usage("--profiles needs a folder name");
    options.profiles = args->profiles;
    if (persons->count() > 0) {
      if (args->persons.empty()) return usage("--persons needs a file name");
      options.persons = args->persons;
    }
    auto profile_set = readProfileSetOptions(args->profile_set);
    if (!profile_set) return usage(profile_set.error().message);
    options.screener = screenerOptions(*profile_set);
    options.audience = *engine::parseAudience(args->audience);
    options.audit_log = args->audit_log;
    options.operator_name = args->operator_name;
    options.kernel_cache = profile_set->kernel_cache;
    if (args->max_declarations == 0 || args->max_items == 0)
      return usage("--max-declarations and --max-items must be at least 1");
    options.limits.max_declarations = args->max_declarations;
    options.limits.max_items = args->max_items;

    service::HttpOptions http;
    auto address = parseListenAddress("--listen", args->listen);
    if (!address) return usage(address.error().message);
    http.host = address->host;
    http.port = address->port;
    if (args->threads == 0 || args->threads > 1024) return usage("--threads must be from 1 to 1024");
    if (args->connections == 0 || args->connections > 10000) return usage("--connections must be from 1 to 10000");
    http.threads = args->threads;
    http.connections = args->connections;
    http.max_waiting = args->max_waiting;
    auto body = io::parseByteCount(args->max_body_bytes);
    if (!body || *body == 0) return usage(fmt::format("--max-body-bytes \"{}\": expected a size such as 16M",
                                                      args->max_body_bytes));
    http.max_body_bytes = static_cast<size_t>(*body);

    // Every thread started from here on inherits the mask: signals wait for sigwait().
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, s);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto started = service::ScreeningService::start(options, log);
    if (!started) {
      fmt::print(stderr, "{}", started.error().message);
      if (!started.error().message.empty() && started.error().message.back() != '\n') fmt::print(stderr, "\n");
      log("the profiles cannot serve; not started");
      return kExitProfileErrors;
    }
    service::ScreeningService& service = **started;
    service::HttpServer server(service, http, log);
    auto bound = server.bind();
    if (!bound) return usage(bound.error().message);
    log(fmt::format("listening on {}:{}; profile set version {}, {} profiles in force; {} threads", http.host, *bound,
                    service.current()->version(), service.current()->lowered().profiles.size(), http.threads));

    std::thread signal_thread([&] {
      while (true) {
        int received = 0;
        if (sigwait(&signals, &received) != 0) continue;
        if (received == SIGHUP) {
          service.reload();
          continue;
        }
        log(fmt::format("{}: stopping after the requests in flight", received == SIGTERM ? "SIGTERM" : "SIGINT"));
        server.stop();
        return;
      }
    });
    server.run();
    // Stopped by a signal, or the listener failed: either way the signal thread must end.
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    log("stopped");
    return kExitOk;
  };
}

}  // namespace tauekel::cli
