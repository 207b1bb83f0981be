#pragma once
// A backtest: declarations of the past screened as the profile set in force on each
// declaration's date would have screened them, matched with what control found, and
// the effectiveness figures computed (metrics.h); with a baseline, the same declarations
// screened by a second profile set (another version, or a package) and the two compared.
// What `tauekel backtest` does, as one library call.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/frontend.h"
#include "effectiveness/metrics.h"
#include "runtime/load/declaration_source.h"

namespace tauekel::effectiveness {

struct BacktestOptions {
  std::string profiles;                 // a repository, a .risk file or a package
  std::optional<std::string> baseline;  // the profile set to compare with
  std::string declarations;             // .csv or .jsonl
  std::string results;                  // .csv or .jsonl, as the result schema says
  std::optional<std::string> persons;
  std::optional<int32_t> from, to;      // declaration dates screened (inclusive)
  std::vector<std::string> by;          // declaration fields to split figures by
  std::string rank_by;                  // the score to rank by ("": the first score, if any, else by level)
  std::string among;                    // a declaration indicator: only the declarations it holds for ("": all)
  MetricsOptions metrics;
  runtime::OnError on_error = runtime::OnError::Fail;
  std::string kernel_cache;
  std::function<void(const runtime::LoadError&)> report;  // every row not counted, once
  std::function<void(const std::string&)> warn;
};

// The baseline against the profile set, declaration by declaration and per profile.
struct Comparison {
  Metrics baseline;
  Tally newly_selected, dropped;        // selected now and not by the baseline, and the reverse
  std::vector<std::string> only_now, only_before;  // profile ids in one set only
};

struct BacktestReport {
  std::string profiles, declarations, results_file;
  std::optional<int32_t> from, to;
  runtime::LoadStats loaded;            // declarations read and rejected
  uint64_t outside_period = 0;          // declarations read but dated outside from..to
  std::string among;                    // the indicator that chose the declarations screened ("": all)
  uint64_t not_among = 0;               // declarations in the period it did not hold for
  ResultCounts results;
  Metrics metrics;
  std::optional<Comparison> comparison;
  std::string version, baseline_version;
};

enum class BacktestFailure { Profiles, Usage, Data };
struct BacktestError {
  BacktestFailure kind;
  std::string message;
  std::unique_ptr<Compilation> compilation;  // for Profiles: the diagnostics
};

std::variant<BacktestReport, BacktestError> backtest(const BacktestOptions& options);

}  // namespace tauekel::effectiveness
