#include "compiler/syntax/parser.h"

#include <fmt/format.h>

#include <algorithm>

#include "TauekelLexer.h"
#include "TauekelParser.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/ast_builder.h"
#include "compiler/syntax/nesting_guard.h"
#include "compiler/syntax/syntax_errors.h"
#include "support/utf8.h"

namespace tauekel::syntax {

using diag::Code;
using grammar::TauekelLexer;
using grammar::TauekelParser;

namespace {

Range pointAt(source::FileId id, const source::SourceFile& file, size_t offset) {
  Range r;
  r.file = id;
  r.begin = file.positionOf(offset);
  r.end = {r.begin.line, r.begin.column + 1};
  return r;
}

// Refuses text the lexer must never see.
bool guardInput(source::FileId id, const source::SourceFile& file, diag::Sink& sink, const ParseLimits& limits) {
  const std::string& text = file.text();
  if (text.size() > limits.max_file_bytes) {
    Range r;
    r.file = id;
    sink.report(Code::TK004, r,
                fmt::format("file is {} bytes; a source file may have at most {} bytes: split it into several files",
                            text.size(), limits.max_file_bytes));
    return false;
  }
  auto problem = utf8::findProblem(text);
  if (problem.kind == utf8::Problem::NulByte) {
    sink.report(Code::TK003, pointAt(id, file, problem.offset), "NUL byte in source text (is this a binary file?)");
    return false;
  }
  if (problem.kind == utf8::Problem::InvalidSequence) {
    auto byte = static_cast<unsigned char>(text[problem.offset]);
    sink.report(Code::TK002, pointAt(id, file, problem.offset),
                fmt::format("invalid UTF-8 starting with byte 0x{:02X}; save the file as UTF-8", byte));
    return false;
  }
  return true;
}

void reportLexicalErrors(source::FileId id, const std::vector<antlr4::Token*>& tokens, diag::Sink& sink) {
  auto rangeOf = [&](antlr4::Token* token) {
    Range r;
    r.file = id;
    r.begin = {static_cast<uint32_t>(token->getLine()), static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
    r.end = {r.begin.line, r.begin.column + static_cast<uint32_t>(utf8::countCodePoints(token->getText()))};
    return r;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    antlr4::Token* token = tokens[i];
    size_t type = token->getType();
    if (type == TauekelLexer::UNTERMINATED_STRING) {
      sink.report(Code::TK102, rangeOf(token), "string is not closed before the end of the line");
      continue;
    }
    if (type != TauekelLexer::BAD_CHAR) continue;
    // Adjacent bad characters are one mistake: `&&` is reported once.
    Range r = rangeOf(token);
    std::string text = token->getText();
    while (i + 1 < tokens.size() && tokens[i + 1]->getType() == TauekelLexer::BAD_CHAR &&
           tokens[i + 1]->getStartIndex() == tokens[i]->getStopIndex() + 1) {
      ++i;
      text += tokens[i]->getText();
      r.end = rangeOf(tokens[i]).end;
    }
    std::string advice;
    if (text == "&&" || text == "&") advice = "; write `and`";
    else if (text == "||" || text == "|") advice = "; write `or`";
    else if (text == "!") advice = "; write `not`, or `!=` to compare";
    else if (text == "'") advice = "; strings are written in double quotes";
    sink.report(Code::TK103, r,
                fmt::format("unexpected character{} `{}`{}", utf8::countCodePoints(text) > 1 ? "s" : "", text, advice));
  }
}

}  // namespace

std::unique_ptr<File> parseFile(source::FileId id, const source::SourceManager& sources, diag::Sink& sink,
                                const ParseLimits& limits) {
  auto out = std::make_unique<File>();
  out->id = id;
  const auto& file = sources.file(id);
  if (!guardInput(id, file, sink, limits)) return out;

  antlr4::ANTLRInputStream input(file.text());
  TauekelLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  reportLexicalErrors(id, tokens.getTokens(), sink);

  if (!guardNesting(id, tokens.getTokens(), sink, limits.max_nesting)) return out;

  TauekelParser parser(&tokens);
  parser.removeErrorListeners();
  TauekelParser::FileContext* tree = nullptr;

  // Fast path: SLL prediction, bail at the first error. Most files are correct.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }

  SyntaxErrorListener listener(id, sink);
  if (tree == nullptr) {
    // Slow path: full LL prediction with error recovery, reporting every error.
    tokens.seek(0);
    parser.reset();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.addErrorListener(&listener);
    tree = parser.file();
    parser.removeErrorListeners();
  }

  std::vector<size_t> error_tokens = listener.errorTokenIndices();
  out->syntax_errors = !error_tokens.empty();
  std::sort(error_tokens.begin(), error_tokens.end());
  AstBuilder builder(id, sink, std::move(error_tokens));
  builder.build(tree, *out);
  out->parsed = true;
  return out;
}

}  // namespace tauekel::syntax
