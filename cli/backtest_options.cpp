#include "cli/backtest_options.h"

#include <fmt/format.h>

#include "cli/checked_repository.h"
#include "cli/exit_codes.h"
#include "runtime/jit/object_store.h"
#include "support/date.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

void addBacktestOptions(CLI::App& cmd, BacktestArgs& args) {
  cmd.add_option("--profiles", args.profiles, "Profile repository, .risk file or package")->required();
  cmd.add_option("--declarations", args.declarations, "Declarations of the past (.csv or .jsonl)")->required();
  cmd.add_option("--results", args.results, "Control results (.csv or .jsonl), as the repository's `schema result` says")
      ->required();
  cmd.add_option("--persons", args.persons, "Person register (.csv)");
  cmd.add_option("--baseline", args.baseline, "A second profile set (another version, or a package) to compare with");
  cmd.add_option("--from", args.from, "First declaration date screened (YYYY-MM-DD)");
  cmd.add_option("--to", args.to, "Last declaration date screened (YYYY-MM-DD)");
  cmd.add_option("--by", args.by, "Declaration field to split the figures by (repeatable; default: office, if any)");
  cmd.add_option("--rank-by", args.rank_by,
                 "The risk score to rank declarations by (default: the first the profiles declare, else by level)");
  cmd.add_option("--among", args.among,
                 "A declaration indicator of the profiles: screen only the declarations it holds for");
  cmd.add_option("--stale-after", args.stale_after,
                 "Flag a profile for revision after this many controlled selections without a violation")
      ->check(CLI::Range(1u, 1000000u));
  cmd.add_option("--on-error", args.on_error, "A bad declaration row: fail (stop) or skip (report and go on)")
      ->check(CLI::IsMember({"fail", "skip"}));
  cmd.add_flag("-q,--quiet", args.quiet, "No list of rows not counted");
}

Expected<effectiveness::BacktestOptions> backtestOptions(BacktestArgs& args) {
  effectiveness::BacktestOptions options;
  options.profiles = args.profiles;
  options.declarations = args.declarations;
  options.results = args.results;
  if (!args.persons.empty()) options.persons = args.persons;
  if (!args.baseline.empty()) options.baseline = args.baseline;
  for (auto [text, target, flag] : {std::tuple{&args.from, &options.from, "--from"},
                                    std::tuple{&args.to, &options.to, "--to"}}) {
    if (text->empty()) continue;
    auto day = date::parse(*text);
    if (!day) return Error{fmt::format("{} {}: not a date (YYYY-MM-DD)", flag, *text)};
    *target = *day;
  }
  options.by = args.by;
  options.rank_by = args.rank_by;
  options.among = args.among;
  options.metrics.stale_after = args.stale_after;
  options.on_error = args.on_error == "skip" ? runtime::OnError::Skip : runtime::OnError::Fail;
  options.kernel_cache = runtime::jit::KernelObjectStore::defaultDirectory();
  BacktestArgs* a = &args;
  options.report = [a](const runtime::LoadError& e) {
    if (++a->reported <= 100 && !a->quiet) fmt::print(stderr, "{}\n", shown(e.format()));
  };
  options.warn = [](const std::string& message) { fmt::print(stderr, "tauekel: warning: {}\n", shown(message)); };
  return options;
}

std::vector<std::string> backtestInputs(const BacktestArgs& args) {
  std::vector<std::string> inputs = {args.declarations, args.results, args.profiles};
  if (!args.persons.empty()) inputs.push_back(args.persons);
  if (!args.baseline.empty()) inputs.push_back(args.baseline);
  return inputs;
}

std::optional<effectiveness::BacktestReport> runBacktest(BacktestArgs& args, const char* command, int& exit_code) {
  auto options = backtestOptions(args);
  if (!options) {
    fmt::print(stderr, "tauekel {}: {}\n", command, shown(options.error().message));
    exit_code = kExitUsage;
    return std::nullopt;
  }
  auto result = effectiveness::backtest(*options);
  if (auto* error = std::get_if<effectiveness::BacktestError>(&result)) {
    if (error->kind == effectiveness::BacktestFailure::Profiles) {
      printDiagnostics(*error->compilation);
      fmt::print(stderr, "tauekel {}: the profiles have errors\n", command);
      exit_code = kExitProfileErrors;
      return std::nullopt;
    }
    fmt::print(stderr, "tauekel {}: {}\n", command, shown(error->message));
    exit_code = error->kind == effectiveness::BacktestFailure::Data ? kExitBadData : kExitUsage;
    return std::nullopt;
  }
  if (args.reported > 100 && !args.quiet) fmt::print(stderr, "... and {} more rows not counted\n", args.reported - 100);
  return std::move(std::get<effectiveness::BacktestReport>(result));
}

int backtestExitCode(const effectiveness::BacktestReport& report) {
  const auto& c = report.results;
  bool lost = report.loaded.rows_rejected > 0 ||
              c.rows_rejected + c.duplicates + c.contradictory + c.no_such_item + c.unmatched > 0;
  return lost ? kExitBadData : kExitOk;
}

}  // namespace tauekel::cli
