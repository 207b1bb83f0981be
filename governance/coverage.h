#pragma once
// Coverage of the risk areas: for each area, the profiles in force on a date (their
// text says `state approved`, the date is within their validity and, when signed
// approvals are asked for, their approval verifies). The Commission recommends that
// customs keep profiles in force for some areas (`recommended_by commission`): an area
// of those with none is a gap to report.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace tauekel::governance {

struct AreaCoverage {
  const sema::Area* area = nullptr;
  std::vector<std::string> in_force;   // profile ids, in the program's order
  std::vector<std::string> unsigned_;  // in force by their text, but without a valid signed approval
};

// `signed_approved`: the profiles whose approval verifies; null: the text alone decides.
// Areas in their declaration order, recommended ones first.
std::vector<AreaCoverage> coverage(const sema::Program& program, int32_t date,
                                   const std::set<std::string>* signed_approved);

}  // namespace tauekel::governance
