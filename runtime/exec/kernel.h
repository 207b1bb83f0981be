#pragma once
// Kernels run a KernelSpec over a selection of rows of one batch. Two backends: the
// tree walker (the row interpreter over the spec's nodes; always available) and native
// code compiled by LLVM (runtime/jit).

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/exec/plan.h"
#include "runtime/interp/row_interpreter.h"

namespace tauekel::runtime {

// Per-decl results of the batch's item roots, as kernels read them.
struct RootResults {
  std::vector<int64_t> value;  // by declaration row
  std::vector<uint8_t> valid;  // by declaration row
};

struct BatchContext {
  const Batch* batch = nullptr;
  const std::vector<RootResults>* roots = nullptr;
  const RowInterpreter::Aggregates* aggregates = nullptr;
  // Which screening of its engine this is (0: none said): nothing a kernel reads moves
  // during one, so arguments taken from it may be kept until the number changes.
  uint64_t screening = 0;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Filter: writes the rows of `sel` for which every conjunct is true; returns how many.
  virtual uint32_t filter(const BatchContext& ctx, const uint32_t* sel, uint32_t n, uint32_t* out) = 0;
  // Value: the expression for each row of `sel`.
  virtual void value(const BatchContext& ctx, const uint32_t* sel, uint32_t n, int64_t* values, uint8_t* valid) = 0;
  // A kernel that runs the same code with scratch of its own: filter() and value()
  // write the kernel's scratch, so each thread screening at once needs its own copy.
  // Reads only what never changes after construction, so clones may be made from
  // several threads at once (of a kernel no thread is running).
  virtual std::unique_ptr<Kernel> clone() const = 0;
};

std::unique_ptr<Kernel> makeTreeWalkKernel(const KernelSpec& spec, const EngineContext& context);

}  // namespace tauekel::runtime
