#include "runtime/exec/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "compiler/ir/scalar.h"

namespace tauekel::runtime {

using ir::Node;
using ir::NodeId;
using ir::Op;

namespace {

bool isAggregate(Op op) {
  return op == Op::Any || op == Op::All || op == Op::Count || op == Op::Sum || op == Op::Min || op == Op::Max;
}

// The conjuncts of a never-missing `and` (nested ones too), each once, left to right.
void splitAnd(const ir::Program& p, NodeId root, std::vector<NodeId>& out) {
  ir::walkOnce(p, root, [&](NodeId id, const Node& n) {
    if (n.op == Op::And && !n.nullable) return true;
    out.push_back(id);
    return false;
  });
}

// How selective a guard on this type tends to be: commodity codes first.
int guardRank(ir::Type t) {
  switch (t) {
    case ir::Type::Hs: return 0;
    case ir::Type::String: return 1;
    case ir::Type::Country: return 2;
    case ir::Type::Enum: return 3;
    default: return 4;
  }
}

bool indexable(ir::Type t) {
  return t == ir::Type::Hs || t == ir::Type::String || t == ir::Type::Country || t == ir::Type::Enum ||
         t == ir::Type::Int || t == ir::Type::Date || t == ir::Type::Bool;
}

// A conjunct that is `item.c in [constants]`, `item.c == constant` or `item.c in list`.
std::optional<Guard> guardOf(const ir::Program& p, const sema::Program& source, NodeId id) {
  const Node& n = p.node(id);
  auto column = [&](NodeId a) -> const Node* {
    const Node& c = p.node(a);
    return c.op == Op::Column && c.domain == ir::Domain::Item && indexable(c.type) ? &c : nullptr;
  };
  auto constant = [&](NodeId a) -> std::optional<Guard::Value> {
    const Node& c = p.node(a);
    if (c.op != Op::Const || c.nullable) return std::nullopt;
    return Guard::Value{c.value, c.digits ? c.digits : 10, c.text};
  };
  Guard g;
  if (n.op == Op::InValues) {
    const Node* col = column(n.args[0]);
    if (!col) return std::nullopt;
    g.column = static_cast<int>(col->value);
    g.type = col->type;
    for (size_t i = 1; i < n.args.size(); ++i) {
      auto v = constant(n.args[i]);
      if (!v) return std::nullopt;
      g.values.push_back(*v);
    }
    return g;
  }
  if (n.op == Op::Eq) {
    for (int side = 0; side < 2; ++side) {
      const Node* col = column(n.args[static_cast<size_t>(side)]);
      auto v = constant(n.args[static_cast<size_t>(1 - side)]);
      if (!col || !v) continue;
      if (col->type == ir::Type::Hs) v->digits = 10;  // equality, not a prefix
      g.column = static_cast<int>(col->value);
      g.type = col->type;
      g.values.push_back(*v);
      return g;
    }
    return std::nullopt;
  }
  if (n.op == Op::InData) {
    const Node* col = column(n.args[0]);
    if (!col) return std::nullopt;
    const sema::DataSet& data = source.data[static_cast<size_t>(n.value)];
    g.column = static_cast<int>(col->value);
    g.type = col->type;
    for (const auto& k : data.keys) g.values.push_back(Guard::Value{k.number, k.digits ? k.digits : 10, k.text});
    return g;
  }
  return std::nullopt;
}

// Whether `id` is never true for a declaration that `root` did not touch: evaluated
// with the aggregate at its empty value (0 for count and sum, missing for min and max).
// Only for conditions on that one aggregate and constants; anything else is unknown.
std::optional<bool> failsWhenEmpty(const ir::Program& p, NodeId id, NodeId root) {
  using ir::scalar::Datum;
  // Bottom-up over the DAG with a work stack, each node once: nullopt where unknown.
  std::unordered_map<NodeId, std::optional<Datum>> value;
  std::vector<std::pair<NodeId, size_t>> stack = {{id, 0}};
  while (!stack.empty()) {
    auto& [n, next] = stack.back();
    const Node& node = p.node(n);
    bool leaf = n == root || node.op == Op::Const;
    if (!leaf && next < node.args.size()) {
      NodeId a = node.args[next++];
      if (!value.count(a)) stack.emplace_back(a, 0);
      continue;
    }
    std::optional<Datum> result;
    auto arg = [&](size_t i) { return value.at(node.args[i]); };
    auto all_known = [&] {
      for (NodeId a : node.args)
        if (!value.at(a)) return false;
      return true;
    };
    if (n == root) {
      if (node.op == Op::Count || node.op == Op::Sum) result = Datum::of(0);
      else if (node.op == Op::Min || node.op == Op::Max) result = Datum::missing();
      else if (node.op == Op::Any) result = Datum::ofBool(false);
    } else {
      switch (node.op) {
        case Op::Const:
          if (node.nullable) result = Datum::missing();
          else result = node.type == ir::Type::String ? Datum::ofString(node.text) : Datum::of(node.value);
          break;
        case Op::ToDecimal: case Op::Negate: case Op::Not: case Op::Abs: case Op::IsMissing: case Op::IsPresent:
          if (all_known()) result = ir::scalar::unary(node.op, node.type, p.node(node.args[0]).type, *arg(0), node.value);
          break;
        case Op::And: case Op::Or:
          if (all_known()) {
            result = *arg(0);
            for (size_t i = 1; i < node.args.size(); ++i)
              result = node.op == Op::And ? ir::scalar::andOf(*result, *arg(i)) : ir::scalar::orOf(*result, *arg(i));
          }
          break;
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le:
        case Op::Gt: case Op::Ge: case Op::Coalesce:
          if (all_known())
            result = ir::scalar::binary(node.op, node.type, p.node(node.args[0]).type, *arg(0), *arg(1));
          break;
        default:
          break;
      }
    }
    value[n] = result;
    stack.pop_back();
  }
  const auto& result = value.at(id);
  if (!result) return std::nullopt;
  return !(result->valid && result->i != 0);
}

class Planner {
 public:
  Planner(const ir::Program& program, const sema::Program& source, const PlanOptions& options)
      : p_(program), source_(source), options_(options) {
    plan_.root_of_node.assign(program.nodes.size(), -1);
    collected_.assign(program.nodes.size(), 0);
    plan_.bucketing = options.bucketing;
  }

  Plan build() {
    for (size_t i = 0; i < p_.profiles.size(); ++i) plan_.profiles.push_back(profileStep(p_.profiles[i]));
    for (const auto& score : p_.scores)
      for (NodeId term : score.terms) {
        collectRoots(term);
        plan_.score_terms.push_back(addKernel(KernelSpec{KernelSpec::Value, ir::Domain::Decl, {}, term}));
      }
    finish();
    markRead();
    return std::move(plan_);
  }

  // A root whose result no kernel reads (an `any` that only drives a profile) need not
  // keep per-declaration results at all.
  void markRead() {
    std::vector<uint8_t> seen(p_.nodes.size(), 0);
    std::vector<NodeId> pending;
    for (const auto& k : plan_.kernels) {
      pending.insert(pending.end(), k.conjuncts.begin(), k.conjuncts.end());
      if (k.value != ir::kNoNode) pending.push_back(k.value);
    }
    while (!pending.empty()) {
      NodeId n = pending.back();
      pending.pop_back();
      if (seen[n]) continue;
      seen[n] = 1;
      if (int r = plan_.root_of_node[n]; r >= 0) plan_.roots[static_cast<size_t>(r)].read = true;
      for (NodeId a : p_.node(n).args) pending.push_back(a);
    }
  }

 private:
  int guardIndex(const Guard& g) {
    std::string key = std::to_string(g.column);
    for (const auto& v : g.values) key += fmt::format("|{}/{}/{}", v.value, v.digits, v.text);
    key += fmt::format("#{}", g.second_column);
    for (int64_t v : g.second_values) key += fmt::format("|{}", v);
    auto [it, inserted] = guard_index_.emplace(key, static_cast<int>(plan_.guards.size()));
    if (inserted) plan_.guards.push_back(g);
    return it->second;
  }

  // Equal specs (a measure condition many profiles share, say) are one kernel: one
  // object to keep in cache, its arguments filled once per batch.
  int addKernel(KernelSpec spec) {
    auto key = std::make_tuple(spec.kind, spec.domain, spec.conjuncts, spec.value);
    if (auto it = kernel_of_.find(key); it != kernel_of_.end()) return it->second;
    plan_.kernels.push_back(std::move(spec));
    int index = static_cast<int>(plan_.kernels.size() - 1);
    kernel_of_.emplace(std::move(key), index);
    return index;
  }

  // Every aggregate an expression reads becomes a root, once. An aggregate inside another
  // one's body (a declaration indicator used per item) becomes a root first: roots run
  // in order. A work stack, each node once: expressions are deep, and shared.
  void collectRoots(NodeId start) {
    if (collected_[start]) return;
    collected_[start] = 1;
    std::vector<std::pair<NodeId, size_t>> stack = {{start, 0}};
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      const Node& n = p_.node(id);
      if (next < n.args.size()) {
        NodeId a = n.args[next++];
        if (!collected_[a]) {
          collected_[a] = 1;
          stack.emplace_back(a, 0);
        }
        continue;
      }
      if (isAggregate(n.op)) addRoot(id);
      stack.pop_back();
    }
  }

  int root(NodeId id) {
    collectRoots(id);
    return plan_.root_of_node[id];
  }

  // The root of an aggregate whose body's own aggregates are roots already.
  void addRoot(NodeId id) {
    const Node& n = p_.node(id);
    ItemRoot r;
    r.node = id;
    r.op = n.op;
    Pending pending;
    if (n.op == Op::Any || n.op == Op::All || n.op == Op::Count) splitAnd(p_, n.args[0], pending.conjuncts);
    else if (n.args.size() > 1) splitAnd(p_, n.args[1], pending.conjuncts);
    // The most selective conjunct an index can answer becomes the guard candidate; if
    // its column ends up indexed (finish()), the kernel leaves it out.
    for (size_t i = 0; i < pending.conjuncts.size(); ++i) {
      auto g = guardOf(p_, source_, pending.conjuncts[i]);
      if (!g) continue;
      if (pending.guard_at < 0 || guardRank(g->type) < guardRank(pending.guard->type)) {
        pending.guard_at = static_cast<int>(i);
        pending.guard = std::move(g);
      }
    }
    // With a commodity-code guard, a country or enum test can share its index.
    if (pending.guard && pending.guard->type == ir::Type::Hs) {
      for (size_t i = 0; i < pending.conjuncts.size(); ++i) {
        if (static_cast<int>(i) == pending.guard_at) continue;
        auto g = guardOf(p_, source_, pending.conjuncts[i]);
        if (!g || (g->type != ir::Type::Country && g->type != ir::Type::Enum)) continue;
        bool fits = true;  // the compound key keeps 13 bits for it
        for (const auto& v : g->values) fits = fits && (g->type == ir::Type::Country || (v.value >= 0 && v.value < 8192));
        if (!fits) continue;
        pending.second_at = static_cast<int>(i);
        pending.second = std::move(g);
        break;
      }
    }
    if (n.op == Op::Sum || n.op == Op::Min || n.op == Op::Max)
      r.value = addKernel(KernelSpec{KernelSpec::Value, ir::Domain::Item, {}, n.args[0]});
    plan_.roots.push_back(std::move(r));
    pending_.push_back(std::move(pending));
    plan_.root_of_node[id] = static_cast<int>(plan_.roots.size() - 1);
  }

  // Decides which columns are worth indexing, then makes the roots' filter kernels.
  // Sorting a column for an index costs about as much as a few kernels reading it, so a
  // column is indexed only when enough roots are guarded on it.
  void finish() {
    std::map<int, size_t> guarded_on;
    // A compound index is one per (code column, prefix length, second column).
    auto compoundKey = [](const Pending& p) {
      int digits = 0;
      for (const auto& v : p.guard->values) digits = std::max(digits, v.digits);
      return std::make_tuple(p.guard->column, digits, p.second->column);
    };
    std::map<std::tuple<int, int, int>, size_t> compound_on;
    for (const auto& p : pending_) {
      if (p.guard) ++guarded_on[p.guard->column];
      if (p.second) ++compound_on[compoundKey(p)];
    }
    for (size_t r = 0; r < pending_.size(); ++r) {
      Pending& p = pending_[r];
      if (p.guard && guarded_on[p.guard->column] >= options_.min_roots_per_index) {
        Guard g = *p.guard;
        std::vector<int> drop = {p.guard_at};
        if (p.second && compound_on[compoundKey(p)] >= options_.min_roots_per_compound_index) {
          g.second_column = p.second->column;
          g.second_type = p.second->type;
          for (const auto& v : p.second->values) g.second_values.push_back(v.value);
          drop.push_back(p.second_at);
        }
        std::sort(drop.rbegin(), drop.rend());
        for (int at : drop) p.conjuncts.erase(p.conjuncts.begin() + at);
        plan_.roots[r].guard = guardIndex(g);
        ++plan_.guarded_roots;
      }
      if (!p.conjuncts.empty())
        plan_.roots[r].filter = addKernel(KernelSpec{KernelSpec::Filter, ir::Domain::Item, p.conjuncts, ir::kNoNode});
    }
  }

  ProfileStep profileStep(const ir::ProfilePlan& profile) {
    ProfileStep step;
    std::vector<NodeId> rest;
    for (NodeId c : profile.conjuncts) {
      collectRoots(c);
      if (step.driver < 0 && p_.node(c).op == Op::Any) step.driver = root(c);
      else rest.push_back(c);
    }
    // No `any` to drive: a count, sum, min or max that the condition needs non-empty
    // drives instead (count(...) >= 4 is false where no item counted).
    if (step.driver < 0) {
      for (NodeId c : rest) {
        NodeId aggregate = onlyAggregate(c);
        if (aggregate == ir::kNoNode) continue;
        if (failsWhenEmpty(p_, c, aggregate).value_or(false)) {
          step.driver = plan_.root_of_node[aggregate];
          break;
        }
      }
    }
    if (!rest.empty()) step.filter = addKernel(KernelSpec{KernelSpec::Filter, ir::Domain::Decl, rest, ir::kNoNode});
    for (NodeId t : profile.triggers) {
      step.triggers.push_back(root(t));
    }
    for (const auto& m : profile.measures) {
      if (m.condition == ir::kNoNode) {
        step.measures.push_back(-1);
        continue;
      }
      collectRoots(m.condition);
      step.measures.push_back(addKernel(KernelSpec{KernelSpec::Value, ir::Domain::Decl, {}, m.condition}));
    }
    for (const auto& [level, condition] : profile.level_bands) {
      collectRoots(condition);
      step.measures.push_back(addKernel(KernelSpec{KernelSpec::Value, ir::Domain::Decl, {}, condition}));
    }
    return step;
  }

  // The one root `id` reads (not looking inside roots), or kNoNode when none or several.
  NodeId onlyAggregate(NodeId id) {
    NodeId aggregate = ir::kNoNode;
    std::vector<NodeId> pending = {id};
    std::unordered_set<NodeId> seen;
    while (!pending.empty()) {
      NodeId n = pending.back();
      pending.pop_back();
      if (!seen.insert(n).second) continue;
      if (plan_.root_of_node[n] >= 0) {
        if (aggregate != ir::kNoNode && aggregate != n) return ir::kNoNode;
        aggregate = n;
        continue;
      }
      for (NodeId a : p_.node(n).args) pending.push_back(a);
    }
    return aggregate;
  }

  const ir::Program& p_;

  struct Pending {
    std::vector<NodeId> conjuncts;
    std::optional<Guard> guard;
    int guard_at = -1;
    std::optional<Guard> second;  // a country or enum test to combine with a code guard
    int second_at = -1;
  };

  const sema::Program& source_;
  PlanOptions options_;
  Plan plan_;
  std::map<std::tuple<KernelSpec::Kind, ir::Domain, std::vector<ir::NodeId>, ir::NodeId>, int> kernel_of_;
  std::vector<Pending> pending_;  // by root, until finish()
  std::map<std::string, int> guard_index_;
  std::vector<uint8_t> collected_;  // by node: its aggregates are roots
};

}  // namespace

Plan makePlan(const ir::Program& program, const sema::Program& source, const PlanOptions& options) {
  return Planner(program, source, options).build();
}

}  // namespace tauekel::runtime
