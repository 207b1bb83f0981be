#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;
using e2e::run;

namespace {
const std::string kExample =
    "run --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv "
    "--persons examples/eaeu/data/persons.csv";

// `tauekel run -q` over a scratch repository (repo/), a person register (persons.csv,
// rows after its header) and declarations (EAEU CSV rows after its header).
e2e::Result runScratch(e2e::Scratch& scratch, const std::string& person_rows, const std::string& declaration_rows) {
  scratch.write("persons.csv",
                "id,name,registered_since,years_active,declarations_12m,violations_3y,customs_offences_3y,arrears,aeo\n" +
                    person_rows);
  std::string header =
      "number,date,direction,procedure,office,declarant,invoice_currency,invoice_total,exchange_rate,item_number,"
      "description,hs,origin,gross_kg,net_kg,invoice_price,customs_value,statistical_value\n";
  return run("run -q --profiles " + (scratch.path() / "repo").string() + " --persons " +
             (scratch.path() / "persons.csv").string() + " --declarations " +
             scratch.write("d.csv", header + declaration_rows));
}

}  // namespace

TEST_CASE("run: the bundled example, one decision per declaration in input order") {
  auto r = run(kExample);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  auto decisions = e2e::jsonLines(r.out);
  REQUIRE(decisions.size() == 65);
  CHECK(decisions[0].find("declaration")->asString() == "55204001/080126/0001826");
  size_t selected = 0;
  for (const auto& d : decisions) {
    bool is_selected = d.find("selected")->asBool();
    selected += is_selected;
    CHECK(d.find("profiles")->asArray().empty() != is_selected);
    std::string corridor = d.find("corridor")->asString();
    CHECK((corridor == "green" || corridor == "blue" || corridor == "yellow" || corridor == "red"));
    if (!is_selected) CHECK(corridor == "green");
    for (const auto& p : d.find("profiles")->asArray()) {
      CHECK(p.find("id")->isString());
      CHECK(p.find("area")->isString());
      for (const auto& item : p.find("items")->asArray()) CHECK(item.asNumber() >= 1);
    }
  }
  CHECK(selected > 0);
  CHECK(selected < decisions.size());
  CHECK(r.err.find("rows: 114 read = 114 processed + 0 rejected") != std::string::npos);
  CHECK(r.err.find(fmt::format("{} selected", selected)) != std::string::npos);
}

TEST_CASE("run: the compiled engine and the interpreter give byte-identical output, run after run") {
  auto jit = run(kExample + " --engine jit -q");
  auto interp = run(kExample + " --engine interp -q");
  auto again = run(kExample + " --engine jit -q");
  CHECK(jit.exit_code == 0);
  CHECK(interp.exit_code == 0);
  CHECK(!jit.out.empty());
  CHECK(jit.out == interp.out);
  CHECK(jit.out == again.out);
}

TEST_CASE("run: JSON Lines input screens like the CSV") {
  auto csv = run(kExample + " -q");
  auto jsonl = run("run -q --profiles examples/eaeu --declarations examples/eaeu/data/declarations.jsonl "
                   "--persons examples/eaeu/data/persons.csv");
  CHECK(jsonl.exit_code == 0);
  CHECK(csv.out == jsonl.out);
}

TEST_CASE("run: bad rows are reported as file:line: field: reason and the counts add up") {
  e2e::Scratch scratch;
  std::string csv = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/declarations.csv");
  std::istringstream in(csv);
  std::string line, out;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    // Line 3: a net mass that is not a number; line 6: a quote in an unquoted field.
    if (n == 3) {
      auto pos = line.find(",201.5,");
      if (pos == std::string::npos) pos = line.rfind(",1800,");
      REQUIRE(pos != std::string::npos);
      line.replace(pos, line.find(',', pos + 1) - pos, ",12x5");
    }
    if (n == 6) line.insert(line.find(',') + 1, "ab\"c");
    out += line + "\n";
  }
  auto path = scratch.write("bad.csv", out);
  std::string args = "run --profiles examples/eaeu --persons examples/eaeu/data/persons.csv --declarations " + path;
  auto failed = run(args);
  CHECK(failed.exit_code == 3);
  CHECK(failed.err.find("bad.csv:3: ") != std::string::npos);
  // The run stops at the bad row: the declaration before it is decided, nothing after.
  auto before = e2e::jsonLines(failed.out);
  REQUIRE(before.size() == 1);
  CHECK(before[0].find("declaration")->asString() == "55204001/080126/0001826");  // line 2's

  auto skipped = run(args + " --on-error skip");
  INFO(skipped.err);
  CHECK(skipped.exit_code == 3);
  CHECK(skipped.err.find("bad.csv:3: net_kg: \"12x5\": not a decimal number") != std::string::npos);
  CHECK(skipped.err.find("bad.csv:6: ") != std::string::npos);
  // Every row is either screened or rejected; the rejected declarations are not in the output.
  auto summary = skipped.err.substr(skipped.err.find("rows: "));
  uint64_t read = 0, processed = 0, rejected = 0;
  REQUIRE(std::sscanf(summary.c_str(), "rows: %lu read = %lu processed + %lu rejected", &read, &processed, &rejected) == 3);
  CHECK(read == 114);
  CHECK(rejected >= 2);
  CHECK(read == processed + rejected);
  CHECK(e2e::jsonLines(skipped.out).size() < 65);
}

TEST_CASE("run: a declaration's rows must agree on the header fields") {
  e2e::Scratch scratch;
  std::string csv = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/declarations.csv");
  // Find a declaration with two rows and change the office on its second row.
  std::istringstream in(csv);
  std::string line, out, previous_key;
  int n = 0, changed = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string key = line.substr(0, line.find(','));
    if (n > 1 && key == previous_key && !changed) {
      size_t office = 0;
      for (int i = 0; i < 5; ++i) office = line.find(',', office) + 1;
      line.replace(office, line.find(',', office) - office, "99999999");
      changed = n;
    }
    previous_key = key;
    out += line + "\n";
  }
  REQUIRE(changed > 0);
  auto r = run("run -q --on-error skip --profiles examples/eaeu --declarations " + scratch.write("x.csv", out));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(fmt::format("x.csv:{}: office: differs from the declaration's first row", changed)) !=
        std::string::npos);
}

TEST_CASE("run: profiles with errors, missing files and bad options") {
  e2e::Scratch scratch;
  scratch.write("p/a.risk", "package x\nimport std.eaeu\nindicator a(declaration) = nope > 1\n");
  auto bad = run("run --profiles " + (scratch.path() / "p").string() +
                 " --declarations examples/eaeu/data/declarations.csv");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("TK201") != std::string::npos);
  CHECK(run("run --profiles examples/eaeu --declarations nope.csv").exit_code == 2);
  CHECK(run(kExample + " --as-of 2026-13-01").exit_code == 2);
  CHECK(run(kExample + " --engine fast").exit_code == 2);
}

TEST_CASE("run: the person register: a missing file is an I/O error, a bad row a rejected row") {
  e2e::Scratch scratch;
  std::string base = "run -q --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv --persons ";
  CHECK(run(base + "no/such/persons.csv").exit_code == 2);
  auto header_only = scratch.write("h.csv", "id,name\n");
  auto missing_columns = run(base + header_only);
  CHECK(missing_columns.exit_code == 2);
  CHECK(missing_columns.err.find("no column \"years_active\"") != std::string::npos);
  std::string persons = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/persons.csv");
  persons += "999999999999,Broken,2020-01-01,many,1,0,0,0,false\n";
  auto bad = scratch.write("p.csv", persons);
  auto failed = run(base + bad);
  CHECK(failed.exit_code == 3);
  CHECK(failed.err.find("p.csv:" + std::to_string(std::count(persons.begin(), persons.end(), '\n')) +
                        ": years_active: \"many\" is not an integer") != std::string::npos);
  auto skipped = run(base + bad + " --on-error skip");
  CHECK(skipped.exit_code == 3);
  CHECK_FALSE(skipped.out.empty());
}

TEST_CASE("run: --as-of and --include-drafts decide which profiles are in force") {
  auto now = run(kExample + " --as-of 2026-06-01");
  auto drafts = run(kExample + " --as-of 2026-06-01 --include-drafts");
  auto before = run(kExample + " --as-of 2020-01-01");
  CHECK(now.exit_code == 0);
  CHECK(before.err.find("profiles: 0 in force") != std::string::npos);
  for (const auto& d : e2e::jsonLines(before.out)) CHECK_FALSE(d.find("selected")->asBool());
  auto in_force = [](const std::string& err) { return std::stoi(err.substr(err.find("profiles: ") + 10)); };
  CHECK(in_force(drafts.err) > in_force(now.err));
}

TEST_CASE("run: measures follow the person category, samples, strength order and corridors") {
  e2e::Scratch scratch;
  scratch.write("repo/tauekel.project", "# test\n");
  scratch.write("repo/p.risk", R"(package t
import std.eaeu
public arrears indicator owes(person) = person.arrears > 0
category rules for person {
  high when owes(person)
  high when unregistered
  low  otherwise
}
profile "T-1" {
  title "measures"
  area  VALUE
  valid 2026-01-01 ..
  level high
  state approved
  when  direction == IM
  apply DOC_CHECK, INSPECTION if declarant.category == high, CUSTOMS_AUDIT sample 100%, EXAMINATION sample 0%
}
)");
  std::string rows;
  for (auto [number, direction, declarant] : {std::tuple{"D1", "IM", "A"}, std::tuple{"D2", "IM", "B"},
                                              std::tuple{"D3", "IM", "NOBODY"}, std::tuple{"D4", "EK", "A"}})
    rows += fmt::format("{},2026-05-01,{},40,55204001,{},USD,1,1,1,x,6403990000,CN,1,1,1,1,1\n", number, direction,
                        declarant);
  auto r = runScratch(scratch, "A,,,1,1,0,0,0,false\nB,,,1,1,0,0,10.5,false\n", rows);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto d = e2e::jsonLines(r.out);
  REQUIRE(d.size() == 4);
  auto measures = [](const json::Value& v) {
    std::string out;
    for (const auto& m : v.find("measures")->asArray()) out += m.asString() + " ";
    return out;
  };
  // Low category: no inspection; the 100% sample always, the 0% sample never; strongest first.
  CHECK(measures(d[0]) == "CUSTOMS_AUDIT DOC_CHECK ");
  CHECK(d[0].find("corridor")->asString() == "yellow");
  // Arrears make B high; an unregistered declarant is high by the rules.
  CHECK(measures(d[1]) == "CUSTOMS_AUDIT INSPECTION DOC_CHECK ");
  CHECK(d[1].find("corridor")->asString() == "red");
  CHECK(measures(d[2]) == measures(d[1]));
  CHECK_FALSE(d[3].find("selected")->asBool());
  CHECK(d[3].find("corridor")->asString() == "green");
  CHECK(d[3].find("level")->isNull());
}

TEST_CASE("run: samples take the declarations the documented hash puts in them") {
  // The formula of docs/running.md, computed here on its own: FNV-1a (64-bit) over
  // "profile\x1Fmeasure\x1Fdeclaration", modulo 1,000,000, below the share in millionths.
  auto inSample = [](const std::string& profile, const std::string& measure, const std::string& declaration,
                     uint64_t share) {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : profile + "\x1F" + measure + "\x1F" + declaration) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return h % 1'000'000 < share;
  };
  e2e::Scratch scratch;
  scratch.write("repo/tauekel.project", "# test\n");
  scratch.write("repo/p.risk", R"(package t
import std.eaeu
category rules for person {
  high when unregistered
  low  otherwise
}
profile "T-2" {
  title "samples"
  area  VALUE
  valid 2026-01-01 ..
  level low
  state approved
  when  direction == IM
  apply DOC_CHECK sample 50%, INSPECTION if declarant.category == high else sample 30%
}
)");
  std::string rows;
  for (int k = 1; k <= 60; ++k)
    rows += fmt::format("D{},2026-05-01,IM,40,55204001,A,USD,1,1,1,x,6403990000,CN,1,1,1,1,1\n", k);
  auto r = runScratch(scratch, "A,,,1,1,0,0,0,false\n", rows);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto d = e2e::jsonLines(r.out);
  REQUIRE(d.size() == 60);
  int doc_checks = 0, inspections = 0;
  for (int k = 1; k <= 60; ++k) {
    const json::Value& v = d[static_cast<size_t>(k - 1)];
    std::string number = fmt::format("D{}", k);
    REQUIRE(v.find("declaration")->asString() == number);
    std::string expected;  // strongest first
    if (inSample("T-2", "INSPECTION", number, 300'000)) expected += "INSPECTION ", ++inspections;
    if (inSample("T-2", "DOC_CHECK", number, 500'000)) expected += "DOC_CHECK ", ++doc_checks;
    std::string got;
    for (const auto& m : v.find("measures")->asArray()) got += m.asString() + " ";
    CHECK_MESSAGE(got == expected, number);
  }
  // Both samples are neither empty nor everything, so the check above tells them apart.
  CHECK(doc_checks > 10);
  CHECK(doc_checks < 50);
  CHECK(inspections > 5);
  CHECK(inspections < 40);
}

TEST_CASE("run: the summary speaks of profiles and declarations, how the engine was made ready only with --verbose") {
  const std::string args = "run --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv "
                           "--persons examples/eaeu/data/persons.csv --out /dev/null";
  auto plain = e2e::run(args);
  CHECK(plain.exit_code == 0);
  CHECK(plain.err.find("profiles: 28 in force") != std::string::npos);
  CHECK(plain.err.find("item roots") == std::string::npos);
  CHECK(plain.err.find("kernels") == std::string::npos);
  auto verbose = e2e::run(args + " --verbose");
  CHECK(verbose.err.find("engine: ") != std::string::npos);
  CHECK(verbose.err.find("item roots guarded by the index") != std::string::npos);
}

TEST_CASE("cli: an unknown command is named, with the closest one and the list") {
  auto typo = e2e::run("chek examples/eaeu");
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("tauekel: unknown command `chek`; did you mean `check`?") != std::string::npos);
  CHECK(typo.err.find("commands: check, run,") != std::string::npos);
  CHECK(typo.err.find("A subcommand is required") == std::string::npos);
  auto far = e2e::run("frobnicate");
  CHECK(far.exit_code == 2);
  CHECK(far.err.find("tauekel: unknown command `frobnicate`\n") != std::string::npos);
}
