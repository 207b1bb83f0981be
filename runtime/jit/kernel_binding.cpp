#include "runtime/jit/kernel_binding.h"

#include <fmt/format.h>

#include <cassert>

#include "support/codes.h"

namespace tauekel::runtime::jit {

namespace {

class Binder {
 public:
  Binder(const ir::Program& program, const Plan& plan, ir::Domain domain, Binding& out)
      : p_(program), plan_(plan), domain_(domain), out_(out) {}

  // Writes the shape of `root` and binds what it reads, in pre-order: with a work stack,
  // as a kernel is as deep as the longest operator chain in it.
  void visit(ir::NodeId root) {
    std::vector<Step> steps = {Step{Step::Visit, root}};
    while (!steps.empty()) {
      Step step = steps.back();
      steps.pop_back();
      switch (step.kind) {
        case Step::Close: out_.shape += ")"; break;
        case Step::Comma: out_.shape += ","; break;
        case Step::HsPrefixes: hsPrefixes(step.id); break;
        case Step::Visit: visitOne(step.id, steps); break;
      }
    }
  }

  size_t nodes() const { return seen_.size(); }

 private:
  // What is left to do after a node's own part: its operands, and the text between them.
  struct Step {
    enum Kind { Visit, Close, Comma, HsPrefixes } kind;
    ir::NodeId id;
  };

  void visitOne(ir::NodeId id, std::vector<Step>& steps) {
    if (auto it = seen_.find(id); it != seen_.end()) {
      out_.shape += fmt::format("@{}", it->second);  // a shared subexpression
      return;
    }
    seen_.emplace(id, static_cast<int>(seen_.size()));
    const ir::Node& n = p_.node(id);
    out_.shape += fmt::format("{}:{}{}", static_cast<int>(n.op), static_cast<int>(n.type), n.nullable ? "?" : "");
    if (plan_.root_of_node[id] >= 0 && isAggregate(n.op)) {
      out_.shape += fmt::format("R{}", slot(id, SlotKind::Root, plan_.root_of_node[id]));
      return;
    }
    switch (n.op) {
      case ir::Op::Const:
        if (!n.nullable) out_.shape += fmt::format("p{}", param(id, n));
        if (!n.nullable && n.type == ir::Type::String) {
          out_.text_of[id] = addParam(Param{Param::TextPointer, 0, n.text});
          out_.shape += fmt::format("q{}", out_.text_of[id]);
        }
        if (n.type == ir::Type::Hs) out_.shape += fmt::format("d{}", n.digits ? n.digits : 10);
        break;
      case ir::Op::Column:
        if (n.domain == ir::Domain::Person) unsupported("a person-level column");
        // The domain decides which row the code reads (the item's or its declaration's).
        out_.shape += fmt::format("{}s{}", n.domain == ir::Domain::Decl ? "d" : "i",
                                  slot(id, n.domain == ir::Domain::Decl ? SlotKind::DeclColumn : SlotKind::ItemColumn,
                                       static_cast<int>(n.value)));
        break;
      case ir::Op::PersonField:
        if (n.type == ir::Type::String) unsupported("a text field of a person");
        out_.shape += fmt::format("s{}{}", slot(id, SlotKind::PersonColumn, static_cast<int>(n.value)),
                                  p_.source->person.fields[static_cast<size_t>(n.value)].type->optional ? "?" : "");
        break;
      case ir::Op::PersonCategory:
        if (out_.category_slot < 0) {
          out_.category_slot = addSlot(SlotKind::Category, 0);
          out_.unregistered_param = addParam(Param{Param::Value, static_cast<int64_t>(p_.categories.unregistered), {}});
        }
        out_.shape += fmt::format("c{}u{}", out_.category_slot, out_.unregistered_param);
        break;
      case ir::Op::InData:
      case ir::Op::InTableKeys:
      case ir::Op::Lookup: {
        if (n.op == ir::Op::Lookup && n.type == ir::Type::String) unsupported("a table of text values");
        const auto& data = p_.source->data[static_cast<size_t>(n.value)];
        if (n.args.size() == 2) {  // a table with two keys: by a call
          out_.shape += fmt::format("P{}", slot(id, SlotKind::Data, static_cast<int>(n.value)));
          break;
        }
        if (int digits = DataLookup::directDigits(data); digits >= 0 && p_.node(n.args[0]).type != ir::Type::String) {
          out_.direct_of[id] = digits;
          out_.shape += fmt::format("D{}s{}", digits, slot(id, SlotKind::DataDirect, static_cast<int>(n.value)));
          break;
        }
        out_.shape += fmt::format("s{}", slot(id, SlotKind::Data, static_cast<int>(n.value)));
        if (p_.node(n.args[0]).type == ir::Type::String) out_.shape += fmt::format("t{}", pool());
        break;
      }
      case ir::Op::InValues:
        if (p_.node(n.args[0]).type == ir::Type::Hs) {
          // A code matches a constant by prefix: compared as code / 10^(10 - digits), the
          // constants' parameters taken after the code's own.
          out_.shape += "(";
          steps.push_back(Step{Step::HsPrefixes, id});
          steps.push_back(Step{Step::Visit, n.args[0]});
          return;
        }
        break;
      case ir::Op::HsPrefix:
      case ir::Op::DatePart:
        out_.shape += fmt::format("#{}", n.value);
        break;
      case ir::Op::Lt: case ir::Op::Le: case ir::Op::Gt: case ir::Op::Ge:
        if (p_.node(n.args[0]).type == ir::Type::String) out_.shape += fmt::format("t{}", pool());
        break;
      case ir::Op::MinOf: case ir::Op::MaxOf:
        if (n.type == ir::Type::String) unsupported("min or max of text");
        break;
      case ir::Op::Len: case ir::Op::StartsWith: case ir::Op::EndsWith: case ir::Op::Contains: {
        out_.shape += fmt::format("t{}", pool());
        if (n.op == ir::Op::Len) break;
        // A pooled text tested against a constant: remember the answer per dictionary entry.
        const ir::Node& text = p_.node(n.args[0]);
        const ir::Node& pattern = p_.node(n.args[1]);
        if (text.op != ir::Op::Const && pattern.op == ir::Op::Const && !pattern.nullable) {
          int s = addSlot(SlotKind::Memo, out_.memos++);
          out_.memo_of[id] = s;
          out_.shape += fmt::format("m{}", s);
          if (text.op == ir::Op::Column && text.domain == domain_ && out_.prefetch_text == ir::kNoNode) {
            out_.prefetch_text = n.args[0];
            out_.shape += "P";
          }
        }
        break;
      }
      case ir::Op::Any: case ir::Op::All: case ir::Op::Count: case ir::Op::Sum: case ir::Op::Min: case ir::Op::Max:
        unsupported("an aggregate computed per row");
        break;
      default:
        break;
    }
    // "(" operand "," operand "," ... ")", the operands visited in order.
    out_.shape += "(";
    steps.push_back(Step{Step::Close, id});
    for (auto a = n.args.rbegin(); a != n.args.rend(); ++a) {
      steps.push_back(Step{Step::Comma, id});
      steps.push_back(Step{Step::Visit, *a});
    }
  }

  void hsPrefixes(ir::NodeId id) {
    const ir::Node& n = p_.node(id);
    for (size_t k = 1; k < n.args.size(); ++k) {
      const ir::Node& c = p_.node(n.args[k]);
      int digits = c.digits ? c.digits : codes::kHsDigits;
      int slot = addParam(Param{Param::Value, codes::hsCut(c.value, digits), {}});
      if (k == 1) out_.prefix_of[id] = slot;
      out_.shape += fmt::format(",P{}d{}", slot, digits);
    }
    out_.shape += ")";
  }

  static bool isAggregate(ir::Op op) {
    return op == ir::Op::Any || op == ir::Op::All || op == ir::Op::Count || op == ir::Op::Sum || op == ir::Op::Min ||
           op == ir::Op::Max;
  }
  void unsupported(const char* why) {
    out_.supported = false;
    if (out_.unsupported_reason.empty()) out_.unsupported_reason = why;
  }
  int addSlot(SlotKind kind, int index) {
    out_.slots.push_back(Slot{kind, index});
    return static_cast<int>(out_.slots.size() - 1);
  }
  int slot(ir::NodeId id, SlotKind kind, int index) {
    int s = addSlot(kind, index);
    out_.slot_of[id] = s;
    return s;
  }
  int addParam(Param p) {
    out_.params.push_back(std::move(p));
    return static_cast<int>(out_.params.size() - 1);
  }
  int param(ir::NodeId id, const ir::Node& n) {
    Param p;
    p.kind = n.type == ir::Type::String ? Param::StringId : Param::Value;
    p.text = n.text;
    p.value = n.value;
    int k = addParam(std::move(p));
    out_.param_of[id] = k;
    return k;
  }
  int pool() {
    if (out_.pool_slot < 0) out_.pool_slot = addSlot(SlotKind::Pool, 0);
    return out_.pool_slot;
  }

  const ir::Program& p_;
  const Plan& plan_;
  ir::Domain domain_;  // the kernel's rows
  Binding& out_;
  std::unordered_map<ir::NodeId, int> seen_;
};

}  // namespace

Binding bind(const KernelSpec& spec, const ir::Program& program, const Plan& plan, size_t max_size) {
  Binding b;
  b.shape = fmt::format("{}{}|", spec.kind == KernelSpec::Filter ? "F" : "V", spec.domain == ir::Domain::Item ? "i" : "d");
  Binder binder(program, plan, spec.domain, b);
  if (spec.kind == KernelSpec::Filter) {
    for (ir::NodeId c : spec.conjuncts) {
      binder.visit(c);
      b.shape += ";";
    }
  } else {
    binder.visit(spec.value);
  }
  b.size = binder.nodes() + b.params.size();
  if (b.size > max_size) {
    b.supported = false;
    b.unsupported_reason = fmt::format("too large to compile quickly ({} operations and constants; at most {})",
                                       b.size, max_size);
  }
  return b;
}

void fillArgs(const Binding& binding, const BatchContext& ctx, const EngineContext& engine,
              std::vector<const void*>& slots, std::vector<int64_t>& params, StringTestMemo* memos) {
  static const Column kEmpty = [] {
    Column c;
    c.init(ir::Type::Int, true);
    c.resize(0);
    return c;
  }();
  static const uint8_t kNoCategory[8] = {};
  slots.resize(binding.slots.size() * 2);
  for (size_t s = 0; s < binding.slots.size(); ++s) {
    const Slot& slot = binding.slots[s];
    auto idx = static_cast<size_t>(slot.index);
    const void*& data = slots[2 * s];
    const void*& valid = slots[2 * s + 1];
    valid = nullptr;
    switch (slot.kind) {
      case SlotKind::DeclColumn:
        data = ctx.batch->decl_columns[idx].raw();
        valid = ctx.batch->decl_columns[idx].validity();
        break;
      case SlotKind::ItemColumn:
        data = ctx.batch->item_columns[idx].raw();
        valid = ctx.batch->item_columns[idx].validity();
        break;
      case SlotKind::Root:
        data = (*ctx.roots)[idx].value.data();
        valid = (*ctx.roots)[idx].valid.data();
        break;
      case SlotKind::PersonColumn: {
        const Column& c = engine.persons ? engine.persons->columns[idx] : kEmpty;
        data = c.raw();
        valid = c.validity() ? c.validity() : kEmpty.validity();
        break;
      }
      case SlotKind::Category:
        data = engine.persons && !engine.persons->category.empty() ? engine.persons->category.data() : kNoCategory;
        break;
      case SlotKind::Data:
        data = &(*engine.data)[slot.index];
        break;
      case SlotKind::DataDirect:
        data = (*engine.data)[slot.index].directRows();
        valid = (*engine.data)[slot.index].valueData();
        assert(data);  // bind() chose it by DataLookup::directDigits
        break;
      case SlotKind::Pool:
        data = &ctx.batch->strings;
        break;
      case SlotKind::Memo: {
        StringTestMemo& memo = memos[idx];
        if (memo.epoch != ctx.batch->strings.epoch()) {
          memo.epoch = ctx.batch->strings.epoch();
          memo.known.clear();
        }
        data = &memo;
        break;
      }
    }
  }
  // Constants join the batch's dictionary, so equal texts always have equal ids.
  for (int k : binding.string_params)
    params[static_cast<size_t>(k)] =
        const_cast<StringPool&>(ctx.batch->strings).intern(binding.params[static_cast<size_t>(k)].text);
}

void initParams(Binding& binding, std::vector<int64_t>& params) {
  params.resize(binding.params.size());
  binding.string_params.clear();
  for (size_t k = 0; k < binding.params.size(); ++k) {
    const Param& p = binding.params[k];
    switch (p.kind) {
      case Param::Value: params[k] = p.value; break;
      case Param::StringId: binding.string_params.push_back(static_cast<int>(k)); break;
      case Param::TextPointer: params[k] = static_cast<int64_t>(reinterpret_cast<intptr_t>(&p.text)); break;
    }
  }
}

}  // namespace tauekel::runtime::jit
