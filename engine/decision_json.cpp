#include "engine/decision_json.h"

#include <charconv>

#include "support/decimal.h"
#include "support/json.h"

namespace tauekel::engine {

namespace {
void appendNumber(std::string& out, uint64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

void appendStrings(std::string& out, const std::vector<std::string>& texts) {
  out.push_back('[');
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out.push_back(',');
    json::appendString(out, texts[i]);
  }
  out.push_back(']');
}

void appendJson(std::string& out, const Reason& reason) {
  out.push_back('{');
  json::appendString(out, name(reason.kind));
  out.push_back(':');
  if (reason.kind == Reason::Kind::Item) appendNumber(out, reason.item);
  else json::appendString(out, reason.text);
  if (!reason.facts.empty() || reason.kind == Reason::Kind::Condition) {
    out += ",\"values\":{";
    for (size_t i = 0; i < reason.facts.size(); ++i) {
      if (i > 0) out.push_back(',');
      json::appendString(out, reason.facts[i].name);
      out.push_back(':');  // a list's entry: "holds 6403", "does not hold CN"

      const Fact& fact = reason.facts[i];
      json::appendString(out, fact.relation == "=" ? fact.value : fact.relation + " " + fact.value);
    }
    out.push_back('}');
  }
  if (reason.kind != Reason::Kind::Condition) {
    out += ",\"because\":[";
    for (size_t i = 0; i < reason.because.size(); ++i) {
      if (i > 0) out.push_back(',');
      appendJson(out, reason.because[i]);
    }
    out.push_back(']');
  }
  out.push_back('}');
}

void appendJson(std::string& out, const Decision& decision) { appendJson(out, decision, DecisionExtras{}); }

void appendJson(std::string& out, const CategoryExplanation& c) {
  out.push_back('{');
  if (!c.role.empty()) {
    out += "\"role\":";
    json::appendString(out, c.role);
    out.push_back(',');
  }
  out += "\"person\":";
  json::appendString(out, c.person);
  out += ",\"registered\":";
  out += c.registered ? "true" : "false";
  out += ",\"category\":";
  json::appendString(out, sema::name(c.category));
  out += ",\"rule\":";
  appendNumber(out, c.rule);
  out += ",\"rule_text\":";
  json::appendString(out, c.rule_text);
  out += ",\"because\":[";
  for (size_t i = 0; i < c.reasons.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendJson(out, c.reasons[i]);
  }
  out += "]}";
}

void appendScores(std::string& out, const std::vector<RiskScore>& scores) {
  if (scores.empty()) return;
  out += ",\"scores\":{";
  for (size_t s = 0; s < scores.size(); ++s) {
    const RiskScore& score = scores[s];
    if (s > 0) out.push_back(',');
    json::appendString(out, score.name);
    out += ":{\"points\":";
    out += decimal::format(score.points);
    out += ",\"parts\":[";
    for (size_t p = 0; p < score.parts.size(); ++p) {
      if (p > 0) out.push_back(',');
      out += "{\"term\":";
      json::appendString(out, score.parts[p].term);
      out += ",\"points\":";
      out += decimal::format(score.parts[p].points);
      out.push_back('}');
    }
    out += "]}";
  }
  out.push_back('}');
}

void appendJson(std::string& out, const Decision& decision, const DecisionExtras& extras) {
  out += "{\"declaration\":";
  json::appendString(out, decision.declaration);
  out += ",\"selected\":";
  out += decision.selected ? "true" : "false";
  out += ",\"level\":";
  if (decision.level)
    json::appendString(out, name(*decision.level));
  else
    out += "null";
  out += ",\"corridor\":";
  json::appendString(out, name(decision.corridor));
  out += ",\"measures\":";
  appendStrings(out, decision.measures);
  out += ",\"profiles\":[";
  for (size_t p = 0; p < decision.profiles.size(); ++p) {
    const ProfileSelection& profile = decision.profiles[p];
    if (p > 0) out.push_back(',');
    out += "{\"id\":";
    json::appendString(out, profile.id);
    out += ",\"area\":";
    json::appendString(out, profile.area);
    out += ",\"level\":";
    json::appendString(out, name(profile.level));
    out += ",\"items\":[";
    for (size_t i = 0; i < profile.items.size(); ++i) {
      if (i > 0) out.push_back(',');
      appendNumber(out, profile.items[i]);
    }
    out += "],\"measures\":";
    appendStrings(out, profile.measures);
    if (profile.random) out += ",\"random\":true";
    if (extras.instructions) {
      out += ",\"instructions\":";
      json::appendString(out, extras.instructions(profile.id));
    }
    if (extras.explanations && p < extras.explanations->size()) {
      out += ",\"explanation\":[";
      const auto& reasons = (*extras.explanations)[p].reasons;
      for (size_t r = 0; r < reasons.size(); ++r) {
        if (r > 0) out.push_back(',');
        appendJson(out, reasons[r]);
      }
      out.push_back(']');
    }
    out.push_back('}');
  }
  out.push_back(']');
  if (extras.scores) appendScores(out, decision.scores);
  if (extras.persons && !extras.persons->empty()) {
    out += ",\"persons\":[";
    for (size_t i = 0; i < extras.persons->size(); ++i) {
      if (i > 0) out.push_back(',');
      appendJson(out, (*extras.persons)[i]);
    }
    out.push_back(']');
  }
  out.push_back('}');
}

}  // namespace tauekel::engine
