#pragma once
// `tauekel worker`: declarations taken from a JetStream stream through a durable pull
// consumer that any number of workers share, screened in batches, and each decision
// stored in a results stream before the declaration's message is acknowledged.
//
// Nothing is lost and nothing is decided twice:
// - a message is acknowledged only once every decision made of it has been stored (the
//   publish acknowledged by JetStream); a worker killed before that leaves it
//   unacknowledged, and the broker delivers it again after the consumer's ack wait;
// - each decision is published with the message id "KEY@VERSION", so the results
//   stream drops the second copy of a redelivered declaration (within its duplicate
//   window, which must be longer than the ack wait);
// - a message that cannot be read goes to the dead-letter subject with the reason and
//   is then acknowledged, so it never blocks the stream;
// - a publish that fails gives the message back (nak) for another try.
//
// The profile set is polled between batches and reloaded when it changed; a set with
// errors is refused and the one in force stays. Every decision carries its version.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/json_input.h"
#include "engine/decision_writer.h"
#include "governance/audit_log.h"
#include "engine/screener.h"
#include "runtime/jit/kernel_compiler.h"
#include "runtime/load/value_batch_builder.h"
#include "worker/nats_client.h"
#include "worker/profile_source.h"
#include "worker/worker_metrics.h"

namespace tauekel::worker {

struct WorkerOptions {
  std::string servers = "nats://127.0.0.1:4222";
  std::string name = "tauekel-worker";            // the client name the broker shows
  std::string input_stream = "TAUEKEL_DECLARATIONS";
  std::string input_subject = "tauekel.declarations";
  std::string consumer = "tauekel-worker";
  std::string results_stream = "TAUEKEL_DECISIONS";
  std::string results_subject = "tauekel.decisions";
  std::string dead_stream = "TAUEKEL_DEAD_LETTERS";
  std::string dead_subject = "tauekel.dead";
  int64_t ack_wait_ms = 30'000;
  int64_t duplicate_window_ms = 20 * 60'000;  // for a results stream the worker makes
  size_t batch = 256;          // messages fetched and screened together
  size_t max_inflight = 1024;  // messages received and not yet acknowledged
  int64_t reload_check_ms = 1000;
  engine::JsonInputLimits limits{10000, 100000, "message"};  // per message
  engine::ScreenerOptions screener;
  std::string kernel_cache;
  engine::OutputOptions output;  // the audience the results stream is for
  std::string audit_log;          // a record of the start and of every reload; "": none
  std::string operator_name;
};

class ScreeningWorker {
 public:
  // Connects (waiting for the broker), makes the streams and the consumer when
  // missing, and loads the profile set. `source` is made once connected (a bucket
  // needs the connection).
  using SourceFactory = std::function<Expected<std::unique_ptr<ProfileSource>>(jsCtx*)>;
  // `profile_errors` is set when what failed is the profile set itself (its
  // diagnostics are the error's text).
  static Expected<std::unique_ptr<ScreeningWorker>> start(const WorkerOptions& options, SourceFactory source,
                                                          std::function<void(const std::string&)> log,
                                                          const std::atomic<bool>& stopping, bool* profile_errors);
  ~ScreeningWorker();

  // Screens until stop(); then stops fetching, waits (at most `drain_ms`) until every
  // message in flight is acknowledged or given back, and returns.
  void run(int64_t drain_ms = 30'000);
  void stop() { stopping_.store(true); }
  // Looks for a changed profile set before the next batch (SIGHUP).
  void checkProfilesNow() { last_reload_check_ms_.store(0); }

  const WorkerMetrics& metrics() const { return metrics_; }
  // The metrics in Prometheus text, with the connection's losses.
  std::string metricsText() const { return metrics_.render(connection_->disconnections()); }
  std::string version() const;

  // Published decisions and dead letters whose acknowledgement is awaited, each tied
  // to the input message it came from.
  struct Pending;

 private:
  ScreeningWorker(const WorkerOptions& options, std::function<void(const std::string&)> log);
  Expected<bool> setUp(SourceFactory source, const std::atomic<bool>& stopping);
  // Polls the source; loads a changed set. At start an error when it cannot; later a
  // refused set is logged and false.
  Expected<bool> reload(bool first);
  void processBatch(std::vector<nats::Msg>& messages);
  void screenAndPublish(std::vector<std::pair<nats::Msg, size_t>>& batch);  // message, declarations
  void deadLetter(nats::Msg message, const std::string& reason);
  void publish(nats::Msg out, const std::shared_ptr<Pending>& pending, const std::string& message_id);
  void settle(const std::shared_ptr<Pending>& pending, bool stored, bool duplicate);
  static void onPublishAck(jsCtx* js, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure);

  WorkerOptions options_;
  std::function<void(const std::string&)> log_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<nats::Connection> connection_;
  nats::Subscription subscription_;
  std::unique_ptr<ProfileSource> source_;
  std::shared_ptr<runtime::jit::KernelCompiler> compiler_;
  std::shared_ptr<const engine::Screener> screener_;
  std::unique_ptr<runtime::ValueBatchBuilder> builder_;
  std::unique_ptr<engine::Screener::Context> context_;
  std::shared_ptr<const engine::DecisionFormat> format_;  // of screener_
  std::unique_ptr<engine::DecisionWriter> writer_;
  std::vector<Decision> decisions_;
  std::atomic<int64_t> last_reload_check_ms_{0};
  bool profile_errors_ = false;  // what start() failed on
  std::optional<governance::AuditLog> audit_;

  std::mutex pending_mutex_;
  std::condition_variable settled_;
  std::unordered_map<natsMsg*, std::shared_ptr<Pending>> awaiting_;  // by published message
  WorkerMetrics metrics_;
};

// The message id of a decision: its key (bytes that a header cannot hold escaped as
// %XX) and the version.
std::string decisionMessageId(std::string_view key, const std::string& version);

}  // namespace tauekel::worker
