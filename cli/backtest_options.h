#pragma once
// The options `tauekel backtest` and `tauekel report` share: what to screen, against
// which results, split and ranked how.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "effectiveness/backtest.h"
#include "support/expected.h"

namespace tauekel::cli {

struct BacktestArgs {
  std::string profiles, baseline, declarations, results, persons, from, to;
  std::string on_error = "fail";
  std::vector<std::string> by;
  std::string rank_by, among;
  uint32_t stale_after = 20;
  bool quiet = false;
  uint64_t reported = 0;  // rows not counted, reported so far
};

void addBacktestOptions(CLI::App& cmd, BacktestArgs& args);
// The library's options from the arguments; reports go to stderr (the first 100).
Expected<effectiveness::BacktestOptions> backtestOptions(BacktestArgs& args);
// Every file the backtest reads: no output may replace one.
std::vector<std::string> backtestInputs(const BacktestArgs& args);
// Runs it; a failure is printed and its exit code returned through `exit_code`.
std::optional<effectiveness::BacktestReport> runBacktest(BacktestArgs& args, const char* command, int& exit_code);
// 3 when rows were not counted, else 0.
int backtestExitCode(const effectiveness::BacktestReport& report);

}  // namespace tauekel::cli
