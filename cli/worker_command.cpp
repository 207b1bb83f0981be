// `tauekel worker`: declarations from a NATS JetStream stream, decisions to another. Parses
// the options and leaves the rest to the worker library; signals are taken by one
// thread: SIGTERM and SIGINT drain and stop, SIGHUP looks for a changed profile set now.

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <thread>

#include "cli/broker_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/listen_address.h"
#include "cli/profile_set_options.h"
#include "worker/metrics_listener.h"
#include "worker/screening_worker.h"

namespace tauekel::cli {

namespace {

struct WorkerArgs {
  std::string profiles;
  std::string persons;
  std::string bucket;
  std::string key = "profile-set";
  worker::WorkerOptions options;
  double ack_wait_seconds = 30;
  double duplicate_window_seconds = 1200;
  double reload_check_seconds = 1;
  uint64_t max_declarations = 10000;
  uint64_t max_items = 100000;
  std::string metrics;
  std::string audience = "analyst";
  ProfileSetArgs profile_set;
};

int usage(const std::string& message) { return commandError("worker", kExitUsage, message); }

void log(const std::string& message) { fmt::print(stderr, "tauekel worker: {}\n", message); }

}  // namespace

Runner addWorkerCommand(CLI::App& app) {
  auto args = std::make_shared<WorkerArgs>();
  auto& o = args->options;
  auto* cmd = app.add_subcommand("worker", "Screen declarations from a NATS JetStream stream into a results stream");
  auto* profiles = cmd->add_option("--profiles", args->profiles, "Profile repository (directory), reloaded when it changes");
  auto* persons = cmd->add_option("--persons", args->persons, "Person register (.csv), with --profiles");
  auto* bucket = cmd->add_option("--profiles-bucket", args->bucket,
                                 "JetStream key-value bucket holding the profile set (see push-profiles)");
  cmd->add_option("--profiles-key", args->key, "The bucket's key")->capture_default_str();
  profiles->excludes(bucket);
  persons->excludes(bucket);
  addNatsOption(*cmd, o.servers);
  cmd->add_option("--name", o.name, "Client name shown by the broker")->capture_default_str();
  cmd->add_option("--input-stream", o.input_stream, "Stream of declarations (made if missing)")->capture_default_str();
  cmd->add_option("--input-subject", o.input_subject, "Its subject")->capture_default_str();
  cmd->add_option("--consumer", o.consumer, "Durable consumer the workers share (made if missing)")
      ->capture_default_str();
  cmd->add_option("--results-stream", o.results_stream, "Stream of decisions (made if missing)")->capture_default_str();
  cmd->add_option("--results-subject", o.results_subject, "Its subject")->capture_default_str();
  cmd->add_option("--dead-letter-stream", o.dead_stream, "Stream of messages that cannot be read (made if missing)")
      ->capture_default_str();
  cmd->add_option("--dead-letter-subject", o.dead_subject, "Its subject")->capture_default_str();
  cmd->add_option("--ack-wait", args->ack_wait_seconds,
                  "Seconds before an unacknowledged message is delivered again (for a consumer it makes)")
      ->capture_default_str();
  cmd->add_option("--duplicate-window", args->duplicate_window_seconds,
                  "Seconds the results stream drops repeated decisions (for a stream it makes)")
      ->capture_default_str();
  cmd->add_option("--batch", o.batch, "Messages fetched and screened together")->capture_default_str();
  cmd->add_option("--max-inflight", o.max_inflight, "Messages received and not yet acknowledged")
      ->capture_default_str();
  cmd->add_option("--max-declarations", args->max_declarations, "Most declarations in one message")
      ->capture_default_str();
  cmd->add_option("--max-items", args->max_items, "Most goods items in one message")->capture_default_str();
  cmd->add_option("--reload-check", args->reload_check_seconds, "Seconds between looks for a changed profile set")
      ->capture_default_str();
  cmd->add_option("--audience", args->audience,
                  "Who reads the results stream: analyst, officer or declarant (what of a decision it holds)")
      ->check(CLI::IsMember({"analyst", "officer", "declarant"}))
      ->capture_default_str();
  cmd->add_option("--audit-log", o.audit_log, "Append a record of the start and of every reload to this log");
  cmd->add_option("--operator", o.operator_name, "Who runs the worker, for the audit log");
  cmd->add_option("--metrics", args->metrics, "Serve Prometheus metrics at HOST:PORT (GET /metrics)");
  addProfileSetOptions(*cmd, args->profile_set);
  cmd->footer(
      "A message holds one declaration as a JSON object (or several: an array or JSON Lines). Each decision is "
      "published to the results subject with the message id KEY@VERSION, and the message is acknowledged once every "
      "decision made of it is stored; a message that cannot be read goes to the dead-letter subject with the reason. "
      "SIGTERM or SIGINT stop fetching and wait for the messages in flight; SIGHUP looks for a changed profile set "
      "now. Exit codes: 0 stopped; 1 errors in the profiles at start; 2 usage error, or the broker refused the "
      "streams or consumer.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    worker::WorkerOptions options = args->options;
    if (args->profiles.empty() == args->bucket.empty())
      return usage("give the profile set as --profiles DIR or --profiles-bucket BUCKET");
    auto profile_set = readProfileSetOptions(args->profile_set);
    if (!profile_set) return usage(profile_set.error().message);
    options.screener = screenerOptions(*profile_set);
    options.output.audience = *engine::parseAudience(args->audience);
    options.kernel_cache = profile_set->kernel_cache;
    if (options.batch == 0 || options.batch > 100000) return usage("--batch must be from 1 to 100000");
    if (options.max_inflight < options.batch)
      return usage(fmt::format("--max-inflight ({}) must be at least --batch ({})", options.max_inflight, options.batch));
    if (args->ack_wait_seconds < 1 || args->duplicate_window_seconds < 1 || args->reload_check_seconds < 0.01)
      return usage("--ack-wait and --duplicate-window must be at least 1 second, --reload-check at least 0.01");
    options.ack_wait_ms = static_cast<int64_t>(args->ack_wait_seconds * 1000);
    options.duplicate_window_ms = static_cast<int64_t>(args->duplicate_window_seconds * 1000);
    options.reload_check_ms = static_cast<int64_t>(args->reload_check_seconds * 1000);
    if (args->max_declarations == 0 || args->max_items == 0)
      return usage("--max-declarations and --max-items must be at least 1");
    options.limits.max_declarations = args->max_declarations;
    options.limits.max_items = args->max_items;
    std::optional<ListenAddress> metrics_address;
    if (!args->metrics.empty()) {
      auto address = parseListenAddress("--metrics", args->metrics);
      if (!address) return usage(address.error().message);
      metrics_address = *address;
    }

    // A bucket's profile set is written out to a folder of this process's own.
    std::string work_dir;
    if (!args->bucket.empty()) {
      const char* tmp = getenv("TMPDIR");
      std::string pattern = fmt::format("{}/tauekel-worker-XXXXXX", tmp && *tmp ? tmp : "/tmp");
      if (mkdtemp(pattern.data()) == nullptr) return usage(fmt::format("cannot make a folder like {}", pattern));
      work_dir = pattern;
    }
    struct RemoveOnExit {
      std::string dir;
      ~RemoveOnExit() {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
      }
    } remove_work_dir{work_dir};

    // Every thread started from here on inherits the mask: signals wait for sigwait().
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, s);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::atomic<bool> stopping{false};
    std::atomic<worker::ScreeningWorker*> running{nullptr};
    std::thread signal_thread([&] {
      while (true) {
        int received = 0;
        if (sigwait(&signals, &received) != 0) continue;
        if (received == SIGHUP) {
          if (auto* w = running.load()) w->checkProfilesNow();
          continue;
        }
        if (stopping.exchange(true)) return;  // the second one only ends this thread
        log(fmt::format("{}: stopping after the messages in flight", received == SIGTERM ? "SIGTERM" : "SIGINT"));
        if (auto* w = running.load()) w->stop();
        return;
      }
    });
    auto end_signal_thread = [&] {
      stopping.store(true);
      pthread_kill(signal_thread.native_handle(), SIGTERM);
      signal_thread.join();
    };

    std::string folder = args->profiles, persons_file = args->persons, bucket_name = args->bucket, key = args->key;
    bool has_persons = persons->count() > 0;
    auto source = [&](jsCtx* js) -> Expected<std::unique_ptr<worker::ProfileSource>> {
      if (!bucket_name.empty()) return worker::bucketSource(js, bucket_name, key, work_dir);
      return worker::folderSource(folder, has_persons ? std::optional<std::string>(persons_file) : std::nullopt);
    };
    bool profile_errors = false;
    auto started = worker::ScreeningWorker::start(options, source, log, stopping, &profile_errors);
    if (!started) {
      end_signal_thread();
      const std::string& message = started.error().message;
      fmt::print(stderr, "{}{}", message, !message.empty() && message.back() != '\n' ? "\n" : "");
      log(profile_errors ? "the profiles cannot screen; not started" : "not started");
      return profile_errors ? kExitProfileErrors : kExitUsage;
    }
    worker::ScreeningWorker& w = **started;
    std::unique_ptr<worker::MetricsListener> metrics;
    if (metrics_address) {
      metrics = std::make_unique<worker::MetricsListener>([&w] { return w.metricsText(); });
      auto bound = metrics->start(metrics_address->host, metrics_address->port);
      if (!bound) {
        end_signal_thread();
        return usage(bound.error().message);
      }
      log(fmt::format("metrics on http://{}:{}/metrics", metrics_address->host, *bound));
    }
    running.store(&w);
    if (stopping.load()) w.stop();
    log(fmt::format("consuming {} through consumer {}; decisions to {}, dead letters to {}", options.input_subject,
                    options.consumer, options.results_subject, options.dead_subject));
    w.run();
    running.store(nullptr);
    end_signal_thread();
    const auto& m = w.metrics();
    log(fmt::format("stopped: {} messages, {} decisions, {} dead letters; {} messages were redelivered, {} decisions "
                    "the results stream already held",
                    m.messages.load(), m.declarations.load(), m.dead_lettered.load(), m.redelivered.load(),
                    m.duplicates.load()));
    return kExitOk;
  };
}

}  // namespace tauekel::cli
