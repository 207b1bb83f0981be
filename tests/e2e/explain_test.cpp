#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;
using e2e::run;

namespace {
const std::string kProfiles = "--profiles examples/eaeu --persons examples/eaeu/data/persons.csv";
const std::string kCsv = "examples/eaeu/data/declarations.csv";


// The goods items named under a reason tree's `item` entries.
void itemsNamed(const json::Value& reason, std::vector<int64_t>& out) {
  if (const auto* item = reason.find("item")) out.push_back(static_cast<int64_t>(item->asNumber()));
  if (const auto* because = reason.find("because"))
    for (const auto& r : because->asArray()) itemsNamed(r, out);
}
}  // namespace

TEST_CASE("explain: every selection of the example, as text, matches tests/decisions/eaeu_explain.txt") {
  auto decisions = run("run -q " + kProfiles + " --declarations " + kCsv);
  REQUIRE(decisions.exit_code == 0);
  std::string actual;
  bool unselected_shown = false;
  for (const auto& d : e2e::jsonLines(decisions.out)) {
    bool selected = d.find("selected")->asBool();
    if (!selected && unselected_shown) continue;
    unselected_shown = unselected_shown || !selected;
    std::string key = d.find("declaration")->asString();
    auto r = run("explain " + kProfiles + " --declarations " + kCsv + " --declaration " + key);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    actual += r.out + "\n";
  }
  std::string path = std::string(TAUEKEL_SOURCE_DIR) + "/tests/decisions/eaeu_explain.txt";
  if (std::getenv("UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
  std::string expected = e2e::readAll(path);
  CHECK_MESSAGE(actual == expected, "explanations differ from tests/decisions/eaeu_explain.txt (UPDATE_GOLDEN=1 "
                                    "rewrites it; review the change)\n"
                                        << actual);
}

TEST_CASE("explain: run --explain is the same with either engine, any threads, CSV or JSON Lines") {
  std::string first;
  for (const char* input : {"examples/eaeu/data/declarations.csv", "examples/eaeu/data/declarations.jsonl"})
    for (const char* engine : {"jit", "interp"})
      for (const char* threads : {"1", "3"}) {
        CAPTURE(input);
        CAPTURE(engine);
        CAPTURE(threads);
        auto r = run(fmt::format("run -q --explain {} --declarations {} --engine {} --threads {} --batch-items 7",
                                 kProfiles, input, engine, threads));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        if (first.empty()) first = r.out;
        CHECK(r.out == first);
      }
  // Without --explain, the same decisions: an explanation only adds to them.
  auto plain = run("run -q " + kProfiles + " --declarations " + kCsv);
  auto explained = e2e::jsonLines(first);
  auto decisions = e2e::jsonLines(plain.out);
  REQUIRE(explained.size() == decisions.size());
  size_t profiles = 0;
  for (size_t i = 0; i < decisions.size(); ++i) {
    const auto& with = explained[i].find("profiles")->asArray();
    const auto& without = decisions[i].find("profiles")->asArray();
    REQUIRE(with.size() == without.size());
    for (size_t p = 0; p < with.size(); ++p) {
      ++profiles;
      CHECK(with[p].find("id")->asString() == without[p].find("id")->asString());
      // Every selecting profile says why, and the goods items it names are the ones
      // the decision reports as triggering it.
      const auto& reasons = with[p].find("explanation")->asArray();
      CHECK(!reasons.empty());
      std::vector<int64_t> named;
      for (const auto& r : reasons) itemsNamed(r, named);
      for (const auto& item : with[p].find("items")->asArray())
        CHECK(std::find(named.begin(), named.end(), static_cast<int64_t>(item.asNumber())) != named.end());
    }
    CHECK(decisions[i].find("profiles")->asArray().size() == with.size());
  }
  CHECK(profiles >= 30);
}

TEST_CASE("explain: the values shown are the declaration's, and the table row that matched") {
  auto r = run("explain " + kProfiles + " --declarations " + kCsv + " --declaration 55215031/120126/0001911");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("profile KZ-VAL-001 (area VALUE, level high), goods item 1") != std::string::npos);
  CHECK(r.out.find("indicator below_reference(item):") != std::string::npos);
  CHECK(r.out.find("item.hs = 6403919800") != std::string::npos);
  CHECK(r.out.find("ref_price[6403] = 16000") != std::string::npos);
  // A person indicator names the person it read.
  auto p = run("explain " + kProfiles + " --declarations " + kCsv + " --declaration 55209041/140126/0002353");
  CHECK(p.out.find("indicator in_arrears(declarant), declarant = \"121240475134\":") != std::string::npos);
  CHECK(p.out.find("declarant.arrears = 12450000") != std::string::npos);
  // The JSON form is the line `run --explain` writes for it.
  auto j = run("explain --format json " + kProfiles + " --declarations " + kCsv +
               " --declaration 55209041/140126/0002353");
  auto all = run("run -q --explain " + kProfiles + " --declarations " + kCsv);
  CHECK(!j.out.empty());
  CHECK(all.out.find(j.out) != std::string::npos);
}

TEST_CASE("explain: a declaration that is not there, or not selected, or past a bad row") {
  auto missing = run("explain " + kProfiles + " --declarations " + kCsv + " --declaration NOPE");
  CHECK(missing.exit_code == 5);
  CHECK(missing.err.find("no declaration \"NOPE\" among the 65 read from examples/eaeu/data/declarations.csv") !=
        std::string::npos);
  CHECK(missing.out.empty());

  auto green = run("explain " + kProfiles + " --declarations " + kCsv + " --declaration 55204001/080126/0001826");
  CHECK(green.exit_code == 0);
  CHECK(green.out == "declaration 55204001/080126/0001826: not selected, corridor green\n");

  // A broken row before it does not stop the search; the count says what was rejected.
  e2e::Scratch scratch;
  std::string csv = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/" + kCsv);
  size_t second = csv.find('\n') + 1;
  std::string broken = csv.substr(0, second) + "BROKEN,not-a-date" + std::string(16, ',') + "\n" + csv.substr(second);
  auto path = scratch.write("d.csv", broken);
  auto past = run("explain " + kProfiles + " --declarations " + path + " --declaration 55209041/140126/0002353");
  INFO(past.err);
  CHECK(past.exit_code == 0);
  CHECK(past.out.find("KZ-PAY-001") != std::string::npos);
  auto none = run("explain " + kProfiles + " --declarations " + path + " --declaration NOPE");
  CHECK(none.exit_code == 5);
  CHECK(none.err.find("1 declaration was rejected") != std::string::npos);

  // Standard input works as for run; a key with a control character is shown harmless.
  auto piped = e2e::sh("\"$TAUEKEL\" explain " + kProfiles + " --declarations - --input-format csv --declaration "
                       "$'A\\x1b[31mB' < " + kCsv);
  CHECK(piped.exit_code == 5);
  CHECK(piped.err.find('\x1b') == std::string::npos);
}
