// Declarations: packages and names, enums, schemas, reference data, catalogues,
// indicators and person-category rules.

#include <fmt/format.h>

#include <filesystem>

#include "compiler/sema/checker_impl.h"
#include "compiler/sema/print.h"

namespace tauekel::sema {

namespace {

const char* symbolKindName(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Enum: return "enum";
    case SymbolKind::Data: return "list or table";
    case SymbolKind::Area: return "risk area";
    case SymbolKind::Measure: return "measure";
    case SymbolKind::Indicator: return "indicator";
    case SymbolKind::Score: return "score";
  }
  return "declaration";
}

template <class Fn>
void forEachFile(const std::vector<FileScope>& scopes, Fn fn) {
  for (const auto& scope : scopes) fn(scope, *scope.file);
}

}  // namespace

std::unique_ptr<Program> check(const std::vector<const syntax::File*>& files, source::SourceManager& sources,
                               diag::Sink& sink, const CheckOptions& options) {
  Checker checker(sources, sink, options);
  return checker.run(files);
}

std::unique_ptr<Program> Checker::run(const std::vector<const syntax::File*>& files) {
  program_ = std::make_unique<Program>();
  collectScopes(files);
  checkEnums();
  checkSchemas();
  checkData();
  checkAreasAndMeasures();
  declareIndicators();
  declareScores();
  checkIndicators();
  checkScores();
  checkLearns();
  checkCategories();
  checkProfiles();
  reportUnused();
  return std::move(program_);
}

bool Checker::quietPackage(const std::string& package) const {
  for (const auto& prefix : options_.quiet_package_prefixes)
    if (package.rfind(prefix, 0) == 0) return true;
  return false;
}

void Checker::collectScopes(const std::vector<const syntax::File*>& files) {
  std::set<std::string> known_packages;
  for (const auto* file : files) known_packages.insert(file->package ? file->package->name : "main");
  for (const auto* file : files) {
    FileScope scope;
    scope.file = file;
    scope.package = file->package ? file->package->name : "main";
    scope.directory = std::filesystem::path(sources_.file(file->id).path()).parent_path().string();
    auto root = options_.data_roots.find(file->id);
    scope.data_root = root != options_.data_roots.end() ? root->second : scope.directory;
    if (scope.data_root.empty()) scope.data_root = ".";
    scope.visible.push_back(scope.package);
    for (const auto& imp : file->imports) {
      if (imp.name == scope.package) continue;
      if (!known_packages.count(imp.name)) {
        std::string hint = imp.name.rfind("std.", 0) == 0 ? " (the standard library has std.eaeu)" : "";
        sink_.report(Code::TK204, imp.range, fmt::format("no package named `{}` is loaded{}", imp.name, hint));
        continue;
      }
      scope.visible.push_back(imp.name);
    }
    for (const auto& name : file->broken_names) broken_names_.insert(name);
    any_syntax_errors_ = any_syntax_errors_ || file->syntax_errors;
    scopes_.push_back(std::move(scope));
  }
}

bool Checker::declare(const FileScope& scope, const std::string& name, const Range& range, SymbolKind kind,
                      void* target) {
  auto& names = packages_[scope.package];
  auto [it, inserted] = names.emplace(name, Symbol{kind, target, range});
  if (inserted) return true;
  auto& d = sink_.report(Code::TK203, range,
                         fmt::format("`{}` is already declared in package {} (as {})", name, scope.package,
                                     withArticle(symbolKindName(it->second.kind))));
  d.notes.push_back({it->second.range, "first declared here"});
  return false;
}

const Symbol* Checker::lookup(const FileScope& scope, const std::string& name, const Range& use,
                              bool report_ambiguity) {
  auto own = packages_.find(scope.package);
  if (own != packages_.end()) {
    auto it = own->second.find(name);
    if (it != own->second.end()) return &it->second;
  }
  const Symbol* found = nullptr;
  std::string found_in;
  for (size_t i = 1; i < scope.visible.size(); ++i) {
    auto pkg = packages_.find(scope.visible[i]);
    if (pkg == packages_.end()) continue;
    auto it = pkg->second.find(name);
    if (it == pkg->second.end()) continue;
    if (found && report_ambiguity) {
      auto& d = sink_.report(Code::TK205, use,
                             fmt::format("`{}` is declared by both {} and {}; rename one of them", name, found_in,
                                         scope.visible[i]));
      d.notes.push_back({found->range, fmt::format("declared in {}", found_in)});
      d.notes.push_back({it->second.range, fmt::format("declared in {}", scope.visible[i])});
      return found;
    }
    found = &it->second;
    found_in = scope.visible[i];
  }
  return found;
}

// ---- enums and schemas ------------------------------------------------------------

void Checker::checkEnums() {
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.enums) {
      EnumInfo info;
      info.name = decl.name.name;
      info.range = decl.range;
      info.package = scope.package;
      std::set<std::string> seen;
      for (const auto& m : decl.members) {
        if (!seen.insert(m.name).second) {
          sink_.report(Code::TK203, m.range, fmt::format("`{}` is listed twice in enum {}", m.name, decl.name.name));
          continue;
        }
        info.members.push_back(m.name);
      }
      program_->enums.push_back(std::move(info));
      if (!declare(scope, decl.name.name, decl.name.range, SymbolKind::Enum, &program_->enums.back()))
        program_->enums.back().used = true;
    }
  });
}

const Type* Checker::resolveType(const FileScope& scope, const syntax::TypeRef& ref, bool allow_person,
                                 bool allow_collections) {
  auto& types = program_->types;
  const std::string& n = ref.name.name;
  const Type* base = nullptr;
  auto expectArgs = [&](size_t count) {
    if (ref.args.size() == count) return true;
    sink_.report(Code::TK305, ref.range,
                 count == 0 ? fmt::format("type `{}` takes no type arguments", n)
                            : fmt::format("type `{}` takes {} type argument{}", n, count, count == 1 ? "" : "s"));
    return false;
  };
  static const std::map<std::string, TypeKind> kScalars = {
      {"bool", TypeKind::Bool}, {"int", TypeKind::Int},   {"decimal", TypeKind::Decimal},
      {"string", TypeKind::String}, {"date", TypeKind::Date}, {"hs", TypeKind::Hs},
      {"country", TypeKind::Country}};
  if (auto it = kScalars.find(n); it != kScalars.end()) {
    if (!expectArgs(0)) return types.error();
    base = types.get(it->second);
  } else if (n == "person") {
    if (!expectArgs(0)) return types.error();
    if (!allow_person) {
      sink_.report(Code::TK305, ref.range, "`person` fields belong in the declaration or item schema");
      return types.error();
    }
    base = types.get(TypeKind::Person);
  } else if (n == "set" || n == "map") {
    if (!allow_collections) {
      sink_.report(Code::TK305, ref.range, fmt::format("a field cannot be a {}; declare a list or table instead", n));
      return types.error();
    }
    // map<K1, K2, V>: a table keyed by two values.
    if (n == "map" && ref.args.size() == 3) {
      const Type* keys[2];
      for (size_t k = 0; k < 2; ++k) {
        keys[k] = resolveType(scope, ref.args[k], false, false);
        if (keys[k]->isError()) return keys[k];
        if (keys[k]->optional) {
          sink_.report(Code::TK305, ref.args[k].range, "elements and keys cannot be optional");
          return types.error();
        }
        if (keys[k]->kind == TypeKind::String) {
          sink_.report(Code::TK305, ref.args[k].range,
                       "a table with two keys is keyed by codes, numbers, dates or enum members, not text");
          return types.error();
        }
      }
      const Type* value = resolveType(scope, ref.args[2], false, false);
      if (value->isError()) return value;
      if (value->optional) {
        sink_.report(Code::TK305, ref.args[2].range, "table values cannot be optional; leave the row out instead");
        return types.error();
      }
      return types.withOptional(types.mapOf(types.pairOf(keys[0], keys[1]), value), ref.optional);
    }
    if (!expectArgs(n == "set" ? 1 : 2)) return types.error();
    const Type* first = resolveType(scope, ref.args[0], false, false);
    if (first->isError()) return first;
    if (first->optional) {
      sink_.report(Code::TK305, ref.args[0].range, "elements and keys cannot be optional");
      return types.error();
    }
    if (n == "set") {
      base = types.setOf(first);
    } else {
      const Type* second = resolveType(scope, ref.args[1], false, false);
      if (second->isError()) return second;
      if (second->optional) {
        sink_.report(Code::TK305, ref.args[1].range, "table values cannot be optional; leave the row out instead");
        return types.error();
      }
      base = types.mapOf(first, second);
    }
  } else {
    const Symbol* symbol = lookup(scope, n, ref.name.range);
    if (symbol == nullptr || symbol->kind != SymbolKind::Enum) {
      if (!isBrokenName(n))
        sink_.report(Code::TK206, ref.name.range,
                     fmt::format("unknown type `{}` (types: bool, int, decimal, string, date, hs, country, {}"
                                 "declared enums)",
                                 n, allow_collections ? "set<T>, map<K, V> and " : allow_person ? "person and " : ""));
      return types.error();
    }
    if (!expectArgs(0)) return types.error();
    auto* info = static_cast<EnumInfo*>(symbol->target);
    info->used = true;
    base = types.get(TypeKind::Enum, false, info);
  }
  return types.withOptional(base, ref.optional);
}

void Checker::checkSchemas() {
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.schemas) checkSchema(scope, decl);
  });
  // A CSV row carries a declaration's header and one of its items side by side, so their
  // columns need distinct names.
  if (program_->declaration.defined && program_->item.defined) {
    for (const auto& f : program_->item.fields) {
      for (const auto& h : program_->declaration.fields) {
        if (f.column != h.column) continue;
        auto& d = sink_.report(Code::TK415, f.range,
                               fmt::format("item field `{}` reads column \"{}\", which the declaration field `{}` "
                                           "reads too; give one of them another `column \"...\"`",
                                           f.name, f.column, h.name));
        d.notes.push_back({h.range, "declaration field declared here"});
      }
    }
  }
  auto& decl = program_->declaration;
  if (decl.defined) {
    int date_field = decl.find("date");
    if (date_field < 0 || decl.fields[static_cast<size_t>(date_field)].type->kind != TypeKind::Date ||
        decl.fields[static_cast<size_t>(date_field)].type->optional) {
      sink_.report(Code::TK415, decl.range,
                   "the declaration schema needs a field `date: date`: validity periods are checked against it");
    } else {
      program_->date_field = date_field;
    }
  }
}

void Checker::checkSchema(const FileScope& scope, const syntax::SchemaDecl& decl) {
  Schema* schema = nullptr;
  const std::string& kind = decl.kind.name;
  if (kind == "declaration") schema = &program_->declaration;
  else if (kind == "item") schema = &program_->item;
  else if (kind == "person") schema = &program_->person;
  else if (kind == "result") schema = &program_->result;
  else {
    sink_.report(Code::TK207, decl.kind.range,
                 fmt::format("unknown schema `{}`: a schema is for a declaration, an item, a person or a control "
                             "result", kind));
    return;
  }
  if (schema->defined) {
    // The standard library's files come last; blame the file the author can change.
    bool std_first = quietPackage(schema->package), std_now = quietPackage(scope.package);
    Range at = std_now && !std_first ? schema->range : decl.kind.range;
    Range other = std_now && !std_first ? decl.kind.range : schema->range;
    std::string hint = std_now || std_first ? "; do not import std.eaeu into a repository with its own schemas" : "";
    auto& d = sink_.report(Code::TK415, at,
                           fmt::format("a second {} schema: a program has one of each{}", kind, hint));
    d.notes.push_back({other, "the other one is here"});
    return;
  }
  schema->defined = true;
  schema->range = decl.kind.range;
  schema->package = scope.package;
  const bool is_person = schema->level == Level::Person;
  std::set<std::string> names;
  for (const auto& f : decl.fields) {
    if (!names.insert(f.name.name).second) {
      sink_.report(Code::TK203, f.name.range, fmt::format("field `{}` is declared twice", f.name.name));
      continue;
    }
    if (is_person && (f.name.name == "category" || f.name.name == "registered")) {
      sink_.report(Code::TK415, f.name.range,
                   fmt::format("`{}` is given by the engine for every person; choose another field name", f.name.name));
      continue;
    }
    Field field;
    field.name = f.name.name;
    field.type = resolveType(scope, f.type, !is_person, false);
    field.column = f.column.value_or(f.name.name);
    field.key = f.key;
    if (f.round) {
      if (field.type->kind != TypeKind::Decimal) {
        sink_.report(Code::TK305, f.round_range, "`round` applies to decimal fields only");
      } else if (*f.round < 0 || *f.round > 6) {
        sink_.report(Code::TK207, f.round_range, "`round` takes 0 to 6 digits");
      } else {
        field.round = static_cast<int>(*f.round);
      }
    }
    field.range = f.range;
    if (f.key) {
      if (schema->key_field >= 0) {
        sink_.report(Code::TK415, f.range, "a schema has at most one key field");
      } else if (field.type->kind != TypeKind::String || field.type->optional) {
        sink_.report(Code::TK415, f.range, "a key field must be a `string` (identifiers keep leading zeros)");
      } else {
        schema->key_field = static_cast<int>(schema->fields.size());
      }
    }
    schema->fields.push_back(std::move(field));
  }
  if (schema == &program_->result) {
    if (schema->key_field >= 0)
      sink_.report(Code::TK415, schema->fields[static_cast<size_t>(schema->key_field)].range,
                   "the result schema has no key: a declaration may have several results (one per goods item); "
                   "its field `declaration` names the declaration");
    checkResultSchema();
    return;
  }
  if (schema->key_field < 0 && schema->level != Level::Item)
    sink_.report(Code::TK415, decl.kind.range,
                 fmt::format("the {} schema needs a key field: mark its identifier with `key`", kind));
}

// The roles of the result schema's fields, by name; each with the one type it may have.
void Checker::checkResultSchema() {
  const Schema& schema = program_->result;
  ResultFields& roles = program_->result_fields;
  struct Role {
    const char* name;
    TypeKind kind;
    const char* type;
    bool required;
    int ResultFields::*index;
    const char* what;
  };
  static const Role kRoles[] = {
      {"declaration", TypeKind::String, "string", true, &ResultFields::declaration, "the key of the declaration controlled"},
      {"date", TypeKind::Date, "date", true, &ResultFields::date, "the date of the control"},
      {"violation", TypeKind::Bool, "bool", true, &ResultFields::violation, "whether a violation was found"},
      {"item", TypeKind::Int, "int", false, &ResultFields::item, "the goods item controlled, numbered from 1"},
      {"kind", TypeKind::String, "string", false, &ResultFields::kind, "the kind of violation"},
      {"payments", TypeKind::Decimal, "decimal", false, &ResultFields::payments, "additional payments assessed"},
      {"measures", TypeKind::String, "string", false, &ResultFields::measures, "the measures applied, codes separated by `;`"},
  };
  for (const Role& role : kRoles) {
    int f = schema.find(role.name);
    if (f < 0) {
      if (role.required)
        sink_.report(Code::TK415, schema.range,
                     fmt::format("the result schema needs a field `{}: {}`: {}", role.name, role.type, role.what));
      continue;
    }
    const Field& field = schema.fields[static_cast<size_t>(f)];
    if (field.type->isError()) continue;
    bool may_be_missing = !role.required;
    if (field.type->kind != role.kind || (field.type->optional && !may_be_missing)) {
      sink_.report(Code::TK415, field.range,
                   fmt::format("result field `{}` holds {}: it must be `{}`{}", role.name, role.what, role.type,
                               may_be_missing ? fmt::format(" or `{}?`", role.type) : std::string()));
      continue;
    }
    roles.*role.index = f;
  }
}

// ---- reference data ---------------------------------------------------------------

void Checker::checkData() {
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.data) {
      DataSet data;
      data.name = decl.name.name;
      data.is_table = decl.is_table;
      data.range = decl.name.range;
      data.package = scope.package;
      program_->data.push_back(std::move(data));
      DataSet& d = program_->data.back();
      if (!declare(scope, decl.name.name, decl.name.range, SymbolKind::Data, &d)) d.used = true;

      const char* what = decl.is_table ? "table" : "list";
      d.type = resolveType(scope, decl.type, false, true);
      if (d.type->isError()) continue;
      TypeKind wanted = decl.is_table ? TypeKind::Map : TypeKind::Set;
      if (d.type->kind != wanted || d.type->optional) {
        sink_.report(Code::TK305, decl.type.range,
                     decl.is_table ? "a table is a map<K, V>, e.g. map<hs, decimal>"
                                   : "a list is a set<T>, e.g. set<country>; for key -> value pairs declare a table");
        d.type = program_->types.error();
        continue;
      }
      bool options_ok = true;
      for (const auto& opt : decl.options) {
        const std::string& o = opt.name.name;
        bool two_keys = d.type && d.type->element && d.type->element->kind == TypeKind::Pair;
        bool known = decl.is_table ? (o == "key" || o == "value" || (two_keys && o == "key2")) : o == "column";
        if (!known) {
          sink_.report(Code::TK207, opt.name.range,
                       fmt::format("a {} takes {}, not `{}`", what,
                                   !decl.is_table ? "`column:`"
                                   : two_keys     ? "`key:`, `key2:` and `value:`"
                                                  : "`key:` and `value:`",
                                   o));
          options_ok = false;
          continue;
        }
        if (o == "value") d.value_column = opt.value;
        else if (o == "key2") d.key2_column = opt.value;
        else d.key_column = opt.value;
      }
      if (!options_ok) continue;
      if (!resolveDataPath(scope, decl, d)) continue;
      readDataFile(d, decl);
    }
  });
}

// ---- catalogues -------------------------------------------------------------------

void Checker::checkAreasAndMeasures() {
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.areas) {
      Area area;
      area.name = decl.name.name;
      area.title = decl.title;
      area.range = decl.name.range;
      area.package = scope.package;
      if (decl.recommended_by) {
        if (decl.recommended_by->name == "commission")
          area.recommended = true;
        else
          sink_.report(Code::TK207, decl.recommended_by->range,
                       fmt::format("`recommended_by` takes `commission`, not `{}`", decl.recommended_by->name));
      }
      program_->areas.push_back(std::move(area));
      if (!declare(scope, decl.name.name, decl.name.range, SymbolKind::Area, &program_->areas.back()))
        program_->areas.back().used = true;
    }
    for (const auto& decl : file.measures) {
      Measure m;
      m.name = decl.name.name;
      m.title = decl.title;
      m.confidential = decl.confidential;
      m.range = decl.name.range;
      m.package = scope.package;
      static const std::map<std::string, MeasureKind> kKinds = {{"documentary", MeasureKind::Documentary},
                                                                {"physical", MeasureKind::Physical},
                                                                {"post_release", MeasureKind::PostRelease},
                                                                {"other", MeasureKind::Other}};
      static const std::map<std::string, Corridor> kCorridors = {
          {"green", Corridor::Green}, {"blue", Corridor::Blue}, {"yellow", Corridor::Yellow}, {"red", Corridor::Red}};
      if (!decl.kind) {
        sink_.report(Code::TK410, decl.name.range, fmt::format("measure {} needs a `kind`", m.name));
      } else if (auto it = kKinds.find(decl.kind->name); it != kKinds.end()) {
        m.kind = it->second;
      } else {
        sink_.report(Code::TK207, decl.kind->range,
                     fmt::format("unknown measure kind `{}` (documentary, physical, post_release or other)", decl.kind->name));
      }
      if (!decl.corridor) {
        sink_.report(Code::TK410, decl.name.range, fmt::format("measure {} needs a `corridor`", m.name));
      } else if (auto it = kCorridors.find(decl.corridor->name); it != kCorridors.end()) {
        m.corridor = it->second;
      } else {
        sink_.report(Code::TK207, decl.corridor->range,
                     fmt::format("unknown corridor `{}` (green, blue, yellow or red)", decl.corridor->name));
      }
      if (!decl.strength)
        sink_.report(Code::TK410, decl.name.range,
                     fmt::format("measure {} needs a `strength`: it orders measures from mildest to strongest", m.name));
      else
        m.strength = *decl.strength;
      program_->measures.push_back(std::move(m));
      if (!declare(scope, decl.name.name, decl.name.range, SymbolKind::Measure, &program_->measures.back()))
        program_->measures.back().used = true;
    }
    for (const auto& decl : file.windows) checkWindow(scope, decl);
    for (const auto& decl : file.corridor_targets) checkCorridorTargets(decl);
  });
}

void Checker::checkCorridorTargets(const syntax::CorridorTargetsDecl& decl) {
  if (program_->corridor_targets_range.valid()) {
    auto& d = sink_.report(Code::TK203, decl.range, "corridor targets are declared twice; a program has one set");
    d.notes.push_back({program_->corridor_targets_range, "first declared here"});
    return;
  }
  program_->corridor_targets_range = decl.range;
  static const std::map<std::string, Corridor> kCorridors = {
      {"green", Corridor::Green}, {"blue", Corridor::Blue}, {"yellow", Corridor::Yellow}, {"red", Corridor::Red}};
  int64_t total = 0;
  for (const auto& t : decl.targets) {
    auto it = kCorridors.find(t.corridor.name);
    if (it == kCorridors.end()) {
      sink_.report(Code::TK207, t.corridor.range,
                   fmt::format("unknown corridor `{}` (green, blue, yellow or red)", t.corridor.name));
      continue;
    }
    auto& slot = program_->corridor_targets[static_cast<size_t>(it->second)];
    if (slot) {
      sink_.report(Code::TK203, t.corridor.range, fmt::format("the {} corridor's target is given twice", t.corridor.name));
      continue;
    }
    if (!t.share) continue;  // a bad literal, reported
    if (*t.share < 0 || *t.share > 1'000'000) {
      sink_.report(Code::TK406, t.share_range, "a corridor's target share must be within 0-100%");
      continue;
    }
    slot = *t.share;
    total += *t.share;
  }
  if (total > 1'000'000)
    sink_.report(Code::TK406, decl.range, "the corridor targets add up to more than 100% of the declarations");
}

// `window after_release N days|months|years`. The standard library sets the Code's
// default; a repository's own declaration replaces it; two of a repository's clash.
void Checker::checkWindow(const FileScope& scope, const syntax::WindowDecl& decl) {
  if (decl.kind.name != "after_release") {
    sink_.report(Code::TK207, decl.kind.range,
                 fmt::format("a window is for `after_release` (control after release), not `{}`", decl.kind.name));
    return;
  }
  AfterReleaseWindow w;
  if (decl.unit.name == "days" || decl.unit.name == "day") w.unit = AfterReleaseWindow::Unit::Days;
  else if (decl.unit.name == "months" || decl.unit.name == "month") w.unit = AfterReleaseWindow::Unit::Months;
  else if (decl.unit.name == "years" || decl.unit.name == "year") w.unit = AfterReleaseWindow::Unit::Years;
  else {
    sink_.report(Code::TK207, decl.unit.range, fmt::format("a window is in days, months or years, not `{}`", decl.unit.name));
    return;
  }
  if (decl.amount < 1 || decl.amount > 100 * 366) {
    sink_.report(Code::TK207, decl.amount_range, "a window is at least 1 and at most 100 years long");
    return;
  }
  w.defined = true;
  w.amount = decl.amount;
  w.range = decl.range;
  w.package = scope.package;
  AfterReleaseWindow& current = program_->after_release_window;
  bool standard = scope.package.rfind("std.", 0) == 0;
  bool current_standard = current.package.rfind("std.", 0) == 0;
  if (current.defined && !standard && !current_standard) {
    auto& d = sink_.report(Code::TK203, decl.range, "the after-release window is declared twice");
    d.notes.push_back({current.range, "first declared here"});
    return;
  }
  if (current.defined && standard && !current_standard) return;  // the repository's stands
  current = w;
}

// ---- indicators -------------------------------------------------------------------

void Checker::declareIndicators() {
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.indicators) {
      Indicator ind;
      ind.name = decl.name.name;
      ind.range = decl.name.range;
      ind.package = scope.package;
      ind.is_public = decl.is_public;
      const std::string& param = decl.param.name;
      bool level_ok = true;
      if (param == "declaration") ind.level = Level::Declaration;
      else if (param == "item") ind.level = Level::Item;
      else if (param == "person") ind.level = Level::Person;
      else {
        sink_.report(Code::TK207, decl.param.range,
                     fmt::format("an indicator is about a declaration, an item or a person; write ({}) as one "
                                 "of (declaration), (item) or (person)",
                                 param));
        level_ok = false;
      }
      if (decl.statutory_kind) {
        const std::string& k = decl.statutory_kind->name;
        if (k == "liability") ind.statutory = StatutoryKind::Liability;
        else if (k == "arrears") ind.statutory = StatutoryKind::Arrears;
        else
          sink_.report(Code::TK402, decl.statutory_kind->range,
                       fmt::format("unknown indicator kind `{}`: the statutory kinds are `liability` (liability "
                                   "for customs offences) and `arrears` (unpaid customs payments, taxes or duties)",
                                   k));
      }
      if (decl.is_public && ind.statutory == StatutoryKind::None && !decl.statutory_kind) {
        sink_.report(Code::TK401, decl.public_range,
                     "indicators are confidential; only the statutory kinds may be public: write `public liability "
                     "indicator` or `public arrears indicator`, or drop `public`");
      }
      if (ind.statutory != StatutoryKind::None && level_ok && ind.level != Level::Person) {
        sink_.report(Code::TK401, decl.statutory_kind->range,
                     fmt::format("{} indicator describes a person: declare it as {}(person)",
                                 withArticle(name(ind.statutory)), ind.name));
      }
      program_->indicators.push_back(std::move(ind));
      Indicator* stored = &program_->indicators.back();
      if (!declare(scope, decl.name.name, decl.name.range, SymbolKind::Indicator, stored)) stored->used = true;
      indicator_decls_[stored] = &decl;
      indicator_scopes_[stored] = &scope;
      indicator_state_[stored] = level_ok ? CheckState::Unchecked : CheckState::Failed;
    }
  });
}

void Checker::checkIndicatorBody(Indicator& ind) {
  indicator_state_[&ind] = CheckState::Checking;
  indicator_stack_.push_back(&ind);
  const auto* decl = indicator_decls_[&ind];
  ExprScope scope;
  scope.file = indicator_scopes_[&ind];
  scope.level = ind.level;
  scope.param = decl->param.name;
  if (ind.level == Level::Item) scope.item_var = decl->param.name;
  if (ind.level == Level::Item && !program_->item.defined) {
    sink_.report(Code::TK415, decl->param.range, "no item schema is defined for goods-item indicators");
  } else if (ind.level == Level::Person && !program_->person.defined) {
    sink_.report(Code::TK415, decl->param.range, "no person schema is defined for person indicators");
  } else {
    ind.body = checkCondition(*decl->body, scope, "an indicator");
  }
  indicator_stack_.pop_back();
  bool ok = ind.body && !ind.body->type->isError();
  ind.type = ok ? ind.body->type : program_->types.error();
  indicator_state_[&ind] = ok ? CheckState::Done : CheckState::Failed;
}

// ---- risk scores ------------------------------------------------------------------

void Checker::declareScores() {
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.scores) {
      Score score;
      score.name = decl.name.name;
      score.title = decl.title.value_or("");
      score.range = decl.name.range;
      score.package = scope.package;
      program_->scores.push_back(std::move(score));
      Score* stored = &program_->scores.back();
      if (!declare(scope, decl.name.name, decl.name.range, SymbolKind::Score, stored)) stored->used = true;
      score_decls_[stored] = {&decl, &scope};
    }
  });
}

void Checker::checkScores() {
  for (Score& score : program_->scores) {
    auto [decl, file] = score_decls_[&score];
    ExprScope scope;
    scope.file = file;
    scope.level = Level::Declaration;
    scope.param = "declaration";
    scope.in_score = true;
    if (decl->terms.empty())
      sink_.report(Code::TK410, decl->name.range,
                   fmt::format("score `{}` has no terms: give it at least one `points N when CONDITION`", score.name));
    for (const auto& t : decl->terms) {
      ScoreTerm term;
      term.range = t.range;
      term.points = checkExpr(*t.points, scope, program_->types.get(TypeKind::Decimal));
      const Type* type = term.points->type;
      if (!type->isError() && !type->isNumeric()) {
        sink_.report(Code::TK301, t.points->range,
                     fmt::format("a score's points are a number (int or decimal), but this is a {}", describe(type)));
      } else if (!type->isError() && type->optional) {
        sink_.report(Code::TK302, t.points->range,
                     "a score's points must never be missing; say what a missing value counts, e.g. `(...) ?? 0`");
      }
      if (t.condition) term.condition = checkCondition(*t.condition, scope, "a score term's condition");
      // The term as explanations show it: the checked form, printed.
      if (!term.points->type->isError()) term.text = print(*term.points, *program_);
      if (term.condition && !term.condition->type->isError())
        term.text += " when " + print(*term.condition, *program_);
      score.terms.push_back(std::move(term));
    }
  }
}

void Checker::checkLearns() {
  forEachFile(scopes_, [&](const FileScope& file, const syntax::File& syntax_file) {
    for (const auto& decl : syntax_file.learns) {
      Learn learn;
      learn.name = decl.name.name;
      learn.title = decl.title.value_or("");
      learn.range = decl.name.range;
      learn.package = file.package;
      for (const auto& other : program_->learns)
        if (other.name == learn.name) {
          auto& d = sink_.report(Code::TK203, decl.name.range, fmt::format("`learn {}` is declared twice", learn.name));
          d.notes.push_back({other.range, "first declared here"});
        }
      if (decl.keys.empty())
        sink_.report(Code::TK410, decl.name.range,
                     fmt::format("`learn {}` names no keys: give at least one `key item.hs.subheading`", learn.name));
      // Keys are read per goods item; declaration fields are visible there too.
      ExprScope scope;
      scope.file = &file;
      scope.level = Level::Item;
      scope.param = "item";
      scope.item_var = "item";
      scope.in_score = true;
      for (const auto& k : decl.keys) {
        LearnKey key;
        key.range = k.range;
        bool ok = true;
        for (const auto& part : k.parts) {
          ExprPtr e = checkExpr(*part, scope, nullptr);
          if (e->type->isError()) {
            ok = false;
          } else if (!e->type->isScalar()) {
            sink_.report(Code::TK301, part->range,
                         fmt::format("a key is a value (a code, number, date, text or enum member), but this is a {}",
                                     describe(e->type)));
            ok = false;
          } else if (k.parts.size() == 2 && e->type->kind == TypeKind::String) {
            sink_.report(Code::TK305, part->range,
                         "a key of two values is made of codes, numbers, dates or enum members, not text");
            ok = false;
          }
          if (ok) key.text += (key.text.empty() ? "" : ", ") + print(*e, *program_);
          key.parts.push_back(std::move(e));
        }
        if (ok) learn.keys.push_back(std::move(key));
      }
      program_->learns.push_back(std::move(learn));
    }
  });
}

// ---- person categories ------------------------------------------------------------

void Checker::checkCategories() {
  const syntax::CategoryDecl* first = nullptr;
  forEachFile(scopes_, [&](const FileScope& scope, const syntax::File& file) {
    for (const auto& decl : file.categories) {
      if (first) {
        auto& d = sink_.report(Code::TK203, decl.range.valid() ? decl.subject.range : decl.range,
                               "category rules are already declared; a program has one set");
        d.notes.push_back({first->subject.range, "first declared here"});
        continue;
      }
      first = &decl;
      if (decl.subject.name != "person") {
        sink_.report(Code::TK207, decl.subject.range,
                     fmt::format("category rules are `for person`, not `for {}`", decl.subject.name));
        continue;
      }
      if (!program_->person.defined) {
        sink_.report(Code::TK415, decl.subject.range, "category rules need a person schema");
        continue;
      }
      CategoryRules& rules = program_->categories;
      rules.defined = true;
      rules.range = decl.subject.range;
      bool seen_otherwise = false, seen_unregistered = false, ok = true;
      for (const auto& r : decl.rules) {
        CategoryRule rule;
        rule.kind = static_cast<CategoryRule::Kind>(r.kind);
        rule.range = r.range;
        int category = program_->category_enum->find(r.category.name);
        if (category < 0) {
          sink_.report(Code::TK207, r.category.range,
                       fmt::format("unknown category `{}` (low, medium or high)", r.category.name));
          ok = false;
        }
        rule.category = static_cast<RiskLevel>(std::max(category, 0));
        if (seen_otherwise && r.kind != syntax::CategoryRule::Unregistered) {
          sink_.report(Code::TK413, r.range, "this rule comes after `otherwise` and can never apply");
          ok = false;
          continue;
        }
        if (r.kind == syntax::CategoryRule::Unregistered) {
          if (seen_unregistered) {
            sink_.report(Code::TK413, r.range, "`when unregistered` is given twice; the second never applies");
            ok = false;
            continue;
          }
          seen_unregistered = true;
        } else if (r.kind == syntax::CategoryRule::Otherwise) {
          seen_otherwise = true;
        } else {
          ExprScope es;
          es.file = &scope;
          es.level = Level::Person;
          es.param = "person";
          es.in_category_rules = true;
          rule.condition = checkCondition(*r.condition, es, "a category rule");
          if (!rule.condition || rule.condition->type->isError()) ok = false;
        }
        rules.rules.push_back(std::move(rule));
      }
      if (!seen_otherwise) {
        sink_.report(Code::TK412, decl.rules.empty() ? decl.subject.range : decl.rules.back().range,
                     "category rules must end with an `otherwise` rule, so every person gets a category");
        ok = false;
      }
      if (!ok) rules.defined = false;
    }
  });
}

// ---- hygiene ----------------------------------------------------------------------

void Checker::reportUnused() {
  // After a syntax error, what the dropped text used looks unused: saying so would send
  // the author after declarations that are fine. The syntax error comes first.
  if (any_syntax_errors_) return;
  auto warn = [&](bool used, const std::string& package, const Range& range, const char* what, const std::string& n) {
    if (used || quietPackage(package)) return;
    sink_.report(Code::TK601, range, fmt::format("{} `{}` is never used", what, n));
  };
  for (const auto& d : program_->data) warn(d.used, d.package, d.range, d.is_table ? "table" : "list", d.name);
  for (const auto& i : program_->indicators) warn(i.used, i.package, i.range, "indicator", i.name);
  for (const auto& a : program_->areas) warn(a.used, a.package, a.range, "risk area", a.name);
  for (const auto& m : program_->measures) warn(m.used, m.package, m.range, "measure", m.name);
  for (const auto& e : program_->enums) warn(e.used, e.package, e.range, "enum", e.name);
}

}  // namespace tauekel::sema
