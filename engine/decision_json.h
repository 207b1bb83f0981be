#pragma once
// Decisions as JSON: one object per declaration, the form `tauekel run` writes one per
// line and the server answers with.
//   {"declaration":"…","selected":true,"level":"high","corridor":"red",
//    "measures":["…"],"profiles":[{"id":"…","area":"…","level":"high","items":[1,3],
//    "measures":["…"]}]}
// "level" is null for a declaration no profile selected.

#include <string>

#include "tauekel/decision.h"

namespace tauekel::engine {

// Appends the object, without a line break.
void appendJson(std::string& out, const Decision& decision);

// What a run decided, counted.
struct DecisionCounts {
  uint64_t declarations = 0;
  uint64_t selected = 0;       // by at least one profile
  uint64_t corridor[4] = {};   // green, blue, yellow, red

  void add(const Decision& decision) {
    ++declarations;
    selected += decision.selected;
    ++corridor[static_cast<size_t>(decision.corridor)];
  }
};

}  // namespace tauekel::engine
