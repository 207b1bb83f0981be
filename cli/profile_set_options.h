#pragma once
// The options `run` and `serve` share: which profiles are in force (stage, as-of date,
// drafts) and where compiled kernels are kept between processes.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "compiler/sema/program.h"
#include "engine/run.h"
#include "engine/screener.h"
#include "support/expected.h"

namespace tauekel::cli {

struct ProfileSetArgs {
  std::string stage = "before_release";
  std::string as_of;
  bool include_drafts = false;
  std::string cache_dir;
  bool no_cache = false;
  bool production = false;
  std::string trusted_keys;
  CLI::Option* as_of_option = nullptr;
  CLI::Option* cache_dir_option = nullptr;
};

struct ProfileSetChoice {
  sema::Stage stage = sema::Stage::BeforeRelease;
  std::optional<int32_t> as_of;
  bool include_drafts = false;
  std::string kernel_cache;  // "": none
  // --production: only profiles with an approval under a key of --trusted-keys.
  std::shared_ptr<const engine::ProductionOptions> production;
};

void addProfileSetOptions(CLI::App& cmd, ProfileSetArgs& args);
// The choice, or a usage message.
Expected<ProfileSetChoice> readProfileSetOptions(const ProfileSetArgs& args);
// The screener options the choice makes (for serve and worker, which screen through one).
engine::ScreenerOptions screenerOptions(const ProfileSetChoice& choice);
// The same into the options of a run (run, explain).
void applyProfileSet(const ProfileSetChoice& choice, engine::RunOptions& options);

}  // namespace tauekel::cli
