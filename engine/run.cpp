#include "engine/run.h"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "compiler/ir/ir.h"
#include "engine/decision_writer.h"
#include "engine/screening_stream.h"
#include "runtime/data/person_register.h"
#include "support/output_file.h"
#include "support/text.h"
#include "governance/audit_log.h"
#include "governance/package.h"

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
// Everything before the declarations are read: the profiles compiled, the output
// checked against the inputs (`out`, when there is one), the register loaded and the
// screener made.
struct Prepared {
  std::shared_ptr<const Compilation> compilation;
  std::shared_ptr<const Screener> screener;
  runtime::LoadOptions load;
  std::vector<std::string> inputs;  // every file read, for the output's checks
};

std::variant<Prepared, RunError> prepare(const RunOptions& options, RunSummary& summary, const std::string* out) {
  Prepared prepared;
  if (options.persons && *options.persons == io::kStdin && options.declarations == io::kStdin)
    return failed(RunFailure::Usage, "standard input (\"-\") can feed the declarations or the persons, not both");

  CompileOptions co;
  co.inputs = {options.profiles};
  co.max_data_bytes = options.max_data_bytes;
  auto compiled = governance::compileOrRead(co);
  if (!compiled) return failed(RunFailure::Usage, compiled.error().message);
  if (!(*compiled)->ok()) return RunError{RunFailure::Profiles, "", compiled.take()};
  prepared.compilation = compiled.take();
  // Before anything is opened: the same checks the screener makes.
  if (auto screenable = checkScreenable(*prepared.compilation, options.profiles); !screenable)
    return failed(RunFailure::Usage, screenable.error().message);
  const sema::Program& program = *prepared.compilation->program;

  // Before anything is opened for writing: the output must not be one of the inputs.
  prepared.inputs = prepared.compilation->files_read();
  if (options.declarations != io::kStdin) prepared.inputs.push_back(options.declarations);
  if (options.persons && *options.persons != io::kStdin) prepared.inputs.push_back(*options.persons);
  // Production reads the approvals: no output may land among them either.
  if (options.production) {
    std::string folder = options.production->approvals_folder.empty()
                             ? governance::approvalsFolder(*prepared.compilation, options.profiles)
                             : options.production->approvals_folder;
    for (const auto& p : program.profiles) prepared.inputs.push_back(governance::approvalsFile(folder, p.id));
  }
  if (out)
    if (auto refused = io::refuseInput(*out, prepared.inputs); !refused)
      return failed(RunFailure::Usage, refused.error().message);

  runtime::LoadOptions& load = prepared.load;
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
  if (options.production) {
    auto production = std::make_shared<ProductionOptions>(*options.production);
    if (production->approvals_folder.empty())
      production->approvals_folder = governance::approvalsFolder(*prepared.compilation, options.profiles);
    so.production = std::move(production);
  }
  auto created = Screener::create(prepared.compilation, std::move(persons), so);
  if (!created) return failed(RunFailure::Usage, created.error().message);
  prepared.screener = created.take();
  const Screener& screener = *prepared.screener;
  const ir::Program& ir = screener.lowered();
  // Only what deciding reads is kept of each row (the rest is checked alike).
  load.fields_read = std::make_shared<const runtime::FieldsRead>(screener.fieldsRead());
  summary.profiles_in_force = ir.profiles.size();
  summary.profiles_skipped = ir.skipped_profiles;
  summary.profiles_draft = ir.skipped_drafts;
  summary.profiles_revoked = ir.skipped_revoked;
  summary.refused = screener.refused();
  summary.engine_note = screener.engineNote();
  if (const auto& problem = screener.compileStats().cache_problem; !problem.empty() && options.warn)
    options.warn(problem + "; kernels are compiled again next time");
  if (!options.persons && summary.person_fields && options.warn)
    options.warn(fmt::format("no person register (--persons): every person the declarations name is unregistered, "
                             "with no person data and the category `{}`",
                             sema::name(ir.categories.unregistered)));
  return prepared;
}

// The key of declaration row `row`, as text.
std::string keyOf(const runtime::Batch& batch, const sema::Program& program, uint32_t row) {
  const auto& column = batch.decl_columns[static_cast<size_t>(program.declaration.key_field)];
  if (!column.valid(row)) return {};
  int64_t v = column.get(row);
  if (column.type() == ir::Type::String) return std::string(batch.strings.view(static_cast<int32_t>(v)));
  return std::to_string(v);
}

std::variant<RunSummary, RunError> screenAll(const RunOptions& options, RunSummary& summary) {
  auto start = std::chrono::steady_clock::now();
  auto prepared = prepare(options, summary, &options.out);
  if (auto* error = std::get_if<RunError>(&prepared)) return std::move(*error);
  const Prepared& p = std::get<Prepared>(prepared);
  const Screener& screener = *p.screener;
  const sema::Program& program = screener.program();
  summary.version = screener.version();
  summary.window = screener.lowered().window;
  summary.profile_files = p.compilation->files_read();
  for (const auto& f : screener.approvalFiles()) summary.profile_files.push_back(f);

  auto output = io::OutputFile::open(options.out, p.inputs);
  if (!output) return failed(RunFailure::Output, output.error().message);
  io::OutputFile& out = **output;
  // What a failed write leaves behind, for its message.
  std::string unwritten = out.isStdout() ? "; the decisions written before it are incomplete"
                                         : fmt::format("; {} was not replaced", options.out);
  OutputOptions output_options{options.audience, options.explain};
  auto format = DecisionFormat::create(screener, output_options);
  if (!format) return failed(RunFailure::Usage, format.error().message);
  summary.compile_seconds = seconds(start);

  auto run_start = std::chrono::steady_clock::now();
  auto source = runtime::openDeclarations(options.declarations, program, screener.personIndex(), p.load);
  if (!source) return loadFailure(source.error());
  StreamResult streamed = screenStream(**source, screener, program, out, options.threads, options.batch_items,
                                       options.progress, format->get());
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

// The audit record of a run: what it read (hashed), what it decided, how it ended.
governance::AuditEvent auditEvent(const RunOptions& options, const RunSummary& summary, const RunError* error) {
  governance::AuditEvent e;
  e.event = "run";
  e.operator_ = governance::operatorName(options.operator_name);
  e.version = summary.version;
  e.outcome = error ? (error->kind == RunFailure::Profiles ? std::string("failed: errors in the profiles")
                                                           : "failed: " + error->message)
                    : "completed";
  e.inputs.emplace_back("profiles", summary.profile_files.empty() ? std::string("not read")
                                                                  : governance::filesHash(summary.profile_files));
  e.inputs.emplace_back("declarations", options.declarations == io::kStdin ? "standard input (not hashed)"
                                                                           : governance::fileHash(options.declarations));
  if (options.persons)
    e.inputs.emplace_back("persons", *options.persons == io::kStdin ? "standard input (not hashed)"
                                                                    : governance::fileHash(*options.persons));
  const auto& d = summary.declarations;
  e.counts = {{"rows_read", d.rows_read},
              {"rows_rejected", d.rows_rejected},
              {"declarations", summary.decisions.declarations},
              {"declarations_rejected", d.declarations_rejected},
              {"selected", summary.decisions.selected},
              {"green", summary.decisions.corridor[0]},
              {"blue", summary.decisions.corridor[1]},
              {"yellow", summary.decisions.corridor[2]},
              {"red", summary.decisions.corridor[3]},
              {"profiles_in_force", summary.profiles_in_force}};
  if (summary.window) e.counts.emplace_back("outside_after_release_window", summary.decisions.outside_window);
  for (const auto& [id, n] : summary.decisions.random) {
    e.counts.emplace_back("random " + id + " in scope", n.first);
    e.counts.emplace_back("random " + id + " chosen", n.second);
  }
  if (options.production) e.notes.push_back("production");
  for (const auto& r : summary.refused) e.notes.push_back(fmt::format("refused {}: {}", r.id, r.reason));
  return e;
}

}  // namespace

std::variant<RunSummary, RunError> run(const RunOptions& options) {
  RunSummary summary;
  if (options.audit_log.empty()) return screenAll(options, summary);
  // Opened first: a run that cannot be recorded does not start.
  auto log = governance::AuditLog::open(options.audit_log);
  if (!log) return failed(RunFailure::Usage, log.error().message);
  auto result = screenAll(options, summary);
  auto* error = std::get_if<RunError>(&result);
  if (auto appended = log->append(auditEvent(options, summary, error)); !appended) {
    if (error) return result;  // the run's own failure comes first
    return failed(RunFailure::Output, appended.error().message + "; the decisions were written, the run is not recorded");
  }
  return result;
}

std::variant<CategorizeSummary, RunError> categorize(const RunOptions& given) {
  RunOptions options = given;
  options.engine = EngineKind::Interp;  // nothing is screened: no kernels to compile
  if (!options.persons) return failed(RunFailure::Usage, "categorize needs the person register (--persons)");
  RunSummary summary;
  auto prepared = prepare(options, summary, &options.out);
  if (auto* error = std::get_if<RunError>(&prepared)) return std::move(*error);
  const Prepared& p = std::get<Prepared>(prepared);
  const Screener& screener = *p.screener;
  if (!screener.program().categories.defined)
    return failed(RunFailure::Usage, fmt::format("{} has no category rules (`category rules for person`)", options.profiles));
  auto output = io::OutputFile::open(options.out, p.inputs);
  if (!output) return failed(RunFailure::Output, output.error().message);
  ExplanationModel model(screener);
  Explainer explainer(model);
  CategorizeSummary result;
  result.persons = summary.persons;
  std::map<std::string, uint64_t> rules;
  std::string text;
  const runtime::PersonRegister& persons = *screener.persons();
  for (size_t row = 0; row < persons.count; ++row) {
    CategoryExplanation c = explainer.category(static_cast<int64_t>(row));
    ++result.by_category[static_cast<size_t>(c.category)];
    ++rules[fmt::format("{}: {}", c.rule, c.rule_text)];
    appendJson(text, c);
    text.push_back('\n');
    if (text.size() > (1 << 20) || row + 1 == persons.count) {
      if (auto written = (*output)->write(text); !written) return failed(RunFailure::Output, written.error().message);
      text.clear();
    }
  }
  if (auto committed = (*output)->commit(); !committed) return failed(RunFailure::Output, committed.error().message);
  for (auto& [rule, n] : rules) result.by_rule.emplace_back(rule, n);
  return result;
}

std::variant<DeclarationExplanation, RunError> explainDeclaration(const RunOptions& options, const std::string& key) {
  RunSummary summary;
  auto prepared = prepare(options, summary, nullptr);
  if (auto* error = std::get_if<RunError>(&prepared)) return std::move(*error);
  const Prepared& p = std::get<Prepared>(prepared);
  const Screener& screener = *p.screener;
  const sema::Program& program = screener.program();
  auto format = DecisionFormat::create(screener, OutputOptions{options.audience, options.audience == Audience::Analyst});
  if (!format) return failed(RunFailure::Usage, format.error().message);
  // An explanation shows every field of the declaration, read or not.
  runtime::LoadOptions load = p.load;
  load.fields_read = nullptr;
  auto source = runtime::openDeclarations(options.declarations, program, screener.personIndex(), load);
  if (!source) return loadFailure(source.error());
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) return loadFailure(more.error());
    if (!*more) break;
    for (uint32_t row = 0; row < batch.decl_count; ++row) {
      if (keyOf(batch, program, row) != key) continue;
      DeclarationExplanation found;
      std::vector<Decision> decisions = screener.screen(batch);
      found.decision = std::move(decisions[row]);
      DecisionWriter writer(**format);
      writer.appendJson(found.json, batch, row, found.decision);
      found.text = writer.text(batch, row, found.decision);
      return found;
    }
  }
  const auto& stats = (*source)->stats();
  std::string where = options.declarations == io::kStdin ? "standard input" : options.declarations;
  std::string rejected = stats.declarations_rejected == 0
                             ? ""
                             : fmt::format("; {} declaration{} rejected, as `tauekel run --on-error skip` reports", stats.declarations_rejected,
                                           stats.declarations_rejected == 1 ? " was" : "s were");
  return failed(RunFailure::NotFound, fmt::format("no declaration {} among the {} read from {}{}", text::quoted(key),
                                                  stats.declarations, where, rejected));
}

}  // namespace tauekel::engine
