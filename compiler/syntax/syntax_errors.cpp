#include "compiler/syntax/syntax_errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "TauekelParser.h"
#include "support/utf8.h"

namespace tauekel::syntax {

using grammar::TauekelParser;

namespace {

bool isSoftKeyword(size_t type) {
  switch (type) {
    case TauekelParser::KEY: case TauekelParser::COLUMN: case TauekelParser::CSV:
    case TauekelParser::KIND: case TauekelParser::STRENGTH: case TauekelParser::CORRIDOR:
    case TauekelParser::RECOMMENDED_BY: case TauekelParser::RULES: case TauekelParser::FOR:
    case TauekelParser::TITLE: case TauekelParser::VALID: case TauekelParser::SCOPE:
    case TauekelParser::LEVEL: case TauekelParser::STATE: case TauekelParser::APPLY:
    case TauekelParser::SAMPLE: case TauekelParser::WHERE: case TauekelParser::UNREGISTERED:
    case TauekelParser::CATEGORY: case TauekelParser::ROUND:
      return true;
    default:
      return false;
  }
}

std::string describeTokenType(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  switch (type) {
    case antlr4::Token::EOF: return "end of file";
    case TauekelParser::IDENT: return "a name";
    case TauekelParser::STRING: return "a string";
    case TauekelParser::INT: return "an integer";
    case TauekelParser::DECIMAL: return "a decimal";
    case TauekelParser::PERCENT: return "a percentage";
    case TauekelParser::DATE: return "a date";
    case TauekelParser::CODE: return "a code";
    default: break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'') return fmt::format("`{}`", literal.substr(1, literal.size() - 2));
  return vocabulary.getDisplayName(type);
}

std::string describeToken(antlr4::Token* token) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = token->getText();
  if (utf8::countCodePoints(text) > 40) text = text.substr(0, 37) + "...";
  return fmt::format("`{}`", text);
}

std::string expectedList(antlr4::Parser* parser) {
  antlr4::misc::IntervalSet expected;
  try {
    expected = parser->getExpectedTokens();
  } catch (...) {
    return {};
  }
  const auto& vocabulary = parser->getVocabulary();
  bool name_expected = expected.contains(static_cast<size_t>(TauekelParser::IDENT));
  std::vector<std::string> words;
  for (ssize_t type : expected.toList()) {
    if (type < 0) continue;
    auto t = static_cast<size_t>(type);
    if (name_expected && isSoftKeyword(t)) continue;  // "a name" covers them
    words.push_back(describeTokenType(vocabulary, t));
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.empty()) return {};
  if (words.size() == 1) return words[0];
  constexpr size_t kShown = 10;
  std::string out;
  for (size_t i = 0; i < words.size() && i < kShown; ++i) {
    if (i) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  if (words.size() > kShown) out += fmt::format(" (or {} more)", words.size() - kShown);
  return "one of " + out;
}

// A likely fix for the most common slips.
std::string hint(antlr4::Parser* parser, antlr4::Token* offending) {
  size_t type = offending->getType();
  if (type == TauekelParser::ASSIGN) return " (to compare, write `==`)";
  auto* stream = parser->getTokenStream();
  antlr4::Token* previous = nullptr;
  for (size_t i = offending->getTokenIndex(); i-- > 0;) {
    antlr4::Token* t = stream->get(i);
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      previous = t;
      break;
    }
  }
  if (previous == nullptr || type != TauekelParser::IDENT) return {};
  size_t prev = previous->getType();
  if (prev != TauekelParser::IDENT && prev != TauekelParser::PERCENT && prev != TauekelParser::RPAREN) return {};
  // Inside an apply clause, two measures in a row need a comma between them. (Looked
  // for not too far back: on a long line of errors, scanning back each time is quadratic.)
  size_t lowest = offending->getTokenIndex() > 1000 ? offending->getTokenIndex() - 1000 : 0;
  for (size_t i = offending->getTokenIndex(); i-- > lowest;) {
    size_t t = stream->get(i)->getType();
    if (t == TauekelParser::APPLY) return " (separate measures with commas: `apply A, B`)";
    if (t == TauekelParser::WHEN || t == TauekelParser::LBRACE || t == TauekelParser::RBRACE) break;
  }
  return {};
}

}  // namespace

void SyntaxErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                                      size_t column, const std::string& message, std::exception_ptr) {
  size_t index = offending ? offending->getTokenIndex() : 0;
  if (offending && !reported_.insert(index).second) return;
  error_tokens_.push_back(index);
  // A bad character or an unclosed string has its own diagnostic already; saying that
  // the parser did not expect it adds nothing.
  if (offending && (offending->getType() == TauekelParser::BAD_CHAR ||
                    offending->getType() == TauekelParser::UNTERMINATED_STRING))
    return;

  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  std::string expected = parser ? expectedList(parser) : std::string{};

  source::Range range;
  range.file = file_;
  range.begin = {static_cast<uint32_t>(line), static_cast<uint32_t>(column + 1)};
  uint32_t width = offending && offending->getType() != antlr4::Token::EOF
                       ? static_cast<uint32_t>(utf8::countCodePoints(offending->getText()))
                       : 1;
  range.end = {range.begin.line, range.begin.column + std::max<uint32_t>(width, 1)};

  std::string text;
  if (message.rfind("missing ", 0) == 0) {
    // Point just after the last good token: that is where something is missing.
    if (parser && index > 0) {
      auto* stream = parser->getTokenStream();
      for (size_t i = index; i-- > 0;) {
        antlr4::Token* previous = stream->get(i);
        if (previous->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
        auto end_col = previous->getCharPositionInLine() + utf8::countCodePoints(previous->getText());
        range.begin = {static_cast<uint32_t>(previous->getLine()), static_cast<uint32_t>(end_col + 1)};
        range.end = {range.begin.line, range.begin.column + 1};
        break;
      }
    }
    text = fmt::format("expected {} before {}", expected.empty() ? "more text" : expected, describeToken(offending));
  } else if (expected.empty()) {
    text = fmt::format("unexpected {}", describeToken(offending));
  } else {
    text = fmt::format("unexpected {}; expected {}", describeToken(offending), expected);
  }
  if (parser && offending) text += hint(parser, offending);
  sink_.report(diag::Code::TK101, range, text);
}

}  // namespace tauekel::syntax
