#include "governance/meaning.h"


#include <algorithm>
#include <map>
#include <set>

#include "compiler/sema/types.h"
#include "governance/digest.h"

namespace tauekel::governance {

namespace {

// A canonical form: each token as its length, a colon and its bytes, so no two
// different sequences of tokens write the same bytes.
class Canonical {
 public:
  Canonical& operator<<(std::string_view token) {
    out_ += std::to_string(token.size());
    out_ += ':';
    out_ += token;
    return *this;
  }
  Canonical& operator<<(int64_t n) { return *this << std::string_view(std::to_string(n)); }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

const char* levelName(sema::Level level) {
  switch (level) {
    case sema::Level::Declaration: return "declaration";
    case sema::Level::Item: return "item";
    case sema::Level::Person: return "person";
  }
  return "?";
}

// Writes checked expressions canonically, and notes what they reach.
class MeaningWriter {
 public:
  explicit MeaningWriter(const sema::Program& program) : program_(program) {}

  void field(Canonical& c, const sema::Schema& schema, int index) {
    const sema::Field& f = schema.fields[static_cast<size_t>(index)];
    c << f.name << sema::toString(*f.type) << f.column << f.round;
  }

  // Pre-order with each node's arity: one reading only, and no recursion (a chain of
  // operators is as deep as it is long).
  void expr(Canonical& c, const sema::Expr& root) {
    std::vector<const sema::Expr*> pending = {&root};
    while (!pending.empty()) {
      const sema::Expr& e = *pending.back();
      pending.pop_back();
      c << static_cast<int64_t>(e.op) << (e.type ? sema::toString(*e.type) : std::string("?"));
      switch (e.op) {
        case sema::Op::Literal:
          c << (e.type ? sema::formatValue(*e.type, e.literal) : std::string()) << e.literal.digits;
          break;
        case sema::Op::Record: c << levelName(e.level); break;
        case sema::Op::Field: {
          c << levelName(e.level);
          const sema::Schema& schema = e.level == sema::Level::Item     ? program_.item
                                       : e.level == sema::Level::Person ? program_.person
                                                                        : program_.declaration;
          field(c, schema, e.field);
          break;
        }
        case sema::Op::PersonField: field(c, program_.person, e.field); break;
        case sema::Op::PersonCategory: categories_ = true; break;
        case sema::Op::Call:
          c << e.indicator->name;
          indicators_.insert(e.indicator);
          break;
        case sema::Op::InData: case sema::Op::InTableKeys: case sema::Op::Lookup:
          c << e.data->name;
          data_.insert(e.data);
          break;
        case sema::Op::HsPrefix: case sema::Op::DatePart: c << e.number; break;
        case sema::Op::ScoreRef:
          c << e.score->name;
          scores_.insert(e.score);
          break;
        default: break;
      }
      c << static_cast<int64_t>(e.args.size());
      for (auto a = e.args.rbegin(); a != e.args.rend(); ++a) pending.push_back(a->get());
    }
  }

  std::set<const sema::Indicator*> indicators_;
  std::set<const sema::Score*> scores_;
  std::set<const sema::DataSet*> data_;
  bool categories_ = false;

 private:
  const sema::Program& program_;
};

}  // namespace

std::string meaningHash(const std::vector<MeaningPart>& parts) {
  Canonical c;
  c << "tauekel meaning 1";
  for (const auto& p : parts) c << p.name << p.hash;
  return "sha256:" + sha256Hex(c.bytes());
}

ProfileMeaning profileMeaning(const sema::Program& program, const sema::Profile& profile) {
  MeaningWriter w(program);
  std::map<std::string, std::string> parts;

  Canonical head;
  head << profile.id << (profile.area ? profile.area->name : std::string()) << sema::name(profile.level);
  head << static_cast<int64_t>(profile.scope.filters.size());
  for (const auto& f : profile.scope.filters) {
    head << f.key;
    w.field(head, program.declaration, f.field);
    const sema::Type& type = *program.declaration.fields[static_cast<size_t>(f.field)].type;
    head << static_cast<int64_t>(f.values.size());
    for (const auto& v : f.values) head << sema::formatValue(type, v);
  }
  head << static_cast<int64_t>(profile.scope.stages.size());
  for (auto s : profile.scope.stages) head << sema::name(s);
  head << profile.valid_from << (profile.valid_to ? *profile.valid_to : int64_t{-1});
  if (program.date_field >= 0) w.field(head, program.declaration, program.date_field);
  head << profile.instructions << (profile.random_share ? *profile.random_share : int64_t{-1});
  parts["profile"] = sha256Hex(head.bytes());

  Canonical condition;
  if (profile.condition) w.expr(condition, *profile.condition);
  parts["condition"] = sha256Hex(condition.bytes());
  // Level bands are part of the meaning only where there are some, so approvals of
  // profiles with one level stay valid.
  if (!profile.level_bands.empty()) {
    Canonical bands;
    for (const auto& band : profile.level_bands) {
      bands << sema::name(band.level);
      w.expr(bands, *band.condition);
    }
    parts["level bands"] = sha256Hex(bands.bytes());
  }

  Canonical measures;
  std::set<const sema::Measure*> catalogue;
  for (const auto& m : profile.measures) {
    measures << m.measure->name;
    catalogue.insert(m.measure);
    if (m.condition) w.expr(measures, *m.condition);
    else measures << "always";
    measures << (m.sample ? *m.sample : int64_t{-1});
  }
  parts["measures"] = sha256Hex(measures.bytes());
  for (const auto* m : catalogue) {
    Canonical c;
    c << sema::name(m->kind) << m->strength << sema::name(m->corridor) << (m->confidential ? "confidential" : "told");
    parts["measure " + m->name] = sha256Hex(c.bytes());
  }

  // What the expressions reach, to the bottom: indicators reach more.
  std::set<const sema::Indicator*> done;
  std::set<const sema::Score*> scores_done;
  bool categories_done = false;
  while (true) {
    const sema::Score* score = nullptr;
    for (const auto* s : w.scores_)
      if (!scores_done.count(s)) {
        score = s;
        break;
      }
    if (score) {
      scores_done.insert(score);
      Canonical c;
      c << static_cast<int64_t>(score->terms.size());
      for (const auto& term : score->terms) {
        w.expr(c, *term.points);
        if (term.condition) w.expr(c, *term.condition);
        else c << "always";
      }
      parts["score " + score->name] = sha256Hex(c.bytes());
      continue;
    }
    const sema::Indicator* next = nullptr;
    for (const auto* i : w.indicators_)
      if (!done.count(i)) {
        next = i;
        break;
      }
    if (next) {
      done.insert(next);
      Canonical c;
      c << levelName(next->level) << (next->is_public ? "public" : "confidential") << sema::name(next->statutory);
      w.expr(c, *next->body);
      parts["indicator " + next->name] = sha256Hex(c.bytes());
      continue;
    }
    if (w.categories_ && !categories_done) {
      categories_done = true;
      Canonical c;
      for (const auto& rule : program.categories.rules) {
        c << static_cast<int64_t>(rule.kind) << sema::name(rule.category);
        if (rule.condition) w.expr(c, *rule.condition);
      }
      parts["categories"] = sha256Hex(c.bytes());
      continue;
    }
    break;
  }
  for (const auto* d : w.data_) {
    Canonical c;
    c << (d->is_table ? "table" : "list") << (d->type ? sema::toString(*d->type) : std::string("?"));
    const sema::Type* key = d->type ? d->type->element : nullptr;
    const sema::Type* value = d->type && d->is_table ? d->type->value : nullptr;
    c << static_cast<int64_t>(d->keys.size());
    const bool two_keys = key && key->kind == sema::TypeKind::Pair;
    for (size_t i = 0; i < d->keys.size(); ++i) {
      if (two_keys) {
        c << sema::formatValue(*key->element, d->keys[i]) << d->keys[i].digits;
        if (i < d->keys2.size()) c << sema::formatValue(*key->value, d->keys2[i]) << d->keys2[i].digits;
      } else {
        c << (key ? sema::formatValue(*key, d->keys[i]) : std::string()) << d->keys[i].digits;
      }
      if (value && i < d->values.size()) c << sema::formatValue(*value, d->values[i]);
    }
    parts[std::string(d->is_table ? "table " : "list ") + d->name] = sha256Hex(c.bytes());
  }

  ProfileMeaning meaning;
  for (auto& [name, hash] : parts) meaning.parts.push_back(MeaningPart{name, hash});
  meaning.hash = meaningHash(meaning.parts);
  return meaning;
}

std::vector<std::string> meaningChanges(const std::vector<MeaningPart>& approved, const std::vector<MeaningPart>& now) {
  std::map<std::string, std::string> before, after;
  for (const auto& p : approved) before[p.name] = p.hash;
  for (const auto& p : now) after[p.name] = p.hash;
  std::vector<std::string> out;
  for (const auto& [name, hash] : after) {
    auto it = before.find(name);
    if (it == before.end()) out.push_back(name + " added");
    else if (it->second != hash) out.push_back(name + " changed");
  }
  for (const auto& [name, hash] : before)
    if (!after.count(name)) out.push_back(name + " removed");
  return out;
}

}  // namespace tauekel::governance
