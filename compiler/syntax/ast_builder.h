#pragma once
// Parse tree -> AST. Internal to the syntax stage: only parser.cpp includes it.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "TauekelParser.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace tauekel::syntax {

using grammar::TauekelParser;

class AstBuilder {
 public:
  // error_tokens: indices of tokens a syntax error was reported at; a declaration that
  // contains one is dropped (its name kept in File::broken_names) to avoid cascades.
  AstBuilder(source::FileId file, diag::Sink& sink, std::vector<size_t> error_tokens)
      : file_(file), sink_(sink), error_tokens_(std::move(error_tokens)) {}

  void build(TauekelParser::FileContext* ctx, File& out);

 private:
  bool broken(antlr4::ParserRuleContext* ctx) const;
  Range rangeOf(antlr4::Token* token) const;
  Range rangeOf(antlr4::ParserRuleContext* ctx) const;
  Range rangeOf(antlr4::tree::TerminalNode* node) const { return node ? rangeOf(node->getSymbol()) : Range{}; }
  Ident ident(TauekelParser::IdentifierContext* ctx) const;
  std::string stringValue(antlr4::tree::TerminalNode* node);
  int32_t dateValue(antlr4::tree::TerminalNode* node, bool* ok = nullptr);
  int64_t percentValue(antlr4::tree::TerminalNode* node);

  void buildDecl(TauekelParser::TopDeclContext* ctx, File& out);
  TypeRef typeRef(TauekelParser::TypeRefContext* ctx);
  SchemaDecl schema(TauekelParser::SchemaDeclContext* ctx);
  EnumDecl enumDecl(TauekelParser::EnumDeclContext* ctx);
  DataDecl data(TauekelParser::TypeRefContext* type, TauekelParser::IdentifierContext* name,
                TauekelParser::DataSourceContext* source, bool is_table, antlr4::ParserRuleContext* whole);
  AreaDecl area(TauekelParser::AreaDeclContext* ctx);
  MeasureDecl measure(TauekelParser::MeasureDeclContext* ctx);
  IndicatorDecl indicator(TauekelParser::IndicatorDeclContext* ctx);
  CategoryDecl category(TauekelParser::CategoryDeclContext* ctx);
  ProfileDecl profile(TauekelParser::ProfileDeclContext* ctx);
  void profileClause(TauekelParser::ProfileClauseContext* ctx, ProfileDecl& out);
  MeasureRule measureRule(TauekelParser::MeasureRuleContext* ctx);
  ScopeItem scopeItem(TauekelParser::ScopeItemContext* ctx);

  ExprPtr expr(TauekelParser::ExprContext* ctx);
  static TauekelParser::ExprContext* leftOperand(TauekelParser::ExprContext* ctx);
  ExprPtr withLeft(TauekelParser::ExprContext* ctx, ExprPtr left);
  ExprPtr operand(TauekelParser::ExprContext* ctx);
  ExprPtr primary(TauekelParser::PrimaryContext* ctx);
  ExprPtr literal(TauekelParser::LiteralContext* ctx);
  ExprPtr listLiteral(TauekelParser::ListLiteralContext* ctx);
  ExprPtr binary(BinaryOp op, antlr4::Token* op_token, ExprPtr lhs, TauekelParser::ExprContext* rhs,
                 TauekelParser::ExprContext* whole);
  ExprPtr logical(BinaryOp op, antlr4::Token* op_token, ExprPtr lhs, TauekelParser::ExprContext* rhs,
                  TauekelParser::ExprContext* whole);
  void duplicateClause(const Range& range, const Range& first, const char* clause);

  source::FileId file_;
  diag::Sink& sink_;
  std::vector<size_t> error_tokens_;  // sorted
  File* out_ = nullptr;
  std::map<std::string, Range> clause_ranges_;  // of the profile being built
};

}  // namespace tauekel::syntax
