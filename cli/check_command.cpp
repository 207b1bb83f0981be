// tauekel check: parse and check profile repositories, report diagnostics.

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "compiler/diag/render.h"
#include "compiler/frontend.h"
#include "support/input_file.h"
#include "support/output_file.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string color = "auto";
  std::string max_data_bytes = "1G";
  bool deny_warnings = false;
  bool quiet = false;
};
}  // namespace

Runner addCheckCommand(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "Parse and type-check .risk files; report diagnostics");
  cmd->add_option("paths", args->paths, ".risk files or directories (searched recursively)")->required();
  cmd->add_option("--format", args->format, "Diagnostics format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("--color", args->color, "Color text diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--max-data-bytes", args->max_data_bytes, "Largest list or table file read (K, M, G suffixes)")
      ->capture_default_str();
  cmd->add_flag("--deny-warnings", args->deny_warnings, "Fail (exit 1) on warnings too");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary line");

  return [cmd, args]() -> int {
    if (!cmd->parsed()) return -1;
    CompileOptions options;
    options.inputs = args->paths;
    auto data_limit = io::parseByteCount(args->max_data_bytes);
    if (!data_limit) {
      fmt::print(stderr, "tauekel: --max-data-bytes {}\n", data_limit.error().message);
      return kExitUsage;
    }
    options.max_data_bytes = *data_limit;
    auto compiled = compile(options);
    if (!compiled) {
      fmt::print(stderr, "tauekel: {}\n", utf8::sanitize(compiled.error().message, /*controls=*/true));
      return kExitUsage;
    }
    const Compilation& c = **compiled;
    diag::RenderOptions render;
    render.tool_version = TAUEKEL_VERSION;
    render.color = args->color == "always" || (args->color == "auto" && isatty(STDOUT_FILENO));
    diag::Format format = args->format == "json"    ? diag::Format::Json
                          : args->format == "sarif" ? diag::Format::Sarif
                                                    : diag::Format::Text;
    std::string text = diag::render(format, c.diagnostics, c.sources, render);
    if (!text.empty()) {
      auto out = io::OutputFile::open(io::kStdout);
      Expected<bool> written = out ? (*out)->write(text) : Expected<bool>(out.error());
      if (!written) {
        fmt::print(stderr, "tauekel: {}\n", written.error().message);
        return kExitOutput;
      }
    }

    size_t errors = c.diagnostics.errorCount(), warnings = c.diagnostics.warningCount();
    if (!args->quiet && format == diag::Format::Text) {
      size_t profiles = c.target_profiles;
      fmt::print(stderr, "checked {} file{}, {} profile{}: {} error{}, {} warning{}\n", c.target_files,
                 c.target_files == 1 ? "" : "s", profiles, profiles == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
                 warnings, warnings == 1 ? "" : "s");
    }
    if (errors > 0 || (args->deny_warnings && warnings > 0)) return kExitProfileErrors;
    return kExitOk;
  };
}

}  // namespace tauekel::cli
