#pragma once
// What the commands that talk to a NATS broker share: the --nats option, one attempt to
// connect (a command, unlike the worker, does not wait for a broker), and their errors.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "support/expected.h"
#include "worker/nats_client.h"

namespace tauekel::cli {

void addNatsOption(CLI::App& cmd, std::string& servers);
Expected<std::unique_ptr<worker::nats::Connection>> connectOnce(const std::string& servers, const std::string& name);
// Prints "tauekel COMMAND: MESSAGE" (made safe for a terminal) on stderr; returns `code`.
int commandError(const char* command, int code, const std::string& message);

}  // namespace tauekel::cli
