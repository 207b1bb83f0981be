#include "compiler/syntax/ast_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/syntax/literals.h"
#include "support/codes.h"
#include "support/utf8.h"

namespace tauekel::syntax {

using P = TauekelParser;
using diag::Code;

namespace {
template <class T>
Owned<T> make(Range range) {
  Owned<T> node(new T());
  node->range = range;
  return node;
}
}  // namespace

namespace {
// Anything error recovery touched: an error node, a rule that caught an error, or a
// token it conjured (which has no index in the stream).
// A work list, not recursion: a parse tree is as deep as an operator chain is long.
bool containsError(antlr4::tree::ParseTree* root) {
  std::vector<antlr4::tree::ParseTree*> pending = {root};
  while (!pending.empty()) {
    antlr4::tree::ParseTree* tree = pending.back();
    pending.pop_back();
    if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(tree); rule && rule->exception) return true;
    if (dynamic_cast<antlr4::tree::ErrorNode*>(tree)) return true;
    if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(tree)) {
      if (terminal->getSymbol() == nullptr || terminal->getSymbol()->getTokenIndex() == INVALID_INDEX) return true;
      continue;
    }
    pending.insert(pending.end(), tree->children.begin(), tree->children.end());
  }
  return false;
}
}  // namespace

bool AstBuilder::broken(antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr || ctx->start == nullptr) return true;
  if (!error_tokens_.empty() && containsError(ctx)) return true;
  // Recovery conjures missing tokens; they have no index in the stream.
  if (ctx->exception || (ctx->stop && ctx->stop->getTokenIndex() == INVALID_INDEX)) return true;
  size_t first = ctx->start->getTokenIndex();
  size_t last = ctx->stop ? ctx->stop->getTokenIndex() : first;
  if (last < first) last = first;
  auto it = std::lower_bound(error_tokens_.begin(), error_tokens_.end(), first);
  return it != error_tokens_.end() && *it <= last + 1;
}

Range AstBuilder::rangeOf(antlr4::Token* token) const {
  Range r;
  if (token == nullptr) return r;
  r.file = file_;
  r.begin = {static_cast<uint32_t>(token->getLine()), static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
  // The input stream counts code points, so a token's indices give its width without
  // copying its text out (which was a third of building a large tree).
  size_t start = token->getStartIndex(), stop = token->getStopIndex();
  size_t width = start != INVALID_INDEX && stop != INVALID_INDEX && start <= stop
                     ? stop - start + 1
                     : utf8::countCodePoints(token->getText());
  r.end = {r.begin.line, r.begin.column + static_cast<uint32_t>(width)};
  return r;
}

Range AstBuilder::rangeOf(antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr || ctx->start == nullptr) return {};
  Range r = rangeOf(ctx->start);
  if (ctx->stop && ctx->stop->getTokenIndex() >= ctx->start->getTokenIndex()) r.end = rangeOf(ctx->stop).end;
  return r;
}

Ident AstBuilder::ident(P::IdentifierContext* ctx) const {
  if (ctx == nullptr) return {};
  return Ident{ctx->getText(), rangeOf(ctx)};
}

std::string AstBuilder::stringValue(antlr4::tree::TerminalNode* node) {
  if (node == nullptr) return {};
  std::string out;
  std::string error = decodeString(node->getText(), out);
  if (!error.empty()) sink_.report(Code::TK104, rangeOf(node), error);
  return out;
}

int32_t AstBuilder::dateValue(antlr4::tree::TerminalNode* node, bool* ok) {
  int32_t days = 0;
  if (node == nullptr) return days;
  std::string error = decodeDate(node->getText(), days);
  if (!error.empty()) {
    sink_.report(Code::TK104, rangeOf(node), error);
    if (ok) *ok = false;
  }
  return days;
}

int64_t AstBuilder::percentValue(antlr4::tree::TerminalNode* node) {
  int64_t share = 0;
  if (node == nullptr) return share;
  bool out_of_range = false;
  std::string error = decodePercent(node->getText(), share, &out_of_range);
  if (out_of_range) {
    // A sampling share: say what it may be, as the checker does for 120%.
    sink_.report(Code::TK406, rangeOf(node),
                 fmt::format("sampling share {} is out of range: a share must be between 0% and 100%", node->getText()));
  } else if (!error.empty()) {
    sink_.report(Code::TK104, rangeOf(node), error);
  }
  return share;
}

void AstBuilder::build(P::FileContext* ctx, File& out) {
  out_ = &out;
  if (auto* pkg = ctx->packageDecl(); pkg && pkg->qualifiedName() && !broken(pkg))
    out.package = QualifiedName{pkg->qualifiedName()->getText(), rangeOf(pkg->qualifiedName())};
  for (auto* imp : ctx->importDecl()) {
    if (broken(imp) || imp->qualifiedName() == nullptr) continue;
    out.imports.push_back(QualifiedName{imp->qualifiedName()->getText(), rangeOf(imp->qualifiedName())});
  }
  for (auto* decl : ctx->topDecl()) buildDecl(decl, out);
}

void AstBuilder::buildDecl(P::TopDeclContext* ctx, File& out) {
  if (broken(ctx)) {
    // Keep the name, so later uses of it do not pile up as unknown names.
    std::string name;
    if (auto* d = ctx->listDecl(); d && d->identifier()) name = d->identifier()->getText();
    if (auto* d = ctx->tableDecl(); d && d->identifier()) name = d->identifier()->getText();
    if (auto* d = ctx->indicatorDecl(); d && d->name) name = d->name->getText();
    if (auto* d = ctx->enumDecl(); d && !d->identifier().empty()) name = d->identifier(0)->getText();
    if (auto* d = ctx->areaDecl(); d && !d->identifier().empty()) name = d->identifier(0)->getText();
    if (auto* d = ctx->measureDecl(); d && d->identifier()) name = d->identifier()->getText();
    if (auto* d = ctx->scoreDecl(); d && d->name) name = d->name->getText();
    if (!name.empty()) out.broken_names.push_back(name);
    return;
  }
  if (auto* d = ctx->schemaDecl()) out.schemas.push_back(schema(d));
  else if (auto* d = ctx->enumDecl()) out.enums.push_back(enumDecl(d));
  else if (auto* d = ctx->listDecl()) out.data.push_back(data(d->typeRef(), d->identifier(), d->dataSource(), false, d));
  else if (auto* d = ctx->tableDecl()) out.data.push_back(data(d->typeRef(), d->identifier(), d->dataSource(), true, d));
  else if (auto* d = ctx->areaDecl()) out.areas.push_back(area(d));
  else if (auto* d = ctx->measureDecl()) out.measures.push_back(measure(d));
  else if (auto* d = ctx->indicatorDecl()) {
    // Error recovery can leave a declaration without its body: drop it like a broken one.
    IndicatorDecl ind = indicator(d);
    if (ind.body) out.indicators.push_back(std::move(ind));
    else if (!ind.name.name.empty()) out.broken_names.push_back(ind.name.name);
  }
  else if (auto* d = ctx->categoryDecl()) out.categories.push_back(category(d));
  else if (auto* d = ctx->learnDecl()) {
    LearnDecl learn;
    learn.name = ident(d->name);
    if (d->STRING()) learn.title = stringValue(d->STRING());
    learn.range = rangeOf(d);
    for (auto* k : d->learnKey()) {
      LearnKey key;
      key.range = rangeOf(k);
      bool ok = true;
      for (auto* e : k->expr()) {
        key.parts.push_back(expr(e));
        ok = ok && key.parts.back();
      }
      if (ok && !key.parts.empty()) learn.keys.push_back(std::move(key));
    }
    out.learns.push_back(std::move(learn));
  }
  else if (auto* d = ctx->scoreDecl()) {
    ScoreDecl score;
    score.name = ident(d->name);
    if (d->STRING()) score.title = stringValue(d->STRING());
    score.range = rangeOf(d);
    for (auto* t : d->scoreTerm()) {
      ScoreTerm term;
      term.points = expr(t->points);
      if (t->condition) term.condition = expr(t->condition);
      term.range = rangeOf(t);
      if (term.points) score.terms.push_back(std::move(term));
    }
    out.scores.push_back(std::move(score));
  }
  else if (auto* d = ctx->profileDecl()) out.profiles.push_back(profile(d));
  else if (auto* d = ctx->corridorTargetsDecl()) {
    CorridorTargetsDecl targets;
    targets.range = rangeOf(d);
    auto names = d->identifier();
    auto shares = d->PERCENT();
    for (size_t k = 0; k < names.size() && k < shares.size(); ++k) {
      CorridorTarget t;
      t.corridor = ident(names[k]);
      t.share = percentValue(shares[k]);
      t.share_range = rangeOf(shares[k]);
      targets.targets.push_back(std::move(t));
    }
    out.corridor_targets.push_back(std::move(targets));
  }
  else if (auto* d = ctx->windowDecl()) {
    WindowDecl w;
    w.kind = ident(d->identifier(0));
    w.unit = ident(d->identifier(1));
    w.amount_range = rangeOf(d->INT());
    std::string error = decodeInt(d->INT()->getText(), w.amount);
    if (!error.empty()) sink_.report(Code::TK104, w.amount_range, error);
    w.range = rangeOf(d);
    out.windows.push_back(std::move(w));
  }
}

TypeRef AstBuilder::typeRef(P::TypeRefContext* ctx) {
  TypeRef t;
  if (ctx == nullptr) return t;
  t.name = ident(ctx->identifier());
  for (auto* arg : ctx->typeRef()) t.args.push_back(typeRef(arg));
  t.optional = ctx->QUESTION() != nullptr;
  t.range = rangeOf(ctx);
  return t;
}

SchemaDecl AstBuilder::schema(P::SchemaDeclContext* ctx) {
  SchemaDecl s;
  s.kind = ident(ctx->identifier());
  s.range = rangeOf(ctx);
  for (auto* f : ctx->fieldDecl()) {
    FieldDecl field;
    field.name = ident(f->identifier());
    field.type = typeRef(f->typeRef());
    field.range = rangeOf(f);
    for (auto* opt : f->fieldOption()) {
      if (dynamic_cast<P::KeyOptionContext*>(opt)) field.key = true;
      if (auto* col = dynamic_cast<P::ColumnOptionContext*>(opt)) field.column = stringValue(col->STRING());
      if (auto* round = dynamic_cast<P::RoundOptionContext*>(opt)) {
        int64_t digits = 0;
        std::string error = decodeInt(round->INT()->getText(), digits);
        if (!error.empty()) sink_.report(Code::TK104, rangeOf(round->INT()), error);
        field.round = digits;
        field.round_range = rangeOf(opt);
      }
    }
    s.fields.push_back(std::move(field));
  }
  return s;
}

EnumDecl AstBuilder::enumDecl(P::EnumDeclContext* ctx) {
  EnumDecl e;
  auto ids = ctx->identifier();
  if (ids.empty()) return e;  // recovered from an error: nothing to name
  e.name = ident(ids[0]);
  for (size_t i = 1; i < ids.size(); ++i) e.members.push_back(ident(ids[i]));
  e.range = rangeOf(ctx);
  return e;
}

DataDecl AstBuilder::data(P::TypeRefContext* type, P::IdentifierContext* name, P::DataSourceContext* source,
                          bool is_table, antlr4::ParserRuleContext* whole) {
  DataDecl d;
  d.is_table = is_table;
  d.name = ident(name);
  d.type = typeRef(type);
  d.range = rangeOf(whole);
  if (source) {
    d.path = stringValue(source->STRING());
    d.path_range = rangeOf(source->STRING());
    for (auto* opt : source->sourceOption())
      d.options.push_back(SourceOption{ident(opt->identifier()), stringValue(opt->STRING()), rangeOf(opt->STRING())});
  }
  return d;
}

AreaDecl AstBuilder::area(P::AreaDeclContext* ctx) {
  AreaDecl a;
  auto ids = ctx->identifier();
  if (ids.empty()) return a;
  a.name = ident(ids[0]);
  a.title = stringValue(ctx->STRING());
  if (ids.size() > 1) a.recommended_by = ident(ids[1]);
  a.range = rangeOf(ctx);
  return a;
}

MeasureDecl AstBuilder::measure(P::MeasureDeclContext* ctx) {
  MeasureDecl m;
  m.name = ident(ctx->identifier());
  m.title = stringValue(ctx->STRING());
  m.range = rangeOf(ctx);
  Range kind_at, corridor_at, strength_at, confidential_at;
  for (auto* opt : ctx->measureOption()) {
    if (auto* k = dynamic_cast<P::MeasureKindOptionContext*>(opt)) {
      if (m.kind) duplicateClause(rangeOf(opt), kind_at, "kind");
      kind_at = rangeOf(opt);
      m.kind = ident(k->identifier());
    } else if (auto* c = dynamic_cast<P::MeasureCorridorOptionContext*>(opt)) {
      if (m.corridor) duplicateClause(rangeOf(opt), corridor_at, "corridor");
      corridor_at = rangeOf(opt);
      m.corridor = ident(c->identifier());
    } else if (auto* s = dynamic_cast<P::MeasureStrengthOptionContext*>(opt)) {
      if (m.strength) duplicateClause(rangeOf(opt), strength_at, "strength");
      strength_at = rangeOf(opt);
      int64_t value = 0;
      std::string error = decodeInt(s->INT()->getText(), value);
      if (!error.empty()) sink_.report(Code::TK104, rangeOf(s->INT()), error);
      m.strength = value;
      m.strength_range = rangeOf(s->INT());
    } else if (dynamic_cast<P::MeasureConfidentialOptionContext*>(opt)) {
      if (m.confidential) duplicateClause(rangeOf(opt), confidential_at, "confidential");
      confidential_at = rangeOf(opt);
      m.confidential = true;
    }
  }
  return m;
}

IndicatorDecl AstBuilder::indicator(P::IndicatorDeclContext* ctx) {
  IndicatorDecl ind;
  ind.is_public = ctx->PUBLIC() != nullptr;
  if (ind.is_public) ind.public_range = rangeOf(ctx->PUBLIC());
  if (ctx->statutoryKind) ind.statutory_kind = ident(ctx->statutoryKind);
  ind.name = ident(ctx->name);
  ind.param = ident(ctx->param);
  ind.body = expr(ctx->expr());
  ind.range = rangeOf(ctx);
  return ind;
}

CategoryDecl AstBuilder::category(P::CategoryDeclContext* ctx) {
  CategoryDecl c;
  c.subject = ident(ctx->identifier());
  c.range = rangeOf(ctx);
  for (auto* r : ctx->categoryRule()) {
    CategoryRule rule;
    rule.range = rangeOf(r);
    if (auto* u = dynamic_cast<P::UnregisteredRuleContext*>(r)) {
      rule.kind = CategoryRule::Unregistered;
      rule.category = ident(u->identifier());
    } else if (auto* w = dynamic_cast<P::ConditionRuleContext*>(r)) {
      rule.kind = CategoryRule::When;
      rule.category = ident(w->identifier());
      rule.condition = expr(w->expr());
      if (!rule.condition) continue;  // a syntax error inside; reported already
    } else if (auto* o = dynamic_cast<P::OtherwiseRuleContext*>(r)) {
      rule.kind = CategoryRule::Otherwise;
      rule.category = ident(o->identifier());
    } else {
      continue;  // an alternative error recovery left unlabelled: nothing to keep
    }
    c.rules.push_back(std::move(rule));
  }
  return c;
}

void AstBuilder::duplicateClause(const Range& range, const Range& first, const char* clause) {
  auto& d = sink_.report(Code::TK411, range, fmt::format("`{}` is given more than once; keep one", clause));
  if (first.valid()) d.notes.push_back({first, "first given here"});
}

ProfileDecl AstBuilder::profile(P::ProfileDeclContext* ctx) {
  ProfileDecl p;
  p.id = stringValue(ctx->STRING());
  p.id_range = rangeOf(ctx->STRING());
  p.range = rangeOf(ctx);
  clause_ranges_.clear();
  for (auto* clause : ctx->profileClause()) profileClause(clause, p);
  return p;
}

void AstBuilder::profileClause(P::ProfileClauseContext* ctx, ProfileDecl& p) {
  Range range = rangeOf(ctx);
  // Remember where each clause was first given, for the note on a repeat.
  std::string keyword = ctx->getStart() ? ctx->getStart()->getText() : "";
  clause_ranges_.emplace(keyword, range);
  if (auto* c = dynamic_cast<P::TitleClauseContext*>(ctx)) {
    if (p.title) duplicateClause(range, clause_ranges_["title"], "title");
    p.title = stringValue(c->STRING());
  } else if (auto* c = dynamic_cast<P::RandomClauseContext*>(ctx)) {
    if (p.random) duplicateClause(range, clause_ranges_["random"], "random");
    p.random = percentValue(c->PERCENT());
    p.random_range = range;
  } else if (auto* c = dynamic_cast<P::InstructionsClauseContext*>(ctx)) {
    if (p.instructions) duplicateClause(range, clause_ranges_["instructions"], "instructions");
    p.instructions = stringValue(c->STRING());
    p.instructions_range = rangeOf(c->STRING());
  } else if (auto* c = dynamic_cast<P::AreaClauseContext*>(ctx)) {
    if (p.area) duplicateClause(range, clause_ranges_["area"], "area");
    p.area = ident(c->identifier());
  } else if (auto* c = dynamic_cast<P::ValidClauseContext*>(ctx)) {
    if (p.has_valid) duplicateClause(range, clause_ranges_["valid"], "valid");
    p.has_valid = true;
    p.valid_range = range;
    auto dates = c->DATE();
    if (dates.empty()) return;  // recovered from an error, reported already
    p.valid_from = dateValue(dates[0], &p.valid_dates_ok);
    p.valid_to.reset();
    if (dates.size() > 1) p.valid_to = dateValue(dates[1], &p.valid_dates_ok);
  } else if (auto* c = dynamic_cast<P::ScopeClauseContext*>(ctx)) {
    if (p.has_scope) duplicateClause(range, clause_ranges_["scope"], "scope");
    p.has_scope = true;
    for (auto* item : c->scopeItem()) p.scope.push_back(scopeItem(item));
  } else if (auto* c = dynamic_cast<P::LevelClauseContext*>(ctx)) {
    if (p.level) duplicateClause(range, clause_ranges_["level"], "level");
    // identifier(0) if expr(0) else identifier(1) if expr(1) else ... identifier(n)
    auto names = c->identifier();
    auto conditions = c->expr();
    p.level_bands.clear();
    for (size_t k = 0; k < conditions.size() && k + 1 < names.size(); ++k)
      p.level_bands.emplace_back(ident(names[k]), expr(conditions[k]));
    p.level = ident(names.back());
  } else if (auto* c = dynamic_cast<P::StateClauseContext*>(ctx)) {
    if (p.state) duplicateClause(range, clause_ranges_["state"], "state");
    p.state = ident(c->identifier());
  } else if (auto* c = dynamic_cast<P::WhenClauseContext*>(ctx)) {
    if (p.when) duplicateClause(range, clause_ranges_["when"], "when");
    p.when = expr(c->expr());
    p.when_range = range;
  } else if (auto* c = dynamic_cast<P::ApplyClauseContext*>(ctx)) {
    if (p.has_apply) duplicateClause(range, clause_ranges_["apply"], "apply");
    p.has_apply = true;
    for (auto* rule : c->measureRule()) p.apply.push_back(measureRule(rule));
  }
}

ScopeItem AstBuilder::scopeItem(P::ScopeItemContext* ctx) {
  ScopeItem item;
  item.range = rangeOf(ctx);
  if (auto* l = dynamic_cast<P::ScopeInListContext*>(ctx)) {
    item.key = ident(l->identifier());
    item.is_list = true;
    if (auto* list = l->listLiteral())
      for (auto* e : list->expr())
        if (auto value = expr(e)) item.values.push_back(std::move(value));
  } else if (auto* s = dynamic_cast<P::ScopeSingleContext*>(ctx)) {
    item.key = ident(s->identifier());
    auto* value = s->scopeValue();
    if (value && value->identifier()) {
      auto name = make<NameExpr>(rangeOf(value));
      name->name = value->getText();
      item.values.push_back(std::move(name));
    } else if (value && value->STRING()) {
      auto lit = make<LiteralExpr>(rangeOf(value));
      lit->literal = LiteralKind::String;
      lit->text = stringValue(value->STRING());
      item.values.push_back(std::move(lit));
    }
  }
  return item;
}

MeasureRule AstBuilder::measureRule(P::MeasureRuleContext* ctx) {
  MeasureRule rule;
  rule.range = rangeOf(ctx);
  if (auto* c = dynamic_cast<P::ConditionalMeasureContext*>(ctx)) {
    rule.measure = ident(c->identifier());
    rule.condition = expr(c->expr());
    if (c->PERCENT()) {
      rule.sample = percentValue(c->PERCENT());
      rule.sample_range = rangeOf(c->PERCENT());
    }
  } else if (auto* s = dynamic_cast<P::SampledMeasureContext*>(ctx)) {
    rule.measure = ident(s->identifier());
    rule.sample = percentValue(s->PERCENT());
    rule.sample_range = rangeOf(s->PERCENT());
  } else if (auto* m = dynamic_cast<P::PlainMeasureContext*>(ctx)) {
    rule.measure = ident(m->identifier());
  }
  return rule;  // an unlabelled (recovered) rule has no measure name: the profile is dropped
}

// ---- expressions ---------------------------------------------------------------------

// Left-associative operators nest to the left: `a + b + c` is `(a + b) + c`, and the
// parse tree is as deep as the chain is long. The left operand of these is walked in a
// loop; everything else recurses, and is bounded by the nesting guard.
P::ExprContext* AstBuilder::leftOperand(P::ExprContext* ctx) {
  if (auto* c = dynamic_cast<P::MemberExprContext*>(ctx)) return c->expr();
  if (auto* c = dynamic_cast<P::IsExprContext*>(ctx)) return c->expr();
  if (dynamic_cast<P::IndexExprContext*>(ctx) || dynamic_cast<P::MulExprContext*>(ctx) ||
      dynamic_cast<P::AddExprContext*>(ctx) || dynamic_cast<P::InExprContext*>(ctx) ||
      dynamic_cast<P::CompareExprContext*>(ctx) || dynamic_cast<P::AndExprContext*>(ctx) ||
      dynamic_cast<P::OrExprContext*>(ctx))
    return ctx->getRuleContext<P::ExprContext>(0);
  return nullptr;
}

ExprPtr AstBuilder::expr(P::ExprContext* ctx) {
  if (ctx == nullptr) return nullptr;
  std::vector<P::ExprContext*> spine;
  P::ExprContext* bottom = ctx;
  while (P::ExprContext* left = leftOperand(bottom)) {
    spine.push_back(bottom);
    bottom = left;
  }
  ExprPtr result = operand(bottom);
  bool ok = result != nullptr;
  for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
    // After an error below, the right operands are still read for their own diagnostics.
    result = withLeft(*it, std::move(result));
    ok = ok && result != nullptr;
  }
  return ok ? std::move(result) : nullptr;
}

ExprPtr AstBuilder::binary(BinaryOp op, antlr4::Token* op_token, ExprPtr lhs, P::ExprContext* rhs,
                           P::ExprContext* whole) {
  auto node = make<BinaryExpr>(rangeOf(whole));
  node->op = op;
  node->op_range = rangeOf(op_token);
  node->lhs = std::move(lhs);
  node->rhs = expr(rhs);
  if (!node->lhs || !node->rhs) return nullptr;
  return node;
}

// `a and b and c` becomes one node with three operands; `(a and b) and c` two nodes.
ExprPtr AstBuilder::logical(BinaryOp op, antlr4::Token* op_token, ExprPtr lhs, P::ExprContext* rhs,
                            P::ExprContext* whole) {
  Owned<LogicalExpr> node;
  if (lhs && lhs->kind == ExprKind::Logical && static_cast<LogicalExpr&>(*lhs).op == op &&
      !static_cast<LogicalExpr&>(*lhs).parenthesized) {
    node.reset(static_cast<LogicalExpr*>(lhs.release()));
  } else {
    node = make<LogicalExpr>({});
    node->op = op;
    node->operands.push_back(std::move(lhs));
  }
  node->range = rangeOf(whole);
  node->op_ranges.push_back(rangeOf(op_token));
  node->operands.push_back(expr(rhs));
  if (!node->operands.front() || !node->operands.back()) return nullptr;
  return node;
}

ExprPtr AstBuilder::withLeft(P::ExprContext* ctx, ExprPtr left) {
  Range range = rangeOf(ctx);
  if (auto* c = dynamic_cast<P::MemberExprContext*>(ctx)) {
    auto node = make<MemberExpr>(range);
    node->object = std::move(left);
    node->member = ident(c->identifier());
    return node->object ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::IndexExprContext*>(ctx)) {
    auto node = make<IndexExpr>(range);
    node->object = std::move(left);
    node->index = expr(c->expr(1));
    if (c->expr().size() > 2) {
      node->second = expr(c->expr(2));
      if (!node->second) return nullptr;
    }
    return node->object && node->index ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::MulExprContext*>(ctx))
    return binary(c->op->getType() == P::STAR ? BinaryOp::Mul : BinaryOp::Div, c->op, std::move(left), c->expr(1), ctx);
  if (auto* c = dynamic_cast<P::AddExprContext*>(ctx))
    return binary(c->op->getType() == P::PLUS ? BinaryOp::Add : BinaryOp::Sub, c->op, std::move(left), c->expr(1), ctx);
  if (auto* c = dynamic_cast<P::CompareExprContext*>(ctx)) {
    BinaryOp op = BinaryOp::Eq;
    switch (c->op->getType()) {
      case P::EQ: op = BinaryOp::Eq; break;
      case P::NE: op = BinaryOp::Ne; break;
      case P::LT: op = BinaryOp::Lt; break;
      case P::LE: op = BinaryOp::Le; break;
      case P::GT: op = BinaryOp::Gt; break;
      case P::GE: op = BinaryOp::Ge; break;
    }
    return binary(op, c->op, std::move(left), c->expr(1), ctx);
  }
  if (auto* c = dynamic_cast<P::AndExprContext*>(ctx))
    return logical(BinaryOp::And, c->AND()->getSymbol(), std::move(left), c->expr(1), ctx);
  if (auto* c = dynamic_cast<P::OrExprContext*>(ctx))
    return logical(BinaryOp::Or, c->OR()->getSymbol(), std::move(left), c->expr(1), ctx);
  if (auto* c = dynamic_cast<P::InExprContext*>(ctx)) {
    auto node = make<InExpr>(range);
    node->negated = c->NOT() != nullptr;
    node->element = std::move(left);
    node->collection = expr(c->expr(1));
    return node->element && node->collection ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::IsExprContext*>(ctx)) {
    auto node = make<IsExpr>(range);
    node->operand = std::move(left);
    node->test = ident(c->identifier());
    return node->operand ? std::move(node) : nullptr;
  }
  return nullptr;  // leftOperand() admits no other kind
}

// An expression that is not a left-associative operator.
ExprPtr AstBuilder::operand(P::ExprContext* ctx) {
  Range range = rangeOf(ctx);
  if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return primary(c->primary());
  if (auto* c = dynamic_cast<P::NegateExprContext*>(ctx)) {
    auto operand = expr(c->expr());
    if (!operand) return nullptr;
    // A negative number is a literal, not an operation on one.
    if (operand->kind == ExprKind::Literal) {
      auto* lit = static_cast<LiteralExpr*>(operand.get());
      if (lit->literal == LiteralKind::Int || lit->literal == LiteralKind::Decimal) {
        lit->number = -lit->number;
        lit->range = range;
        return operand;
      }
    }
    auto node = make<UnaryExpr>(range);
    node->op = UnaryOp::Negate;
    node->operand = std::move(operand);
    return node;
  }
  if (auto* c = dynamic_cast<P::NotExprContext*>(ctx)) {
    auto node = make<UnaryExpr>(range);
    node->op = UnaryOp::Not;
    node->operand = expr(c->expr());
    return node->operand ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::CoalesceExprContext*>(ctx)) {
    auto node = make<CoalesceExpr>(range);
    node->op_range = rangeOf(c->COALESCE());
    node->value = expr(c->expr(0));
    node->fallback = expr(c->expr(1));
    return node->value && node->fallback ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::QuantifierExprContext*>(ctx)) {
    auto node = make<QuantifierExpr>(range);
    node->all = c->quant->getType() == P::ALL;
    node->var = ident(c->identifier());
    node->body = expr(c->expr());
    return node->body ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::IfExprContext*>(ctx)) {
    auto node = make<IfExpr>(range);
    node->condition = expr(c->expr(0));
    node->then_value = expr(c->expr(1));
    node->else_value = expr(c->expr(2));
    return node->condition && node->then_value && node->else_value ? std::move(node) : nullptr;
  }
  return nullptr;
}

ExprPtr AstBuilder::primary(P::PrimaryContext* ctx) {
  if (ctx == nullptr) return nullptr;
  Range range = rangeOf(ctx);
  if (auto* c = dynamic_cast<P::LiteralPrimaryContext*>(ctx)) return literal(c->literal());
  if (auto* c = dynamic_cast<P::NamePrimaryContext*>(ctx)) {
    auto node = make<NameExpr>(range);
    node->name = c->identifier()->getText();
    return node;
  }
  if (auto* c = dynamic_cast<P::CallPrimaryContext*>(ctx)) {
    auto node = make<CallExpr>(range);
    node->callee = ident(c->identifier());
    for (auto* arg : c->expr()) {
      node->args.push_back(expr(arg));
      if (!node->args.back()) return nullptr;
    }
    return node;
  }
  if (auto* c = dynamic_cast<P::AggregatePrimaryContext*>(ctx)) {
    auto node = make<AggregateExpr>(range);
    node->function = ident(c->identifier(0));
    node->var = ident(c->identifier(1));
    node->body = expr(c->expr(0));
    if (c->expr().size() > 1) node->filter = expr(c->expr(1));
    return node->body ? std::move(node) : nullptr;
  }
  if (auto* c = dynamic_cast<P::ListPrimaryContext*>(ctx)) return listLiteral(c->listLiteral());
  if (auto* c = dynamic_cast<P::ParenPrimaryContext*>(ctx)) {
    auto inner = expr(c->expr());
    if (inner) inner->range = range;  // carets cover the parentheses
    if (inner && inner->kind == ExprKind::Logical) static_cast<LogicalExpr&>(*inner).parenthesized = true;
    return inner;
  }
  return nullptr;
}

ExprPtr AstBuilder::listLiteral(P::ListLiteralContext* ctx) {
  auto node = make<ListExpr>(rangeOf(ctx));
  for (auto* e : ctx->expr()) {
    node->elements.push_back(expr(e));
    if (!node->elements.back()) return nullptr;
  }
  return node;
}

ExprPtr AstBuilder::literal(P::LiteralContext* ctx) {
  auto node = make<LiteralExpr>(rangeOf(ctx));
  auto* token = ctx->getStart();
  std::string text = token->getText();
  std::string error;
  Code code = Code::TK104;
  switch (token->getType()) {
    case P::INT:
      node->literal = LiteralKind::Int;
      error = decodeInt(text, node->number);
      break;
    case P::DECIMAL:
      node->literal = LiteralKind::Decimal;
      error = decodeDecimal(text, node->number);
      break;
    case P::PERCENT:
      node->literal = LiteralKind::Percent;
      error = decodePercent(text, node->number);
      break;
    case P::STRING:
      node->literal = LiteralKind::String;
      error = decodeString(text, node->text);
      break;
    case P::DATE: {
      node->literal = LiteralKind::Date;
      int32_t days = 0;
      error = decodeDate(text, days);
      node->number = days;
      break;
    }
    case P::TRUE:
    case P::FALSE:
      node->literal = LiteralKind::Bool;
      node->number = token->getType() == P::TRUE;
      break;
    case P::CODE: {
      code = Code::TK105;
      bool is_hs = text.rfind("hs", 0) == 0;
      std::string body = text.substr(is_hs ? 3 : 8);
      body.pop_back();
      node->text = body;
      if (is_hs) {
        node->literal = LiteralKind::Hs;
        if (auto hs = codes::parseHs(body)) {
          node->number = hs->padded;
          node->hs_length = hs->length;
        } else {
          error = fmt::format("hs\"{}\" is not a commodity code: write 2, 4, 6, 8 or 10 digits", body);
        }
      } else {
        node->literal = LiteralKind::Country;
        if (auto country = codes::parseCountry(body))
          node->number = *country;
        else
          error = fmt::format("country\"{}\" is not a country code: write two capital letters (ISO 3166-1)", body);
      }
      break;
    }
  }
  if (!error.empty()) {
    sink_.report(code, node->range, error);
    node->valid = false;
  }
  return node;
}

}  // namespace tauekel::syntax
