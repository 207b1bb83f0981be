#include <doctest/doctest.h>

#include <fmt/format.h>

#include "compiler/ir/ir.h"
#include "runtime/data/reference_data.h"
#include "runtime/exec/plan.h"
#include "runtime/exec/vector_engine.h"
#include "runtime/jit/kernel_binding.h"
#include "runtime/jit/kernel_compiler.h"
#include "runtime/load/declaration_source.h"
#include "runtime/vector/string_pool.h"
#include "test_support.h"

using namespace tauekel;

namespace {

// The header of the EAEU declaration CSV (examples/eaeu), for batches written in tests.
const std::string kDeclarationHeader =
    "number,date,direction,procedure,office,declarant,invoice_currency,invoice_total,exchange_rate,item_number,"
    "description,hs,origin,gross_kg,net_kg,invoice_price,customs_value,statistical_value\n";

std::string profiles(int count, const std::string& condition_template) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out += fmt::format("profile \"P{}\" {{ title \"t\" area VALUE valid 2026-01-01 .. level high state approved\n"
                       "  when {}\n  apply DOC_CHECK }}\n",
                       i, fmt::format(fmt::runtime(condition_template), i % 7));
  return out;
}

}  // namespace

TEST_CASE("ir: a predicate used by 200 profiles is one node") {
  auto c = test::compileWithStd(profiles(200, "any item: item.hs in \"6403\" and item.net_kg > {}"));
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  ir::Program ir = ir::lower(*c->program, {});
  REQUIRE(ir.profiles.size() == 200);
  // Seven distinct weight limits: seven distinct `any` nodes, one shared prefix test.
  std::set<ir::NodeId> anys;
  for (const auto& p : ir.profiles)
    for (ir::NodeId n : p.conjuncts)
      if (ir.node(n).op == ir::Op::Any) anys.insert(n);
  CHECK(anys.size() == 7);
  size_t prefix_tests = 0;
  for (const auto& n : ir.nodes) prefix_tests += n.op == ir::Op::InValues;
  CHECK(prefix_tests == 1);
  CHECK(ir.sharedHits() > 1000);
}

TEST_CASE("ir: constants fold, with three-valued logic") {
  auto c = test::compileWithStd(test::profileWhen("(1 + 2 > 2 and direction == IM) or (false and amount_x(declaration))",
                                                  "indicator amount_x(declaration) = invoice_total > 0\n"));
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  ir::Program ir = ir::lower(*c->program, {});
  // 1 + 2 > 2 is true; false and x is false; what is left is direction == IM.
  REQUIRE(ir.profiles.size() == 0);  // a draft: not in force
  ir::LowerOptions drafts;
  drafts.include_drafts = true;
  ir::Program with = ir::lower(*c->program, drafts);
  REQUIRE(with.profiles.size() == 1);
  const auto& conj = with.profiles[0].conjuncts;
  REQUIRE(conj.size() == 2);  // validity start, and the condition
  CHECK(with.node(conj[1]).op == ir::Op::Eq);
}

TEST_CASE("plan: commodity-code guards are shared and answered by the index") {
  auto c = test::compileWithStd(profiles(40, "any item: item.hs in \"640{}\" and item.net_kg > 5"));
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  ir::Program ir = ir::lower(*c->program, {});
  runtime::Plan plan = runtime::makePlan(ir, *c->program);
  CHECK(plan.roots.size() == 7);
  CHECK(plan.guarded_roots == 7);
  CHECK(plan.guards.size() == 7);
  for (const auto& step : plan.profiles) CHECK(step.driver >= 0);
  // Few roots on a column: no index, the test stays in the kernel.
  auto few = test::compileWithStd(profiles(2, "any item: item.hs in \"640{}\""));
  ir::Program ir2 = ir::lower(*few->program, {});
  CHECK(runtime::makePlan(ir2, *few->program).guarded_roots == 0);
}

TEST_CASE("jit: kernels that differ only in constants share one compiled shape") {
  auto c = test::compileWithStd(profiles(30, "any item: item.origin == \"CN\" and item.net_kg > {}"));
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  ir::Program ir = ir::lower(*c->program, {});
  runtime::Plan plan = runtime::makePlan(ir, *c->program);
  std::set<std::string> shapes;
  for (const auto& spec : plan.kernels) shapes.insert(runtime::jit::bind(spec, ir, plan).shape);
  // Seven distinct weight limits: seven kernels of one shape, and one kernel of another.
  // Exact counts, so that any change in how kernels are shared shows here.
  CHECK(plan.kernels.size() == 8);
  CHECK(shapes.size() == 2);
  runtime::ReferenceData data(*c->program);
  runtime::EngineContext ctx{&ir, &data, nullptr};
  auto compiler = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O1);
  REQUIRE(compiler);
  runtime::jit::CompileStats stats;
  auto kernels = (*compiler)->compile(plan, ctx, stats);
  REQUIRE(kernels);
  CHECK(stats.native == plan.kernels.size());
  CHECK(stats.compiled == shapes.size());
  // A second program of the same shapes compiles nothing new: the cache is by shape.
  auto other = test::compileWithStd(profiles(30, "any item: item.origin == \"TR\" and item.net_kg > {}0"));
  ir::Program ir2 = ir::lower(*other->program, {});
  runtime::Plan plan2 = runtime::makePlan(ir2, *other->program);
  runtime::ReferenceData data2(*other->program);
  runtime::EngineContext ctx2{&ir2, &data2, nullptr};
  auto again = (*compiler)->compile(plan2, ctx2, stats);
  REQUIRE(again);
  CHECK(stats.compiled == 0);
}

TEST_CASE("reference data: commodity codes match by prefix, tables take the longest") {
  test::TempDir dir;
  dir.write("codes.csv", "hs\n6403\n85\n");
  dir.write("prices.csv", "hs,price\n64,1\n6403,2\n640399,3\n");
  auto c = test::compileWithStd(R"(list codes: set<hs> = csv("codes.csv")
table prices: map<hs, decimal> = csv("prices.csv")
)" + test::profileWhen("any item: item.hs in codes and (prices[item.hs] > 0) ?? false"),
                                (dir.path() / "p.risk").string());
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  runtime::ReferenceData data(*c->program);
  const auto& codes = data[0];
  const auto& prices = data[1];
  CHECK(codes.findInt(6403990000) >= 0);
  CHECK(codes.findInt(8517120000) >= 0);
  CHECK(codes.findInt(6404000000) < 0);
  CHECK(prices.value(prices.findInt(6403991000)).i == 3'000'000);
  CHECK(prices.value(prices.findInt(6403100000)).i == 2'000'000);
  CHECK(prices.value(prices.findInt(6401000000)).i == 1'000'000);
  CHECK(prices.findInt(6501000000) < 0);
}

TEST_CASE("loaders: CSV rows group into declarations, batches split only between them") {
  test::TempDir dir;
  auto c = test::compileWithStd(test::profileWhen("direction == IM"));
  REQUIRE(c->ok());
  std::string rows;
  for (int d = 0; d < 10; ++d)
    for (int i = 0; i <= d % 3; ++i)
      rows += fmt::format("D{},2026-05-01,IM,40,O,A,USD,1,1,{},x,6403990000,CN,1,1,1,1,1\n", d, i + 1);
  auto path = dir.write("d.csv", kDeclarationHeader + rows);
  runtime::LoadOptions options;
  options.batch_items = 4;
  auto source = runtime::openDeclarations(path, *c->program, nullptr, options);
  REQUIRE(source);
  runtime::Batch batch;
  runtime::initBatch(batch, *c->program);
  size_t declarations = 0, items = 0, batches = 0;
  while (true) {
    auto more = (*source)->next(batch);
    REQUIRE(more);
    if (!*more) break;
    ++batches;
    declarations += batch.decl_count;
    items += batch.item_count;
    CHECK(batch.item_begin[batch.decl_count] == batch.item_count);
    for (size_t i = 0; i < batch.item_count; ++i) CHECK(batch.item_decl[i] < batch.decl_count);
  }
  CHECK(declarations == 10);
  CHECK(items == 19);
  CHECK(batches > 3);
  CHECK((*source)->stats().rows_read == 19);
  CHECK((*source)->stats().rows_rejected == 0);
}

TEST_CASE("loaders: JSON Lines: nested items, null as missing, exact numbers, errors by line") {
  test::TempDir dir;
  auto c = test::compileWithStd(test::profileWhen("direction == IM"));
  std::string good = R"({"number":"D1","date":"2026-05-01","direction":"IM","procedure":"40","office":"O","declarant":"A","invoice_currency":"USD","invoice_total":12.345678,"exchange_rate":1,"consignee":null,"items":[{"item_number":1,"description":"x","hs":"6403990000","origin":"CN","gross_kg":1,"net_kg":0.1,"invoice_price":1,"customs_value":1,"statistical_value":1}]})";
  std::string bad = R"({"number":"D2","date":"2026-02-30","direction":"IM","procedure":"40","office":"O","declarant":"A","invoice_currency":"USD","invoice_total":1,"exchange_rate":1,"items":[]})";
  auto path = dir.write("d.jsonl", good + "\n\n" + bad + "\n{not json\n");
  runtime::LoadOptions options;
  options.on_error = runtime::OnError::Skip;
  std::vector<std::string> errors;
  options.report = [&](const runtime::LoadError& e) { errors.push_back(e.format()); };
  auto source = runtime::openDeclarations(path, *c->program, nullptr, options);
  REQUIRE(source);
  runtime::Batch batch;
  runtime::initBatch(batch, *c->program);
  auto more = (*source)->next(batch);
  REQUIRE(more);
  REQUIRE(*more);
  CHECK(batch.decl_count == 1);
  int total = c->program->declaration.find("invoice_total");
  CHECK(batch.decl_columns[static_cast<size_t>(total)].get(0) == 12'345'678);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("d.jsonl:3: date:") != std::string::npos);
  CHECK(errors[1].find("d.jsonl:4: invalid JSON") != std::string::npos);
  CHECK((*source)->stats().rows_read == 3);
  CHECK((*source)->stats().rows_rejected == 2);
}

TEST_CASE("string pool: an epoch names one dictionary, so answers kept by id stay right") {
  runtime::StringPool pool;
  int32_t shoes = pool.intern("red shoes");
  uint64_t epoch = pool.epoch();
  // Adding strings keeps the epoch: ids already given keep their strings.
  CHECK(pool.intern("blue phone") != shoes);
  CHECK(pool.intern("red shoes") == shoes);
  CHECK(pool.epoch() == epoch);
  // A copy diverges from the original from then on: its own epoch.
  runtime::StringPool copy = pool;
  CHECK(copy.epoch() != epoch);
  CHECK(copy.view(shoes) == "red shoes");
  // Clearing starts a new dictionary: the same id may now be another string.
  pool.clear();
  CHECK(pool.epoch() != epoch);
  CHECK(pool.intern("steel parts") == shoes);
  CHECK(pool.view(shoes) == "steel parts");
  CHECK(copy.view(shoes) == "red shoes");
}

TEST_CASE("jit: a cached kernel reads each listed code, even when a list named one twice") {
  // `in [X, X]` and `in [X, Y]` have one shape; the compiled code must read the second
  // constant from its own parameter, or the second program reuses code that ignores Y.
  auto compiler = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O1);
  REQUIRE(compiler);
  test::TempDir dir;
  auto path = dir.write("d.csv", kDeclarationHeader + "D1,2026-05-01,IM,40,O,A,USD,1,1,1,x,0201300000,CN,1,1,1,1,1\n"
                                          "D2,2026-05-01,IM,40,O,A,USD,1,1,1,x,7208510000,CN,1,1,1,1,1\n"
                                          "D3,2026-05-01,IM,40,O,A,USD,1,1,1,x,6403990000,CN,1,1,1,1,1\n");
  auto selected = [&](const std::string& list) {
    auto c = test::compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. level high state approved\n"
                                  "  when count(item: item.hs.subheading in " + list + ") >= 1\n  apply DOC_CHECK }\n");
    REQUIRE_MESSAGE(c->ok(), test::messages(*c));
    ir::Program ir = ir::lower(*c->program, {});
    runtime::Plan plan = runtime::makePlan(ir, *c->program);
    runtime::ReferenceData data(*c->program);
    runtime::EngineContext ctx{&ir, &data, nullptr};
    runtime::jit::CompileStats stats;
    auto kernels = (*compiler)->compile(plan, ctx, stats);
    REQUIRE(kernels);
    CHECK(stats.native == plan.kernels.size());
    auto engine = runtime::makeVectorEngine(ctx, plan, std::move(*kernels));
    auto source = runtime::openDeclarations(path, *c->program, nullptr, {});
    REQUIRE(source);
    runtime::Batch batch;
    runtime::initBatch(batch, *c->program);
    auto more = (*source)->next(batch);
    REQUIRE((more && *more));
    runtime::Selections out;
    engine->screen(batch, out);
    std::string decls;
    for (const auto& h : out.hits) decls += fmt::format("{} ", h.decl);
    return decls;
  };
  CHECK(selected("[\"020130\", \"020130\"]") == "0 ");
  CHECK(selected("[\"020130\", \"720851\"]") == "0 1 ");  // same shape, compiled above
  CHECK(selected("[\"720851\", \"640399\"]") == "1 2 ");
}
