// Profiles: identity, area, validity, scope, level, state, condition and measures.

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "compiler/sema/checker_impl.h"
#include "support/date.h"

namespace tauekel::sema {

void Checker::checkProfiles() {
  for (const auto& scope : scopes_)
    for (const auto& decl : scope.file->profiles) checkProfile(scope, decl);
}

void Checker::checkProfile(const FileScope& scope, const syntax::ProfileDecl& decl) {
  Profile p;
  p.id = decl.id;
  p.range = decl.id_range;
  p.package = scope.package;
  bool ok = true;
  auto missing = [&](const char* clause, const char* example) {
    sink_.report(Code::TK410, decl.id_range, fmt::format("profile \"{}\" has no `{}` clause, e.g. `{}`", decl.id, clause, example));
    ok = false;
  };

  if (decl.id.empty()) {
    sink_.report(Code::TK410, decl.id_range, "a profile needs a non-empty id, e.g. profile \"KZ-2026-0042\"");
    ok = false;
  } else if (auto [it, inserted] = profile_ids_.emplace(decl.id, decl.id_range); !inserted) {
    auto& d = sink_.report(Code::TK407, decl.id_range, fmt::format("profile id \"{}\" is used twice", decl.id));
    d.notes.push_back({it->second, "first used here"});
    ok = false;
  }

  if (decl.instructions) {
    p.instructions = *decl.instructions;
    checkInstructions(decl);
  }
  if (decl.title) p.title = *decl.title;
  else missing("title", "title \"Footwear below the reference price\"");

  if (!decl.area) {
    if (!decl.random) missing("area", "area VALUE");
  } else {
    const Symbol* s = lookup(scope, decl.area->name, decl.area->range);
    if (s && s->kind == SymbolKind::Area) {
      p.area = static_cast<Area*>(s->target);
      static_cast<Area*>(s->target)->used = true;
    } else {
      std::vector<std::string> names;
      for (const auto& a : program_->areas) names.push_back(a.name);
      sink_.report(Code::TK403, decl.area->range, fmt::format("no risk area named `{}`{}", decl.area->name, didYouMean(closestName(decl.area->name, names))));
      ok = false;
    }
  }

  if (!decl.has_valid) {
    missing("valid", "valid 2026-01-01 .. 2026-12-31");
  } else {
    p.has_validity = true;
    p.valid_from = decl.valid_from;
    p.valid_to = decl.valid_to;
    if (!decl.valid_dates_ok) {
      ok = false;  // the bad date is reported already
    } else if (decl.valid_to && *decl.valid_to < decl.valid_from) {
      sink_.report(Code::TK405, decl.valid_range,
                   fmt::format("the validity period ends ({}) before it starts ({})", date::format(*decl.valid_to),
                               date::format(decl.valid_from)));
      ok = false;
    }
  }

  if (decl.has_scope && !checkScope(scope, decl, p.scope)) ok = false;

  if (!decl.level) {
    missing("level", "level high");
  } else {
    int level = program_->category_enum->find(decl.level->name);
    if (level < 0) {
      sink_.report(Code::TK207, decl.level->range, fmt::format("unknown risk level `{}` (low, medium or high)", decl.level->name));
      ok = false;
    } else {
      p.level = static_cast<RiskLevel>(level);
    }
  }

  if (decl.state) {
    const std::string& st = decl.state->name;
    if (st == "draft") p.state = LifeState::Draft;
    else if (st == "approved") p.state = LifeState::Approved;
    else if (st == "revoked") p.state = LifeState::Revoked;
    else {
      sink_.report(Code::TK207, decl.state->range, fmt::format("unknown state `{}` (draft, approved or revoked)", st));
      ok = false;
    }
  }

  ExprScope es;
  es.file = &scope;
  es.level = Level::Declaration;
  // Bands: `level high if C1 else medium if C2 else low`.
  for (const auto& [band_level, condition] : decl.level_bands) {
    if (!condition) continue;  // after a syntax error
    Profile::LevelBand band;
    int level = program_->category_enum->find(band_level.name);
    if (level < 0) {
      sink_.report(Code::TK207, band_level.range,
                   fmt::format("unknown risk level `{}` (low, medium or high)", band_level.name));
      ok = false;
    } else {
      band.level = static_cast<RiskLevel>(level);
    }
    if (decl.random) {
      sink_.report(Code::TK411, band_level.range,
                   "a random selection has one level: no risk decides it, so no condition can raise it");
      ok = false;
      continue;
    }
    if (!program_->declaration.defined) continue;
    band.condition = checkCondition(*condition, es, "a level's condition");
    if (band.condition->type->isError()) ok = false;
    p.level_bands.push_back(std::move(band));
  }
  if (decl.random) {
    p.random_share = decl.random;
    if (decl.when) {
      sink_.report(Code::TK411, decl.when_range,
                   "a random selection has no `when`: it selects a share of the declarations in its scope");
      ok = false;
    } else if (*decl.random <= 0 || *decl.random > 1'000'000) {
      sink_.report(Code::TK406, decl.random_range,
                   "a random selection's share must be above 0% and at most 100% (out of range)");
      ok = false;
    }
    auto truth = std::make_unique<Expr>();
    truth->op = Op::Literal;
    truth->type = program_->types.boolean();
    truth->literal.number = 1;
    truth->range = decl.random_range;
    p.condition = std::move(truth);
  } else if (!decl.when) {
    missing("when", "when any item: item.hs in \"6403\"");
  } else if (!program_->declaration.defined) {
    sink_.report(Code::TK415, decl.when_range, "no declaration schema is defined: import std.eaeu or declare one");
    ok = false;
  } else {
    p.condition = checkCondition(*decl.when, es, "the profile condition");
    if (p.condition->type->isError()) {
      ok = false;
    } else if (p.condition->op == Op::Literal) {
      sink_.report(Code::TK416, decl.when->range,
                   p.condition->literal.number ? "this condition is always true: the profile selects every declaration "
                                                 "(for a random share of them, write `random N%` in place of `when`)"
                                               : "this condition is always false: the profile never selects anything");
    }
  }

  if (!decl.has_apply) missing("apply", "apply DOC_CHECK");
  else checkMeasureRules(scope, decl, p);

  bool measures_ok = !p.measures.empty();
  for (const auto& m : p.measures) measures_ok &= m.measure != nullptr && (!m.condition || !m.condition->type->isError());
  if (measures_ok) analyseMeasures(p);
  if (ok && measures_ok && p.condition && !p.condition->type->isError()) program_->profiles.push_back(std::move(p));
}

// Officers read the instructions, never the condition: a confidential name in them (an
// indicator, a list or a table) would tell what the profile looks for.
void Checker::checkInstructions(const syntax::ProfileDecl& decl) {
  const std::string& text = *decl.instructions;
  std::set<std::string> secret;
  for (const auto& i : program_->indicators)
    if (!i.is_public) secret.insert(i.name);
  for (const auto& d : program_->data) secret.insert(d.name);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t i = 0; i < text.size();) {
    if (!word(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && word(text[end])) ++end;
    std::string w = text.substr(i, end - i);
    if (secret.count(w)) {
      sink_.report(Code::TK417, decl.instructions_range,
                   fmt::format("the instructions name `{}`, which officers may not see: say what to check, not what "
                               "the profile looks for",
                               w));
      return;
    }
    i = end;
  }
}

bool Checker::checkScope(const FileScope& scope, const syntax::ProfileDecl& decl, ProfileScope& out) {
  bool ok = true;
  std::set<std::string> seen;
  ExprScope es;
  es.file = &scope;
  for (const auto& item : decl.scope) {
    const std::string& key = item.key.name;
    if (!seen.insert(key).second) {
      sink_.report(Code::TK411, item.key.range, fmt::format("scope `{}` is given twice; list all values in one `{} in [...]`", key, key));
      ok = false;
      continue;
    }
    if (key == "stage") {
      for (const auto& v : item.values) {
        std::string text = v->kind == syntax::ExprKind::Name ? static_cast<const syntax::NameExpr&>(*v).name : "";
        if (text == "before_release") out.stages.push_back(Stage::BeforeRelease);
        else if (text == "at_release") out.stages.push_back(Stage::AtRelease);
        else if (text == "after_release") out.stages.push_back(Stage::AfterRelease);
        else {
          sink_.report(Code::TK207, v->range, "a stage is before_release, at_release or after_release");
          ok = false;
        }
      }
      continue;
    }
    if (key != "direction" && key != "procedure" && key != "office") {
      sink_.report(Code::TK207, item.key.range,
                   fmt::format("unknown scope `{}` (direction, procedure, office or stage)", key));
      ok = false;
      continue;
    }
    int field = program_->declaration.find(key);
    if (field < 0) {
      sink_.report(Code::TK414, item.key.range,
                   fmt::format("scope `{}` reads the declaration field `{}`, which the schema does not have", key, key));
      ok = false;
      continue;
    }
    const Type* type = program_->types.withOptional(program_->declaration.fields[static_cast<size_t>(field)].type, false);
    ScopeFilter filter;
    filter.key = key;
    filter.field = field;
    for (const auto& v : item.values) {
      ExprPtr value = checkExpr(*v, es, type);
      if (value->type->isError()) { ok = false; continue; }
      if (value->op != Op::Literal || value->type->kind != type->kind || value->type->enumeration != type->enumeration) {
        sink_.report(Code::TK301, v->range,
                     fmt::format("scope `{}` takes {} values, but this is a {}", key, describe(type), describe(value->type)));
        ok = false;
        continue;
      }
      filter.values.push_back(value->literal);
    }
    out.filters.push_back(std::move(filter));
  }
  return ok;
}

void Checker::checkMeasureRules(const FileScope& scope, const syntax::ProfileDecl& decl, Profile& profile) {
  ExprScope es;
  es.file = &scope;
  es.level = Level::Declaration;
  for (const auto& rule : decl.apply) {
    if (rule.measure.name.empty()) continue;  // left by error recovery; reported as a syntax error
    MeasureApplication app;
    app.range = rule.range;
    const Symbol* s = lookup(scope, rule.measure.name, rule.measure.range);
    if (s && s->kind == SymbolKind::Measure) {
      app.measure = static_cast<Measure*>(s->target);
      static_cast<Measure*>(s->target)->used = true;
    } else if (!isBrokenName(rule.measure.name)) {
      std::vector<std::string> names;
      for (const auto& m : program_->measures) names.push_back(m.name);
      sink_.report(Code::TK404, rule.measure.range,
                   fmt::format("no measure named `{}` in the catalogue{}", rule.measure.name,
                               didYouMean(closestName(rule.measure.name, names))));
    }
    if (rule.condition && program_->declaration.defined)
      app.condition = checkCondition(*rule.condition, es, "a measure condition");
    if (rule.sample) {
      if (*rule.sample < 0 || *rule.sample > 1'000'000) {
        sink_.report(Code::TK406, rule.sample_range, "a sampling share must be between 0% and 100%");
        app.measure = nullptr;
      }
      app.sample = rule.sample;
      app.sample_range = rule.sample_range;
    }
    profile.measures.push_back(std::move(app));
  }
}

}  // namespace tauekel::sema
