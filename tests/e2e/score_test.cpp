// Risk scores: weighted points in the language, a profile selecting on a threshold with
// its level from score bands; the output carries each score and its parts, both engines
// and any number of threads agree, a package keeps them, and the checker holds scores to
// the rules of everything else.

#include <doctest/doctest.h>

#include <fstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;

namespace {

void writeRepository(const std::filesystem::path& repo, const std::string& extra = "") {
  std::filesystem::create_directories(repo / "tables");
  std::ofstream(repo / "tauekel.project") << "# score test\n";
  std::ofstream(repo / "tables" / "weights.csv") << "hs,weight\n6403,1.25\n8528,0.5\n";
  std::ofstream(repo / "main.risk") << R"(package t.sc
schema declaration {
  id: string key
  date: date
  value: decimal
}
schema item {
  hs: hs
  price: decimal
}
area VALUE "Undervaluation"
measure DOC_CHECK "Document check" kind documentary strength 10 corridor yellow
table hs_weight: map<hs, decimal> = csv("tables/weights.csv", key: "hs", value: "weight")
indicator cheap(item) = item.price < 10

score risk "Points for what past controls found" {
  points 2 when any item: cheap(item)
  points 1 when declaration.value > 1000
  points max(item: hs_weight[item.hs] ?? 0) ?? 0
}

profile "SCORED" {
  title "Risky by points"
  area  VALUE
  valid 2026-01-01 ..
  scope stage before_release
  level high if risk >= 3 else medium if risk >= 2 else low
  state approved
  when  risk >= 1.25
  apply DOC_CHECK
}
)" << extra;
}

// D1: cheap shoes over 1000: 2 + 1 + 1.25 = 4.25, high. D2: cheap, small: 2 + 0.5 = 2.5,
// medium. D3: dear shoes: 1.25, low. D4: nothing: 0, not selected. D5: over 1000,
// shoes and a monitor: 1 + max(1.25, 0.5) = 2.25, medium.
const char* kDeclarations =
    "id,date,value,hs,price\n"
    "D1,2026-02-01,5000,6403990000,5\n"
    "D2,2026-02-01,100,8528520000,3\n"
    "D3,2026-02-01,100,6403990000,50\n"
    "D4,2026-02-01,100,9999990000,50\n"
    "D5,2026-02-01,2000,6403990000,50\n"
    "D5,2026-02-01,2000,8528520000,60\n";

const json::Value* scoreOf(const json::Value& decision) {
  const json::Value* scores = decision.find("scores");
  REQUIRE(scores != nullptr);
  return scores->find("risk");
}

}  // namespace

TEST_CASE("score: points and parts in every decision, levels from bands, the same in both engines and threads") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo);
  auto decl = (scratch.path() / "declarations.csv").string();
  std::ofstream(decl) << kDeclarations;
  std::string args = "run -q --profiles " + repo.string() + " --declarations " + decl;
  auto r = e2e::run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto decisions = e2e::jsonLines(r.out);
  REQUIRE(decisions.size() == 5);
  const char* expected_points[] = {"4.25", "2.5", "1.25", "0", "2.25"};
  const char* expected_level[] = {"high", "medium", "low", nullptr, "medium"};
  for (size_t d = 0; d < decisions.size(); ++d) {
    CAPTURE(d);
    const json::Value* score = scoreOf(decisions[d]);
    REQUIRE(score);
    CHECK(score->find("points")->numberText() == expected_points[d]);
    if (expected_level[d]) {
      REQUIRE(decisions[d].find("profiles")->asArray().size() == 1);
      CHECK(decisions[d].find("profiles")->asArray()[0].find("level")->asString() == expected_level[d]);
      CHECK(decisions[d].find("level")->asString() == expected_level[d]);
    } else {
      CHECK_FALSE(decisions[d].find("selected")->asBool());
    }
  }
  // The parts: the terms that gave points, as written, in the score's order.
  const auto& parts = scoreOf(decisions[0])->find("parts")->asArray();
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].find("term")->asString() == "2 when any item: cheap(item)");
  CHECK(parts[1].find("term")->asString() == "1 when value > 1000");
  CHECK(parts[2].find("points")->numberText() == "1.25");
  CHECK(scoreOf(decisions[3])->find("parts")->asArray().empty());

  // The reference interpreter, and two threads, write the same bytes.
  CHECK(e2e::run(args + " --engine interp").out == r.out);
  CHECK(e2e::run(args + " --threads 2 --batch-items 1").out == r.out);
  // With explanations (the values path), the scores are the same.
  auto explained = e2e::jsonLines(e2e::run(args + " --explain").out);
  REQUIRE(explained.size() == 5);
  CHECK(scoreOf(explained[4])->find("points")->numberText() == "2.25");
  // An officer sees no scores: their terms name indicators.
  CHECK(e2e::run(args + " --audience officer").out.find("\"scores\"") == std::string::npos);
  // The text explanation says what made up the score.
  auto text = e2e::run("explain --profiles " + repo.string() + " --declarations " + decl + " --declaration D1");
  CHECK(text.out.find("score risk: 4.25 points: 2 from 2 when any item: cheap(item), 1 from 1 when value "
                      "> 1000, 1.25 from max(item: hs_weight[item.hs] ?? 0) ?? 0") != std::string::npos);

  // Ranked by the score, riskiest first (ties in input order), all or the top N.
  auto ranked = e2e::jsonLines(e2e::run(args + " --rank-by risk").out);
  REQUIRE(ranked.size() == 5);
  std::vector<std::string> order;
  for (const auto& d : ranked) order.push_back(d.find("declaration")->asString());
  CHECK(order == std::vector<std::string>{"D1", "D2", "D5", "D3", "D4"});
  auto top = scratch.path() / "top.jsonl";
  REQUIRE(e2e::run(args + " --rank-by risk --top 2 --out " + top.string()).exit_code == 0);
  auto top2 = e2e::jsonLines(e2e::readAll(top));
  REQUIRE(top2.size() == 2);
  CHECK(top2[1].find("declaration")->asString() == "D2");
  auto unknown = e2e::run(args + " --rank-by rsk");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--rank-by rsk: the decisions carry no score `rsk`") != std::string::npos);
  CHECK(e2e::run(args + " --top 3").exit_code == 2);
  for (const auto& e : std::filesystem::directory_iterator(scratch.path()))
    CHECK(e.path().filename().string().find("unranked") == std::string::npos);

  // A package holds the score and the bands: it decides alike.
  auto package = (scratch.path() / "set.tkp").string();
  REQUIRE(e2e::run("compile " + repo.string() + " -o " + package).exit_code == 0);
  CHECK(e2e::run("run -q --profiles " + package + " --declarations " + decl).out == r.out);
}

TEST_CASE("score: changing a weight or a band changes an approved profile's meaning") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo);
  auto key = (scratch.path() / "a.key").string();
  auto trusted = (scratch.path() / "trusted.keys").string();
  REQUIRE(e2e::sh("'" + std::string(TAUEKEL_BINARY) + "' keygen --out " + key + " --name A >> " + trusted).exit_code == 0);
  REQUIRE(e2e::run("approve --profiles " + repo.string() + " --key " + key + " --all").exit_code == 0);
  std::string verify = "verify --profiles " + repo.string() + " --trusted-keys " + trusted;
  REQUIRE(e2e::run(verify).exit_code == 0);
  REQUIRE(e2e::replaceInFile(repo / "main.risk", "points 2 when", "points 3 when"));
  auto weight = e2e::run(verify);
  CHECK(weight.exit_code == 6);
  CHECK((weight.out + weight.err).find("score risk") != std::string::npos);
  REQUIRE(e2e::replaceInFile(repo / "main.risk", "points 3 when", "points 2 when"));
  CHECK(e2e::run(verify).exit_code == 0);
  REQUIRE(e2e::replaceInFile(repo / "main.risk", "medium if risk >= 2", "medium if risk >= 1.5"));
  auto band = e2e::run(verify);
  CHECK(band.exit_code == 6);
  CHECK((band.out + band.err).find("level bands") != std::string::npos);
}

TEST_CASE("score: the checker holds scores to the rules: numbers never missing, no score in a score") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo, R"(
score broken {
  points declaration.value > 1
  points max(item: item.price)
  points 1 when max(item: item.price) > 3
  points risk
}
indicator uses_score(item) = risk > 1
profile "BAD-BAND" {
  title "Bad band"
  area  VALUE
  valid 2026-01-01 ..
  level severe if risk > 1 else low
  state approved
  when  risk > 0
  apply DOC_CHECK
}
)");
  auto r = e2e::run("check " + repo.string());
  CHECK(r.exit_code == 1);
  INFO(r.out);
  CHECK(r.out.find("error[TK301]: a score's points are a number (int or decimal), but this is a bool") !=
        std::string::npos);
  CHECK(r.out.find("error[TK302]: a score's points must never be missing; say what a missing value counts, e.g. "
                   "`(...) ?? 0`") != std::string::npos);
  CHECK(r.out.find("a score term's condition must be true or false") != std::string::npos);
  CHECK(r.out.find("error[TK303]: a score's terms cannot use a score (`risk`)") != std::string::npos);
  CHECK(r.out.find("error[TK303]: `risk` is a declaration's risk score: use it in declaration conditions, not in "
                   "goods-item indicators") != std::string::npos);
  CHECK(r.out.find("error[TK207]: unknown risk level `severe` (low, medium or high)") != std::string::npos);
}

TEST_CASE("table with two keys: map<K1, K2, V>, looked up with t[a, b], exact on both, checked like the others") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo, R"(
table line_rate: map<hs, decimal, decimal> = csv("tables/lines.csv", key: "code", key2: "price", value: "rate")
score line "The rate of the same goods line" {
  points max(item: line_rate[item.hs.subheading, item.price] ?? 0) ?? 0
}
)");
  // Codes match by their padded digits: 640399 is 6403990000, the subheading of D1's code.
  std::ofstream(repo / "tables" / "lines.csv") << "code,price,rate\n640399,5,0.9\n640399,50,0.1\n852852,3,0.7\n";
  auto decl = (scratch.path() / "declarations.csv").string();
  std::ofstream(decl) << kDeclarations;
  std::string args = "run -q --profiles " + repo.string() + " --declarations " + decl;
  auto r = e2e::run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto decisions = e2e::jsonLines(r.out);
  REQUIRE(decisions.size() == 5);
  const char* expected[] = {"0.9", "0.7", "0.1", "0", "0.1"};  // D4: no such line; D5: 50 only
  for (size_t d = 0; d < 5; ++d) {
    CAPTURE(d);
    CHECK(decisions[d].find("scores")->find("line")->find("points")->numberText() == expected[d]);
  }
  CHECK(e2e::run(args + " --engine interp").out == r.out);
  auto package = (scratch.path() / "set.tkp").string();
  REQUIRE(e2e::run("compile " + repo.string() + " -o " + package).exit_code == 0);
  CHECK(e2e::run("run -q --profiles " + package + " --declarations " + decl).out == r.out);

  // The errors: one key for two, two for one, text as a key, a repeated pair, `in`.
  std::ofstream(repo / "bad.risk") << R"(package t.sc
table by_text: map<string, hs, decimal> = csv("tables/lines.csv")
indicator one_key(item) = line_rate[item.hs] > 0.5 ?? false
indicator two_keys(item) = hs_weight[item.hs, item.price] > 0.5 ?? false
indicator as_list(item) = item.hs in line_rate
indicator wrong_type(item) = line_rate[item.price, item.price] > 0.5 ?? false
)";
  std::ofstream(repo / "tables" / "lines.csv", std::ios::app) << "6403990000,5,0.3\n";
  auto bad = e2e::run("check " + repo.string());
  CHECK(bad.exit_code == 1);
  INFO(bad.out);
  CHECK(bad.out.find("a table with two keys is keyed by codes, numbers, dates or enum members, not text") !=
        std::string::npos);
  CHECK(bad.out.find("table `line_rate` is keyed by two values (hs, decimal): look it up with line_rate[a, b]") !=
        std::string::npos);
  CHECK(bad.out.find("table `hs_weight` is keyed by one value (hs): look it up with hs_weight[key]") !=
        std::string::npos);
  CHECK(bad.out.find("table `line_rate` is keyed by two values: test for a row with `line_rate[a, b] is present`") !=
        std::string::npos);
  CHECK(bad.out.find("table `line_rate`'s first key is of type hs, but this is a decimal") != std::string::npos);
  CHECK(bad.out.find("error[TK504]: key `6403990000, 5` is already in table line_rate") != std::string::npos);
}
