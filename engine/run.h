#pragma once
// A screening run: compile the profiles, load the person register, stream the
// declarations through an engine, write one decision per declaration. What
// `tauekel run` does, as one library call.
//
// The output never destroys an input: a path that names any file the run reads is
// refused before anything is written, and a file is replaced only when the run ends
// well (see support/output_file.h).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "compiler/frontend.h"
#include "engine/decision_json.h"
#include "engine/audience.h"
#include "engine/explanation.h"
#include "engine/screener.h"
#include "runtime/load/declaration_source.h"

namespace tauekel::engine {

struct RunOptions {
  std::string profiles;                  // a .risk file or a repository directory
  std::string declarations;              // .csv, or .jsonl / .ndjson; "-": standard input
  std::optional<std::string> persons;    // the person register (.csv)
  std::string out;                       // "" or "-": standard output
  std::optional<int32_t> as_of;          // else each declaration's date
  sema::Stage stage = sema::Stage::BeforeRelease;
  bool include_drafts = false;
  runtime::OnError on_error = runtime::OnError::Fail;
  runtime::InputFormat format = runtime::InputFormat::ByName;
  EngineKind engine = EngineKind::Jit;
  std::string kernel_cache;              // folder of compiled kernels kept between runs; "": none
  std::shared_ptr<const ProductionOptions> production;  // only profiles with a verified approval
  std::string audit_log;                 // append a record of the run to this log; "": none
  std::string operator_name;             // who runs it, for the audit log ("": the login name)
  size_t batch_items = 4096;
  size_t threads = 1;                    // in all: one reads, the others screen (and a light one writes)
  bool explain = false;                  // each selecting profile's explanation in the output
  Audience audience = Audience::Analyst; // who reads the output: what of a decision it shows
  uint64_t max_record_bytes = io::kDefaultMaxRecordBytes;
  uint64_t max_items = runtime::kDefaultMaxItems;        // goods items in one declaration
  uint64_t max_data_bytes = io::kDefaultMaxDataBytes;
  std::function<void(const runtime::LoadError&)> report;              // rejected rows
  std::function<void(const std::string&)> warn;                        // likely mistakes
  std::function<void(uint64_t bytes_done, uint64_t bytes_total)> progress;
};

struct RunSummary {
  runtime::LoadStats declarations;
  runtime::PersonLoadStats persons;
  bool person_register = false;          // one was given
  bool person_fields = false;            // declarations name persons
  DecisionCounts decisions;
  size_t profiles_in_force = 0;
  size_t profiles_skipped = 0;
  size_t profiles_draft = 0;
  size_t profiles_revoked = 0;
  std::vector<RefusedProfile> refused;   // production: approved in their text, refused for want of a valid approval
  double compile_seconds = 0;            // parse, check, lower, prepare the engine
  double run_seconds = 0;                // load, screen, write
  std::string engine_note;               // e.g. kernels compiled, cache hits
  std::string version;                   // the profile set's version
  std::optional<ir::Program::Window> window;  // after release: the window declarations must fall in
  std::vector<std::string> profile_files;  // the profiles, lists and tables read (and approvals)
};

// Profiles: errors in the profiles. Usage: an option, or an input that cannot be
// opened or read. Data: a bad record stopped the run. Output: the results could not be
// written (a full disk, a closed pipe).
// NotFound: the declaration to explain is not in the input.
enum class RunFailure { Profiles, Usage, Data, Output, NotFound };

struct RunError {
  RunFailure kind;
  std::string message;                         // for Usage, Data and Output
  std::unique_ptr<Compilation> compilation;    // for Profiles: the diagnostics
};

// Returns the summary, or why the run could not complete.
std::variant<RunSummary, RunError> run(const RunOptions& options);

// Every registered person's category and the rule that decided it, one JSON line each
// (engine/decision_json.h, CategoryExplanation), to options.out; `persons` is required,
// the declarations are not read.
struct CategorizeSummary {
  runtime::PersonLoadStats persons;
  uint64_t by_category[3] = {};              // low, medium, high
  std::vector<std::pair<std::string, uint64_t>> by_rule;  // rule text -> persons it decided
};
std::variant<CategorizeSummary, RunError> categorize(const RunOptions& options);

// One declaration's decision and why: what `tauekel explain` prints.
struct DeclarationExplanation {
  Decision decision;
  std::string json;                           // the line `run --explain` writes, for the audience
  std::string text;                           // the same for a person at a terminal
};

// Reads the declarations (as run() would, `out` aside) until the one whose key is `key`,
// and explains its decision. Rows rejected on the way are reported through
// options.report (with OnError::Skip) and do not stop the search.
std::variant<DeclarationExplanation, RunError> explainDeclaration(const RunOptions& options, const std::string& key);

}  // namespace tauekel::engine
