// tauekel coverage: the risk areas the Commission recommends, and for each the profiles
// in force on a date; the areas with none are gaps.

#include <fmt/format.h>

#include "cli/checked_repository.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "governance/approvals.h"
#include "governance/coverage.h"
#include "support/date.h"
#include "support/json.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct CoverageArgs {
  std::string profiles;
  std::string as_of;
  std::string trusted_keys;
  std::string format = "text";
};

std::string shown(const std::string& text) { return utf8::sanitize(text, /*controls=*/true); }

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + shown(id);
  return out;
}

}  // namespace

Runner addCoverageCommand(CLI::App& app) {
  auto args = std::make_shared<CoverageArgs>();
  auto* cmd = app.add_subcommand("coverage", "Risk areas recommended by the Commission and the profiles in force for each");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory)")->required();
  cmd->add_option("--as-of", args->as_of, "The date profiles must be in force on (default: today, UTC)");
  cmd->add_option("--trusted-keys", args->trusted_keys,
                  "Count only profiles whose signed approval verifies under these keys (as --production does)");
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->footer("Exit codes: 0 every recommended area has a profile in force; 1 errors in the profiles; 2 usage; 7 some "
              "recommended areas have none (listed).");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    int32_t on = date::today();
    if (!args->as_of.empty()) {
      auto d = date::parse(args->as_of);
      if (!d) return fmt::print(stderr, "tauekel coverage: --as-of \"{}\": not a date (YYYY-MM-DD)\n", shown(args->as_of)), kExitUsage;
      on = *d;
    }
    std::optional<governance::TrustedKeys> trusted;
    if (!args->trusted_keys.empty()) {
      auto read = governance::readTrustedKeys(args->trusted_keys);
      if (!read) return fmt::print(stderr, "tauekel coverage: {}\n", shown(read.error().message)), kExitUsage;
      trusted = read.take();
    }
    int code = kExitOk;
    auto compilation = checkedRepository(args->profiles, "coverage", code);
    if (!compilation) return code;
    const sema::Program& program = *compilation->program;
    std::optional<std::set<std::string>> approved;
    if (trusted) {
      approved.emplace();
      std::string folder = governance::approvalsFolder(*compilation, args->profiles);
      for (const auto& s : governance::approvalStatus(*compilation, folder, &*trusted))
        if (s.state == governance::ApprovalStatus::State::Approved) approved->insert(s.profile);
    }
    auto areas = governance::coverage(program, on, approved ? &*approved : nullptr);
    std::vector<std::string> gaps;
    size_t recommended = 0;
    for (const auto& a : areas)
      if (a.area->recommended) {
        ++recommended;
        if (a.in_force.empty()) gaps.push_back(a.area->name);
      }
    std::string out;
    if (args->format == "json") {
      json::Writer w(out);
      w.beginObject().key("date").value(date::format(on)).key("areas").beginArray();
      for (const auto& a : areas) {
        w.beginObject().key("area").value(a.area->name).key("title").value(a.area->title);
        w.key("recommended").value(a.area->recommended).key("profiles").beginArray();
        for (const auto& id : a.in_force) w.value(id);
        w.endArray().key("without_signed_approval").beginArray();
        for (const auto& id : a.unsigned_) w.value(id);
        w.endArray().endObject();
      }
      w.endArray().key("gaps").beginArray();
      for (const auto& g : gaps) w.value(g);
      w.endArray().endObject();
      out.push_back('\n');
    } else {
      size_t width = 0;
      for (const auto& a : areas) width = std::max(width, a.area->name.size());
      bool other_heading = false;
      out += fmt::format("risk areas recommended by the Commission, with the profiles in force on {}{}:\n",
                         date::format(on), trusted ? " and approved under the trusted keys" : "");
      for (const auto& a : areas) {
        if (!a.area->recommended && !other_heading) {
          out += "other risk areas:\n";
          other_heading = true;
        }
        std::string profiles = a.in_force.empty() ? (a.area->recommended ? "NONE" : "none")
                                                  : fmt::format("{} ({})", a.in_force.size(), joined(a.in_force));
        out += fmt::format("  {:<{}}  {}: {}\n", shown(a.area->name), width, shown(a.area->title), profiles);
        if (!a.unsigned_.empty())
          out += fmt::format("  {:<{}}  not counted, without a valid signed approval: {}\n", "", width, joined(a.unsigned_));
      }
      out += fmt::format("{} recommended area{}: {} covered, {} without a profile in force{}\n", recommended,
                         recommended == 1 ? "" : "s", recommended - gaps.size(), gaps.size(),
                         gaps.empty() ? "" : " (" + joined(gaps) + ")");
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (std::fflush(stdout) != 0) return kExitOutput;
    return gaps.empty() ? kExitOk : kExitUncovered;
  };
}

}  // namespace tauekel::cli
