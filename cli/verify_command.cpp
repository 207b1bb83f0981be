// tauekel verify: which profiles are approved, by whom and when, and which approvals are
// void (and by which change), revoked, untrusted or broken.

#include <fmt/format.h>

#include <map>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "governance/approvals.h"
#include "support/json.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct VerifyArgs {
  std::string profiles;
  std::string trusted_keys;
  std::string format = "text";
};

std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }
}  // namespace

Runner addVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "Which profiles are approved, by whom, and which approvals are void");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory)")->required();
  cmd->add_option("--trusted-keys", args->trusted_keys,
                  "Count only approvals under these keys (as production does); without it, any valid signature");
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->footer("Exit codes: 0 every profile whose text says `state approved` has a valid approval; 1 errors in the "
              "profiles; 2 usage; 6 some have none (listed).");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    std::optional<governance::TrustedKeys> trusted;
    if (!args->trusted_keys.empty()) {
      auto read = governance::readTrustedKeys(args->trusted_keys);
      if (!read) return fmt::print(stderr, "tauekel verify: {}\n", shown(read.error().message)), kExitUsage;
      trusted = read.take();
    }
    int code = kExitOk;
    auto compilation = checkedRepository(args->profiles, "verify", code);
    if (!compilation) return code;
    const sema::Program& program = *compilation->program;
    std::string folder = governance::approvalsFolder(*compilation, args->profiles);
    auto statuses = governance::approvalStatus(*compilation, folder, trusted ? &*trusted : nullptr);
    std::map<std::string, size_t> counts;
    size_t missing = 0;
    std::string out;
    json::Writer w(out);
    if (args->format == "json") w.beginObject().key("profiles").beginArray();
    for (size_t i = 0; i < statuses.size(); ++i) {
      const auto& s = statuses[i];
      const sema::Profile& profile = program.profiles[i];
      ++counts[governance::name(s.state)];
      bool should_run = profile.state == sema::LifeState::Approved;
      if (should_run && s.state != governance::ApprovalStatus::State::Approved) ++missing;
      if (args->format == "json") {
        w.beginObject().key("profile").value(s.profile).key("state").value(sema::name(profile.state));
        w.key("approval").value(governance::name(s.state));
        if (!s.approver.empty()) w.key("approver").value(s.approver).key("time").value(s.time);
        if (!s.reason.empty()) w.key("reason").value(s.reason);
        w.key("changes").beginArray();
        for (const auto& c : s.changes) w.value(c);
        w.endArray().endObject();
        continue;
      }
      std::string line = shown(s.profile) + "  ";
      if (s.state == governance::ApprovalStatus::State::Approved)
        line += fmt::format("approved by {} at {}", shown(s.approver), s.time);
      else
        line += fmt::format("{}: {}", governance::name(s.state), shown(s.reason));
      if (!should_run) line += fmt::format(" (its text says `state {}`)", sema::name(profile.state));
      out += line + "\n";
    }
    if (args->format == "json") {
      w.endArray().key("unapproved_in_force").value(static_cast<uint64_t>(missing)).endObject();
      out.push_back('\n');
    } else {
      std::string tally;
      for (const auto& [state, n] : counts) tally += (tally.empty() ? "" : ", ") + fmt::format("{} {}", n, state);
      out += fmt::format("{} profiles: {}; {} with `state approved` lack a valid approval\n", statuses.size(), tally,
                         missing);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (std::fflush(stdout) != 0) return kExitOutput;
    return missing > 0 ? kExitNotApproved : kExitOk;
  };
}

}  // namespace tauekel::cli
