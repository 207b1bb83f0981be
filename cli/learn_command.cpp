// tauekel learn: weights per key from control results dated before a cut-off, written as
// CSV tables and the `.risk` file that declares them and a score adding them up.

#include <fmt/format.h>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "effectiveness/learn.h"
#include "support/date.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct LearnArgs {
  std::string profiles, declarations, results, cutoff, out;
  std::string on_error = "fail";
  double smoothing = 5;
  bool quiet = false;
};
std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

Runner addLearnCommand(CLI::App& app) {
  auto args = std::make_shared<LearnArgs>();
  auto* cmd = app.add_subcommand("learn", "Learn weights per key from control results before a cut-off date");
  cmd->add_option("--profiles", args->profiles, "Profile repository with `learn` declarations and a result schema")
      ->required();
  cmd->add_option("--declarations", args->declarations, "Declarations of the past (.csv or .jsonl)")->required();
  cmd->add_option("--results", args->results, "Control results (.csv or .jsonl)")->required();
  cmd->add_option("--cutoff", args->cutoff, "Only results dated before this day (YYYY-MM-DD) are read")->required();
  cmd->add_option("--out", args->out, "Folder to write NAME.risk and tables/NAME_by_*.csv into")->required();
  cmd->add_option("--smoothing", args->smoothing,
                  "How many declarations' worth of the more general rate each value starts from (default 5)");
  cmd->add_option("--on-error", args->on_error, "A bad declaration row: fail (stop) or skip (report and go on)")
      ->check(CLI::IsMember({"fail", "skip"}));
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->footer("Exit codes: 0 done; 1 errors in the profiles; 2 usage or input error; 3 declaration or result rows "
              "not counted (reported); 4 the files could not be written.");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    effectiveness::LearnOptions options;
    options.profiles = args->profiles;
    options.declarations = args->declarations;
    options.results = args->results;
    options.out = args->out;
    options.smoothing = args->smoothing;
    options.on_error = args->on_error == "skip" ? runtime::OnError::Skip : runtime::OnError::Fail;
    auto day = date::parse(args->cutoff);
    if (!day) {
      fmt::print(stderr, "tauekel learn: --cutoff {}: not a date (YYYY-MM-DD)\n", shown(args->cutoff));
      return kExitUsage;
    }
    options.cutoff = *day;
    uint64_t reported = 0;
    options.report = [&reported](const runtime::LoadError& e) {
      if (++reported <= 100) fmt::print(stderr, "{}\n", shown(e.format()));
    };
    options.warn = [](const std::string& message) { fmt::print(stderr, "tauekel: warning: {}\n", shown(message)); };
    auto result = effectiveness::learn(options);
    if (auto* error = std::get_if<effectiveness::LearnError>(&result)) {
      if (error->kind == effectiveness::LearnFailure::Profiles) {
        printDiagnostics(*error->compilation);
        fmt::print(stderr, "tauekel learn: the profiles have errors\n");
        return kExitProfileErrors;
      }
      fmt::print(stderr, "tauekel learn: {}\n", shown(error->message));
      return error->kind == effectiveness::LearnFailure::Output ? kExitOutput
             : error->kind == effectiveness::LearnFailure::Data ? kExitBadData
                                                                : kExitUsage;
    }
    const auto& s = std::get<effectiveness::LearnSummary>(result);
    if (reported > 100) fmt::print(stderr, "... and {} more rows not counted\n", reported - 100);
    if (!args->quiet) {
      fmt::print(stderr, "results: {} read, {} dated before {}, {} counted; {} declarations learned from, {} with a "
                         "violation\n",
                 s.results_read, s.results_before_cutoff, args->cutoff, s.results_counted, s.declarations_learned_from,
                 s.violations);
      for (const auto& [name, keys] : s.learned)
        for (const auto& k : keys)
          fmt::print(stderr, "  {}: key {}: {} values{}\n", name, shown(k.text), k.values,
                     k.parent.empty() ? std::string() : ", backing off to " + shown(k.parent));
      for (const auto& f : s.files) fmt::print(stderr, "wrote {}\n", shown(f));
    }
    return reported > 0 ? kExitBadData : kExitOk;
  };
}

}  // namespace tauekel::cli
