#pragma once
// Turns an engine's selections into decisions, one JSON line per declaration in input
// order: the profiles that selected it with their triggering items, the measures that
// apply (conditions, categories and samples resolved), the corridor and the level.

#include <cstdio>
#include <string>

#include "compiler/ir/ir.h"
#include "runtime/exec/engine.h"

namespace tauekel::engine {

struct DecisionCounts {
  uint64_t declarations = 0;
  uint64_t selected = 0;       // by at least one profile
  uint64_t corridor[4] = {};   // green, blue, yellow, red
};

class DecisionWriter {
 public:
  DecisionWriter(const ir::Program& program, std::FILE* out) : program_(program), out_(out) {}
  void write(const runtime::Batch& batch, const runtime::Selections& selections);
  const DecisionCounts& counts() const { return counts_; }

 private:
  const ir::Program& program_;
  std::FILE* out_;
  std::string buffer_;
  std::string profiles_buffer_;
  DecisionCounts counts_;
};

}  // namespace tauekel::engine
