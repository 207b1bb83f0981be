// What each audience sees: officers and declarants get nothing of the profiles' contents
// (no condition, indicator, list or table name, threshold, title), checked two ways on
// every decision of the examples: every member and every value of their output is one
// they may see (an allow-list), and no confidential text of the repository appears in it
// (a deny-list drawn from the repository and from the analyst's explanations).

#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "support/json.h"
#include "tests/common/serve_process.h"
#include "tests/e2e/cli_runner.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

const std::string kSource = TAUEKEL_SOURCE_DIR;
const std::string kEaeu = "--profiles examples/eaeu --persons examples/eaeu/data/persons.csv";


std::string sourcesOf(const fs::path& repo) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(repo))
    if (e.path().extension() == ".risk") all += e2e::readAll(e.path()) + "\n";
  all += e2e::readAll(kSource + "/stdlib/std/eaeu/measures.risk");
  all += e2e::readAll(kSource + "/stdlib/std/eaeu/areas.risk");
  return all;
}

std::vector<std::string> matches(const std::string& text, const std::string& pattern) {
  std::vector<std::string> out;
  std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

// What officers and declarants may see of the repository, and what they may not.
struct Vocabulary {
  std::set<std::string> allowed;       // values: keys, ids, areas, measures, words, instructions
  std::vector<std::string> forbidden;  // texts: names, titles, conditions, values read
};

Vocabulary vocabulary(const fs::path& repo, const std::string& analyst_explained) {
  Vocabulary v;
  std::string sources = sourcesOf(repo);
  for (const char* word : {"low", "medium", "high", "green", "blue", "yellow", "red", "liability", "arrears",
                           "declarant", "consignee", "sender"})
    v.allowed.insert(word);
  for (const auto& m : matches(sources, "measure ([A-Z_]+) ")) v.allowed.insert(m);
  for (const auto& a : matches(sources, "area ([A-Z_]+)")) v.allowed.insert(a);
  for (const auto& i : matches(sources, "instructions \"([^\"]*)\"")) v.allowed.insert(i);
  v.allowed.insert("");  // a profile without instructions
  for (const auto& name : matches(sources, "\\bindicator ([a-z_0-9]+)\\(")) v.forbidden.push_back(name + "(");
  for (const auto& name : matches(sources, "\\b(?:list|table) ([a-z_0-9]+) *:")) v.forbidden.push_back(name);
  for (const auto& title : matches(sources, "\\btitle +\"([^\"]*)\"")) v.forbidden.push_back(title);
  // Every condition the analyst is shown, and every value name it read.
  for (const auto& d : e2e::jsonLines(analyst_explained)) {
    v.allowed.insert(d.find("declaration")->asString());
    for (const auto& p : d.find("profiles")->asArray()) {
      v.allowed.insert(p.find("id")->asString());
      std::vector<const json::Value*> pending;
      for (const auto& r : p.find("explanation")->asArray()) pending.push_back(&r);
      while (!pending.empty()) {
        const json::Value* r = pending.back();
        pending.pop_back();
        for (const char* kind : {"condition", "indicator", "items"})
          if (const auto* text = r->find(kind)) v.forbidden.push_back(text->asString());
        // A table's row read (`ref_price[6403]`); plain field names are the declaration's own.
        if (const auto* values = r->find("values"))
          for (const auto& [name, value] : values->asObject())
            if (name.find('[') != std::string::npos) v.forbidden.push_back(name);
        if (const auto* because = r->find("because"))
          for (const auto& b : because->asArray()) pending.push_back(&b);
      }
    }
  }
  return v;
}

// Every member is one the audience's form has, every string one it may see, every
// number a goods item's.
void checkAllowed(const json::Value& v, const Vocabulary& vocabulary, const std::set<std::string>& members,
                  const std::string& where) {
  CAPTURE(where);
  if (v.isObject()) {
    for (const auto& [name, member] : v.asObject()) {
      CHECK_MESSAGE(members.count(name) == 1, "member \"" << name << "\" at " << where);
      checkAllowed(member, vocabulary, members, where + "." + name);
    }
  } else if (v.isArray()) {
    for (const auto& e : v.asArray()) checkAllowed(e, vocabulary, members, where + "[]");
  } else if (v.isString()) {
    bool reason_text = where.size() >= 5 && where.compare(where.size() - 5, 5, ".text") == 0;
    if (!reason_text) CHECK_MESSAGE(vocabulary.allowed.count(v.asString()) == 1, "\"" << v.asString() << "\" at " << where);
  } else if (v.isNumber()) {
    CHECK_MESSAGE(where.find(".items[]") != std::string::npos, "a number at " << where);
  }
}

void checkNothingForbidden(const std::string& output, const Vocabulary& vocabulary) {
  for (const auto& secret : vocabulary.forbidden) {
    if (secret.size() < 4) continue;  // too short to tell from a word of the output
    CHECK_MESSAGE(output.find(secret) == std::string::npos, "confidential \"" << secret << "\" in the output");
  }
}

const std::set<std::string> kOfficerMembers = {"declaration", "selected", "level", "corridor", "measures",
                                               "profiles", "id", "area", "items", "instructions", "random"};
const std::set<std::string> kDeclarantMembers = {"declaration", "corridor", "measures", "reasons", "kind", "person",
                                                 "text"};

}  // namespace

TEST_CASE("audience: officer and declarant output of every example holds nothing confidential") {
  struct Example {
    std::string repo, args;
  };
  std::vector<Example> examples = {
      {"examples/eaeu", kEaeu + " --declarations examples/eaeu/data/declarations.csv"},
      {"examples/eaeu", kEaeu + " --declarations examples/eaeu/data/declarations.jsonl"}};
  // The KCS example reads a data set kept outside the repository, when it is there.
  std::string kcs = kSource + "/../shared/data/kcs/data_df_syn_valid_eng.csv";
  if (fs::exists(kcs)) examples.push_back({"examples/kcs", "--profiles examples/kcs --declarations " + kcs});
  for (const auto& example : examples) {
    CAPTURE(example.args);
    auto analyst = e2e::run("run -q --explain " + example.args);
    REQUIRE(analyst.exit_code == 0);
    Vocabulary vocab = vocabulary(kSource + "/" + example.repo, analyst.out);
    REQUIRE(vocab.forbidden.size() > 20);

    auto officer = e2e::run("run -q --audience officer " + example.args);
    REQUIRE(officer.exit_code == 0);
    auto declarant = e2e::run("run -q --audience declarant " + example.args);
    REQUIRE(declarant.exit_code == 0);
    auto officers = e2e::jsonLines(officer.out), declarants = e2e::jsonLines(declarant.out), analysts = e2e::jsonLines(analyst.out);
    REQUIRE(officers.size() == analysts.size());
    REQUIRE(declarants.size() == analysts.size());
    for (size_t i = 0; i < analysts.size(); ++i) {
      checkAllowed(officers[i], vocab, kOfficerMembers, "officer line " + std::to_string(i + 1));
      checkAllowed(declarants[i], vocab, kDeclarantMembers, "declarant line " + std::to_string(i + 1));
      // The officer acts on the same decision: the same measures, corridor and profiles.
      CHECK(officers[i].find("corridor")->asString() == analysts[i].find("corridor")->asString());
      CHECK(officers[i].find("profiles")->asArray().size() == analysts[i].find("profiles")->asArray().size());
    }
    checkNothingForbidden(officer.out, vocab);
    checkNothingForbidden(declarant.out, vocab);
  }
}

TEST_CASE("audience: officers get each profile's instructions, declarants the public reasons only") {
  auto officer = e2e::run("explain --audience officer " + kEaeu +
                          " --declarations examples/eaeu/data/declarations.csv --declaration 55215031/120126/0001911");
  INFO(officer.err);
  CHECK(officer.exit_code == 0);
  CHECK(officer.out ==
        "declaration 55215031/120126/0001911: selected, level high, corridor yellow\n"
        "  measures: VALUE_CHECK\n"
        "  profile KZ-VAL-001 (area VALUE, level high), goods item 1\n"
        "    measures: VALUE_CHECK\n"
        "    instructions: Request the contract, invoice, payment and transport documents; examine the goods for "
        "quality and brand against the price declared.\n");

  // A person liable for offences over a threshold: the declarant hears of the liability,
  // not of the threshold, nor of the profile.
  auto declarant = e2e::run("explain --audience declarant " + kEaeu +
                            " --declarations examples/eaeu/data/declarations.csv --declaration "
                            "55204001/110226/0008238");
  CHECK(declarant.exit_code == 0);
  CHECK(declarant.out ==
        "declaration 55204001/110226/0008238: corridor red\n"
        "  measure INSPECTION: Customs inspection\n"
        "  measure PAYMENT_SECURITY: Security for payment of customs duties\n"
        "  measure VALUE_CHECK: Additional check of the customs value\n"
        "  reason: the declarant was brought to liability for customs offences\n");
  auto json = e2e::run("explain --format json --audience declarant " + kEaeu +
                       " --declarations examples/eaeu/data/declarations.csv --declaration 55209041/140126/0002353");
  CHECK(json.out ==
        "{\"declaration\":\"55209041/140126/0002353\",\"corridor\":\"yellow\",\"measures\":[\"PAYMENT_SECURITY\","
        "\"DOC_CHECK\"],\"reasons\":[{\"kind\":\"arrears\",\"person\":\"declarant\",\"text\":\"declarant has arrears "
        "of customs payments\"}]}\n");

  // Explanations are the analyst's: asked for another audience, a usage error.
  for (const char* audience : {"officer", "declarant"}) {
    auto refused = e2e::run(std::string("run -q --explain --audience ") + audience + " " + kEaeu +
                            " --declarations examples/eaeu/data/declarations.csv");
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("only analysts see") != std::string::npos);
    CHECK(refused.out.empty());
  }
}

TEST_CASE("audience: a confidential measure is not told to the declarant, nor the corridor it makes") {
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch);
  // Arrears: surveillance as well as the payment security (yellow both).
  REQUIRE(e2e::replaceInFile(repo / "profiles/payments.risk", "apply  PAYMENT_SECURITY", "apply  SURVEILLANCE, PAYMENT_SECURITY"));
  std::string args = " --profiles " + repo.string() +
                     " --persons examples/eaeu/data/persons.csv --declarations examples/eaeu/data/declarations.csv "
                     "--declaration 55209041/140126/0002353";
  auto analyst = e2e::run("explain --format json" + args);
  INFO(analyst.err);
  REQUIRE(analyst.exit_code == 0);
  CHECK(analyst.out.find("SURVEILLANCE") != std::string::npos);
  auto officer = e2e::run("explain --format json --audience officer" + args);
  CHECK(officer.out.find("SURVEILLANCE") != std::string::npos);
  auto declarant = e2e::run("explain --format json --audience declarant" + args);
  CHECK(declarant.out.find("SURVEILLANCE") == std::string::npos);
  CHECK(declarant.out.find("\"measures\":[\"PAYMENT_SECURITY\",\"DOC_CHECK\"]") != std::string::npos);
}

TEST_CASE("audience: serve answers for its listener's audience, a request narrows it and never widens it") {
  e2e::Scratch dir;
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", kSource + "/examples/eaeu", "--persons",
                             kSource + "/examples/eaeu/data/persons.csv", "--audience", "officer"},
                            (dir.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(60, 0);
  std::string body = e2e::readAll(kSource + "/examples/eaeu/data/declarations.jsonl");
  auto officer = c.Post("/v1/screen", body, "application/x-ndjson");
  REQUIRE(officer);
  CHECK(officer->status == 200);
  CHECK(officer->body.find("\"instructions\":") != std::string::npos);
  CHECK(officer->body.find("below_reference") == std::string::npos);
  auto declarant = c.Post("/v1/screen?audience=declarant", body, "application/x-ndjson");
  REQUIRE(declarant);
  CHECK(declarant->status == 200);
  CHECK(declarant->body.find("\"reasons\":[{\"kind\":\"arrears\"") != std::string::npos);
  CHECK(declarant->body.find("KZ-PAY-001") == std::string::npos);
  for (const char* wider : {"/v1/screen?audience=analyst", "/v1/screen?explain=true"}) {
    auto refused = c.Post(wider, body, "application/x-ndjson");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body.find("KZ-") == std::string::npos);
  }
  auto maybe = c.Post("/v1/screen?explain=maybe", body, "application/x-ndjson");
  REQUIRE(maybe);
  CHECK(maybe->status == 400);
  CHECK(maybe->body.find("explain=\\\"maybe\\\" is not true or false") != std::string::npos);
  auto bad = c.Post("/v1/screen?audience=everyone", body, "application/x-ndjson");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("not one of analyst, officer, declarant") != std::string::npos);

  // An analyst's listener explains when asked, the same explanation run gives.
  test::ServeProcess analyst(TAUEKEL_BINARY,
                             {"--profiles", kSource + "/examples/eaeu", "--persons",
                              kSource + "/examples/eaeu/data/persons.csv"},
                             (dir.path() / "serve2.log").string());
  REQUIRE_MESSAGE(analyst.port() > 0, analyst.log());
  httplib::Client a("127.0.0.1", analyst.port());
  a.set_read_timeout(60, 0);
  auto explained = a.Post("/v1/screen?explain=true", body, "application/x-ndjson");
  REQUIRE(explained);
  CHECK(explained->status == 200);
  auto run = e2e::run("run -q --explain " + kEaeu + " --declarations examples/eaeu/data/declarations.jsonl");
  std::string first_line = run.out.substr(0, run.out.find('\n'));
  std::string second = run.out.substr(first_line.size() + 1);
  second = second.substr(0, second.find('\n'));
  CHECK(explained->body.find(second) != std::string::npos);
}
