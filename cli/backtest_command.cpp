// tauekel backtest: screen declarations of the past as each profile version in force on
// their dates would have, match them with control results and report how effective each
// profile was; with --baseline, two profile sets side by side.

#include <fmt/format.h>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "effectiveness/backtest.h"
#include "effectiveness/report_output.h"
#include "runtime/jit/object_store.h"
#include "support/date.h"
#include "support/output_file.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {

struct BacktestArgs {
  std::string profiles, baseline, declarations, results, persons, out, from, to;
  std::string format = "text";
  std::string on_error = "fail";
  std::vector<std::string> by;
  std::string rank_by, among;
  uint32_t stale_after = 20;
  bool quiet = false;
};

std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }

int usage(const std::string& message) {
  fmt::print(stderr, "tauekel backtest: {}\n", shown(message));
  return kExitUsage;
}

}  // namespace

Runner addBacktestCommand(CLI::App& app) {
  auto args = std::make_shared<BacktestArgs>();
  auto* cmd = app.add_subcommand("backtest", "Screen past declarations and measure each profile against control results");
  cmd->add_option("--profiles", args->profiles, "Profile repository, .risk file or package")->required();
  cmd->add_option("--declarations", args->declarations, "Declarations of the past (.csv or .jsonl)")->required();
  cmd->add_option("--results", args->results, "Control results (.csv or .jsonl), as the repository's `schema result` says")
      ->required();
  cmd->add_option("--persons", args->persons, "Person register (.csv)");
  cmd->add_option("--baseline", args->baseline, "A second profile set (another version, or a package) to compare with");
  cmd->add_option("--from", args->from, "First declaration date screened (YYYY-MM-DD)");
  cmd->add_option("--to", args->to, "Last declaration date screened (YYYY-MM-DD)");
  cmd->add_option("--by", args->by, "Declaration field to split the figures by (repeatable; default: office, if any)");
  cmd->add_option("--rank-by", args->rank_by,
                  "The risk score to rank declarations by (default: the first the profiles declare, else by level)");
  cmd->add_option("--among", args->among,
                  "A declaration indicator of the profiles: screen only the declarations it holds for");
  cmd->add_option("--stale-after", args->stale_after,
                  "Flag a profile for revision after this many controlled selections without a violation")
      ->check(CLI::Range(1u, 1000000u));
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--out", args->out, "Write the report to this file (replaced only when all is written)");
  cmd->add_option("--on-error", args->on_error, "A bad declaration row: fail (stop) or skip (report and go on)")
      ->check(CLI::IsMember({"fail", "skip"}));
  cmd->add_flag("-q,--quiet", args->quiet, "No list of rows not counted");
  cmd->footer("Every control result row is counted once or reported (file, line, field): unreadable, repeated, "
              "disagreeing with another row, for a goods item the declaration lacks, for no declaration screened, or "
              "outside the period. Exit codes: 0 done; 1 errors in the profiles; 2 usage or input error; 3 "
              "declaration or result rows not counted (reported); 4 the report could not be written.");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    effectiveness::BacktestOptions options;
    options.profiles = args->profiles;
    options.declarations = args->declarations;
    options.results = args->results;
    if (!args->persons.empty()) options.persons = args->persons;
    if (!args->baseline.empty()) options.baseline = args->baseline;
    for (auto [text, target, flag] : {std::tuple{&args->from, &options.from, "--from"},
                                      std::tuple{&args->to, &options.to, "--to"}}) {
      if (text->empty()) continue;
      auto day = date::parse(*text);
      if (!day) return usage(fmt::format("{} {}: not a date (YYYY-MM-DD)", flag, *text));
      *target = *day;
    }
    options.by = args->by;
    options.rank_by = args->rank_by;
    options.among = args->among;
    options.metrics.stale_after = args->stale_after;
    options.on_error = args->on_error == "skip" ? runtime::OnError::Skip : runtime::OnError::Fail;
    options.kernel_cache = runtime::jit::KernelObjectStore::defaultDirectory();
    uint64_t reported = 0;
    const bool quiet = args->quiet;
    options.report = [&reported, quiet](const runtime::LoadError& e) {
      if (++reported <= 100 && !quiet) fmt::print(stderr, "{}\n", shown(e.format()));
    };
    options.warn = [](const std::string& message) { fmt::print(stderr, "tauekel: warning: {}\n", shown(message)); };

    // Checked before anything is read: the report must not replace an input.
    std::vector<std::string> inputs = {args->declarations, args->results, args->profiles};
    if (!args->persons.empty()) inputs.push_back(args->persons);
    if (!args->baseline.empty()) inputs.push_back(args->baseline);
    std::unique_ptr<io::OutputFile> out;
    if (!args->out.empty() && args->out != "-") {
      auto opened = io::OutputFile::open(args->out, inputs);
      if (!opened) return usage(opened.error().message);
      out = opened.take();
    }

    auto result = effectiveness::backtest(options);
    if (auto* error = std::get_if<effectiveness::BacktestError>(&result)) {
      if (error->kind == effectiveness::BacktestFailure::Profiles) {
        printDiagnostics(*error->compilation);
        fmt::print(stderr, "tauekel backtest: the profiles have errors\n");
        return kExitProfileErrors;
      }
      fmt::print(stderr, "tauekel backtest: {}\n", shown(error->message));
      return error->kind == effectiveness::BacktestFailure::Data ? kExitBadData : kExitUsage;
    }
    const auto& report = std::get<effectiveness::BacktestReport>(result);
    std::string text = args->format == "json" ? effectiveness::backtestJson(report) : effectiveness::backtestText(report);
    if (out) {
      if (auto written = out->write(text); !written) return fmt::print(stderr, "tauekel backtest: {}\n", shown(written.error().message)), kExitOutput;
      if (auto committed = out->commit(); !committed)
        return fmt::print(stderr, "tauekel backtest: {}\n", shown(committed.error().message)), kExitOutput;
    } else {
      fmt::print("{}", text);
      if (std::fflush(stdout) != 0) return kExitOutput;
    }
    if (reported > 100 && !quiet) fmt::print(stderr, "... and {} more rows not counted\n", reported - 100);
    const auto& c = report.results;
    bool lost = report.loaded.rows_rejected > 0 || c.rows_rejected + c.duplicates + c.contradictory + c.no_such_item +
                                                         c.unmatched >
                                                     0;
    return lost ? kExitBadData : kExitOk;
  };
}

}  // namespace tauekel::cli
