#include "runtime/exec/plan.h"

#include <algorithm>
#include <functional>

namespace tauekel::runtime {

using ir::Node;
using ir::NodeId;
using ir::Op;

namespace {

void splitAnd(const ir::Program& p, NodeId id, std::vector<NodeId>& out) {
  const Node& n = p.node(id);
  if (n.op == Op::And && !n.nullable) {
    splitAnd(p, n.args[0], out);
    splitAnd(p, n.args[1], out);
  } else {
    out.push_back(id);
  }
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
  if (n.op == Op::InConsts) {
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

class Planner {
 public:
  Planner(const ir::Program& program, const sema::Program& source) : p_(program), source_(source) {
    plan_.root_of_node.assign(program.nodes.size(), -1);
  }

  Plan build() {
    for (size_t i = 0; i < p_.profiles.size(); ++i) plan_.profiles.push_back(profileStep(p_.profiles[i]));
    return std::move(plan_);
  }

 private:
  int addKernel(KernelSpec spec) {
    plan_.kernels.push_back(std::move(spec));
    return static_cast<int>(plan_.kernels.size() - 1);
  }

  // Every aggregate a declaration-level expression reads becomes a root, once.
  void collectRoots(NodeId id) {
    const Node& n = p_.node(id);
    switch (n.op) {
      case Op::Any: case Op::All: case Op::Count: case Op::Sum: case Op::Min: case Op::Max:
        root(id);
        return;
      default:
        for (NodeId a : n.args) collectRoots(a);
    }
  }

  int root(NodeId id) {
    if (plan_.root_of_node[id] >= 0) return plan_.root_of_node[id];
    const Node& n = p_.node(id);
    // An aggregate inside this one's body (a declaration indicator used per item) is
    // computed first: roots run in order.
    for (NodeId a : n.args) collectRoots(a);
    ItemRoot r;
    r.node = id;
    r.op = n.op;
    std::vector<NodeId> conjuncts;
    if (n.op == Op::Any || n.op == Op::All || n.op == Op::Count) splitAnd(p_, n.args[0], conjuncts);
    else if (n.args.size() > 1) splitAnd(p_, n.args[1], conjuncts);
    // `all` needs the count of items where the body holds, over all items: a guard that
    // drops items still gives the right count, so it may be guarded like the others.
    int best = -1;
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      auto g = guardOf(p_, source_, conjuncts[i]);
      if (!g) continue;
      if (best < 0 || guardRank(g->type) < guardRank(r.guard->type)) {
        best = static_cast<int>(i);
        r.guard = std::move(g);
      }
    }
    if (best >= 0) {
      conjuncts.erase(conjuncts.begin() + best);
      ++plan_.guarded_roots;
    }
    if (!conjuncts.empty()) r.filter = addKernel(KernelSpec{KernelSpec::Filter, ir::Domain::Item, conjuncts, ir::kNoNode});
    if (n.op == Op::Sum || n.op == Op::Min || n.op == Op::Max)
      r.value = addKernel(KernelSpec{KernelSpec::Value, ir::Domain::Item, {}, n.args[0]});
    plan_.roots.push_back(std::move(r));
    int index = static_cast<int>(plan_.roots.size() - 1);
    plan_.root_of_node[id] = index;
    return index;
  }

  ProfileStep profileStep(const ir::ProfilePlan& profile) {
    ProfileStep step;
    std::vector<NodeId> rest;
    for (NodeId c : profile.conjuncts) {
      collectRoots(c);
      if (step.driver < 0 && p_.node(c).op == Op::Any) step.driver = root(c);
      else rest.push_back(c);
    }
    if (!rest.empty()) step.filter = addKernel(KernelSpec{KernelSpec::Filter, ir::Domain::Decl, rest, ir::kNoNode});
    for (NodeId t : profile.triggers) {
      int r = root(t);
      plan_.roots[static_cast<size_t>(r)].keep_items = true;
      step.triggers.push_back(r);
    }
    for (const auto& m : profile.measures) {
      if (m.condition == ir::kNoNode) {
        step.measures.push_back(-1);
        continue;
      }
      collectRoots(m.condition);
      step.measures.push_back(addKernel(KernelSpec{KernelSpec::Value, ir::Domain::Decl, {}, m.condition}));
    }
    return step;
  }

  const ir::Program& p_;
  const sema::Program& source_;
  Plan plan_;
};

}  // namespace

Plan makePlan(const ir::Program& program, const sema::Program& source) { return Planner(program, source).build(); }

}  // namespace tauekel::runtime
