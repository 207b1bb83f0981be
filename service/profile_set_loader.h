#pragma once
// A profile set from files, made ready to screen: the repository compiled and checked,
// the person register read against its program, the screener built. What the server
// and the worker load at start and on every reload.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/screener.h"
#include "support/expected.h"

namespace tauekel::service {

struct ProfileSetFiles {
  std::string profiles;                // repository folder
  std::optional<std::string> persons;  // person register (CSV), if any
};

// The screener, or why not. When the profiles have errors the error holds them as text
// and `json_diagnostics` (if given) as JSON. A kernel cache problem (a damaged entry
// recompiled) is not an error: it goes to `log`.
Expected<std::shared_ptr<const engine::Screener>> loadProfileSet(const ProfileSetFiles& files,
                                                                 const engine::ScreenerOptions& options,
                                                                 std::string* json_diagnostics,
                                                                 const std::function<void(const std::string&)>& log);

}  // namespace tauekel::service
