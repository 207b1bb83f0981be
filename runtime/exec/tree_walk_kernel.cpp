// The tree-walking kernel backend: each selected row through the row interpreter.
// Slow, simple, and always there: for constructs the code generator leaves out, and as
// a reference for the generated code.

#include "runtime/exec/kernel.h"

namespace tauekel::runtime {

namespace {

class TreeWalkKernel : public Kernel {
 public:
  TreeWalkKernel(const KernelSpec& spec, const EngineContext& context)
      : spec_(spec), context_(context), interp_(context_) {}

  uint32_t filter(const BatchContext& ctx, const uint32_t* sel, uint32_t n, uint32_t* out) override {
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; ++i) {
      RowInterpreter::Row row = rowOf(ctx, sel[i]);
      bool all = true;
      for (ir::NodeId c : spec_.conjuncts) {
        if (!interp_.isTrue(c, row)) {
          all = false;
          break;
        }
      }
      if (all) out[m++] = sel[i];
    }
    return m;
  }

  std::unique_ptr<Kernel> clone() const override { return std::make_unique<TreeWalkKernel>(spec_, context_); }

  void value(const BatchContext& ctx, const uint32_t* sel, uint32_t n, int64_t* values, uint8_t* valid) override {
    for (uint32_t i = 0; i < n; ++i) {
      auto d = interp_.eval(spec_.value, rowOf(ctx, sel[i]));
      values[i] = d.valid ? d.i : 0;
      valid[i] = d.valid;
    }
  }

 private:
  RowInterpreter::Row rowOf(const BatchContext& ctx, uint32_t r) const {
    RowInterpreter::Row row;
    row.batch = ctx.batch;
    row.aggregates = ctx.aggregates;
    if (spec_.domain == ir::Domain::Item) {
      row.item = r;
      row.decl = ctx.batch->item_decl[r];
    } else {
      row.decl = r;
    }
    return row;
  }

  const KernelSpec& spec_;
  EngineContext context_;
  RowInterpreter interp_;
};

}  // namespace

std::unique_ptr<Kernel> makeTreeWalkKernel(const KernelSpec& spec, const EngineContext& context) {
  return std::make_unique<TreeWalkKernel>(spec, context);
}

}  // namespace tauekel::runtime
