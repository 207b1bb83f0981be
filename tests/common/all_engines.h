#pragma once
// One checked program through every engine on one file of declarations: the reference
// interpreter, the vectorised engine on the tree walker, and on native kernels. For tests
// and the fuzzer, which fail when the three disagree.

#include <fmt/format.h>

#include <memory>
#include <string>

#include "compiler/frontend.h"
#include "engine/screener.h"
#include "runtime/data/person_register.h"
#include "runtime/jit/kernel_compiler.h"
#include "runtime/load/declaration_source.h"
#include "support/expected.h"

namespace tauekel::test {

struct EngineRuns {
  // What each engine selected: per hit, the declaration row, profile, items and flags.
  std::string reference, walker, native;
  runtime::jit::CompileStats stats;
  size_t ir_nodes = 0;
  bool agree() const { return reference == walker && reference == native; }
};

inline std::string describeSelections(const runtime::Selections& s, const ir::Program& ir) {
  std::string out;
  for (const auto& h : s.hits) {
    out += fmt::format("{}:{}[", h.decl, ir.profiles[h.profile].profile->id);
    for (uint32_t i = h.items_begin; i < h.items_end; ++i) out += fmt::format("{},", s.items[i]);
    out += "](";
    for (size_t m = 0; m < ir.profiles[h.profile].measures.size(); ++m) out += s.measure_flags[h.flags_begin + m] ? '1' : '0';
    out += ") ";
  }
  return out;
}

// Declarations from `declarations_path` (CSV or JSON Lines of the program's schema), a
// person register from `persons_path` when not empty, through a screener of each kind.
// An error when the data do not load. `compilation` must outlive the call only.
inline Expected<EngineRuns> screenEverywhere(const Compilation& compilation, const std::string& declarations_path,
                                              const std::string& persons_path,
                                              const std::shared_ptr<runtime::jit::KernelCompiler>& compiler) {
  EngineRuns runs;
  std::shared_ptr<const Compilation> borrowed(&compilation, [](const Compilation*) {});
  const sema::Program& program = *compilation.program;
  runtime::LoadOptions load;
  std::shared_ptr<const engine::Screener> screeners[3];
  const engine::EngineKind kinds[3] = {engine::EngineKind::Interp, engine::EngineKind::TreeWalk,
                                       engine::EngineKind::Jit};
  for (int k = 0; k < 3; ++k) {
    std::optional<runtime::PersonRegister> persons;
    if (!persons_path.empty()) {
      auto loaded = runtime::loadPersons(persons_path, program, load);
      if (!loaded) return Error{loaded.error().message};
      persons = loaded.take();
    }
    engine::ScreenerOptions options;
    options.engine = kinds[k];
    options.compiler = compiler;
    auto created = engine::Screener::create(borrowed, std::move(persons), options);
    if (!created) return Error{created.error().message};
    screeners[k] = created.take();
  }
  const engine::Screener& native = *screeners[2];
  runs.ir_nodes = native.lowered().nodes.size();
  runs.stats = native.compileStats();
  auto source = runtime::openDeclarations(declarations_path, program, native.personIndex(), load);
  if (!source) return Error{source.error().message};
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  runtime::Selections selections;
  std::string* described[3] = {&runs.reference, &runs.walker, &runs.native};
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) return Error{more.error().message};
    if (!*more) break;
    for (int k = 0; k < 3; ++k) {
      auto context = screeners[k]->newContext();
      screeners[k]->select(batch, selections, *context);
      *described[k] += describeSelections(selections, native.lowered());
    }
  }
  return runs;
}

}  // namespace tauekel::test
