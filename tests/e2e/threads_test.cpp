// `tauekel run --threads N`: the same bytes out for any number of threads and any batch
// size, the same stop on a bad row, the same refusal of a full output.

#include <doctest/doctest.h>

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
    for (int batch : {1, 7, 64, 16384}) {
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
