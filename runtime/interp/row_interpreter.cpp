#include "runtime/interp/row_interpreter.h"

#include <cassert>

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

Datum RowInterpreter::eval(ir::NodeId id, const Row& row) const {
  const ir::Program& p = *ctx_.program;
  const ir::Node& n = p.node(id);
  auto arg = [&](size_t i) { return eval(n.args[i], row); };
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
      Datum ref = arg(0);
      if (!ref.valid || ref.i < 0 || ctx_.persons == nullptr) return Datum::missing();
      return column(ctx_.persons->columns[static_cast<size_t>(n.value)], static_cast<size_t>(ref.i), ctx_.persons->strings);
    }
    case Op::PersonCategory: {
      Datum ref = arg(0);
      if (!ref.valid) return Datum::missing();
      if (ref.i < 0 || ctx_.persons == nullptr) return Datum::of(static_cast<int64_t>(p.categories.unregistered));
      return Datum::of(ctx_.persons->category[static_cast<size_t>(ref.i)]);
    }
    case Op::PersonRegistered: {
      Datum ref = arg(0);
      return Datum::ofBool(ref.valid && ref.i >= 0 && ctx_.persons != nullptr);
    }
    case Op::NullUnless: {
      Datum c = arg(0);
      return c.valid && c.i ? arg(1) : Datum::missing();
    }
    case Op::InConsts: {
      Datum x = arg(0);
      if (!x.valid) return Datum::missing();
      for (size_t i = 1; i < n.args.size(); ++i)
        if (ir::scalar::matches(p.node(n.args[0]).type, x, eval(n.args[i], row))) return Datum::ofBool(true);
      return Datum::ofBool(false);
    }
    case Op::InData:
    case Op::InTableKeys: {
      Datum x = arg(0);
      if (!x.valid) return Datum::missing();
      return Datum::ofBool((*ctx_.data)[n.value].contains(x));
    }
    case Op::Lookup: {
      Datum x = arg(0);
      int64_t found = (*ctx_.data)[n.value].find(x);
      return found < 0 ? Datum::missing() : (*ctx_.data)[n.value].value(found);
    }
    case Op::If: {
      Datum c = arg(0);
      return c.valid && c.i ? arg(1) : arg(2);
    }
    case Op::And:
    case Op::Or: {
      // Left to right, until one operand decides.
      bool is_and = n.op == Op::And;
      Datum acc = Datum::ofBool(is_and);
      for (size_t i = 0; i < n.args.size(); ++i) {
        Datum a = arg(i);
        if (a.valid && (a.i != 0) != is_and) return a;
        acc = is_and ? ir::scalar::andOf(acc, a) : ir::scalar::orOf(acc, a);
      }
      return acc;
    }
    case Op::Coalesce: {
      Datum a = arg(0);
      return a.valid ? a : arg(1);
    }
    case Op::Any: case Op::All: case Op::Count: case Op::Sum: case Op::Min: case Op::Max: {
      if (Datum cached; row.aggregates && row.aggregates->get(id, row.decl, cached)) return cached;
      const Batch& b = *row.batch;
      Row item_row = row;
      int64_t count = 0;
      Datum best = Datum::missing();
      int64_t sum = 0;
      ir::Type body_type = p.node(n.args[0]).type;
      for (uint32_t i = b.item_begin[row.decl]; i < b.item_begin[row.decl + 1]; ++i) {
        item_row.item = i;
        if (n.op == Op::Any || n.op == Op::All || n.op == Op::Count) {
          bool holds = isTrue(n.args[0], item_row);
          if (n.op == Op::Any && holds) return Datum::ofBool(true);
          if (n.op == Op::All && !holds) return Datum::ofBool(false);
          count += holds;
          continue;
        }
        if (n.args.size() > 1 && !isTrue(n.args[1], item_row)) continue;
        Datum v = eval(n.args[0], item_row);
        if (!v.valid) continue;
        if (n.op == Op::Sum) sum = decimal::add(sum, v.i);
        else if (!best.valid || (n.op == Op::Min ? ir::scalar::compare(body_type, v, best) < 0
                                                 : ir::scalar::compare(body_type, v, best) > 0))
          best = v;
      }
      switch (n.op) {
        case Op::Any: return Datum::ofBool(false);
        case Op::All: return Datum::ofBool(true);
        case Op::Count: return Datum::of(count);
        case Op::Sum: return Datum::of(sum);
        default: return best;
      }
    }
    default:
      if (n.args.size() == 1) return ir::scalar::unary(n.op, n.type, p.node(n.args[0]).type, arg(0), n.value);
      return ir::scalar::binary(n.op, n.type, p.node(n.args[0]).type, arg(0), arg(1));
  }
  assert(false && "unhandled node");
  return Datum::missing();
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

namespace {

class ReferenceEngine : public Engine {
 public:
  explicit ReferenceEngine(const EngineContext& context) : context_(context), interp_(context_) {}

  void screen(const Batch& batch, Selections& out) override {
    out.clear();
    const auto& profiles = context_.program->profiles;
    for (uint32_t d = 0; d < batch.decl_count; ++d) {
      RowInterpreter::Row row;
      row.batch = &batch;
      row.decl = d;
      for (uint32_t p = 0; p < profiles.size(); ++p) {
        const auto& plan = profiles[p];
        bool selected = true;
        for (ir::NodeId c : plan.conjuncts) {
          if (!interp_.isTrue(c, row)) {
            selected = false;
            break;
          }
        }
        if (!selected) continue;
        Selections::Hit hit{d, p, static_cast<uint32_t>(out.items.size()), 0, static_cast<uint32_t>(out.measure_flags.size())};
        for (uint32_t i = batch.item_begin[d]; i < batch.item_begin[d + 1]; ++i) {
          RowInterpreter::Row item_row = row;
          item_row.item = i;
          for (ir::NodeId t : plan.triggers) {
            if (interp_.isTrue(context_.program->node(t).args[0], item_row)) {
              out.items.push_back(i);
              break;
            }
          }
        }
        hit.items_end = static_cast<uint32_t>(out.items.size());
        for (const auto& m : plan.measures)
          out.measure_flags.push_back(m.condition == ir::kNoNode || interp_.isTrue(m.condition, row));
        out.hits.push_back(hit);
      }
    }
  }

 private:
  EngineContext context_;
  RowInterpreter interp_;
};

}  // namespace

std::unique_ptr<Engine> makeReferenceEngine(const EngineContext& context) {
  return std::make_unique<ReferenceEngine>(context);
}

}  // namespace tauekel::runtime
