// `tauekel decisions`: what the workers stored, read back as JSON Lines: the decisions
// (each with the version that made it), or the dead letters with why each could not be
// read. --follow goes on printing as new ones come, until interrupted.

#include <fmt/format.h>

#include <atomic>

#include "cli/broker_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "support/json.h"
#include "support/utf8.h"
#include "worker/stream_reader.h"

namespace tauekel::cli {

namespace {

struct DecisionsArgs {
  std::string servers = "nats://127.0.0.1:4222";
  std::string stream;
  bool dead_letters = false;
  bool follow = false;
};

int fail(const std::string& message) { return commandError("decisions", kExitUsage, message); }

}  // namespace

Runner addDecisionsCommand(CLI::App& app) {
  auto args = std::make_shared<DecisionsArgs>();
  auto* cmd = app.add_subcommand("decisions", "Print the decisions (or dead letters) the workers stored, as JSON Lines");
  addNatsOption(*cmd, args->servers);
  cmd->add_option("--stream", args->stream,
                  "Stream to read (default: TAUEKEL_DECISIONS, or TAUEKEL_DEAD_LETTERS with --dead-letters)");
  cmd->add_flag("--dead-letters", args->dead_letters,
                "The messages the workers could not read: {\"sequence\",\"subject\",\"error\",\"message\"} per line");
  cmd->add_flag("-f,--follow", args->follow, "Go on printing new ones as they come, until interrupted");
  cmd->footer("A dead letter's message is shown as text, with any invalid UTF-8 as U+FFFD. Exit codes: 0 read; 2 "
              "usage error, or the stream cannot be read; 4 the output could not be written.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    std::string stream = !args->stream.empty() ? args->stream
                         : args->dead_letters  ? "TAUEKEL_DEAD_LETTERS"
                                               : "TAUEKEL_DECISIONS";
    auto connection = connectOnce(args->servers, "tauekel-decisions");
    if (!connection) return fail(connection.error().message);
    std::atomic<bool> never{false};
    std::string line;
    bool dead = args->dead_letters;
    auto read = worker::readStream(**connection, stream, args->follow, never, [&](natsMsg* m) {
      std::string_view data(natsMsg_GetData(m), static_cast<size_t>(natsMsg_GetDataLength(m)));
      line.clear();
      if (dead) {
        // Anyone may publish to the subject: every header is checked or made valid text.
        std::string sequence = worker::nats::header(m, "Tauekel-Sequence");
        bool number = !sequence.empty() && sequence.size() <= 20 &&
                      sequence.find_first_not_of("0123456789") == std::string::npos;
        json::Writer w(line);
        w.beginObject().key("sequence").raw(number ? sequence : "null");
        w.key("subject").value(utf8::sanitize(worker::nats::header(m, "Tauekel-Subject")));
        w.key("error").value(utf8::sanitize(worker::nats::header(m, "Tauekel-Error")));
        w.key("message").value(utf8::sanitize(data)).endObject();
      } else {
        line.assign(data);
      }
      line.push_back('\n');
      std::fwrite(line.data(), 1, line.size(), stdout);
      if (args->follow) std::fflush(stdout);
    });
    if (!read) return fail(read.error().message);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      return commandError("decisions", kExitOutput, "the output could not be written");
    }
    return kExitOk;
  };
}

}  // namespace tauekel::cli
