// tauekel categorize: every registered person's risk category and the rule that decided
// it, one JSON line each; the counts per category and per rule on standard error.

#include <fmt/format.h>


#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/run.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct CategorizeArgs {
  std::string profiles;
  std::string persons;
  std::string out;
  bool quiet = false;
};
std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

Runner addCategorizeCommand(CLI::App& app) {
  auto args = std::make_shared<CategorizeArgs>();
  auto* cmd = app.add_subcommand("categorize", "Each person's risk category and the rule that decided it");
  cmd->add_option("--profiles", args->profiles, "Profile repository (its category rules)")->required();
  cmd->add_option("--persons", args->persons, "Person register (.csv); - reads standard input")->required();
  cmd->add_option("--out", args->out, "Write to this file (replaced only when all is written) instead of stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No counts");
  cmd->footer("Output: one JSON line per registered person, {\"person\",\"registered\",\"category\",\"rule\","
              "\"rule_text\",\"because\"}. Exit codes: 0 done; 1 errors in the profiles; 2 usage or input error; 3 rows "
              "of the register rejected (reported); 4 the output could not be written.");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    engine::RunOptions options;
    options.profiles = args->profiles;
    options.persons = args->persons;
    options.out = args->out;
    options.on_error = runtime::OnError::Skip;
    uint64_t reported = 0;
    options.report = [&](const runtime::LoadError& e) {
      if (++reported <= 100) fmt::print(stderr, "{}\n", shown(e.format()));
    };
    options.warn = [](const std::string& message) { fmt::print(stderr, "tauekel: warning: {}\n", shown(message)); };
    auto result = engine::categorize(options);
    if (auto* error = std::get_if<engine::RunError>(&result)) {
      if (error->kind == engine::RunFailure::Profiles) {
        printDiagnostics(*error->compilation);
        fmt::print(stderr, "tauekel categorize: the profiles have errors\n");
        return kExitProfileErrors;
      }
      fmt::print(stderr, "tauekel categorize: {}\n", shown(error->message));
      return error->kind == engine::RunFailure::Output ? kExitOutput
             : error->kind == engine::RunFailure::Data ? kExitBadData
                                                       : kExitUsage;
    }
    const auto& s = std::get<engine::CategorizeSummary>(result);
    if (!args->quiet) {
      fmt::print(stderr, "persons: {} rows read, {} registered, {} rejected\n", s.persons.rows_read,
                 s.persons.registered, s.persons.rows_rejected);
      fmt::print(stderr, "categories: high {}, medium {}, low {}\n", s.by_category[2], s.by_category[1],
                 s.by_category[0]);
      for (const auto& [rule, n] : s.by_rule) fmt::print(stderr, "  rule {}: {} person{}\n", shown(rule), n, n == 1 ? "" : "s");
    }
    return s.persons.rows_rejected > 0 ? kExitBadData : kExitOk;
  };
}

}  // namespace tauekel::cli
