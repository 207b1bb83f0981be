// The public decision values' names: the words the compiler's enums already have.
#include "tauekel/decision.h"

#include "compiler/sema/program.h"

namespace tauekel {

static_assert(static_cast<int>(RiskLevel::Low) == static_cast<int>(sema::RiskLevel::Low) &&
              static_cast<int>(RiskLevel::High) == static_cast<int>(sema::RiskLevel::High));
static_assert(static_cast<int>(Corridor::Green) == static_cast<int>(sema::Corridor::Green) &&
              static_cast<int>(Corridor::Red) == static_cast<int>(sema::Corridor::Red));

std::string_view name(RiskLevel level) { return sema::name(static_cast<sema::RiskLevel>(level)); }
std::string_view name(Corridor corridor) { return sema::name(static_cast<sema::Corridor>(corridor)); }

}  // namespace tauekel
