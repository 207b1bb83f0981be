// tauekel audit verify: checks an audit log's chain and names every record that was
// edited, inserted or removed.

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "governance/audit_log.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct AuditArgs {
  std::string log;
  std::string expect_head;
};
}  // namespace

Runner addAuditCommand(CLI::App& app) {
  auto args = std::make_shared<AuditArgs>();
  auto* audit = app.add_subcommand("audit", "The audit log of screening runs");
  audit->require_subcommand(1);
  auto* cmd = audit->add_subcommand("verify", "Check the log's chain of records; name any edited, inserted or removed");
  cmd->add_option("log", args->log, "The audit log")->required();
  cmd->add_option("--expect-head", args->expect_head,
                  "The last record's hash as kept elsewhere: records cut from the end are found too");
  cmd->footer("Exit codes: 0 the chain holds; 2 usage (no such log); 8 the log was altered (the records named).");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    auto checked = governance::verifyAuditLog(args->log);
    if (!checked) {
      fmt::print(stderr, "tauekel audit: {}\n", utf8::sanitize(checked.error().message, true));
      return kExitUsage;
    }
    std::string shown_log = utf8::sanitize(args->log, true);
    for (const auto& p : checked->problems) fmt::print("{}:{}: {}\n", shown_log, p.line, p.what);
    bool cut = !args->expect_head.empty() && args->expect_head != checked->head;
    if (cut)
      fmt::print("{}: the last record's hash is not the one expected: records were removed from the end, or the log "
                 "was replaced\n",
                 shown_log);
    bool altered = cut || !checked->problems.empty();
    fmt::print("{}: {} records, {}; last hash {}\n", shown_log, checked->records,
               altered ? fmt::format("{} problem{}", checked->problems.size() + cut,
                                     checked->problems.size() + cut == 1 ? "" : "s")
                       : "the chain holds",
               checked->head.empty() ? "(none)" : checked->head);
    return altered ? kExitAltered : kExitOk;
  };
}

}  // namespace tauekel::cli
