#include <doctest/doctest.h>

#include <fstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;
using e2e::run;

namespace {
const std::string kSource = TAUEKEL_SOURCE_DIR;

// Copies an example repository into a scratch dir, so tests can break it.
void copyExample(const std::string& name, const e2e::Scratch& scratch) {
  std::filesystem::copy(kSource + "/examples/" + name, scratch.path() / name,
                        std::filesystem::copy_options::recursive);
}
}  // namespace

TEST_CASE("check: every example repository is accepted") {
  for (const char* example : {"examples/eaeu", "examples/kcs"}) {
    auto r = run(std::string("check ") + example);
    INFO(example, r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.find("0 errors, 0 warnings") != std::string::npos);
  }
}

TEST_CASE("check: a stray token on line 7 gives exit 1 and a diagnostic at line 7") {
  e2e::Scratch scratch;
  copyExample("eaeu", scratch);
  auto file = scratch.path() / "eaeu" / "profiles" / "value.risk";
  std::string text = e2e::readAll(file);
  size_t pos = 0;
  for (int line = 1; line < 7; ++line) pos = text.find('\n', pos) + 1;
  text.insert(pos, "@@ ");
  std::ofstream(file, std::ios::binary) << text;
  auto r = run("check --color never " + file.string());
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("value.risk:7:1: error[") != std::string::npos);
}

TEST_CASE("check: --format sarif is SARIF 2.1.0 listing the diagnostics") {
  e2e::Scratch scratch;
  auto file = scratch.write("bad.risk", "package x\nimport std.eaeu\nindicator a(declaration) = nope > 1\n");
  auto r = run("check --format sarif " + file);
  CHECK(r.exit_code == 1);
  auto parsed = json::parse(r.out);
  REQUIRE_MESSAGE(parsed, r.out);
  CHECK(parsed->find("version")->asString() == "2.1.0");
  const auto& results = parsed->find("runs")->asArray().at(0).find("results")->asArray();
  bool found = false;
  for (const auto& res : results) {
    if (res.find("ruleId")->asString() != "TK201") continue;
    found = true;
    const auto* region = res.find("locations")->asArray().at(0).find("physicalLocation")->find("region");
    CHECK(region->find("startLine")->asNumber() == 3);
    CHECK(region->find("startColumn")->asNumber() == 28);
  }
  CHECK(found);
}

TEST_CASE("check: --format json") {
  e2e::Scratch scratch;
  auto file = scratch.write("w.risk", "package x\nimport std.eaeu\nindicator a(declaration) = true\n");
  auto r = run("check --format json " + file);
  CHECK(r.exit_code == 0);  // a warning alone does not fail
  auto parsed = json::parse(r.out);
  REQUIRE(parsed);
  CHECK(parsed->find("warnings")->numberText() == "1");
  CHECK(parsed->find("diagnostics")->asArray().at(0).find("code")->asString() == "TK601");
  CHECK(run("check --deny-warnings " + file).exit_code == 1);
}

TEST_CASE("check: hostile input gives a diagnostic, never a crash") {
  e2e::Scratch scratch;
  std::string deep = "package x\nimport std.eaeu\nindicator a(declaration) = " + std::string(10000, '(') + "true" +
                     std::string(10000, ')') + "\n";
  auto r = run("check " + scratch.write("deep.risk", deep));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("TK005") != std::string::npos);

  std::string big = "package x\n";
  while (big.size() < 50u << 20) big += "// " + std::string(120, 'x') + "\n";
  r = run("check " + scratch.write("big.risk", big));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("TK004") != std::string::npos);

  r = run("check " + scratch.write("utf8.risk", "package x\n// \xC3\x28\n"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("utf8.risk:2:4: error[TK002]") != std::string::npos);

  r = run("check " + scratch.write("nul.risk", std::string("package x\nprofile\0\n", 19)));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("nul.risk:2:8: error[TK003]") != std::string::npos);
}

TEST_CASE("check: usage and I/O errors exit 2") {
  auto missing = run("check does/not/exist.risk");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("does/not/exist.risk") != std::string::npos);
  CHECK(run("check --format xml examples/eaeu").exit_code == 2);
  CHECK(run("").exit_code == 2);
  CHECK(run("frobnicate").exit_code == 2);
}

TEST_CASE("check: one file of a repository resolves names from its other files") {
  // profiles/value.risk uses lists and indicators declared in other files of examples/eaeu
  auto r = run("check examples/eaeu/profiles/value.risk");
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("checked 1 file") != std::string::npos);
}

TEST_CASE("check: one file of a repository with errors elsewhere warns, and the file still checks") {
  e2e::Scratch scratch;
  copyExample("eaeu", scratch);
  auto indicators = scratch.path() / "eaeu" / "indicators.risk";
  std::string text = e2e::readAll(indicators);
  text += "\nindicator broken(declaration) = no_such_field > 0\n";
  std::ofstream(indicators, std::ios::binary) << text;
  auto r = run("check --color never " + (scratch.path() / "eaeu" / "profiles" / "value.risk").string());
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);  // the file itself is fine
  CHECK(r.out.find("warning[TK006]: 1 error in other files of this repository") != std::string::npos);
  auto whole = run("check " + (scratch.path() / "eaeu").string());
  CHECK(whole.exit_code == 1);
  CHECK(whole.out.find("TK201") != std::string::npos);
}

TEST_CASE("check: a file whose profiles use what is broken elsewhere fails, naming each profile left out") {
  // Issue 13, hole 10: this said "0 errors" and exited 0 while the profile was dropped.
  e2e::Scratch scratch;
  copyExample("eaeu", scratch);
  auto indicators = scratch.path() / "eaeu" / "indicators.risk";
  REQUIRE(e2e::replaceInFile(indicators, "item.customs_value / item.net_kg < 0.6 * ref_price[item.hs]",
                             "item.no_such_field / item.net_kg < 0.6 * ref_price[item.hs]"));
  auto r = run("check --color never " + (scratch.path() / "eaeu" / "profiles" / "value.risk").string());
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("warning[TK006]: 1 error in other files of this repository") != std::string::npos);
  CHECK(r.out.find("error[TK008]: profile KZ-VAL-001 is left out: it uses declarations that have errors in other "
                   "files of this repository") != std::string::npos);
  // The other profiles of the file are not named.
  CHECK(r.out.find("KZ-VAL-002 is left out") == std::string::npos);
}

TEST_CASE("check: after a syntax error, what the broken text used is not called unused") {
  // Issue 13, hole 12: the list used only by the broken profile was reported as TK601.
  e2e::Scratch scratch;
  auto file = scratch.path() / "broken.risk";
  std::ofstream(file) << "import std.eaeu\n"
                         "list audit_offices: set<string> = csv(\"offices.csv\")\n"
                         "profile \"P-1\" {\n  title \"t\"\n  area VALUE\n  valid 2026-01-01 ..\n  level high\n"
                         "  when office in audit_offices and and\n  apply DOC_CHECK\n}\n";
  std::ofstream(scratch.path() / "offices.csv") << "office\nA\n";
  auto r = run("check --color never " + file.string());
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("TK101") != std::string::npos);
  CHECK(r.out.find("TK601") == std::string::npos);
}

TEST_CASE("check: two repositories are two programs") {
  for (const char* args : {"check examples/eaeu examples/kcs", "check examples"}) {
    auto r = run(args);
    INFO(args, r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  // `run` takes one repository.
  auto both = run("run --profiles examples --declarations examples/eaeu/data/declarations.csv");
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("2 profile repositories") != std::string::npos);
}

TEST_CASE("check: inputs the fuzzer found crash nothing") {
  // Each file in tests/fuzz_regressions once crashed the front end.
  for (const auto& entry : std::filesystem::directory_iterator(kSource + "/tests/fuzz_regressions")) {
    if (entry.path().extension() != ".risk") continue;  // the others are loader inputs
    auto r = run("check " + entry.path().string());
    INFO(entry.path().string(), r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 1));
  }
}
