// `tauekel publish`: declarations from a JSON Lines file into the workers' input stream,
// one message per line, each acknowledged by the stream before the command succeeds.

#include <fmt/format.h>

#include <atomic>

#include "cli/broker_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "support/input_file.h"
#include "worker/declaration_publisher.h"

namespace tauekel::cli {

namespace {

struct PublishArgs {
  std::string declarations;
  std::string servers = "nats://127.0.0.1:4222";
  std::string stream = "TAUEKEL_DECLARATIONS";
  std::string subject = "tauekel.declarations";
  std::string max_record_bytes = "16M";
};

int fail(int code, const std::string& message) { return commandError("publish", code, message); }

}  // namespace

Runner addPublishCommand(CLI::App& app) {
  auto args = std::make_shared<PublishArgs>();
  auto* cmd = app.add_subcommand("publish", "Put declarations (JSON Lines) into the workers' input stream");
  cmd->add_option("--declarations", args->declarations, "Declarations, one JSON object per line (.jsonl); - reads "
                                                        "standard input")->required();
  addNatsOption(*cmd, args->servers);
  cmd->add_option("--stream", args->stream, "Stream of declarations (made if missing)")->capture_default_str();
  cmd->add_option("--subject", args->subject, "Its subject")->capture_default_str();
  cmd->add_option("--max-record-bytes", args->max_record_bytes, "Longest line read (K, M, G suffixes)")
      ->capture_default_str();
  cmd->footer("Lines are published as they are: the workers read them, and send what they cannot read to their "
              "dead-letter subject. Publishing a file again within the stream's duplicate window adds nothing. "
              "Exit codes: 0 every line stored; 2 usage or input error, or the broker did not store them all.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    auto limit = io::parseByteCount(args->max_record_bytes);
    if (!limit || *limit == 0)
      return fail(kExitUsage, fmt::format("--max-record-bytes \"{}\": expected a size such as 16M",
                                          args->max_record_bytes));
    auto connection = connectOnce(args->servers, "tauekel-publish");
    if (!connection) return fail(kExitUsage, connection.error().message);
    worker::nats::StreamSpec spec{args->stream, args->subject, 0};
    if (auto ok = worker::nats::ensureStream((*connection)->js(), spec); !ok) return fail(kExitUsage, ok.error().message);
    auto count = worker::publishJsonLines(**connection, args->declarations, args->subject, *limit);
    if (!count) return fail(kExitUsage, count.error().message);
    fmt::print(stderr, "tauekel publish: {} declarations stored in {} ({})\n", count->lines, args->stream,
               args->subject);
    return kExitOk;
  };
}

}  // namespace tauekel::cli
