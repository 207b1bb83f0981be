// Checked program -> IR: inline indicators, desugar scope and validity, fold constants,
// share equal expressions.

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_set>

#include "compiler/ir/ir.h"
#include "compiler/ir/scalar.h"

namespace tauekel::ir {

namespace {

Type typeOf(const sema::Type& t) {
  switch (t.kind) {
    case sema::TypeKind::Bool: return Type::Bool;
    case sema::TypeKind::Int: return Type::Int;
    case sema::TypeKind::Decimal: return Type::Decimal;
    case sema::TypeKind::String: return Type::String;
    case sema::TypeKind::Date: return Type::Date;
    case sema::TypeKind::Hs: return Type::Hs;
    case sema::TypeKind::Country: return Type::Country;
    case sema::TypeKind::Enum: return Type::Enum;
    case sema::TypeKind::Person: return Type::Person;
    default: assert(false && "no IR type"); return Type::Bool;
  }
}

struct Context {
  Domain domain = Domain::Decl;
  NodeId person = kNoNode;  // inside a person indicator reached through this reference
};

class Lowerer {
 public:
  Lowerer(const sema::Program& source, Program& out, bool trace) : source_(source), out_(out), trace_(trace) {
    size_t i = 0;
    for (const auto& d : source.data) data_index_[&d] = static_cast<int64_t>(i++);
  }

  // Iterative: an expression is as deep as its longest operator chain, and deeper again
  // through the indicators it calls. Each indicator body is lowered once per context.
  NodeId lower(const sema::Expr& e, const Context& ctx);
  NodeId constant(Type type, int64_t value, int32_t digits = 0, const sema::EnumInfo* enumeration = nullptr) {
    Node n;
    n.op = Op::Const;
    n.type = type;
    n.value = value;
    n.digits = digits;
    n.enumeration = enumeration;
    return out_.intern(std::move(n));
  }
  NodeId make(Op op, Type type, std::vector<NodeId> args, int64_t value = 0,
              const sema::EnumInfo* enumeration = nullptr);
  NodeId column(Domain domain, int index, const sema::Field& field);
  // A score term's value (its points where its condition holds, else 0), and the
  // score's (the sum of its terms'), as Decl decimals.
  NodeId scoreTerm(const sema::ScoreTerm& term);
  NodeId scoreTotal(const sema::Score& score);

 private:
  NodeId fold(Node& n);
  NodeId adapt(NodeId node, const Context& ctx) {
    if (ctx.domain == Domain::Item && out_.node(node).domain == Domain::Decl)
      return make(Op::Broadcast, out_.node(node).type, {node}, 0, out_.node(node).enumeration);
    return node;
  }
  NodeId literal(const sema::Expr& e);

  // An indicator body in one context: (indicator, domain, person reference).
  using BodyKey = std::tuple<const sema::Indicator*, Domain, NodeId>;
  struct Frame {
    const sema::Expr* e;
    Context ctx;
    std::optional<BodyKey> body_of;  // set when this frame lowers an indicator body
    std::vector<NodeId> done;        // the operands lowered so far
  };
  struct Child {
    const sema::Expr* e;
    Context ctx;
    std::optional<BodyKey> body_of;
  };
  std::optional<Child> nextChild(Frame& f);
  NodeId finish(const Frame& f);

  const sema::Program& source_;
  Program& out_;
  std::map<const sema::DataSet*, int64_t> data_index_;
  std::map<BodyKey, NodeId> bodies_;
  bool trace_;
};

bool isConst(const Node& n) { return n.op == Op::Const; }
bool isNullConst(const Node& n) { return n.op == Op::Const && n.nullable; }
bool isTrue(const Node& n) { return n.op == Op::Const && !n.nullable && n.type == Type::Bool && n.value == 1; }
bool isFalse(const Node& n) { return n.op == Op::Const && !n.nullable && n.type == Type::Bool && n.value == 0; }

scalar::Datum datumOf(const Node& n) {
  if (n.nullable) return scalar::Datum::missing();
  scalar::Datum d = n.type == Type::String ? scalar::Datum::ofString(n.text) : scalar::Datum::of(n.value);
  d.digits = n.digits ? n.digits : 10;
  return d;
}

NodeId Lowerer::column(Domain domain, int index, const sema::Field& field) {
  Node n;
  n.op = Op::Column;
  n.domain = domain;
  n.type = typeOf(*field.type);
  n.nullable = field.type->optional;
  n.value = index;
  n.enumeration = field.type->enumeration;
  return out_.intern(std::move(n));
}

NodeId Lowerer::make(Op op, Type type, std::vector<NodeId> args, int64_t value, const sema::EnumInfo* enumeration) {
  Node n;
  n.op = op;
  n.type = type;
  n.value = value;
  n.enumeration = enumeration;
  n.args = std::move(args);
  // Domain: the widest argument's; aggregates turn items into declarations.
  Domain domain = Domain::Scalar;
  for (NodeId a : n.args) {
    Domain d = out_.node(a).domain;
    if (d == Domain::Person || domain == Domain::Person) domain = Domain::Person;
    else domain = std::max(domain, d);
  }
  switch (op) {
    case Op::Any: case Op::All: case Op::Count: case Op::Sum: case Op::Min: case Op::Max: domain = Domain::Decl; break;
    case Op::Broadcast: domain = Domain::Item; break;
    default: break;
  }
  n.domain = domain;
  auto nullable = [&](size_t i) { return out_.node(n.args[i]).nullable; };
  switch (op) {
    case Op::PersonField: case Op::NullUnless: case Op::Div: case Op::Lookup: case Op::Min: case Op::Max:
      n.nullable = true;
      break;
    case Op::PersonRegistered: case Op::IsMissing: case Op::IsPresent: case Op::Any: case Op::All: case Op::Count:
    case Op::Sum:
      n.nullable = false;
      break;
    case Op::Coalesce: n.nullable = nullable(1); break;
    case Op::If: n.nullable = nullable(1) || nullable(2); break;
    case Op::InValues: case Op::InData: case Op::InTableKeys: n.nullable = nullable(0); break;
    default:
      for (size_t i = 0; i < n.args.size(); ++i) n.nullable = n.nullable || nullable(i);
  }
  return fold(n);
}

// Constant folding and the algebra that holds under three-valued logic.
NodeId Lowerer::fold(Node& n) {
  const auto& args = n.args;
  auto arg = [&](size_t i) -> const Node& { return out_.node(args[i]); };
  switch (n.op) {
    case Op::And:
    case Op::Or: {
      // Any number of operands: a decisive constant decides, neutral ones and repeats go
      // (`d(x) and d(x)` is `d(x)`: an indicator calling another twice stays one node).
      bool is_and = n.op == Op::And;
      std::vector<NodeId> kept;
      std::unordered_set<NodeId> seen;
      for (NodeId a : args) {
        const Node& node = out_.node(a);
        if (is_and ? isFalse(node) : isTrue(node)) return constant(Type::Bool, is_and ? 0 : 1);
        if ((is_and ? isTrue(node) : isFalse(node)) || !seen.insert(a).second) continue;
        kept.push_back(a);
      }
      if (kept.empty()) return constant(Type::Bool, is_and ? 1 : 0);
      if (kept.size() == 1) return kept[0];
      if (kept.size() != args.size()) {
        n.args = std::move(kept);
        n.nullable = false;
        for (NodeId a : n.args) n.nullable = n.nullable || out_.node(a).nullable;
      }
      break;
    }
    case Op::Coalesce:
      if (!arg(0).nullable) return args[0];
      if (isNullConst(arg(0))) return args[1];
      break;
    case Op::If:
      if (isTrue(arg(0))) return args[1];
      if (isFalse(arg(0))) return args[2];
      break;
    case Op::IsMissing:
      if (!arg(0).nullable) return constant(Type::Bool, 0);
      break;
    case Op::IsPresent:
      if (!arg(0).nullable) return constant(Type::Bool, 1);
      break;
    case Op::NullUnless:
      if (isTrue(arg(0))) return args[1];
      break;
    default:
      break;
  }
  bool all_const = !args.empty();
  for (NodeId a : args) all_const = all_const && isConst(out_.node(a));
  bool foldable = n.op != Op::Column && n.op != Op::Broadcast && n.op != Op::PersonField &&
                  n.op != Op::PersonCategory && n.op != Op::PersonRegistered && n.op != Op::Any &&
                  n.op != Op::All && n.op != Op::Count && n.op != Op::Sum && n.op != Op::Min &&
                  n.op != Op::Max && n.op != Op::InData && n.op != Op::InTableKeys && n.op != Op::Lookup;
  if (all_const && foldable) {
    scalar::Datum result;
    Type arg_type = arg(0).type;
    switch (n.op) {
      case Op::InValues: {
        scalar::Datum x = datumOf(arg(0));
        if (!x.valid) {
          result = scalar::Datum::missing();
          break;
        }
        bool found = false;
        for (size_t i = 1; i < args.size(); ++i) found = found || scalar::matches(arg_type, x, datumOf(arg(i)));
        result = scalar::Datum::ofBool(found);
        break;
      }
      case Op::If: {
        scalar::Datum c = datumOf(arg(0));
        result = c.valid && c.i ? datumOf(arg(1)) : datumOf(arg(2));
        break;
      }
      case Op::NullUnless: {
        scalar::Datum c = datumOf(arg(0));
        result = c.valid && c.i ? datumOf(arg(1)) : scalar::Datum::missing();
        break;
      }
      case Op::And:
      case Op::Or:
        result = datumOf(arg(0));
        for (size_t i = 1; i < args.size(); ++i)
          result = n.op == Op::And ? scalar::andOf(result, datumOf(arg(i))) : scalar::orOf(result, datumOf(arg(i)));
        break;
      default:
        if (args.size() == 1)
          result = scalar::unary(n.op, n.type, arg_type, datumOf(arg(0)), n.value);
        else
          result = scalar::binary(n.op, n.type, arg_type, datumOf(arg(0)), datumOf(arg(1)));
    }
    Node c;
    c.op = Op::Const;
    c.type = n.type;
    c.enumeration = n.enumeration;
    c.nullable = !result.valid;
    if (result.valid) {
      c.value = result.i;
      if (n.type == Type::String) c.text = std::string(result.s);
      if (n.type == Type::Hs) c.digits = 10;
    }
    return out_.intern(std::move(c));
  }
  return out_.intern(std::move(n));
}

NodeId Lowerer::scoreTerm(const sema::ScoreTerm& term) {
  Context decl{Domain::Decl, kNoNode};
  NodeId points = lower(*term.points, decl);
  if (out_.node(points).type == Type::Int) points = make(Op::ToDecimal, Type::Decimal, {points});
  if (!term.condition) return points;
  return make(Op::If, Type::Decimal, {lower(*term.condition, decl), points, constant(Type::Decimal, 0)});
}

NodeId Lowerer::scoreTotal(const sema::Score& score) {
  NodeId total = constant(Type::Decimal, 0);
  for (const auto& term : score.terms) total = make(Op::Add, Type::Decimal, {total, scoreTerm(term)});
  return total;
}

NodeId Lowerer::literal(const sema::Expr& e) {
  Node n;
  n.op = Op::Const;
  n.type = typeOf(*e.type);
  n.value = e.literal.number;
  n.enumeration = e.type->enumeration;
  if (n.type == Type::String) n.text = e.literal.text;
  if (n.type == Type::Hs) n.digits = e.literal.digits ? e.literal.digits : 10;
  return out_.intern(std::move(n));
}

NodeId Lowerer::lower(const sema::Expr& root, const Context& ctx) {
  std::vector<Frame> stack;
  stack.push_back(Frame{&root, ctx, std::nullopt, {}});
  while (true) {
    if (std::optional<Child> child = nextChild(stack.back())) {
      stack.push_back(Frame{child->e, child->ctx, child->body_of, {}});
      continue;
    }
    NodeId id = finish(stack.back());
    if (trace_) out_.trace(TraceKey{stack.back().e, stack.back().ctx.domain, stack.back().ctx.person}, id);
    if (stack.back().body_of) bodies_.emplace(*stack.back().body_of, id);
    stack.pop_back();
    if (stack.empty()) return id;
    stack.back().done.push_back(id);
  }
}

// The next operand of `f.e` to lower, and in which context; nullopt when all are done.
std::optional<Lowerer::Child> Lowerer::nextChild(Frame& f) {
  using sema::Op;
  const sema::Expr& e = *f.e;
  size_t k = f.done.size();
  switch (e.op) {
    case Op::Literal: case Op::Field: case Op::Record:
      return std::nullopt;
    case Op::Any: case Op::All: case Op::Count: case Op::Sum: case Op::Min: case Op::Max:
      if (k < e.args.size()) return Child{e.args[k].get(), Context{Domain::Item, kNoNode}, std::nullopt};
      return std::nullopt;
    case Op::Call: {
      // A person indicator reached through a reference (declarant) reads that person's
      // fields: the reference first, then the body. Other indicators: just the body.
      const sema::Indicator& ind = *e.indicator;
      bool through_reference = ind.level == sema::Level::Person && e.args[0]->op != Op::Record;
      if (through_reference && k == 0) return Child{e.args[0].get(), f.ctx, std::nullopt};
      if (k != (through_reference ? 1u : 0u)) return std::nullopt;
      Context inner = f.ctx;
      if (through_reference) inner.person = f.done[0];
      if (ind.level == sema::Level::Item) inner.domain = Domain::Item;
      BodyKey key{&ind, inner.domain, inner.person};
      if (auto it = bodies_.find(key); it != bodies_.end()) {
        f.done.push_back(it->second);
        return std::nullopt;
      }
      return Child{ind.body.get(), inner, key};
    }
    default:
      if (k < e.args.size()) return Child{e.args[k].get(), f.ctx, std::nullopt};
      return std::nullopt;
  }
}

// The node for `f.e`, its operands lowered (f.done).
NodeId Lowerer::finish(const Frame& f) {
  using sema::Op;
  const sema::Expr& e = *f.e;
  const Context& ctx = f.ctx;
  auto A = [&](size_t i) { return f.done[i]; };
  Type type = e.type->kind == sema::TypeKind::Error ? Type::Bool : typeOf(*e.type);
  const sema::EnumInfo* en = e.type->enumeration;
  switch (e.op) {
    case Op::Literal: return literal(e);
    case Op::Field: {
      int f = e.field;
      switch (e.level) {
        case sema::Level::Declaration:
          return adapt(column(Domain::Decl, f, source_.declaration.fields[static_cast<size_t>(f)]), ctx);
        case sema::Level::Item: return column(Domain::Item, f, source_.item.fields[static_cast<size_t>(f)]);
        case sema::Level::Person: {
          const auto& field = source_.person.fields[static_cast<size_t>(f)];
          if (ctx.person == kNoNode) return column(Domain::Person, f, field);
          return make(ir::Op::PersonField, typeOf(*field.type), {ctx.person}, f, field.type->enumeration);
        }
      }
      break;
    }
    case Op::PersonField: {
      const auto& field = source_.person.fields[static_cast<size_t>(e.field)];
      return make(ir::Op::PersonField, typeOf(*field.type), {A(0)}, e.field, field.type->enumeration);
    }
    case Op::PersonCategory: return make(ir::Op::PersonCategory, Type::Enum, {A(0)}, 0, en);
    case Op::PersonRegistered: return make(ir::Op::PersonRegistered, Type::Bool, {A(0)});
    case Op::ToDecimal: return make(ir::Op::ToDecimal, Type::Decimal, {A(0)});
    case Op::Negate: return make(ir::Op::Negate, type, {A(0)});
    case Op::Not: return make(ir::Op::Not, Type::Bool, {A(0)});
    case Op::Add: return make(ir::Op::Add, type, {A(0), A(1)});
    case Op::Sub: return make(ir::Op::Sub, type, {A(0), A(1)});
    case Op::Mul: return make(ir::Op::Mul, type, {A(0), A(1)});
    case Op::Div: return make(ir::Op::Div, type, {A(0), A(1)});
    case Op::Eq: return make(ir::Op::Eq, Type::Bool, {A(0), A(1)});
    case Op::Ne: return make(ir::Op::Ne, Type::Bool, {A(0), A(1)});
    case Op::Lt: return make(ir::Op::Lt, Type::Bool, {A(0), A(1)});
    case Op::Le: return make(ir::Op::Le, Type::Bool, {A(0), A(1)});
    case Op::Gt: return make(ir::Op::Gt, Type::Bool, {A(0), A(1)});
    case Op::Ge: return make(ir::Op::Ge, Type::Bool, {A(0), A(1)});
    case Op::And: return make(ir::Op::And, Type::Bool, f.done);
    case Op::Or: return make(ir::Op::Or, Type::Bool, f.done);
    case Op::Coalesce: return make(ir::Op::Coalesce, type, {A(0), A(1)}, 0, en);
    case Op::IsMissing: return make(ir::Op::IsMissing, Type::Bool, {A(0)});
    case Op::IsPresent: return make(ir::Op::IsPresent, Type::Bool, {A(0)});
    case Op::InValues: return make(ir::Op::InValues, Type::Bool, f.done);
    case Op::InData: return make(ir::Op::InData, Type::Bool, {A(0)}, data_index_.at(e.data));
    case Op::InTableKeys: return make(ir::Op::InTableKeys, Type::Bool, {A(0)}, data_index_.at(e.data));
    case Op::Lookup: return make(ir::Op::Lookup, type, f.done, data_index_.at(e.data), en);
    case Op::HsPrefix: return make(ir::Op::HsPrefix, Type::Hs, {A(0)}, e.number);
    case Op::DatePart: return make(ir::Op::DatePart, Type::Int, {A(0)}, e.number);
    case Op::If: return make(ir::Op::If, type, {A(0), A(1), A(2)}, 0, en);
    case Op::Abs: return make(ir::Op::Abs, type, {A(0)});
    case Op::Len: return make(ir::Op::Len, Type::Int, {A(0)});
    case Op::StartsWith: return make(ir::Op::StartsWith, Type::Bool, {A(0), A(1)});
    case Op::EndsWith: return make(ir::Op::EndsWith, Type::Bool, {A(0), A(1)});
    case Op::Contains: return make(ir::Op::Contains, Type::Bool, {A(0), A(1)});
    case Op::MinOf: return make(ir::Op::MinOf, type, {A(0), A(1)}, 0, en);
    case Op::MaxOf: return make(ir::Op::MaxOf, type, {A(0), A(1)}, 0, en);
    case Op::Call: {
      const sema::Indicator& ind = *e.indicator;
      if (ind.level == sema::Level::Person && e.args[0]->op != Op::Record) {
        // Through a reference: the person may be unregistered, then the result is missing.
        NodeId ref = A(0);
        return make(ir::Op::NullUnless, typeOf(*ind.body->type), {make(ir::Op::PersonRegistered, Type::Bool, {ref}), A(1)});
      }
      return adapt(A(0), ctx);
    }
    case Op::Any: case Op::All: case Op::Count: {
      ir::Op op = e.op == Op::Any ? ir::Op::Any : e.op == Op::All ? ir::Op::All : ir::Op::Count;
      return adapt(make(op, e.op == Op::Count ? Type::Int : Type::Bool, {A(0)}), ctx);
    }
    case Op::Sum: case Op::Min: case Op::Max: {
      ir::Op op = e.op == Op::Sum ? ir::Op::Sum : e.op == Op::Min ? ir::Op::Min : ir::Op::Max;
      return adapt(make(op, type, f.done, 0, en), ctx);
    }
    case Op::ScoreRef: return adapt(scoreTotal(*e.score), ctx);
    case Op::Record:
      break;
  }
  assert(false && "unexpected expression in lowering");
  return constant(Type::Bool, 0);
}

// The conjuncts of a condition, `and` within `and` included (through indicators too),
// each once: a shared DAG is walked by node, never expanded.
void splitConjuncts(const Program& p, NodeId root, std::vector<NodeId>& out) {
  walkOnce(p, root, [&](NodeId id, const Node& n) {
    if (n.op == Op::And) return true;
    if (!isTrue(n)) out.push_back(id);
    return false;
  });
}

// The `any` nodes reached through `and` and `or` alone: their items triggered the profile.
void collectTriggers(const Program& p, NodeId root, std::vector<NodeId>& out) {
  walkOnce(p, root, [&](NodeId id, const Node& n) {
    if (n.op == Op::Any && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    return n.op == Op::And || n.op == Op::Or;
  });
}

}  // namespace

NodeId Program::intern(Node node) {
  std::string key = fmt::format("{}|{}|{}|{}|{}|{}|{}|", static_cast<int>(node.op), static_cast<int>(node.type),
                                static_cast<int>(node.domain), node.nullable, node.value, node.digits, node.text.size());
  key += node.text;
  for (NodeId a : node.args) key += fmt::format(",{}", a);
  auto [it, inserted] = index_.emplace(std::move(key), static_cast<NodeId>(nodes.size()));
  if (!inserted) {
    ++shared_hits_;
    return it->second;
  }
  nodes.push_back(std::move(node));
  return it->second;
}

Program lower(const sema::Program& source, const LowerOptions& options) {
  Program out;
  out.source = &source;
  Lowerer lowerer(source, out, options.trace);

  if (source.categories.defined) {
    Context person{Domain::Person, kNoNode};
    for (const auto& rule : source.categories.rules) {
      switch (rule.kind) {
        case sema::CategoryRule::When:
          out.categories.rules.emplace_back(lowerer.lower(*rule.condition, person), rule.category);
          break;
        case sema::CategoryRule::Unregistered: out.categories.unregistered = rule.category; break;
        case sema::CategoryRule::Otherwise: out.categories.otherwise = rule.category; break;
      }
    }
    bool has_unregistered = false;
    for (const auto& rule : source.categories.rules) has_unregistered |= rule.kind == sema::CategoryRule::Unregistered;
    if (!has_unregistered) out.categories.unregistered = out.categories.otherwise;
  }

  for (const auto& score : source.scores) {
    ScorePlan plan;
    plan.score = &score;
    for (const auto& term : score.terms) plan.terms.push_back(lowerer.scoreTerm(term));
    out.scores.push_back(std::move(plan));
  }

  for (const sema::Expr* e : options.extra) out.extra.push_back(lowerer.lower(*e, Context{Domain::Decl, kNoNode}));
  for (const sema::Expr* e : options.extra_items)
    out.extra_items.push_back(lowerer.lower(*e, Context{Domain::Item, kNoNode}));
  if (options.learn) {
    Context item{Domain::Item, kNoNode};
    for (const auto& learn : source.learns) {
      LearnPlan plan;
      plan.learn = &learn;
      for (const auto& key : learn.keys) {
        std::vector<NodeId> parts;
        for (const auto& part : key.parts) parts.push_back(lowerer.lower(*part, item));
        plan.keys.push_back(std::move(parts));
      }
      out.learns.push_back(std::move(plan));
    }
  }

  std::vector<const sema::Profile*> ordered;
  for (const auto& p : source.profiles) ordered.push_back(&p);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->id < b->id; });

  Context decl{Domain::Decl, kNoNode};
  for (const auto* p : ordered) {
    bool state_ok = p->state == sema::LifeState::Approved || (options.include_drafts && p->state == sema::LifeState::Draft);
    bool stage_ok = p->scope.stages.empty() ||
                    std::find(p->scope.stages.begin(), p->scope.stages.end(), options.stage) != p->scope.stages.end();
    bool date_ok = !options.as_of ||
                   (*options.as_of >= p->valid_from && (!p->valid_to || *options.as_of <= *p->valid_to));
    bool signed_ok = !options.approved || options.approved->count(p->id) > 0;
    if (!state_ok || !stage_ok || !date_ok || !signed_ok) {
      ++out.skipped_profiles;
      if (!state_ok) ++(p->state == sema::LifeState::Revoked ? out.skipped_revoked : out.skipped_drafts);
      else if (!signed_ok) ++out.skipped_unapproved;
      else ++out.skipped_scope;
      continue;
    }
    ProfilePlan plan;
    plan.profile = p;
    for (const auto& filter : p->scope.filters) {
      const auto& field = source.declaration.fields[static_cast<size_t>(filter.field)];
      std::vector<NodeId> args = {lowerer.column(Domain::Decl, filter.field, field)};
      for (const auto& v : filter.values) {
        Node c;
        c.op = Op::Const;
        c.type = typeOf(*field.type);
        c.value = v.number;
        c.text = v.text;
        c.digits = v.digits;
        c.enumeration = field.type->enumeration;
        args.push_back(out.intern(std::move(c)));
      }
      NodeId in = lowerer.make(Op::InValues, Type::Bool, std::move(args));
      // A declaration whose scope field is missing is outside the scope.
      if (out.node(in).nullable) in = lowerer.make(Op::Coalesce, Type::Bool, {in, lowerer.constant(Type::Bool, 0)});
      plan.conjuncts.push_back(in);
    }
    if (!options.as_of && source.date_field >= 0) {
      NodeId date = lowerer.column(Domain::Decl, source.date_field, source.declaration.fields[static_cast<size_t>(source.date_field)]);
      plan.conjuncts.push_back(lowerer.make(Op::Ge, Type::Bool, {date, lowerer.constant(Type::Date, p->valid_from)}));
      if (p->valid_to)
        plan.conjuncts.push_back(lowerer.make(Op::Le, Type::Bool, {date, lowerer.constant(Type::Date, *p->valid_to)}));
    }
    NodeId condition = lowerer.lower(*p->condition, decl);
    splitConjuncts(out, condition, plan.conjuncts);
    collectTriggers(out, condition, plan.triggers);
    for (const auto& m : p->measures) {
      MeasurePlan mp;
      mp.measure = m.measure;
      mp.sample = m.sample;
      if (m.condition) mp.condition = lowerer.lower(*m.condition, decl);
      plan.measures.push_back(mp);
    }
    for (const auto& band : p->level_bands) plan.level_bands.emplace_back(band.level, lowerer.lower(*band.condition, decl));
    out.profiles.push_back(std::move(plan));
  }
  // After release, only declarations released within the window: a condition of every
  // profile in force (they are all after-release ones at this stage).
  const sema::AfterReleaseWindow& window = source.after_release_window;
  if (options.stage == sema::Stage::AfterRelease && window.defined && source.date_field >= 0 &&
      options.window_reference) {
    out.window = Program::Window{window.firstDay(*options.window_reference), *options.window_reference};
    NodeId date = lowerer.column(Domain::Decl, source.date_field,
                                 source.declaration.fields[static_cast<size_t>(source.date_field)]);
    NodeId from = lowerer.make(Op::Ge, Type::Bool, {date, lowerer.constant(Type::Date, out.window->first)});
    NodeId to = lowerer.make(Op::Le, Type::Bool, {date, lowerer.constant(Type::Date, out.window->last)});
    for (auto& plan : out.profiles) {
      plan.conjuncts.push_back(from);
      plan.conjuncts.push_back(to);
    }
  }
  return out;
}

}  // namespace tauekel::ir
