// Inputs as large as a source file may be: operator chains of 100,000 terms on one line,
// indicators calling each other twice per level, long chains and cycles of indicators.
// Each must check, lower, plan, compile and run in time and memory that grow with its
// size, never recursing as deep as it is (the test binary's main stack is 8 MB), and the
// engines must agree on it.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include "compiler/ir/ir.h"
#include "compiler/sema/expr.h"
#include "compiler/syntax/ast.h"
#include "test_support.h"
#include "tests/common/all_engines.h"
#include "tests/common/sizes.h"

using namespace tauekel;

namespace {

const std::string kHeader =
    "number,date,direction,procedure,office,declarant,invoice_currency,invoice_total,exchange_rate,item_number,"
    "description,hs,origin,gross_kg,net_kg,invoice_price,customs_value,statistical_value\n";

// Three declarations: two items (5 and 50 kg), one item of 0.5 kg, two items of 0 kg.
const std::string kDeclarations = kHeader +
                                  "D1,2026-05-01,IM,40,O,P1,USD,100,1,1,x,6403990000,CN,6,5,1,10,10\n"
                                  "D1,2026-05-01,IM,40,O,P1,USD,100,1,2,x,8471300000,CN,60,50,1,90,90\n"
                                  "D2,2026-05-01,IM,40,O,P2,USD,20,1,1,x,0201300000,KZ,1,0.5,1,20,20\n"
                                  "D3,2026-05-01,IM,40,O,P3,USD,0,1,1,x,6403990000,TR,0,0,1,0,0\n"
                                  "D3,2026-05-01,IM,40,O,P3,USD,0,1,2,x,6403990000,TR,0,0,1,0,0\n";

const std::string kPersons =
    "id,name,registered_since,years_active,declarations_12m,violations_3y,customs_offences_3y,arrears,aeo\n"
    "P1,One,2020-01-01,6,40,0,0,0,false\n"
    "P2,Two,2025-01-01,1,2,4,0,0,false\n";

std::string profile(const std::string& id, const std::string& condition) {
  return fmt::format("profile \"{}\" {{ title \"t\" area VALUE valid 2026-01-01 .. level high state approved\n"
                     "  when {}\n  apply DOC_CHECK }}\n",
                     id, condition);
}

const std::shared_ptr<runtime::jit::KernelCompiler>& compiler() {
  static std::shared_ptr<runtime::jit::KernelCompiler> shared = [] {
    auto created = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O1);
    REQUIRE(created);
    return std::shared_ptr<runtime::jit::KernelCompiler>(created.take());
  }();
  return shared;
}

// Screens kDeclarations with every engine; they must agree.
test::EngineRuns screen(const Compilation& c) {
  REQUIRE_MESSAGE(c.ok(), test::messages(c).substr(0, 2000));
  test::TempDir dir;
  auto runs = test::screenEverywhere(c, dir.write("d.csv", kDeclarations), dir.write("p.csv", kPersons),
                                     compiler());
  REQUIRE_MESSAGE(runs.ok(), (runs.ok() ? std::string() : runs.error().message));
  CHECK(runs->reference == runs->walker);
  CHECK(runs->reference == runs->native);
  return *runs;
}

// The same for `text`, after `package t; import std.eaeu`.
test::EngineRuns screen(const std::string& text) { return screen(*test::compileWithStd(text)); }

template <class Term>
std::string chain(int terms, const char* op, const Term& term) {
  std::string out;
  out.reserve(static_cast<size_t>(terms) * 24);
  for (int i = 0; i < terms; ++i) {
    if (i) out += op;
    out += term(i);
  }
  return out;
}

}  // namespace

TEST_CASE("deep input: a 100,000-term `or` on one line is one node, and the engines run it alike") {
  std::string condition = "any item: " + chain(test::kChainTerms, " or ", [](int i) {
    return fmt::format("item.net_kg > {}", i + 1);
  });
  if (test::kChainTerms == 100000) CHECK(condition.size() > (size_t{1} << 20));  // a 1 MB line
  auto c = test::compileWithStd(profile("P", condition));
  REQUIRE(c->ok());
  const sema::Expr& any = *c->program->profiles.at(0).condition;
  REQUIRE(any.args.at(0)->op == sema::Op::Or);
  CHECK(any.args[0]->args.size() == static_cast<size_t>(test::kChainTerms));
  auto runs = screen(*c);
  CHECK(runs.reference == "0:P[0,1,](1) ");  // the items of 5 and 50 kg
  // Too large for one compiled function: the tree walker runs it.
  CHECK(runs.stats.native == runs.stats.kernels - 1);
  CHECK(runs.stats.first_unsupported.find("too large") != std::string::npos);
}

TEST_CASE("deep input: 100,000-term chains of `+`, of comparisons and of `.chapter` run without recursion") {
  // Left-associative chains nest as deep as they are long, all the way to the IR.
  std::string sum = chain(test::kChainTerms, " + ", [](int) { return std::string("item.net_kg"); });
  std::string compare = "item.net_kg > 1" + chain(test::kChainTerms, "", [](int) { return std::string(" == true"); });
  std::string chapters = "item.hs" + chain(test::kChainTerms, "", [](int) { return std::string(".chapter"); });
  auto runs = screen(profile("SUM", "any item: " + sum + " > 5") + profile("CMP", "any item: " + compare) +
                     profile("HS", "any item: " + chapters + " in \"64\""));
  // 1 + 10^5 kilograms > 5 for every item but the 0 kg ones; 5 and 50 > 1; code 64...
  CHECK(runs.reference == "0:CMP[0,1,](1) 0:HS[0,](1) 0:SUM[0,1,](1) 1:SUM[2,](1) 2:HS[3,4,](1) ");
  CHECK(runs.ir_nodes > static_cast<size_t>(test::kChainTerms));  // really that deep, not folded away
}

TEST_CASE("deep input: 100,000 `and` terms, most of them repeats, keep the distinct ones") {
  std::string condition = "any item: " + chain(test::kChainTerms, " and ", [](int i) {
    return fmt::format("item.net_kg > {}", i % 3);
  });
  auto c = test::compileWithStd(profile("P", condition));
  REQUIRE(c->ok());
  ir::Program ir = ir::lower(*c->program, {});
  size_t widest = 0;
  for (const auto& n : ir.nodes)
    if (n.op == ir::Op::And) widest = std::max(widest, n.args.size());
  CHECK(widest == 3);
  CHECK(screen(*c).reference == "0:P[0,1,](1) ");
}

TEST_CASE("deep input: indicators that call each other twice per level, 60 levels, are shared, not inlined 2^60 times") {
  auto levels = [](const std::string& param, const std::string& base, const std::string& step) {
    std::string out = fmt::format("indicator d0({}) = {}\n", param, base);
    for (int k = 1; k <= 60; ++k)
      out += fmt::format("indicator d{}({}) = {}\n", k, param,
                         fmt::format(fmt::runtime(step), fmt::arg("prev", fmt::format("d{}({})", k - 1, param)),
                                     fmt::arg("k", k)));
    return out;
  };
  SUBCASE("item indicators, inside `any item:`") {
    auto runs = screen(levels("item", "item.net_kg > 1", "{prev} and {prev}") + profile("P", "any item: d60(item)"));
    CHECK(runs.reference == "0:P[0,1,](1) ");
    CHECK(runs.ir_nodes < 100);
  }
  SUBCASE("declaration indicators") {
    auto runs = screen(levels("declaration", "invoice_total > 10", "{prev} and {prev}") +
                       profile("P", "d60(declaration)"));
    CHECK(runs.reference == "0:P[](1) 1:P[](1) ");
    CHECK(runs.ir_nodes < 100);
  }
  SUBCASE("person indicators, through the declarant and in category rules") {
    auto runs = screen(levels("person", "person.violations_3y > 1", "{prev} and {prev}") +
                       "category rules for person {\n  high when d60(person)\n  medium otherwise\n}\n" +
                       profile("P", "(d60(declarant) ?? false) and declarant.category == high"));
    CHECK(runs.reference == "1:P[](1) ");
    CHECK(runs.ir_nodes < 100);
  }
  SUBCASE("operands that do not fold away: a DAG 60 levels deep, every node reached 2^60 ways") {
    auto runs = screen(levels("item", "item.net_kg > 1", "{prev} or not {prev} and item.gross_kg > {k}") +
                       profile("P", "any item: d60(item)") + profile("Q", "count(item: d60(item)) >= 2"));
    CHECK(runs.reference == "0:P[0,1,](1) 0:Q[](1) ");
    CHECK(runs.ir_nodes < 1000);
  }
}

TEST_CASE("deep input: a chain of 5,000 indicators is checked callees first, a long cycle is one error") {
  // Were callees checked on demand, the chain would go past the recursion limit.
  std::string indicators = "indicator c0(item) = item.net_kg > 1\n";
  for (int i = 1; i <= 5000; ++i)
    indicators += fmt::format("indicator c{}(item) = c{}(item) or item.gross_kg > {}\n", i, i - 1, 1000 + i);
  CHECK(screen(indicators + profile("P", "any item: c5000(item)")).reference == "0:P[0,1,](1) ");

  std::string cycle;
  for (int i = 0; i < 3000; ++i) cycle += fmt::format("indicator k{}(item) = k{}(item)\n", i, (i + 1) % 3000);
  auto c = test::compileWithStd(cycle + profile("P", "any item: k0(item)"));
  CHECK(test::codes(*c) == std::vector<std::string>{"TK303"});
  CHECK(test::messages(*c).find("in a cycle of more than 1000 indicators") != std::string::npos);

  // A short cycle names its members; a longer one, the first and last few.
  std::string loop;
  for (int i = 0; i < 20; ++i) loop += fmt::format("indicator l{}(item) = l{}(item)\n", i, (i + 1) % 20);
  auto l = test::compileWithStd(loop + profile("P", "any item: l0(item)"));
  CHECK(test::messages(*l).find("l0 -> l1 -> l2 -> l3 -> l4 -> ... (11 more) ... -> l16 -> l17 -> l18 -> "
                                         "l19 -> l0") != std::string::npos);
}

TEST_CASE("deep input: syntax trees and checked expressions a million deep are freed without recursion") {
  syntax::ExprPtr tree(new syntax::LiteralExpr());
  for (int i = 0; i < 1'000'000; ++i) {
    syntax::Owned<syntax::BinaryExpr> sum(new syntax::BinaryExpr());
    sum->lhs = std::move(tree);
    sum->rhs = syntax::ExprPtr(new syntax::LiteralExpr());
    tree = std::move(sum);
  }
  tree.reset();
  auto expr = std::make_unique<sema::Expr>();
  for (int i = 0; i < 1'000'000; ++i) {
    auto sum = std::make_unique<sema::Expr>();
    sum->args.push_back(std::move(expr));
    sum->args.push_back(std::make_unique<sema::Expr>());
    expr = std::move(sum);
  }
  expr.reset();
  CHECK(true);  // reached: no stack overflow
}

TEST_CASE("jit: a kernel over the size limit runs on the tree walker, with the same results") {
  auto created = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O1);
  REQUIRE(created);
  std::shared_ptr<runtime::jit::KernelCompiler> small(created.take());
  small->setMaxKernelSize(60);
  auto condition = [](int terms) {
    return "any item: " + chain(terms, " or ", [](int i) { return fmt::format("item.customs_value > {}", 95 - i); });
  };
  auto c = test::compileWithStd(profile("SMALL", condition(10)) + profile("LARGE", condition(100)));
  REQUIRE(c->ok());
  test::TempDir dir;
  auto runs = test::screenEverywhere(*c, dir.write("d.csv", kDeclarations), "", small);
  REQUIRE(runs.ok());
  CHECK(runs->agree());
  CHECK(runs->reference == "0:LARGE[0,1,](1) 0:SMALL[1,](1) 1:LARGE[2,](1) 2:LARGE[3,4,](1) ");
  CHECK(runs->stats.native == runs->stats.kernels - 1);
  CHECK(runs->stats.first_unsupported.find("at most 60") != std::string::npos);
}

TEST_CASE("checker: a chain of `and` reports the first operand that is not a condition, once") {
  auto c = test::compileWithStd("indicator x(declaration) = true and invoice_total and 1 and true\n"
                                "indicator y(declaration) = invoice_total or true or 2\n"
                                "indicator z(declaration) = nope and 1\n");
  auto text = test::messages(*c);
  auto codes = test::codes(*c);
  CHECK(std::count(codes.begin(), codes.end(), "TK301") == 2);
  CHECK(std::count(codes.begin(), codes.end(), "TK201") == 1);
  CHECK(text.find("3:37 `and` joins conditions, but this is a decimal") != std::string::npos);
  CHECK(text.find("4:28 `or` joins conditions, but this is a decimal") != std::string::npos);
}
