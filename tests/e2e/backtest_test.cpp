// tauekel backtest: past declarations screened, matched with control results, and the
// figures per profile, area, month and office, checked against counts made by hand; every
// result row counted once or reported; a baseline compared.

#include <doctest/doctest.h>

#include <fstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;

namespace {

// Two profiles: HIGH-VALUE (declarations over 1000, level high, a physical exam) and
// CHEAP (any item under 10 a unit, level medium, a document check). Ten declarations.
void writeRepository(const std::filesystem::path& repo, bool with_payments = true) {
  std::filesystem::create_directories(repo / "profiles");
  std::ofstream(repo / "tauekel.project") << "# backtest test\n";
  std::ofstream(repo / "schema.risk") << R"(package t.bt
schema declaration {
  id: string key
  date: date
  office: string
  value: decimal
}
schema item {
  number: int  column "item"
  price: decimal
}
schema result {
  declaration: string  column "declaration_id"
  date: date           column "controlled_on"
  item: int?
  violation: bool
  kind: string?
)" << (with_payments ? "  payments: decimal?\n" : "") << R"(  measures: string?
}
area VALUE "Undervaluation"
area DOCS "Documents"
measure DOC_CHECK "Document check" kind documentary strength 10 corridor yellow
measure EXAM "Physical examination" kind physical strength 50 corridor red
indicator big(declaration) = declaration.value > 1000
indicator cheap(item) = item.price < 10
corridor targets {
  red    30%
  yellow 20%
}
)";
  std::ofstream(repo / "profiles" / "p.risk") << R"(package t.bt
profile "HIGH-VALUE" {
  title "High value"
  area  VALUE
  valid 2026-01-01 ..
  scope stage before_release
  level high
  state approved
  when  big(declaration)
  apply EXAM
}
profile "CHEAP" {
  title "Cheap goods"
  area  DOCS
  valid 2026-01-01 ..
  scope stage before_release
  level medium
  state approved
  when  any item: cheap(item)
  apply DOC_CHECK
}
)";
}

// D1..D10; HIGH-VALUE selects D1 D2 D3 D4, CHEAP selects D3 D5 D6; D7..D10 neither.
const char* kDeclarations =
    "id,date,office,value,item,price\n"
    "D1,2026-01-05,A,5000,1,100\n"
    "D2,2026-01-06,A,2000,1,50\n"
    "D3,2026-01-07,B,3000,1,5\n"
    "D3,2026-01-07,B,3000,2,500\n"
    "D4,2026-02-01,B,1500,1,20\n"
    "D5,2026-02-02,A,100,1,3\n"
    "D6,2026-02-03,B,200,1,1\n"
    "D7,2026-02-04,A,50,1,40\n"
    "D8,2026-02-05,A,60,1,40\n"
    "D9,2026-02-06,B,70,1,40\n"
    "D10,2026-02-07,B,80,1,40\n";

// Controlled: D1 (violation, 300), D2 (no), D3 (item 1 violation 50; item 2 no), D5
// (violation 20), D6 (no), D7 (violation 10), D8 (no). D4, D9, D10 not controlled.
// Then a repeated row, two rows that disagree, a result for a missing item, one for no
// declaration, and an unreadable one.
const char* kResults =
    "declaration_id,controlled_on,item,violation,kind,payments,measures\n"
    "D1,2026-01-06,,true,value,300,EXAM\n"         // 2
    "D2,2026-01-07,,false,,,EXAM\n"                // 3
    "D3,2026-01-08,1,true,value,50,DOC_CHECK;EXAM\n"  // 4
    "D3,2026-01-08,2,false,,,\n"                   // 5
    "D5,2026-02-03,,true,docs,20,DOC_CHECK\n"      // 6
    "D6,2026-02-04,,false,,,\n"                    // 7
    "D7,2026-02-05,,true,docs,10,\n"               // 8
    "D8,2026-02-06,,false,,,\n"                    // 9
    "D1,2026-01-06,,true,value,300,EXAM\n"         // 10: repeats line 2
    "D9,2026-02-07,,true,,,\n"                     // 11: disagrees with 12
    "D9,2026-02-07,,false,,,\n"                    // 12
    "D10,2026-02-08,3,true,,,\n"                   // 13: D10 has one item
    "D99,2026-02-08,,true,,,\n"                    // 14: no such declaration
    "D8,2026-02-06,,maybe,,,\n";                   // 15: not a bool

double number(const json::Value* v) {
  REQUIRE(v != nullptr);
  REQUIRE(v->isNumber());
  return v->asNumber();
}

const json::Value* profile(const json::Value& metrics, const std::string& id) {
  for (const auto& p : metrics.find("profiles")->asArray())
    if (p.find("id")->asString() == id) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("backtest: figures per profile, area, month and office equal counts made by hand") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo);
  std::ofstream(scratch.path() / "declarations.csv") << kDeclarations;
  std::ofstream(scratch.path() / "results.csv") << kResults;
  std::string args = "backtest --profiles " + repo.string() + " --declarations " +
                     (scratch.path() / "declarations.csv").string() + " --results " +
                     (scratch.path() / "results.csv").string();
  auto r = e2e::run(args + " --format json");
  INFO(r.err);
  // Rows not counted make the exit code 3, each reported with its line and field.
  CHECK(r.exit_code == 3);
  const std::string results = (scratch.path() / "results.csv").string();
  CHECK(r.err.find(results + ":10: declaration_id: repeats the result of line 2 for declaration \"D1\"") !=
        std::string::npos);
  CHECK(r.err.find(results + ":11: declaration_id: the results for declaration \"D9\" (the declaration as a whole) "
                             "disagree (lines 11, 12)") != std::string::npos);
  CHECK(r.err.find(results + ":12: declaration_id: the results for declaration \"D9\"") != std::string::npos);
  CHECK(r.err.find(results + ":13: item: declaration \"D10\" has 1 goods item, not an item 3") != std::string::npos);
  CHECK(r.err.find(results + ":14: declaration_id: no declaration \"D99\" was screened") != std::string::npos);
  CHECK(r.err.find(results + ":15: violation: \"maybe\" is not a bool") != std::string::npos);

  auto report = json::parse(r.out);
  REQUIRE(report);
  const json::Value& counts = *report->find("results");
  CHECK(number(counts.find("rows_read")) == 14);
  CHECK(number(counts.find("matched")) == 8);
  CHECK(number(counts.find("duplicates")) == 1);
  CHECK(number(counts.find("contradictory")) == 2);
  CHECK(number(counts.find("no_such_item")) == 1);
  CHECK(number(counts.find("unmatched")) == 1);
  CHECK(number(counts.find("rejected")) == 1);
  CHECK(number(counts.find("declarations_controlled")) == 7);

  const json::Value& m = *report->find("metrics");
  // All: 10 declarations, 7 controlled, 4 with a violation (D1 D3 D5 D7); revenue 380.
  const json::Value& all = *m.find("all");
  CHECK(number(all.find("declarations")) == 10);
  CHECK(number(all.find("controlled")) == 7);
  CHECK(number(all.find("violations")) == 4);
  CHECK(all.find("revenue")->numberText() == "380.00");
  CHECK(number(m.find("base_rate")) == doctest::Approx(4.0 / 7).epsilon(1e-6));
  // Selected by any: D1 D2 D3 D4 D5 D6; controlled D1 D2 D3 D5 D6; violations D1 D3 D5.
  const json::Value& selected = *m.find("selected");
  CHECK(number(selected.find("declarations")) == 6);
  CHECK(number(selected.find("controlled")) == 5);
  CHECK(number(selected.find("violations")) == 3);
  CHECK(number(selected.find("hit_rate")) == doctest::Approx(0.6));
  CHECK(number(selected.find("lift")) == doctest::Approx(0.6 / (4.0 / 7)).epsilon(1e-5));
  CHECK(number(selected.find("recall")) == doctest::Approx(0.75));
  CHECK(selected.find("revenue")->numberText() == "370.00");
  CHECK(selected.find("revenue_per_control")->numberText() == "74.00");
  // HIGH-VALUE: D1 D2 D3 D4; controlled D1 D2 D3; violations D1 D3: 2/3; revenue 350.
  const json::Value* high = profile(m, "HIGH-VALUE");
  REQUIRE(high);
  const json::Value& hf = *high->find("figures");
  CHECK(number(hf.find("declarations")) == 4);
  CHECK(number(hf.find("controlled")) == 3);
  CHECK(number(hf.find("violations")) == 2);
  CHECK(number(hf.find("hit_rate")) == doctest::Approx(2.0 / 3).epsilon(1e-5));
  CHECK(number(hf.find("recall")) == doctest::Approx(0.5));
  CHECK(hf.find("revenue")->numberText() == "350.00");
  CHECK(high->find("last_hit")->asString() == "2026-01-07");
  // CHEAP: D3 D5 D6, all controlled, violations D3 D5.
  const json::Value* cheap = profile(m, "CHEAP");
  REQUIRE(cheap);
  CHECK(number(cheap->find("figures")->find("violations")) == 2);
  CHECK(number(cheap->find("figures")->find("controlled")) == 3);
  CHECK(cheap->find("figures")->find("revenue")->numberText() == "70.00");
  // CHEAP's last controlled selection (D6) found nothing: one since its last hit.
  CHECK(number(cheap->find("controlled_since_last_hit")) == 1);
  CHECK_FALSE(cheap->find("needs_revision")->asBool());

  // Indicators: big holds for D1..D4 (controlled D1 D2 D3; violations D1 D3); cheap for
  // some item of D3, D5, D6.
  const auto& indicators = m.find("indicators")->asArray();
  REQUIRE(indicators.size() == 2);
  CHECK(indicators[0].find("value")->asString() == "big");
  CHECK(number(indicators[0].find("all")->find("declarations")) == 4);
  CHECK(number(indicators[0].find("all")->find("controlled")) == 3);
  CHECK(number(indicators[0].find("all")->find("violations")) == 2);
  CHECK(indicators[1].find("value")->asString() == "cheap");
  CHECK(number(indicators[1].find("all")->find("declarations")) == 3);
  CHECK(number(indicators[1].find("all")->find("violations")) == 2);

  // Months: January D1 D2 D3 (all selected); February the other seven, D4 D5 D6 selected.
  const auto& months = m.find("months")->asArray();
  REQUIRE(months.size() == 2);
  CHECK(months[0].find("value")->asString() == "2026-01");
  CHECK(number(months[0].find("all")->find("declarations")) == 3);
  CHECK(number(months[1].find("all")->find("declarations")) == 7);
  CHECK(number(months[1].find("selected")->find("declarations")) == 3);
  CHECK(number(months[1].find("selected")->find("violations")) == 1);
  // Offices (by default, the schema has `office`): A has D1 D2 D5 D7 D8, B the others.
  const auto& offices = m.find("by")->find("office")->asArray();
  REQUIRE(offices.size() == 2);
  for (const auto& o : offices) {
    bool a = o.find("value")->asString() == "A";
    CHECK(number(o.find("all")->find("declarations")) == 5);
    CHECK(number(o.find("all")->find("violations")) == (a ? 3 : 1));
    CHECK(number(o.find("selected")->find("declarations")) == 3);
  }
  // Corridors: D1 D2 D3 D4 red (an exam), D5 D6 yellow, the rest green.
  CHECK(number(m.find("corridors")->find("red")) == 4);
  CHECK(number(m.find("corridors")->find("yellow")) == 2);
  CHECK(number(m.find("corridors")->find("green")) == 4);
  // Against the repository's targets: red 40% for 30%, yellow 20% on target.
  CHECK(number(m.find("corridor_shares")->find("red")->find("share")) == doctest::Approx(0.4));
  CHECK(number(m.find("corridor_shares")->find("red")->find("target")) == doctest::Approx(0.3));
  CHECK(m.find("corridor_shares")->find("blue")->find("target")->isNull());
  // Riskiest first: high before medium; D3 (two profiles) first. 10% of 10 is D3 only.
  const auto& rates = m.find("at_rates")->asArray();
  REQUIRE(rates.size() == 4);
  CHECK(number(rates[3].find("inspected")) == 1);
  CHECK(number(rates[3].find("violations")) == 1);
  CHECK(number(rates[3].find("precision")) == 1.0);
  CHECK(number(rates[3].find("random_precision")) == doctest::Approx(4.0 / 7).epsilon(1e-5));

  // The text says the same for a person.
  auto text = e2e::run(args);
  CHECK(text.exit_code == 3);
  CHECK(text.out.find("Control results (" + results + "): 14 rows: 8 counted, 1 unreadable, 1 repeated, 2 "
                      "disagreeing, 1 for a goods item the declaration lacks, 1 for no declaration screened, 0 set aside "
                      "(outside the period)") != std::string::npos);
  CHECK(text.out.find("Controlled: 7 declarations, 4 with a violation (base rate 57.1%)") != std::string::npos);
  CHECK(text.out.find("HIGH-VALUE") != std::string::npos);
  CHECK(text.out.find("Against the targets: yellow 20.0% (target 20.0%: on target), red 40.0% (target 30.0%: 10.0 "
                      "points over)") != std::string::npos);

  // Without `payments` in the result schema, no revenue is claimed: null, and said so.
  auto unpaid = scratch.path() / "unpaid";
  writeRepository(unpaid, /*with_payments=*/false);
  std::string unpaid_args = "backtest --profiles " + unpaid.string() + " --declarations " +
                            (scratch.path() / "declarations.csv").string() + " --results " + results;
  auto no_revenue = e2e::run(unpaid_args + " --format json");
  auto parsed = json::parse(no_revenue.out);
  REQUIRE(parsed);
  CHECK(parsed->find("metrics")->find("all")->find("revenue")->isNull());
  CHECK(e2e::run(unpaid_args).out.find("the results give no payments") != std::string::npos);
}

TEST_CASE("backtest: a period, a flag for revision, a baseline, and the errors a user meets") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo);
  auto decl = (scratch.path() / "declarations.csv").string();
  auto res = (scratch.path() / "results.csv").string();
  std::ofstream(decl) << kDeclarations;
  // Only the readable, agreeing rows: everything is counted, exit 0.
  std::string clean(kResults);
  clean = clean.substr(0, clean.find("D1,2026-01-06,,true,value,300,EXAM\nD9"));
  std::ofstream(res) << clean;
  std::string args = "backtest --profiles " + repo.string() + " --declarations " + decl + " --results " + res;

  // February only: D4..D10 screened, January's results set aside and counted so.
  auto feb = e2e::run(args + " --from 2026-02-01 --to 2026-02-28 --format json --stale-after 1");
  INFO(feb.err);
  CHECK(feb.exit_code == 0);
  auto report = json::parse(feb.out);
  REQUIRE(report);
  CHECK(number(report->find("declarations")->find("screened")) == 7);
  CHECK(number(report->find("declarations")->find("outside_period")) == 3);
  CHECK(number(report->find("results")->find("outside_period")) == 4);
  CHECK(number(report->find("results")->find("matched")) == 4);
  // CHEAP in February: D5 (violation) then D6 (nothing): flagged after one.
  const json::Value* cheap = profile(*report->find("metrics"), "CHEAP");
  REQUIRE(cheap);
  CHECK(cheap->find("needs_revision")->asBool());

  // A baseline where HIGH-VALUE starts at 2500: D2 and D4 are no longer selected.
  auto before = scratch.path() / "before";
  writeRepository(before);
  REQUIRE(e2e::replaceInFile(repo / "schema.risk", "declaration.value > 1000", "declaration.value > 2500"));
  auto cmp = e2e::run(args + " --baseline " + before.string());
  INFO(cmp.out);
  CHECK(cmp.exit_code == 0);
  CHECK(cmp.out.find("selected: 4 now, 6 before (-2)") != std::string::npos);
  CHECK(cmp.out.find("no longer selected: 2 declarations, 1 controlled, 0 with a violation") != std::string::npos);
  CHECK(cmp.out.find("newly selected: 0 declarations") != std::string::npos);
  // The baseline may be a compiled package: its result schema comes with it.
  auto package = (scratch.path() / "before.tkp").string();
  REQUIRE(e2e::run("compile " + before.string() + " -o " + package).exit_code == 0);
  auto from_package = e2e::run(args + " --baseline " + package);
  CHECK(from_package.exit_code == 0);
  CHECK(from_package.out.find("selected: 4 now, 6 before (-2)") != std::string::npos);
  auto package_alone = e2e::run("backtest --profiles " + package + " --declarations " + decl + " --results " + res);
  CHECK(package_alone.exit_code == 0);
  CHECK(package_alone.out.find("Controlled: 7 declarations") != std::string::npos);

  // The errors: an unknown --by field, dates the wrong way round, no result schema, the
  // report over an input, a results file that is not there.
  auto by = e2e::run(args + " --by ofice");
  CHECK(by.exit_code == 2);
  CHECK(by.err.find("--by ofice: the declaration schema has no field `ofice` (did you mean `office`?)") !=
        std::string::npos);
  auto order = e2e::run(args + " --from 2026-03-01 --to 2026-02-01");
  CHECK(order.exit_code == 2);
  CHECK(order.err.find("--from 2026-03-01 is after --to 2026-02-01") != std::string::npos);
  auto over = e2e::run(args + " --out " + res);
  CHECK(over.exit_code == 2);
  CHECK(e2e::readAll(res) == clean);
  auto missing = e2e::run("backtest --profiles " + repo.string() + " --declarations " + decl + " --results " +
                          (scratch.path() / "nope.csv").string());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.csv") != std::string::npos);
  auto plain = scratch.path() / "plain";
  writeRepository(plain);
  std::string schema = e2e::readAll(plain / "schema.risk");
  std::ofstream(plain / "schema.risk") << schema.substr(0, schema.find("schema result")) +
                                              schema.substr(schema.find("area VALUE"));
  auto none = e2e::run("backtest --profiles " + plain.string() + " --declarations " + decl + " --results " + res);
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("declares no `schema result`") != std::string::npos);
  // Corridor targets are checked: a corridor that does not exist, shares beyond 100%, twice.
  REQUIRE(e2e::replaceInFile(plain / "schema.risk", "corridor targets {\n  red    30%\n  yellow 20%\n}\n", ""));
  std::ofstream(plain / "targets.risk") << "package t.bt\ncorridor targets {\n  purple 5%\n  red 80%\n  yellow "
                                           "30%\n  red 1%\n}\n";
  std::ofstream(plain / "targets2.risk") << "package t.bt\ncorridor targets {\n  red 1%\n}\n";
  auto targets = e2e::run("check " + plain.string());
  CHECK(targets.exit_code == 1);
  CHECK(targets.out.find("unknown corridor `purple` (green, blue, yellow or red)") != std::string::npos);
  CHECK(targets.out.find("the red corridor's target is given twice") != std::string::npos);
  CHECK(targets.out.find("the corridor targets add up to more than 100% of the declarations") != std::string::npos);
  CHECK(targets.out.find("corridor targets are declared twice; a program has one set") != std::string::npos);
}

TEST_CASE("backtest: results as JSON Lines, read as strictly as CSV") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  writeRepository(repo);
  auto decl = (scratch.path() / "declarations.csv").string();
  auto res = (scratch.path() / "results.jsonl").string();
  std::ofstream(decl) << kDeclarations;
  std::ofstream(res) << R"({"declaration_id":"D1","controlled_on":"2026-01-06","violation":true,"payments":300})" "\n"
                     << R"({"declaration_id":"D2","controlled_on":"2026-01-07","violation":false})" "\n"
                     << R"({"declaration_id":"D5","controlled_on":"2026-02-03","violation":true,"payments":2e1})" "\n"
                     << R"({"declaration_id":"D6","controlled_on":"2026-02-04","violation":false,"paymnts":1})" "\n"
                     << R"({"declaration_id":"D7","controlled_on":"2026-02-05","violation":true,"measures":"EXAMS"})" "\n"
                     << "not json\n";
  auto r = e2e::run("backtest --format json --profiles " + repo.string() + " --declarations " + decl + " --results " + res);
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(res + ":3: payments: 2e1 is written with an exponent") != std::string::npos);
  CHECK(r.err.find(res + ":4: paymnts: no field of the result schema reads this member") != std::string::npos);
  CHECK(r.err.find(res + ":5: measures: \"EXAMS\" is no measure of the catalogue (did you mean `EXAM`?)") !=
        std::string::npos);
  CHECK(r.err.find(res + ":6:") != std::string::npos);
  auto report = json::parse(r.out);
  REQUIRE(report);
  CHECK(number(report->find("results")->find("rows_read")) == 6);
  CHECK(number(report->find("results")->find("rejected")) == 4);
  CHECK(number(report->find("results")->find("matched")) == 2);
  CHECK(report->find("metrics")->find("all")->find("revenue")->numberText() == "300.00");
}

TEST_CASE("backtest: the KCS example's 2021 Q2, every row counted, the figures of docs/effectiveness.md") {
  const std::string kcs = std::string(TAUEKEL_SOURCE_DIR) + "/../shared/data/kcs/data_df_syn_test_eng.csv";
  if (!std::filesystem::exists(kcs)) {
    MESSAGE("skipped: the KCS data set is not at " << kcs);
    return;
  }
  auto r = e2e::run("backtest --format json --profiles examples/kcs --declarations " + kcs + " --results " + kcs);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto report = json::parse(r.out);
  REQUIRE(report);
  CHECK(number(report->find("results")->find("matched")) == 8481);
  const json::Value& m = *report->find("metrics");
  CHECK(number(m.find("all")->find("violations")) == 1835);
  CHECK(number(m.find("selected")->find("declarations")) == 1545);
  CHECK(number(m.find("selected")->find("violations")) == 409);
}
