#pragma once
// Audit records of a screener's life outside `run`: a server's start and reloads, a
// worker's start and reloads (governance/audit_log.h).

#include <string>

#include "engine/screener.h"
#include "governance/audit_log.h"

namespace tauekel::engine {

// `screener`: the set now in force (null when none could be made; `outcome` says why).
governance::AuditEvent screenerEvent(const std::string& event, const Screener* screener, const std::string& outcome,
                                     const std::string& operator_name);

}  // namespace tauekel::engine
