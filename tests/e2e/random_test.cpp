// Random selection: a share of the declarations in a profile's scope, chosen by the
// sampling hash, reported as a selection of its own and counted in the summary.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;

TEST_CASE("random: over 100,000 declarations the share chosen is the declared one within 0.3 points") {
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch);
  // A second random selection at 1% beside the example's 5%, both for imports.
  std::ofstream(repo / "profiles/random2.risk")
      << "package kz.risk\nimport std.eaeu\nprofile \"KZ-RND-002\" {\n  title \"Random physical check\"\n"
         "  valid 2026-01-01 ..\n  scope direction IM\n  level low\n  state approved\n  random 1%\n"
         "  apply EXAMINATION\n}\n";
  auto declarations = scratch.write("d.csv", e2e::exampleDeclarations(100000));
  auto r = e2e::run("run --profiles " + repo.string() + " --persons examples/eaeu/data/persons.csv --declarations " +
                    declarations + " --out " + (scratch.path() / "out.jsonl").string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(scratch.path() / "out.jsonl");
  uint64_t chosen5 = 0, chosen1 = 0, both = 0, lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    bool five = line.find("\"id\":\"KZ-RND-001\"") != std::string::npos;
    bool one = line.find("\"id\":\"KZ-RND-002\"") != std::string::npos;
    chosen5 += five;
    chosen1 += one;
    both += five && one;
    if (five || one) CHECK(line.find("\"random\":true") != std::string::npos);
  }
  REQUIRE(lines == 100065);
  // Every generated declaration is an import: 100,000 of the 100,062 in scope.
  double share5 = 100.0 * static_cast<double>(chosen5) / 100062.0;
  double share1 = 100.0 * static_cast<double>(chosen1) / 100062.0;
  CAPTURE(share5);
  CAPTURE(share1);
  CHECK(share5 > 4.7);
  CHECK(share5 < 5.3);
  CHECK(share1 > 0.7);
  CHECK(share1 < 1.3);
  // The two are drawn independently: about 5% of 1% fall in both.
  CHECK(both > 0);
  CHECK(both < chosen1 / 10);
  // The summary counts them as the output has them.
  CHECK(r.err.find(fmt::format("random selection KZ-RND-001: {} of 100062 declarations in its scope", chosen5)) !=
        std::string::npos);
  CHECK(r.err.find(fmt::format("random selection KZ-RND-002: {} of 100062 declarations in its scope", chosen1)) !=
        std::string::npos);
}

TEST_CASE("random: the same declarations are chosen by either engine, any threads, any run") {
  std::string first;
  for (const char* engine : {"jit", "interp"})
    for (const char* threads : {"1", "3"}) {
      auto r = e2e::run(std::string("run -q --profiles examples/eaeu --persons examples/eaeu/data/persons.csv "
                                    "--declarations examples/eaeu/data/declarations.csv --engine ") +
                        engine + " --threads " + threads);
      REQUIRE(r.exit_code == 0);
      if (first.empty()) first = r.out;
      CHECK(r.out == first);
    }
  CHECK(first.find("\"id\":\"KZ-RND-001\"") != std::string::npos);
  // Its explanation says what it is; it reads no value of the declaration.
  auto why = e2e::run("explain --profiles examples/eaeu --persons examples/eaeu/data/persons.csv --declarations "
                      "examples/eaeu/data/declarations.csv --declaration 55215031/290126/0005511");
  CHECK(why.out.find("profile KZ-RND-001 (random selection, level low)") != std::string::npos);
  CHECK(why.out.find("chosen at random: 5% of the declarations in its scope") != std::string::npos);
}

TEST_CASE("random: a random selection has no condition and a share above 0%") {
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch);
  REQUIRE(e2e::replaceInFile(repo / "profiles/random.risk", "random 5%", "random 5%\n  when true"));
  auto both = e2e::run("check " + repo.string());
  CHECK(both.exit_code == 1);
  CHECK(both.out.find("a random selection has no `when`") != std::string::npos);
  REQUIRE(e2e::replaceInFile(repo / "profiles/random.risk", "random 5%\n  when true", "random 0%"));
  CHECK(e2e::run("check " + repo.string()).out.find("a random selection's share must be above 0% and at most 100%") !=
        std::string::npos);
  REQUIRE(e2e::replaceInFile(repo / "profiles/random.risk", "random 0%", "random 150%"));
  CHECK(e2e::run("check " + repo.string()).out.find("out of range") != std::string::npos);
}
