// Expressions: name resolution and typing.

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "compiler/sema/checker_impl.h"
#include "support/codes.h"
#include "support/decimal.h"
#include "support/text.h"

namespace tauekel::sema {

using syntax::ExprKind;

std::string closestName(const std::string& name, const std::vector<std::string>& candidates) {
  return text::closest(name, candidates);
}

std::string withArticle(const std::string& noun) {
  if (noun.empty()) return noun;
  char c = noun[0];
  bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'A' || c == 'E' || c == 'I' ||
               c == 'O' || c == 'U';
  return (vowel ? "an " : "a ") + noun;
}

std::string didYouMean(const std::string& suggestion) {
  return suggestion.empty() ? std::string{} : fmt::format("; did you mean `{}`?", suggestion);
}

namespace {

bool anyError(std::initializer_list<const Expr*> exprs) {
  for (const auto* e : exprs)
    if (e == nullptr || e->type->isError()) return true;
  return false;
}

const char* levelName(Level level) {
  switch (level) {
    case Level::Declaration: return "declaration";
    case Level::Item: return "goods item";
    case Level::Person: return "person";
  }
  return "?";
}

}  // namespace

// ---- helpers ------------------------------------------------------------------------

ExprPtr Checker::makeExpr(Op op, const Type* type, const Range& range) {
  auto e = std::make_unique<Expr>();
  e->op = op;
  e->type = type;
  e->range = range;
  return e;
}

ExprPtr Checker::errorExpr(const Range& range) { return makeExpr(Op::Literal, program_->types.error(), range); }

ExprPtr Checker::toDecimal(ExprPtr expr) {
  if (expr->type->kind != TypeKind::Int) return expr;
  bool optional = expr->type->optional;
  if (expr->op == Op::Literal) {  // fold at once: literals stay literals
    if (expr->literal.number > decimal::kMax / decimal::kScale || expr->literal.number < decimal::kMin / decimal::kScale) {
      sink_.report(Code::TK104, expr->range,
                   fmt::format("{} is beyond the range of decimals (about 9.2 * 10^12)", expr->literal.number));
      expr->type = program_->types.error();
      return expr;
    }
    expr->literal.number *= decimal::kScale;
    expr->type = program_->types.decimal(optional);
    return expr;
  }
  auto wrapped = makeExpr(Op::ToDecimal, program_->types.decimal(optional), expr->range);
  wrapped->args.push_back(std::move(expr));
  return wrapped;
}

const Type* Checker::unify(ExprPtr& a, ExprPtr& b) {
  const Type* ta = a->type;
  const Type* tb = b->type;
  if (ta->kind == tb->kind && ta->enumeration == tb->enumeration && ta->element == tb->element &&
      ta->value == tb->value)
    return program_->types.withOptional(ta, false);
  if (ta->isNumeric() && tb->isNumeric()) {
    a = toDecimal(std::move(a));
    b = toDecimal(std::move(b));
    return program_->types.decimal();
  }
  return nullptr;
}

const Type* Checker::categoryType(bool optional) {
  return program_->types.get(TypeKind::Enum, optional, program_->category_enum);
}

std::string Checker::suggestName(const ExprScope& scope, const std::string& name) const {
  std::vector<std::string> candidates;
  if (scope.level != Level::Person) {
    for (const auto& f : program_->declaration.fields) candidates.push_back(f.name);
  } else {
    for (const auto& f : program_->person.fields) candidates.push_back(f.name);
  }
  for (const auto& pkg : scope.file->visible) {
    auto it = packages_.find(pkg);
    if (it == packages_.end()) continue;
    for (const auto& [n, symbol] : it->second) candidates.push_back(n);
  }
  if (!scope.item_var.empty()) candidates.push_back(scope.item_var);
  return closestName(name, candidates);
}

ExprPtr Checker::checkCondition(const syntax::Expr& expr, const ExprScope& scope, const char* what) {
  ExprPtr e = checkExpr(expr, scope, program_->types.boolean());
  if (e->type->isError()) return e;
  if (e->type->kind != TypeKind::Bool) {
    sink_.report(Code::TK301, expr.range,
                 fmt::format("{} must be a condition (bool), but this is a {}", what, describe(e->type)));
    e->type = program_->types.error();
    return e;
  }
  if (e->type->optional) {
    const Expr* source = missingSource(*e);
    std::string why;
    switch (source->op) {
      case Op::Field: why = "is an optional field"; break;
      case Op::PersonField: case Op::Call: why = "needs a person who may be missing from the register"; break;
      case Op::Lookup: why = "is missing when the table has no row for the key"; break;
      case Op::Div: why = "is missing when dividing by zero"; break;
      case Op::Min: case Op::Max: why = "is missing when no goods item counts"; break;
      case Op::PersonCategory: why = "needs a person who may be absent"; break;
      default: why = "may be missing"; break;
    }
    auto& d = sink_.report(Code::TK302, source->range,
                           fmt::format("{} must be true or false, but this {}; say what a missing value means, e.g. "
                                       "`(...) ?? false`",
                                       what, why));
    if (source->range.begin.line != expr.range.begin.line || source->range.begin.column != expr.range.begin.column)
      d.notes.push_back({expr.range, "in this condition"});
    e->type = program_->types.error();
  }
  return e;
}

const Expr* Checker::missingSource(const Expr& e) const {
  // Operators only pass missing values on; descend to an operand that is missing-able.
  const Expr* at = &e;
  while (true) {
    switch (at->op) {
      case Op::Field: case Op::PersonField: case Op::Call: case Op::Lookup: case Op::Div: case Op::Min: case Op::Max:
      case Op::PersonCategory:
        return at;
      default:
        break;
    }
    const Expr* next = nullptr;
    for (const auto& a : at->args)
      if (a->type->optional) {
        next = a.get();
        break;
      }
    if (next == nullptr) return at;
    at = next;
  }
}

// ---- dispatch -----------------------------------------------------------------------

namespace {
// A bare name or a string literal takes its meaning from the other operand (`high`,
// "CN"), so that side is checked second.
bool dependsOnOtherSide(const syntax::Expr& e) {
  if (e.kind == ExprKind::Literal)
    return static_cast<const syntax::LiteralExpr&>(e).literal == syntax::LiteralKind::String;
  return e.kind == ExprKind::Name;
}

bool isComparison(syntax::BinaryOp op) { return op >= syntax::BinaryOp::Eq && op <= syntax::BinaryOp::Ge; }

// The operand of a left-associative operator that is checked first, and without a hint:
// `a + b + c` nests to the left as deep as the chain is long, so these are checked in a
// loop (checkExpr) rather than by recursion. Null where the node is checked otherwise.
const syntax::Expr* leftOperand(const syntax::Expr& e) {
  switch (e.kind) {
    case ExprKind::Binary: {
      const auto& b = static_cast<const syntax::BinaryExpr&>(e);
      if (isComparison(b.op) && dependsOnOtherSide(*b.lhs) && !dependsOnOtherSide(*b.rhs)) return nullptr;
      return b.lhs.get();
    }
    case ExprKind::Member: {
      const auto& m = static_cast<const syntax::MemberExpr&>(e);
      return m.object->kind == ExprKind::Name ? nullptr : m.object.get();  // Tier.high, item.hs
    }
    case ExprKind::In: return static_cast<const syntax::InExpr&>(e).element.get();
    case ExprKind::Is: {
      const auto& is = static_cast<const syntax::IsExpr&>(e);
      return is.test.name == "missing" || is.test.name == "present" ? is.operand.get() : nullptr;
    }
    default: return nullptr;
  }
}
}  // namespace

ExprPtr Checker::checkExpr(const syntax::Expr& expr, const ExprScope& scope, const Type* hint) {
  std::vector<const syntax::Expr*> spine;
  const syntax::Expr* bottom = &expr;
  while (const syntax::Expr* left = leftOperand(*bottom)) {
    spine.push_back(bottom);
    bottom = left;
  }
  if (spine.empty()) return checkOne(expr, scope, hint);
  ExprPtr result = checkOne(*bottom, scope, nullptr);
  for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
    const syntax::Expr& e = **it;
    switch (e.kind) {
      case ExprKind::Binary:
        result = checkBinaryAfter(static_cast<const syntax::BinaryExpr&>(e), scope, std::move(result));
        break;
      case ExprKind::Member:
        result = checkMemberOf(static_cast<const syntax::MemberExpr&>(e), std::move(result));
        break;
      case ExprKind::In: result = checkInOf(static_cast<const syntax::InExpr&>(e), scope, std::move(result)); break;
      case ExprKind::Is: result = checkIsOf(static_cast<const syntax::IsExpr&>(e), std::move(result)); break;
      default: assert(false && "not a left-associative operator"); break;
    }
  }
  return result;
}

ExprPtr Checker::checkOne(const syntax::Expr& expr, const ExprScope& scope, const Type* hint) {
  switch (expr.kind) {
    case ExprKind::Literal: return checkLiteral(static_cast<const syntax::LiteralExpr&>(expr), hint);
    case ExprKind::Name: return checkName(static_cast<const syntax::NameExpr&>(expr), scope, hint);
    case ExprKind::Member: return checkMember(static_cast<const syntax::MemberExpr&>(expr), scope, hint);
    case ExprKind::Index: return checkIndex(static_cast<const syntax::IndexExpr&>(expr), scope);
    case ExprKind::Call: return checkCall(static_cast<const syntax::CallExpr&>(expr), scope, hint);
    case ExprKind::Aggregate: return checkAggregate(static_cast<const syntax::AggregateExpr&>(expr), scope);
    case ExprKind::List:
      sink_.report(Code::TK301, expr.range, "a list of values `[...]` can only follow `in`");
      return errorExpr(expr.range);
    case ExprKind::Unary: return checkUnary(static_cast<const syntax::UnaryExpr&>(expr), scope);
    case ExprKind::Binary: return checkBinary(static_cast<const syntax::BinaryExpr&>(expr), scope);
    case ExprKind::Logical: return checkLogical(static_cast<const syntax::LogicalExpr&>(expr), scope);
    case ExprKind::In: return checkIn(static_cast<const syntax::InExpr&>(expr), scope);
    case ExprKind::Is: return checkIs(static_cast<const syntax::IsExpr&>(expr), scope);
    case ExprKind::Coalesce: return checkCoalesce(static_cast<const syntax::CoalesceExpr&>(expr), scope);
    case ExprKind::Quantifier: return checkQuantifier(static_cast<const syntax::QuantifierExpr&>(expr), scope);
    case ExprKind::If: return checkIf(static_cast<const syntax::IfExpr&>(expr), scope, hint);
  }
  return errorExpr(expr.range);
}

// ---- leaves -------------------------------------------------------------------------

ExprPtr Checker::checkLiteral(const syntax::LiteralExpr& lit, const Type* hint) {
  if (!lit.valid) return errorExpr(lit.range);
  auto& types = program_->types;
  auto e = makeExpr(Op::Literal, types.error(), lit.range);
  e->literal.number = lit.number;
  switch (lit.literal) {
    case syntax::LiteralKind::Int: e->type = types.integer(); break;
    case syntax::LiteralKind::Decimal:
    case syntax::LiteralKind::Percent: e->type = types.decimal(); break;
    case syntax::LiteralKind::Date: e->type = types.get(TypeKind::Date); break;
    case syntax::LiteralKind::Bool: e->type = types.boolean(); break;
    case syntax::LiteralKind::Hs:
      e->type = types.get(TypeKind::Hs);
      e->literal.digits = lit.hs_length;
      break;
    case syntax::LiteralKind::Country: e->type = types.get(TypeKind::Country); break;
    case syntax::LiteralKind::String:
      // Where a code is expected, "6403" and "CN" are read as codes.
      if (hint && hint->kind == TypeKind::Hs) {
        auto hs = codes::parseHs(lit.text);
        if (!hs) {
          sink_.report(Code::TK105, lit.range,
                       fmt::format("\"{}\" is not a commodity code: write 2, 4, 6, 8 or 10 digits", lit.text));
          return errorExpr(lit.range);
        }
        e->type = types.get(TypeKind::Hs);
        e->literal.number = hs->padded;
        e->literal.digits = hs->length;
      } else if (hint && hint->kind == TypeKind::Country) {
        auto country = codes::parseCountry(lit.text);
        if (!country) {
          sink_.report(Code::TK105, lit.range,
                       fmt::format("\"{}\" is not a country code: write two capital letters (ISO 3166-1)", lit.text));
          return errorExpr(lit.range);
        }
        e->type = types.get(TypeKind::Country);
        e->literal.number = *country;
      } else {
        e->type = types.get(TypeKind::String);
        e->literal.text = lit.text;
      }
      break;
  }
  return e;
}

ExprPtr Checker::checkName(const syntax::NameExpr& expr, const ExprScope& scope, const Type* hint) {
  auto& types = program_->types;
  const std::string& n = expr.name;
  if (!scope.item_var.empty() && n == scope.item_var) {
    auto e = makeExpr(Op::Record, types.get(TypeKind::Item), expr.range);
    e->level = Level::Item;
    return e;
  }
  if (scope.level == Level::Person && n == scope.param) {
    auto e = makeExpr(Op::Record, types.get(TypeKind::Person), expr.range);
    e->level = Level::Person;
    return e;
  }
  if (scope.level != Level::Person && (n == "declaration" || (scope.level == Level::Declaration && n == scope.param))) {
    auto e = makeExpr(Op::Record, types.get(TypeKind::Declaration), expr.range);
    e->level = Level::Declaration;
    return e;
  }
  const Schema& bare = scope.level == Level::Person ? program_->person : program_->declaration;
  if (int f = bare.find(n); f >= 0) {
    auto e = makeExpr(Op::Field, bare.fields[static_cast<size_t>(f)].type, expr.range);
    e->level = bare.level;
    e->field = f;
    return e;
  }
  if (n == "item" && scope.item_var.empty() && program_->item.defined) {
    sink_.report(Code::TK304, expr.range,
                 "`item` exists only inside `any item:`, `all item:`, an aggregate such as `count(item: ...)`, or "
                 "an item indicator");
    return errorExpr(expr.range);
  }
  if (const Symbol* symbol = lookup(*scope.file, n, expr.range)) {
    switch (symbol->kind) {
      case SymbolKind::Data: {
        auto* data = static_cast<DataSet*>(symbol->target);
        data->used = true;
        sink_.report(Code::TK301, expr.range,
                     data->is_table ? fmt::format("`{}` is a table: look a value up with {}[key]", n, n)
                                    : fmt::format("`{}` is a list: test membership with `x in {}`", n, n));
        break;
      }
      case SymbolKind::Indicator: {
        auto* ind = static_cast<Indicator*>(symbol->target);
        ind->used = true;
        sink_.report(Code::TK303, expr.range,
                     fmt::format("`{}` is an indicator: call it, e.g. {}({})", n, n,
                                 ind->level == Level::Item ? "item" : ind->level == Level::Person ? "declarant" : "declaration"));
        break;
      }
      case SymbolKind::Score: {
        auto* score = static_cast<Score*>(symbol->target);
        score->used = true;
        if (scope.in_score) {
          sink_.report(Code::TK303, expr.range,
                       fmt::format("a score's terms cannot use a score (`{}`): write its conditions here instead", n));
          break;
        }
        if (scope.level != Level::Declaration) {
          sink_.report(Code::TK303, expr.range,
                       fmt::format("`{}` is a declaration's risk score: use it in declaration conditions, not in {} "
                                   "indicators",
                                   n, scope.level == Level::Item ? "goods-item" : "person"));
          break;
        }
        auto e = makeExpr(Op::ScoreRef, types.get(TypeKind::Decimal), expr.range);
        e->score = score;
        return e;
      }
      case SymbolKind::Enum:
        sink_.report(Code::TK301, expr.range, fmt::format("`{}` is an enum type; write one of its members", n));
        break;
      case SymbolKind::Area:
        static_cast<Area*>(symbol->target)->used = true;
        sink_.report(Code::TK301, expr.range, fmt::format("`{}` is a risk area, not a value", n));
        break;
      case SymbolKind::Measure:
        static_cast<Measure*>(symbol->target)->used = true;
        sink_.report(Code::TK301, expr.range, fmt::format("`{}` is a measure, not a value", n));
        break;
    }
    return errorExpr(expr.range);
  }
  // An enum member: the expected type decides, else it must be unique among visible enums.
  if (hint && hint->kind == TypeKind::Enum) {
    if (int index = hint->enumeration->find(n); index >= 0) {
      auto e = makeExpr(Op::Literal, types.withOptional(hint, false), expr.range);
      e->literal.number = index;
      return e;
    }
  }
  std::vector<std::pair<const EnumInfo*, int>> matches;
  for (const auto& info : program_->enums) {
    bool visible = &info == program_->category_enum ||
                   std::find(scope.file->visible.begin(), scope.file->visible.end(), info.package) !=
                       scope.file->visible.end();
    if (!visible) continue;
    if (int index = info.find(n); index >= 0) matches.emplace_back(&info, index);
  }
  if (matches.size() == 1) {
    auto e = makeExpr(Op::Literal, types.get(TypeKind::Enum, false, matches[0].first), expr.range);
    e->literal.number = matches[0].second;
    return e;
  }
  if (matches.size() > 1) {
    sink_.report(Code::TK205, expr.range,
                 fmt::format("`{}` is a member of both {} and {}; write {}.{} or {}.{}", n, matches[0].first->name,
                             matches[1].first->name, matches[0].first->name, n, matches[1].first->name, n));
    return errorExpr(expr.range);
  }
  if (isBrokenName(n)) return errorExpr(expr.range);
  sink_.report(Code::TK201, expr.range, fmt::format("unknown name `{}`{}", n, didYouMean(suggestName(scope, n))));
  return errorExpr(expr.range);
}

// ---- member access, lookup, calls ---------------------------------------------------

ExprPtr Checker::checkEnumMember(const syntax::MemberExpr& expr, const EnumInfo& info) {
  int index = info.find(expr.member.name);
  if (index < 0) {
    sink_.report(Code::TK202, expr.member.range,
                 fmt::format("enum {} has no member `{}`{}", info.name, expr.member.name,
                             didYouMean(closestName(expr.member.name, info.members))));
    return errorExpr(expr.range);
  }
  auto e = makeExpr(Op::Literal, program_->types.get(TypeKind::Enum, false, &info), expr.range);
  e->literal.number = index;
  return e;
}

ExprPtr Checker::checkMember(const syntax::MemberExpr& expr, const ExprScope& scope, const Type* hint) {
  (void)hint;
  // Tier.high: a member named through its enum.
  if (expr.object->kind == ExprKind::Name) {
    const auto& name = static_cast<const syntax::NameExpr&>(*expr.object).name;
    if (name == program_->category_enum->name) return checkEnumMember(expr, *program_->category_enum);
    bool is_value = name == scope.item_var || name == scope.param || name == "declaration" ||
                    (scope.level != Level::Person && program_->declaration.find(name) >= 0) ||
                    (scope.level == Level::Person && program_->person.find(name) >= 0);
    if (!is_value) {
      if (const Symbol* s = lookup(*scope.file, name, expr.object->range, false); s && s->kind == SymbolKind::Enum) {
        static_cast<EnumInfo*>(s->target)->used = true;
        return checkEnumMember(expr, *static_cast<EnumInfo*>(s->target));
      }
    }
  }
  return checkMemberOf(expr, checkExpr(*expr.object, scope));
}

ExprPtr Checker::checkMemberOf(const syntax::MemberExpr& expr, ExprPtr object) {
  auto& types = program_->types;
  if (object->type->isError()) return errorExpr(expr.range);
  const std::string& n = expr.member.name;
  const Type* t = object->type;

  auto schemaField = [&](const Schema& schema, Level level) -> ExprPtr {
    int f = schema.find(n);
    if (f < 0) {
      std::vector<std::string> names;
      for (const auto& field : schema.fields) names.push_back(field.name);
      sink_.report(Code::TK202, expr.member.range,
                   fmt::format("the {} schema has no field `{}`{}", levelName(level), n, didYouMean(closestName(n, names))));
      return errorExpr(expr.range);
    }
    auto e = makeExpr(Op::Field, schema.fields[static_cast<size_t>(f)].type, expr.range);
    e->level = level;
    e->field = f;
    return e;
  };

  switch (t->kind) {
    case TypeKind::Declaration: return schemaField(program_->declaration, Level::Declaration);
    case TypeKind::Item: return schemaField(program_->item, Level::Item);
    case TypeKind::Person: {
      if (!program_->person.defined) {
        sink_.report(Code::TK415, expr.range, "no person schema is defined, so persons have no fields");
        return errorExpr(expr.range);
      }
      if (object->op == Op::Record) {
        if (n == "category" || n == "registered") {
          sink_.report(Code::TK202, expr.member.range,
                       fmt::format("`{}` is decided from the person's data; it cannot be used inside person indicators "
                                   "or category rules",
                                   n));
          return errorExpr(expr.range);
        }
        return schemaField(program_->person, Level::Person);
      }
      if (n == "category") {
        auto e = makeExpr(Op::PersonCategory, categoryType(t->optional), expr.range);
        e->args.push_back(std::move(object));
        return e;
      }
      if (n == "registered") {
        auto e = makeExpr(Op::PersonRegistered, types.boolean(), expr.range);
        e->args.push_back(std::move(object));
        return e;
      }
      auto field = schemaField(program_->person, Level::Person);
      if (field->type->isError()) return field;
      // Through a reference the person may be missing from the register.
      auto e = makeExpr(Op::PersonField, types.withOptional(field->type, true), expr.range);
      e->field = field->field;
      e->args.push_back(std::move(object));
      return e;
    }
    case TypeKind::Hs: {
      int digits = n == "chapter" ? 2 : n == "heading" ? 4 : n == "subheading" ? 6 : 0;
      if (digits == 0) {
        sink_.report(Code::TK202, expr.member.range,
                     fmt::format("a commodity code has `chapter`, `heading` and `subheading`, not `{}`", n));
        return errorExpr(expr.range);
      }
      auto e = makeExpr(Op::HsPrefix, t, expr.range);
      e->number = digits;
      e->args.push_back(std::move(object));
      return e;
    }
    case TypeKind::Date: {
      int part = n == "year" ? 0 : n == "month" ? 1 : n == "day" ? 2 : -1;
      if (part < 0) {
        sink_.report(Code::TK202, expr.member.range, fmt::format("a date has `year`, `month` and `day`, not `{}`", n));
        return errorExpr(expr.range);
      }
      auto e = makeExpr(Op::DatePart, types.integer(t->optional), expr.range);
      e->number = part;
      e->args.push_back(std::move(object));
      return e;
    }
    default:
      sink_.report(Code::TK202, expr.member.range, fmt::format("a {} has no field `{}`", describe(t), n));
      return errorExpr(expr.range);
  }
}

ExprPtr Checker::checkIndex(const syntax::IndexExpr& expr, const ExprScope& scope) {
  const DataSet* table = nullptr;
  if (expr.object->kind == ExprKind::Name) {
    const auto& name = static_cast<const syntax::NameExpr&>(*expr.object).name;
    if (const Symbol* s = lookup(*scope.file, name, expr.object->range); s && s->kind == SymbolKind::Data) {
      auto* data = static_cast<DataSet*>(s->target);
      data->used = true;
      if (data->type == nullptr || data->type->isError()) return errorExpr(expr.range);  // reported already
      if (!data->is_table) {
        sink_.report(Code::TK301, expr.object->range,
                     fmt::format("`{}` is a list; only tables are looked up with [key]; use `x in {}`", name, name));
        return errorExpr(expr.range);
      }
      table = data;
    } else if (isBrokenName(name)) {
      return errorExpr(expr.range);
    }
  }
  if (table == nullptr) {
    sink_.report(Code::TK301, expr.object->range, "only a table can be looked up with [key]");
    return errorExpr(expr.range);
  }
  if (table->type->isError()) return errorExpr(expr.range);
  const bool two_keys = table->type->element->kind == TypeKind::Pair;
  if (two_keys != (expr.second != nullptr)) {
    sink_.report(Code::TK301, expr.range,
                 two_keys ? fmt::format("table `{}` is keyed by two values ({}): look it up with {}[a, b]", table->name,
                                        describe(table->type->element), table->name)
                          : fmt::format("table `{}` is keyed by one value ({}): look it up with {}[key]", table->name,
                                        describe(table->type->element), table->name));
    return errorExpr(expr.range);
  }
  auto e = makeExpr(Op::Lookup, program_->types.withOptional(table->type->value, true), expr.range);
  e->data = table;
  const syntax::Expr* indexes[] = {expr.index.get(), expr.second.get()};
  for (size_t k = 0; k < (two_keys ? 2u : 1u); ++k) {
    const Type* key_type = !two_keys ? table->type->element
                           : k == 0  ? table->type->element->element
                                     : table->type->element->value;
    ExprPtr key = checkExpr(*indexes[k], scope, key_type);
    if (key->type->isError()) return errorExpr(expr.range);
    if (key->type->kind == TypeKind::Int && key_type->kind == TypeKind::Decimal) key = toDecimal(std::move(key));
    if (key->type->kind != key_type->kind || key->type->enumeration != key_type->enumeration) {
      sink_.report(Code::TK301, indexes[k]->range,
                   two_keys ? fmt::format("table `{}`'s {} key is of type {}, but this is a {}", table->name,
                                          k == 0 ? "first" : "second", describe(key_type), describe(key->type))
                            : fmt::format("table `{}` is keyed by {}, but this key is a {}", table->name,
                                          describe(key_type), describe(key->type)));
      return errorExpr(expr.range);
    }
    e->args.push_back(std::move(key));
  }
  return e;
}

ExprPtr Checker::checkCall(const syntax::CallExpr& expr, const ExprScope& scope, const Type* hint) {
  const std::string& n = expr.callee.name;
  const Schema& bare = scope.level == Level::Person ? program_->person : program_->declaration;
  if (bare.find(n) >= 0 || n == scope.item_var || n == scope.param || n == "declaration") {
    sink_.report(Code::TK303, expr.callee.range,
                 fmt::format("`{}` is {}, not an indicator or function", n,
                             bare.find(n) >= 0 ? "a field" : "a record"));
    return errorExpr(expr.range);
  }
  if (const Symbol* s = lookup(*scope.file, n, expr.callee.range)) {
    if (s->kind == SymbolKind::Indicator) return checkIndicatorCall(expr, *static_cast<Indicator*>(s->target), scope);
    sink_.report(Code::TK303, expr.callee.range, fmt::format("`{}` is not an indicator or function", n));
    return errorExpr(expr.range);
  }
  static const std::set<std::string> kBuiltins = {"abs", "len", "starts_with", "ends_with", "contains", "min", "max"};
  if (kBuiltins.count(n)) return checkBuiltin(expr, scope, hint);
  if (n == "count" || n == "sum" || n == "any" || n == "all") {
    sink_.report(Code::TK303, expr.range,
                 fmt::format("`{}` runs over goods items: write {}(item: ...)", n, n));
    return errorExpr(expr.range);
  }
  if (isBrokenName(n)) return errorExpr(expr.range);
  std::vector<std::string> names(kBuiltins.begin(), kBuiltins.end());
  for (const auto& pkg : scope.file->visible)
    if (auto it = packages_.find(pkg); it != packages_.end())
      for (const auto& [name, symbol] : it->second)
        if (symbol.kind == SymbolKind::Indicator) names.push_back(name);
  std::string suggestion = closestName(n, names);
  sink_.report(Code::TK201, expr.callee.range, fmt::format("unknown indicator or function `{}`{}", n, didYouMean(suggestion)));
  return errorExpr(expr.range);
}

ExprPtr Checker::checkIndicatorCall(const syntax::CallExpr& expr, Indicator& ind, const ExprScope& scope) {
  ind.used = true;
  CheckState state = indicator_state_[&ind];
  if (state == CheckState::Checking) {
    // The cycle, shortened in the middle when long: a -> b -> ... (n more) ... -> y -> a.
    auto start = std::find(indicator_stack_.begin(), indicator_stack_.end(), &ind);
    auto length = static_cast<size_t>(indicator_stack_.end() - start);
    std::string path;
    for (size_t i = 0; i < length; ++i) {
      if (length > 10 && i == 5) {
        path += fmt::format("... ({} more) ... -> ", length - 9);
        i = length - 4;
      }
      path += start[static_cast<long>(i)]->name + " -> ";
    }
    path += ind.name;
    sink_.report(Code::TK303, expr.callee.range, fmt::format("indicator `{}` depends on itself: {}", ind.name, path));
    return errorExpr(expr.range);
  }
  if (state == CheckState::Unchecked) {
    // Callees are checked first (indicator_order.cpp), so this recursion only goes round
    // a cycle; a very long one is reported before it exhausts the stack.
    if (indicator_stack_.size() >= kMaxIndicatorRecursion) {
      sink_.report(Code::TK303, expr.callee.range,
                   fmt::format("indicator `{}` is in a cycle of more than {} indicators calling each other; an "
                               "indicator cannot depend on itself",
                               ind.name, kMaxIndicatorRecursion));
      cycle_too_long_ = true;
      return errorExpr(expr.range);
    }
    checkIndicatorBody(ind);
  }
  if (indicator_state_[&ind] != CheckState::Done) return errorExpr(expr.range);

  const char* example = ind.level == Level::Item ? "item" : ind.level == Level::Person ? "declarant" : "declaration";
  if (expr.args.size() != 1) {
    sink_.report(Code::TK303, expr.range,
                 fmt::format("`{}` takes one argument, the {}: e.g. {}({})", ind.name, levelName(ind.level), ind.name, example));
    return errorExpr(expr.range);
  }
  ExprPtr arg = checkExpr(*expr.args[0], scope);
  if (arg->type->isError()) return errorExpr(expr.range);
  TypeKind wanted = ind.level == Level::Item ? TypeKind::Item
                    : ind.level == Level::Person ? TypeKind::Person
                                                 : TypeKind::Declaration;
  if (arg->type->kind != wanted) {
    sink_.report(Code::TK303, expr.args[0]->range,
                 fmt::format("`{}` is a {} indicator: pass it the {}, e.g. {}({}), not a {}", ind.name,
                             levelName(ind.level), levelName(ind.level), ind.name, example, describe(arg->type)));
    return errorExpr(expr.range);
  }
  // A person reached through a declaration may be missing from the register.
  bool optional = ind.type->optional || (wanted == TypeKind::Person && arg->op != Op::Record);
  auto e = makeExpr(Op::Call, program_->types.withOptional(ind.type, optional), expr.range);
  e->indicator = &ind;
  e->args.push_back(std::move(arg));
  return e;
}

ExprPtr Checker::checkBuiltin(const syntax::CallExpr& expr, const ExprScope& scope, const Type* hint) {
  auto& types = program_->types;
  const std::string& n = expr.callee.name;
  size_t arity = (n == "abs" || n == "len") ? 1 : 2;
  if (expr.args.size() != arity) {
    sink_.report(Code::TK303, expr.range,
                 fmt::format("`{}` takes {} argument{}, not {}", n, arity, arity == 1 ? "" : "s", expr.args.size()));
    return errorExpr(expr.range);
  }
  std::vector<ExprPtr> args;
  bool optional = false;
  for (const auto& a : expr.args) {
    // min(a, b) and max(a, b): the first argument's type (or the context's) reads the second.
    const Type* arg_hint = args.empty() ? hint : args[0]->type;
    args.push_back(checkExpr(*a, scope, arg_hint));
    if (args.back()->type->isError()) return errorExpr(expr.range);
    optional |= args.back()->type->optional;
  }
  auto expect = [&](size_t i, bool ok, const char* what) {
    if (ok) return true;
    sink_.report(Code::TK301, expr.args[i]->range,
                 fmt::format("`{}` needs {} here, not {}", n, what, describeA(args[i]->type)));
    return false;
  };
  ExprPtr e;
  if (n == "abs") {
    if (!expect(0, args[0]->type->isNumeric(), "a number")) return errorExpr(expr.range);
    e = makeExpr(Op::Abs, args[0]->type, expr.range);
  } else if (n == "len") {
    if (!expect(0, args[0]->type->kind == TypeKind::String, "a string")) return errorExpr(expr.range);
    e = makeExpr(Op::Len, types.integer(optional), expr.range);
  } else if (n == "min" || n == "max") {
    bool ok0 = args[0]->type->isNumeric() || args[0]->type->kind == TypeKind::Date;
    if (!expect(0, ok0, "a number or a date")) return errorExpr(expr.range);
    const Type* t = unify(args[0], args[1]);
    if (t == nullptr) {
      sink_.report(Code::TK301, expr.range,
                   fmt::format("`{}` needs two values of one type, not {} and {}", n, describe(args[0]->type),
                               describe(args[1]->type)));
      return errorExpr(expr.range);
    }
    e = makeExpr(n == "min" ? Op::MinOf : Op::MaxOf, types.withOptional(t, optional), expr.range);
  } else {
    if (!expect(0, args[0]->type->kind == TypeKind::String, "a string")) return errorExpr(expr.range);
    if (!expect(1, args[1]->type->kind == TypeKind::String, "a string")) return errorExpr(expr.range);
    Op op = n == "starts_with" ? Op::StartsWith : n == "ends_with" ? Op::EndsWith : Op::Contains;
    e = makeExpr(op, types.boolean(optional), expr.range);
  }
  e->args = std::move(args);
  return e;
}

// ---- goods items --------------------------------------------------------------------

bool Checker::beginItemScope(const syntax::Ident& var, const Range& range, const ExprScope& outer, ExprScope& inner) {
  if (!program_->item.defined) {
    sink_.report(Code::TK415, range, "no item schema is defined, so there are no goods items to go over");
    return false;
  }
  if (outer.level != Level::Declaration || outer.in_quantifier) {
    const char* message = outer.level == Level::Person
                              ? "a person has no goods items; quantifiers belong in declaration conditions"
                          : outer.in_quantifier
                              ? "quantifiers and aggregates over goods items cannot be nested; write the inner "
                                "condition about the one item"
                              : "an item indicator is about one goods item; go over the items in a declaration "
                                "condition instead";
    sink_.report(Code::TK304, range, message);
    return false;
  }
  if (program_->declaration.find(var.name) >= 0 || var.name == "declaration") {
    sink_.report(Code::TK203, var.range,
                 fmt::format("`{}` already names a declaration field; name the goods item differently", var.name));
    return false;
  }
  inner = outer;
  inner.item_var = var.name;
  inner.in_quantifier = true;
  return true;
}

ExprPtr Checker::checkQuantifier(const syntax::QuantifierExpr& expr, const ExprScope& scope) {
  ExprScope inner;
  if (!beginItemScope(expr.var, expr.range, scope, inner)) return errorExpr(expr.range);
  ExprPtr body = checkCondition(*expr.body, inner, expr.all ? "the condition of `all`" : "the condition of `any`");
  if (body->type->isError()) return errorExpr(expr.range);
  auto e = makeExpr(expr.all ? Op::All : Op::Any, program_->types.boolean(), expr.range);
  e->args.push_back(std::move(body));
  return e;
}

ExprPtr Checker::checkAggregate(const syntax::AggregateExpr& expr, const ExprScope& scope) {
  auto& types = program_->types;
  const std::string& fn = expr.function.name;
  if (fn != "count" && fn != "sum" && fn != "min" && fn != "max") {
    sink_.report(Code::TK303, expr.function.range,
                 fmt::format("unknown aggregate `{}` over goods items (count, sum, min or max)", fn));
    return errorExpr(expr.range);
  }
  ExprScope inner;
  if (!beginItemScope(expr.var, expr.range, scope, inner)) return errorExpr(expr.range);
  if (fn == "count") {
    if (expr.filter) {
      sink_.report(Code::TK303, expr.filter->range, "count takes its condition after the colon: count(item: ...)");
      return errorExpr(expr.range);
    }
    ExprPtr body = checkCondition(*expr.body, inner, "the condition of `count`");
    if (body->type->isError()) return errorExpr(expr.range);
    auto e = makeExpr(Op::Count, types.integer(), expr.range);
    e->args.push_back(std::move(body));
    return e;
  }
  ExprPtr body = checkExpr(*expr.body, inner);
  if (body->type->isError()) return errorExpr(expr.range);
  bool numeric = body->type->isNumeric();
  if (!(numeric || (fn != "sum" && body->type->kind == TypeKind::Date))) {
    sink_.report(Code::TK301, expr.body->range,
                 fmt::format("`{}` needs a number{} for each item, not a {}", fn, fn == "sum" ? "" : " or a date",
                             describe(body->type)));
    return errorExpr(expr.range);
  }
  ExprPtr filter;
  if (expr.filter) {
    filter = checkCondition(*expr.filter, inner, "the `where` condition");
    if (filter->type->isError()) return errorExpr(expr.range);
  }
  // Missing values are skipped; a sum over nothing is 0, a min or max over nothing is missing.
  const Type* base = types.withOptional(body->type, false);
  auto e = makeExpr(fn == "sum" ? Op::Sum : fn == "min" ? Op::Min : Op::Max,
                    fn == "sum" ? base : types.withOptional(base, true), expr.range);
  e->args.push_back(std::move(body));
  if (filter) e->args.push_back(std::move(filter));
  return e;
}

// ---- operators ----------------------------------------------------------------------

ExprPtr Checker::checkUnary(const syntax::UnaryExpr& expr, const ExprScope& scope) {
  ExprPtr operand = checkExpr(*expr.operand, scope);
  if (operand->type->isError()) return errorExpr(expr.range);
  if (expr.op == syntax::UnaryOp::Not) {
    if (operand->type->kind != TypeKind::Bool) {
      sink_.report(Code::TK301, expr.operand->range,
                   fmt::format("`not` needs a condition, not a {}", describe(operand->type)));
      return errorExpr(expr.range);
    }
    auto e = makeExpr(Op::Not, operand->type, expr.range);
    e->args.push_back(std::move(operand));
    return e;
  }
  if (!operand->type->isNumeric()) {
    sink_.report(Code::TK301, expr.operand->range, fmt::format("cannot negate a {}", describe(operand->type)));
    return errorExpr(expr.range);
  }
  auto e = makeExpr(Op::Negate, operand->type, expr.range);
  e->args.push_back(std::move(operand));
  return e;
}

ExprPtr Checker::checkBinary(const syntax::BinaryExpr& expr, const ExprScope& scope) {
  if (isComparison(expr.op) && dependsOnOtherSide(*expr.lhs) && !dependsOnOtherSide(*expr.rhs)) {
    ExprPtr rhs = checkExpr(*expr.rhs, scope);
    ExprPtr lhs = checkExpr(*expr.lhs, scope, rhs->type);
    return checkBinaryOf(expr, std::move(lhs), std::move(rhs));
  }
  return checkBinaryAfter(expr, scope, checkExpr(*expr.lhs, scope));
}

ExprPtr Checker::checkBinaryAfter(const syntax::BinaryExpr& expr, const ExprScope& scope, ExprPtr lhs) {
  ExprPtr rhs = checkExpr(*expr.rhs, scope, lhs->type);
  return checkBinaryOf(expr, std::move(lhs), std::move(rhs));
}

ExprPtr Checker::checkBinaryOf(const syntax::BinaryExpr& expr, ExprPtr lhs, ExprPtr rhs) {
  if (anyError({lhs.get(), rhs.get()})) return errorExpr(expr.range);
  if (isComparison(expr.op)) return checkComparison(expr, std::move(lhs), std::move(rhs));
  return checkArithmetic(expr, std::move(lhs), std::move(rhs));
}

// `and` and `or` over any number of operands. Reported as the binary chain it stands for
// would be: the first operand that is not a condition, unless an error came before.
ExprPtr Checker::checkLogical(const syntax::LogicalExpr& expr, const ExprScope& scope) {
  std::vector<ExprPtr> operands;
  bool ok = true, optional = false;
  for (const auto& o : expr.operands) {
    operands.push_back(checkExpr(*o, scope, operands.empty() ? nullptr : operands.back()->type));
    const Expr& e = *operands.back();
    optional = optional || e.type->optional;
    if (!ok || operands.size() == 1) continue;
    if (operands.front()->type->isError() || e.type->isError()) {
      ok = false;
      continue;
    }
    const Expr* first = operands.size() == 2 ? operands.front().get() : nullptr;
    for (const Expr* side : {first, &e}) {
      if (side == nullptr || side->type->kind == TypeKind::Bool) continue;
      sink_.report(Code::TK301, side->range,
                   fmt::format("`{}` joins conditions, but this is a {}", syntax::spelling(expr.op), describe(side->type)));
      ok = false;
      break;
    }
  }
  if (!ok) return errorExpr(expr.range);
  auto e = makeExpr(expr.op == syntax::BinaryOp::And ? Op::And : Op::Or, program_->types.boolean(optional), expr.range);
  e->args = std::move(operands);
  return e;
}

ExprPtr Checker::checkComparison(const syntax::BinaryExpr& expr, ExprPtr lhs, ExprPtr rhs) {
  using syntax::BinaryOp;
  bool optional = lhs->type->optional || rhs->type->optional;
  bool equality = expr.op == BinaryOp::Eq || expr.op == BinaryOp::Ne;
  std::string lt = describe(lhs->type), rt = describe(rhs->type);
  const Type* common = unify(lhs, rhs);
  if (common == nullptr) {
    sink_.report(Code::TK301, expr.range, fmt::format("cannot compare {} with {}", withArticle(lt), withArticle(rt)));
    return errorExpr(expr.range);
  }
  switch (common->kind) {
    case TypeKind::Int: case TypeKind::Decimal: case TypeKind::String: case TypeKind::Date: case TypeKind::Enum:
      break;
    case TypeKind::Bool: case TypeKind::Country:
      if (!equality) {
        sink_.report(Code::TK301, expr.op_range, fmt::format("{} values have no order; use == or !=", describe(common)));
        return errorExpr(expr.range);
      }
      break;
    case TypeKind::Hs:
      if (!equality) {
        sink_.report(Code::TK301, expr.op_range,
                     "commodity codes have no order; use == or !=, or `in` to test a chapter, heading or subheading");
        return errorExpr(expr.range);
      }
      break;
    default:
      sink_.report(Code::TK301, expr.op_range, fmt::format("cannot compare {} values", describe(common)));
      return errorExpr(expr.range);
  }
  static const Op kOps[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
  auto e = makeExpr(kOps[static_cast<int>(expr.op) - static_cast<int>(BinaryOp::Eq)], program_->types.boolean(optional),
                    expr.range);
  e->args.push_back(std::move(lhs));
  e->args.push_back(std::move(rhs));
  return e;
}

ExprPtr Checker::checkArithmetic(const syntax::BinaryExpr& expr, ExprPtr lhs, ExprPtr rhs) {
  using syntax::BinaryOp;
  auto& types = program_->types;
  bool optional = lhs->type->optional || rhs->type->optional;
  TypeKind lk = lhs->type->kind, rk = rhs->type->kind;
  const Type* result = nullptr;
  Op op = Op::Add;
  switch (expr.op) {
    case BinaryOp::Add:
    case BinaryOp::Sub:
      op = expr.op == BinaryOp::Add ? Op::Add : Op::Sub;
      if (lk == TypeKind::Date && rk == TypeKind::Int) {
        result = types.get(TypeKind::Date, optional);
      } else if (lk == TypeKind::Int && rk == TypeKind::Date && op == Op::Add) {
        std::swap(lhs, rhs);  // keep the date on the left
        result = types.get(TypeKind::Date, optional);
      } else if (lk == TypeKind::Date && rk == TypeKind::Date && op == Op::Sub) {
        result = types.integer(optional);  // days between
      } else if (lhs->type->isNumeric() && rhs->type->isNumeric()) {
        result = types.withOptional(unify(lhs, rhs), optional);
      }
      break;
    case BinaryOp::Mul:
      op = Op::Mul;
      if (lhs->type->isNumeric() && rhs->type->isNumeric()) result = types.withOptional(unify(lhs, rhs), optional);
      break;
    case BinaryOp::Div:
      op = Op::Div;
      if (lhs->type->isNumeric() && rhs->type->isNumeric()) {
        lhs = toDecimal(std::move(lhs));
        rhs = toDecimal(std::move(rhs));
        result = types.decimal(true);  // missing when dividing by zero
      }
      break;
    default:
      break;
  }
  if (result == nullptr) {
    sink_.report(Code::TK301, expr.op_range,
                 fmt::format("cannot apply `{}` to {} and {}", syntax::spelling(expr.op), describeA(lhs->type),
                             describeA(rhs->type)));
    return errorExpr(expr.range);
  }
  auto e = makeExpr(op, result, expr.range);
  e->args.push_back(std::move(lhs));
  e->args.push_back(std::move(rhs));
  return e;
}

ExprPtr Checker::checkIn(const syntax::InExpr& expr, const ExprScope& scope) {
  return checkInOf(expr, scope, checkExpr(*expr.element, scope));
}

ExprPtr Checker::checkInOf(const syntax::InExpr& expr, const ExprScope& scope, ExprPtr element) {
  auto& types = program_->types;
  if (element->type->isError()) return errorExpr(expr.range);
  const Type* et = types.withOptional(element->type, false);
  bool optional = element->type->optional;
  ExprPtr result;

  const syntax::Expr& coll = *expr.collection;
  const DataSet* data = nullptr;
  if (coll.kind == ExprKind::Name) {
    const auto& name = static_cast<const syntax::NameExpr&>(coll).name;
    bool shadowed = program_->declaration.find(name) >= 0 || name == scope.item_var;
    if (!shadowed) {
      if (const Symbol* s = lookup(*scope.file, name, coll.range); s && s->kind == SymbolKind::Data) {
        data = static_cast<DataSet*>(s->target);
        const_cast<DataSet*>(data)->used = true;
      } else if (isBrokenName(name)) {
        return errorExpr(expr.range);
      }
    }
  }
  if (data) {
    if (data->type->isError()) return errorExpr(expr.range);
    const Type* wanted = data->type->element;
    if (wanted->kind == TypeKind::Pair) {
      sink_.report(Code::TK301, expr.range,
                   fmt::format("table `{}` is keyed by two values: test for a row with `{}[a, b] is present`",
                               data->name, data->name));
      return errorExpr(expr.range);
    }
    if (element->type->kind == TypeKind::Int && wanted->kind == TypeKind::Decimal) element = toDecimal(std::move(element));
    if (element->type->kind != wanted->kind || element->type->enumeration != wanted->enumeration) {
      sink_.report(Code::TK301, expr.element->range,
                   fmt::format("{} `{}` holds {} values, but this is a {}", data->is_table ? "table" : "list",
                               data->name, describe(wanted), describe(element->type)));
      return errorExpr(expr.range);
    }
    result = makeExpr(data->is_table ? Op::InTableKeys : Op::InData, types.boolean(optional), expr.range);
    result->data = data;
    result->args.push_back(std::move(element));
  } else if (coll.kind == ExprKind::List ||
             (coll.kind == ExprKind::Literal && et->kind == TypeKind::Hs)) {
    std::vector<const syntax::Expr*> values;
    if (coll.kind == ExprKind::List)
      for (const auto& v : static_cast<const syntax::ListExpr&>(coll).elements) values.push_back(v.get());
    else
      values.push_back(&coll);
    result = makeExpr(Op::InValues, types.boolean(optional), expr.range);
    if (et->kind == TypeKind::Int) {
      // If any value is a decimal, compare as decimals.
      for (const auto* v : values)
        if (v->kind == ExprKind::Literal && static_cast<const syntax::LiteralExpr*>(v)->literal == syntax::LiteralKind::Decimal) {
          element = toDecimal(std::move(element));
          et = types.decimal();
          break;
        }
    }
    result->args.push_back(std::move(element));
    for (const auto* v : values) {
      ExprPtr value = checkExpr(*v, scope, et);
      if (value->type->isError()) return errorExpr(expr.range);
      if (value->op != Op::Literal) {
        sink_.report(Code::TK301, v->range, "the values in [...] must be constants; use an indicator for computed values");
        return errorExpr(expr.range);
      }
      if (value->type->kind == TypeKind::Int && et->kind == TypeKind::Decimal) value = toDecimal(std::move(value));
      if (value->type->kind != et->kind || value->type->enumeration != et->enumeration) {
        sink_.report(Code::TK301, v->range,
                     fmt::format("this value is a {}, but it is compared with a {}", describe(value->type), describe(et)));
        return errorExpr(expr.range);
      }
      result->args.push_back(std::move(value));
    }
  } else {
    sink_.report(Code::TK301, coll.range,
                 et->kind == TypeKind::String && coll.kind == ExprKind::Literal
                     ? "`in` tests membership; to look for text inside a string use contains(s, \"text\")"
                     : "after `in` write a list name, a table name or [values]");
    return errorExpr(expr.range);
  }
  if (!expr.negated) return result;
  auto negated = makeExpr(Op::Not, result->type, expr.range);
  negated->args.push_back(std::move(result));
  return negated;
}

ExprPtr Checker::checkIs(const syntax::IsExpr& expr, const ExprScope& scope) {
  const std::string& test = expr.test.name;
  if (test != "missing" && test != "present") {
    sink_.report(Code::TK207, expr.test.range, fmt::format("write `is missing` or `is present`, not `is {}`", test));
    return errorExpr(expr.range);
  }
  return checkIsOf(expr, checkExpr(*expr.operand, scope));
}

ExprPtr Checker::checkIsOf(const syntax::IsExpr& expr, ExprPtr operand) {
  const std::string& test = expr.test.name;
  if (operand->type->isError()) return errorExpr(expr.range);
  if (!operand->type->optional) {
    sink_.report(Code::TK306, expr.range,
                 fmt::format("this {} is never missing, so `is {}` is always {}", describe(operand->type), test,
                             test == "missing" ? "false" : "true"));
  }
  auto e = makeExpr(test == "missing" ? Op::IsMissing : Op::IsPresent, program_->types.boolean(), expr.range);
  e->args.push_back(std::move(operand));
  return e;
}

ExprPtr Checker::checkCoalesce(const syntax::CoalesceExpr& expr, const ExprScope& scope) {
  ExprPtr value = checkExpr(*expr.value, scope);
  if (value->type->isError()) return errorExpr(expr.range);
  ExprPtr fallback = checkExpr(*expr.fallback, scope, value->type);
  if (fallback->type->isError()) return errorExpr(expr.range);
  if (!value->type->optional) {
    sink_.report(Code::TK306, expr.op_range,
                 fmt::format("the left side of `??` is a {} that is never missing; the default is never used",
                             describe(value->type)));
  }
  std::string vt = describe(program_->types.withOptional(value->type, false));
  std::string ft = describe(fallback->type);
  bool optional = fallback->type->optional;
  const Type* common = unify(value, fallback);
  if (common == nullptr || common->kind == TypeKind::Person) {
    sink_.report(Code::TK301, expr.fallback->range, fmt::format("the default after `??` must be a {}, not a {}", vt, ft));
    return errorExpr(expr.range);
  }
  auto e = makeExpr(Op::Coalesce, program_->types.withOptional(common, optional), expr.range);
  e->args.push_back(std::move(value));
  e->args.push_back(std::move(fallback));
  return e;
}

ExprPtr Checker::checkIf(const syntax::IfExpr& expr, const ExprScope& scope, const Type* hint) {
  ExprPtr condition = checkCondition(*expr.condition, scope, "the condition of `if`");
  ExprPtr then_value = checkExpr(*expr.then_value, scope, hint);
  if (then_value->type->isError()) return errorExpr(expr.range);
  ExprPtr else_value = checkExpr(*expr.else_value, scope, hint ? hint : then_value->type);
  if (anyError({condition.get(), then_value.get(), else_value.get()})) return errorExpr(expr.range);
  bool optional = then_value->type->optional || else_value->type->optional;
  std::string tt = describe(then_value->type), et = describe(else_value->type);
  const Type* common = unify(then_value, else_value);
  if (common == nullptr || !common->isScalar()) {
    sink_.report(Code::TK301, expr.else_value->range,
                 fmt::format("both branches of `if` must have one type, not {} and {}", tt, et));
    return errorExpr(expr.range);
  }
  auto e = makeExpr(Op::If, program_->types.withOptional(common, optional), expr.range);
  e->args.push_back(std::move(condition));
  e->args.push_back(std::move(then_value));
  e->args.push_back(std::move(else_value));
  return e;
}

}  // namespace tauekel::sema
