#pragma once
// The typed IR: what runs. Lowered from the checked program with indicators inlined,
// scopes and validity turned into conditions, constants folded, and every expression
// shared: a predicate used by 200 profiles is one node, evaluated once per batch.
//
// Both engines read this: the reference interpreter (runtime/interp) evaluates it row by
// row; the vectorised executor (runtime/exec) plans kernels from it.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/ir/type.h"
#include "compiler/sema/program.h"

namespace tauekel::ir {

using NodeId = uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

// What a node's value varies over. Scalar nodes are constants; Decl nodes have one value
// per declaration, Item nodes one per goods item, Person nodes one per registered person.
enum class Domain : uint8_t { Scalar, Decl, Item, Person };

enum class Op : uint8_t {
  Const,            // value / text
  Column,           // column `value` of the domain's record (Decl, Item or Person)
  Broadcast,        // args[0] (Decl) seen from each of the declaration's items
  NullUnless,       // args[1] when args[0] is true, else missing
  // Those lowered from checked expressions, by the same names:
#define OP(name) name,
#include "compiler/sema/ops.def"
#undef OP
};

const char* opName(Op op);
const char* typeName(Type type);

struct Node {
  Op op = Op::Const;
  Type type = Type::Bool;
  Domain domain = Domain::Scalar;
  bool nullable = false;
  std::vector<NodeId> args;
  int64_t value = 0;   // Const: the value; Column/PersonField: column; InData/Lookup: data set; HsPrefix/DatePart
  int32_t digits = 0;  // Const of type Hs: digits written (for prefix matching)
  std::string text;    // Const of type String
  const sema::EnumInfo* enumeration = nullptr;  // Enum-typed nodes, for output
};

struct MeasurePlan {
  const sema::Measure* measure = nullptr;
  NodeId condition = kNoNode;          // Decl bool; kNoNode: always
  std::optional<int64_t> sample;       // millionths; with a condition, for the else branch
};

struct ProfilePlan {
  const sema::Profile* profile = nullptr;
  // All must hold: scope, validity and the condition, split at top-level `and`s.
  std::vector<NodeId> conjuncts;
  // Any-nodes whose satisfying items are reported as the triggering items.
  std::vector<NodeId> triggers;
  std::vector<MeasurePlan> measures;
  // `level L1 if C1 else L2 if C2 else L`: (L1, C1), (L2, C2), Decl bools never
  // missing; the first that holds gives the level, else profile->level. Engines report
  // them as flags after the measure rules' (Selections::measure_flags).
  std::vector<std::pair<sema::RiskLevel, NodeId>> level_bands;
  size_t flags() const { return measures.size() + level_bands.size(); }
};

// A risk score: one Decl decimal node per term (its points where its condition holds,
// else 0); the score is their sum. Engines report every term's value per declaration.
struct ScorePlan {
  const sema::Score* score = nullptr;
  std::vector<NodeId> terms;
};

// A `learn` declaration's keys, as Item nodes (one or two per key): what `tauekel learn`
// evaluates for each goods item.
struct LearnPlan {
  const sema::Learn* learn = nullptr;
  std::vector<std::vector<NodeId>> keys;
};

struct CategoryPlan {
  // First matching rule wins; conditions are Person-domain bools.
  std::vector<std::pair<NodeId, sema::RiskLevel>> rules;
  sema::RiskLevel otherwise = sema::RiskLevel::Medium;
  sema::RiskLevel unregistered = sema::RiskLevel::Medium;
};

struct LowerOptions {
  std::optional<int32_t> as_of;          // else each declaration's own date
  sema::Stage stage = sema::Stage::BeforeRelease;
  bool include_drafts = false;           // also run draft profiles (backtesting a draft)
  // Production: only these profiles may be in force (their approval verified); none:
  // the profiles' `state` alone decides.
  std::optional<std::set<std::string>> approved;
  // After release: the date the after-release window ends on (the as-of date, else the
  // day of the run); none: no window.
  std::optional<int32_t> window_reference;
  // Keep, for every checked expression lowered, the node it became (Program::traced):
  // what explanations evaluate. Off for screening: it costs memory and time.
  bool trace = false;
  // Lower the `learn` declarations' keys too (for `tauekel learn`; screening needs none).
  bool learn = false;
  // Further expressions to lower (Program::extra, in this order): declaration-level, and
  // goods-item-level ones (Program::extra_items).
  std::vector<const sema::Expr*> extra;
  std::vector<const sema::Expr*> extra_items;
};

// A checked expression in the context it was lowered in: the domain of the record it is
// read from, and the person reference a person indicator's body reads through.
struct TraceKey {
  const sema::Expr* expr = nullptr;
  Domain domain = Domain::Decl;
  NodeId person = kNoNode;
  bool operator==(const TraceKey&) const = default;
};
struct TraceKeyHash {
  size_t operator()(const TraceKey& k) const {
    return std::hash<const void*>{}(k.expr) ^ (static_cast<size_t>(k.domain) << 1) ^ (static_cast<size_t>(k.person) << 3);
  }
};

class Program {
 public:
  const sema::Program* source = nullptr;
  std::vector<Node> nodes;
  std::vector<ProfilePlan> profiles;     // in force, ordered by profile id
  std::vector<ScorePlan> scores;         // every score declared, in declaration order
  std::vector<LearnPlan> learns;         // with LowerOptions::learn only
  std::vector<NodeId> extra;             // LowerOptions::extra, as Decl nodes
  std::vector<NodeId> extra_items;       // LowerOptions::extra_items, as Item nodes
  size_t scoreTerms() const {
    size_t n = 0;
    for (const auto& s : scores) n += s.terms.size();
    return n;
  }
  CategoryPlan categories;
  size_t skipped_profiles = 0;           // not in force for this run, of which:
  size_t skipped_drafts = 0;             //   drafts (run with --include-drafts)
  size_t skipped_revoked = 0;            //   revoked
  size_t skipped_scope = 0;              //   for another stage, or outside their validity on --as-of
  size_t skipped_unapproved = 0;         //   approved in their text, but with no valid signed approval
  // After release with a window: declarations dated outside [first, last] are not selected.
  struct Window {
    int32_t first = 0, last = 0;
  };
  std::optional<Window> window;

  const Node& node(NodeId id) const { return nodes[id]; }
  // The node a checked expression became in a context; kNoNode when not lowered there
  // (or lowered without LowerOptions::trace).
  NodeId traced(const TraceKey& key) const {
    auto it = traces_.find(key);
    return it == traces_.end() ? kNoNode : it->second;
  }
  void trace(const TraceKey& key, NodeId id) { traces_.emplace(key, id); }
  // Adds a node, or returns the existing identical one.
  NodeId intern(Node node);
  size_t sharedHits() const { return shared_hits_; }

 private:
  std::unordered_map<std::string, NodeId> index_;
  std::unordered_map<TraceKey, NodeId, TraceKeyHash> traces_;
  size_t shared_hits_ = 0;
};

Program lower(const sema::Program& program, const LowerOptions& options);

// A readable dump of the nodes a set of roots reaches, for tests and debugging.
std::string dump(const Program& program, const std::vector<NodeId>& roots);

// Visits the nodes reached from `root`, each once, depth first and operands left to
// right, with a work stack: a shared DAG is walked by node, never expanded, and a deep
// one costs no C++ frames. `visit(id, node)` returns true to go on into the operands.
template <class Visit>
void walkOnce(const Program& program, NodeId root, Visit&& visit) {
  std::vector<NodeId> pending = {root};
  std::unordered_set<NodeId> seen;
  while (!pending.empty()) {
    NodeId id = pending.back();
    pending.pop_back();
    if (!seen.insert(id).second) continue;
    const Node& n = program.node(id);
    if (visit(id, n)) pending.insert(pending.end(), n.args.rbegin(), n.args.rend());
  }
}

}  // namespace tauekel::ir
