#pragma once
// One file per command: each turns its arguments into library calls and an exit code.

#include <CLI/CLI.hpp>
#include <functional>

namespace tauekel::cli {

// Registers the command on the app; the returned function runs it once parsed.
using Runner = std::function<int()>;
Runner addCheckCommand(CLI::App& app);
Runner addRunCommand(CLI::App& app);
Runner addExplainCommand(CLI::App& app);
Runner addKeygenCommand(CLI::App& app);
Runner addApproveCommand(CLI::App& app);
Runner addRevokeCommand(CLI::App& app);
Runner addVerifyCommand(CLI::App& app);
Runner addCoverageCommand(CLI::App& app);
Runner addAuditCommand(CLI::App& app);
Runner addCategorizeCommand(CLI::App& app);
Runner addCompileCommand(CLI::App& app);
Runner addServeCommand(CLI::App& app);
Runner addWorkerCommand(CLI::App& app);
Runner addPublishCommand(CLI::App& app);
Runner addPushProfilesCommand(CLI::App& app);
Runner addDecisionsCommand(CLI::App& app);
Runner addBacktestCommand(CLI::App& app);
Runner addLearnCommand(CLI::App& app);
Runner addReportCommand(CLI::App& app);

}  // namespace tauekel::cli
