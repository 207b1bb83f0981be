#pragma once
// Declarations put into the input stream, one message per declaration: each line of a
// JSON Lines file as it is. For feeding workers from files (`tauekel publish`), and for
// the tests and benchmarks of the worker. A line's message id is a hash of its text, so
// publishing the same file again within the stream's duplicate window adds nothing.

#include <cstdint>
#include <functional>
#include <string>

#include "support/expected.h"
#include "worker/nats_client.h"

namespace tauekel::worker {

struct PublishCount {
  uint64_t lines = 0;  // declarations read, published and acknowledged by the stream
};

// Publishes every non-blank line of `path` ("-": standard input) to `subject` and waits
// until the stream has acknowledged each. An error names the file and line that could
// not be read, or how many publishes were not acknowledged.
Expected<PublishCount> publishJsonLines(nats::Connection& connection, const std::string& path,
                                        const std::string& subject, uint64_t max_line_bytes);

}  // namespace tauekel::worker
