#include "worker/worker_metrics.h"

#include <fmt/format.h>

namespace tauekel::worker {

std::string WorkerMetrics::render(uint64_t disconnections) const {
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help, uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, type, value);
  };
  metric("tauekel_worker_messages_total", "counter", "Messages acknowledged after their decisions were stored",
         messages.load());
  metric("tauekel_worker_declarations_total", "counter", "Decisions stored in the results stream",
         declarations.load());
  metric("tauekel_worker_selected_total", "counter", "Decisions stored that a profile selected", selected.load());
  metric("tauekel_worker_redelivered_total", "counter", "Messages received that had been delivered before",
         redelivered.load());
  metric("tauekel_worker_dead_lettered_total", "counter", "Messages that could not be read, sent to dead letters",
         dead_lettered.load());
  metric("tauekel_worker_publish_failures_total", "counter",
         "Messages given back for redelivery because a publish was not acknowledged", publish_failures.load());
  metric("tauekel_worker_duplicate_decisions_total", "counter",
         "Decisions the results stream already held (a redelivered declaration)", duplicates.load());
  metric("tauekel_worker_batches_total", "counter", "Screening calls", batches.load());
  metric("tauekel_worker_disconnections_total", "counter", "Connections to NATS lost", disconnections);
  out += "# HELP tauekel_worker_reloads_total Profile-set reloads by result\n# TYPE tauekel_worker_reloads_total counter\n";
  out += fmt::format("tauekel_worker_reloads_total{{result=\"accepted\"}} {}\n", reloads_accepted.load());
  out += fmt::format("tauekel_worker_reloads_total{{result=\"refused\"}} {}\n", reloads_refused.load());
  metric("tauekel_worker_lag_messages", "gauge", "Messages in the stream not yet delivered to a worker", lag.load());
  metric("tauekel_worker_inflight_messages", "gauge", "Messages received and not yet acknowledged",
         inflight.load());
  std::lock_guard lock(mutex_);
  out += "# HELP tauekel_worker_profile_set_info The profile-set version in force\n"
         "# TYPE tauekel_worker_profile_set_info gauge\n";
  out += fmt::format("tauekel_worker_profile_set_info{{version=\"{}\"}} 1\n", version_);
  return out;
}

}  // namespace tauekel::worker
