// `tauekel run --threads N`: the same bytes out for any number of threads and any batch
// size, the same stop on a bad row, the same refusal of a full output.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"

using namespace tauekel;

namespace {
const std::string kRun =
    "run --quiet --no-cache --profiles examples/eaeu --persons examples/eaeu/data/persons.csv --declarations ";
}

TEST_CASE("threads: the decisions are the same bytes for 1 to 4 threads and any batch size") {
  e2e::Scratch dir;
  // The example many times over under new keys, so that there are many batches.
  std::string declarations = dir.write("d.csv", e2e::exampleDeclarations(3000));
  auto one = e2e::run(kRun + "'" + declarations + "' --threads 1");
  REQUIRE(one.exit_code == 0);
  REQUIRE(one.out.size() > 100000);
  for (int threads : {2, 3, 4})
    for (int batch : {1, 7, 64, 4096, 16384}) {
      CAPTURE(threads);
      CAPTURE(batch);
      auto many = e2e::run(kRun + "'" + declarations + "' --threads " + std::to_string(threads) + " --batch-items " +
                           std::to_string(batch));
      CHECK(many.exit_code == 0);
      CHECK(many.out == one.out);
    }
  auto summary = e2e::run("run --no-cache --profiles examples/eaeu --persons examples/eaeu/data/persons.csv "
                          "--declarations '" + declarations + "' --threads 2 --out '" + (dir.path() / "o").string() + "'");
  auto summary_one = e2e::run("run --no-cache --profiles examples/eaeu --persons examples/eaeu/data/persons.csv "
                              "--declarations '" + declarations + "' --threads 1 --out '" + (dir.path() / "p").string() + "'");
  // The counts in the summary agree too (from the persons' line to the corridors'; the
  // others say how long things took).
  auto counts = [](const std::string& err) {
    size_t from = err.find("persons:");
    return err.substr(from, err.find("time:") - from);
  };
  CHECK(counts(summary.err) == counts(summary_one.err));
  CHECK(counts(summary.err).find("3065 screened") != std::string::npos);
}

TEST_CASE("threads: a bad row stops the run after the same decisions, a full output is exit 4") {
  e2e::Scratch dir;
  std::string csv = e2e::exampleDeclarations(500);
  // A broken row two thirds in.
  size_t at = 0;
  for (int i = 0; i < 400; ++i) at = csv.find('\n', at) + 1;
  csv.insert(at, "BROKEN,not-a-date,IM\n");
  std::string declarations = dir.write("d.csv", csv);
  auto one = e2e::run(kRun + "'" + declarations + "' --threads 1 --batch-items 16");
  auto two = e2e::run(kRun + "'" + declarations + "' --threads 2 --batch-items 16");
  CHECK(one.exit_code == 3);
  CHECK(two.exit_code == 3);
  CHECK(two.out == one.out);
  CHECK(two.err == one.err);

  auto full = e2e::run(kRun + "'" + declarations + "' --threads 2 --on-error skip --out /dev/full");
  CHECK(full.exit_code == 4);
  CHECK(full.err.find("/dev/full") != std::string::npos);
  CHECK(e2e::run(kRun + "'" + declarations + "' --threads 0").exit_code == 2);
}

TEST_CASE("threads: rejected rows, unreadable rows and keys that come back are reported alike on any threads") {
  e2e::Scratch dir;
  std::string csv = e2e::exampleDeclarations(400);
  std::vector<std::string> lines;
  for (size_t at = 0; at < csv.size();) {
    size_t end = csv.find('\n', at);
    lines.push_back(csv.substr(at, end - at + 1));
    at = end + 1;
  }
  std::string gen5 = lines[lines.size() - 400 + 5];  // the row of declaration GEN5
  auto insert = [&](size_t at, const std::string& row) { lines.insert(lines.begin() + static_cast<long>(at), row); };
  insert(lines.size() - 20, gen5);                           // GEN5 again, far from its first row: rejected
  insert(lines.size() - 60, "abc\"def,x\n");                 // unreadable, its key too: both neighbours rejected
  insert(lines.size() - 120, "BROKEN1,not-a-date,IM\n");     // a bad date (and too few fields)
  insert(lines.size() - 200, "CR1,2026-01-08\rIM\n");       // a carriage return alone
  insert(40, "\n\n");                                        // blank lines: line numbers must not move
  std::string text;
  for (const auto& l : lines) text += l;
  std::string declarations = dir.write("d.csv", text);
  auto withoutTimes = [](const std::string& err) {
    std::string out;
    for (size_t at = 0; at < err.size();) {
      size_t end = err.find('\n', at);
      std::string line = err.substr(at, end - at + 1);
      if (line.rfind("time:", 0) != 0 && line.rfind("profiles:", 0) != 0) out += line;  // they hold times
      at = end == std::string::npos ? err.size() : end + 1;
    }
    return out;
  };
  const std::string run = "run --no-cache --on-error skip --profiles examples/eaeu --persons "
                          "examples/eaeu/data/persons.csv --declarations '" + declarations + "' --out /dev/stdout";
  auto one = e2e::run(run + " --threads 1");
  CHECK(one.exit_code == 3);
  CHECK(one.err.find("already appeared at line") != std::string::npos);
  CHECK(one.err.find("quote inside unquoted field") != std::string::npos);
  CHECK(one.err.find("is not a date") != std::string::npos);
  CHECK(one.err.find("carriage return") != std::string::npos);
  for (int threads : {2, 3})
    for (int batch : {1, 3, 16, 4096}) {
      CAPTURE(threads);
      CAPTURE(batch);
      auto many = e2e::run(run + " --threads " + std::to_string(threads) + " --batch-items " + std::to_string(batch));
      CHECK(many.exit_code == 3);
      CHECK(many.out == one.out);
      CHECK(withoutTimes(many.err) == withoutTimes(one.err));
    }
}

TEST_CASE("threads: a declaration too long to cut past is read on by one thread, and decided as one thread does") {
  // 20,000 goods items under one key (4 MB): with small blocks no cut may fall within the
  // bound, so the rest of the input from there is read in order by one thread; the
  // declarations before and after decide as with one thread, and so does it.
  e2e::Scratch dir;
  std::string csv = e2e::exampleDeclarations(200);
  size_t first = csv.find('\n') + 1;
  std::string row = csv.substr(first, csv.find('\n', first) + 1 - first);
  std::string tail = row.substr(row.find(','));
  std::string rest;
  for (int i = 0; i < 20000; ++i) rest += "LONG1" + tail;
  std::string more = e2e::exampleDeclarations(300).substr(csv.size());  // GEN200..GEN299 after it
  std::string declarations = dir.write("d.csv", csv + rest + more);
  auto one = e2e::run(kRun + "'" + declarations + "' --threads 1 --max-items 30000");
  REQUIRE(one.exit_code == 0);
  for (int batch : {16, 4096}) {
    CAPTURE(batch);
    auto two = e2e::run(kRun + "'" + declarations + "' --threads 2 --max-items 30000 --batch-items " + std::to_string(batch));
    CHECK(two.exit_code == 0);
    CHECK(two.out == one.out);
  }
  CHECK(one.out.find("\"declaration\":\"LONG1\"") != std::string::npos);
  CHECK(one.out.find("\"declaration\":\"GEN299\"") != std::string::npos);
}
