#include "compiler/syntax/nesting_guard.h"

#include <fmt/format.h>

#include "TauekelParser.h"

namespace tauekel::syntax {

using grammar::TauekelParser;

namespace {

// Precedences as ANTLR numbers the alternatives of `expr` (first binds tightest).
enum Level : int { kIf = 1, kQuantifier = 2, kOr = 3, kAnd = 4, kNot = 5, kCoalesce = 6, kCompare = 7, kIs = 8,
                   kIn = 9, kAdd = 10, kMul = 11, kNegate = 12 };

// A token after which `-` subtracts rather than negates, and `if` starts a measure
// rule's condition rather than an expression.
bool endsValue(size_t type) {
  switch (type) {
    case TauekelParser::IDENT: case TauekelParser::INT: case TauekelParser::DECIMAL: case TauekelParser::PERCENT:
    case TauekelParser::STRING: case TauekelParser::DATE: case TauekelParser::CODE: case TauekelParser::TRUE:
    case TauekelParser::FALSE: case TauekelParser::RPAREN: case TauekelParser::RBRACK:
    // soft keywords, which name fields and lists
    case TauekelParser::KEY: case TauekelParser::COLUMN: case TauekelParser::CSV: case TauekelParser::KIND:
    case TauekelParser::STRENGTH: case TauekelParser::CORRIDOR: case TauekelParser::RECOMMENDED_BY:
    case TauekelParser::RULES: case TauekelParser::FOR: case TauekelParser::TITLE: case TauekelParser::VALID:
    case TauekelParser::SCOPE: case TauekelParser::LEVEL: case TauekelParser::STATE: case TauekelParser::APPLY:
    case TauekelParser::SAMPLE: case TauekelParser::WHERE: case TauekelParser::UNREGISTERED:
    case TauekelParser::CATEGORY: case TauekelParser::ROUND:
      return true;
    default:
      return false;
  }
}

// The precedence of a binary operator, 0 for any other token.
int infixLevel(size_t type) {
  switch (type) {
    case TauekelParser::OR: return kOr;
    case TauekelParser::AND: return kAnd;
    case TauekelParser::COALESCE: return kCoalesce;
    case TauekelParser::EQ: case TauekelParser::NE: case TauekelParser::LT: case TauekelParser::LE:
    case TauekelParser::GT: case TauekelParser::GE: return kCompare;
    case TauekelParser::IS: return kIs;
    case TauekelParser::IN: return kIn;
    case TauekelParser::PLUS: return kAdd;
    case TauekelParser::STAR: case TauekelParser::SLASH: return kMul;
    default: return 0;
  }
}

// Keywords that only start a declaration: whatever was open before them, the parser has
// given up on (with a syntax error) by then.
bool startsDeclaration(size_t type) {
  switch (type) {
    case TauekelParser::PACKAGE: case TauekelParser::IMPORT: case TauekelParser::SCHEMA: case TauekelParser::ENUM:
    case TauekelParser::LIST: case TauekelParser::TABLE: case TauekelParser::MEASURE: case TauekelParser::INDICATOR:
    case TauekelParser::PUBLIC: case TauekelParser::PROFILE:
      return true;
    default:
      return false;
  }
}

class Counter {
 public:
  int depth() const { return brackets_ + prefixes_; }

  void open(bool counts) {
    frames_.push_back(Frame{counts, {}});
    brackets_ += counts;
  }
  void close() {
    if (frames_.size() == 1) return;  // unbalanced: a syntax error, reported by the parser
    prefixes_ -= static_cast<int>(frames_.back().prefix.size());
    brackets_ -= frames_.back().counts;
    frames_.pop_back();
  }
  // A prefix operator whose operand the parser reads at `level`.
  void prefix(int level) {
    frames_.back().prefix.push_back(level);
    ++prefixes_;
  }
  // A binary operator of `level` ends the operands of tighter prefix operators.
  void infix(int level) {
    auto& open = frames_.back().prefix;
    while (!open.empty() && open.back() > level) pop();
  }
  // `then` and `else` end what was opened after their `if`.
  void branch() {
    auto& open = frames_.back().prefix;
    while (!open.empty() && open.back() != kIf) pop();
  }
  // A comma, `when` or `=`: a new expression starts in this bracket.
  void restart() {
    prefixes_ -= static_cast<int>(frames_.back().prefix.size());
    frames_.back().prefix.clear();
  }
  void reset() {
    frames_.assign(1, Frame{});
    brackets_ = prefixes_ = 0;
  }
  bool lastWasPrefix() const { return !frames_.back().prefix.empty(); }
  void pop() {
    frames_.back().prefix.pop_back();
    --prefixes_;
  }

 private:
  struct Frame {
    bool counts = false;      // braces around declarations are not expression nesting
    std::vector<int> prefix;  // levels of the prefix operators open in this bracket
  };
  std::vector<Frame> frames_ = std::vector<Frame>(1);
  int brackets_ = 0;
  int prefixes_ = 0;
};

}  // namespace

bool guardNesting(source::FileId id, const std::vector<antlr4::Token*>& tokens, diag::Sink& sink, int max_nesting) {
  Counter counter;
  size_t previous = 0;
  bool previous_not_prefix = false;  // `not` just opened a level (undone by `not in`)
  for (auto* token : tokens) {
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = token->getType();
    bool not_prefix = false;
    switch (type) {
      case TauekelParser::LPAREN:
      case TauekelParser::LBRACK:
        counter.open(true);
        break;
      case TauekelParser::LBRACE:
        counter.open(false);
        break;
      case TauekelParser::RPAREN:
      case TauekelParser::RBRACK:
      case TauekelParser::RBRACE:
        counter.close();
        break;
      case TauekelParser::NOT:
        counter.prefix(kNot);
        not_prefix = true;
        break;
      case TauekelParser::IN:
        if (previous_not_prefix) counter.pop();  // `x not in xs` is one operator
        counter.infix(kIn);
        break;
      case TauekelParser::MINUS:
        if (endsValue(previous)) counter.infix(kAdd);
        else counter.prefix(kNegate);
        break;
      case TauekelParser::IF:
        if (!endsValue(previous)) counter.prefix(kIf);  // else `MEASURE if condition`
        break;
      case TauekelParser::THEN:
      case TauekelParser::ELSE:
        counter.branch();
        break;
      case TauekelParser::ANY:
      case TauekelParser::ALL:
        counter.prefix(kQuantifier);
        break;
      case TauekelParser::COALESCE:  // right-associative: its right side nests
        counter.infix(kCoalesce);
        counter.prefix(kCoalesce);
        break;
      case TauekelParser::COMMA:
      case TauekelParser::WHEN:
      case TauekelParser::ASSIGN:
      case TauekelParser::AREA:
        counter.restart();
        break;
      default:
        if (int level = infixLevel(type)) counter.infix(level);
        else if (startsDeclaration(type)) counter.reset();
        break;
    }
    previous = type;
    previous_not_prefix = not_prefix;
    if (counter.depth() > max_nesting) {
      source::Range r;
      r.file = id;
      r.begin = {static_cast<uint32_t>(token->getLine()), static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
      r.end = {r.begin.line, r.begin.column + 1};
      sink.report(diag::Code::TK005, r,
                  fmt::format("expression nested more than {} levels deep: brackets and the prefix operators `not`, "
                              "`-`, `if`, `any`, `all` and `??` may nest at most {} deep; name inner parts as "
                              "indicators",
                              max_nesting, max_nesting));
      return false;
    }
  }
  return true;
}

}  // namespace tauekel::syntax
