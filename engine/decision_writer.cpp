#include "engine/decision_writer.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "engine/decision_json.h"
#include "engine/explanation_text.h"
#include "support/decimal.h"
#include "support/json.h"
#include "support/utf8.h"

namespace tauekel::engine {

namespace {

// The public indicators under a reason, with the role of the person each read.
void collectPublic(const Reason& reason, std::vector<PublicReason>& out) {
  if (reason.kind == Reason::Kind::Indicator && reason.indicator && reason.indicator->is_public &&
      reason.indicator->statutory != sema::StatutoryKind::None) {
    PublicReason p{reason.indicator->statutory, reason.facts.empty() ? std::string("person") : reason.facts[0].name};
    bool known = std::any_of(out.begin(), out.end(), [&](const PublicReason& q) {
      return q.kind == p.kind && q.person == p.person;
    });
    if (!known) out.push_back(std::move(p));
  }
  for (const auto& r : reason.because) collectPublic(r, out);
}

}  // namespace

const char* describe(sema::StatutoryKind kind) {
  switch (kind) {
    case sema::StatutoryKind::Liability: return "was brought to liability for customs offences";
    case sema::StatutoryKind::Arrears: return "has arrears of customs payments";
    case sema::StatutoryKind::None: break;
  }
  return "";
}

Expected<std::shared_ptr<const DecisionFormat>> DecisionFormat::create(const Screener& screener,
                                                                     const OutputOptions& options) {
  if (options.explain && options.audience != Audience::Analyst)
    return Error{std::string("explanations show the profiles' conditions, which only analysts see; drop --explain for "
                             "the ") +
                 name(options.audience) + " audience"};
  return std::shared_ptr<const DecisionFormat>(new DecisionFormat(screener, options));
}

DecisionFormat::DecisionFormat(const Screener& screener, const OutputOptions& options)
    : screener_(screener), options_(options) {
  if (options.explain || options.audience == Audience::Declarant)
    model_ = std::make_unique<ExplanationModel>(screener);
  for (const auto& p : screener.program().profiles) profiles_.emplace(p.id, &p);
  for (const auto& m : screener.program().measures) measures_.emplace(m.name, &m);
  // A head per profile and level (a level band may give any of the three).
  for (const auto& info : screener.profileInfo()) {
    for (RiskLevel level : {RiskLevel::Low, RiskLevel::Medium, RiskLevel::High}) {
      std::string head = "{\"id\":";
      json::appendString(head, info.id);
      head += ",\"area\":";
      json::appendString(head, info.area);
      head += ",\"level\":";
      json::appendString(head, name(level));
      head += ",\"items\":[";
      entry_heads_.add(head);
    }
    entry_ends_.add(info.random_share ? ",\"random\":true}" : "}");
  }
  for (const sema::Measure* m : screener.measureCatalogue()) {
    std::string quoted;
    json::appendString(quoted, m->name);
    measure_names_.add(quoted);
  }
}


bool DecisionWriter::writesDrafts() const {
  return format_.options_.audience == Audience::Analyst && !format_.options_.explain;
}

namespace {
// Copies `n` bytes in steps of 16, writing up to 15 bytes past them: for pieces kept
// with slack after them, into room reserved with slack after it.
inline char* putPiece(char* out, const char* piece, size_t n) {
  for (size_t i = 0; i < n; i += 16) std::memcpy(out + i, piece + i, 16);
  return out + n;
}
template <size_t N>
inline char* putText(char* out, const char (&text)[N]) {
  std::memcpy(out, text, N - 1);
  return out + N - 1;
}
inline char* putNumber(char* out, uint32_t n) {
  char digits[10];
  char* p = digits + sizeof digits;
  do {
    *--p = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  size_t length = static_cast<size_t>(digits + sizeof digits - p);
  std::memcpy(out, p, length);
  return out + length;
}
}  // namespace

void DecisionWriter::appendJson(std::string& out, const DecisionDraft& draft) const {
  const DecisionFormat& f = format_;
  // The key through the general writer (it may need escapes); the rest from pieces into
  // room made for the most it can take.
  out += "{\"declaration\":";
  json::appendString(out, draft.key);
  const size_t measure_room = f.measure_names_.longest + 1;
  size_t room = 128 + draft.measures.size() * measure_room + draft.rules.size() * measure_room;
  for (const auto& e : draft.entries)
    room += f.entry_heads_.longest + f.entry_ends_.longest + 24 + 11 * (e.items_end - e.items_begin);
  size_t at = out.size();
  out.resize(at + room + DecisionFormat::Pieces::kSlack);
  char* p = out.data() + at;
  auto measures = [&](const uint32_t* begin, const uint32_t* end) {
    *p++ = '[';
    for (const uint32_t* m = begin; m != end; ++m) {
      if (m != begin) *p++ = ',';
      std::string_view name = f.measure_names_[*m];
      p = putPiece(p, name.data(), name.size());
    }
    *p++ = ']';
  };
  if (draft.selected) {
    p = putText(p, ",\"selected\":true,\"level\":\"");
    std::string_view level = name(draft.level);
    std::memcpy(p, level.data(), level.size());
    p += level.size();
    p = putText(p, "\",\"corridor\":\"");
  } else {
    p = putText(p, ",\"selected\":false,\"level\":null,\"corridor\":\"");
  }
  std::string_view corridor = name(draft.corridor);
  std::memcpy(p, corridor.data(), corridor.size());
  p += corridor.size();
  p = putText(p, "\",\"measures\":");
  measures(draft.measures.data(), draft.measures.data() + draft.measures.size());
  p = putText(p, ",\"profiles\":[");
  for (size_t k = 0; k < draft.entries.size(); ++k) {
    const DecisionDraft::Entry& e = draft.entries[k];
    if (k > 0) *p++ = ',';
    std::string_view head = f.entry_heads_[e.profile * 3 + static_cast<uint32_t>(e.level)];
    p = putPiece(p, head.data(), head.size());
    for (uint32_t i = e.items_begin; i < e.items_end; ++i) {
      if (i > e.items_begin) *p++ = ',';
      p = putNumber(p, draft.items[i] - draft.first_item + 1);
    }
    p = putText(p, "],\"measures\":");
    measures(draft.rules.data() + e.rules_begin, draft.rules.data() + e.rules_end);
    std::string_view end = f.entry_ends_[e.profile];
    p = putPiece(p, end.data(), end.size());
  }
  *p++ = ']';
  out.resize(static_cast<size_t>(p - out.data()));
  if (draft.score_terms) {
    // Scores through the general writer, as the decision values are written.
    std::vector<RiskScore> scores;
    f.screener_.fillScores(draft, scores);
    appendScores(out, scores);
  }
  out.push_back('}');
}

DecisionWriter::DecisionWriter(const DecisionFormat& format) : format_(format) {
  if (format.model_) explainer_ = std::make_unique<Explainer>(*format.model_);
}

std::vector<ProfileExplanation> DecisionWriter::explain(const runtime::Batch& batch, uint32_t row,
                                                        const Decision& decision) {
  if (!explainer_ || !decision.selected) return {};
  return explainer_->explain(batch, row, decision);
}

const std::string& DecisionWriter::instructions(const std::string& profile) const {
  static const std::string none;
  auto it = format_.profiles_.find(profile);
  return it == format_.profiles_.end() ? none : it->second->instructions;
}

DecisionWriter::DeclarantView DecisionWriter::declarantView(const runtime::Batch& batch, uint32_t row,
                                                            const Decision& decision) {
  DeclarantView view;
  for (const auto& m : decision.measures) {
    auto it = format_.measures_.find(m);
    if (it == format_.measures_.end() || it->second->confidential) continue;
    view.measures.push_back(m);
    view.corridor = std::max(view.corridor, static_cast<Corridor>(it->second->corridor));
  }
  for (const auto& profile : explain(batch, row, decision))
    for (const auto& r : profile.reasons) collectPublic(r, view.reasons);
  return view;
}

void DecisionWriter::appendJson(std::string& out, const runtime::Batch& batch, uint32_t row,
                                const Decision& decision) {
  switch (format_.options_.audience) {
    case Audience::Analyst:
      if (format_.options_.explain && decision.selected) {
        auto explanations = explain(batch, row, decision);
        auto persons = explainer_->persons(batch, row);
        engine::appendJson(out, decision, DecisionExtras{&explanations, &persons, nullptr});
      } else {
        engine::appendJson(out, decision);
      }
      return;
    case Audience::Officer: {
      DecisionExtras extras;
      extras.instructions = [this](const std::string& profile) -> const std::string& { return instructions(profile); };
      extras.scores = false;
      engine::appendJson(out, decision, extras);
      return;
    }
    case Audience::Declarant: {
      DeclarantView view = declarantView(batch, row, decision);
      out += "{\"declaration\":";
      json::appendString(out, decision.declaration);
      out += ",\"corridor\":";
      json::appendString(out, name(view.corridor));
      out += ",\"measures\":";
      appendStrings(out, view.measures);
      out += ",\"reasons\":[";
      for (size_t i = 0; i < view.reasons.size(); ++i) {
        if (i > 0) out.push_back(',');
        out += "{\"kind\":";
        json::appendString(out, sema::name(view.reasons[i].kind));
        out += ",\"person\":";
        json::appendString(out, view.reasons[i].person);
        out += ",\"text\":";
        json::appendString(out, view.reasons[i].person + " " + describe(view.reasons[i].kind));
        out.push_back('}');
      }
      out += "]}";
      return;
    }
  }
}

std::string DecisionWriter::text(const runtime::Batch& batch, uint32_t row, const Decision& decision) {
  const Audience audience = format_.options_.audience;
  if (audience == Audience::Analyst)
    return renderText(decision, explain(batch, row, decision),
                      explainer_ ? explainer_->persons(batch, row) : std::vector<CategoryExplanation>{});
  std::string out = "declaration " + shown(decision.declaration) + ": ";
  if (audience == Audience::Declarant) {
    DeclarantView view = declarantView(batch, row, decision);
    out += fmt::format("corridor {}\n", name(view.corridor));
    for (const auto& m : view.measures) {
      auto it = format_.measures_.find(m);
      out += "  measure " + shown(m) + (it != format_.measures_.end() ? ": " + shown(it->second->title) : "") + "\n";
    }
    for (const auto& r : view.reasons) out += "  reason: the " + shown(r.person) + " " + describe(r.kind) + "\n";
    return out;
  }
  if (!decision.selected) return out + "not selected, corridor green\n";
  out += fmt::format("selected, level {}, corridor {}\n", name(*decision.level), name(decision.corridor));
  if (!decision.measures.empty()) out += "  measures: " + joined(decision.measures) + "\n";
  for (const auto& profile : decision.profiles) {
    out += fmt::format("  profile {} ({}, level {})", shown(profile.id), profileKind(profile), name(profile.level));
    if (!profile.items.empty()) {
      std::string items;
      for (uint32_t i : profile.items) items += (items.empty() ? "" : ", ") + std::to_string(i);
      out += (profile.items.size() == 1 ? ", goods item " : ", goods items ") + items;
    }
    out += "\n    measures: " + (profile.measures.empty() ? std::string("none") : joined(profile.measures)) + "\n";
    if (const std::string& said = instructions(profile.id); !said.empty()) out += "    instructions: " + shown(said) + "\n";
  }
  return out;
}

}  // namespace tauekel::engine
