#pragma once
// What a worker counts, in the Prometheus text format (0.0.4): messages and
// declarations processed, redelivered, dead-lettered, publishes that failed, the lag
// (messages in the stream not yet delivered to any worker), the messages in flight,
// connection losses, reloads, and the profile-set version in force.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace tauekel::worker {

struct WorkerMetrics {
  std::atomic<uint64_t> messages{0};        // acknowledged after their decisions were stored
  std::atomic<uint64_t> declarations{0};    // decisions stored
  std::atomic<uint64_t> selected{0};        // of those, selected by a profile
  std::atomic<uint64_t> redelivered{0};     // messages delivered more than once
  std::atomic<uint64_t> dead_lettered{0};   // messages that could not be read
  std::atomic<uint64_t> publish_failures{0};  // messages given back (nak) because a publish failed
  std::atomic<uint64_t> duplicates{0};      // decisions the results stream already had
  std::atomic<uint64_t> lag{0};
  std::atomic<uint64_t> inflight{0};
  std::atomic<uint64_t> batches{0};
  std::atomic<uint64_t> reloads_accepted{0};
  std::atomic<uint64_t> reloads_refused{0};

  void version(const std::string& v) {
    std::lock_guard lock(mutex_);
    version_ = v;
  }
  // `disconnections`: the connection's count, read when rendered.
  std::string render(uint64_t disconnections) const;

 private:
  mutable std::mutex mutex_;
  std::string version_;
};

}  // namespace tauekel::worker
