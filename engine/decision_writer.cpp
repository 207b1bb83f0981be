#include "engine/decision_writer.h"

#include <algorithm>

#include "engine/sampling.h"
#include "support/json.h"

namespace tauekel::engine {

using runtime::Selections;

void DecisionWriter::write(const runtime::Batch& batch, const Selections& selections) {
  const auto& key_column = batch.decl_columns[static_cast<size_t>(program_.source->declaration.key_field)];
  size_t hit = 0;
  std::vector<const sema::Measure*> applied;  // per profile
  std::vector<const sema::Measure*> merged;   // per declaration
  for (uint32_t d = 0; d < batch.decl_count; ++d) {
    std::string_view key = batch.strings.view(static_cast<int32_t>(key_column.get(d)));
    int level = -1;
    int corridor = 0;
    merged.clear();
    std::string& profiles_json = profiles_buffer_;
    profiles_json.clear();
    json::Writer pw(profiles_json);
    pw.beginArray();
    for (; hit < selections.hits.size() && selections.hits[hit].decl == d; ++hit) {
      const auto& h = selections.hits[hit];
      const ir::ProfilePlan& plan = program_.profiles[h.profile];
      const sema::Profile& profile = *plan.profile;
      level = std::max(level, static_cast<int>(profile.level));
      applied.clear();
      for (size_t m = 0; m < plan.measures.size(); ++m) {
        const auto& rule = plan.measures[m];
        bool holds = selections.measure_flags[h.flags_begin + m] != 0;
        bool applies;
        if (rule.condition == ir::kNoNode)
          applies = !rule.sample || inSample(*rule.sample, profile.id, rule.measure->name, key);
        else
          applies = holds || (rule.sample && inSample(*rule.sample, profile.id, rule.measure->name, key));
        if (applies) applied.push_back(rule.measure);
      }
      pw.beginObject();
      pw.key("id").value(profile.id);
      pw.key("area").value(profile.area->name);
      pw.key("level").value(sema::name(profile.level));
      pw.key("items").beginArray();
      for (uint32_t i = h.items_begin; i < h.items_end; ++i)
        pw.value(static_cast<int64_t>(selections.items[i] - batch.item_begin[d] + 1));
      pw.endArray();
      pw.key("measures").beginArray();
      for (const auto* m : applied) {
        pw.value(m->name);
        corridor = std::max(corridor, static_cast<int>(m->corridor));
        if (std::find(merged.begin(), merged.end(), m) == merged.end()) merged.push_back(m);
      }
      pw.endArray();
      pw.endObject();
    }
    pw.endArray();
    // Strongest first; ties by code, so the order never depends on the profiles' order.
    std::sort(merged.begin(), merged.end(), [](const sema::Measure* a, const sema::Measure* b) {
      return a->strength != b->strength ? a->strength > b->strength : a->name < b->name;
    });
    bool selected = level >= 0;
    json::Writer w(buffer_);
    w.beginObject();
    w.key("declaration").value(key);
    w.key("selected").value(selected);
    w.key("level");
    if (selected) w.value(sema::name(static_cast<sema::RiskLevel>(level)));
    else w.null();
    w.key("corridor").value(sema::name(static_cast<sema::Corridor>(corridor)));
    w.key("measures").beginArray();
    for (const auto* m : merged) w.value(m->name);
    w.endArray();
    w.key("profiles").raw(profiles_json);
    w.endObject();
    buffer_.push_back('\n');
    ++counts_.declarations;
    counts_.selected += selected;
    ++counts_.corridor[corridor];
  }
  std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  buffer_.clear();
}

}  // namespace tauekel::engine
