#include "runtime/interp/row_interpreter.h"

#include <cassert>
#include <unordered_set>

#include "support/decimal.h"

namespace tauekel::runtime {

using ir::Op;
using ir::scalar::Datum;

Datum RowInterpreter::column(const Column& c, size_t row, const StringPool& strings) const {
  if (!c.valid(row)) return Datum::missing();
  int64_t v = c.get(row);
  if (c.type() == ir::Type::String) return Datum::ofString(strings.view(static_cast<int32_t>(v)));
  return Datum::of(v);
}

Datum RowInterpreter::eval(ir::NodeId id, const Row& row) {
  const ir::Program& p = *ctx_.program;
  if (cells_.size() != p.nodes.size()) {
    cells_.assign(p.nodes.size(), Cell{});
    slot_.resize(p.nodes.size());
    for (size_t n = 0; n < p.nodes.size(); ++n) {
      const ir::Node& node = p.nodes[n];
      slot_[n] = node.op == Op::Const                  ? kConstSlot
                 : node.domain == ir::Domain::Item     ? kItemSlot
                 : node.domain == ir::Domain::Person   ? kPersonSlot
                                                       : kDeclSlot;
    }
  }
  // A new row: nothing computed for another one is reused.
  epoch_[kDeclSlot] = ++epochs_;
  epoch_[kItemSlot] = ++epochs_;
  epoch_[kPersonSlot] = ++epochs_;
  if (p.node(id).domain == ir::Domain::Item)
    for (ir::NodeId input : declInputs(id)) ensure(input, row, 0, 0);
  ensure(id, row, 0, 0);
  return value(id);
}

void RowInterpreter::ensure(ir::NodeId id, const Row& row, size_t level, int depth) {
  if (ready(id, row)) return;
  if (depth >= kMaxRecursion) {
    run(id, row, level);
    return;
  }
  Frame f{id, 0};
  for (ir::NodeId need; (need = nextNeeded(f, row)) != ir::kNoNode;) ensure(need, row, level, depth + 1);
  store(id, compute(id, row, level));
}

Datum RowInterpreter::run(ir::NodeId root, const Row& row, size_t level) {
  if (ready(root, row)) return value(root);
  if (stacks_.size() <= level) stacks_.resize(level + 1);
  std::vector<Frame>& stack = stacks_[level];
  stack.assign(1, Frame{root, 0});
  while (!stack.empty()) {
    ir::NodeId need = nextNeeded(stack.back(), row);
    if (need != ir::kNoNode) {
      stack.push_back(Frame{need, 0});
      continue;
    }
    ir::NodeId id = stack.back().id;
    store(id, compute(id, row, level));
    stack.pop_back();
  }
  return value(root);
}

bool RowInterpreter::ready(ir::NodeId id, const Row& row) {
  if (known(id)) return true;
  const ir::Node& n = ctx_.program->node(id);
  if (!n.args.empty()) return false;
  store(id, compute(id, row, 0));  // no operands: nothing to stack, no item loop
  return true;
}

ir::NodeId RowInterpreter::nextNeeded(Frame& f, const Row& row) {
  const ir::Node& n = ctx_.program->node(f.id);
  auto truth = [&](ir::NodeId a) { return value(a).valid && value(a).i != 0; };
  switch (n.op) {
    case Op::And:
    case Op::Or:
      // Left to right, until one operand decides.
      for (; f.next < n.args.size(); ++f.next) {
        ir::NodeId a = n.args[f.next];
        if (!ready(a, row)) return a;
        if (value(a).valid && (value(a).i != 0) == (n.op == Op::Or)) return ir::kNoNode;
      }
      return ir::kNoNode;
    case Op::If: {
      if (!ready(n.args[0], row)) return n.args[0];
      ir::NodeId taken = n.args[truth(n.args[0]) ? 1 : 2];
      return ready(taken, row) ? ir::kNoNode : taken;
    }
    case Op::NullUnless:
      if (!ready(n.args[0], row)) return n.args[0];
      return truth(n.args[0]) && !ready(n.args[1], row) ? n.args[1] : ir::kNoNode;
    case Op::Coalesce:
      if (!ready(n.args[0], row)) return n.args[0];
      return !value(n.args[0]).valid && !ready(n.args[1], row) ? n.args[1] : ir::kNoNode;
    case Op::Any: case Op::All: case Op::Count: case Op::Sum: case Op::Min: case Op::Max: {
      // Its item loop reads declaration values: those first, unless it is computed already.
      if (Datum cached; row.aggregates && row.aggregates->get(f.id, row.decl, cached)) return ir::kNoNode;
      const auto& inputs = declInputs(f.id);
      for (; f.next < inputs.size(); ++f.next)
        if (!ready(inputs[f.next], row)) return inputs[f.next];
      return ir::kNoNode;
    }
    default:
      for (; f.next < n.args.size(); ++f.next)
        if (!ready(n.args[f.next], row)) return n.args[f.next];
      return ir::kNoNode;
  }
}

Datum RowInterpreter::compute(ir::NodeId id, const Row& row, size_t level) {
  const ir::Program& p = *ctx_.program;
  const ir::Node& n = p.node(id);
  auto arg = [&](size_t i) -> const Datum& { return value(n.args[i]); };
  switch (n.op) {
    case Op::Const: {
      if (n.nullable) return Datum::missing();
      Datum d = n.type == ir::Type::String ? Datum::ofString(n.text) : Datum::of(n.value);
      d.digits = n.digits ? n.digits : 10;
      return d;
    }
    case Op::Column: {
      auto c = static_cast<size_t>(n.value);
      switch (n.domain) {
        case ir::Domain::Decl: return column(row.batch->decl_columns[c], row.decl, row.batch->strings);
        case ir::Domain::Item: return column(row.batch->item_columns[c], static_cast<size_t>(row.item), row.batch->strings);
        case ir::Domain::Person:
          return column(ctx_.persons->columns[c], static_cast<size_t>(row.person), ctx_.persons->strings);
        default: break;
      }
      break;
    }
    case Op::Broadcast: return arg(0);
    case Op::PersonField: {
      const Datum& ref = arg(0);
      if (!ref.valid || ref.i < 0 || ctx_.persons == nullptr) return Datum::missing();
      return column(ctx_.persons->columns[static_cast<size_t>(n.value)], static_cast<size_t>(ref.i), ctx_.persons->strings);
    }
    case Op::PersonCategory: {
      const Datum& ref = arg(0);
      if (!ref.valid) return Datum::missing();
      if (ref.i < 0 || ctx_.persons == nullptr) return Datum::of(static_cast<int64_t>(p.categories.unregistered));
      return Datum::of(ctx_.persons->category[static_cast<size_t>(ref.i)]);
    }
    case Op::PersonRegistered: {
      const Datum& ref = arg(0);
      return Datum::ofBool(ref.valid && ref.i >= 0 && ctx_.persons != nullptr);
    }
    case Op::NullUnless: {
      const Datum& c = arg(0);
      return c.valid && c.i ? arg(1) : Datum::missing();
    }
    case Op::InValues: {
      const Datum& x = arg(0);
      if (!x.valid) return Datum::missing();
      for (size_t i = 1; i < n.args.size(); ++i)
        if (ir::scalar::matches(p.node(n.args[0]).type, x, arg(i))) return Datum::ofBool(true);
      return Datum::ofBool(false);
    }
    case Op::InData:
    case Op::InTableKeys: {
      const Datum& x = arg(0);
      if (!x.valid) return Datum::missing();
      return Datum::ofBool((*ctx_.data)[n.value].contains(x));
    }
    case Op::Lookup: {
      const DataLookup& data = (*ctx_.data)[n.value];
      int64_t found = n.args.size() == 2 ? data.find(arg(0), arg(1)) : data.find(arg(0));
      return found < 0 ? Datum::missing() : data.value(found);
    }
    case Op::If: {
      const Datum& c = arg(0);
      return c.valid && c.i ? arg(1) : arg(2);
    }
    case Op::And:
    case Op::Or: {
      // The operands nextNeeded() evaluated: all of them, or up to a deciding one.
      Datum acc = arg(0);
      for (size_t i = 1; i < n.args.size() && known(n.args[i]); ++i)
        acc = n.op == Op::And ? ir::scalar::andOf(acc, arg(i)) : ir::scalar::orOf(acc, arg(i));
      return acc;
    }
    case Op::Coalesce: {
      const Datum& a = arg(0);
      return a.valid ? a : arg(1);
    }
    case Op::Any: case Op::All: case Op::Count: case Op::Sum: case Op::Min: case Op::Max:
      return aggregate(id, n, row, level);
    default:
      if (n.args.size() == 1) return ir::scalar::unary(n.op, n.type, p.node(n.args[0]).type, arg(0), n.value);
      return ir::scalar::binary(n.op, n.type, p.node(n.args[0]).type, arg(0), arg(1));
  }
  assert(false && "unhandled node");
  return Datum::missing();
}

Datum RowInterpreter::aggregate(ir::NodeId id, const ir::Node& n, const Row& row, size_t level) {
  if (Datum cached; row.aggregates && row.aggregates->get(id, row.decl, cached)) return cached;
  const Batch& b = *row.batch;
  Row item_row = row;
  int64_t count = 0;
  Datum best = Datum::missing();
  int64_t sum = 0;
  ir::Type body_type = ctx_.program->node(n.args[0]).type;
  // Each item is a row of its own; the declaration's values (computed already) stay.
  uint64_t outer_items = epoch_[kItemSlot];
  auto holds = [&](ir::NodeId body) {
    ensure(body, item_row, level + 1, 0);
    return value(body).valid && value(body).i != 0;
  };
  Datum result;
  bool decided = false;
  for (uint32_t i = b.item_begin[row.decl]; i < b.item_begin[row.decl + 1] && !decided; ++i) {
    item_row.item = i;
    epoch_[kItemSlot] = ++epochs_;
    if (n.op == Op::Any || n.op == Op::All || n.op == Op::Count) {
      bool h = holds(n.args[0]);
      if (n.op == Op::Any && h) result = Datum::ofBool(true), decided = true;
      if (n.op == Op::All && !h) result = Datum::ofBool(false), decided = true;
      count += h;
      continue;
    }
    if (n.args.size() > 1 && !holds(n.args[1])) continue;
    ensure(n.args[0], item_row, level + 1, 0);
    Datum v = value(n.args[0]);
    if (!v.valid) continue;
    if (n.op == Op::Sum) sum = decimal::add(sum, v.i);
    else if (!best.valid || (n.op == Op::Min ? ir::scalar::compare(body_type, v, best) < 0
                                             : ir::scalar::compare(body_type, v, best) > 0))
      best = v;
  }
  epoch_[kItemSlot] = outer_items;
  if (decided) return result;
  switch (n.op) {
    case Op::Any: return Datum::ofBool(false);
    case Op::All: return Datum::ofBool(true);
    case Op::Count: return Datum::of(count);
    case Op::Sum: return Datum::of(sum);
    default: return best;
  }
}

const std::vector<ir::NodeId>& RowInterpreter::declInputs(ir::NodeId id) {
  const ir::Program& p = *ctx_.program;
  if (decl_inputs_.size() != p.nodes.size()) {
    decl_inputs_.assign(p.nodes.size(), {});
    has_decl_inputs_.assign(p.nodes.size(), 0);
  }
  if (has_decl_inputs_[id]) return decl_inputs_[id];
  // Walk the item-level nodes from the roots; collect what they read from outside.
  std::vector<ir::NodeId> roots;
  const ir::Node& n = p.node(id);
  if (n.domain == ir::Domain::Item) roots.push_back(id);
  else roots = n.args;  // an aggregate: its body and filter
  std::vector<ir::NodeId> out, pending;
  std::unordered_set<ir::NodeId> seen;
  for (ir::NodeId r : roots) {
    if (p.node(r).domain == ir::Domain::Item) pending.push_back(r);
    else if (seen.insert(r).second) out.push_back(r);
  }
  while (!pending.empty()) {
    ir::NodeId at = pending.back();
    pending.pop_back();
    if (!seen.insert(at).second) continue;
    for (ir::NodeId a : p.node(at).args) {
      if (p.node(a).domain == ir::Domain::Item) pending.push_back(a);
      else if (seen.insert(a).second) out.push_back(a);
    }
  }
  has_decl_inputs_[id] = 1;
  decl_inputs_[id] = std::move(out);
  return decl_inputs_[id];
}

void RowInterpreter::computeCategories(PersonRegister& persons, const ir::Program& program, const ReferenceData& data) {
  EngineContext ctx{&program, &data, &persons};
  RowInterpreter interp(ctx);
  persons.unregistered_category = static_cast<uint8_t>(program.categories.unregistered);
  persons.category.assign(persons.count, static_cast<uint8_t>(program.categories.otherwise));
  for (size_t person = 0; person < persons.count; ++person) {
    Row row;
    row.person = static_cast<int64_t>(person);
    for (const auto& [condition, category] : program.categories.rules) {
      if (interp.isTrue(condition, row)) {
        persons.category[person] = static_cast<uint8_t>(category);
        break;
      }
    }
  }
}

}  // namespace tauekel::runtime
