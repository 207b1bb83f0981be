// The public Screener and DeclarationBatch: thin over engine::Screener and the value
// batch builder.
#include "tauekel/screener.h"

#include <fmt/format.h>

#include "compiler/frontend.h"
#include "engine/decision_json.h"
#include "engine/json_input.h"
#include "engine/screener.h"
#include "runtime/load/value_batch_builder.h"
#include "support/date.h"

namespace tauekel {

struct DeclarationBatch::Impl {
  std::shared_ptr<const engine::Screener> screener;  // keeps the program the batch is built for
  runtime::ValueBatchBuilder builder;
};

DeclarationBatch::DeclarationBatch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DeclarationBatch::DeclarationBatch(DeclarationBatch&&) noexcept = default;
DeclarationBatch& DeclarationBatch::operator=(DeclarationBatch&&) noexcept = default;
DeclarationBatch::~DeclarationBatch() = default;

namespace {
std::optional<FieldProblem> problem(std::optional<runtime::FieldError> error) {
  if (!error) return std::nullopt;
  return FieldProblem{std::move(error->path), std::move(error->reason)};
}
}  // namespace

void DeclarationBatch::beginDeclaration() { impl_->builder.beginDeclaration(); }
void DeclarationBatch::beginItem() { impl_->builder.beginItem(); }
std::optional<FieldProblem> DeclarationBatch::set(std::string_view field, const FieldValue& value) {
  return problem(impl_->builder.set(field, value));
}
std::optional<FieldProblem> DeclarationBatch::endDeclaration() { return problem(impl_->builder.endDeclaration()); }

Expected<size_t> DeclarationBatch::addJson(std::string_view text) {
  auto added = engine::appendJsonDeclarations(impl_->builder, text);
  if (!added) return added.error();
  return static_cast<size_t>(added->declarations);
}

size_t DeclarationBatch::size() const { return impl_->builder.batch().decl_count; }
void DeclarationBatch::clear() { impl_->builder.clear(); }

Expected<Screener> Screener::create(const Profiles& profiles, const ScreenerOptions& options) {
  if (!profiles.ok())
    return Error{fmt::format("the profiles have errors:\n{}", profiles.diagnosticsText())};
  const auto& compilation = profiles.compilation();
  std::optional<runtime::PersonRegister> persons;
  if (options.persons_file) {
    auto loaded = runtime::loadPersons(*options.persons_file, *compilation->program, {});
    if (!loaded) return loaded.error();
    persons = loaded.take();
  }
  engine::ScreenerOptions so;
  so.stage = static_cast<sema::Stage>(options.stage);
  so.include_drafts = options.include_drafts;
  if (options.as_of) {
    const Date& d = *options.as_of;
    std::string text = fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    auto days = date::parse(text);
    if (!days) return Error{fmt::format("as_of {}-{}-{} is not a date", d.year, d.month, d.day)};
    so.as_of = *days;
  }
  auto made = engine::Screener::create(compilation, std::move(persons), so);
  if (!made) return made.error();
  return Screener(made.take());
}

DeclarationBatch Screener::newBatch() const {
  return DeclarationBatch(std::unique_ptr<DeclarationBatch::Impl>(
      new DeclarationBatch::Impl{engine_, runtime::ValueBatchBuilder(engine_->program(), engine_->personIndex())}));
}

Expected<std::vector<Decision>> Screener::screen(const DeclarationBatch& batch) const {
  if (&batch.impl_->screener->program() != &engine_->program())
    return Error{"the batch was made for other profiles; make it with this screener's newBatch()"};
  if (batch.impl_->builder.declarationOpen())
    return Error{"a declaration of the batch is still open; end it with endDeclaration() first"};
  return engine_->screen(batch.impl_->builder.batch());
}

Expected<std::vector<Decision>> Screener::screenJson(std::string_view text) const {
  DeclarationBatch batch = newBatch();
  if (auto added = batch.addJson(text); !added) return added.error();
  return screen(batch);
}

const std::string& Screener::version() const { return engine_->version(); }
size_t Screener::profilesInForce() const { return engine_->lowered().profiles.size(); }

std::string toJson(const Decision& decision) {
  std::string out;
  engine::appendJson(out, decision);
  return out;
}

}  // namespace tauekel
