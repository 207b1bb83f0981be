// tauekel run: screen declarations with the profiles in force; one JSON line per
// declaration on stdout (or --out), a summary on stderr.

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/profile_set_options.h"
#include "effectiveness/ranking.h"
#include "engine/run.h"
#include "support/date.h"
#include "support/input_file.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {

constexpr int64_t kMaxBatchItems = 10'000'000;

struct RunArgs {
  std::string profiles;
  std::string declarations;
  std::string persons;
  std::string out;
  std::string engine = "jit";
  std::string on_error = "fail";
  std::string input_format = "auto";
  std::string max_record_bytes = "16M";
  std::string max_data_bytes = "1G";
  ProfileSetArgs profile_set;
  int64_t batch_items = 4096;
  int64_t threads = std::max(1u, std::thread::hardware_concurrency());
  int64_t max_items = 100000;
  bool quiet = false;
  bool verbose = false;
  std::string rank_by;
  int64_t top = -1;
  bool explain = false;
  std::string audience = "analyst";
  std::string audit_log;
  std::string operator_name;
};

// A one-line progress bar on a terminal, redrawn at most five times a second.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void update(uint64_t done, uint64_t total) {
    if (!enabled_ || total == 0) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    int filled = static_cast<int>(share * 30);
    fmt::print(stderr, "\r[{}{}] {:5.1f}%  {:.1f} / {:.1f} MiB", std::string(static_cast<size_t>(filled), '#'),
               std::string(static_cast<size_t>(30 - filled), ' '), share * 100, done / 1048576.0, total / 1048576.0);
    drawn_ = true;
  }
  void finish() {
    if (drawn_) fmt::print(stderr, "\r{}\r", std::string(70, ' '));
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// Messages quote values, names and paths from input files: no control character of
// theirs reaches the terminal.
std::string shown(const std::string& message) { return utf8::sanitize(message, /*controls=*/true); }

int usage(const std::string& message) {
  fmt::print(stderr, "tauekel: {}\n", shown(message));
  return kExitUsage;
}

void printSummary(const engine::RunSummary& s, const RunArgs& args) {
  const auto& d = s.declarations;
  double rate = s.run_seconds > 0 ? static_cast<double>(d.items) / s.run_seconds : 0;
  std::string why;
  if (s.profiles_skipped > 0) {
    size_t other = s.profiles_skipped - s.profiles_draft - s.profiles_revoked - s.refused.size();
    why = fmt::format(" ({} draft{}, {} revoked, {}{} for another stage or date)", s.profiles_draft,
                      args.profile_set.include_drafts ? "" : ": --include-drafts runs them", s.profiles_revoked,
                      args.profile_set.production ? fmt::format("{} without a valid approval, ", s.refused.size()) : "",
                      other);
  }
  fmt::print(stderr, "profiles: {} in force, {} not in force for this run{}\n", s.profiles_in_force,
             s.profiles_skipped, why);
  // How the engine was made ready is for whoever tunes it, not for the analyst's summary.
  if (args.verbose && !s.engine_note.empty()) fmt::print(stderr, "engine: {}\n", s.engine_note);
  if (s.person_register)
    fmt::print(stderr, "persons: {} rows read, {} registered, {} rejected; {} named by declarations but not in the "
                       "register\n",
               s.persons.rows_read, s.persons.registered, s.persons.rows_rejected, d.persons_unregistered);
  else if (s.person_fields)
    fmt::print(stderr, "persons: no register; {} named by declarations, all unregistered\n", d.persons_unregistered);
  fmt::print(stderr, "rows: {} read = {} processed + {} rejected\n", d.rows_read, d.rows_read - d.rows_rejected,
             d.rows_rejected);
  fmt::print(stderr, "declarations: {} screened, {} selected ({} rejected); goods items: {}\n", d.declarations,
             s.decisions.selected, d.declarations_rejected, d.items);
  if (s.window)
    fmt::print(stderr, "after release: {} declaration{} released outside the window {} .. {}, not selected\n",
               s.decisions.outside_window, s.decisions.outside_window == 1 ? "" : "s", date::format(s.window->first),
               date::format(s.window->last));
  for (const auto& [id, n] : s.decisions.random)
    fmt::print(stderr, "random selection {}: {} of {} declarations in its scope ({:.3f}%)\n", shown(id), n.second,
               n.first, n.first ? 100.0 * static_cast<double>(n.second) / static_cast<double>(n.first) : 0.0);
  fmt::print(stderr, "corridors: green {}, blue {}, yellow {}, red {}\n", s.decisions.corridor[0],
             s.decisions.corridor[1], s.decisions.corridor[2], s.decisions.corridor[3]);
  fmt::print(stderr, "time: {:.3f} s to prepare, {:.3f} s to screen ({:.0f} items/s)\n", s.compile_seconds,
             s.run_seconds, rate);
}

}  // namespace

Runner addRunCommand(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Screen declarations with the profiles in force");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory) or .risk file")->required();
  cmd->add_option("--declarations", args->declarations,
                  "Declarations: .csv (a row per goods item) or .jsonl; - reads standard input")
      ->required();
  auto* persons = cmd->add_option("--persons", args->persons, "Person register (.csv); - reads standard input");
  auto* out = cmd->add_option("--out", args->out,
                              "Write decisions to this file (replaced only when the run succeeds) instead of stdout");
  cmd->add_option("--input-format", args->input_format, "Format of --declarations: by its name (auto), csv or jsonl")
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--engine", args->engine, "jit: compiled kernels; interp: the reference interpreter")
      ->check(CLI::IsMember({"jit", "interp"}))
      ->capture_default_str();
  cmd->add_option("--on-error", args->on_error, "A bad input row: stop (fail) or report and go on (skip)")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  addProfileSetOptions(*cmd, args->profile_set);
  cmd->add_option("--batch-items", args->batch_items, "Goods items per batch (1 to 10000000)")->capture_default_str();
  cmd->add_option("--threads", args->threads,
                  "Threads in all (default: the cores): one reads, the others screen. The output is the same for any "
                  "number")
      ->capture_default_str();
  cmd->add_option("--max-items", args->max_items, "Most goods items one declaration may have")->capture_default_str();
  cmd->add_option("--max-record-bytes", args->max_record_bytes,
                  "Longest CSV record or JSON line read (K, M, G suffixes)")
      ->capture_default_str();
  cmd->add_option("--max-data-bytes", args->max_data_bytes,
                  "Largest list, table or person register file read (K, M, G suffixes)")
      ->capture_default_str();
  cmd->add_flag("--explain", args->explain,
                "With each selecting profile, what of its condition held and the values that made it hold");
  cmd->add_option("--audience", args->audience,
                  "Who reads the decisions: analyst (everything), officer (measures, profile ids, goods items, "
                  "instructions; no conditions), declarant (corridor, the measures they are told of, public reasons)")
      ->check(CLI::IsMember({"analyst", "officer", "declarant"}))
      ->capture_default_str();
  cmd->add_option("--audit-log", args->audit_log,
                  "Append a record of the run (operator, input hashes, version, counts), chained by hash, to this log");
  cmd->add_option("--operator", args->operator_name,
                  "Who runs it, for the audit log (default: $TAUEKEL_OPERATOR, else the login name)");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->add_flag("-v,--verbose", args->verbose, "Also how the engine was prepared (kernels compiled, cached, guarded)");
  cmd->add_option("--rank-by", args->rank_by,
                  "Write the decisions riskiest first by this score (ties in input order) instead of in input order; "
                  "all of them are held in memory, unless --top");
  cmd->add_option("--top", args->top, "With --rank-by: only the N riskiest decisions");
  cmd->footer(
      "Exit codes: 0 all rows screened; 1 errors in the profiles; 2 usage or input error; 3 input rows rejected "
      "(with --on-error skip the run completes, the rows are reported); 4 the results could not be written; "
      "130/143 stopped by SIGINT/SIGTERM.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    engine::RunOptions options;
    if (args->profiles.empty()) return usage("--profiles needs a file or folder name");
    if (args->declarations.empty()) return usage("--declarations needs a file name (or - for standard input)");
    options.profiles = args->profiles;
    options.declarations = args->declarations;
    if (persons->count() > 0) {
      if (args->persons.empty()) return usage("--persons needs a file name (or - for standard input)");
      options.persons = args->persons;
    }
    if (out->count() > 0) {
      if (args->out.empty()) return usage("--out needs a file name (or - for standard output)");
      options.out = args->out;
    }
    auto profile_set = readProfileSetOptions(args->profile_set);
    if (!profile_set) return usage(profile_set.error().message);
    applyProfileSet(*profile_set, options);
    if (args->batch_items < 1 || args->batch_items > kMaxBatchItems)
      return usage(fmt::format("--batch-items {}: must be between 1 and {}", args->batch_items, kMaxBatchItems));
    options.batch_items = static_cast<size_t>(args->batch_items);
    if (args->threads < 1 || args->threads > 256)
      return usage(fmt::format("--threads {}: must be between 1 and 256", args->threads));
    options.threads = static_cast<size_t>(args->threads);
    options.explain = args->explain;
    options.audience = *engine::parseAudience(args->audience);
    options.audit_log = args->audit_log;
    options.operator_name = args->operator_name;
    if (args->max_items < 1) return usage(fmt::format("--max-items {}: must be at least 1", args->max_items));
    options.max_items = static_cast<uint64_t>(args->max_items);
    auto record_limit = io::parseByteCount(args->max_record_bytes);
    if (!record_limit) return usage("--max-record-bytes " + record_limit.error().message);
    auto data_limit = io::parseByteCount(args->max_data_bytes);
    if (!data_limit) return usage("--max-data-bytes " + data_limit.error().message);
    options.max_record_bytes = *record_limit;
    options.max_data_bytes = *data_limit;
    options.format = args->input_format == "csv"     ? runtime::InputFormat::Csv
                     : args->input_format == "jsonl" ? runtime::InputFormat::JsonLines
                                                     : runtime::InputFormat::ByName;
    options.on_error = args->on_error == "skip" ? runtime::OnError::Skip : runtime::OnError::Fail;
    options.engine = args->engine == "interp" ? engine::EngineKind::Interp : engine::EngineKind::Jit;
    bool to_file = !options.out.empty() && options.out != "-";
    std::error_code ec;
    std::string kept = !to_file ? std::string()
                       : std::filesystem::exists(options.out, ec) ? fmt::format("; {} is left as it was", options.out)
                                                                  : fmt::format("; {} was not written", options.out);
    setInterruptNote(to_file ? kept.substr(2) : std::string("the decisions written so far are incomplete"));
    uint64_t reported = 0;
    options.report = [&](const runtime::LoadError& e) {
      if (++reported <= 100) fmt::print(stderr, "{}\n", shown(e.format()));
      else if (reported == 101) fmt::print(stderr, "tauekel: more rejected rows; only the first 100 are shown\n");
    };
    options.warn = [](const std::string& message) { fmt::print(stderr, "tauekel: warning: {}\n", shown(message)); };
    Progress progress(!args->quiet && isatty(STDERR_FILENO));
    options.progress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };

    // Ranked: screened into a temporary file beside the output, then ranked into it.
    std::string ranked_out;
    if (!args->rank_by.empty()) {
      ranked_out = options.out.empty() ? std::string("-") : options.out;
      std::filesystem::path folder = ranked_out == "-" ? std::filesystem::temp_directory_path()
                                                       : std::filesystem::absolute(ranked_out, ec).parent_path();
      options.out = (folder / fmt::format(".tauekel-unranked-{}.jsonl", ::getpid())).string();
      if (args->explain || options.audience != engine::Audience::Analyst)
        return usage("--rank-by ranks an analyst's decisions, which carry the scores: drop --explain and --audience");
    } else if (args->top >= 0) {
      return usage("--top needs --rank-by: the riskiest by which score?");
    }
    auto result = engine::run(options);
    progress.finish();
    if (!ranked_out.empty() && std::holds_alternative<engine::RunSummary>(result)) {
      std::optional<uint64_t> top;
      if (args->top >= 0) top = static_cast<uint64_t>(args->top);
      std::vector<std::string> inputs = {args->declarations, args->profiles};
      if (!args->persons.empty()) inputs.push_back(args->persons);
      auto ranked = effectiveness::rankDecisions(options.out, ranked_out, args->rank_by, top, inputs);
      std::filesystem::remove(options.out, ec);
      if (!ranked) {
        fmt::print(stderr, "tauekel: {}\n", shown(ranked.error().message));
        return ranked.error().message.find("--rank-by") != std::string::npos ? kExitUsage : kExitOutput;
      }
    } else if (!ranked_out.empty()) {
      std::filesystem::remove(options.out, ec);
    }
    if (auto* error = std::get_if<engine::RunError>(&result)) {
      switch (error->kind) {
        case engine::RunFailure::Profiles: {
          printDiagnostics(*error->compilation);
          fmt::print(stderr, "tauekel: the profiles have errors; nothing was screened\n");
          return kExitProfileErrors;
        }
        case engine::RunFailure::Usage:
        case engine::RunFailure::NotFound:  // not a failure of run(): the same as Usage if it were
          fmt::print(stderr, "tauekel: {}\n", shown(error->message));
          return kExitUsage;
        case engine::RunFailure::Data: {
          bool limit = error->message.find("raises the limit") != std::string::npos;
          fmt::print(stderr, "{}\ntauekel: stopped at this record{}{}\n", shown(error->message),
                     args->on_error == "fail" && !limit ? " (--on-error skip reports bad rows and goes on)" : "", kept);
          return kExitBadData;
        }
        case engine::RunFailure::Output:
          fmt::print(stderr, "tauekel: {}\n", shown(error->message));
          return kExitOutput;
      }
    }
    const auto& s = std::get<engine::RunSummary>(result);
    // Production names every profile it refused, quiet or not: an analyst must know.
    for (const auto& r : s.refused)
      fmt::print(stderr, "tauekel: production: profile {} refused: {}\n", shown(r.id), shown(r.reason));
    if (!args->quiet) printSummary(s, *args);
    return s.declarations.rows_rejected > 0 || s.persons.rows_rejected > 0 ? kExitBadData : kExitOk;
  };
}

}  // namespace tauekel::cli
