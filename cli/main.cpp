// The tauekel command: a thin shell that dispatches to one command file each.

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "support/text.h"
#include "support/utf8.h"

int main(int argc, char** argv) {
  using namespace tauekel::cli;
  guardStandardStreams();
  installSignalHandlers();
  CLI::App app{"Tauekel: customs risk profiles, checked and compiled"};
  app.set_version_flag("--version", std::string("tauekel ") + TAUEKEL_VERSION);
  app.require_subcommand(1);
  std::vector<Runner> commands = {addCheckCommand(app), addRunCommand(app), addExplainCommand(app), addKeygenCommand(app),
                                  addApproveCommand(app), addRevokeCommand(app), addVerifyCommand(app), addCoverageCommand(app), addAuditCommand(app), addCategorizeCommand(app), addCompileCommand(app),
                                  addServeCommand(app),
                                  addWorkerCommand(app), addPublishCommand(app), addPushProfilesCommand(app),
                                  addDecisionsCommand(app), addBacktestCommand(app), addLearnCommand(app), addReportCommand(app)};
  // A word that names no command: say so, and the closest, rather than CLI11's
  // "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      names.push_back(sub->get_name());
      known = known || sub->get_name() == argv[1];
    }
    if (!known) {
      std::string closest = tauekel::text::closest(argv[1], names);
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
      fmt::print(stderr, "tauekel: unknown command `{}`{}\ncommands: {}\n", tauekel::utf8::sanitize(argv[1], true),
                 closest.empty() ? std::string() : fmt::format("; did you mean `{}`?", closest), all);
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& run : commands) {
    int code = run();
    if (code >= 0) return code;
  }
  return kExitUsage;
}
