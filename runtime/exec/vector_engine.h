#pragma once
// The vectorised engine: per batch, item roots through the guard index and their
// kernels, reduced to per-declaration results; then each profile's remaining
// conjuncts over its candidate declarations; then measure conditions.

#include <functional>
#include <memory>

#include "runtime/exec/engine.h"
#include "runtime/exec/kernel.h"
#include "runtime/exec/plan.h"

namespace tauekel::runtime {

// Makes the kernel for one spec; the engine falls back to the tree walker on nullptr.
using KernelFactory = std::function<std::unique_ptr<Kernel>(const KernelSpec&)>;

std::unique_ptr<Engine> makeVectorEngine(const EngineContext& context, const Plan& plan,
                                         const KernelFactory& factory = nullptr);

}  // namespace tauekel::runtime
