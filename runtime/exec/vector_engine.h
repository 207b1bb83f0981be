#pragma once
// The vectorised engine: per batch, item roots through the guard index and their
// kernels, reduced to per-declaration results; then each profile's remaining
// conjuncts over its candidate declarations; then measure conditions.

#include <memory>

#include "runtime/exec/engine.h"
#include "runtime/exec/kernel.h"
#include "runtime/exec/plan.h"

namespace tauekel::runtime {

// `kernels` holds one kernel per spec of the plan (for example compiled ones); missing
// or null entries run on the tree walker.
std::unique_ptr<Engine> makeVectorEngine(const EngineContext& context, const Plan& plan,
                                         std::vector<std::unique_ptr<Kernel>> kernels = {});

}  // namespace tauekel::runtime
