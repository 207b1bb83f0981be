// tauekel report: a backtest as a self-contained HTML page with charts, and the same
// figures as JSON.

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
  std::string html, json;
};
std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

Runner addReportCommand(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("report", "A backtest as an HTML page with charts, and its figures as JSON");
  addBacktestOptions(*cmd, args->backtest);
  cmd->add_option("--html", args->html, "Write the page here")->required();
  cmd->add_option("--json", args->json, "Write the figures as JSON here too");
  cmd->footer("The page holds everything it shows (inline SVG charts, no script, nothing loaded). Exit codes as for "
              "backtest.");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    std::vector<std::string> inputs = backtestInputs(args->backtest);
    if (!args->json.empty() && args->json == args->html) {
      fmt::print(stderr, "tauekel report: --html and --json name the same file\n");
      return kExitUsage;
    }
    std::vector<std::pair<std::unique_ptr<io::OutputFile>, bool>> outputs;  // file, is html
    for (auto [path, is_html] : {std::pair{args->html, true}, std::pair{args->json, false}}) {
      if (path.empty()) continue;
      auto opened = io::OutputFile::open(path, inputs);
      if (!opened) {
        fmt::print(stderr, "tauekel report: {}\n", shown(opened.error().message));
        return kExitUsage;
      }
      outputs.emplace_back(opened.take(), is_html);
    }
    int exit_code = kExitOk;
    auto report = runBacktest(args->backtest, "report", exit_code);
    if (!report) return exit_code;
    for (auto& [file, is_html] : outputs) {
      std::string text = is_html ? effectiveness::backtestHtml(*report) : effectiveness::backtestJson(*report);
      if (auto written = file->write(text); !written) {
        fmt::print(stderr, "tauekel report: {}\n", shown(written.error().message));
        return kExitOutput;
      }
    }
    for (auto& [file, is_html] : outputs)
      if (auto committed = file->commit(); !committed) {
        fmt::print(stderr, "tauekel report: {}\n", shown(committed.error().message));
        return kExitOutput;
      }
    return backtestExitCode(*report);
  };
}

}  // namespace tauekel::cli
