// tauekel run: screen declarations with the profiles in force; one JSON line per
// declaration on stdout (or --out), a summary on stderr.

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "compiler/diag/render.h"
#include "engine/run.h"
#include "support/date.h"

namespace tauekel::cli {

namespace {

struct RunArgs {
  std::string profiles;
  std::string declarations;
  std::string persons;
  std::string as_of;
  std::string out;
  std::string engine = "jit";
  std::string on_error = "fail";
  std::string stage = "before_release";
  bool include_drafts = false;
  size_t batch_items = 16384;
  bool quiet = false;
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

}  // namespace

Runner addRunCommand(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Screen declarations with the profiles in force");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory) or .risk file")->required();
  cmd->add_option("--declarations", args->declarations, "Declarations: .csv (a row per goods item) or .jsonl")->required();
  cmd->add_option("--persons", args->persons, "Person register (.csv)");
  cmd->add_option("--as-of", args->as_of, "Date that decides which profiles are in force (default: each declaration's date)");
  cmd->add_option("--out", args->out, "Write decisions here instead of stdout");
  cmd->add_option("--engine", args->engine, "jit: compiled kernels; interp: the reference interpreter")
      ->check(CLI::IsMember({"jit", "interp"}))
      ->capture_default_str();
  cmd->add_option("--on-error", args->on_error, "A bad input row: stop (fail) or report and go on (skip)")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd->add_option("--stage", args->stage, "Stage of customs control this run is for")
      ->check(CLI::IsMember({"before_release", "at_release", "after_release"}))
      ->capture_default_str();
  cmd->add_flag("--include-drafts", args->include_drafts, "Also run draft profiles (to try them out)");
  cmd->add_option("--batch-items", args->batch_items, "Goods items per batch")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->footer(
      "Exit codes: 0 all rows screened; 1 errors in the profiles; 2 usage or I/O error; "
      "3 input rows rejected (with --on-error skip the run completes, the rows are reported).");

  return [cmd, args]() -> int {
    if (!cmd->parsed()) return -1;
    engine::RunOptions options;
    options.profiles = args->profiles;
    options.declarations = args->declarations;
    if (!args->persons.empty()) options.persons = args->persons;
    if (!args->as_of.empty()) {
      auto d = date::parse(args->as_of);
      if (!d) {
        fmt::print(stderr, "tauekel: --as-of {}: not a date (YYYY-MM-DD)\n", args->as_of);
        return kExitUsage;
      }
      options.as_of = *d;
    }
    options.stage = args->stage == "at_release"      ? sema::Stage::AtRelease
                    : args->stage == "after_release" ? sema::Stage::AfterRelease
                                                     : sema::Stage::BeforeRelease;
    options.include_drafts = args->include_drafts;
    options.on_error = args->on_error == "skip" ? runtime::OnError::Skip : runtime::OnError::Fail;
    options.engine = args->engine == "interp" ? engine::EngineKind::Interp : engine::EngineKind::Jit;
    options.batch_items = std::max<size_t>(args->batch_items, 1);
    std::FILE* out = stdout;
    if (!args->out.empty()) {
      out = std::fopen(args->out.c_str(), "wb");
      if (out == nullptr) {
        fmt::print(stderr, "tauekel: cannot write {}: {}\n", args->out, std::strerror(errno));
        return kExitUsage;
      }
    }
    options.out = out;
    uint64_t reported = 0;
    options.report = [&](const runtime::LoadError& e) {
      if (++reported <= 100) fmt::print(stderr, "{}\n", e.format());
      else if (reported == 101) fmt::print(stderr, "tauekel: more rejected rows; only the first 100 are shown\n");
    };
    Progress progress(!args->quiet && isatty(STDERR_FILENO));
    options.progress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };

    auto result = engine::run(options);
    progress.finish();
    if (out != stdout) std::fclose(out);
    if (auto* error = std::get_if<engine::RunError>(&result)) {
      switch (error->kind) {
        case engine::RunFailure::Profiles: {
          diag::RenderOptions render;
          render.color = isatty(STDERR_FILENO);
          std::string text = diag::renderText(error->compilation->diagnostics, error->compilation->sources, render);
          std::fwrite(text.data(), 1, text.size(), stderr);
          fmt::print(stderr, "tauekel: the profiles have errors; nothing was screened\n");
          return kExitProfileErrors;
        }
        case engine::RunFailure::Usage:
          fmt::print(stderr, "tauekel: {}\n", error->message);
          return kExitUsage;
        case engine::RunFailure::Data:
          fmt::print(stderr, "{}\ntauekel: stopped at the first bad row (use --on-error skip to go on)\n", error->message);
          return kExitBadData;
      }
    }
    const auto& s = std::get<engine::RunSummary>(result);
    if (!args->quiet) {
      const auto& d = s.declarations;
      double rate = s.run_seconds > 0 ? static_cast<double>(d.items) / s.run_seconds : 0;
      std::string why;
      if (s.profiles_skipped > 0) {
        size_t other = s.profiles_skipped - s.profiles_draft - s.profiles_revoked;
        why = fmt::format(" ({} draft{}, {} revoked, {} for another stage or date)", s.profiles_draft,
                          args->include_drafts ? "" : ": --include-drafts runs them", s.profiles_revoked, other);
      }
      fmt::print(stderr, "profiles: {} in force, {} not in force for this run{}{}\n", s.profiles_in_force,
                 s.profiles_skipped, why, s.engine_note.empty() ? "" : "; " + s.engine_note);
      if (args->persons.size())
        fmt::print(stderr, "persons: {} rows read, {} registered, {} rejected\n", s.persons.rows_read,
                   s.persons.declarations, s.persons.rows_rejected);
      fmt::print(stderr, "rows: {} read = {} processed + {} rejected\n", d.rows_read, d.rows_read - d.rows_rejected,
                 d.rows_rejected);
      fmt::print(stderr, "declarations: {} screened, {} selected ({} rejected); goods items: {}\n", d.declarations,
                 s.decisions.selected, d.declarations_rejected, d.items);
      fmt::print(stderr, "corridors: green {}, blue {}, yellow {}, red {}\n", s.decisions.corridor[0],
                 s.decisions.corridor[1], s.decisions.corridor[2], s.decisions.corridor[3]);
      fmt::print(stderr, "time: {:.3f} s to prepare, {:.3f} s to screen ({:.0f} items/s)\n", s.compile_seconds,
                 s.run_seconds, rate);
    }
    return s.declarations.rows_rejected > 0 || s.persons.rows_rejected > 0 ? kExitBadData : kExitOk;
  };
}

}  // namespace tauekel::cli
