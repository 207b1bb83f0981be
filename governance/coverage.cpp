#include "governance/coverage.h"

#include <algorithm>

namespace tauekel::governance {

std::vector<AreaCoverage> coverage(const sema::Program& program, int32_t date,
                                   const std::set<std::string>* signed_approved) {
  std::vector<AreaCoverage> out;
  for (const auto& area : program.areas) out.push_back(AreaCoverage{&area, {}, {}});
  std::stable_partition(out.begin(), out.end(), [](const AreaCoverage& c) { return c.area->recommended; });
  for (const auto& p : program.profiles) {
    if (p.state != sema::LifeState::Approved || !p.area) continue;
    if (date < p.valid_from || (p.valid_to && date > *p.valid_to)) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const AreaCoverage& c) { return c.area == p.area; });
    if (it == out.end()) continue;
    if (signed_approved && !signed_approved->count(p.id)) it->unsigned_.push_back(p.id);
    else it->in_force.push_back(p.id);
  }
  return out;
}

}  // namespace tauekel::governance
