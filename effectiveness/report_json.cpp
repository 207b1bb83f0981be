#include <fmt/format.h>

#include "effectiveness/report_output.h"
#include "support/date.h"
#include "support/json.h"

namespace tauekel::effectiveness {

namespace {

// Ratios with six digits: enough to recompute and compare, and the same bytes each run.
void number(json::Writer& w, std::optional<double> v) {
  if (!v) {
    w.null();
    return;
  }
  w.raw(fmt::format("{:.6f}", *v));
}

void tally(json::Writer& w, const Tally& t, const Metrics& m) {
  const std::optional<double> base_rate = m.base_rate;
  const uint64_t all_violations = m.all.violations;
  w.beginObject();
  w.key("declarations").value(t.declarations);
  w.key("controlled").value(t.controlled);
  w.key("violations").value(t.violations);
  w.key("hit_rate");
  number(w, t.hitRate());
  w.key("lift");
  number(w, t.hitRate() && base_rate && *base_rate > 0 ? std::optional<double>(*t.hitRate() / *base_rate)
                                                       : std::nullopt);
  w.key("recall");
  number(w, all_violations ? std::optional<double>(static_cast<double>(t.violations) / all_violations) : std::nullopt);
  w.key("revenue");
  if (m.revenue_known) w.raw(money(t.revenue));
  else w.null();
  w.key("revenue_per_control");
  if (t.controlled && m.revenue_known) w.raw(money(t.revenue / static_cast<int64_t>(t.controlled)));
  else w.null();
  w.endObject();
}

void splits(json::Writer& w, const std::vector<Split>& list, const Metrics& m) {
  w.beginArray();
  for (const auto& s : list) {
    w.beginObject();
    w.key("value").value(s.value);
    w.key("all");
    tally(w, s.all, m);
    w.key("selected");
    tally(w, s.selected, m);
    w.endObject();
  }
  w.endArray();
}

void metrics(json::Writer& w, const Metrics& m) {
  w.beginObject();
  w.key("all");
  tally(w, m.all, m);
  w.key("selected");
  tally(w, m.selected, m);
  w.key("base_rate");
  number(w, m.base_rate);
  w.key("profiles").beginArray();
  for (const auto& p : m.profiles) {
    w.beginObject();
    w.key("id").value(p.profile.id);
    w.key("area").value(p.profile.area);
    w.key("level").value(name(p.profile.level));
    w.key("figures");
    tally(w, p.tally, m);
    w.key("last_hit");
    if (p.last_hit) w.value(date::format(*p.last_hit));
    else w.null();
    w.key("controlled_since_last_hit").value(p.since_last_hit);
    w.key("needs_revision").value(p.stale);
    w.endObject();
  }
  w.endArray();
  w.key("areas");
  splits(w, m.areas, m);
  w.key("indicators");
  splits(w, m.indicators, m);
  w.key("months");
  splits(w, m.months, m);
  w.key("by").beginObject();
  for (const auto& [dimension, values] : m.by) {
    w.key(dimension);
    splits(w, values, m);
  }
  w.endObject();
  w.key("overlaps").beginArray();
  for (const auto& o : m.overlaps) {
    w.beginObject();
    w.key("profiles").beginArray().value(o.first).value(o.second).endArray();
    w.key("selected").beginArray().value(o.first_count).value(o.second_count).endArray();
    w.key("both").value(o.both);
    w.key("jaccard");
    number(w, o.jaccard);
    w.endObject();
  }
  w.endArray();
  w.key("corridors").beginObject();
  for (size_t c = 0; c < m.corridors.size(); ++c) w.key(name(static_cast<Corridor>(c))).value(m.corridors[c]);
  w.endObject();
  // Each corridor's share of the declarations, beside the repository's target.
  w.key("corridor_shares").beginObject();
  for (size_t c = 0; c < m.corridors.size(); ++c) {
    w.key(name(static_cast<Corridor>(c))).beginObject().key("share");
    number(w, m.all.declarations ? std::optional<double>(static_cast<double>(m.corridors[c]) / m.all.declarations)
                                 : std::nullopt);
    w.key("target");
    number(w, m.corridor_targets[c] ? std::optional<double>(*m.corridor_targets[c] / 1e6) : std::nullopt);
    w.endObject();
  }
  w.endObject();
  w.key("ranking").value(m.ranking);
  w.key("at_rates").beginArray();
  for (const auto& a : m.at_rates) {
    w.beginObject();
    w.key("share");
    number(w, a.share);
    w.key("inspected").value(a.inspected);
    w.key("controlled").value(a.found.controlled);
    w.key("violations").value(a.found.violations);
    w.key("precision");
    number(w, a.precision);
    w.key("recall");
    number(w, a.recall);
    w.key("revenue");
    if (m.revenue_known) w.raw(money(a.found.revenue));
    else w.null();
    w.key("random_precision");
    number(w, m.base_rate);
    w.key("random_recall");
    number(w, a.share);
    w.endObject();
  }
  w.endArray();
  w.endObject();
}

}  // namespace

std::string money(int64_t scaled) {
  // Rounded half away from zero to cents.
  int64_t cents = (scaled + (scaled >= 0 ? 5000 : -5000)) / 10000;
  return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", std::abs(cents) / 100, std::abs(cents) % 100);
}

std::string backtestJson(const BacktestReport& r) {
  std::string out;
  json::Writer w(out);
  w.beginObject();
  w.key("profiles").value(r.profiles);
  w.key("version").value(r.version);
  w.key("declarations_file").value(r.declarations);
  w.key("results_file").value(r.results_file);
  w.key("period").beginObject();
  w.key("from");
  if (r.from) w.value(date::format(*r.from));
  else w.null();
  w.key("to");
  if (r.to) w.value(date::format(*r.to));
  else w.null();
  w.endObject();
  w.key("declarations").beginObject();
  w.key("rows_read").value(r.loaded.rows_read);
  w.key("rows_rejected").value(r.loaded.rows_rejected);
  w.key("screened").value(r.metrics.all.declarations);
  w.key("outside_period").value(r.outside_period);
  w.key("among");
  if (r.among.empty()) w.null();
  else w.value(r.among);
  w.key("not_among").value(r.not_among);
  w.endObject();
  const ResultCounts& c = r.results;
  w.key("results").beginObject();
  w.key("rows_read").value(c.rows_read);
  w.key("rejected").value(c.rows_rejected);
  w.key("duplicates").value(c.duplicates);
  w.key("contradictory").value(c.contradictory);
  w.key("no_such_item").value(c.no_such_item);
  w.key("unmatched").value(c.unmatched);
  w.key("outside_period").value(c.outside_period);
  w.key("matched").value(c.matched);
  w.key("declarations_controlled").value(c.declarations);
  w.endObject();
  w.key("metrics");
  metrics(w, r.metrics);
  if (r.comparison) {
    const Comparison& cmp = *r.comparison;
    w.key("baseline").beginObject();
    w.key("version").value(r.baseline_version);
    w.key("metrics");
    metrics(w, cmp.baseline);
    w.key("newly_selected");
    tally(w, cmp.newly_selected, r.metrics);
    w.key("dropped");
    tally(w, cmp.dropped, r.metrics);
    w.key("profiles_only_now").beginArray();
    for (const auto& id : cmp.only_now) w.value(id);
    w.endArray();
    w.key("profiles_only_in_baseline").beginArray();
    for (const auto& id : cmp.only_before) w.value(id);
    w.endArray();
    w.endObject();
  }
  w.endObject();
  out.push_back('\n');
  return out;
}

}  // namespace tauekel::effectiveness
