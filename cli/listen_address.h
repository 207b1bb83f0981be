#pragma once
// HOST:PORT as `serve --listen` and `worker --metrics` take it.

#include <string>

#include "support/expected.h"

namespace tauekel::cli {

struct ListenAddress {
  std::string host;
  int port = 0;  // 0: any free port
};

// The address, or a usage message naming `option`.
Expected<ListenAddress> parseListenAddress(const std::string& option, const std::string& text);

}  // namespace tauekel::cli
