#pragma once
// Screening with the library: a Screener is made once from checked profiles (and the
// person register, and the options), then screens batches of declarations into
// decisions, from as many threads at once as the caller likes.
//
//   auto profiles = tauekel::Profiles::compileDirectory("profiles");
//   if (!profiles || !profiles->ok()) ...          // profiles->diagnosticsText()
//   auto screener = tauekel::Screener::create(*profiles, {.persons_file = "persons.csv"});
//   auto batch = screener->newBatch();
//   batch.beginDeclaration();  batch.set("number", "D1");  ...  batch.endDeclaration();
//   for (const tauekel::Decision& d : screener->screen(batch)) ...
//
// Part of Tauekel's public interface.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tauekel/decision.h"
#include "tauekel/expected.h"
#include "tauekel/profiles.h"
#include "tauekel/value.h"

namespace tauekel {

namespace engine {
class Screener;
}

// Which profiles apply: those in force at the customs stage of the screening.
enum class Stage { BeforeRelease, AtRelease, AfterRelease };

struct ScreenerOptions {
  std::optional<std::string> persons_file;  // the person register (CSV); else every person unregistered
  Stage stage = Stage::BeforeRelease;
  std::optional<Date> as_of;                // which profiles are in force; else each declaration's date
  bool include_drafts = false;              // also draft profiles (trying one out)
};

// Where a field's value could not be read: a JSON path ("items[3].net_kg") and why.
struct FieldProblem {
  std::string path;
  std::string reason;
};

// Declarations to screen, built from values or JSON. A declaration is added whole or
// not at all; its key may appear once per batch.
class DeclarationBatch {
 public:
  DeclarationBatch(DeclarationBatch&&) noexcept;
  DeclarationBatch& operator=(DeclarationBatch&&) noexcept;
  ~DeclarationBatch();

  void beginDeclaration();
  void beginItem();  // later set() calls name the item's fields
  std::optional<FieldProblem> set(std::string_view field, const FieldValue& value);
  std::optional<FieldProblem> endDeclaration();  // the first problem: the declaration was left out

  // One declaration object, an array of them, or JSON Lines. All or nothing: an Error
  // names the line and column, or the JSON path, of the first problem.
  Expected<size_t> addJson(std::string_view text);

  size_t size() const;  // declarations
  void clear();

 private:
  friend class Screener;
  struct Impl;
  explicit DeclarationBatch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Screener {
 public:
  // Fails when the profiles have errors, the person register cannot be read, or the
  // profiles cannot screen (no schemas).
  static Expected<Screener> create(const Profiles& profiles, const ScreenerOptions& options = {});

  DeclarationBatch newBatch() const;
  // Decisions in the batch's order. Safe from many threads at once. An Error when the
  // batch was made by a screener of other profiles, or a declaration is still open.
  Expected<std::vector<Decision>> screen(const DeclarationBatch& batch) const;
  // The same for declarations given as JSON text (see DeclarationBatch::addJson).
  Expected<std::vector<Decision>> screenJson(std::string_view text) const;

  // Names what decides (profiles, data, register, options): equal versions decide alike.
  const std::string& version() const;
  size_t profilesInForce() const;

  const std::shared_ptr<const engine::Screener>& engine() const { return engine_; }

 private:
  explicit Screener(std::shared_ptr<const engine::Screener> engine) : engine_(std::move(engine)) {}
  std::shared_ptr<const engine::Screener> engine_;
};

// A decision as `tauekel run` writes it: one JSON object, no line break.
std::string toJson(const Decision& decision);

}  // namespace tauekel
