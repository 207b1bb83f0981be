#include "governance/package.h"

#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>

#include "governance/approvals.h"
#include "governance/digest.h"
#include "support/input_file.h"
#include "support/json.h"

namespace tauekel::governance {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "tauekel-package/1";
constexpr size_t kBlockBytes = 4096;
constexpr uint64_t kMaxPackageBytes = uint64_t{4} << 30;

// ---- writing ------------------------------------------------------------------------

class ProgramWriter {
 public:
  ProgramWriter(const sema::Program& program, json::Writer& w) : p_(program), w_(w) {
    size_t i = 0;
    for (const auto& e : program.enums) enums_[&e] = static_cast<int64_t>(i++);
    i = 0;
    for (const auto& d : program.data) data_[&d] = static_cast<int64_t>(i++);
    i = 0;
    for (const auto& ind : program.indicators) indicators_[&ind] = static_cast<int64_t>(i++);
    i = 0;
    for (const auto& score : program.scores) scores_[&score] = static_cast<int64_t>(i++);
    i = 0;
    for (const auto& a : program.areas) areas_[&a] = static_cast<int64_t>(i++);
    i = 0;
    for (const auto& m : program.measures) measures_[&m] = static_cast<int64_t>(i++);
  }

  // Types are listed first; everything else refers to them by number. They are found
  // by a first pass over the program (collect), then written (types).
  int64_t type(const sema::Type* t) {
    if (t == nullptr) return -1;
    if (auto it = types_.find(t); it != types_.end()) return it->second;
    type(t->element);
    type(t->value);
    auto n = static_cast<int64_t>(type_list_.size());
    types_[t] = n;
    type_list_.push_back(t);
    return n;
  }

  void collectExpr(const sema::Expr* root) {
    if (!root) return;
    std::vector<const sema::Expr*> pending = {root};
    while (!pending.empty()) {
      const sema::Expr* e = pending.back();
      pending.pop_back();
      type(e->type);
      for (const auto& a : e->args) pending.push_back(a.get());
    }
  }

  void collect() {
    for (const auto* schema : {&p_.declaration, &p_.item, &p_.person, &p_.result})
      for (const auto& f : schema->fields) type(f.type);
    for (const auto& d : p_.data) type(d.type);
    for (const auto& ind : p_.indicators) {
      type(ind.type);
      collectExpr(ind.body.get());
    }
    for (const auto& r : p_.categories.rules) collectExpr(r.condition.get());
    for (const auto& score : p_.scores)
      for (const auto& term : score.terms) {
        collectExpr(term.points.get());
        collectExpr(term.condition.get());
      }
    for (const auto& prof : p_.profiles) {
      collectExpr(prof.condition.get());
      for (const auto& m : prof.measures) collectExpr(m.condition.get());
      for (const auto& band : prof.level_bands) collectExpr(band.condition.get());
    }
  }

  void types() {
    w_.beginArray();
    for (const auto* t : type_list_) {
      w_.beginArray().value(static_cast<int64_t>(t->kind)).value(t->optional);
      w_.value(t->enumeration ? enums_.at(t->enumeration) : int64_t{-1});
      w_.value(t->element ? types_.at(t->element) : int64_t{-1}).value(t->value ? types_.at(t->value) : int64_t{-1});
      w_.endArray();
    }
    w_.endArray();
  }

  void value(const sema::Value& v) { w_.beginArray().value(v.number).value(v.text).value(static_cast<int64_t>(v.digits)).endArray(); }

  // Operands before the node that uses them; each node: op, type, operands, level,
  // field, number, data set, indicator, literal.
  void expr(const sema::Expr* root) {
    if (!root) {
      w_.null();
      return;
    }
    std::vector<const sema::Expr*> order;
    std::vector<std::pair<const sema::Expr*, bool>> pending = {{root, false}};
    while (!pending.empty()) {
      auto [e, expanded] = pending.back();
      pending.pop_back();
      if (expanded) {
        order.push_back(e);
        continue;
      }
      pending.push_back({e, true});
      for (auto a = e->args.rbegin(); a != e->args.rend(); ++a) pending.push_back({a->get(), false});
    }
    w_.beginArray();
    for (const auto* e : order) {
      w_.beginArray().value(static_cast<int64_t>(e->op)).value(type(e->type)).value(static_cast<int64_t>(e->args.size()));
      w_.value(static_cast<int64_t>(e->level)).value(static_cast<int64_t>(e->field)).value(e->number);
      // The seventh part names the indicator a call calls, or the score a score reference names.
      int64_t named = e->indicator ? indicators_.at(e->indicator) : e->score ? scores_.at(e->score) : int64_t{-1};
      w_.value(e->data ? data_.at(e->data) : int64_t{-1}).value(named);
      w_.value(e->literal.number).value(e->literal.text).value(static_cast<int64_t>(e->literal.digits)).endArray();
    }
    w_.endArray();
  }

  void schema(const sema::Schema& s) {
    w_.beginObject().key("defined").value(s.defined).key("level").value(static_cast<int64_t>(s.level));
    w_.key("key_field").value(static_cast<int64_t>(s.key_field)).key("package").value(s.package).key("fields").beginArray();
    for (const auto& f : s.fields) {
      w_.beginArray().value(f.name).value(type(f.type)).value(f.column).value(f.key).value(static_cast<int64_t>(f.round));
      w_.endArray();
    }
    w_.endArray().endObject();
  }

  void program() {
    collect();
    w_.beginObject().key("types");
    types();
    w_.key("enums").beginArray();
    for (const auto& e : p_.enums) {
      w_.beginObject().key("name").value(e.name).key("package").value(e.package).key("members").beginArray();
      for (const auto& m : e.members) w_.value(m);
      w_.endArray().endObject();
    }
    w_.endArray();
    w_.key("declaration");
    schema(p_.declaration);
    w_.key("item");
    schema(p_.item);
    w_.key("person");
    schema(p_.person);
    w_.key("result");
    schema(p_.result);
    const sema::ResultFields& rf = p_.result_fields;
    w_.key("result_fields").beginArray();
    for (int f : {rf.declaration, rf.date, rf.violation, rf.item, rf.kind, rf.payments, rf.measures})
      w_.value(static_cast<int64_t>(f));
    w_.endArray();
    w_.key("date_field").value(static_cast<int64_t>(p_.date_field));
    w_.key("corridor_targets").beginArray();
    for (const auto& t : p_.corridor_targets) w_.value(t ? *t : int64_t{-1});
    w_.endArray();
    w_.key("data").beginArray();
    for (const auto& d : p_.data) {
      w_.beginObject().key("name").value(d.name).key("table").value(d.is_table).key("type").value(type(d.type));
      w_.key("package").value(d.package).key("keys").beginArray();
      for (const auto& k : d.keys) value(k);
      w_.endArray().key("values").beginArray();
      for (const auto& v : d.values) value(v);
      w_.endArray().key("keys2").beginArray();
      for (const auto& k : d.keys2) value(k);
      w_.endArray().endObject();
    }
    w_.endArray();
    w_.key("areas").beginArray();
    for (const auto& a : p_.areas)
      w_.beginArray().value(a.name).value(a.title).value(a.recommended).value(a.package).endArray();
    w_.endArray();
    w_.key("measures").beginArray();
    for (const auto& m : p_.measures) {
      w_.beginArray().value(m.name).value(m.title).value(static_cast<int64_t>(m.kind)).value(m.strength);
      w_.value(static_cast<int64_t>(m.corridor)).value(m.confidential).value(m.package).endArray();
    }
    w_.endArray();
    // Indicators in two passes when read (all named, then bodies): a body may call any.
    w_.key("indicators").beginArray();
    for (const auto& ind : p_.indicators) {
      w_.beginObject().key("name").value(ind.name).key("level").value(static_cast<int64_t>(ind.level));
      w_.key("public").value(ind.is_public).key("statutory").value(static_cast<int64_t>(ind.statutory));
      w_.key("type").value(type(ind.type)).key("package").value(ind.package).key("body");
      expr(ind.body.get());
      w_.endObject();
    }
    w_.endArray();
    w_.key("scores").beginArray();
    for (const auto& score : p_.scores) {
      w_.beginObject().key("name").value(score.name).key("title").value(score.title).key("package").value(score.package);
      w_.key("terms").beginArray();
      for (const auto& term : score.terms) {
        w_.beginObject().key("text").value(term.text).key("points");
        expr(term.points.get());
        w_.key("condition");
        expr(term.condition.get());
        w_.endObject();
      }
      w_.endArray().endObject();
    }
    w_.endArray();
    w_.key("categories").beginObject().key("defined").value(p_.categories.defined).key("rules").beginArray();
    for (const auto& r : p_.categories.rules) {
      w_.beginObject().key("kind").value(static_cast<int64_t>(r.kind)).key("category").value(static_cast<int64_t>(r.category));
      w_.key("condition");
      expr(r.condition.get());
      w_.endObject();
    }
    w_.endArray().endObject();
    const auto& win = p_.after_release_window;
    w_.key("window").beginArray().value(win.defined).value(win.amount).value(static_cast<int64_t>(win.unit));
    w_.value(win.package).endArray();
    w_.key("profiles").beginArray();
    for (const auto& prof : p_.profiles) profile(prof);
    w_.endArray().endObject();
  }

  void profile(const sema::Profile& prof) {
    w_.beginObject().key("id").value(prof.id).key("title").value(prof.title);
    w_.key("area").value(prof.area ? areas_.at(prof.area) : int64_t{-1});
    w_.key("valid").beginArray().value(prof.has_validity).value(static_cast<int64_t>(prof.valid_from));
    w_.value(prof.valid_to ? static_cast<int64_t>(*prof.valid_to) : INT64_MIN).endArray();
    w_.key("scope").beginObject().key("filters").beginArray();
    for (const auto& f : prof.scope.filters) {
      w_.beginObject().key("key").value(f.key).key("field").value(static_cast<int64_t>(f.field)).key("values").beginArray();
      for (const auto& v : f.values) value(v);
      w_.endArray().endObject();
    }
    w_.endArray().key("stages").beginArray();
    for (auto s : prof.scope.stages) w_.value(static_cast<int64_t>(s));
    w_.endArray().endObject();
    w_.key("level").value(static_cast<int64_t>(prof.level)).key("state").value(static_cast<int64_t>(prof.state));
    w_.key("instructions").value(prof.instructions);
    w_.key("random").value(prof.random_share ? *prof.random_share : int64_t{-1});
    w_.key("package").value(prof.package).key("condition");
    expr(prof.condition.get());
    w_.key("level_bands").beginArray();
    for (const auto& band : prof.level_bands) {
      w_.beginObject().key("level").value(static_cast<int64_t>(band.level)).key("condition");
      expr(band.condition.get());
      w_.endObject();
    }
    w_.endArray();
    w_.key("measures").beginArray();
    for (const auto& m : prof.measures) {
      w_.beginObject().key("measure").value(measures_.at(m.measure)).key("sample").value(m.sample ? *m.sample : int64_t{-1});
      w_.key("condition");
      expr(m.condition.get());
      w_.endObject();
    }
    w_.endArray().endObject();
  }

 private:
  const sema::Program& p_;
  json::Writer& w_;
  std::unordered_map<const sema::Type*, int64_t> types_;
  std::vector<const sema::Type*> type_list_;
  std::unordered_map<const sema::EnumInfo*, int64_t> enums_;
  std::unordered_map<const sema::DataSet*, int64_t> data_;
  std::unordered_map<const sema::Indicator*, int64_t> indicators_;
  std::unordered_map<const sema::Score*, int64_t> scores_;
  std::unordered_map<const sema::Area*, int64_t> areas_;
  std::unordered_map<const sema::Measure*, int64_t> measures_;
};

// ---- reading ------------------------------------------------------------------------

// Thrown inside the reader only, for a body whose hashes hold but whose program does not
// (a package of another format version, or our own bug): caught and turned into an error.
struct Malformed {
  std::string what;
};

class ProgramReader {
 public:
  explicit ProgramReader(sema::Program& program) : p_(program) {}

  const json::Value& at(const json::Value& v, const char* member) {
    const json::Value* m = v.find(member);
    if (!m) throw Malformed{fmt::format("\"{}\" is missing", member)};
    return *m;
  }
  const json::Array& array(const json::Value& v) {
    if (!v.isArray()) throw Malformed{"an array was expected"};
    return v.asArray();
  }
  int64_t number(const json::Value& v) {
    if (!v.isNumber()) throw Malformed{"a number was expected"};
    const std::string& text = v.numberText();
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || *end != '\0') throw Malformed{"an integer was expected, not " + text};
    return n;
  }
  std::string text(const json::Value& v) {
    if (!v.isString()) throw Malformed{"text was expected"};
    return v.asString();
  }
  bool flag(const json::Value& v) {
    if (!v.isBool()) throw Malformed{"true or false was expected"};
    return v.asBool();
  }
  template <class T>
  T* index(std::deque<T>& in, int64_t i) {
    if (i < 0) return nullptr;
    if (static_cast<size_t>(i) >= in.size()) throw Malformed{"a reference out of range"};
    return &in[static_cast<size_t>(i)];
  }
  const sema::Type* type(int64_t i) {
    if (i < 0) return nullptr;
    if (static_cast<size_t>(i) >= types_.size()) throw Malformed{"a type out of range"};
    return types_[static_cast<size_t>(i)];
  }
  sema::Value value(const json::Value& v) {
    const auto& a = array(v);
    if (a.size() != 3) throw Malformed{"a value has 3 parts"};
    sema::Value out;
    out.number = number(a[0]);
    out.text = text(a[1]);
    out.digits = static_cast<int>(number(a[2]));
    return out;
  }

  sema::ExprPtr expr(const json::Value& v) {
    if (v.isNull()) return nullptr;
    std::vector<sema::ExprPtr> stack;
    for (const auto& node : array(v)) {
      const auto& n = array(node);
      if (n.size() != 11) throw Malformed{"an expression node has 11 parts"};
      auto e = std::make_unique<sema::Expr>();
      int64_t op = number(n[0]);
      if (op < 0 || op > static_cast<int64_t>(sema::Op::Last)) throw Malformed{"an unknown operation"};
      e->op = static_cast<sema::Op>(op);
      e->type = type(number(n[1]));
      auto argc = static_cast<size_t>(number(n[2]));
      if (argc > stack.size()) throw Malformed{"an operation without its operands"};
      e->level = static_cast<sema::Level>(number(n[3]));
      e->field = static_cast<int>(number(n[4]));
      e->number = number(n[5]);
      e->data = index(p_.data, number(n[6]));
      if (e->op == sema::Op::ScoreRef) {
        e->score = index(p_.scores, number(n[7]));
        if (!e->score) throw Malformed{"a score reference out of range"};
      } else {
        e->indicator = index(p_.indicators, number(n[7]));
      }
      e->literal.number = number(n[8]);
      e->literal.text = text(n[9]);
      e->literal.digits = static_cast<int>(number(n[10]));
      for (size_t k = stack.size() - argc; k < stack.size(); ++k) e->args.push_back(std::move(stack[k]));
      stack.resize(stack.size() - argc);
      stack.push_back(std::move(e));
    }
    if (stack.size() != 1) throw Malformed{"an expression that is not one tree"};
    return std::move(stack.back());
  }

  void schema(const json::Value& v, sema::Schema& s) {
    s.defined = flag(at(v, "defined"));
    s.level = static_cast<sema::Level>(number(at(v, "level")));
    s.key_field = static_cast<int>(number(at(v, "key_field")));
    s.package = text(at(v, "package"));
    for (const auto& f : array(at(v, "fields"))) {
      const auto& a = array(f);
      if (a.size() != 5) throw Malformed{"a field has 5 parts"};
      sema::Field field;
      field.name = text(a[0]);
      field.type = type(number(a[1]));
      field.column = text(a[2]);
      field.key = flag(a[3]);
      field.round = static_cast<int>(number(a[4]));
      if (!field.type) throw Malformed{"a field without a type"};
      s.fields.push_back(std::move(field));
    }
    if (s.key_field >= static_cast<int>(s.fields.size())) throw Malformed{"a key field out of range"};
  }

  void program(const json::Value& v) {
    // Enums first (the built-in category enum is there already), then the types that
    // name them.
    const auto& enums = array(at(v, "enums"));
    for (size_t i = 0; i < enums.size(); ++i) {
      sema::EnumInfo e;
      e.name = text(at(enums[i], "name"));
      e.package = text(at(enums[i], "package"));
      for (const auto& m : array(at(enums[i], "members"))) e.members.push_back(text(m));
      if (i == 0) p_.enums.front() = std::move(e);
      else p_.enums.push_back(std::move(e));
    }
    p_.category_enum = &p_.enums.front();
    for (const auto& t : array(at(v, "types"))) {
      const auto& a = array(t);
      if (a.size() != 5) throw Malformed{"a type has 5 parts"};
      int64_t kind = number(a[0]);
      if (kind < 0 || kind > static_cast<int64_t>(sema::TypeKind::Pair)) throw Malformed{"an unknown type"};
      types_.push_back(p_.types.get(static_cast<sema::TypeKind>(kind), flag(a[1]), index(p_.enums, number(a[2])),
                                    type(number(a[3])), type(number(a[4]))));
    }
    schema(at(v, "declaration"), p_.declaration);
    schema(at(v, "item"), p_.item);
    schema(at(v, "person"), p_.person);
    // Packages made before control results had no result schema.
    if (const json::Value* result = v.find("result")) {
      schema(*result, p_.result);
      const auto& roles = array(at(v, "result_fields"));
      if (roles.size() != 7) throw Malformed{"the result fields have 7 parts"};
      sema::ResultFields& rf = p_.result_fields;
      int* slots[] = {&rf.declaration, &rf.date, &rf.violation, &rf.item, &rf.kind, &rf.payments, &rf.measures};
      for (size_t k = 0; k < 7; ++k) {
        int64_t f = number(roles[k]);
        if (f < -1 || f >= static_cast<int64_t>(p_.result.fields.size())) throw Malformed{"a result field out of range"};
        *slots[k] = static_cast<int>(f);
      }
      if (p_.result.defined && (rf.declaration < 0 || rf.date < 0 || rf.violation < 0))
        throw Malformed{"a result schema without its required fields"};
    }
    p_.date_field = static_cast<int>(number(at(v, "date_field")));
    if (const json::Value* targets = v.find("corridor_targets")) {
      const auto& t = array(*targets);
      if (t.size() != 4) throw Malformed{"corridor targets have 4 parts"};
      for (size_t c = 0; c < 4; ++c)
        if (int64_t share = number(t[c]); share >= 0) {
          if (share > 1'000'000) throw Malformed{"a corridor target above 100%"};
          p_.corridor_targets[c] = share;
        }
    }
    for (const auto& d : array(at(v, "data"))) {
      sema::DataSet set;
      set.name = text(at(d, "name"));
      set.is_table = flag(at(d, "table"));
      set.type = type(number(at(d, "type")));
      set.package = text(at(d, "package"));
      for (const auto& k : array(at(d, "keys"))) set.keys.push_back(value(k));
      for (const auto& x : array(at(d, "values"))) set.values.push_back(value(x));
      if (const json::Value* keys2 = d.find("keys2"))
        for (const auto& k : array(*keys2)) set.keys2.push_back(value(k));
      bool two_keys = set.type && set.type->element && set.type->element->kind == sema::TypeKind::Pair;
      if (two_keys != !set.keys2.empty() && !set.keys.empty()) throw Malformed{"a table's second keys do not fit its type"};
      if (two_keys && set.keys2.size() != set.keys.size()) throw Malformed{"a table's second keys do not match its keys"};
      set.used = true;
      p_.data.push_back(std::move(set));
    }
    for (const auto& a : array(at(v, "areas"))) {
      const auto& f = array(a);
      if (f.size() != 4) throw Malformed{"an area has 4 parts"};
      sema::Area area;
      area.name = text(f[0]);
      area.title = text(f[1]);
      area.recommended = flag(f[2]);
      area.package = text(f[3]);
      p_.areas.push_back(std::move(area));
    }
    for (const auto& m : array(at(v, "measures"))) {
      const auto& f = array(m);
      if (f.size() != 7) throw Malformed{"a measure has 7 parts"};
      sema::Measure measure;
      measure.name = text(f[0]);
      measure.title = text(f[1]);
      measure.kind = static_cast<sema::MeasureKind>(number(f[2]));
      measure.strength = number(f[3]);
      measure.corridor = static_cast<sema::Corridor>(number(f[4]));
      measure.confidential = flag(f[5]);
      measure.package = text(f[6]);
      p_.measures.push_back(std::move(measure));
    }
    const auto& indicators = array(at(v, "indicators"));
    for (const auto& i : indicators) {
      sema::Indicator ind;
      ind.name = text(at(i, "name"));
      ind.level = static_cast<sema::Level>(number(at(i, "level")));
      ind.is_public = flag(at(i, "public"));
      ind.statutory = static_cast<sema::StatutoryKind>(number(at(i, "statutory")));
      ind.type = type(number(at(i, "type")));
      ind.package = text(at(i, "package"));
      p_.indicators.push_back(std::move(ind));
    }
    for (size_t i = 0; i < indicators.size(); ++i) {
      p_.indicators[i].body = expr(at(indicators[i], "body"));
      if (!p_.indicators[i].body) throw Malformed{"an indicator without a body"};
    }
    // Packages made before scores existed have none.
    if (const json::Value* scores = v.find("scores")) {
      // All named first: terms cannot name scores, but the references are resolved by index.
      for (const auto& sv : array(*scores)) {
        sema::Score score;
        score.name = text(at(sv, "name"));
        score.title = text(at(sv, "title"));
        score.package = text(at(sv, "package"));
        p_.scores.push_back(std::move(score));
      }
      size_t k = 0;
      for (const auto& sv : array(*scores)) {
        for (const auto& t : array(at(sv, "terms"))) {
          sema::ScoreTerm term;
          term.text = text(at(t, "text"));
          term.points = expr(at(t, "points"));
          if (!term.points) throw Malformed{"a score term without points"};
          term.condition = expr(at(t, "condition"));
          p_.scores[k].terms.push_back(std::move(term));
        }
        ++k;
      }
    }
    const auto& categories = at(v, "categories");
    p_.categories.defined = flag(at(categories, "defined"));
    for (const auto& r : array(at(categories, "rules"))) {
      sema::CategoryRule rule;
      rule.kind = static_cast<sema::CategoryRule::Kind>(number(at(r, "kind")));
      rule.category = static_cast<sema::RiskLevel>(number(at(r, "category")));
      rule.condition = expr(at(r, "condition"));
      p_.categories.rules.push_back(std::move(rule));
    }
    const auto& window = array(at(v, "window"));
    if (window.size() != 4) throw Malformed{"the window has 4 parts"};
    p_.after_release_window.defined = flag(window[0]);
    p_.after_release_window.amount = number(window[1]);
    p_.after_release_window.unit = static_cast<sema::AfterReleaseWindow::Unit>(number(window[2]));
    p_.after_release_window.package = text(window[3]);
    for (const auto& prof : array(at(v, "profiles"))) profile(prof);
  }

  void profile(const json::Value& v) {
    sema::Profile p;
    p.id = text(at(v, "id"));
    p.title = text(at(v, "title"));
    p.area = index(p_.areas, number(at(v, "area")));
    const auto& valid = array(at(v, "valid"));
    if (valid.size() != 3) throw Malformed{"a validity has 3 parts"};
    p.has_validity = flag(valid[0]);
    p.valid_from = static_cast<int32_t>(number(valid[1]));
    if (int64_t to = number(valid[2]); to != INT64_MIN) p.valid_to = static_cast<int32_t>(to);
    const auto& scope = at(v, "scope");
    for (const auto& f : array(at(scope, "filters"))) {
      sema::ScopeFilter filter;
      filter.key = text(at(f, "key"));
      filter.field = static_cast<int>(number(at(f, "field")));
      if (filter.field < 0 || static_cast<size_t>(filter.field) >= p_.declaration.fields.size())
        throw Malformed{"a scope field out of range"};
      for (const auto& x : array(at(f, "values"))) filter.values.push_back(value(x));
      p.scope.filters.push_back(std::move(filter));
    }
    for (const auto& s : array(at(scope, "stages"))) p.scope.stages.push_back(static_cast<sema::Stage>(number(s)));
    p.level = static_cast<sema::RiskLevel>(number(at(v, "level")));
    p.state = static_cast<sema::LifeState>(number(at(v, "state")));
    p.instructions = text(at(v, "instructions"));
    if (int64_t share = number(at(v, "random")); share >= 0) p.random_share = share;
    p.package = text(at(v, "package"));
    p.condition = expr(at(v, "condition"));
    if (!p.condition) throw Malformed{"a profile without a condition"};
    if (const json::Value* bands = v.find("level_bands"))
      for (const auto& b : array(*bands)) {
        sema::Profile::LevelBand band;
        int64_t level = number(at(b, "level"));
        if (level < 0 || level > 2) throw Malformed{"a level band's level out of range"};
        band.level = static_cast<sema::RiskLevel>(level);
        band.condition = expr(at(b, "condition"));
        if (!band.condition) throw Malformed{"a level band without a condition"};
        p.level_bands.push_back(std::move(band));
      }
    for (const auto& m : array(at(v, "measures"))) {
      sema::MeasureApplication a;
      a.measure = index(p_.measures, number(at(m, "measure")));
      if (!a.measure) throw Malformed{"a measure out of range"};
      if (int64_t sample = number(at(m, "sample")); sample >= 0) a.sample = sample;
      a.condition = expr(at(m, "condition"));
      p.measures.push_back(std::move(a));
    }
    p_.profiles.push_back(std::move(p));
  }

 private:
  sema::Program& p_;
  std::vector<const sema::Type*> types_;
};

std::string compiledTime(const Compilation& compilation, const std::vector<std::string>& more) {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long t = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && t >= 0) return utcTime(static_cast<std::time_t>(t));
  }
  // Else the newest input's time: the same files give the same package.
  std::time_t newest = 0;
  std::vector<std::string> files = compilation.files_read();
  files.insert(files.end(), more.begin(), more.end());
  for (const auto& f : files) {
    std::error_code ec;
    auto when = fs::last_write_time(f, ec);
    if (ec) continue;
    auto sys = std::chrono::time_point_cast<std::chrono::seconds>(
        when - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    newest = std::max(newest, std::chrono::system_clock::to_time_t(sys));
  }
  return utcTime(newest);
}

}  // namespace

bool isPackagePath(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, kPackageExtension) == 0;
}

Expected<PackageInfo> writePackage(const Compilation& compilation, const std::string& approvals_folder,
                                   const std::string& path, const std::string& compiler_version) {
  if (sodium_init() < 0) return Error{"libsodium could not be initialised"};
  if (!compilation.ok() || !compilation.program) return Error{"the profiles have errors; fix them first"};
  if (!compilation.other_programs.empty()) return Error{"a package holds one profile repository; give one"};
  const sema::Program& program = *compilation.program;
  PackageInfo info;
  info.compiler = compiler_version;
  info.profiles = program.profiles.size();
  std::map<std::string, std::string> approvals;
  std::vector<std::string> approval_files;
  for (const auto& p : program.profiles) {
    std::string file = approvalsFile(approvals_folder, p.id);
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    auto text = io::readWhole(file, uint64_t{64} << 20);
    if (!text) return text.error();
    approvals[p.id] = *text;
    approval_files.push_back(file);
  }
  info.approvals_files = approvals.size();
  info.compiled = compiledTime(compilation, approval_files);
  std::vector<std::string> sources;
  for (source::FileId id = 1; id <= compilation.sources.size(); ++id)
    sources.push_back(sha256Hex(compilation.sources.file(id).text()));
  std::sort(sources.begin(), sources.end());
  std::string all;
  for (const auto& s : sources) all += s;
  info.source_version = "sha256:" + sha256Hex(all);

  std::string body;
  json::Writer w(body);
  w.beginObject().key("compiler").value(info.compiler).key("compiled").value(info.compiled);
  w.key("source_version").value(info.source_version).key("program");
  ProgramWriter(program, w).program();
  w.key("approvals").beginObject();
  for (const auto& [id, text] : approvals) w.key(id).value(text);
  w.endObject().endObject();

  std::string header;
  json::Writer h(header);
  h.beginObject().key("format").value(kFormat).key("bytes").value(static_cast<uint64_t>(body.size()));
  info.sha256 = "sha256:" + sha256Hex(body);
  h.key("sha256").value(info.sha256.substr(7)).key("block_bytes").value(static_cast<uint64_t>(kBlockBytes)).key("blocks");
  h.beginArray();
  for (size_t at = 0; at < body.size(); at += kBlockBytes) h.value(sha256Hex(std::string_view(body).substr(at, kBlockBytes)));
  h.endArray().endObject();

  std::string temp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << header << '\n' << body;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(temp, ec);
      return Error{fmt::format("cannot write {}: {}", path, std::strerror(errno))};
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Error{fmt::format("cannot write {}: {}", path, ec.message())};
  }
  return info;
}

Expected<std::unique_ptr<Compilation>> readPackage(const std::string& path, PackageInfo* info_out) {
  if (sodium_init() < 0) return Error{"libsodium could not be initialised"};
  auto whole = io::readWhole(path, kMaxPackageBytes);
  if (!whole) return whole.error();
  const std::string& file = *whole;
  size_t nl = file.find('\n');
  auto refuse = [&](const std::string& why) {
    return Error{fmt::format("{}: {}; the package is refused (compile it again from its repository)", path, why)};
  };
  if (nl == std::string::npos) return refuse("not a Tauekel package (no header line)");
  auto header = json::parse(std::string_view(file).substr(0, nl));
  if (!header || !header->find("format") || !header->find("format")->isString())
    return refuse("not a Tauekel package (its header line is not one)");
  if (header->find("format")->asString() != kFormat)
    return refuse(fmt::format("a package of format \"{}\", this is {}", header->find("format")->asString(), kFormat));
  std::string_view body = std::string_view(file).substr(nl + 1);
  const json::Value* bytes = header->find("bytes");
  const json::Value* blocks = header->find("blocks");
  const json::Value* hash = header->find("sha256");
  if (!bytes || !bytes->isNumber() || !blocks || !blocks->isArray() || !hash || !hash->isString())
    return refuse("its header line is damaged");
  if (std::to_string(body.size()) != bytes->numberText())
    return refuse(fmt::format("its body is {} bytes, its header says {}: the file was cut or extended", body.size(),
                              bytes->numberText()));
  const auto& block_hashes = blocks->asArray();
  if (block_hashes.size() != (body.size() + kBlockBytes - 1) / kBlockBytes) return refuse("its header line is damaged");
  for (size_t b = 0; b < block_hashes.size(); ++b) {
    std::string_view block = body.substr(b * kBlockBytes, kBlockBytes);
    if (!block_hashes[b].isString() || block_hashes[b].asString() != sha256Hex(block)) {
      size_t from = nl + 1 + b * kBlockBytes;
      return refuse(fmt::format("bytes {} to {} do not match their hash: the file was altered there", from,
                                from + block.size() - 1));
    }
  }
  std::string body_hash = sha256Hex(body);
  if (hash->asString() != body_hash) return refuse("its header line was altered (the body's hash differs)");

  auto content = json::parse(body);
  if (!content) return refuse("its body cannot be read");
  auto compilation = std::make_unique<Compilation>();
  compilation->program = std::make_unique<sema::Program>();
  compilation->risk_files_read = {path};
  compilation->package_path = path;
  compilation->package_hash = "sha256:" + body_hash;
  PackageInfo info;
  try {
    ProgramReader reader(*compilation->program);
    const json::Value* program = content->find("program");
    if (!program) throw Malformed{"\"program\" is missing"};
    reader.program(*program);
    info.compiler = reader.text(reader.at(*content, "compiler"));
    info.compiled = reader.text(reader.at(*content, "compiled"));
    info.source_version = reader.text(reader.at(*content, "source_version"));
    for (const auto& [id, text] : reader.at(*content, "approvals").asObject())
      compilation->package_approvals[id] = reader.text(text);
  } catch (const Malformed& m) {
    return refuse("its program cannot be read (" + m.what + ")");
  }
  compilation->target_profiles = compilation->program->profiles.size();
  info.sha256 = compilation->package_hash;
  info.profiles = compilation->program->profiles.size();
  info.approvals_files = compilation->package_approvals.size();
  if (info_out) *info_out = info;
  return compilation;
}

Expected<std::unique_ptr<Compilation>> compileOrRead(const CompileOptions& options) {
  if (options.inputs.size() == 1 && isPackagePath(options.inputs[0])) return readPackage(options.inputs[0]);
  for (const auto& input : options.inputs)
    if (isPackagePath(input)) return Error{fmt::format("{}: a package is screened alone, not with other inputs", input)};
  return compile(options);
}

}  // namespace tauekel::governance
