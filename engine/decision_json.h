#pragma once
// Decisions as JSON: one object per declaration, the form `tauekel run` writes one per
// line and the server answers with.
//   {"declaration":"…","selected":true,"level":"high","corridor":"red",
//    "measures":["…"],"profiles":[{"id":"…","area":"…","level":"high","items":[1,3],
//    "measures":["…"]}]}
// "level" is null for a declaration no profile selected. With explanations, each
// profile also has "explanation": a list of what held (engine/explanation.h):
//   {"indicator":"below_reference(item)","because":[…]}
//   {"condition":"item.hs in \"64\"","values":{"item.hs":"6403990000"}}
//   {"items":"any item: …","because":[{"item":3,"because":[…]}]}

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/explanation.h"
#include "tauekel/decision.h"

namespace tauekel::engine {

// Appends the object, without a line break.
void appendJson(std::string& out, const Decision& decision);
// What a view adds to the decision: each profile's explanation (one per profile, in its
// order) and the persons' categories for analysts; each profile's instructions for
// officers ("instructions" in every profile entry).
struct DecisionExtras {
  const std::vector<ProfileExplanation>* explanations = nullptr;
  const std::vector<CategoryExplanation>* persons = nullptr;
  std::function<const std::string&(const std::string& profile)> instructions;
  bool scores = true;  // the risk scores and their terms (analysts only: terms name indicators)
};
void appendJson(std::string& out, const Decision& decision, const DecisionExtras& extras);
// {"role":"declarant","person":"…","registered":true,"category":"high","rule":1,
//  "rule_text":"high when …","because":[…]} ("role" only when there is one)
void appendJson(std::string& out, const CategoryExplanation& category);
void appendJson(std::string& out, const Reason& reason);
// A JSON array of strings.
void appendStrings(std::string& out, const std::vector<std::string>& texts);
// `,"scores":{NAME:{"points":P,"parts":[{"term":T,"points":P}...]}...}`; nothing when
// there are no scores. Points are exact decimals.
void appendScores(std::string& out, const std::vector<RiskScore>& scores);

// What a run decided, counted.
struct DecisionCounts {
  uint64_t declarations = 0;
  uint64_t selected = 0;       // by at least one profile
  uint64_t corridor[4] = {};   // green, blue, yellow, red
  uint64_t outside_window = 0; // after release: dated outside the window, so not selected
  // Random selections by profile id: declarations in their scope, and those chosen.
  std::map<std::string, std::pair<uint64_t, uint64_t>> random;

  void add(const Decision& decision) { add(decision.selected, decision.corridor); }
  void add(bool was_selected, Corridor in) {
    ++declarations;
    selected += was_selected;
    ++corridor[static_cast<size_t>(in)];
  }
};

}  // namespace tauekel::engine
