#include "compiler/sema/program.h"

namespace tauekel::sema {

int Schema::find(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

Program::Program() {
  EnumInfo category;
  category.name = "Category";
  category.members = {"low", "medium", "high"};
  category.package = "std.builtin";
  enums.push_back(std::move(category));
  category_enum = &enums.back();
  declaration.level = Level::Declaration;
  item.level = Level::Item;
  person.level = Level::Person;
}

const char* name(MeasureKind kind) {
  switch (kind) {
    case MeasureKind::Documentary: return "documentary";
    case MeasureKind::Physical: return "physical";
    case MeasureKind::PostRelease: return "post_release";
    case MeasureKind::Other: return "other";
  }
  return "?";
}

const char* name(Corridor corridor) {
  switch (corridor) {
    case Corridor::Green: return "green";
    case Corridor::Blue: return "blue";
    case Corridor::Yellow: return "yellow";
    case Corridor::Red: return "red";
  }
  return "?";
}

const char* name(RiskLevel level) {
  switch (level) {
    case RiskLevel::Low: return "low";
    case RiskLevel::Medium: return "medium";
    case RiskLevel::High: return "high";
  }
  return "?";
}

const char* name(Stage stage) {
  switch (stage) {
    case Stage::BeforeRelease: return "before_release";
    case Stage::AtRelease: return "at_release";
    case Stage::AfterRelease: return "after_release";
  }
  return "?";
}

const char* name(LifeState state) {
  switch (state) {
    case LifeState::Draft: return "draft";
    case LifeState::Approved: return "approved";
    case LifeState::Revoked: return "revoked";
  }
  return "?";
}

const char* name(StatutoryKind kind) {
  switch (kind) {
    case StatutoryKind::None: return "none";
    case StatutoryKind::Liability: return "liability";
    case StatutoryKind::Arrears: return "arrears";
  }
  return "?";
}

const char* opName(Op op) {
  switch (op) {
#define OP(x) case Op::x: return #x;
    OP(Literal) OP(Record) OP(Field) OP(PersonField) OP(PersonCategory) OP(PersonRegistered) OP(ToDecimal)
    OP(Negate) OP(Not) OP(Add) OP(Sub) OP(Mul) OP(Div) OP(Eq) OP(Ne) OP(Lt) OP(Le) OP(Gt) OP(Ge) OP(And) OP(Or)
    OP(Coalesce) OP(IsMissing) OP(IsPresent) OP(InValues) OP(InData) OP(InTableKeys) OP(Lookup) OP(HsPrefix)
    OP(DatePart) OP(Call) OP(Any) OP(All) OP(Count) OP(Sum) OP(Min) OP(Max) OP(If) OP(Abs) OP(Len)
    OP(StartsWith) OP(EndsWith) OP(Contains) OP(MinOf) OP(MaxOf)
#undef OP
  }
  return "?";
}

ExprPtr cloneExpr(const Expr& expr) {
  auto copy = std::make_unique<Expr>();
  copy->op = expr.op;
  copy->type = expr.type;
  copy->range = expr.range;
  copy->literal = expr.literal;
  copy->level = expr.level;
  copy->field = expr.field;
  copy->number = expr.number;
  copy->data = expr.data;
  copy->indicator = expr.indicator;
  for (const auto& arg : expr.args) copy->args.push_back(cloneExpr(*arg));
  return copy;
}

}  // namespace tauekel::sema
