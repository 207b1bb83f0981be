#include "engine/screener.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <unordered_map>

#include "engine/profile_set_version.h"
#include "engine/sampling.h"
#include "runtime/exec/vector_engine.h"
#include "support/date.h"
#include "support/decimal.h"
#include "runtime/interp/row_interpreter.h"

namespace tauekel::engine {

ir::LowerOptions lowerOptions(const ScreenerOptions& options) {
  ir::LowerOptions lo;
  lo.as_of = options.as_of;
  lo.stage = options.stage;
  lo.include_drafts = options.include_drafts;
  lo.approved = options.approved;
  if (options.stage == sema::Stage::AfterRelease) lo.window_reference = options.as_of ? *options.as_of : date::today();
  return lo;
}

Expected<bool> checkScreenable(const Compilation& compilation, std::string_view name) {
  if (!compilation.other_programs.empty())
    return Error{fmt::format("{} holds {} profile repositories; screen them one at a time", name,
                             compilation.other_programs.size() + 1)};
  const sema::Program& program = *compilation.program;
  if (!program.declaration.defined || !program.item.defined)
    return Error{"the profiles define no declaration and item schemas (import std.eaeu?)"};
  return true;
}

Screener::Context::~Context() = default;

Screener::Screener(std::shared_ptr<const Compilation> compilation, std::optional<runtime::PersonRegister> persons,
                   const ScreenerOptions& options)
    : compilation_(std::move(compilation)),
      options_(options),
      ir_(ir::lower(*compilation_->program, lowerOptions(options))),
      data_(*compilation_->program),
      persons_(std::move(persons)),
      context_{&ir_, &data_, persons_ ? &*persons_ : nullptr},
      plan_(runtime::makePlan(ir_, *compilation_->program, options.plan)),
      compiler_(options.compiler),
      key_field_(static_cast<size_t>(compilation_->program->declaration.key_field)) {
  if (persons_) runtime::RowInterpreter::computeCategories(*persons_, ir_, data_);
  // The measures any profile applies, numbered in the order decisions list them.
  for (const auto& plan : ir_.profiles)
    for (const auto& rule : plan.measures)
      if (std::find(measures_.begin(), measures_.end(), rule.measure) == measures_.end()) measures_.push_back(rule.measure);
  std::stable_sort(measures_.begin(), measures_.end(), [](const sema::Measure* a, const sema::Measure* b) {
    return a->strength != b->strength ? a->strength > b->strength : a->name < b->name;
  });
  std::unordered_map<const sema::Measure*, uint32_t> numbers;
  for (size_t m = 0; m < measures_.size(); ++m) numbers.emplace(measures_[m], static_cast<uint32_t>(m));
  for (const auto& plan : ir_.profiles) {
    const sema::Profile& profile = *plan.profile;
    ProfileInfo info;
    info.id = profile.id;
    info.area = profile.area ? profile.area->name : std::string();
    info.level = static_cast<RiskLevel>(profile.level);
    info.random_share = profile.random_share;
    info.random_seed = sampleSeed(profile.id, "random");
    ProfileFacts facts;
    facts.random_seed = info.random_seed;
    facts.random_share = profile.random_share ? *profile.random_share : -1;
    facts.first_rule = static_cast<uint32_t>(rule_facts_.size());
    facts.rules = static_cast<uint32_t>(plan.measures.size());
    facts.level = static_cast<uint8_t>(profile.level);
    facts.first_band = static_cast<uint32_t>(band_levels_.size());
    facts.bands = static_cast<uint32_t>(plan.level_bands.size());
    for (const auto& band : plan.level_bands) band_levels_.push_back(static_cast<uint8_t>(band.first));
    facts_.push_back(facts);
    for (const auto& rule : plan.measures) {
      info.seeds.push_back(sampleSeed(profile.id, rule.measure->name));
      info.rule_measures.push_back(numbers.at(rule.measure));
      RuleFacts r;
      r.seed = info.seeds.back();
      r.sample = rule.sample ? *rule.sample : -1;
      r.measure = info.rule_measures.back();
      r.corridor = static_cast<uint8_t>(rule.measure->corridor);
      r.conditional = rule.condition != ir::kNoNode;
      rule_facts_.push_back(r);
    }
    profiles_.push_back(std::move(info));
  }
  for (const auto& score : ir_.scores) {
    ScoreInfo info;
    info.name = score.score->name;
    for (const auto& term : score.score->terms) info.terms.push_back(term.text);
    scores_.push_back(std::move(info));
  }
  version_ = profileSetVersion(*compilation_, persons_ ? &*persons_ : nullptr, lowerOptions(options));
}

Screener::~Screener() {
  // Contexts run code the compiler owns, and read the plan: they go first.
  pool_.clear();
  prototypes_.clear();
}

Expected<std::shared_ptr<const Screener>> Screener::create(std::shared_ptr<const Compilation> compilation,
                                                           std::optional<runtime::PersonRegister> persons,
                                                           const ScreenerOptions& options) {
  if (!compilation || !compilation->ok()) return Error{"the profiles have errors; check them first"};
  if (auto screenable = checkScreenable(*compilation); !screenable) return screenable.error();
  ScreenerOptions chosen = options;
  std::vector<RefusedProfile> refused;
  std::vector<std::string> approval_files;
  if (options.production) {
    if (options.include_drafts) return Error{"production screening runs approved profiles only, never drafts"};
    chosen.approved.emplace();
    std::string folder = options.production->approvals_folder.empty()
                             ? governance::approvalsFolder(*compilation, "")
                             : options.production->approvals_folder;
    // One status per profile, in the program's order.
    const auto& profiles = compilation->program->profiles;
    auto statuses = governance::approvalStatus(*compilation, folder, &options.production->trusted, &approval_files);
    for (size_t i = 0; i < statuses.size(); ++i) {
      if (statuses[i].state == governance::ApprovalStatus::State::Approved) chosen.approved->insert(statuses[i].profile);
      else if (profiles[i].state == sema::LifeState::Approved) refused.push_back({statuses[i].profile, statuses[i].reason});
    }
  }
  std::shared_ptr<Screener> screener(new Screener(std::move(compilation), std::move(persons), chosen));
  screener->refused_ = std::move(refused);
  screener->approval_files_ = std::move(approval_files);
  if (auto prepared = screener->prepare(); !prepared) return prepared.error();
  return std::shared_ptr<const Screener>(std::move(screener));
}

Expected<bool> Screener::prepare() {
  if (options_.engine != EngineKind::Jit) return true;
  if (!compiler_) {
    auto created = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O2, options_.kernel_cache);
    if (!created) return created.error();
    compiler_ = std::shared_ptr<runtime::jit::KernelCompiler>(created.take());
  }
  runtime::jit::CompileStats& stats = compile_stats_;
  auto kernels = compiler_->compile(plan_, context_, stats);
  if (!kernels) return kernels.error();
  prototypes_ = kernels.take();
  std::string loaded = stats.loaded > 0 ? fmt::format(", {} loaded from the kernel cache", stats.loaded) : "";
  engine_note_ = fmt::format("{} kernels ({} native, {} shapes compiled{} in {:.3f} s), {} of {} item roots guarded "
                             "by the index",
                             stats.kernels, stats.native, stats.compiled, loaded, stats.seconds, plan_.guarded_roots,
                             plan_.roots.size());
  return true;
}

void Screener::takeRandomCounts(Context& context, DecisionCounts& counts) const {
  for (size_t p = 0; p < context.random.size(); ++p) {
    auto& [in_scope, chosen] = context.random[p];
    if (in_scope == 0) continue;
    auto& total = counts.random[profiles_[p].id];
    total.first += in_scope;
    total.second += chosen;
    in_scope = chosen = 0;
  }
}

bool Screener::outsideWindow(const runtime::Batch& batch, uint32_t row) const {
  if (!ir_.window) return false;
  const auto& column = batch.decl_columns[static_cast<size_t>(compilation_->program->date_field)];
  if (!column.valid(row)) return true;
  int64_t d = column.get(row);
  return d < ir_.window->first || d > ir_.window->last;
}

runtime::FieldsRead Screener::fieldsRead() const {
  const sema::Program& program = *compilation_->program;
  runtime::FieldsRead read;
  read.decl.assign(program.declaration.fields.size(), 0);
  read.item.assign(program.item.fields.size(), 0);
  read.decl[key_field_] = 1;
  if (program.date_field >= 0) read.decl[static_cast<size_t>(program.date_field)] = 1;
  for (const ir::Node& n : ir_.nodes) {
    if (n.op != ir::Op::Column) continue;
    auto column = static_cast<size_t>(n.value);
    if (n.domain == ir::Domain::Decl && column < read.decl.size()) read.decl[column] = 1;
    if (n.domain == ir::Domain::Item && column < read.item.size()) read.item[column] = 1;
  }
  return read;
}

std::unique_ptr<Screener::Context> Screener::newContext() const {
  std::unique_ptr<Context> context(new Context());
  switch (options_.engine) {
    case EngineKind::Interp: context->engine = runtime::makeReferenceEngine(context_); break;
    case EngineKind::TreeWalk: context->engine = runtime::makeVectorEngine(context_, plan_); break;
    case EngineKind::Jit: {
      std::vector<std::unique_ptr<runtime::Kernel>> kernels;
      kernels.reserve(prototypes_.size());
      for (const auto& k : prototypes_) kernels.push_back(k ? k->clone() : nullptr);
      context->engine = runtime::makeVectorEngine(context_, plan_, std::move(kernels));
      break;
    }
  }
  return context;
}

std::unique_ptr<Screener::Context> Screener::acquire() const {
  {
    std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto context = std::move(pool_.back());
      pool_.pop_back();
      return context;
    }
  }
  return newContext();
}

void Screener::release(std::unique_ptr<Context> context) const {
  std::lock_guard lock(pool_mutex_);
  pool_.push_back(std::move(context));
}

void Screener::select(const runtime::Batch& batch, runtime::Selections& out, Context& context) const {
  context.engine->screen(batch, out);
}

void Screener::screen(const runtime::Batch& batch, std::vector<Decision>& out, Context& context) const {
  select(batch, context.selections, context);
  decide(batch, context.selections, out, context);
}

void Screener::screen(const runtime::Batch& batch, std::vector<Decision>& out) const {
  auto context = acquire();
  screen(batch, out, *context);
  release(std::move(context));
}

std::vector<Decision> Screener::screen(const runtime::Batch& batch) const {
  std::vector<Decision> out;
  screen(batch, out);
  return out;
}

void Screener::decide(const runtime::Batch& batch, const runtime::Selections& selections,
                      std::vector<Decision>& out) const {
  Context scratch;
  decide(batch, selections, out, scratch);
}

void Screener::decide(const runtime::Batch& batch, const runtime::Selections& selections, std::vector<Decision>& out,
                      Context& context) const {
  out.resize(batch.decl_count);
  size_t hit = 0;
  for (uint32_t d = 0; d < batch.decl_count; ++d) {
    draftOne(batch, selections, d, hit, context.draft, context);
    fill(context.draft, out[d], context);
  }
  assert(hit == selections.hits.size());
}

void Screener::screen(const runtime::Batch& batch, Context& context,
                      const std::function<void(const Decision&)>& each) const {
  select(batch, context.selections, context);
  size_t hit = 0;
  for (uint32_t d = 0; d < batch.decl_count; ++d) {
    draftOne(batch, context.selections, d, hit, context.draft, context);
    fill(context.draft, context.current, context);
    each(context.current);
  }
  assert(hit == context.selections.hits.size());
}

void Screener::screenDrafts(const runtime::Batch& batch, Context& context,
                            const std::function<void(const DecisionDraft&)>& each) const {
  select(batch, context.selections, context);
  size_t hit = 0;
  for (uint32_t d = 0; d < batch.decl_count; ++d) {
    draftOne(batch, context.selections, d, hit, context.draft, context);
    each(context.draft);
  }
  assert(hit == context.selections.hits.size());
}

void Screener::draftOne(const runtime::Batch& batch, const runtime::Selections& selections, uint32_t d, size_t& hit,
                        DecisionDraft& draft, Context& context) const {
  const auto& key_column = batch.decl_columns[key_field_];
  std::string_view key = batch.strings.view(static_cast<int32_t>(key_column.get(d)));
  draft.key = key;
  draft.first_item = batch.item_begin[d];
  draft.items = selections.items.data();
  const size_t terms = ir_.scoreTerms();
  draft.score_terms = terms ? selections.score_terms.data() + static_cast<size_t>(d) * terms : nullptr;
  draft.entries.clear();
  draft.rules.clear();
  draft.measures.clear();
  size_t first = hit;
  while (hit < selections.hits.size() && selections.hits[hit].decl == d) ++hit;
  // Every sample this declaration is tested against, hashed at once (see sampleHashes):
  // a rule's sample decides where the rule has no condition, or its condition fails.
  const uint8_t* flags = selections.measure_flags.data();
  auto needsSample = [](const RuleFacts& rule, uint8_t holds) { return rule.sample >= 0 && (!rule.conditional || !holds); };
  std::vector<uint64_t>& seeds = context.seeds;
  seeds.clear();
  for (size_t h = first; h < hit; ++h) {
    const auto& selection = selections.hits[h];
    const ProfileFacts& facts = facts_[selection.profile];
    if (facts.random_share >= 0) seeds.push_back(facts.random_seed);
    for (uint32_t m = 0; m < facts.rules; ++m) {
      const RuleFacts& rule = rule_facts_[facts.first_rule + m];
      if (needsSample(rule, flags[selection.flags_begin + m])) seeds.push_back(rule.seed);
    }
  }
  context.hashes.resize(seeds.size());
  sampleHashes(seeds.data(), seeds.size(), key, context.hashes.data());
  const uint64_t* next_hash = context.hashes.data();

  int level = -1;
  int corridor = 0;
  for (size_t h = first; h < hit; ++h) {
    const auto& selection = selections.hits[h];
    uint32_t p = selection.profile;
    const ProfileFacts& facts = facts_[p];
    const RuleFacts* rules = rule_facts_.data() + facts.first_rule;
    const uint8_t* holds = flags + selection.flags_begin;
    // Random selections select only the declarations in their sample.
    if (facts.random_share >= 0) {
      if (context.random.size() < profiles_.size()) context.random.resize(profiles_.size());
      ++context.random[p].first;
      if (!inSampleHash(facts.random_share, *next_hash++)) {
        for (uint32_t m = 0; m < facts.rules; ++m) next_hash += needsSample(rules[m], holds[m]);  // unused
        continue;
      }
      ++context.random[p].second;
    }
    DecisionDraft::Entry entry;
    entry.profile = p;
    entry.items_begin = selection.items_begin;
    entry.items_end = selection.items_end;
    entry.rules_begin = static_cast<uint32_t>(draft.rules.size());
    // The first level band that holds gives the level; else the profile's own.
    uint8_t entry_level = facts.level;
    for (uint32_t b = 0; b < facts.bands; ++b)
      if (holds[facts.rules + b]) {
        entry_level = band_levels_[facts.first_band + b];
        break;
      }
    entry.level = static_cast<RiskLevel>(entry_level);
    level = std::max(level, static_cast<int>(entry_level));
    for (uint32_t m = 0; m < facts.rules; ++m) {
      const RuleFacts& rule = rules[m];
      // Without a condition the rule applies (to its sample); with one, where it holds,
      // and else to the sample of its `else sample N%`.
      bool applies = rule.conditional ? holds[m] != 0 : true;
      if (needsSample(rule, holds[m])) applies = inSampleHash(rule.sample, *next_hash++);
      if (!applies) continue;
      draft.rules.push_back(rule.measure);
      corridor = std::max(corridor, static_cast<int>(rule.corridor));
      if (std::find(draft.measures.begin(), draft.measures.end(), rule.measure) == draft.measures.end())
        draft.measures.push_back(rule.measure);
    }
    entry.rules_end = static_cast<uint32_t>(draft.rules.size());
    draft.entries.push_back(entry);
  }
  assert(next_hash == context.hashes.data() + context.hashes.size());
  // Strongest first; ties by code (the numbering's order), so the order never depends
  // on the profiles' order.
  std::sort(draft.measures.begin(), draft.measures.end());
  draft.selected = level >= 0;
  draft.level = draft.selected ? static_cast<RiskLevel>(level) : RiskLevel::Low;
  draft.corridor = static_cast<Corridor>(corridor);
}

void Screener::fillScores(const DecisionDraft& draft, std::vector<RiskScore>& out) const {
  out.resize(draft.score_terms ? scores_.size() : 0);
  const int64_t* term = draft.score_terms;
  for (size_t k = 0; k < out.size(); ++k) {
    RiskScore& score = out[k];
    score.name = scores_[k].name;
    score.points = 0;
    score.parts.clear();
    for (const std::string& text : scores_[k].terms) {
      int64_t points = *term++;
      score.points = decimal::add(score.points, points);
      if (points != 0) score.parts.push_back(ScorePart{text, points});
    }
  }
}

void Screener::fill(const DecisionDraft& draft, Decision& decision, Context& context) const {
  decision.declaration.assign(draft.key);
  // Entries move between decisions with their storage, rather than being freed and
  // allocated again as the number of selecting profiles varies.
  std::vector<ProfileSelection>& spare = context.spare;
  auto& profiles = decision.profiles;
  while (profiles.size() > draft.entries.size()) {
    spare.push_back(std::move(profiles.back()));
    profiles.pop_back();
  }
  while (profiles.size() < draft.entries.size()) {
    if (spare.empty()) {
      profiles.emplace_back();
    } else {
      profiles.push_back(std::move(spare.back()));
      spare.pop_back();
    }
  }
  for (size_t k = 0; k < draft.entries.size(); ++k) {
    const DecisionDraft::Entry& e = draft.entries[k];
    const ProfileInfo& info = profiles_[e.profile];
    ProfileSelection& entry = profiles[k];
    entry.id = info.id;
    entry.random = info.random_share.has_value();
    entry.area = info.area;
    entry.level = e.level;
    entry.items.clear();
    for (uint32_t i = e.items_begin; i < e.items_end; ++i) entry.items.push_back(draft.items[i] - draft.first_item + 1);
    entry.measures.resize(e.rules_end - e.rules_begin);
    for (uint32_t r = e.rules_begin; r < e.rules_end; ++r) entry.measures[r - e.rules_begin] = measures_[draft.rules[r]]->name;
  }
  decision.selected = draft.selected;
  decision.level = draft.selected ? std::optional(draft.level) : std::nullopt;
  decision.corridor = draft.corridor;
  decision.measures.resize(draft.measures.size());
  for (size_t m = 0; m < draft.measures.size(); ++m) decision.measures[m] = measures_[draft.measures[m]]->name;
  fillScores(draft, decision.scores);
}

}  // namespace tauekel::engine
