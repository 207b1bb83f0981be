#include "cli/listen_address.h"

#include <fmt/format.h>

namespace tauekel::cli {

Expected<ListenAddress> parseListenAddress(const std::string& option, const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Error{fmt::format("{} \"{}\": expected HOST:PORT, such as 127.0.0.1:8080", option, text)};
  std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535)
    return Error{fmt::format("{} \"{}\": the port must be a number from 0 to 65535", option, text)};
  return ListenAddress{text.substr(0, colon), std::stoi(port)};
}

}  // namespace tauekel::cli
