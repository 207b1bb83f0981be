#include "effectiveness/backtest.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "engine/screener.h"
#include "governance/package.h"
#include "compiler/ir/ir.h"
#include "runtime/data/person_register.h"
#include "runtime/data/reference_data.h"
#include "runtime/interp/row_interpreter.h"
#include "support/codes.h"
#include "support/date.h"
#include "support/text.h"

namespace tauekel::effectiveness {

namespace {

BacktestError usage(std::string message) { return BacktestError{BacktestFailure::Usage, std::move(message), nullptr}; }

// One profile set ready to screen, and what it selected so far.
struct Side {
  std::shared_ptr<const Compilation> compilation;
  std::shared_ptr<const engine::Screener> screener;
  std::unique_ptr<engine::Screener::Context> context;
  std::unordered_map<std::string, uint16_t> profile_number;  // by id
  Screening screening;
  std::vector<tauekel::Decision> decisions;
};

std::variant<std::shared_ptr<const Compilation>, BacktestError> compileSet(const std::string& path) {
  CompileOptions co;
  co.inputs = {path};
  auto compiled = governance::compileOrRead(co);
  if (!compiled) return usage(compiled.error().message);
  if (!(*compiled)->ok()) return BacktestError{BacktestFailure::Profiles, "", compiled.take()};
  std::shared_ptr<const Compilation> shared(compiled.take());
  if (auto screenable = engine::checkScreenable(*shared, path); !screenable) return usage(screenable.error().message);
  if (!shared->program->result.defined)
    return usage(fmt::format("{} declares no `schema result`, so control results cannot be read: declare one (see "
                             "docs/effectiveness.md)",
                             path));
  return shared;
}

Expected<bool> makeSide(Side& side, std::shared_ptr<const Compilation> compilation,
                        std::optional<runtime::PersonRegister> persons, const BacktestOptions& options) {
  side.compilation = std::move(compilation);
  engine::ScreenerOptions so;
  so.kernel_cache = options.kernel_cache;
  auto created = engine::Screener::create(side.compilation, std::move(persons), so);
  if (!created) return created.error();
  side.screener = created.take();
  side.context = side.screener->newContext();
  for (const auto& info : side.screener->profileInfo()) {
    side.profile_number.emplace(info.id, static_cast<uint16_t>(side.screening.profiles.size()));
    side.screening.profiles.push_back(ProfileEntry{info.id, info.area, info.level});
  }
  return true;
}

// A declaration field's value as text, for splitting figures by it.
std::string fieldText(const runtime::Batch& batch, size_t field, const sema::Field& spec, uint32_t row) {
  const runtime::Column& c = batch.decl_columns[field];
  if (!c.valid(row)) return "(missing)";
  int64_t v = c.get(row);
  switch (spec.type->kind) {
    case sema::TypeKind::String: return std::string(batch.strings.view(static_cast<int32_t>(v)));
    case sema::TypeKind::Enum: return spec.type->enumeration->members[static_cast<size_t>(v)];
    case sema::TypeKind::Country: return codes::formatCountry(static_cast<uint16_t>(v));
    case sema::TypeKind::Date: return date::format(static_cast<int32_t>(v));
    case sema::TypeKind::Bool: return v ? "true" : "false";
    default: return std::to_string(v);
  }
}

}  // namespace

std::variant<BacktestReport, BacktestError> backtest(const BacktestOptions& options) {
  BacktestReport report;
  report.profiles = options.profiles;
  report.declarations = options.declarations;
  report.results_file = options.results;
  report.from = options.from;
  report.to = options.to;
  if (options.from && options.to && *options.from > *options.to)
    return usage(fmt::format("--from {} is after --to {}", date::format(*options.from), date::format(*options.to)));

  auto compiled = compileSet(options.profiles);
  if (auto* error = std::get_if<BacktestError>(&compiled)) return std::move(*error);
  auto compilation = std::get<std::shared_ptr<const Compilation>>(compiled);
  const sema::Program& program = *compilation->program;

  // Every file read must stay what it is: nothing here is written, but the results and
  // the declarations must be two files.
  if (options.results == options.declarations && options.results == io::kStdin)
    return usage("standard input (\"-\") can feed the declarations or the results, not both");

  std::vector<size_t> dimension_fields;
  std::vector<std::string> by = options.by;
  if (by.empty() && program.declaration.find("office") >= 0) by.push_back("office");
  for (const auto& name : by) {
    int f = program.declaration.find(name);
    if (f < 0) {
      std::vector<std::string> names;
      for (const auto& field : program.declaration.fields) names.push_back(field.name);
      std::string closest = text::closest(name, names);
      return usage(fmt::format("--by {}: the declaration schema has no field `{}`{}", name, name,
                               closest.empty() ? "" : fmt::format(" (did you mean `{}`?)", closest)));
    }
    dimension_fields.push_back(static_cast<size_t>(f));
  }

  // Ranking: by the score asked for, else the first the profiles declare, else by level.
  std::string rank_by = options.rank_by;
  if (!rank_by.empty()) {
    bool known = std::any_of(program.scores.begin(), program.scores.end(),
                             [&](const sema::Score& s) { return s.name == rank_by; });
    if (!known) {
      std::vector<std::string> names;
      for (const auto& s : program.scores) names.push_back(s.name);
      std::string closest = text::closest(rank_by, names);
      return usage(fmt::format("--rank-by {}: the profiles declare no score `{}`{}", rank_by, rank_by,
                               names.empty()      ? std::string(" (they declare none)")
                               : closest.empty() ? std::string()
                                                 : fmt::format(" (did you mean `{}`?)", closest)));
    }
  } else if (!program.scores.empty()) {
    rank_by = program.scores.front().name;
  }

  // The indicators, for figures per indicator, and --among: evaluated by the reference
  // interpreter (declaration indicators on the declaration, goods-item ones on each item).
  std::vector<const sema::Indicator*> decl_indicators, item_indicators;
  for (const auto& ind : program.indicators) {
    if (!ind.body || ind.type == nullptr || ind.type->isError()) continue;
    if (ind.level == sema::Level::Declaration) decl_indicators.push_back(&ind);
    if (ind.level == sema::Level::Item) item_indicators.push_back(&ind);
  }
  int among_node = -1;
  if (!options.among.empty()) {
    std::vector<std::string> names;
    for (size_t k = 0; k < decl_indicators.size(); ++k) {
      names.push_back(decl_indicators[k]->name);
      if (decl_indicators[k]->name == options.among) among_node = static_cast<int>(k);
    }
    if (among_node < 0) {
      std::string closest = text::closest(options.among, names);
      return usage(fmt::format("--among {}: the profiles have no declaration indicator `{}`{}", options.among,
                               options.among, closest.empty() ? "" : fmt::format(" (did you mean `{}`?)", closest)));
    }
    report.among = options.among;
  }
  ir::LowerOptions indicator_lowering;
  for (const auto* ind : decl_indicators) indicator_lowering.extra.push_back(ind->body.get());
  for (const auto* ind : item_indicators) indicator_lowering.extra_items.push_back(ind->body.get());
  const ir::Program indicator_ir = ir::lower(program, indicator_lowering);
  const runtime::ReferenceData indicator_data(program);
  const runtime::EngineContext indicator_context{&indicator_ir, &indicator_data, nullptr};
  runtime::RowInterpreter indicators(indicator_context);
  std::vector<ProfileEntry> indicator_entries;
  for (const auto* ind : decl_indicators) indicator_entries.push_back(ProfileEntry{ind->name, "declaration", RiskLevel::Low});
  for (const auto* ind : item_indicators) indicator_entries.push_back(ProfileEntry{ind->name, "goods item", RiskLevel::Low});

  runtime::LoadOptions load;
  load.on_error = options.on_error;
  load.report = options.report;
  load.warn = options.warn;
  std::optional<runtime::PersonRegister> persons;
  if (options.persons) {
    auto loaded = runtime::loadPersons(*options.persons, program, load);
    if (!loaded) return usage(loaded.error().message);
    persons = loaded.take();
  }

  ResultsOptions ro;
  ro.report = options.report;
  ro.warn = options.warn;
  auto results = readResults(options.results, program, ro);
  if (!results) return usage(results.error().message);
  ResultIndex index(results.take(), options.report);

  Side side;
  if (auto made = makeSide(side, compilation, persons, options); !made) return usage(made.error().message);
  std::optional<Side> base;
  if (options.baseline) {
    auto other = compileSet(*options.baseline);
    if (auto* error = std::get_if<BacktestError>(&other)) return std::move(*error);
    auto baseline = std::get<std::shared_ptr<const Compilation>>(other);
    base.emplace();
    std::optional<runtime::PersonRegister> base_persons;
    if (options.persons) {
      auto loaded = runtime::loadPersons(*options.persons, *baseline->program, load);
      if (!loaded) return usage(loaded.error().message);
      base_persons = loaded.take();
    }
    if (auto made = makeSide(*base, baseline, std::move(base_persons), options); !made)
      return usage(made.error().message);
  }
  for (Side* s : {&side, base ? &*base : nullptr}) {
    if (!s) continue;
    s->screening.indicators = indicator_entries;
    for (size_t f : dimension_fields) s->screening.dimensions.push_back(program.declaration.fields[f].name);
    s->screening.dimension_values.resize(dimension_fields.size());
  }
  std::vector<std::unordered_map<std::string, uint32_t>> value_numbers(dimension_fields.size());

  auto source = runtime::openDeclarations(options.declarations, program, side.screener->personIndex(), load);
  if (!source) return usage(source.error().message);
  const auto key_field = static_cast<size_t>(program.declaration.key_field);
  const auto date_field = static_cast<size_t>(program.date_field);
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) return BacktestError{BacktestFailure::Data, more.error().message, nullptr};
    if (!*more) break;
    side.screener->screen(batch, side.decisions, *side.context);
    if (base) base->screener->screen(batch, base->decisions, *base->context);
    for (uint32_t row = 0; row < batch.decl_count; ++row) {
      std::string_view key = batch.strings.view(static_cast<int32_t>(batch.decl_columns[key_field].get(row)));
      auto day = static_cast<int32_t>(batch.decl_columns[date_field].get(row));
      if ((options.from && day < *options.from) || (options.to && day > *options.to)) {
        ++report.outside_period;
        index.setAside(key);
        continue;
      }
      runtime::RowInterpreter::Row at;
      at.batch = &batch;
      at.decl = row;
      if (among_node >= 0 && !indicators.isTrue(indicator_ir.extra[static_cast<size_t>(among_node)], at)) {
        ++report.not_among;
        index.setAside(key);
        continue;
      }
      ScreenedDeclaration d;
      d.date = day;
      for (size_t k = 0; k < dimension_fields.size(); ++k) {
        std::string value = fieldText(batch, dimension_fields[k], program.declaration.fields[dimension_fields[k]], row);
        auto [at, added] = value_numbers[k].emplace(value, static_cast<uint32_t>(value_numbers[k].size()));
        if (added)
          for (Side* s : {&side, base ? &*base : nullptr})
            if (s) s->screening.dimension_values[k].push_back(value);
        d.values.push_back(at->second);
      }
      // Which indicators hold: a goods-item one when it holds for some item.
      for (size_t k = 0; k < indicator_ir.extra.size(); ++k)
        if (indicators.isTrue(indicator_ir.extra[k], at)) d.indicators.push_back(static_cast<uint16_t>(k));
      for (size_t k = 0; k < indicator_ir.extra_items.size(); ++k)
        for (uint32_t i = batch.item_begin[row]; i < batch.item_begin[row + 1]; ++i) {
          runtime::RowInterpreter::Row item = at;
          item.item = i;
          if (indicators.isTrue(indicator_ir.extra_items[k], item)) {
            d.indicators.push_back(static_cast<uint16_t>(indicator_ir.extra.size() + k));
            break;
          }
        }
      if (const Outcome* outcome = index.claim(key, batch.itemsOf(row))) {
        d.controlled = true;
        d.violation = outcome->violation;
        d.payments = outcome->payments;
      }
      for (Side* s : {&side, base ? &*base : nullptr}) {
        if (!s) continue;
        const tauekel::Decision& decision = s->decisions[row];
        ScreenedDeclaration mine = d;
        mine.selected = decision.selected;
        mine.level = decision.level.value_or(RiskLevel::Low);
        mine.corridor = decision.corridor;
        for (const auto& score : decision.scores)
          if (score.name == rank_by) mine.score = score.points;
        for (const auto& p : decision.profiles) mine.profiles.push_back(s->profile_number.at(p.id));
        s->screening.declarations.push_back(std::move(mine));
      }
    }
  }
  index.finish();
  report.loaded = (*source)->stats();
  report.results = index.counts();
  assert(report.results.addsUp());
  MetricsOptions metrics_options = options.metrics;
  metrics_options.revenue_known = program.result_fields.payments >= 0;
  metrics_options.rank_by = rank_by;
  report.metrics = computeMetrics(side.screening, metrics_options);
  report.metrics.corridor_targets = program.corridor_targets;
  report.version = side.screener->version();
  if (base) {
    Comparison c;
    c.baseline = computeMetrics(base->screening, metrics_options);
    c.baseline.corridor_targets = base->compilation->program->corridor_targets;
    report.baseline_version = base->screener->version();
    for (size_t i = 0; i < side.screening.declarations.size(); ++i) {
      const ScreenedDeclaration& now = side.screening.declarations[i];
      const ScreenedDeclaration& before = base->screening.declarations[i];
      const int64_t payments = now.controlled ? now.payments : 0;
      if (now.selected && !before.selected) {
        c.newly_selected.add(now.controlled, now.violation, payments);
      } else if (!now.selected && before.selected) {
        c.dropped.add(now.controlled, now.violation, payments);
      }
    }
    for (const auto& p : side.screening.profiles)
      if (!base->profile_number.count(p.id)) c.only_now.push_back(p.id);
    for (const auto& p : base->screening.profiles)
      if (!side.profile_number.count(p.id)) c.only_before.push_back(p.id);
    report.comparison = std::move(c);
  }
  return report;
}

}  // namespace tauekel::effectiveness
