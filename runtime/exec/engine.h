#pragma once
// The interface both engines implement: screen one batch, report which profiles select
// which declarations, the triggering items, and which measure conditions hold.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/data/engine_context.h"
#include "runtime/vector/batch.h"

namespace tauekel::runtime {

struct Selections {
  struct Hit {
    uint32_t decl;          // batch row
    uint32_t profile;       // index into ir::Program::profiles
    uint32_t items_begin;   // range in `items`
    uint32_t items_end;
    uint32_t flags_begin;   // one byte per measure rule of the profile in `measure_flags`
  };
  // Ordered by declaration, then profile. Items and flags are only reached through a
  // hit's ranges: an engine may store them in any order.
  std::vector<Hit> hits;
  std::vector<uint32_t> items;         // triggering item rows, ascending within a hit
  std::vector<uint8_t> measure_flags;  // 1: the rule's condition holds (or it has none); then
                                       // the level bands' (ir::ProfilePlan::flags())
  // Every score term's value (a decimal scaled by 10^6) per declaration row: row d's
  // are [d * terms, (d + 1) * terms), terms in ir::Program::scores order.
  std::vector<int64_t> score_terms;

  void clear() {
    hits.clear();
    items.clear();
    measure_flags.clear();
    score_terms.clear();
  }
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual void screen(const Batch& batch, Selections& out) = 0;
};

// The reference engine: the row interpreter (runtime/interp) over each declaration and
// profile in turn; obviously right, the oracle for the others.
std::unique_ptr<Engine> makeReferenceEngine(const EngineContext& context);

}  // namespace tauekel::runtime
