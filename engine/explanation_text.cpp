#include "engine/explanation_text.h"

#include <fmt/format.h>

#include "support/decimal.h"
#include "support/text.h"
#include "support/utf8.h"

namespace tauekel::engine {

std::string shown(std::string_view text) { return utf8::sanitize(text, /*controls=*/true); }

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + shown(w);
  return out;
}

namespace {

std::string facts(const Reason& reason) {
  std::string out;
  for (const auto& f : reason.facts)
    out += (out.empty() ? "" : ", ") + shown(f.name) + " " + f.relation + " " + shown(f.value);
  return out;
}

void put(std::string& out, const Reason& reason, size_t indent);

}  // namespace

std::string profileKind(const ProfileSelection& profile) {
  if (profile.random) return "random selection";
  return profile.area.empty() ? std::string("no area") : "area " + shown(profile.area);
}

namespace {

void put(std::string& out, const Reason& reason, size_t indent) {
  std::string pad(indent, ' ');
  switch (reason.kind) {
    case Reason::Kind::Condition:
      out += pad + shown(reason.text) + "\n";
      if (!reason.facts.empty()) out += pad + "  " + facts(reason) + "\n";
      return;
    case Reason::Kind::Indicator:
      out += pad + "indicator " + shown(reason.text) + (reason.facts.empty() ? "" : ", " + facts(reason)) + ":\n";
      break;
    case Reason::Kind::Items: out += pad + shown(reason.text) + "\n"; break;
    case Reason::Kind::Item: out += pad + fmt::format("item {}:\n", reason.item); break;
  }
  for (const auto& r : reason.because) put(out, r, indent + 2);
}

}  // namespace

std::string renderText(const CategoryExplanation& c, size_t indent) {
  std::string pad(indent, ' ');
  std::string who = c.role.empty() ? "person" : shown(c.role);
  std::string out = pad + who + (c.registered ? " " + text::quoted(c.person) : std::string(" (not in the register)")) +
                    fmt::format(": category {}", sema::name(c.category));
  if (c.rule > 0) out += fmt::format(", by rule {}: {}", c.rule, shown(c.rule_text));
  out += "\n";
  for (const auto& r : c.reasons) put(out, r, indent + 2);
  return out;
}

namespace {
// "  score risk: 3.5 points: 2 for `cheap(declaration)`, 1.5 for `...`"
std::string scoreLines(const Decision& decision) {
  std::string out;
  for (const auto& score : decision.scores) {
    out += fmt::format("  score {}: {} point{}", shown(score.name), decimal::format(score.points),
                       score.points == 1'000'000 ? "" : "s");
    for (size_t p = 0; p < score.parts.size(); ++p)
      out += fmt::format("{}{} from {}", p == 0 ? ": " : ", ", decimal::format(score.parts[p].points),
                         shown(score.parts[p].term));
    out += "\n";
  }
  return out;
}
}  // namespace

std::string renderText(const Decision& decision, const std::vector<ProfileExplanation>& explanations,
                       const std::vector<CategoryExplanation>& persons) {
  std::string out = "declaration " + shown(decision.declaration) + ": ";
  if (!decision.selected) return out + "not selected, corridor green\n" + scoreLines(decision);
  out += fmt::format("selected, level {}, corridor {}\n", name(*decision.level), name(decision.corridor));
  if (!decision.measures.empty()) out += "  measures: " + joined(decision.measures) + "\n";
  out += scoreLines(decision);
  for (size_t p = 0; p < decision.profiles.size(); ++p) {
    const ProfileSelection& profile = decision.profiles[p];
    out += fmt::format("  profile {} ({}, level {})", shown(profile.id), profileKind(profile), name(profile.level));
    if (!profile.items.empty()) {
      std::string items;
      for (uint32_t i : profile.items) items += (items.empty() ? "" : ", ") + std::to_string(i);
      out += (profile.items.size() == 1 ? ", goods item " : ", goods items ") + items;
    }
    out += "\n";
    out += "    measures: " + (profile.measures.empty() ? std::string("none") : joined(profile.measures)) + "\n";
    if (p < explanations.size())
      for (const auto& r : explanations[p].reasons) put(out, r, 4);
  }
  if (!persons.empty()) out += "  persons:\n";
  for (const auto& c : persons) out += renderText(c, 4);
  return out;
}

}  // namespace tauekel::engine
