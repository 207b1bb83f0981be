#include "engine/audit_event.h"

#include <fmt/format.h>

namespace tauekel::engine {

governance::AuditEvent screenerEvent(const std::string& event, const Screener* screener, const std::string& outcome,
                                     const std::string& operator_name) {
  governance::AuditEvent e;
  e.event = event;
  e.operator_ = governance::operatorName(operator_name);
  e.outcome = outcome;
  if (!screener) return e;
  e.version = screener->version();
  std::vector<std::string> files = screener->compilation().files_read();
  for (const auto& f : screener->approvalFiles()) files.push_back(f);
  e.inputs.emplace_back("profiles", governance::filesHash(files));
  e.counts.emplace_back("profiles_in_force", screener->lowered().profiles.size());
  if (screener->options().production) e.notes.push_back("production");
  for (const auto& r : screener->refused()) e.notes.push_back(fmt::format("refused {}: {}", r.id, r.reason));
  return e;
}

}  // namespace tauekel::engine
