// tauekel approve / tauekel revoke: sign (or withdraw) the approval of profiles' present
// meaning with an approver's key, in the repository's approvals folder.

#include <fmt/format.h>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "governance/approvals.h"
#include "support/text.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {

struct SignArgs {
  std::string profiles;
  std::string key;
  bool all = false;
  std::vector<std::string> ids;
};

std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }

Runner addSigningCommand(CLI::App& app, const char* command, const char* action, const char* what) {
  auto args = std::make_shared<SignArgs>();
  auto* cmd = app.add_subcommand(command, what);
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory)")->required();
  cmd->add_option("--key", args->key, "The approver's key file (`tauekel keygen`)")->required();
  cmd->add_flag("--all", args->all, "Every profile of the repository");
  cmd->add_option("profile", args->ids, "Profile ids");
  cmd->footer("Exit codes: 0 done; 1 errors in the profiles; 2 usage (an unknown profile, a bad key file).");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    if (args->all == !args->ids.empty())
      return fmt::print(stderr, "tauekel {}: name the profiles, or --all\n", command), kExitUsage;
    auto key = governance::readKey(args->key);
    if (!key) return fmt::print(stderr, "tauekel {}: {}\n", command, shown(key.error().message)), kExitUsage;
    int code = kExitOk;
    auto compilation = checkedRepository(args->profiles, command, code);
    if (!compilation) return code;
    if (!compilation->package_path.empty())
      return fmt::print(stderr, "tauekel {}: {} is a package, sealed: {} in its repository, then compile it again\n",
                        command, shown(args->profiles), command),
             kExitUsage;
    const sema::Program& program = *compilation->program;
    std::vector<const sema::Profile*> chosen;
    std::vector<std::string> known;
    for (const auto& p : program.profiles) known.push_back(p.id);
    if (args->all)
      for (const auto& p : program.profiles) chosen.push_back(&p);
    for (const auto& id : args->ids) {
      const sema::Profile* found = nullptr;
      for (const auto& p : program.profiles)
        if (p.id == id) found = &p;
      if (!found) {
        std::string near = text::closest(id, known);
        fmt::print(stderr, "tauekel {}: no profile {} in {}{}\n", command, text::quoted(id), shown(args->profiles),
                   near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near));
        return kExitUsage;
      }
      chosen.push_back(found);
    }
    std::string folder = governance::approvalsFolder(*compilation, args->profiles);
    for (const auto* profile : chosen) {
      governance::ProfileMeaning meaning = governance::profileMeaning(program, *profile);
      std::string path = governance::approvalsFile(folder, profile->id);
      // The same approver's same action on the same meaning is already there: nothing to add.
      governance::ApprovalFile file = governance::readApprovals(path);
      if (!file.problems.empty()) {
        fmt::print(stderr, "tauekel {}: {}; fix or restore the file first\n", command, shown(file.problems.front()));
        return kExitUsage;
      }
      const governance::ApprovalRecord* last = nullptr;
      for (const auto& r : file.records)
        if (r.meaning == meaning.hash && r.key == key->public_key) last = &r;
      std::string short_hash = meaning.hash.substr(0, 19);
      if (last && last->action == action) {
        fmt::print("{}: already {} by {} at {} (meaning {}…)\n", shown(profile->id),
                   std::string(action) == "approve" ? "approved" : "revoked", shown(key->name), last->time, short_hash);
        continue;
      }
      governance::ApprovalRecord record;
      record.action = action;
      record.profile = profile->id;
      record.meaning = meaning.hash;
      record.parts = meaning.parts;
      record.time = governance::utcNow();
      auto written = governance::appendApproval(path, record, *key);
      if (!written) return fmt::print(stderr, "tauekel {}: {}\n", command, shown(written.error().message)), kExitOutput;
      fmt::print("{}: {} by {} (meaning {}…) in {}\n", shown(profile->id),
                 std::string(action) == "approve" ? "approved" : "approval revoked", shown(key->name), short_hash,
                 shown(path));
      if (std::string(action) == "approve" && profile->state != sema::LifeState::Approved)
        fmt::print(stderr, "tauekel {}: warning: {} says `state {}`: it runs only once its text says `state approved`\n",
                   command, shown(profile->id), sema::name(profile->state));
    }
    return kExitOk;
  };
}

}  // namespace

Runner addApproveCommand(CLI::App& app) {
  return addSigningCommand(app, "approve", "approve", "Approve profiles: sign their present meaning with your key");
}

Runner addRevokeCommand(CLI::App& app) {
  return addSigningCommand(app, "revoke", "revoke", "Withdraw the approval of profiles' present meaning");
}

}  // namespace tauekel::cli
