#pragma once
// How the vectorised engine runs a program. Item-level work is grouped by the
// aggregate nodes it feeds (every `any`, `count`, `sum`... is computed once per batch,
// however many profiles share it), and each is narrowed first by a guard: a test of one
// item column against constants (commodity-code prefixes, countries, codes) answered
// from a per-batch index, so an item is only tested against the profiles that can match
// it. What is left of each condition runs as a kernel over a selection vector.

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/data/reference_data.h"

namespace tauekel::runtime {

// A test of one item column against constants, answered from the batch's index.
struct Guard {
  int column = -1;                 // item schema field
  ir::Type type = ir::Type::Int;
  struct Value {
    int64_t value = 0;             // Hs: the padded code, with `digits` significant
    int digits = 10;
    std::string text;              // String
  };
  std::vector<Value> values;
  // A second test answered by the same index (a compound index on this column and the
  // code prefix): a country or enum column, equal to one of `second_values`.
  int second_column = -1;
  ir::Type second_type = ir::Type::Country;
  std::vector<int64_t> second_values;
};

// A kernel: a conjunction to filter rows by (Filter) or one expression to compute per
// row (Value), in one domain.
struct KernelSpec {
  enum Kind { Filter, Value } kind = Filter;
  ir::Domain domain = ir::Domain::Item;
  std::vector<ir::NodeId> conjuncts;  // Filter
  ir::NodeId value = ir::kNoNode;     // Value
};

struct ItemRoot {
  ir::NodeId node = ir::kNoNode;      // the aggregate node
  ir::Op op = ir::Op::Any;
  int guard = -1;                     // index into Plan::guards; -1: all items
  int filter = -1;                    // kernel over the guard's selection (-1: none)
  int value = -1;                     // Sum, Min, Max: kernel computing the summand
  bool read = false;                  // some kernel reads its per-declaration result
};

struct ProfileStep {
  int driver = -1;                    // an Any root the profile requires: candidates are its declarations
  int filter = -1;                    // kernel over the candidates: the other conjuncts
  std::vector<int> triggers;          // roots whose items are the triggering items
  std::vector<int> measures;          // per measure rule, then per level band: a Value kernel, or -1
                                      // when unconditional (ir::ProfilePlan::flags())
};

// Which indexes of bounded codes are bucketed rather than sorted.
enum class Bucketing { All, PlainOnly, None };

struct Plan {
  std::vector<Guard> guards;          // distinct guards: each is looked up once per batch
  std::vector<KernelSpec> kernels;
  std::vector<ItemRoot> roots;
  std::vector<ProfileStep> profiles;  // parallel to ir::Program::profiles
  std::vector<int> score_terms;       // a Value kernel (Decl) per score term, all scores in order
  std::vector<int> root_of_node;      // ir node -> root index, -1 when none
  size_t guarded_roots = 0;
  Bucketing bucketing = Bucketing::All;  // see PlanOptions

  const KernelSpec& kernel(int i) const { return kernels[static_cast<size_t>(i)]; }
};

struct PlanOptions {
  // Sorting a column for an index costs about what a few kernels reading it cost: a
  // column is indexed when at least this many roots are guarded on it.
  size_t min_roots_per_index = 4;
  // A compound index (code prefix, country) sorts a wider key: built for this many.
  size_t min_roots_per_compound_index = 128;
  // Columns of bounded codes are bucketed by table lookups of the guards' keys rather
  // than sorted (runtime/exec/item_index.h). The others only to test the sorting paths;
  // a compound index whose pair table would be too large is sorted anyway.
  Bucketing bucketing = Bucketing::All;
};

Plan makePlan(const ir::Program& program, const sema::Program& source, const PlanOptions& options = {});

}  // namespace tauekel::runtime
