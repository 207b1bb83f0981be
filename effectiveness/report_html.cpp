// A backtest as one self-contained HTML page: inline SVG charts and the figures as
// tables, no script, no file or address it loads. Every text from the profiles or the
// data is escaped: a profile id may hold anything.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "effectiveness/report_output.h"
#include "support/date.h"

namespace tauekel::effectiveness {

namespace {

std::string esc(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// A label that fits the chart's margin (the whole of it in the bar's tooltip).
std::string fitted(const std::string& label, size_t most = 26) {
  if (label.size() <= most) return label;
  size_t cut = most - 1;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return label.substr(0, cut) + "\u2026";
}

std::string pct(std::optional<double> v) { return v ? fmt::format("{:.1f}%", *v * 100) : std::string("–"); }

const char* kSelected = "#4c78a8";
const char* kViolation = "#e45756";
const char* kReference = "#888888";
const char* kBefore = "#bab0ac";

// Horizontal bars, one row per label, up to two series side by side.
struct Bars {
  std::string title, caption;
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, std::vector<double>>> series;  // name, values (one per label)
  std::vector<const char*> colors;
  bool percent = false;            // values are shares (0..1)
  std::optional<double> reference;  // a vertical line (e.g. the base rate)
  std::string reference_name;
};

std::string svgBars(const Bars& b) {
  const int label_w = 170, bar_w = 420, row_h = 14 * static_cast<int>(std::max<size_t>(b.series.size(), 1)) + 8;
  const int height = 40 + row_h * static_cast<int>(b.labels.size()) + 24;
  double max = b.percent ? 0 : 1;
  for (const auto& [name, values] : b.series)
    for (double v : values) max = std::max(max, v);
  if (b.reference) max = std::max(max, *b.reference);
  if (max <= 0) max = 1;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n",
      label_w + bar_w + 90, height, esc(b.title));
  svg += fmt::format("<text x=\"0\" y=\"16\" class=\"t\">{}</text>\n", esc(b.title));
  // Legend.
  int lx = label_w;
  for (size_t s = 0; s < b.series.size(); ++s) {
    svg += fmt::format("<rect x=\"{}\" y=\"24\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"33\">{}</text>\n",
                       lx, b.colors[s], lx + 14, esc(b.series[s].first));
    lx += 30 + 7 * static_cast<int>(b.series[s].first.size());
  }
  if (b.reference)
    svg += fmt::format("<line x1=\"{0}\" y1=\"29\" x2=\"{1}\" y2=\"29\" stroke=\"{2}\" stroke-dasharray=\"4 2\"/>"
                       "<text x=\"{3}\" y=\"33\">{4}</text>\n",
                       lx, lx + 16, kReference, lx + 20, esc(b.reference_name));
  for (size_t i = 0; i < b.labels.size(); ++i) {
    int y = 40 + row_h * static_cast<int>(i);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}<title>{}</title></text>\n", label_w - 6,
                       y + row_h / 2 + 3, esc(fitted(b.labels[i])), esc(b.labels[i]));
    for (size_t s = 0; s < b.series.size(); ++s) {
      double v = b.series[s].second[i];
      int w = static_cast<int>(std::lround(bar_w * v / max));
      int by = y + 4 + 14 * static_cast<int>(s);
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"11\" fill=\"{}\"><title>{}: {}</title></rect>",
                         label_w, by, std::max(w, 0), b.colors[s], esc(b.series[s].first),
                         b.percent ? pct(v) : fmt::format("{}", static_cast<uint64_t>(v)));
      svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", label_w + std::max(w, 0) + 4, by + 10,
                         b.percent ? pct(v) : fmt::format("{}", static_cast<uint64_t>(v)));
    }
  }
  if (b.reference) {
    int x = label_w + static_cast<int>(std::lround(bar_w * *b.reference / max));
    svg += fmt::format("<line x1=\"{0}\" y1=\"40\" x2=\"{0}\" y2=\"{1}\" stroke=\"{2}\" stroke-dasharray=\"4 2\"/>\n", x,
                       height - 24, kReference);
  }
  svg += "</svg>\n";
  return "<figure>" + svg + (b.caption.empty() ? "" : "<figcaption>" + esc(b.caption) + "</figcaption>") + "</figure>\n";
}

// Points joined by lines over x labels: selections and violations per month.
std::string svgLines(const std::string& title, const std::vector<std::string>& xs,
                     const std::vector<std::pair<std::string, std::vector<double>>>& series,
                     const std::vector<const char*>& colors, bool percent, const std::string& y_name) {
  const int left = 60, width = 560, top = 40, plot_h = 200;
  double max = 0;
  for (const auto& [name, values] : series)
    for (double v : values) max = std::max(max, v);
  if (max <= 0) max = 1;
  if (!percent) max = std::max(4.0, std::ceil(max / 4) * 4);  // whole ticks
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n",
      left + width + 40, top + plot_h + 50, esc(title));
  svg += fmt::format("<text x=\"0\" y=\"16\" class=\"t\">{}</text>\n", esc(title));
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\"/>", left, top, top + plot_h);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333\"/>\n", left, top + plot_h,
                     left + width);
  for (int tick = 0; tick <= 4; ++tick) {
    double v = max * tick / 4;
    int y = top + plot_h - plot_h * tick / 4;
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 4, y + 4,
                       percent ? pct(v) : fmt::format("{:.0f}", v));
  }
  svg += fmt::format("<text x=\"4\" y=\"{}\">{}</text>\n", top - 6, esc(y_name));
  auto xAt = [&](size_t i) {
    return xs.size() <= 1 ? left + width / 2 : left + static_cast<int>(width * i / (xs.size() - 1));
  };
  for (size_t i = 0; i < xs.size(); ++i)
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", xAt(i), top + plot_h + 16, esc(xs[i]));
  int lx = left;
  for (size_t s = 0; s < series.size(); ++s) {
    std::string points;
    for (size_t i = 0; i < xs.size(); ++i) {
      int y = top + plot_h - static_cast<int>(std::lround(plot_h * series[s].second[i] / max));
      points += fmt::format("{},{} ", xAt(i), y);
      svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{} {}: {}</title></circle>", xAt(i), y,
                         colors[s], esc(series[s].first), esc(xs[i]),
                         percent ? pct(series[s].second[i]) : fmt::format("{:.0f}", series[s].second[i]));
    }
    const char* dash = colors[s] == kReference ? " stroke-dasharray=\"4 2\"" : "";
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\"{}/>\n", points, colors[s], dash);
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                       lx, top + plot_h + 26, colors[s], lx + 14, top + plot_h + 35, esc(series[s].first));
    lx += 40 + 7 * static_cast<int>(series[s].first.size());
  }
  svg += "</svg>\n";
  return "<figure>" + svg + "</figure>\n";
}

std::string tallyRow(const std::string& label, const Tally& t, const Metrics& m) {
  std::optional<double> lift, recall;
  if (t.hitRate() && m.base_rate && *m.base_rate > 0) lift = *t.hitRate() / *m.base_rate;
  if (m.all.violations) recall = static_cast<double>(t.violations) / static_cast<double>(m.all.violations);
  return fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                     esc(label), t.declarations, t.controlled, t.violations, pct(t.hitRate()),
                     lift ? fmt::format("{:.2f}", *lift) : std::string("–"), pct(recall),
                     m.revenue_known ? money(t.revenue) : std::string("–"));
}

const char* kTableHead =
    "<tr><th></th><th>selected</th><th>controlled</th><th>violations</th><th>hit rate</th><th>lift</th><th>recall</th>"
    "<th>revenue</th></tr>\n";

}  // namespace

std::string backtestHtml(const BacktestReport& r) {
  const Metrics& m = r.metrics;
  std::string period = !r.from && !r.to ? std::string("all dates")
                                        : fmt::format("{} to {}", r.from ? date::format(*r.from) : std::string("the first"),
                                                      r.to ? date::format(*r.to) : std::string("the last"));
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<link rel=\"icon\" href=\"data:,\">\n"
      "<title>Effectiveness of " + esc(r.profiles) + "</title>\n"
      "<style>body{font:14px/1.4 sans-serif;margin:2em;max-width:1100px;color:#222}"
      "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}"
      "th:first-child{text-align:left}svg text{font:11px sans-serif}svg text.t{font-weight:bold;font-size:13px}"
      "figure{margin:1em 0}figcaption{color:#555}.note{color:#555}</style>\n</head><body>\n";
  html += "<h1>Effectiveness of " + esc(r.profiles) + "</h1>\n";
  html += fmt::format("<p>Declarations {} ({}): {} screened, {} rejected, {} outside the period{}. Control results {}: {} "
                      "rows, {} counted, {} not counted (each reported when the report was made).</p>\n",
                      esc(r.declarations), esc(period), m.all.declarations, r.loaded.rows_rejected, r.outside_period,
                      r.among.empty() ? std::string() : fmt::format(", {} for which {} does not hold", r.not_among, esc(r.among)),
                      esc(r.results_file), r.results.rows_read, r.results.matched,
                      r.results.rows_read - r.results.matched - r.results.outside_period);
  html += fmt::format("<p><b>{}</b> declarations controlled, <b>{}</b> with a violation: a base rate of <b>{}</b>. "
                      "Selected by any profile: <b>{}</b> ({} controlled, {} with a violation), a hit rate of <b>{}</b>.</p>\n",
                      m.all.controlled, m.all.violations, pct(m.base_rate), m.selected.declarations, m.selected.controlled,
                      m.selected.violations, pct(m.selected.hitRate()));
  if (!m.revenue_known) html += "<p class=\"note\">The control results give no payments: no revenue is shown.</p>\n";

  // Per profile: selections, and hit rate against the base rate.
  Bars selections{"Declarations selected per profile", "", {}, {{"selected", {}}, {"with a violation", {}}},
                  {kSelected, kViolation}, false, std::nullopt, ""};
  Bars hits{"Hit rate per profile", "Violations per controlled declaration; the dashed line is the base rate (random selection).",
            {}, {{"hit rate", {}}}, {kSelected}, true, m.base_rate, "random"};
  for (const auto& p : m.profiles) {
    selections.labels.push_back(p.profile.id);
    selections.series[0].second.push_back(static_cast<double>(p.tally.declarations));
    selections.series[1].second.push_back(static_cast<double>(p.tally.violations));
    hits.labels.push_back(p.profile.id);
    hits.series[0].second.push_back(p.tally.hitRate().value_or(0));
  }
  html += "<h2>Profiles</h2>\n" + svgBars(selections) + svgBars(hits);
  html += "<table>\n" + std::string(kTableHead);
  for (const auto& p : m.profiles) html += tallyRow(p.profile.id, p.tally, m);
  html += tallyRow("any profile", m.selected, m) + "</table>\n";
  std::string stale;
  for (const auto& p : m.profiles)
    if (p.stale)
      stale += fmt::format("<li>{}: {} controlled selections without a violation{}</li>\n", esc(p.profile.id),
                           p.since_last_hit, p.last_hit ? ", the last found on " + date::format(*p.last_hit) : std::string());
  if (!stale.empty()) html += "<p>Profiles to revise:</p><ul>\n" + stale + "</ul>\n";
  if (!m.overlaps.empty()) {
    html += "<p>Profiles that select nearly the same declarations:</p><ul>\n";
    for (const auto& o : m.overlaps)
      html += fmt::format("<li>{} and {}: {} in common ({:.0f}% alike)</li>\n", esc(o.first), esc(o.second), o.both,
                          o.jaccard * 100);
    html += "</ul>\n";
  }

  // Over time.
  std::vector<std::string> months;
  std::vector<double> selected, violations;
  for (const auto& s : m.months) {
    months.push_back(s.value);
    selected.push_back(static_cast<double>(s.selected.declarations));
    violations.push_back(static_cast<double>(s.selected.violations));
  }
  html += "<h2>Over time</h2>\n" +
          svgLines("Selections and violations found per month", months,
                   {{"selected", selected}, {"with a violation", violations}}, {kSelected, kViolation}, false,
                   "declarations");

  // Corridors.
  Bars corridors{"Declarations by corridor", "", {}, {{"declarations", {}}}, {kSelected}, false, std::nullopt, ""};
  for (size_t c = 0; c < m.corridors.size(); ++c) {
    corridors.labels.push_back(std::string(name(static_cast<Corridor>(c))));
    corridors.series[0].second.push_back(static_cast<double>(m.corridors[c]));
  }
  html += "<h2>Corridors</h2>\n" + svgBars(corridors);
  Bars targets{"Corridor shares against the targets", "", {}, {{"share", {}}, {"target", {}}}, {kSelected, kBefore},
              true, std::nullopt, ""};
  bool any_target = false;
  for (size_t c = 0; c < m.corridors.size(); ++c) {
    targets.labels.push_back(std::string(name(static_cast<Corridor>(c))));
    targets.series[0].second.push_back(m.all.declarations ? static_cast<double>(m.corridors[c]) / m.all.declarations : 0);
    targets.series[1].second.push_back(m.corridor_targets[c] ? *m.corridor_targets[c] / 1e6 : 0);
    any_target |= m.corridor_targets[c].has_value();
  }
  if (any_target) html += svgBars(targets);

  // Precision against the share inspected.
  std::vector<std::string> shares;
  std::vector<double> precision, random;
  for (const auto& a : m.at_rates) {
    shares.push_back(fmt::format("{:.0f}%", a.share * 100));
    precision.push_back(a.precision.value_or(0));
    random.push_back(m.base_rate.value_or(0));
  }
  html += "<h2>Inspecting the riskiest first</h2>\n<p>Ranked by " + esc(m.ranking) + ".</p>\n" +
          svgLines("Precision against the share of declarations inspected", shares,
                   {{"precision", precision}, {"random selection", random}}, {kSelected, kReference}, true, "precision");
  html += "<table>\n<tr><th>inspected</th><th>declarations</th><th>violations</th><th>precision</th><th>recall</th>"
          "<th>revenue</th><th>random</th></tr>\n";
  for (const auto& a : m.at_rates)
    html += fmt::format("<tr><th>{:.0f}%</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        a.share * 100, a.inspected, a.found.violations, pct(a.precision), pct(a.recall),
                        m.revenue_known ? money(a.found.revenue) : std::string("–"), pct(m.base_rate));
  html += "</table>\n";

  if (r.comparison) {
    const Comparison& c = *r.comparison;
    Bars versions{"Declarations selected per profile, now and in the baseline", "", {}, {{"now", {}}, {"baseline", {}}},
                  {kSelected, kBefore}, false, std::nullopt, ""};
    for (const auto& p : m.profiles) {
      versions.labels.push_back(p.profile.id);
      versions.series[0].second.push_back(static_cast<double>(p.tally.declarations));
      double before = 0;
      for (const auto& q : c.baseline.profiles)
        if (q.profile.id == p.profile.id) before = static_cast<double>(q.tally.declarations);
      versions.series[1].second.push_back(before);
    }
    html += "<h2>Against the baseline</h2>\n" + svgBars(versions);
    html += "<table>\n" + std::string(kTableHead);
    html += tallyRow("selected now", m.selected, m) + tallyRow("selected in the baseline", c.baseline.selected, m);
    html += tallyRow("newly selected", c.newly_selected, m) + tallyRow("no longer selected", c.dropped, m);
    html += "</table>\n";
  }
  html += "<p class=\"note\">Made by tauekel report; the same figures are in its JSON.</p>\n</body></html>\n";
  return html;
}

}  // namespace tauekel::effectiveness
