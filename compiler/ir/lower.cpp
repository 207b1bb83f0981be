// Checked program -> IR: inline indicators, desugar scope and validity, fold constants,
// share equal expressions.

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <map>
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
  Lowerer(const sema::Program& source, Program& out) : source_(source), out_(out) {
    size_t i = 0;
    for (const auto& d : source.data) data_index_[&d] = static_cast<int64_t>(i++);
  }

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

 private:
  NodeId fold(Node& n);
  NodeId adapt(NodeId node, const Context& ctx) {
    if (ctx.domain == Domain::Item && out_.node(node).domain == Domain::Decl)
      return make(Op::Broadcast, out_.node(node).type, {node}, 0, out_.node(node).enumeration);
    return node;
  }
  NodeId literal(const sema::Expr& e);

  const sema::Program& source_;
  Program& out_;
  std::map<const sema::DataSet*, int64_t> data_index_;
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
    case Op::PersonRegistered: case Op::IsNull: case Op::IsNotNull: case Op::Any: case Op::All: case Op::Count:
    case Op::Sum:
      n.nullable = false;
      break;
    case Op::Coalesce: n.nullable = nullable(1); break;
    case Op::If: n.nullable = nullable(1) || nullable(2); break;
    case Op::InConsts: case Op::InData: case Op::InTableKeys: n.nullable = nullable(0); break;
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
    case Op::IsNull:
      if (!arg(0).nullable) return constant(Type::Bool, 0);
      break;
    case Op::IsNotNull:
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
      case Op::InConsts: {
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

NodeId Lowerer::lower(const sema::Expr& e, const Context& ctx) {
  using sema::Op;
  auto L = [&](size_t i, const Context& c) { return lower(*e.args[i], c); };
  auto A = [&](size_t i) { return lower(*e.args[i], ctx); };
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
      NodeId ref = A(0);
      const auto& field = source_.person.fields[static_cast<size_t>(e.field)];
      return make(ir::Op::PersonField, typeOf(*field.type), {ref}, e.field, field.type->enumeration);
    }
    case Op::PersonCategory: return make(ir::Op::PersonCategory, Type::Enum, {A(0)}, 0, en);
    case Op::PersonRegistered: return make(ir::Op::PersonRegistered, Type::Bool, {A(0)});
    case Op::ToDecimal: return make(ir::Op::ToDecimal, Type::Decimal, {A(0)});
    case Op::Negate: return make(ir::Op::Neg, type, {A(0)});
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
    case Op::And:
    case Op::Or: {
      std::vector<NodeId> args;
      for (size_t i = 0; i < e.args.size(); ++i) args.push_back(A(i));
      return make(e.op == Op::And ? ir::Op::And : ir::Op::Or, Type::Bool, std::move(args));
    }
    case Op::Coalesce: return make(ir::Op::Coalesce, type, {A(0), A(1)}, 0, en);
    case Op::IsMissing: return make(ir::Op::IsNull, Type::Bool, {A(0)});
    case Op::IsPresent: return make(ir::Op::IsNotNull, Type::Bool, {A(0)});
    case Op::InValues: {
      std::vector<NodeId> args;
      for (size_t i = 0; i < e.args.size(); ++i) args.push_back(A(i));
      return make(ir::Op::InConsts, Type::Bool, std::move(args));
    }
    case Op::InData: return make(ir::Op::InData, Type::Bool, {A(0)}, data_index_.at(e.data));
    case Op::InTableKeys: return make(ir::Op::InTableKeys, Type::Bool, {A(0)}, data_index_.at(e.data));
    case Op::Lookup: return make(ir::Op::Lookup, type, {A(0)}, data_index_.at(e.data), en);
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
      const sema::Expr& arg = *e.args[0];
      if (ind.level == sema::Level::Person && arg.op != Op::Record) {
        // Through a reference: the person may be unregistered, then the result is missing.
        NodeId ref = A(0);
        Context inner{ctx.domain, ref};
        NodeId body = lower(*ind.body, inner);
        return make(ir::Op::NullUnless, typeOf(*ind.body->type), {make(ir::Op::PersonRegistered, Type::Bool, {ref}), body});
      }
      Context inner = ctx;
      if (ind.level == sema::Level::Item) inner.domain = Domain::Item;
      return adapt(lower(*ind.body, inner), ctx);
    }
    case Op::Any: case Op::All: case Op::Count: {
      Context items{Domain::Item, kNoNode};
      ir::Op op = e.op == Op::Any ? ir::Op::Any : e.op == Op::All ? ir::Op::All : ir::Op::Count;
      return adapt(make(op, e.op == Op::Count ? Type::Int : Type::Bool, {L(0, items)}), ctx);
    }
    case Op::Sum: case Op::Min: case Op::Max: {
      Context items{Domain::Item, kNoNode};
      std::vector<NodeId> args = {L(0, items)};
      if (e.args.size() > 1) args.push_back(L(1, items));
      ir::Op op = e.op == Op::Sum ? ir::Op::Sum : e.op == Op::Min ? ir::Op::Min : ir::Op::Max;
      return adapt(make(op, type, std::move(args), 0, en), ctx);
    }
    case Op::Record:
      break;
  }
  assert(false && "unexpected expression in lowering");
  return constant(Type::Bool, 0);
}

void splitConjuncts(const Program& p, NodeId id, std::vector<NodeId>& out) {
  const Node& n = p.node(id);
  if (n.op == Op::And) {
    for (NodeId a : n.args) splitConjuncts(p, a, out);
  } else if (!isTrue(n)) {
    out.push_back(id);
  }
}

void collectTriggers(const Program& p, NodeId id, std::vector<NodeId>& out) {
  const Node& n = p.node(id);
  if (n.op == Op::Any) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  } else if (n.op == Op::And || n.op == Op::Or) {
    for (NodeId a : n.args) collectTriggers(p, a, out);
  }
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
  Lowerer lowerer(source, out);

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
    if (!state_ok || !stage_ok || !date_ok) {
      ++out.skipped_profiles;
      if (!state_ok) ++(p->state == sema::LifeState::Revoked ? out.skipped_revoked : out.skipped_drafts);
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
      NodeId in = lowerer.make(Op::InConsts, Type::Bool, std::move(args));
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
    out.profiles.push_back(std::move(plan));
  }
  return out;
}

}  // namespace tauekel::ir
