// Measure conditions: find measures that can never apply and measures applied twice
// under conditions that may overlap. Conditions over the person category are decided
// exactly; other conditions only when they fold to a constant.

#include <fmt/format.h>

#include "compiler/sema/checker_impl.h"

namespace tauekel::sema {

namespace {

constexpr unsigned kAllCategories = 0b111;

// For which categories of one person a condition holds: a bit per category.
struct CategorySet {
  bool known = false;
  unsigned mask = 0;
  int subject = -1;  // declaration field holding the person; -1: no person involved
};

bool isPersonFieldRef(const Expr& e) { return e.op == Op::Field && e.level == Level::Declaration; }

CategorySet analyse(const Expr& e) {
  CategorySet out;
  switch (e.op) {
    case Op::Literal:
      if (e.type->kind != TypeKind::Bool) return out;
      out.known = true;
      out.mask = e.literal.number ? kAllCategories : 0;
      return out;
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
      const Expr* category = nullptr;
      const Expr* literal = nullptr;
      bool flipped = false;
      if (e.args[0]->op == Op::PersonCategory && e.args[1]->op == Op::Literal) {
        category = e.args[0].get();
        literal = e.args[1].get();
      } else if (e.args[1]->op == Op::PersonCategory && e.args[0]->op == Op::Literal) {
        category = e.args[1].get();
        literal = e.args[0].get();
        flipped = true;
      }
      if (!category || !isPersonFieldRef(*category->args[0])) return out;
      out.known = true;
      out.subject = category->args[0]->field;
      int64_t k = literal->literal.number;
      for (int64_t c = 0; c < 3; ++c) {
        int64_t a = flipped ? k : c, b = flipped ? c : k;
        bool holds = false;
        switch (e.op) {
          case Op::Eq: holds = a == b; break;
          case Op::Ne: holds = a != b; break;
          case Op::Lt: holds = a < b; break;
          case Op::Le: holds = a <= b; break;
          case Op::Gt: holds = a > b; break;
          case Op::Ge: holds = a >= b; break;
          default: break;
        }
        if (holds) out.mask |= 1u << c;
      }
      return out;
    }
    case Op::InValues: {
      if (e.args[0]->op != Op::PersonCategory || !isPersonFieldRef(*e.args[0]->args[0])) return out;
      out.known = true;
      out.subject = e.args[0]->args[0]->field;
      for (size_t i = 1; i < e.args.size(); ++i) out.mask |= 1u << e.args[i]->literal.number;
      return out;
    }
    case Op::Coalesce: return analyse(*e.args[0]);  // the default only covers a missing person
    case Op::Not: {
      out = analyse(*e.args[0]);
      out.mask = ~out.mask & kAllCategories;
      return out;
    }
    case Op::And:
    case Op::Or: {
      out.known = true;
      out.mask = e.op == Op::And ? kAllCategories : 0;
      for (const auto& arg : e.args) {
        CategorySet a = analyse(*arg);
        if (!a.known || (a.subject >= 0 && out.subject >= 0 && a.subject != out.subject)) return CategorySet{};
        if (a.subject >= 0) out.subject = a.subject;
        out.mask = e.op == Op::And ? (out.mask & a.mask) : (out.mask | a.mask);
      }
      return out;
    }
    default:
      return out;
  }
}

}  // namespace

void Checker::analyseMeasures(const Profile& profile) {
  std::vector<CategorySet> sets;
  for (const auto& app : profile.measures) {
    CategorySet s;
    if (!app.condition) {
      s.known = true;
      s.mask = kAllCategories;
    } else {
      s = analyse(*app.condition);
    }
    sets.push_back(s);
    if (!s.known) continue;
    if (s.mask == 0 && !app.sample) {
      sink_.report(Code::TK409, app.condition->range,
                   fmt::format("this condition never holds, so {} is never applied", app.measure->name));
    } else if (s.mask == kAllCategories && app.condition && app.sample) {
      sink_.report(Code::TK409, app.sample_range.valid() ? app.sample_range : app.range,
                   fmt::format("the condition always holds, so the `else sample` part of {} never applies",
                               app.measure->name));
    }
  }
  for (size_t i = 0; i < profile.measures.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (profile.measures[i].measure != profile.measures[j].measure) continue;
      const CategorySet &a = sets[i], &b = sets[j];
      bool disjoint = a.known && b.known && (a.subject == b.subject || a.subject < 0 || b.subject < 0) &&
                      (a.mask & b.mask) == 0 && !profile.measures[i].sample && !profile.measures[j].sample;
      if (disjoint) continue;
      auto& d = sink_.report(Code::TK408, profile.measures[i].range,
                             fmt::format("{} is applied twice in profile \"{}\" under conditions that may both hold; "
                                         "merge them into one rule",
                                         profile.measures[i].measure->name, profile.id));
      d.notes.push_back({profile.measures[j].range, "first applied here"});
      break;
    }
  }
}

}  // namespace tauekel::sema
