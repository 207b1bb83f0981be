#pragma once
// Decisions written for an audience (engine/audience.h), as JSON lines or as text: what
// `run`, `explain`, `serve` and `worker` print. DecisionFormat holds what every writer
// shares (made once per screener: the audience's lookups, the explanation model when
// explanations are asked for or the declarant's reasons need them); a DecisionWriter
// is one thread's, over it.
//
// JSON per audience (analyst as in engine/decision_json.h):
//   officer:   {"declaration","selected","level","corridor","measures",
//               "profiles":[{"id","area","level","items","measures","instructions"}]}
//   declarant: {"declaration","corridor","measures","reasons":[{"kind","person","text"}]}

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/audience.h"
#include "engine/explainer.h"
#include "engine/screener.h"

namespace tauekel::engine {

struct OutputOptions {
  Audience audience = Audience::Analyst;
  bool explain = false;  // analysts only: officers and declarants never see conditions
};

// A public reason, as the declarant is told it.
struct PublicReason {
  sema::StatutoryKind kind = sema::StatutoryKind::None;
  std::string person;  // the role read: declarant, consignee, ...
};

class DecisionFormat {
 public:
  // Fails when the options ask for what the audience may not see (--explain for an
  // officer or a declarant).
  static Expected<std::shared_ptr<const DecisionFormat>> create(const Screener& screener, const OutputOptions& options);

  const OutputOptions& options() const { return options_; }
  const Screener& screener() const { return screener_; }
  // The model explanations are made with; null when neither explanations nor public
  // reasons are needed.
  const ExplanationModel* explanations() const { return model_.get(); }

 private:
  friend class DecisionWriter;
  DecisionFormat(const Screener& screener, const OutputOptions& options);
  const Screener& screener_;
  OutputOptions options_;
  std::unique_ptr<ExplanationModel> model_;
  std::unordered_map<std::string, const sema::Profile*> profiles_;
  std::unordered_map<std::string, const sema::Measure*> measures_;
public:
  // The analyst's plain JSON from drafts, in one buffer each (a decision touches many
  // profiles): each profile entry's constant text up to its items
  // (`{"id":…,"area":…,"level":…,"items":[`) and what closes it (`]` or `,"random":true}`
  // after the measures), each measure's name as a JSON string. Piece i of a buffer is
  // [at[i], at[i + 1]).
  struct Pieces {
    std::string text;  // followed by kSlack bytes, so that a piece may be copied 16 bytes at a time
    std::vector<uint32_t> at{0};
    size_t longest = 0;
    static constexpr size_t kSlack = 16;
    void add(std::string_view piece) {
      text.resize(at.back());
      text += piece;
      at.push_back(static_cast<uint32_t>(text.size()));
      longest = std::max(longest, piece.size());
      text.append(kSlack, '\0');
    }
    std::string_view operator[](size_t i) const { return std::string_view(text).substr(at[i], at[i + 1] - at[i]); }
  };

 private:
  Pieces entry_heads_, entry_ends_, measure_names_;
};

class DecisionWriter {
 public:
  explicit DecisionWriter(const DecisionFormat& format);

  // Appends the decision for declaration row `row` of `batch` as one JSON object (no
  // line break). `decision` must be the screener's for that row.
  void appendJson(std::string& out, const runtime::Batch& batch, uint32_t row, const Decision& decision);
  // Whether appendJson(out, draft) writes what this audience sees (the analyst's decision
  // without explanations): it then needs no Decision values.
  bool writesDrafts() const;
  // The same bytes as appendJson(out, batch, row, decision) for the draft's decision.
  void appendJson(std::string& out, const DecisionDraft& draft) const;
  // The same as text for a person at a terminal.
  std::string text(const runtime::Batch& batch, uint32_t row, const Decision& decision);

  // The declarant's view: the measures they are told of (strongest first), the
  // corridor those make, and the public reasons.
  struct DeclarantView {
    std::vector<std::string> measures;
    Corridor corridor = Corridor::Green;
    std::vector<PublicReason> reasons;
  };
  DeclarantView declarantView(const runtime::Batch& batch, uint32_t row, const Decision& decision);

 private:
  std::vector<ProfileExplanation> explain(const runtime::Batch& batch, uint32_t row, const Decision& decision);
  const std::string& instructions(const std::string& profile) const;

  const DecisionFormat& format_;
  std::unique_ptr<Explainer> explainer_;
};

// What the declarant is told of a public reason, in words.
const char* describe(sema::StatutoryKind kind);

}  // namespace tauekel::engine
