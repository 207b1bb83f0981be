#include <fmt/format.h>

#include "effectiveness/report_output.h"
#include "support/date.h"

namespace tauekel::effectiveness {

namespace {

std::string percent(std::optional<double> v) { return v ? fmt::format("{:.1f}%", *v * 100) : std::string("-"); }
std::string times(std::optional<double> v) { return v ? fmt::format("{:.2f}", *v) : std::string("-"); }

std::string period(const BacktestReport& r) {
  if (!r.from && !r.to) return "all dates";
  return fmt::format("{} to {}", r.from ? date::format(*r.from) : std::string("the first"),
                     r.to ? date::format(*r.to) : std::string("the last"));
}

void row(std::string& out, const std::string& label, const Tally& t, const Metrics& m) {
  std::optional<double> lift;
  if (t.hitRate() && m.base_rate && *m.base_rate > 0) lift = *t.hitRate() / *m.base_rate;
  std::optional<double> recall;
  if (m.all.violations) recall = static_cast<double>(t.violations) / static_cast<double>(m.all.violations);
  out += fmt::format("  {:<22} {:>10} {:>10} {:>10} {:>8} {:>6} {:>7} {:>14}\n", label, t.declarations, t.controlled,
                     t.violations, percent(t.hitRate()), times(lift), percent(recall),
                     m.revenue_known ? money(t.revenue) : std::string("-"));
}

void header(std::string& out, const std::string& first, const char* count = "selected") {
  out += fmt::format("  {:<22} {:>10} {:>10} {:>10} {:>8} {:>6} {:>7} {:>14}\n", first, count, "controlled",
                     "violations", "hit rate", "lift", "recall", "revenue");
}

void figures(std::string& out, const Metrics& m, size_t max_values) {
  out += fmt::format("Selected by any profile: {} of {} declarations ({}); {} controlled, {} with a violation: hit rate "
                     "{} (lift {} over the base rate), {} of all violations found{}\n",
                     m.selected.declarations, m.all.declarations,
                     percent(m.all.declarations ? std::optional<double>(static_cast<double>(m.selected.declarations) /
                                                                        m.all.declarations)
                                                : std::nullopt),
                     m.selected.controlled, m.selected.violations, percent(m.selected.hitRate()),
                     times(m.selected_lift), percent(m.selected_recall),
                     m.revenue_known ? ", revenue " + money(m.selected.revenue) : std::string());
  out += "\nBy profile:\n";
  header(out, "profile");
  for (const auto& p : m.profiles) row(out, p.profile.id, p.tally, m);
  std::string stale;
  for (const auto& p : m.profiles)
    if (p.stale)
      stale += fmt::format("  {}: {} controlled selections since {}\n", p.profile.id, p.since_last_hit,
                           p.last_hit ? "its last violation found, on " + date::format(*p.last_hit)
                                      : std::string("it started, none with a violation"));
  if (!stale.empty()) out += "\nProfiles to revise (no violation found in their recent controlled selections):\n" + stale;
  if (!m.overlaps.empty()) {
    out += "\nProfiles that select nearly the same declarations:\n";
    for (const auto& o : m.overlaps)
      out += fmt::format("  {} and {}: {} in common of {} and {} ({:.0f}% alike)\n", o.first, o.second, o.both,
                         o.first_count, o.second_count, o.jaccard * 100);
  }
  out += "\nBy risk area:\n";
  header(out, "area");
  for (const auto& a : m.areas) row(out, a.value, a.selected, m);
  if (!m.indicators.empty()) {
    out += "\nBy indicator (the declarations it holds for, selected or not):\n";
    header(out, "indicator", "holds");
    for (const auto& s : m.indicators) row(out, s.value, s.all, m);
  }
  out += "\nBy month (declarations selected; in brackets all declarations of the month):\n";
  header(out, "month");
  for (const auto& s : m.months)
    row(out, fmt::format("{} ({})", s.value, s.all.declarations), s.selected, m);
  for (const auto& [dimension, values] : m.by) {
    out += fmt::format("\nBy {} (the {} with most declarations; in brackets all declarations):\n", dimension,
                       std::min(values.size(), max_values));
    header(out, dimension);
    for (size_t v = 0; v < values.size() && v < max_values; ++v)
      row(out, fmt::format("{} ({})", values[v].value, values[v].all.declarations), values[v].selected, m);
  }
  uint64_t total = m.all.declarations;
  out += "\nCorridors:";
  for (size_t c = 0; c < m.corridors.size(); ++c)
    out += fmt::format(" {} {} ({})", name(static_cast<Corridor>(c)), m.corridors[c],
                       percent(total ? std::optional<double>(static_cast<double>(m.corridors[c]) / total)
                                     : std::nullopt));
  out += "\n";
  std::string against;
  for (size_t c = 0; c < m.corridors.size(); ++c) {
    if (!m.corridor_targets[c] || total == 0) continue;
    double share = static_cast<double>(m.corridors[c]) / static_cast<double>(total);
    double target = static_cast<double>(*m.corridor_targets[c]) / 1e6;
    double points = (share - target) * 100;
    against += fmt::format("{} {} {} (target {}: {})", against.empty() ? "" : ",", name(static_cast<Corridor>(c)),
                           percent(share), percent(target),
                           std::abs(points) < 0.05 ? std::string("on target")
                                                   : fmt::format("{:.1f} points {}", std::abs(points),
                                                                 points > 0 ? "over" : "under"));
  }
  if (!against.empty()) out += "Against the targets:" + against + "\n";
  out += fmt::format("\nInspecting the riskiest declarations first ({}), against random selection:\n", m.ranking);
  out += fmt::format("  {:>6} {:>10} {:>10} {:>10} {:>8} {:>14} {:>10}\n", "share", "inspected", "violations",
                     "precision", "recall", "revenue", "random");
  for (const auto& a : m.at_rates)
    out += fmt::format("  {:>5.0f}% {:>10} {:>10} {:>10} {:>8} {:>14} {:>10}\n", a.share * 100, a.inspected,
                       a.found.violations, percent(a.precision), percent(a.recall),
                       m.revenue_known ? money(a.found.revenue) : std::string("-"),
                       percent(m.base_rate));
}

}  // namespace

std::string backtestText(const BacktestReport& r) {
  std::string out;
  out += fmt::format("Backtest of {} on {}, {}\n", r.profiles, r.declarations, period(r));
  out += fmt::format("Declarations: {} rows read, {} rejected, {} screened, {} outside the period{}\n",
                     r.loaded.rows_read, r.loaded.rows_rejected, r.metrics.all.declarations, r.outside_period,
                     r.among.empty() ? std::string()
                                     : fmt::format(", {} for which {} does not hold", r.not_among, r.among));
  const ResultCounts& c = r.results;
  out += fmt::format("Control results ({}): {} rows: {} counted, {} unreadable, {} repeated, {} disagreeing, {} for a "
                     "goods item the declaration lacks, {} for no declaration screened, {} set aside (outside the "
                     "period{})\n",
                     r.results_file, c.rows_read, c.matched, c.rows_rejected, c.duplicates, c.contradictory,
                     c.no_such_item, c.unmatched, c.outside_period, r.among.empty() ? "" : " or not among");
  out += fmt::format("Controlled: {} declarations, {} with a violation (base rate {})\n\n", r.metrics.all.controlled,
                     r.metrics.all.violations, percent(r.metrics.base_rate));
  if (!r.metrics.revenue_known) out += "Revenue: the results give no payments (no field `payments`), so none is shown\n\n";
  figures(out, r.metrics, 10);
  if (r.comparison) {
    const Comparison& cmp = *r.comparison;
    const Metrics& b = cmp.baseline;
    out += "\nAgainst the baseline:\n";
    out += fmt::format("  selected: {} now, {} before ({:+}); hit rate {} now, {} before; revenue {} now, {} before\n",
                       r.metrics.selected.declarations, b.selected.declarations,
                       static_cast<int64_t>(r.metrics.selected.declarations) -
                           static_cast<int64_t>(b.selected.declarations),
                       percent(r.metrics.selected.hitRate()), percent(b.selected.hitRate()),
                       money(r.metrics.selected.revenue), money(b.selected.revenue));
    out += fmt::format("  newly selected: {} declarations, {} controlled, {} with a violation\n",
                       cmp.newly_selected.declarations, cmp.newly_selected.controlled, cmp.newly_selected.violations);
    out += fmt::format("  no longer selected: {} declarations, {} controlled, {} with a violation\n",
                       cmp.dropped.declarations, cmp.dropped.controlled, cmp.dropped.violations);
    out += "\n  per profile, now and before:\n";
    header(out, "profile");
    for (const auto& p : r.metrics.profiles) {
      row(out, p.profile.id + " now", p.tally, r.metrics);
      for (const auto& q : b.profiles)
        if (q.profile.id == p.profile.id) row(out, p.profile.id + " before", q.tally, b);
    }
    for (const auto& id : cmp.only_now) out += fmt::format("  {}: only in the new profile set\n", id);
    for (const auto& id : cmp.only_before) out += fmt::format("  {}: only in the baseline\n", id);
  }
  return out;
}

}  // namespace tauekel::effectiveness
