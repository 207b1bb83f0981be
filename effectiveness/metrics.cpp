#include "effectiveness/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "support/date.h"

namespace tauekel::effectiveness {

namespace {

std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b == 0) return std::nullopt;
  return *a / *b;
}

std::optional<double> share(uint64_t part, uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::string monthOf(int32_t days) { return date::format(days).substr(0, 7); }

// Riskiest first: by score, or the strongest level, then the most profiles selecting;
// ties keep input order.
std::vector<size_t> ranked(const std::vector<ScreenedDeclaration>& declarations, bool by_score) {
  std::vector<size_t> order(declarations.size());
  std::iota(order.begin(), order.end(), 0);
  if (by_score) {
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return declarations[a].score > declarations[b].score; });
    return order;
  }
  auto rank = [&](const ScreenedDeclaration& d) {
    return d.selected ? (static_cast<int>(d.level) + 1) * 100000 + static_cast<int>(d.profiles.size()) : 0;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rank(declarations[a]) > rank(declarations[b]); });
  return order;
}

}  // namespace

Metrics computeMetrics(const Screening& screening, const MetricsOptions& options) {
  Metrics m;
  m.revenue_known = options.revenue_known;
  const auto& declarations = screening.declarations;
  const size_t profile_count = screening.profiles.size();
  m.profiles.resize(profile_count);
  for (size_t p = 0; p < profile_count; ++p) m.profiles[p].profile = screening.profiles[p];

  std::map<std::string, Split> areas, months;
  std::vector<std::vector<Split>> by(screening.dimensions.size());
  for (size_t k = 0; k < by.size(); ++k) {
    by[k].resize(screening.dimension_values[k].size());
    for (size_t v = 0; v < by[k].size(); ++v) by[k][v].value = screening.dimension_values[k][v];
  }
  // Overlaps: for each pair of profiles, the declarations both selected.
  std::vector<uint64_t> both(profile_count * profile_count, 0);
  std::vector<uint64_t> selections(profile_count, 0);
  // Profiles in date order for "since the last hit": declarations are visited by date.
  std::vector<size_t> by_date(declarations.size());
  std::iota(by_date.begin(), by_date.end(), 0);
  std::stable_sort(by_date.begin(), by_date.end(),
                   [&](size_t a, size_t b) { return declarations[a].date < declarations[b].date; });

  m.indicators.resize(screening.indicators.size());
  for (size_t k = 0; k < screening.indicators.size(); ++k) m.indicators[k].value = screening.indicators[k].id;
  for (size_t i : by_date) {
    const ScreenedDeclaration& d = declarations[i];
    const int64_t payments = d.controlled ? d.payments : 0;
    m.all.add(d.controlled, d.violation, payments);
    for (uint16_t k : d.indicators) {
      m.indicators[k].all.add(d.controlled, d.violation, payments);
      if (d.selected) m.indicators[k].selected.add(d.controlled, d.violation, payments);
    }
    Split& month = months[monthOf(d.date)];
    month.all.add(d.controlled, d.violation, payments);
    for (size_t k = 0; k < by.size(); ++k) by[k][d.values[k]].all.add(d.controlled, d.violation, payments);
    ++m.corridors[static_cast<size_t>(d.corridor)];
    if (!d.selected) continue;
    m.selected.add(d.controlled, d.violation, payments);
    month.selected.add(d.controlled, d.violation, payments);
    for (size_t k = 0; k < by.size(); ++k) by[k][d.values[k]].selected.add(d.controlled, d.violation, payments);
    std::vector<std::string> seen_areas;
    for (size_t a = 0; a < d.profiles.size(); ++a) {
      uint16_t p = d.profiles[a];
      ProfileFigures& f = m.profiles[p];
      f.tally.add(d.controlled, d.violation, payments);
      if (d.controlled) {
        if (d.violation) {
          f.last_hit = d.date;
          f.since_last_hit = 0;
        } else {
          ++f.since_last_hit;
        }
      }
      ++selections[p];
      for (size_t b = a + 1; b < d.profiles.size(); ++b) {
        uint16_t q = d.profiles[b];
        ++both[std::min(p, q) * profile_count + std::max(p, q)];
      }
      const std::string& area = screening.profiles[p].area;
      if (std::find(seen_areas.begin(), seen_areas.end(), area) != seen_areas.end()) continue;
      seen_areas.push_back(area);
      Split& split = areas[area];
      split.value = area;
      split.selected.add(d.controlled, d.violation, payments);
    }
  }

  m.base_rate = m.all.hitRate();
  m.selected_lift = ratio(m.selected.hitRate(), m.base_rate);
  m.selected_recall = share(m.selected.violations, m.all.violations);
  for (auto& f : m.profiles) {
    f.lift = ratio(f.tally.hitRate(), m.base_rate);
    f.recall = share(f.tally.violations, m.all.violations);
    f.stale = f.since_last_hit >= options.stale_after;
  }
  for (auto& [name, split] : areas) {
    split.all = m.all;
    m.areas.push_back(split);
  }
  for (auto& [name, split] : months) {
    split.value = name;
    m.months.push_back(split);
  }
  for (size_t k = 0; k < by.size(); ++k) {
    std::vector<Split> values = by[k];
    std::stable_sort(values.begin(), values.end(),
                     [](const Split& a, const Split& b) { return a.all.declarations > b.all.declarations; });
    m.by.emplace_back(screening.dimensions[k], std::move(values));
  }
  for (size_t p = 0; p < profile_count; ++p)
    for (size_t q = p + 1; q < profile_count; ++q) {
      uint64_t n = both[p * profile_count + q];
      if (n == 0) continue;
      double jaccard = static_cast<double>(n) / static_cast<double>(selections[p] + selections[q] - n);
      if (jaccard < options.overlap_at) continue;
      m.overlaps.push_back({screening.profiles[p].id, screening.profiles[q].id, selections[p], selections[q], n, jaccard});
    }
  std::stable_sort(m.overlaps.begin(), m.overlaps.end(),
                   [](const Overlap& a, const Overlap& b) { return a.jaccard > b.jaccard; });

  const bool by_score = !options.rank_by.empty();
  m.ranking = by_score ? "the risk score " + options.rank_by
                       : "the strongest level of the profiles selecting, then how many select";
  std::vector<size_t> order = ranked(declarations, by_score);
  for (double rate : {0.01, 0.02, 0.05, 0.10}) {
    AtRate at;
    at.share = rate;
    at.inspected = static_cast<uint64_t>(std::ceil(rate * static_cast<double>(declarations.size())));
    for (size_t r = 0; r < at.inspected; ++r) {
      const ScreenedDeclaration& d = declarations[order[r]];
      at.found.add(d.controlled, d.violation, d.controlled ? d.payments : 0);
    }
    at.precision = at.found.hitRate();
    at.recall = share(at.found.violations, m.all.violations);
    m.at_rates.push_back(at);
  }
  return m;
}

}  // namespace tauekel::effectiveness
