// libFuzzer target: arbitrary bytes as a declarations file (CSV and JSON Lines) and as a
// person register, read by the loaders the way `tauekel run` reads them, and screened
// by both engines. Any crash, sanitizer report or hang is a bug; so is a broken promise:
// rows that neither screen nor get reported, a declaration key decided twice, a batch
// whose items do not line up with its declarations, or the engines disagreeing.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "compiler/frontend.h"
#include "engine/screener.h"
#include "runtime/data/person_register.h"
#include "runtime/load/declaration_source.h"

using namespace tauekel;

namespace {

#define CHECK_OR_TRAP(condition) \
  do {                           \
    if (!(condition)) __builtin_trap(); \
  } while (0)

// The example repository and its register, made ready once for each engine.
struct Fixture {
  std::shared_ptr<const engine::Screener> reference, vector;

  static std::shared_ptr<const engine::Screener> make(std::shared_ptr<const Compilation> compilation,
                                                      engine::EngineKind kind) {
    runtime::LoadOptions load;
    auto loaded = runtime::loadPersons(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/persons.csv",
                                       *compilation->program, load);
    CHECK_OR_TRAP(loaded);
    engine::ScreenerOptions options;
    options.include_drafts = true;
    options.engine = kind;
    auto screener = engine::Screener::create(std::move(compilation), loaded.take(), options);
    CHECK_OR_TRAP(screener);
    return screener.take();
  }

  Fixture() {
    CompileOptions options;
    options.inputs = {std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu"};
    auto compiled = compile(options);
    CHECK_OR_TRAP(compiled && (*compiled)->ok());
    std::shared_ptr<const Compilation> compilation = compiled.take();
    reference = make(compilation, engine::EngineKind::Interp);
    vector = make(compilation, engine::EngineKind::Jit);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

runtime::LoadOptions loadOptions() {
  runtime::LoadOptions options;
  options.on_error = runtime::OnError::Skip;
  options.batch_items = 7;             // many batch boundaries
  options.max_record_bytes = 1 << 12;  // the limit is reached by small inputs too
  options.max_data_bytes = 1 << 16;
  options.report = [](const runtime::LoadError& e) { CHECK_OR_TRAP(!e.file.empty() && e.line > 0); };
  options.warn = [](const std::string& message) { CHECK_OR_TRAP(!message.empty()); };
  return options;
}

void readDeclarations(const std::string& text, runtime::InputFormat format) {
  Fixture& f = fixture();
  const sema::Program& program = f.vector->program();
  auto source = runtime::openDeclarations(io::memoryInput("fuzz", text), format, program, f.vector->personIndex(),
                                          loadOptions());
  if (!source) return;  // a header that cannot be read: reported as an error
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  std::vector<Decision> by_reference, by_vector;
  std::set<std::string> keys;
  size_t key_field = static_cast<size_t>(program.declaration.key_field);
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) return;  // stopped by a limit or a read error: reported as an error
    if (!*more) break;
    CHECK_OR_TRAP(batch.decl_count > 0);
    CHECK_OR_TRAP(batch.item_begin.size() == batch.decl_count + 1);
    CHECK_OR_TRAP(batch.item_begin[batch.decl_count] == batch.item_count);
    CHECK_OR_TRAP(batch.item_decl.size() == batch.item_count);
    for (size_t d = 0; d < batch.decl_count; ++d) {
      CHECK_OR_TRAP(batch.item_begin[d] <= batch.item_begin[d + 1]);
      for (uint32_t i = batch.item_begin[d]; i < batch.item_begin[d + 1]; ++i) CHECK_OR_TRAP(batch.item_decl[i] == d);
      const auto& key_column = batch.decl_columns[key_field];
      CHECK_OR_TRAP(keys.insert(std::string(batch.strings.view(static_cast<int32_t>(key_column.get(d))))).second);
    }
    f.reference->screen(batch, by_reference);
    f.vector->screen(batch, by_vector);
    CHECK_OR_TRAP(by_reference == by_vector);
    CHECK_OR_TRAP(by_vector.size() == batch.decl_count);
  }
  const auto& stats = (*source)->stats();
  // Every row read is screened or reported.
  if (format == runtime::InputFormat::Csv) CHECK_OR_TRAP(stats.rows_read == stats.items + stats.rows_rejected);
  else CHECK_OR_TRAP(stats.rows_read == stats.declarations + stats.rows_rejected);
  CHECK_OR_TRAP(stats.declarations == keys.size());
}

void readPersons(const std::string& text) {
  Fixture& f = fixture();
  auto loaded = runtime::loadPersons(io::memoryInput("fuzz", text), f.vector->program(), loadOptions());
  if (!loaded) return;
  CHECK_OR_TRAP(loaded->stats.rows_read == loaded->count + loaded->stats.rows_rejected);
  CHECK_OR_TRAP(loaded->index.size() == loaded->count);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  readDeclarations(text, runtime::InputFormat::Csv);
  readDeclarations(text, runtime::InputFormat::JsonLines);
  readPersons(text);
  return 0;
}
