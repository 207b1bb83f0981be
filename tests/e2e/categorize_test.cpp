#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;

namespace {
const std::string kArgs = "--profiles examples/eaeu --persons examples/eaeu/data/persons.csv";

}  // namespace

TEST_CASE("categorize: every person's category with the rule that decided it, and the counts") {
  auto r = e2e::run("categorize " + kArgs);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto persons = e2e::jsonLines(r.out);
  REQUIRE(persons.size() == 30);
  std::map<std::string, int> counts;
  std::map<std::string, std::string> category;
  for (const auto& p : persons) {
    ++counts[p.find("category")->asString()];
    category[p.find("person")->asString()] = p.find("category")->asString();
    std::string rule = p.find("rule_text")->asString();
    CHECK(rule.rfind(p.find("category")->asString() + " ", 0) == 0);
    // A rule that held on a condition says why; `otherwise` needs no reason.
    CHECK(p.find("because")->asArray().empty() == (rule.find(" otherwise") != std::string::npos));
  }
  CHECK(counts["high"] == 7);
  CHECK(counts["medium"] == 14);
  CHECK(counts["low"] == 9);
  CHECK(r.err.find("categories: high 7, medium 14, low 9") != std::string::npos);
  CHECK(r.err.find("rule 1: high when offender(person) or in_arrears(person) or repeat_violator(person): 7 persons") !=
        std::string::npos);
  // An approved economic operator who also has a long clean record: both alternatives
  // shown, the second as one condition.
  CHECK(r.out.find("{\"condition\":\"person.aeo\",\"values\":{\"person.aeo\":\"true\"}},{\"condition\":\"person."
                   "years_active >= 3 and person.violations_3y == 0 and person.declarations_12m >= 12\"") !=
        std::string::npos);

  // The categories screening uses are these: every person a declaration's explanation
  // names has the same category here.
  auto explained = e2e::run("run -q --explain " + kArgs + " --declarations examples/eaeu/data/declarations.csv");
  size_t seen = 0;
  for (const auto& d : e2e::jsonLines(explained.out)) {
    const json::Value* named = d.find("persons");
    if (!named) continue;
    for (const auto& p : named->asArray()) {
      if (!p.find("registered")->asBool()) continue;
      CHECK(category[p.find("person")->asString()] == p.find("category")->asString());
      ++seen;
    }
  }
  CHECK(seen > 20);
}

TEST_CASE("categorize: what cannot be categorized is said, bad rows are reported and counted") {
  auto none = e2e::run("categorize --profiles examples/kcs --persons examples/eaeu/data/persons.csv");
  CHECK(none.exit_code != 0);
  CHECK(none.out.empty());
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch);
  std::string indicators = e2e::readAll(repo / "indicators.risk");
  std::ofstream(repo / "indicators.risk") << indicators.substr(0, indicators.find("category rules for person"));
  auto rules = e2e::run("categorize --profiles " + repo.string() + " --persons examples/eaeu/data/persons.csv");
  CHECK(rules.exit_code == 2);
  CHECK(rules.err.find("has no category rules") != std::string::npos);
  std::string persons = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/persons.csv");
  persons += "BROKEN,X,not-a-date,1,1,0,0,0,false\n";
  auto path = scratch.write("persons.csv", persons);
  auto bad = e2e::run("categorize --profiles examples/eaeu --persons " + path);
  CHECK(bad.exit_code == 3);
  CHECK(e2e::jsonLines(bad.out).size() == 30);
  CHECK(bad.err.find("persons.csv:32") != std::string::npos);
  CHECK(bad.err.find("1 rejected") != std::string::npos);
  // The output never replaces the register it reads.
  std::string before = e2e::readAll(path);
  auto over = e2e::run("categorize --profiles examples/eaeu --persons " + path + " --out " + path);
  CHECK(over.exit_code == 2);
  CHECK(e2e::readAll(path) == before);
}
