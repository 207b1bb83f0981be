#include "engine/run.h"

#include <fmt/format.h>

#include <chrono>

#include "compiler/ir/ir.h"
#include "runtime/data/person_register.h"
#include "runtime/data/reference_data.h"
#include "runtime/exec/engine.h"
#include "runtime/exec/vector_engine.h"
#include "runtime/interp/row_interpreter.h"
#include "runtime/jit/kernel_compiler.h"

namespace tauekel::engine {

namespace {
double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}
}  // namespace

std::variant<RunSummary, RunError> run(const RunOptions& options) {
  auto start = std::chrono::steady_clock::now();
  RunSummary summary;

  CompileOptions co;
  co.inputs = {options.profiles};
  auto compiled = compile(co);
  if (!compiled) return RunError{RunFailure::Usage, compiled.error().message, nullptr};
  if (!(*compiled)->ok()) return RunError{RunFailure::Profiles, "", compiled.take()};
  std::unique_ptr<Compilation> compilation = compiled.take();
  if (!compilation->other_programs.empty())
    return RunError{RunFailure::Usage,
                    fmt::format("{} holds {} profile repositories; run them one at a time", options.profiles,
                                compilation->other_programs.size() + 1),
                    nullptr};
  const sema::Program& program = *compilation->program;
  if (!program.declaration.defined || !program.item.defined)
    return RunError{RunFailure::Usage, "the profiles define no declaration and item schemas (import std.eaeu?)", nullptr};

  ir::LowerOptions lo;
  lo.as_of = options.as_of;
  lo.stage = options.stage;
  lo.include_drafts = options.include_drafts;
  ir::Program ir = ir::lower(program, lo);
  summary.profiles_in_force = ir.profiles.size();
  summary.profiles_skipped = ir.skipped_profiles;
  summary.profiles_draft = ir.skipped_drafts;
  summary.profiles_revoked = ir.skipped_revoked;
  runtime::ReferenceData data(program);

  runtime::LoadOptions load;
  load.batch_items = options.batch_items;
  load.on_error = options.on_error;
  load.report = options.report;

  std::unique_ptr<runtime::PersonRegister> persons;
  if (options.persons) {
    auto loaded = runtime::loadPersons(*options.persons, program, load);
    if (!loaded)
      return RunError{loaded.error().bad_record ? RunFailure::Data : RunFailure::Usage, loaded.error().message, nullptr};
    persons = std::make_unique<runtime::PersonRegister>(loaded.take());
    runtime::RowInterpreter::computeCategories(*persons, ir, data);
    summary.persons = persons->stats;
  }

  runtime::EngineContext context{&ir, &data, persons.get()};
  runtime::Plan plan = runtime::makePlan(ir, program);
  std::unique_ptr<runtime::jit::KernelCompiler> compiler;  // owns the code the engine runs
  std::unique_ptr<runtime::Engine> engine;
  if (options.engine == EngineKind::Interp) {
    engine = runtime::makeReferenceEngine(context);
  } else {
    auto created = runtime::jit::KernelCompiler::create();
    if (!created) return RunError{RunFailure::Usage, created.error().message, nullptr};
    compiler = created.take();
    runtime::jit::CompileStats stats;
    auto kernels = compiler->compile(plan, context, stats);
    if (!kernels) return RunError{RunFailure::Usage, kernels.error().message, nullptr};
    engine = runtime::makeVectorEngine(context, plan, kernels.take());
    summary.engine_note = fmt::format("{} kernels ({} native, {} shapes compiled in {:.3f} s), {} of {} item roots "
                                      "guarded by the index",
                                      stats.kernels, stats.native, stats.compiled, stats.seconds, plan.guarded_roots,
                                      plan.roots.size());
  }
  summary.compile_seconds = seconds(start);

  auto run_start = std::chrono::steady_clock::now();
  auto source = runtime::openDeclarations(options.declarations, program, persons ? &persons->index : nullptr, load);
  if (!source) return RunError{RunFailure::Usage, source.error().message, nullptr};
  DecisionWriter writer(ir, options.out);
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  runtime::Selections selections;
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) {
      summary.declarations = (*source)->stats();
      return RunError{more.error().bad_record ? RunFailure::Data : RunFailure::Usage, more.error().message, nullptr};
    }
    if (!*more) break;
    engine->screen(batch, selections);
    writer.write(batch, selections);
    if (options.progress) options.progress((*source)->stats().bytes, (*source)->totalBytes());
  }
  std::fflush(options.out);
  summary.declarations = (*source)->stats();
  summary.decisions = writer.counts();
  summary.run_seconds = seconds(run_start);
  return summary;
}

}  // namespace tauekel::engine
