// tauekel explain: one declaration's decision and, for each profile that selected it,
// what of its condition held with the values that made it hold.

#include <fmt/format.h>

#include <cstdio>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/profile_set_options.h"
#include "engine/run.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {

struct ExplainArgs {
  std::string profiles;
  std::string declarations;
  std::string persons;
  std::string key;
  std::string engine = "jit";
  std::string input_format = "auto";
  std::string format = "text";
  std::string audience = "analyst";
  ProfileSetArgs profile_set;
};

std::string shown(const std::string& message) { return utf8::sanitize(message, /*controls=*/true); }

int usage(const std::string& message) {
  fmt::print(stderr, "tauekel explain: {}\n", shown(message));
  return kExitUsage;
}

}  // namespace

Runner addExplainCommand(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Why one declaration was selected: the conditions that held, with values");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory) or .risk file")->required();
  cmd->add_option("--declarations", args->declarations, "Declarations: .csv or .jsonl; - reads standard input")
      ->required();
  cmd->add_option("--declaration", args->key, "The key of the declaration to explain")->required();
  auto* persons = cmd->add_option("--persons", args->persons, "Person register (.csv)");
  cmd->add_option("--input-format", args->input_format, "Format of --declarations: by its name (auto), csv or jsonl")
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--engine", args->engine, "jit: compiled kernels; interp: the reference interpreter")
      ->check(CLI::IsMember({"jit", "interp"}))
      ->capture_default_str();
  cmd->add_option("--format", args->format, "text, or json (the line `run --explain` writes)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--audience", args->audience,
                  "Who reads it: analyst (everything), officer (measures, profile ids, goods items, instructions; no "
                  "conditions), declarant (corridor, the measures they are told of, public reasons)")
      ->check(CLI::IsMember({"analyst", "officer", "declarant"}))
      ->capture_default_str();
  addProfileSetOptions(*cmd, args->profile_set);
  cmd->footer(
      "Exit codes: 0 explained (selected or not); 1 errors in the profiles; 2 usage or input error; 5 no declaration "
      "with that key in the input.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    if (args->key.empty()) return usage("--declaration needs a declaration's key");
    engine::RunOptions options;
    options.profiles = args->profiles;
    options.declarations = args->declarations;
    if (persons->count() > 0) {
      if (args->persons.empty()) return usage("--persons needs a file name");
      options.persons = args->persons;
    }
    auto profile_set = readProfileSetOptions(args->profile_set);
    if (!profile_set) return usage(profile_set.error().message);
    applyProfileSet(*profile_set, options);
    options.format = args->input_format == "csv"     ? runtime::InputFormat::Csv
                     : args->input_format == "jsonl" ? runtime::InputFormat::JsonLines
                                                     : runtime::InputFormat::ByName;
    options.engine = args->engine == "interp" ? engine::EngineKind::Interp : engine::EngineKind::Jit;
    options.audience = *engine::parseAudience(args->audience);
    // Another declaration's bad row does not stop the search; it is counted.
    options.on_error = runtime::OnError::Skip;
    options.warn = [](const std::string& message) { fmt::print(stderr, "tauekel: warning: {}\n", shown(message)); };

    auto result = engine::explainDeclaration(options, args->key);
    if (auto* error = std::get_if<engine::RunError>(&result)) {
      switch (error->kind) {
        case engine::RunFailure::Profiles: {
          printDiagnostics(*error->compilation);
          fmt::print(stderr, "tauekel: the profiles have errors; nothing was screened\n");
          return kExitProfileErrors;
        }
        case engine::RunFailure::NotFound:
          fmt::print(stderr, "tauekel explain: {}\n", shown(error->message));
          return kExitNotFound;
        case engine::RunFailure::Data:
        case engine::RunFailure::Usage:
        case engine::RunFailure::Output:
          fmt::print(stderr, "tauekel explain: {}\n", shown(error->message));
          return kExitUsage;
      }
    }
    const auto& found = std::get<engine::DeclarationExplanation>(result);
    std::string text = args->format == "json" ? found.json + "\n" : found.text;
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : kExitOutput;
  };
}

}  // namespace tauekel::cli
