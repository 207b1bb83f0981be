#pragma once
// The checker's internals, shared by the check_*.cpp files. Not for other stages.

#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "compiler/sema/checker.h"

namespace tauekel::sema {

using diag::Code;

// The candidate nearest to `name` by edit distance, or "" when none is near enough.
std::string closestName(const std::string& name, const std::vector<std::string>& candidates);
// "; did you mean `x`?" or "".
std::string didYouMean(const std::string& suggestion);
// "a string", "an int", "an enum Tier"...
std::string withArticle(const std::string& noun);

enum class SymbolKind { Enum, Data, Area, Measure, Indicator, Score };

// How deep checking one indicator may recurse into the unchecked indicators it calls:
// only ever round a cycle (see indicator_order.cpp), each level bounded by the nesting
// limit, so this bounds the checker's stack.
inline constexpr size_t kMaxIndicatorRecursion = 1000;

struct Symbol {
  SymbolKind kind;
  void* target = nullptr;
  Range range;
};

// What a file can see: its own package and the packages it imports.
struct FileScope {
  const syntax::File* file = nullptr;
  std::string package;
  std::string directory;  // for data file paths
  std::string data_root;  // data files must stay inside it
  std::vector<std::string> visible;  // own package first, then imports
};

// Where an expression is checked.
struct ExprScope {
  const FileScope* file = nullptr;
  Level level = Level::Declaration;  // Declaration, Item (item indicator) or Person
  std::string param;                  // indicator parameter name, or "person" in category rules
  std::string item_var;               // bound goods-item variable, if any
  bool in_quantifier = false;
  bool in_category_rules = false;
  bool in_score = false;              // a score's terms: no score may be named there
};

class Checker {
 public:
  Checker(source::SourceManager& sources, diag::Sink& sink, const CheckOptions& options)
      : sources_(sources), sink_(sink), options_(options) {}

  std::unique_ptr<Program> run(const std::vector<const syntax::File*>& files);

 private:
  // check_decls.cpp
  void collectScopes(const std::vector<const syntax::File*>& files);
  // False when the name is taken (reported); the caller should then not warn it unused.
  bool declare(const FileScope& scope, const std::string& name, const Range& range, SymbolKind kind, void* target);
  const Symbol* lookup(const FileScope& scope, const std::string& name, const Range& use, bool report_ambiguity = true);
  bool isBrokenName(const std::string& name) const { return broken_names_.count(name) > 0; }
  void checkEnums();
  void checkSchemas();
  void checkResultSchema();
  void checkSchema(const FileScope& scope, const syntax::SchemaDecl& decl);
  const Type* resolveType(const FileScope& scope, const syntax::TypeRef& ref, bool allow_person, bool allow_collections);
  void checkData();
  void checkAreasAndMeasures();
  void checkWindow(const FileScope& scope, const syntax::WindowDecl& decl);
  void checkCorridorTargets(const syntax::CorridorTargetsDecl& decl);
  void checkInstructions(const syntax::ProfileDecl& decl);
  void declareScores();
  void checkScores();
  void checkLearns();
  void declareIndicators();
  void checkIndicators();  // indicator_order.cpp
  void checkIndicatorBody(Indicator& indicator);
  void checkCategories();
  void reportUnused();
  bool quietPackage(const std::string& package) const;

  // read_data.cpp
  // Sets data.path, or reports a path that is absolute or leaves the repository.
  bool resolveDataPath(const FileScope& scope, const syntax::DataDecl& decl, DataSet& data);
  void readDataFile(DataSet& data, const syntax::DataDecl& decl);
  source::FileId dataSourceFile(const std::string& path, const std::string& text);

  // check_profiles.cpp
  void checkProfiles();
  void checkProfile(const FileScope& scope, const syntax::ProfileDecl& decl);
  bool checkScope(const FileScope& scope, const syntax::ProfileDecl& decl, ProfileScope& out);
  void checkMeasureRules(const FileScope& scope, const syntax::ProfileDecl& decl, Profile& profile);

  // measure_analysis.cpp
  void analyseMeasures(const Profile& profile);

  // check_expr.cpp
 public:
  ExprPtr checkExpr(const syntax::Expr& expr, const ExprScope& scope, const Type* hint = nullptr);
  ExprPtr checkCondition(const syntax::Expr& expr, const ExprScope& scope, const char* what);

 private:
  ExprPtr checkName(const syntax::NameExpr& expr, const ExprScope& scope, const Type* hint);
  ExprPtr checkLiteral(const syntax::LiteralExpr& expr, const Type* hint);
  ExprPtr checkOne(const syntax::Expr& expr, const ExprScope& scope, const Type* hint);
  ExprPtr checkMember(const syntax::MemberExpr& expr, const ExprScope& scope, const Type* hint);
  ExprPtr checkMemberOf(const syntax::MemberExpr& expr, ExprPtr object);
  ExprPtr checkIndex(const syntax::IndexExpr& expr, const ExprScope& scope);
  ExprPtr checkCall(const syntax::CallExpr& expr, const ExprScope& scope, const Type* hint);
  ExprPtr checkIndicatorCall(const syntax::CallExpr& expr, Indicator& indicator, const ExprScope& scope);
  ExprPtr checkBuiltin(const syntax::CallExpr& expr, const ExprScope& scope, const Type* hint);
  ExprPtr checkAggregate(const syntax::AggregateExpr& expr, const ExprScope& scope);
  ExprPtr checkQuantifier(const syntax::QuantifierExpr& expr, const ExprScope& scope);
  ExprPtr checkUnary(const syntax::UnaryExpr& expr, const ExprScope& scope);
  // The left-associative operators come in two parts: the whole node, and the rest once
  // its left operand is checked (checkExpr walks chains of them in a loop).
  ExprPtr checkBinary(const syntax::BinaryExpr& expr, const ExprScope& scope);
  ExprPtr checkBinaryAfter(const syntax::BinaryExpr& expr, const ExprScope& scope, ExprPtr lhs);
  ExprPtr checkBinaryOf(const syntax::BinaryExpr& expr, ExprPtr lhs, ExprPtr rhs);
  ExprPtr checkArithmetic(const syntax::BinaryExpr& expr, ExprPtr lhs, ExprPtr rhs);
  ExprPtr checkComparison(const syntax::BinaryExpr& expr, ExprPtr lhs, ExprPtr rhs);
  ExprPtr checkLogical(const syntax::LogicalExpr& expr, const ExprScope& scope);
  ExprPtr checkIn(const syntax::InExpr& expr, const ExprScope& scope);
  ExprPtr checkInOf(const syntax::InExpr& expr, const ExprScope& scope, ExprPtr element);
  ExprPtr checkIs(const syntax::IsExpr& expr, const ExprScope& scope);
  ExprPtr checkIsOf(const syntax::IsExpr& expr, ExprPtr operand);
  ExprPtr checkCoalesce(const syntax::CoalesceExpr& expr, const ExprScope& scope);
  ExprPtr checkIf(const syntax::IfExpr& expr, const ExprScope& scope, const Type* hint);
  ExprPtr checkEnumMember(const syntax::MemberExpr& expr, const EnumInfo& info);
  // The innermost part of `e` that can be missing, for pointing at it.
  const Expr* missingSource(const Expr& e) const;
  bool beginItemScope(const syntax::Ident& var, const Range& range, const ExprScope& outer, ExprScope& inner);

  // helpers (check_expr.cpp)
  ExprPtr errorExpr(const Range& range);
  ExprPtr makeExpr(Op op, const Type* type, const Range& range);
  ExprPtr toDecimal(ExprPtr expr);  // literals convert in place; an out-of-range one is TK104
  // Brings two operands to one type (int widens to decimal); nullptr type if impossible.
  const Type* unify(ExprPtr& a, ExprPtr& b);
  const Type* resultType(const Type* base, bool optional) { return program_->types.withOptional(base, optional); }
  // A type's spelling for messages, with a hint about enums.
  std::string describe(const Type* type) const { return toString(*type); }
  std::string describeA(const Type* type) const { return withArticle(toString(*type)); }
  // The visible name closest to `name`, for "did you mean" hints.
  std::string suggestName(const ExprScope& scope, const std::string& name) const;
  const Type* categoryType(bool optional);

  source::SourceManager& sources_;
  diag::Sink& sink_;
  const CheckOptions& options_;
  std::unique_ptr<Program> program_;

  std::vector<FileScope> scopes_;
  std::map<std::string, std::map<std::string, Symbol>> packages_;  // package -> name -> symbol
  std::set<std::string> broken_names_;
  bool any_syntax_errors_ = false;  // in some file: then no declaration is called unused
  std::unordered_map<const Indicator*, const syntax::IndicatorDecl*> indicator_decls_;
  std::unordered_map<const Score*, std::pair<const syntax::ScoreDecl*, const FileScope*>> score_decls_;
  std::unordered_map<const Indicator*, const FileScope*> indicator_scopes_;
  enum class CheckState { Unchecked, Checking, Done, Failed };
  std::unordered_map<const Indicator*, CheckState> indicator_state_;
  std::vector<const Indicator*> indicator_stack_;
  bool cycle_too_long_ = false;  // the recursion limit was hit in the cycle being checked
  std::map<std::string, Range> profile_ids_;
  std::map<std::string, source::FileId> data_files_;
};

}  // namespace tauekel::sema
