// The tauekel command: a thin shell that dispatches to one command file each.

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"

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
