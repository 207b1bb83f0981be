#include <doctest/doctest.h>

#include "compiler/syntax/parser.h"
#include "support/big_stack.h"
#include "test_support.h"

using namespace tauekel;

namespace {
struct Parsed {
  source::SourceManager sources;
  diag::Sink sink;
  std::unique_ptr<syntax::File> file;
};

std::unique_ptr<Parsed> parse(const std::string& text, syntax::ParseLimits limits = {}) {
  auto p = std::make_unique<Parsed>();
  auto id = p->sources.add("p.risk", text);
  runOnLargeStack(kFrontEndStackBytes, [&] { p->file = syntax::parseFile(id, p->sources, p->sink, limits); });
  return p;
}

std::vector<std::string> codesOf(const diag::Sink& sink) {
  std::vector<std::string> out;
  for (const auto& d : sink.diagnostics()) out.push_back(diag::info(d.code).id);
  return out;
}
}  // namespace

TEST_CASE("parser: a profile becomes a syntax tree with decoded literals") {
  auto p = parse(R"(package kz.value
import std.eaeu
profile "KZ-1" {
  title "Footwear"
  area VALUE
  valid 2026-01-01 .. 2026-12-31
  scope direction IM, procedure in ["40", "41"], stage before_release
  level high
  state approved
  when any item: item.hs in hs"6403" and item.customs_value < 1_000.5
  apply DOC_CHECK, INSPECTION if declarant.category == high else sample 12.5%
}
)");
  CHECK(p->sink.diagnostics().empty());
  REQUIRE(p->file->parsed);
  CHECK(p->file->package->name == "kz.value");
  REQUIRE(p->file->imports.size() == 1);
  REQUIRE(p->file->profiles.size() == 1);
  const auto& prof = p->file->profiles[0];
  CHECK(prof.id == "KZ-1");
  CHECK(prof.valid_from == 20454);
  CHECK(prof.valid_to == 20818);
  CHECK(prof.scope.size() == 3);
  CHECK(prof.scope[1].values.size() == 2);
  REQUIRE(prof.apply.size() == 2);
  CHECK(prof.apply[1].sample == 125000);
  REQUIRE(prof.when);
  CHECK(prof.when->kind == syntax::ExprKind::Quantifier);
  CHECK(prof.when->range.begin.line == 10);
  CHECK(prof.when->range.begin.column == 8);
}

TEST_CASE("parser: precedence: ?? binds looser than comparison, tighter than and") {
  auto p = parse("indicator x(declaration) = a and b < c ?? false\n");
  REQUIRE(p->file->indicators.size() == 1);
  const auto* body = p->file->indicators[0].body.get();
  REQUIRE(body->kind == syntax::ExprKind::Logical);
  const auto& conj = static_cast<const syntax::LogicalExpr&>(*body);
  CHECK(conj.op == syntax::BinaryOp::And);
  REQUIRE(conj.operands.size() == 2);
  CHECK(conj.operands[1]->kind == syntax::ExprKind::Coalesce);
}

TEST_CASE("parser: a chain of `and` or `or` is one node, whatever its length") {
  std::string chain = "x0";
  for (int i = 1; i < 1000; ++i) chain += (i % 100 == 0 ? " or x" : " and x") + std::to_string(i);
  auto p = parse("indicator x(declaration) = " + chain + " or (y or z)\n");
  REQUIRE(p->file->indicators.size() == 1);
  const auto& any = static_cast<const syntax::LogicalExpr&>(*p->file->indicators[0].body);
  REQUIRE(any.kind == syntax::ExprKind::Logical);
  CHECK(any.op == syntax::BinaryOp::Or);
  REQUIRE(any.operands.size() == 11);  // ten runs of `and`, and the bracket
  CHECK(any.op_ranges.size() == 10);
  const auto& run = static_cast<const syntax::LogicalExpr&>(*any.operands[0]);
  CHECK(run.op == syntax::BinaryOp::And);
  CHECK(run.operands.size() == 100);
  CHECK(any.operands[10]->kind == syntax::ExprKind::Logical);  // a bracket keeps its chain apart
  CHECK(any.op_ranges[0].begin.column > run.range.end.column - 1);
}

TEST_CASE("parser: soft keywords stay usable as names") {
  auto p = parse("schema declaration {\n  level: int\n  title: string\n  state: string key\n  category: int\n}\n");
  CHECK(p->sink.diagnostics().empty());
  REQUIRE(p->file->schemas.size() == 1);
  CHECK(p->file->schemas[0].fields.size() == 4);
  CHECK(p->file->schemas[0].fields[2].key);
}

TEST_CASE("parser: many syntax errors in one run, each at its place") {
  auto p = parse(R"(package x
indicator a(declaration) = 1 +
indicator b(declaration) = true
profile "P" {
  title "t" "extra"
  when true
}
measure M "m" kind other strength 1 corridor green
measure N "n" kind other strength x corridor green
)");
  auto c = codesOf(p->sink);
  CHECK(c.size() >= 3);
  for (const auto& code : c) CHECK(code == "TK101");
  // The broken indicator is dropped, its name remembered; the good ones stay.
  CHECK(std::find(p->file->broken_names.begin(), p->file->broken_names.end(), "a") != p->file->broken_names.end());
  CHECK(p->file->measures.size() == 1);
  CHECK(p->sink.diagnostics()[0].range.begin.line == 3);
}

TEST_CASE("parser: literal errors name the literal") {
  auto p = parse("indicator a(declaration) = date > 2026-02-30 and x > 99999999999999999999 and y == hs\"640\"\n");
  auto c = codesOf(p->sink);
  CHECK(c == std::vector<std::string>{"TK104", "TK104", "TK105"});
}

TEST_CASE("parser: lexical errors are reported and parsing goes on") {
  auto p = parse("package x\nindicator a(declaration) = b @ c\nindicator d(declaration) = \"open\n");
  auto c = codesOf(p->sink);
  CHECK(std::count(c.begin(), c.end(), "TK103") == 1);
  CHECK(std::count(c.begin(), c.end(), "TK102") == 1);
}

TEST_CASE("parser: nesting is limited before the parser recurses") {
  std::string deep = "indicator a(declaration) = " + std::string(10000, '(') + "true" + std::string(10000, ')') + "\n";
  auto p = parse(deep);
  REQUIRE(p->sink.diagnostics().size() == 1);
  CHECK(codesOf(p->sink)[0] == "TK005");
  CHECK_FALSE(p->file->parsed);
  std::string nots = "indicator a(declaration) = ";
  for (int i = 0; i < 50000; ++i) nots += "not ";
  auto q = parse(nots + "true\n");
  CHECK(codesOf(q->sink) == std::vector<std::string>{"TK005"});
  // Long flat chains are fine: they do not nest.
  std::string flat = "indicator a(declaration) = 1";
  for (int i = 0; i < 5000; ++i) flat += " + 1";
  auto r = parse(flat + " > 0\n");
  CHECK(r->sink.diagnostics().empty());
  // 200 levels is allowed.
  auto s = parse("indicator a(declaration) = " + std::string(200, '(') + "true" + std::string(200, ')') + "\n");
  CHECK(s->sink.diagnostics().empty());
}

TEST_CASE("parser: the nesting limit is exactly what the message says") {
  auto wrap = [](const std::string& condition) {
    return "profile \"P\" {\n  level low\n  when " + condition + "\n  apply DOC_CHECK\n}\n";
  };
  auto parens = [](int n) { return std::string(static_cast<size_t>(n), '(') + "x" + std::string(static_cast<size_t>(n), ')'); };
  // The profile's braces are not expression nesting: 256 brackets inside them are allowed.
  CHECK(parse(wrap(parens(256)))->sink.diagnostics().empty());
  auto over = parse(wrap(parens(257)));
  REQUIRE(codesOf(over->sink) == std::vector<std::string>{"TK005"});
  CHECK(over->sink.diagnostics()[0].range.begin.column == 8 + 256);  // the 257th bracket
  CHECK(over->sink.diagnostics()[0].message.find("at most 256 deep") != std::string::npos);
  // Prefix operators whose operands have ended do not add up: `not a and not b ...` and
  // `x not in [...] and ...` are flat, and so is `a - -b - -c ...`.
  std::string nots = "not a", not_ins = "x not in [1]", minuses = "a";
  for (int i = 0; i < 1000; ++i) {
    nots += " and not a";
    not_ins += " and x not in [1]";
    minuses += " - -a";
  }
  CHECK(parse(wrap(nots))->sink.diagnostics().empty());
  CHECK(parse(wrap(not_ins))->sink.diagnostics().empty());
  CHECK(parse(wrap(minuses + " > 0"))->sink.diagnostics().empty());
  // Nested prefix operators and `??` do add up, with brackets.
  std::string chain = "x";
  for (int i = 0; i < 257; ++i) chain += " ?? x";
  CHECK(codesOf(parse(wrap(chain))->sink) == std::vector<std::string>{"TK005"});
  std::string mixed;
  for (int i = 0; i < 128; ++i) mixed += "not (";
  CHECK(parse(wrap(mixed + "x" + std::string(128, ')')))->sink.diagnostics().empty());
  CHECK(codesOf(parse(wrap("not " + mixed + "x" + std::string(128, ')')))->sink) == std::vector<std::string>{"TK005"});
  // Brackets left open by broken declarations are syntax errors, not nesting.
  std::string broken;
  for (int i = 0; i < 300; ++i) broken += "indicator a" + std::to_string(i) + "(declaration) = (x\n";
  auto b = parse(broken);
  auto c = codesOf(b->sink);
  CHECK(std::count(c.begin(), c.end(), "TK005") == 0);
  CHECK(std::count(c.begin(), c.end(), "TK101") > 0);
}

TEST_CASE("parser: bytes that are not text are refused with their position") {
  auto bad = parse("package x\n// \xFF\n");
  REQUIRE(bad->sink.diagnostics().size() == 1);
  CHECK(codesOf(bad->sink)[0] == "TK002");
  CHECK(bad->sink.diagnostics()[0].range.begin.line == 2);
  CHECK(bad->sink.diagnostics()[0].range.begin.column == 4);
  auto nul = parse(std::string("package x\nab\0", 13));
  CHECK(codesOf(nul->sink) == std::vector<std::string>{"TK003"});
  syntax::ParseLimits small;
  small.max_file_bytes = 10;
  auto big = parse("package something_long\n", small);
  CHECK(codesOf(big->sink) == std::vector<std::string>{"TK004"});
}

TEST_CASE("parser: columns count code points, not bytes") {
  auto p = parse("// \xC3\xA9\xC3\xA9\nindicator \xC3\xA9 @\n");
  REQUIRE_FALSE(p->sink.diagnostics().empty());
  // "indicator " is 10 columns, the bad identifier starts at column 11
  CHECK(p->sink.diagnostics()[0].range.begin.column == 11);
}
