#include "service/profile_set_loader.h"

#include <fmt/format.h>

#include "compiler/diag/render.h"
#include "governance/package.h"

namespace tauekel::service {

Expected<std::shared_ptr<const engine::Screener>> loadProfileSet(const ProfileSetFiles& files,
                                                                 const engine::ScreenerOptions& options,
                                                                 std::string* json_diagnostics,
                                                                 const std::function<void(const std::string&)>& log) {
  CompileOptions co;
  co.inputs = {files.profiles};
  auto compiled = governance::compileOrRead(co);
  if (!compiled) return compiled.error();
  std::shared_ptr<const Compilation> compilation = compiled.take();
  if (!compilation->ok()) {
    if (json_diagnostics) *json_diagnostics = diag::renderJson(compilation->diagnostics, compilation->sources, {});
    return Error{diag::renderText(compilation->diagnostics, compilation->sources, {})};
  }
  std::optional<runtime::PersonRegister> persons;
  if (files.persons) {
    runtime::LoadOptions load;
    auto loaded = runtime::loadPersons(*files.persons, *compilation->program, load);
    if (!loaded) return loaded.error();
    persons = loaded.take();
  }
  auto made = engine::Screener::create(compilation, std::move(persons), options);
  if (!made) return made.error();
  if (const auto& problem = (*made)->compileStats().cache_problem; !problem.empty() && log) log(problem);
  if (log)
    for (const auto& r : (*made)->refused()) log(fmt::format("production: profile {} refused: {}", r.id, r.reason));
  return made.take();
}

}  // namespace tauekel::service
