#pragma once
// Kernels compiled to native code with LLVM ORC (LLJIT), for the host CPU. One function
// per kernel *shape* (see kernel_binding.h), compiled once and cached by shape for the
// life of the compiler; every kernel of that shape runs it with its own slots and
// parameters. Kernels with a construct the generator leaves out run on the tree walker.
//
// The only translation unit with LLVM headers is kernel_compiler.cpp: they are slow to
// compile, so they stay out of every header.

#include <memory>
#include <string>
#include <vector>

#include "runtime/exec/kernel.h"
#include "runtime/exec/plan.h"
#include "support/expected.h"

namespace tauekel::runtime::jit {

enum class OptLevel { O0, O1, O2 };

inline constexpr size_t kMaxNativeKernelSize = 2000;

struct CompileStats {
  size_t kernels = 0;         // in the plan
  size_t native = 0;          // running compiled code
  size_t shapes = 0;          // distinct shapes among them
  size_t compiled = 0;        // functions LLVM compiled in this call (the rest were cached)
  size_t loaded = 0;          // functions loaded from the disk cache in this call
  std::string cache_problem;  // why the disk cache could not be written, if it could not
  double seconds = 0;
  std::string first_unsupported;  // why a kernel fell back to the tree walker, for one of them
};

class KernelCompiler {
 public:
  // `cache_directory`: where compiled kernels are kept between processes (see
  // object_store.h); "" keeps them in memory only.
  static Expected<std::unique_ptr<KernelCompiler>> create(OptLevel level = OptLevel::O2,
                                                          const std::string& cache_directory = "");
  ~KernelCompiler();
  KernelCompiler(const KernelCompiler&) = delete;
  KernelCompiler& operator=(const KernelCompiler&) = delete;

  // Kernels larger than this (Binding::size) run on the tree walker: LLVM's time grows
  // faster than the size of one function (an `or` of 1,000 item conditions, about 2,000
  // units, takes 1 s; of 5,000, 5 s; of 10,000, 18 s; of 20,000, 61 s), and this keeps
  // any one kernel near a second.
  void setMaxKernelSize(size_t size);

  // One kernel per spec of the plan, in order: native where possible, else nullptr
  // (the caller runs the tree walker). The plan and context must outlive the kernels.
  Expected<std::vector<std::unique_ptr<Kernel>>> compile(const Plan& plan, const EngineContext& context,
                                                         CompileStats& stats);

 private:
  KernelCompiler();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tauekel::runtime::jit
