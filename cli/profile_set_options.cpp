#include "cli/profile_set_options.h"

#include <fmt/format.h>

#include "runtime/jit/object_store.h"
#include "support/date.h"

namespace tauekel::cli {

void addProfileSetOptions(CLI::App& cmd, ProfileSetArgs& args) {
  args.as_of_option = cmd.add_option("--as-of", args.as_of,
                                     "Date that decides which profiles are in force (default: each declaration's "
                                     "date)");
  cmd.add_option("--stage", args.stage, "Stage of customs control the screening is for")
      ->check(CLI::IsMember({"before_release", "at_release", "after_release"}))
      ->capture_default_str();
  cmd.add_flag("--include-drafts", args.include_drafts, "Also run draft profiles (to try them out)");
  args.cache_dir_option = cmd.add_option("--cache-dir", args.cache_dir,
                                         "Folder of compiled kernels kept between runs (default: $XDG_CACHE_HOME/"
                                         "tauekel/kernels, else ~/.cache/tauekel/kernels)");
  cmd.add_flag("--no-cache", args.no_cache, "Compile every kernel, keeping none on disk");
  cmd.add_flag("--production", args.production,
               "Screen only with profiles whose signed approval verifies under a key of --trusted-keys and is not "
               "revoked; every profile refused is named");
  cmd.add_option("--trusted-keys", args.trusted_keys,
                 "With --production: the approvers' public keys, one per line (`tauekel keygen` prints them)");
}

Expected<ProfileSetChoice> readProfileSetOptions(const ProfileSetArgs& args) {
  ProfileSetChoice choice;
  choice.stage = args.stage == "at_release"      ? sema::Stage::AtRelease
                 : args.stage == "after_release" ? sema::Stage::AfterRelease
                                                 : sema::Stage::BeforeRelease;
  choice.include_drafts = args.include_drafts;
  if (args.as_of_option->count() > 0) {
    auto d = date::parse(args.as_of);
    if (!d) return Error{fmt::format("--as-of \"{}\": not a date (YYYY-MM-DD)", args.as_of)};
    choice.as_of = *d;
  }
  bool named = args.cache_dir_option->count() > 0;
  if (named && args.cache_dir.empty()) return Error{"--cache-dir needs a folder name"};
  if (named && args.no_cache) return Error{"--cache-dir and --no-cache contradict each other"};
  if (!args.no_cache)
    choice.kernel_cache = named ? args.cache_dir : runtime::jit::KernelObjectStore::defaultDirectory();
  if (args.production != !args.trusted_keys.empty())
    return Error{args.production ? "--production needs --trusted-keys FILE: the keys whose approvals count"
                                 : "--trusted-keys is for --production"};
  if (args.production) {
    if (args.include_drafts) return Error{"--production runs approved profiles only: drop --include-drafts"};
    auto trusted = governance::readTrustedKeys(args.trusted_keys);
    if (!trusted) return trusted.error();
    auto production = std::make_shared<engine::ProductionOptions>();
    production->trusted = trusted.take();
    choice.production = std::move(production);
  }
  return choice;
}

void applyProfileSet(const ProfileSetChoice& choice, engine::RunOptions& options) {
  options.as_of = choice.as_of;
  options.stage = choice.stage;
  options.include_drafts = choice.include_drafts;
  options.kernel_cache = choice.kernel_cache;
  options.production = choice.production;
}

engine::ScreenerOptions screenerOptions(const ProfileSetChoice& choice) {
  engine::ScreenerOptions options;
  options.stage = choice.stage;
  options.as_of = choice.as_of;
  options.include_drafts = choice.include_drafts;
  options.kernel_cache = choice.kernel_cache;
  options.production = choice.production;
  return options;
}

}  // namespace tauekel::cli
