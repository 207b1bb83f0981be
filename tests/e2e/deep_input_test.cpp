// The CLI on inputs as large as a source file may be: every one ends with its exit code
// and the same decisions from both engines, never with a crash or a hang.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include "cli_runner.h"
#include "tests/common/sizes.h"

using namespace tauekel;
using e2e::run;

namespace {

const std::string kSource = TAUEKEL_SOURCE_DIR;

// examples/eaeu with one more file of profiles, in a scratch directory.
std::string repository(const e2e::Scratch& scratch, const std::string& extra) {
  std::filesystem::copy(kSource + "/examples/eaeu", scratch.path() / "eaeu", std::filesystem::copy_options::recursive);
  scratch.write("eaeu/profiles/extra.risk", "package kz.risk\nimport std.eaeu\n" + extra);
  return (scratch.path() / "eaeu").string();
}

std::string profile(const std::string& id, const std::string& condition) {
  return fmt::format("profile \"{}\" {{\n  title \"t\"\n  area VALUE\n  valid 2026-01-01 .. 2026-12-31\n  level high\n"
                     "  state approved\n  when {}\n  apply VALUE_CHECK\n}}\n",
                     id, condition);
}

// `check`, then `run` with each engine: exit 0, and byte-identical decisions.
void checkAndRunBoth(const std::string& repo) {
  auto checked = run("check -q " + repo);
  INFO(checked.out.substr(0, 2000), checked.err);
  CHECK(checked.exit_code == 0);
  std::string data = " --declarations examples/eaeu/data/declarations.csv --persons examples/eaeu/data/persons.csv";
  auto jit = run("run -q --engine jit --profiles " + repo + data);
  auto interp = run("run -q --engine interp --profiles " + repo + data);
  INFO(jit.err, interp.err);
  CHECK(jit.exit_code == 0);
  CHECK(interp.exit_code == 0);
  CHECK(!jit.out.empty());
  CHECK(jit.out == interp.out);
}

}  // namespace

TEST_CASE("run: conditions of 30,000 terms on 1 MB lines (`or`, `+`) check and run alike in both engines") {
  int terms = test::kChainTerms * 3 / 10;
  std::string any_of, sum;
  for (int i = 0; i < terms; ++i) {
    any_of += fmt::format("{}item.customs_value > {}", i ? " or " : "", 1'000'000 + i);
    sum += i ? " + item.net_kg" : "item.net_kg";
  }
  e2e::Scratch scratch;
  checkAndRunBoth(repository(scratch, profile("KZ-DEEP-OR", "any item: " + any_of) +
                                          profile("KZ-DEEP-SUM", "any item: " + sum + " > 100000")));
}

TEST_CASE("run: indicators calling each other twice per level, 60 levels deep, check and run at once") {
  std::string text;
  auto levels = [&](const char* prefix, const char* param, const std::string& base, const char* join) {
    text += fmt::format("indicator {}0({}) = {}\n", prefix, param, base);
    for (int k = 1; k <= 60; ++k)
      text += fmt::format("indicator {p}{k}({a}) = {p}{j}({a}) {op} {p}{j}({a})\n", fmt::arg("p", prefix),
                          fmt::arg("k", k), fmt::arg("j", k - 1), fmt::arg("a", param), fmt::arg("op", join));
  };
  levels("di", "item", "item.net_kg > 100", "and");
  levels("dd", "declaration", "invoice_total > 100000", "or");
  levels("dp", "person", "person.violations_3y > 1", "and");
  // Operands that do not fold away: every level reaches the one below twice.
  text += "indicator dx0(item) = item.net_kg > 100\n";
  for (int k = 1; k <= 60; ++k)
    text += fmt::format("indicator dx{}(item) = dx{}(item) or not dx{}(item) and item.gross_kg > {}\n", k, k - 1, k - 1, k);
  text += profile("KZ-DIAMOND-1", "any item: di60(item)") + profile("KZ-DIAMOND-2", "dd60(declaration)") +
          profile("KZ-DIAMOND-3", "dp60(declarant) ?? false") + profile("KZ-DIAMOND-4", "any item: dx60(item)");
  e2e::Scratch scratch;
  checkAndRunBoth(repository(scratch, text));
}

TEST_CASE("check: a cycle of 3,000 indicators is one error with exit 1, not a stack overflow") {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += fmt::format("indicator k{}(item) = k{}(item) or item.net_kg > {}\n", i, (i + 1) % 3000, i);
  text += profile("KZ-CYCLE", "any item: k0(item)");
  e2e::Scratch scratch;
  auto r = run("check --color never " + repository(scratch, text));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("error[TK303]: indicator `k1000` is in a cycle of more than 1000 indicators") != std::string::npos);
  CHECK(r.err.find("1 error") != std::string::npos);
}

TEST_CASE("check: 50,000 errors on one 1 MB line are all reported, in time that grows with their number") {
  // Each diagnostic once quoted its whole line (then dropped it as too long); each syntax
  // error was looked up among all the earlier ones.
  int terms = test::kChainTerms / 2;
  std::string unknown_fields, stray_characters;
  for (int i = 0; i < terms; ++i) {
    unknown_fields += fmt::format("{}item.nope{} > {}", i ? " or " : "", i % 10, i);
    stray_characters += fmt::format("{}item.net_kg > {} @", i ? " or " : "", i);
  }
  e2e::Scratch scratch;
  for (const auto& [condition, code] : {std::pair{unknown_fields, "error[TK202]"}, std::pair{stray_characters, "error[TK103]"}}) {
    auto r = run("check --color never " +
                 scratch.write("many.risk", "package t\nimport std.eaeu\n" + profile("P", "any item: " + condition)));
    CHECK(r.exit_code == 1);
    size_t reported = 0;
    for (size_t at = r.out.find(code); at != std::string::npos; at = r.out.find(code, at + 1)) ++reported;
    CHECK(reported == static_cast<size_t>(terms));
  }
}
