#include "engine/decision_json.h"

#include <charconv>

#include "support/json.h"

namespace tauekel::engine {

namespace {
void appendNumber(std::string& out, uint64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void appendStrings(std::string& out, const std::vector<std::string>& texts) {
  out.push_back('[');
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out.push_back(',');
    json::appendString(out, texts[i]);
  }
  out.push_back(']');
}
}  // namespace

void appendJson(std::string& out, const Decision& decision) {
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
    out.push_back('}');
  }
  out += "]}";
}

}  // namespace tauekel::engine
