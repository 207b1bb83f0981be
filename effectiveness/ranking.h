#pragma once
// Decisions ranked by a risk score, riskiest first: the JSON lines `tauekel run` wrote,
// ordered by the points of one score (ties keep input order), all of them or the `top`
// riskiest. What `tauekel run --rank-by` does after screening.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tauekel::effectiveness {

// Reads decisions from `from`, writes them ranked to `to` (replaced only when all is
// written; "-" is standard output); refuses a `to` that names one of `inputs`. Returns
// how many were written.
Expected<uint64_t> rankDecisions(const std::string& from, const std::string& to, const std::string& score,
                                 std::optional<uint64_t> top, const std::vector<std::string>& inputs);

}  // namespace tauekel::effectiveness
