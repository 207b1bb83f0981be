#include "engine/decision_writer.h"

#include <algorithm>
#include <charconv>

#include "engine/sampling.h"
#include "support/json.h"

namespace tauekel::engine {

using runtime::Selections;

namespace {
std::string encoded(std::string_view text) {
  std::string out;
  json::appendString(out, text);
  return out;
}

void appendNumber(std::string& out, uint64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}
}  // namespace

DecisionWriter::DecisionWriter(const ir::Program& program) : program_(program), texts_(program.profiles.size()) {}

const DecisionWriter::ProfileText& DecisionWriter::profileText(uint32_t p) {
  ProfileText& text = texts_[p];
  if (!text.head.empty()) return text;
  const ir::ProfilePlan& plan = program_.profiles[p];
  const sema::Profile& profile = *plan.profile;
  text.head = "{\"id\":" + encoded(profile.id) + ",\"area\":" + encoded(profile.area->name) +
              ",\"level\":" + encoded(sema::name(profile.level)) + ",\"items\":[";
  for (const auto& rule : plan.measures) {
    text.measures.push_back(encoded(rule.measure->name));
    text.seeds.push_back(sampleSeed(profile.id, rule.measure->name));
  }
  return text;
}

// The same JSON as json::Writer would write, assembled from the pieces encoded once.
void DecisionWriter::write(const runtime::Batch& batch, const Selections& selections, std::string& out) {
  const auto& key_column = batch.decl_columns[static_cast<size_t>(program_.source->declaration.key_field)];
  size_t hit = 0;
  for (uint32_t d = 0; d < batch.decl_count; ++d) {
    std::string_view key = batch.strings.view(static_cast<int32_t>(key_column.get(d)));
    int level = -1;
    int corridor = 0;
    merged_.clear();
    std::string& profiles_json = profiles_buffer_;
    profiles_json.assign(1, '[');
    for (size_t first = hit; hit < selections.hits.size() && selections.hits[hit].decl == d; ++hit) {
      const auto& h = selections.hits[hit];
      const ir::ProfilePlan& plan = program_.profiles[h.profile];
      const ProfileText& text = profileText(h.profile);
      level = std::max(level, static_cast<int>(plan.profile->level));
      if (hit > first) profiles_json.push_back(',');
      profiles_json += text.head;
      for (uint32_t i = h.items_begin; i < h.items_end; ++i) {
        if (i > h.items_begin) profiles_json.push_back(',');
        appendNumber(profiles_json, selections.items[i] - batch.item_begin[d] + 1);
      }
      profiles_json += "],\"measures\":[";
      bool first_measure = true;
      for (size_t m = 0; m < plan.measures.size(); ++m) {
        const auto& rule = plan.measures[m];
        bool holds = selections.measure_flags[h.flags_begin + m] != 0;
        bool applies;
        if (rule.condition == ir::kNoNode)
          applies = !rule.sample || inSample(*rule.sample, text.seeds[m], key);
        else
          applies = holds || (rule.sample && inSample(*rule.sample, text.seeds[m], key));
        if (!applies) continue;
        if (!first_measure) profiles_json.push_back(',');
        first_measure = false;
        profiles_json += text.measures[m];
        corridor = std::max(corridor, static_cast<int>(rule.measure->corridor));
        if (std::find(merged_.begin(), merged_.end(), rule.measure) == merged_.end()) merged_.push_back(rule.measure);
      }
      profiles_json += "]}";
    }
    profiles_json.push_back(']');
    // Strongest first; ties by code, so the order never depends on the profiles' order.
    std::sort(merged_.begin(), merged_.end(), [](const sema::Measure* a, const sema::Measure* b) {
      return a->strength != b->strength ? a->strength > b->strength : a->name < b->name;
    });
    bool selected = level >= 0;
    out += "{\"declaration\":";
    json::appendString(out, key);
    out += selected ? ",\"selected\":true,\"level\":" : ",\"selected\":false,\"level\":null";
    if (selected) json::appendString(out, sema::name(static_cast<sema::RiskLevel>(level)));
    out += ",\"corridor\":";
    json::appendString(out, sema::name(static_cast<sema::Corridor>(corridor)));
    out += ",\"measures\":[";
    for (size_t m = 0; m < merged_.size(); ++m) {
      if (m > 0) out.push_back(',');
      json::appendString(out, merged_[m]->name);
    }
    out += "],\"profiles\":";
    out += profiles_json;
    out += "}\n";
    ++counts_.declarations;
    counts_.selected += selected;
    ++counts_.corridor[corridor];
  }
}

}  // namespace tauekel::engine
