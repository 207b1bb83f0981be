// tauekel compile: a repository checked and sealed into one package file (.tkp) that
// run, explain, serve and worker take in place of the folder.

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "governance/approvals.h"
#include "governance/package.h"
#include "support/output_file.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct CompileArgs {
  std::string profiles;
  std::string out;
};
std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

Runner addCompileCommand(CLI::App& app) {
  auto args = std::make_shared<CompileArgs>();
  auto* cmd = app.add_subcommand("compile", "Seal a checked repository into one package file (.tkp)");
  cmd->add_option("profiles", args->profiles, "Profile repository (directory)")->required();
  cmd->add_option("-o,--out", args->out, "The package to write (FILE.tkp)")->required();
  cmd->footer("The package holds the checked program, the lists and tables, the approvals and metadata, and no profile "
              "source text; SOURCE_DATE_EPOCH sets its compile time (else the newest input's). Exit codes: 0 written; "
              "1 errors in the profiles; 2 usage; 4 it could not be written.");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    if (!governance::isPackagePath(args->out))
      return fmt::print(stderr, "tauekel compile: {}: a package's name ends in .tkp\n", shown(args->out)), kExitUsage;
    if (governance::isPackagePath(args->profiles))
      return fmt::print(stderr, "tauekel compile: {} is a package already; give the repository\n", shown(args->profiles)),
             kExitUsage;
    int code = kExitOk;
    auto compilation = checkedRepository(args->profiles, "compile", code);
    if (!compilation) return code;
    std::string folder = governance::approvalsFolder(*compilation, args->profiles);
    std::vector<std::string> inputs = compilation->files_read();
    if (auto refused = io::refuseInput(args->out, inputs); !refused)
      return fmt::print(stderr, "tauekel compile: {}\n", shown(refused.error().message)), kExitUsage;
    auto written = governance::writePackage(*compilation, folder, args->out, std::string("tauekel ") + TAUEKEL_VERSION);
    if (!written) return fmt::print(stderr, "tauekel compile: {}\n", shown(written.error().message)), kExitOutput;
    fmt::print("{}: {} profiles, {} approvals files, {} ({})\n", shown(args->out), written->profiles,
               written->approvals_files, written->sha256, written->compiled);
    return kExitOk;
  };
}

}  // namespace tauekel::cli
