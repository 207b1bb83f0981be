#include <doctest/doctest.h>

#include "compiler/diag/render.h"
#include "support/json.h"
#include "test_support.h"

using namespace tauekel;

namespace {
std::unique_ptr<Compilation> sample() {
  return test::compileWithStd(test::profileWhen("invoice_totl > 3") + "indicator spare(declaration) = true\n");
}
}  // namespace

TEST_CASE("render: text quotes the line and underlines the range") {
  auto c = sample();
  std::string text = diag::renderText(c->diagnostics, c->sources, {});
  CHECK(text.find("test.risk:9:8: error[TK201]: unknown name `invoice_totl`") != std::string::npos);
  CHECK(text.find(" 9 |   when invoice_totl > 3\n   |        ^~~~~~~~~~~~\n") != std::string::npos);
}

TEST_CASE("render: json lists every diagnostic with counts") {
  auto c = sample();
  auto parsed = json::parse(diag::renderJson(c->diagnostics, c->sources, {}));
  REQUIRE(parsed);
  const auto& list = parsed->find("diagnostics")->asArray();
  REQUIRE(list.size() == 2);
  CHECK(list[0].find("code")->asString() == "TK201");
  CHECK(list[0].find("line")->numberText() == "9");
  CHECK(list[0].find("severity")->asString() == "error");
  CHECK(parsed->find("errors")->numberText() == "1");
  CHECK(parsed->find("warnings")->numberText() == "1");
}

TEST_CASE("render: SARIF 2.1.0 has the required structure") {
  auto c = sample();
  diag::RenderOptions options;
  options.tool_version = "1.2.3";
  auto parsed = json::parse(diag::renderSarif(c->diagnostics, c->sources, options));
  REQUIRE(parsed);
  CHECK(parsed->find("version")->asString() == "2.1.0");
  CHECK(parsed->find("$schema")->asString().find("sarif-2.1.0") != std::string::npos);
  const auto& runs = parsed->find("runs")->asArray();
  REQUIRE(runs.size() == 1);
  const auto* driver = runs[0].find("tool")->find("driver");
  CHECK(driver->find("name")->asString() == "tauekel");
  const auto& rules = driver->find("rules")->asArray();
  CHECK(rules.size() == diag::allCodes().size());
  const auto& results = runs[0].find("results")->asArray();
  REQUIRE(results.size() == 2);
  for (const auto& r : results) {
    std::string id = r.find("ruleId")->asString();
    auto index = static_cast<size_t>(r.find("ruleIndex")->asNumber());
    REQUIRE(index < rules.size());
    CHECK(rules[index].find("id")->asString() == id);  // ruleIndex points at its rule
    CHECK(r.find("message")->find("text")->isString());
    std::string level = r.find("level")->asString();
    CHECK((level == "error" || level == "warning" || level == "note"));
    const auto* loc = r.find("locations")->asArray()[0].find("physicalLocation");
    CHECK(loc->find("artifactLocation")->find("uri")->asString() == "test.risk");
    CHECK(loc->find("region")->find("startLine")->asNumber() >= 1);
    CHECK(loc->find("region")->find("startColumn")->asNumber() >= 1);
  }
}
