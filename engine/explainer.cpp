#include "engine/explainer.h"

#include <fmt/format.h>

#include <cassert>

#include "compiler/sema/print.h"
#include "support/codes.h"
#include "support/date.h"
#include "support/decimal.h"
#include "support/text.h"

namespace tauekel::engine {

namespace {
// Deeper than this, what holds is shown as one condition: explanations are for people.
constexpr int kMaxDepth = 32;

bool isValueSource(sema::Op op) {
  switch (op) {
    case sema::Op::Field: case sema::Op::PersonField: case sema::Op::PersonCategory: case sema::Op::PersonRegistered:
    case sema::Op::Call: case sema::Op::Any: case sema::Op::All: case sema::Op::Count: case sema::Op::Sum:
    case sema::Op::Min: case sema::Op::Max:
      return true;
    default: return false;
  }
}
}  // namespace

const char* name(Reason::Kind kind) {
  switch (kind) {
    case Reason::Kind::Indicator: return "indicator";
    case Reason::Kind::Condition: return "condition";
    case Reason::Kind::Items: return "items";
    case Reason::Kind::Item: return "item";
  }
  return "?";
}

ExplanationModel::ExplanationModel(const Screener& screener) : screener_(screener) {
  ir::LowerOptions lo = lowerOptions(screener.options());
  lo.trace = true;
  ir_ = ir::lower(screener.program(), lo);
  context_ = runtime::EngineContext{&ir_, &screener.referenceData(), screener.persons()};
  for (const auto& plan : ir_.profiles) profiles_.emplace(plan.profile->id, plan.profile);
  int64_t i = 0;
  for (const auto& d : screener.program().data) data_index_.emplace(&d, i++);
}

std::vector<ProfileExplanation> Explainer::explain(const runtime::Batch& batch, uint32_t row,
                                                   const Decision& decision) {
  std::vector<ProfileExplanation> out;
  for (const auto& selection : decision.profiles) {
    ProfileExplanation& e = out.emplace_back();
    e.profile = selection.id;
    auto it = model_.profiles_.find(selection.id);
    assert(it != model_.profiles_.end() && "a decision names a profile not in force");
    if (it == model_.profiles_.end()) continue;
    Row r;
    r.batch = &batch;
    r.decl = row;
    if (const auto& share = it->second->random_share) {
      Reason r;
      r.kind = Reason::Kind::Condition;
      r.text = fmt::format("chosen at random: {}% of the declarations in its scope", decimal::format(*share * 100));
      e.reasons.push_back(std::move(r));
      continue;
    }
    const sema::Expr& condition = *it->second->condition;
    bool held = holds(condition, Where{}, r);
    assert(held && "the engine selected where the reference interpreter does not");
    if (held) because(condition, Where{}, r, 0, e.reasons);
  }
  return out;
}

CategoryExplanation Explainer::category(int64_t person) {
  const sema::Program& program = model_.screener_.program();
  const runtime::PersonRegister* register_ = model_.screener_.persons();
  CategoryExplanation out;
  out.registered = person >= 0 && register_ != nullptr;
  if (out.registered) {
    int key = program.person.key_field;
    out.person = std::string(register_->strings.view(
        static_cast<int32_t>(register_->columns[static_cast<size_t>(key)].get(static_cast<size_t>(person)))));
  }
  const auto& rules = program.categories.rules;
  out.category = model_.ir_.categories.otherwise;
  if (!out.registered) out.category = model_.ir_.categories.unregistered;
  for (size_t i = 0; i < rules.size(); ++i) {
    const sema::CategoryRule& rule = rules[i];
    std::string level = sema::name(rule.category);
    bool decides = false;
    if (rule.kind == sema::CategoryRule::When && out.registered) {
      Row r;
      r.person = person;
      Where where{ir::Domain::Person, ir::kNoNode, "person"};
      if (holds(*rule.condition, where, r)) {
        decides = true;
        out.rule_text = level + " when " + print(*rule.condition, where);
        because(*rule.condition, where, r, 0, out.reasons);
      }
    } else if (rule.kind == sema::CategoryRule::Unregistered && !out.registered) {
      decides = true;
      out.rule_text = level + " when unregistered";
    } else if (rule.kind == sema::CategoryRule::Otherwise) {
      decides = true;
      out.rule_text = level + " otherwise";
    }
    if (decides) {
      out.category = rule.category;
      out.rule = i + 1;
      break;
    }
  }
  if (out.registered) {
    // The register's category was computed by the same rules: they agree.
    assert(static_cast<sema::RiskLevel>(register_->category[static_cast<size_t>(person)]) == out.category);
  }
  return out;
}

std::vector<CategoryExplanation> Explainer::persons(const runtime::Batch& batch, uint32_t row) {
  std::vector<CategoryExplanation> out;
  const sema::Program& program = model_.screener_.program();
  if (!program.categories.defined) return out;
  for (size_t f = 0; f < program.declaration.fields.size(); ++f) {
    const sema::Field& field = program.declaration.fields[f];
    if (field.type->kind != sema::TypeKind::Person) continue;
    const auto& column = batch.decl_columns[f];
    if (!column.valid(row)) continue;  // names nobody
    CategoryExplanation c = category(column.get(row));
    c.role = field.name;
    out.push_back(std::move(c));
  }
  return out;
}

ir::scalar::Datum Explainer::value(const sema::Expr& e, const Where& where, const Row& row) {
  ir::NodeId id = model_.ir_.traced(ir::TraceKey{&e, where.domain, where.person});
  assert(id != ir::kNoNode && "an expression of a profile in force was not lowered");
  if (id == ir::kNoNode) return ir::scalar::Datum::missing();
  return interp_.eval(id, row);
}

bool Explainer::holds(const sema::Expr& e, const Where& where, const Row& row) {
  auto d = value(e, where, row);
  return d.valid && d.i != 0;
}

void Explainer::because(const sema::Expr& e, const Where& where, const Row& row, int depth, std::vector<Reason>& out) {
  if (depth >= kMaxDepth) {
    out.push_back(condition(e, where, row));
    return;
  }
  switch (e.op) {
    case sema::Op::And:  // Kleene: true only when every operand is
      for (const auto& a : e.args) because(*a, where, row, depth + 1, out);
      return;
    case sema::Op::Or:
      // Each alternative that held; one that is itself an `and` stays one reason, so that
      // its parts do not read as all being needed beside the others.
      for (const auto& a : e.args) {
        if (!holds(*a, where, row)) continue;
        if (a->op == sema::Op::And) out.push_back(condition(*a, where, row));
        else because(*a, where, row, depth + 1, out);
      }
      return;
    case sema::Op::Coalesce:
      // `x ?? false`: x decided, unless it was missing.
      if (e.type->kind == sema::TypeKind::Bool && value(*e.args[0], where, row).valid) {
        because(*e.args[0], where, row, depth + 1, out);
        return;
      }
      break;
    case sema::Op::Call: {
      const sema::Indicator& ind = *e.indicator;
      Reason r;
      r.kind = Reason::Kind::Indicator;
      r.text = print(e, where);
      r.indicator = &ind;
      // The body in the context lowering gave it (compiler/ir/lower.cpp, Call).
      Where inner = where;
      if (ind.level == sema::Level::Person && e.args[0]->op != sema::Op::Record) {
        const sema::Expr& reference = *e.args[0];
        inner.person = model_.ir_.traced(ir::TraceKey{&reference, where.domain, where.person});
        inner.person_name = print(reference, where);
        // Which person: their id in the register, or that they are not in it.
        if (inner.person != ir::kNoNode)
          r.facts.push_back(Fact{inner.person_name, show(model_.ir_.node(inner.person), value(reference, where, row))});
      }
      if (ind.level == sema::Level::Item) inner.domain = ir::Domain::Item;
      because(*ind.body, inner, row, depth + 1, r.because);
      out.push_back(std::move(r));
      return;
    }
    case sema::Op::Any:
    case sema::Op::All: {
      Reason r;
      r.kind = Reason::Kind::Items;
      r.text = print(e, where);
      Where items{ir::Domain::Item, ir::kNoNode};
      const runtime::Batch& b = *row.batch;
      for (uint32_t i = b.item_begin[row.decl]; i < b.item_begin[row.decl + 1]; ++i) {
        Row item_row = row;
        item_row.item = i;
        if (!holds(*e.args[0], items, item_row)) continue;
        Reason& it = r.because.emplace_back();
        it.kind = Reason::Kind::Item;
        it.item = i - b.item_begin[row.decl] + 1;
        because(*e.args[0], items, item_row, depth + 1, it.because);
      }
      out.push_back(std::move(r));
      return;
    }
    default: break;
  }
  out.push_back(condition(e, where, row));
}

// A condition that holds, with the values it read: fields, persons' fields and
// categories, indicators and aggregates (not looked into), table rows and list entries.
Reason Explainer::condition(const sema::Expr& e, const Where& where, const Row& row) {
  Reason r;
  r.kind = Reason::Kind::Condition;
  r.text = print(e, where);
  auto add = [&](std::string name, std::string value, const char* relation = "=") {
    for (const auto& f : r.facts)
      if (f.name == name) return;
    r.facts.push_back(Fact{std::move(name), std::move(value), relation});
  };
  auto nodeOf = [&](const sema::Expr& x) -> const ir::Node* {
    ir::NodeId id = model_.ir_.traced(ir::TraceKey{&x, where.domain, where.person});
    return id == ir::kNoNode ? nullptr : &model_.ir_.node(id);
  };
  // Operands left to right, on a work list: a condition may be a long chain.
  std::vector<const sema::Expr*> pending = {&e};
  while (!pending.empty()) {
    const sema::Expr& x = *pending.back();
    pending.pop_back();
    if (r.facts.size() >= 32) break;  // enough to see why
    const ir::Node* node = nodeOf(x);
    if (node == nullptr) continue;
    if (isValueSource(x.op)) {
      if (&x != &e || x.op != sema::Op::Call) add(print(x, where), show(*node, value(x, where, row)));
      if (x.op != sema::Op::PersonField && x.op != sema::Op::PersonCategory && x.op != sema::Op::PersonRegistered)
        continue;
    }
    if (x.op == sema::Op::Lookup || x.op == sema::Op::InData || x.op == sema::Op::InTableKeys) {
      const sema::DataSet& data = *x.data;
      auto key = value(*x.args[0], where, row);
      const runtime::DataLookup& lookup = (*model_.context_.data)[model_.data_index_.at(&data)];
      const bool two_keys = x.args.size() == 2;
      int64_t found = -1;
      std::string matched;
      if (two_keys) {
        auto second = value(*x.args[1], where, row);
        found = lookup.find(key, second);
        if (found >= 0)
          matched = sema::formatValue(*data.type->element->element, data.keys[static_cast<size_t>(found)]) + ", " +
                    sema::formatValue(*data.type->element->value, data.keys2[static_cast<size_t>(found)]);
      } else {
        found = key.valid ? lookup.find(key) : -1;
        if (found >= 0) matched = sema::formatValue(*data.type->element, data.keys[static_cast<size_t>(found)]);
      }
      // The key's own value first, when it is read from the declaration.
      const ir::Node* key_node = nodeOf(*x.args[0]);
      if (isValueSource(x.args[0]->op) && key_node) add(print(*x.args[0], where), show(*key_node, key));
      if (x.op == sema::Op::Lookup) {
        std::string shown_key = found >= 0 ? matched
                                : two_keys   ? print(*x.args[0], where) + ", " + print(*x.args[1], where)
                                             : print(*x.args[0], where);
        add(data.name + "[" + shown_key + "]", show(*node, value(x, where, row)));
      } else if (key.valid) {
        if (found >= 0) add(data.name, matched, "holds");
        else add(data.name, key_node ? show(*key_node, key) : std::string("it"), "does not hold");
      }
    }
    for (auto a = x.args.rbegin(); a != x.args.rend(); ++a) pending.push_back(a->get());
  }
  return r;
}

std::string Explainer::print(const sema::Expr& e, const Where& where) const {
  return sema::print(e, model_.screener_.program(), where.person_name);
}

std::string Explainer::show(const ir::Node& node, const ir::scalar::Datum& d) const {
  if (!d.valid) return "missing";
  switch (node.type) {
    case ir::Type::Bool: return d.i ? "true" : "false";
    case ir::Type::Int: return std::to_string(d.i);
    case ir::Type::Decimal: return decimal::format(d.i);
    case ir::Type::Date: return date::format(static_cast<int32_t>(d.i));
    case ir::Type::Hs: return codes::formatHs(d.i);
    case ir::Type::Country: return codes::formatCountry(static_cast<uint16_t>(d.i));
    case ir::Type::Enum:
      if (node.enumeration && d.i >= 0 && static_cast<size_t>(d.i) < node.enumeration->members.size())
        return node.enumeration->members[static_cast<size_t>(d.i)];
      return std::to_string(d.i);
    case ir::Type::String: return text::quoted(d.s, 200);
    case ir::Type::Person: {
      const runtime::PersonRegister* persons = model_.screener_.persons();
      int key = model_.screener_.program().person.key_field;
      if (d.i < 0 || persons == nullptr || key < 0) return "unregistered";
      return text::quoted(persons->strings.view(
          static_cast<int32_t>(persons->columns[static_cast<size_t>(key)].get(static_cast<size_t>(d.i)))));
    }
  }
  return "?";
}

}  // namespace tauekel::engine
