// The audit log as an auditor meets it: one record per run (completed or not), per
// server start and reload; chained so that any record edited, inserted or removed is
// named; written safely by processes sharing it.

#include <doctest/doctest.h>
#include <httplib.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "support/json.h"
#include "tests/common/serve_process.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {
const std::string kRun = "run -q --profiles examples/eaeu --persons examples/eaeu/data/persons.csv --declarations "
                         "examples/eaeu/data/declarations.csv --out /dev/null --audit-log ";

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void writeLines(const fs::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto& l : lines) out << l << '\n';
}
}  // namespace

TEST_CASE("audit: every run appends a chained record with the operator, input hashes and counts") {
  e2e::Scratch scratch;
  fs::path log = scratch.path() / "audit.log";
  for (int i = 0; i < 2; ++i) CHECK(e2e::run(kRun + log.string() + " --operator analyst1").exit_code == 0);
  auto failed = e2e::run("run -q --profiles examples/eaeu --declarations /nonexistent.csv --audit-log " + log.string());
  CHECK(failed.exit_code == 2);
  auto lines = linesOf(e2e::readAll(log));
  REQUIRE(lines.size() == 3);
  auto first = json::parse(lines[0]);
  REQUIRE(first);
  CHECK(first->find("seq")->numberText() == "1");
  CHECK(first->find("operator")->asString() == "analyst1");
  CHECK(first->find("event")->asString() == "run");
  CHECK(first->find("outcome")->asString() == "completed");
  CHECK(first->find("prev")->asString().empty());
  CHECK(first->find("counts")->find("declarations")->numberText() == "65");
  CHECK(first->find("counts")->find("selected")->numberText() == "34");
  CHECK(first->find("counts")->find("red")->numberText() == "12");
  // The declarations' hash is their SHA-256, as any tool computes it.
  auto sum = e2e::sh("sha256sum examples/eaeu/data/declarations.csv | cut -d' ' -f1");
  CHECK(first->find("inputs")->find("declarations")->asString() == "sha256:" + sum.out.substr(0, 64));
  CHECK(first->find("inputs")->find("profiles")->asString().rfind("sha256:", 0) == 0);
  auto third = json::parse(lines[2]);
  CHECK(third->find("outcome")->asString().find("failed: cannot open /nonexistent.csv") == 0);
  CHECK(third->find("prev")->asString() == json::parse(lines[1])->find("hash")->asString());

  auto verified = e2e::run("audit verify " + log.string());
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("3 records, the chain holds; last hash " + third->find("hash")->asString()) !=
        std::string::npos);
}

TEST_CASE("audit: an edited, removed, inserted or cut record is found and named") {
  e2e::Scratch scratch;
  fs::path log = scratch.path() / "audit.log";
  for (int i = 0; i < 4; ++i) REQUIRE(e2e::run(kRun + log.string()).exit_code == 0);
  auto lines = linesOf(e2e::readAll(log));
  REQUIRE(lines.size() == 4);
  std::string head = json::parse(lines[3])->find("hash")->asString();
  fs::path bad = scratch.path() / "bad.log";

  auto edited = lines;
  size_t at = edited[1].find("\"selected\":34");
  REQUIRE(at != std::string::npos);
  edited[1].replace(at, 13, "\"selected\":1");
  writeLines(bad, edited);
  auto r = e2e::run("audit verify " + bad.string());
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("bad.log:2: record 2 was edited: its content does not match its hash") != std::string::npos);

  writeLines(bad, {lines[0], lines[2], lines[3]});
  r = e2e::run("audit verify " + bad.string());
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("bad.log:2: record 3 follows record 1: 1 record was removed before it") != std::string::npos);

  writeLines(bad, {lines[0], lines[1], lines[1], lines[2], lines[3]});
  r = e2e::run("audit verify " + bad.string());
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("bad.log:3: record 2 comes again or out of order after record 2") != std::string::npos);

  // Cut at the end: only the head kept elsewhere tells.
  writeLines(bad, {lines[0], lines[1], lines[2]});
  CHECK(e2e::run("audit verify " + bad.string()).exit_code == 0);
  r = e2e::run("audit verify " + bad.string() + " --expect-head " + head);
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("records were removed from the end") != std::string::npos);
  CHECK(e2e::run("audit verify " + log.string() + " --expect-head " + head).exit_code == 0);

  // A log that does not end with a record is not continued: the run does not start.
  std::ofstream(bad, std::ios::app) << "{\"seq\":99}\n";
  auto refused = e2e::run(kRun + bad.string());
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("does not end with a record") != std::string::npos);
  auto not_a_file = e2e::run(kRun + scratch.path().string());
  CHECK(not_a_file.exit_code == 2);
  CHECK(not_a_file.err.find("cannot open the audit log") != std::string::npos);
  CHECK(e2e::run("audit verify " + (scratch.path() / "none.log").string()).exit_code == 2);
}

TEST_CASE("audit: runs sharing one log at once keep one chain") {
  e2e::Scratch scratch;
  fs::path log = scratch.path() / "audit.log";
  std::vector<std::thread> runs;
  std::vector<int> codes(6, -1);
  for (size_t i = 0; i < codes.size(); ++i)
    runs.emplace_back([&, i] { codes[i] = e2e::run(kRun + log.string() + " --threads 1").exit_code; });
  for (auto& t : runs) t.join();
  for (int c : codes) CHECK(c == 0);
  auto verified = e2e::run("audit verify " + log.string());
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("6 records, the chain holds") != std::string::npos);
}

TEST_CASE("audit: a server records its start and every reload") {
  e2e::Scratch scratch;
  fs::path log = scratch.path() / "audit.log";
  auto repo = e2e::copyExampleRepository(scratch, "repo");
  {
    test::ServeProcess server(TAUEKEL_BINARY,
                              {"--profiles", repo.string(), "--audit-log", log.string(), "--operator", "ops"},
                              (scratch.path() / "serve.log").string());
    REQUIRE_MESSAGE(server.port() > 0, server.log());
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(60, 0);
    auto reloaded = c.Post("/v1/reload", "", "application/json");
    REQUIRE(reloaded);
    CHECK(reloaded->status == 200);
    REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "level  high", "level  hihg"));
    auto refused = c.Post("/v1/reload", "", "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 422);
  }
  auto lines = linesOf(e2e::readAll(log));
  REQUIRE(lines.size() == 3);
  CHECK(json::parse(lines[0])->find("event")->asString() == "serve-start");
  CHECK(json::parse(lines[0])->find("operator")->asString() == "ops");
  CHECK(json::parse(lines[1])->find("outcome")->asString().find("reloaded") == 0);
  CHECK(json::parse(lines[2])->find("outcome")->asString().find("refused") == 0);
  CHECK(e2e::run("audit verify " + log.string()).exit_code == 0);
}
