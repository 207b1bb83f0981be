#pragma once
// Learning from control results: for each key a repository's `learn` declarations name
// (a 6-digit commodity code, an origin, an office, a code and a price...), the smoothed
// share of controlled declarations with a violation, from results dated before a cut-off
// only, written as log-odds weights in ordinary CSV tables plus the `.risk` file that
// declares them and a score that adds them up: reference data to review, version and
// approve like any other. What `tauekel learn` does, as one library call.
//
// Back-off from specific to general: a key's rate is shrunk toward its parent's, the
// nearest more general key listed (a pair toward its first value's key, a 6-digit code
// toward the 4-digit heading's), or toward the rate over all declarations; its weight is
// the log-odds over the parent's, so a value seldom seen adds little to what its parent
// says.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/frontend.h"
#include "runtime/load/declaration_source.h"

namespace tauekel::effectiveness {

struct LearnOptions {
  std::string profiles;        // the repository with `learn` declarations and a result schema
  std::string declarations;    // .csv or .jsonl
  std::string results;         // .csv or .jsonl
  int32_t cutoff = 0;          // only results dated before this day are read
  std::string out;             // folder: NAME.risk and tables/NAME_by_*.csv per declaration
  double smoothing = 5;        // prior strength: declarations' worth of the parent's rate
  runtime::OnError on_error = runtime::OnError::Fail;
  std::function<void(const runtime::LoadError&)> report;
  std::function<void(const std::string&)> warn;
};

struct LearnedKey {
  std::string text;            // as written: "item.hs.subheading, item.price"
  std::string table;           // the table written
  std::string parent;          // the key it backs off to ("" : all declarations)
  uint64_t values = 0;         // rows of the table
};

struct LearnSummary {
  uint64_t results_read = 0, results_before_cutoff = 0, results_counted = 0;
  uint64_t declarations_learned_from = 0, violations = 0;
  std::vector<std::pair<std::string, std::vector<LearnedKey>>> learned;  // by declaration
  std::vector<std::string> files;  // written
};

enum class LearnFailure { Profiles, Usage, Data, Output };
struct LearnError {
  LearnFailure kind;
  std::string message;
  std::unique_ptr<Compilation> compilation;
};

std::variant<LearnSummary, LearnError> learn(const LearnOptions& options);

}  // namespace tauekel::effectiveness
