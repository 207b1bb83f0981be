#pragma once
// The syntax tree: what the author wrote, with positions, and literal values already
// decoded. Names are not resolved here; that is the checker's job (compiler/sema).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/source/source_manager.h"

namespace tauekel::syntax {

using source::Range;

struct Ident {
  std::string name;
  Range range;
};

// ---- expressions ---------------------------------------------------------------------

enum class ExprKind {
  Literal, Name, Member, Index, Call, Aggregate, List, Unary, Binary, Logical, In, Is, Coalesce, Quantifier, If
};

struct Expr;

// Trees are as deep as a chain of operators is long (`a + a + ... + a` on a 1 MB line),
// so they are destroyed from a work list, never by destructors recursing.
struct ExprDeleter {
  void operator()(Expr* e) const;
};
template <class T>
using Owned = std::unique_ptr<T, ExprDeleter>;
using ExprPtr = Owned<Expr>;

struct Expr {
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  // Calls `f` on each child slot, in source order (null slots included).
  virtual void forEachChild(const std::function<void(ExprPtr&)>& f) = 0;
  // The same, read-only, on the children present.
  void visitChildren(const std::function<void(const Expr&)>& f) const {
    const_cast<Expr*>(this)->forEachChild([&](ExprPtr& child) {
      if (child) f(*child);
    });
  }
  ExprKind kind;
  Range range;
};

enum class LiteralKind { Int, Decimal, Percent, String, Date, Hs, Country, Bool };

struct LiteralExpr : Expr {
  LiteralExpr() : Expr(ExprKind::Literal) {}
  void forEachChild(const std::function<void(ExprPtr&)>&) override {}
  LiteralKind literal = LiteralKind::Int;
  // Int: the value; Decimal and Percent: millionths (10% is 100000); Date: days since
  // 1970-01-01; Hs: the code padded to 10 digits; Country: packed letters; Bool: 0 or 1.
  int64_t number = 0;
  int hs_length = 0;
  std::string text;  // String: the unescaped value
  bool valid = true; // false after a literal diagnostic, so the checker stays quiet
};

struct NameExpr : Expr {
  NameExpr() : Expr(ExprKind::Name) {}
  void forEachChild(const std::function<void(ExprPtr&)>&) override {}
  std::string name;
};

struct MemberExpr : Expr {
  MemberExpr() : Expr(ExprKind::Member) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(object);
  }
  ExprPtr object;
  Ident member;
};

struct IndexExpr : Expr {
  IndexExpr() : Expr(ExprKind::Index) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(object);
    f(index);
    if (second) f(second);
  }
  ExprPtr object;
  ExprPtr index;
  ExprPtr second;  // a table with two keys: t[a, b]
};

struct CallExpr : Expr {
  CallExpr() : Expr(ExprKind::Call) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    for (auto& a : args) f(a);
  }
  Ident callee;
  std::vector<ExprPtr> args;
};

// count(item: cond), sum(item: e where cond), min(...), max(...)
struct AggregateExpr : Expr {
  AggregateExpr() : Expr(ExprKind::Aggregate) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(body);
    f(filter);
  }
  Ident function;
  Ident var;
  ExprPtr body;
  ExprPtr filter;  // may be null
};

struct ListExpr : Expr {
  ListExpr() : Expr(ExprKind::List) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    for (auto& e : elements) f(e);
  }
  std::vector<ExprPtr> elements;
};

enum class UnaryOp { Negate, Not };

struct UnaryExpr : Expr {
  UnaryExpr() : Expr(ExprKind::Unary) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(operand);
  }
  UnaryOp op = UnaryOp::Not;
  ExprPtr operand;
};

enum class BinaryOp { Mul, Div, Add, Sub, Eq, Ne, Lt, Le, Gt, Ge, And, Or };
const char* spelling(BinaryOp op);

struct BinaryExpr : Expr {
  BinaryExpr() : Expr(ExprKind::Binary) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(lhs);
    f(rhs);
  }
  BinaryOp op = BinaryOp::Add;
  Range op_range;
  ExprPtr lhs;
  ExprPtr rhs;
};

// `a and b and c`, `a or b or c`: a chain of one operator, any length, as one node.
struct LogicalExpr : Expr {
  LogicalExpr() : Expr(ExprKind::Logical) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    for (auto& o : operands) f(o);
  }
  BinaryOp op = BinaryOp::And;  // And or Or
  std::vector<ExprPtr> operands;
  std::vector<Range> op_ranges;  // of each `and` / `or`, one fewer than the operands
  bool parenthesized = false;    // written in brackets: a chain around it stays apart
};

struct InExpr : Expr {
  InExpr() : Expr(ExprKind::In) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(element);
    f(collection);
  }
  bool negated = false;
  ExprPtr element;
  ExprPtr collection;
};

// x is missing / x is present
struct IsExpr : Expr {
  IsExpr() : Expr(ExprKind::Is) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(operand);
  }
  ExprPtr operand;
  Ident test;
};

struct CoalesceExpr : Expr {
  CoalesceExpr() : Expr(ExprKind::Coalesce) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(value);
    f(fallback);
  }
  Range op_range;
  ExprPtr value;
  ExprPtr fallback;
};

// any item: cond / all item: cond
struct QuantifierExpr : Expr {
  QuantifierExpr() : Expr(ExprKind::Quantifier) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(body);
  }
  bool all = false;
  Ident var;
  ExprPtr body;
};

struct IfExpr : Expr {
  IfExpr() : Expr(ExprKind::If) {}
  void forEachChild(const std::function<void(ExprPtr&)>& f) override {
    f(condition);
    f(then_value);
    f(else_value);
  }
  ExprPtr condition;
  ExprPtr then_value;
  ExprPtr else_value;
};

// ---- declarations --------------------------------------------------------------------

struct TypeRef {
  Ident name;
  std::vector<TypeRef> args;
  bool optional = false;
  Range range;
};

struct FieldDecl {
  Ident name;
  TypeRef type;
  bool key = false;
  std::optional<std::string> column;  // the CSV column name, when it differs
  std::optional<int64_t> round;       // decimal fields: round input to this many digits
  Range round_range;
  Range range;
};

struct SchemaDecl {
  Ident kind;  // declaration, item or person
  std::vector<FieldDecl> fields;
  Range range;
};

struct EnumDecl {
  Ident name;
  std::vector<Ident> members;
  Range range;
};

struct SourceOption {
  Ident name;
  std::string value;
  Range value_range;
};

struct DataDecl {
  bool is_table = false;
  Ident name;
  TypeRef type;
  std::string path;
  Range path_range;
  std::vector<SourceOption> options;
  Range range;
};

struct AreaDecl {
  Ident name;
  std::string title;
  std::optional<Ident> recommended_by;
  Range range;
};

struct MeasureDecl {
  Ident name;
  std::string title;
  std::optional<Ident> kind;
  std::optional<int64_t> strength;
  Range strength_range;
  std::optional<Ident> corridor;
  bool confidential = false;  // not told to the declarant
  Range range;
};

// `window after_release 3 years`
struct WindowDecl {
  Ident kind;
  int64_t amount = 0;
  Range amount_range;
  Ident unit;
  Range range;
};

struct CorridorTarget {
  Ident corridor;
  std::optional<int64_t> share;  // millionths; none after a bad literal
  Range share_range;
};

struct CorridorTargetsDecl {
  std::vector<CorridorTarget> targets;
  Range range;
};

struct IndicatorDecl {
  bool is_public = false;
  Range public_range;
  std::optional<Ident> statutory_kind;
  Ident name;
  Ident param;  // declaration, item or person
  ExprPtr body;
  Range range;
};

struct ScoreTerm {
  ExprPtr points;
  ExprPtr condition;  // null: always
  Range range;
};

struct ScoreDecl {
  Ident name;
  std::optional<std::string> title;
  std::vector<ScoreTerm> terms;
  Range range;
};

struct LearnKey {
  std::vector<ExprPtr> parts;  // one or two
  Range range;
};

struct LearnDecl {
  Ident name;
  std::optional<std::string> title;
  std::vector<LearnKey> keys;
  Range range;
};

struct CategoryRule {
  enum Kind { When, Unregistered, Otherwise } kind = When;
  Ident category;
  ExprPtr condition;  // When only
  Range range;
};

struct CategoryDecl {
  Ident subject;  // person
  std::vector<CategoryRule> rules;
  Range range;
};

struct ScopeItem {
  Ident key;          // direction, procedure, office, stage
  bool is_list = false;
  std::vector<ExprPtr> values;  // names or string literals
  Range range;
};

struct MeasureRule {
  Ident measure;
  ExprPtr condition;                  // may be null
  std::optional<int64_t> sample;      // share in millionths (10% = 100000)
  Range sample_range;
  Range range;
};

struct ProfileDecl {
  std::string id;
  Range id_range;
  std::optional<std::string> title;
  std::optional<Ident> area;
  bool has_valid = false;
  int32_t valid_from = 0;
  std::optional<int32_t> valid_to;
  bool valid_dates_ok = true;  // false after a bad date literal: nothing more to say
  Range valid_range;
  bool has_scope = false;
  std::vector<ScopeItem> scope;
  std::optional<Ident> level;
  // `level high if C1 else medium if C2 else low`: (high, C1), (medium, C2); `level` is low.
  std::vector<std::pair<Ident, ExprPtr>> level_bands;
  std::optional<Ident> state;
  ExprPtr when;
  Range when_range;
  bool has_apply = false;
  std::vector<MeasureRule> apply;
  std::optional<std::string> instructions;
  Range instructions_range;
  std::optional<int64_t> random;  // share in millionths: a random selection, in place of `when`
  Range random_range;
  Range range;
};

struct QualifiedName {
  std::string name;  // dotted
  Range range;
};

struct File {
  source::FileId id = source::kNoFile;
  bool parsed = false;  // false when an input guard refused the file
  bool syntax_errors = false;  // recovered from: parts of the file were dropped
  std::optional<QualifiedName> package;
  std::vector<QualifiedName> imports;
  std::vector<SchemaDecl> schemas;
  std::vector<EnumDecl> enums;
  std::vector<DataDecl> data;  // lists and tables
  std::vector<AreaDecl> areas;
  std::vector<MeasureDecl> measures;
  std::vector<IndicatorDecl> indicators;
  std::vector<CategoryDecl> categories;
  std::vector<ProfileDecl> profiles;
  std::vector<WindowDecl> windows;
  std::vector<CorridorTargetsDecl> corridor_targets;
  std::vector<ScoreDecl> scores;
  std::vector<LearnDecl> learns;
  // Declarations dropped because of a syntax error inside them: uses of these names are
  // not reported again as unknown.
  std::vector<std::string> broken_names;
};

}  // namespace tauekel::syntax
