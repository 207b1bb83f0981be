#pragma once
// A stream's messages from its first, in order, through a consumer of the reader's own
// that acknowledges nothing and goes away with it: for `tauekel decisions` (the results
// and dead letters read back as JSON Lines) and for the tests.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "support/expected.h"
#include "worker/nats_client.h"

namespace tauekel::worker {

// Calls `each` with every message the stream holds, in order; with `follow`, goes on
// waiting for new ones until `stop` turns true. The number of messages read, or why the
// stream cannot be read.
Expected<uint64_t> readStream(nats::Connection& connection, const std::string& stream, bool follow,
                              const std::atomic<bool>& stop, const std::function<void(natsMsg*)>& each);

}  // namespace tauekel::worker
