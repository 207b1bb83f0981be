#pragma once
// One checked program through every engine on one file of declarations: the reference
// interpreter, the vectorised engine on the tree walker, and on native kernels. For tests
// and the fuzzer, which fail when the three disagree.

#include <fmt/format.h>

#include <memory>
#include <string>

#include "compiler/ir/ir.h"
#include "runtime/data/person_register.h"
#include "runtime/data/reference_data.h"
#include "runtime/exec/plan.h"
#include "runtime/exec/vector_engine.h"
#include "runtime/interp/row_interpreter.h"
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
// person register from `persons_path` when not empty. An error when the data do not load.
inline Expected<EngineRuns> screenEverywhere(const sema::Program& program, const std::string& declarations_path,
                                              const std::string& persons_path,
                                              runtime::jit::KernelCompiler& compiler) {
  EngineRuns runs;
  ir::Program ir = ir::lower(program, {});
  runs.ir_nodes = ir.nodes.size();
  runtime::ReferenceData data(program);
  runtime::LoadOptions load;
  std::unique_ptr<runtime::PersonRegister> persons;
  if (!persons_path.empty()) {
    auto loaded = runtime::loadPersons(persons_path, program, load);
    if (!loaded) return Error{loaded.error().message};
    persons = std::make_unique<runtime::PersonRegister>(loaded.take());
    runtime::RowInterpreter::computeCategories(*persons, ir, data);
  }
  runtime::EngineContext ctx{&ir, &data, persons.get()};
  runtime::Plan plan = runtime::makePlan(ir, program);
  auto kernels = compiler.compile(plan, ctx, runs.stats);
  if (!kernels) return Error{kernels.error().message};
  auto reference = runtime::makeReferenceEngine(ctx);
  auto walker = runtime::makeVectorEngine(ctx, plan);
  auto native = runtime::makeVectorEngine(ctx, plan, kernels.take());
  auto source = runtime::openDeclarations(declarations_path, program, persons ? &persons->index : nullptr, load);
  if (!source) return Error{source.error().message};
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  runtime::Selections selections;
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) return Error{more.error().message};
    if (!*more) break;
    reference->screen(batch, selections);
    runs.reference += describeSelections(selections, ir);
    walker->screen(batch, selections);
    runs.walker += describeSelections(selections, ir);
    native->screen(batch, selections);
    runs.native += describeSelections(selections, ir);
  }
  return runs;
}

}  // namespace tauekel::test
