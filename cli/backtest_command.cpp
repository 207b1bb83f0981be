// tauekel backtest: screen declarations of the past as each profile version in force on
// their dates would have, match them with control results and report how effective each
// profile was; with --baseline, two profile sets side by side.

#include <fmt/format.h>

#include "cli/backtest_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "effectiveness/report_output.h"
#include "support/output_file.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct Args {
  BacktestArgs backtest;
  std::string format = "text";
  std::string out;
};
std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

Runner addBacktestCommand(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("backtest", "Screen past declarations and measure each profile against control results");
  addBacktestOptions(*cmd, args->backtest);
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--out", args->out, "Write the report to this file (replaced only when all is written)");
  cmd->footer("Every control result row is counted once or reported (file, line, field): unreadable, repeated, "
              "disagreeing with another row, for a goods item the declaration lacks, for no declaration screened, or "
              "set aside (outside the period, or --among does not hold). Exit codes: 0 done; 1 errors in the "
              "profiles; 2 usage or input error; 3 declaration or result rows not counted (reported); 4 the report "
              "could not be written.");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    // Checked before anything is read: the report must not replace an input.
    std::unique_ptr<io::OutputFile> out;
    if (!args->out.empty() && args->out != "-") {
      auto opened = io::OutputFile::open(args->out, backtestInputs(args->backtest));
      if (!opened) {
        fmt::print(stderr, "tauekel backtest: {}\n", shown(opened.error().message));
        return kExitUsage;
      }
      out = opened.take();
    }
    int exit_code = kExitOk;
    auto report = runBacktest(args->backtest, "backtest", exit_code);
    if (!report) return exit_code;
    std::string text = args->format == "json" ? effectiveness::backtestJson(*report) : effectiveness::backtestText(*report);
    if (out) {
      if (auto written = out->write(text); !written) {
        fmt::print(stderr, "tauekel backtest: {}\n", shown(written.error().message));
        return kExitOutput;
      }
      if (auto committed = out->commit(); !committed) {
        fmt::print(stderr, "tauekel backtest: {}\n", shown(committed.error().message));
        return kExitOutput;
      }
    } else {
      fmt::print("{}", text);
      if (std::fflush(stdout) != 0) return kExitOutput;
    }
    return backtestExitCode(*report);
  };
}

}  // namespace tauekel::cli
