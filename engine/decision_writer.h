#pragma once
// Turns an engine's selections into decisions, one JSON line per declaration in input
// order: the profiles that selected it with their triggering items, the measures that
// apply (conditions, categories and samples resolved), the corridor and the level.
// Writing the text out is the caller's (and so is checking that it was written).

#include <string>
#include <vector>

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
  explicit DecisionWriter(const ir::Program& program);
  // Appends the batch's decisions to `out`, and counts them.
  void write(const runtime::Batch& batch, const runtime::Selections& selections, std::string& out);
  const DecisionCounts& counts() const { return counts_; }

 private:
  // What a profile's entries share, encoded once: a run writes a profile's id, area and
  // level and its measures' names for every declaration it selects.
  struct ProfileText {
    std::string head;                  // {"id":...,"area":...,"level":...,"items":[
    std::vector<std::string> measures;  // per measure rule: its name, as JSON
    std::vector<uint64_t> seeds;       // per measure rule: its sample's hash seed
  };
  const ProfileText& profileText(uint32_t profile);

  const ir::Program& program_;
  std::vector<ProfileText> texts_;  // by profile; head empty until first used
  std::string profiles_buffer_;
  std::vector<const sema::Measure*> merged_;  // per declaration
  DecisionCounts counts_;
};

}  // namespace tauekel::engine
