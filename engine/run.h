#pragma once
// A screening run: compile the profiles, load the person register, stream the
// declarations through an engine, write one decision per declaration. What
// `tauekel run` does, as one library call.

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "compiler/frontend.h"
#include "engine/decision_writer.h"
#include "runtime/load/declaration_source.h"

namespace tauekel::engine {

enum class EngineKind { Jit, Interp };

struct RunOptions {
  std::string profiles;                  // a .risk file or a repository directory
  std::string declarations;              // .csv, or .jsonl / .ndjson
  std::optional<std::string> persons;    // the person register (.csv)
  std::optional<int32_t> as_of;          // else each declaration's date
  sema::Stage stage = sema::Stage::BeforeRelease;
  bool include_drafts = false;
  runtime::OnError on_error = runtime::OnError::Fail;
  EngineKind engine = EngineKind::Jit;
  size_t batch_items = 16384;
  std::FILE* out = stdout;
  std::function<void(const runtime::LoadError&)> report;              // rejected rows
  std::function<void(uint64_t bytes_done, uint64_t bytes_total)> progress;
};

struct RunSummary {
  runtime::LoadStats declarations;
  runtime::LoadStats persons;
  DecisionCounts decisions;
  size_t profiles_in_force = 0;
  size_t profiles_skipped = 0;
  size_t profiles_draft = 0;
  size_t profiles_revoked = 0;
  double compile_seconds = 0;            // parse, check, lower, prepare the engine
  double run_seconds = 0;                // load, screen, write
  std::string engine_note;               // e.g. kernels compiled, cache hits
};

enum class RunFailure { Profiles, Usage, Data };

struct RunError {
  RunFailure kind;
  std::string message;                         // for Usage and Data
  std::unique_ptr<Compilation> compilation;    // for Profiles: the diagnostics
};

// Returns the summary, or why the run could not complete.
std::variant<RunSummary, RunError> run(const RunOptions& options);

}  // namespace tauekel::engine
