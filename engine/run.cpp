#include "engine/run.h"

#include <fmt/format.h>

#include <chrono>

#include "compiler/ir/ir.h"
#include "engine/screening_stream.h"
#include "runtime/data/person_register.h"
#include "support/output_file.h"

namespace tauekel::engine {

namespace {
double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

RunError failed(RunFailure kind, std::string message) { return RunError{kind, std::move(message), nullptr}; }

RunError loadFailure(const Error& error) {
  return failed(error.bad_record ? RunFailure::Data : RunFailure::Usage, error.message);
}

bool hasPersonFields(const sema::Program& program) {
  for (const auto* schema : {&program.declaration, &program.item})
    for (const auto& f : schema->fields)
      if (f.type->kind == sema::TypeKind::Person) return true;
  return false;
}
}  // namespace

std::variant<RunSummary, RunError> run(const RunOptions& options) {
  auto start = std::chrono::steady_clock::now();
  RunSummary summary;

  if (options.persons && *options.persons == io::kStdin && options.declarations == io::kStdin)
    return failed(RunFailure::Usage, "standard input (\"-\") can feed the declarations or the persons, not both");

  CompileOptions co;
  co.inputs = {options.profiles};
  co.max_data_bytes = options.max_data_bytes;
  auto compiled = compile(co);
  if (!compiled) return failed(RunFailure::Usage, compiled.error().message);
  if (!(*compiled)->ok()) return RunError{RunFailure::Profiles, "", compiled.take()};
  std::shared_ptr<const Compilation> compilation = compiled.take();
  // Before anything is opened: the same checks the screener makes.
  if (auto screenable = checkScreenable(*compilation, options.profiles); !screenable)
    return failed(RunFailure::Usage, screenable.error().message);
  const sema::Program& program = *compilation->program;

  // Before anything is opened for writing: the output must not be one of the inputs.
  std::vector<std::string> inputs = compilation->files_read();
  if (options.declarations != io::kStdin) inputs.push_back(options.declarations);
  if (options.persons && *options.persons != io::kStdin) inputs.push_back(*options.persons);
  if (auto refused = io::refuseInput(options.out, inputs); !refused)
    return failed(RunFailure::Usage, refused.error().message);
  auto output = io::OutputFile::open(options.out, inputs);
  if (!output) return failed(RunFailure::Output, output.error().message);
  io::OutputFile& out = **output;
  // What a failed write leaves behind, for its message.
  std::string unwritten = out.isStdout() ? "; the decisions written before it are incomplete"
                                         : fmt::format("; {} was not replaced", options.out);

  runtime::LoadOptions load;
  load.batch_items = options.batch_items;
  load.on_error = options.on_error;
  load.format = options.format;
  load.max_record_bytes = options.max_record_bytes;
  load.max_items = options.max_items;
  load.max_data_bytes = options.max_data_bytes;
  load.report = options.report;
  load.warn = options.warn;

  summary.person_fields = hasPersonFields(program);
  std::optional<runtime::PersonRegister> persons;
  if (options.persons) {
    auto loaded = runtime::loadPersons(*options.persons, program, load);
    if (!loaded) return loadFailure(loaded.error());
    persons = loaded.take();
    summary.persons = persons->stats;
    summary.person_register = true;
  }

  ScreenerOptions so;
  so.as_of = options.as_of;
  so.stage = options.stage;
  so.include_drafts = options.include_drafts;
  so.engine = options.engine;
  so.kernel_cache = options.kernel_cache;
  auto created = Screener::create(compilation, std::move(persons), so);
  if (!created) return failed(RunFailure::Usage, created.error().message);
  const Screener& screener = **created;
  const ir::Program& ir = screener.lowered();
  summary.profiles_in_force = ir.profiles.size();
  summary.profiles_skipped = ir.skipped_profiles;
  summary.profiles_draft = ir.skipped_drafts;
  summary.profiles_revoked = ir.skipped_revoked;
  summary.engine_note = screener.engineNote();
  if (const auto& problem = screener.compileStats().cache_problem; !problem.empty() && options.warn)
    options.warn(problem + "; kernels are compiled again next time");
  if (!options.persons && summary.person_fields && options.warn)
    options.warn(fmt::format("no person register (--persons): every person the declarations name is unregistered, "
                             "with no person data and the category `{}`",
                             sema::name(ir.categories.unregistered)));
  summary.compile_seconds = seconds(start);

  auto run_start = std::chrono::steady_clock::now();
  auto source = runtime::openDeclarations(options.declarations, program, screener.personIndex(), load);
  if (!source) return loadFailure(source.error());
  StreamResult streamed =
      screenStream(**source, screener, program, out, options.threads, options.batch_items, options.progress);
  if (streamed.read_error) return loadFailure(*streamed.read_error);
  if (streamed.write_error) return failed(RunFailure::Output, streamed.write_error->message + unwritten);
  summary.decisions = streamed.decisions;
  if (auto committed = out.commit(); !committed)
    return failed(RunFailure::Output, committed.error().message + unwritten);
  summary.declarations = (*source)->stats();
  summary.run_seconds = seconds(run_start);
  if (summary.declarations.rows_read == 0 && options.warn)
    options.warn(fmt::format("{} holds no declarations", options.declarations == io::kStdin ? "standard input"
                                                                                            : options.declarations));
  return summary;
}

}  // namespace tauekel::engine
