#include <doctest/doctest.h>

#include <fstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;

TEST_CASE("coverage: recommended risk areas without a profile in force are the gaps, on the date asked") {
  auto june = e2e::run("coverage --profiles examples/eaeu --as-of 2026-06-01");
  CHECK(june.exit_code == 7);
  CHECK(june.out.find("12 recommended areas: 10 covered, 2 without a profile in force (TECHNICAL_REGULATION, "
                      "TRANSIT)") != std::string::npos);
  CHECK(june.out.find("  VALUE                 Understatement of the customs value: 5 (KZ-VAL-001, KZ-VAL-002, "
                      "KZ-VAL-003, KZ-VAL-004, KZ-VAL-005)") != std::string::npos);
  // Drafts and revoked profiles never count; KZ-VAL-006 is a draft, KZ-PAY-002 revoked.
  CHECK(june.out.find("KZ-VAL-006") == std::string::npos);
  CHECK(june.out.find("KZ-PAY-002") == std::string::npos);

  // After most validities end, fewer areas are covered; before any begins, none.
  auto later = e2e::run("coverage --format json --profiles examples/eaeu --as-of 2027-06-01");
  CHECK(later.exit_code == 7);
  auto doc = json::parse(later.out);
  REQUIRE(doc);
  CHECK(doc->find("date")->asString() == "2027-06-01");
  size_t gaps = doc->find("gaps")->asArray().size();
  CHECK(gaps > 2);
  CHECK(gaps < 12);
  auto before = e2e::run("coverage --format json --profiles examples/eaeu --as-of 2024-01-01");
  CHECK(json::parse(before.out)->find("gaps")->asArray().size() == 12);

  // A repository without recommended areas has no gap to report.
  auto kcs = e2e::run("coverage --profiles examples/kcs --as-of 2021-06-01");
  CHECK(kcs.exit_code == 0);
  CHECK(kcs.out.find("0 recommended areas: 0 covered") != std::string::npos);
}

TEST_CASE("coverage: with trusted keys only signed approvals count") {
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch, "repo");
  auto key = scratch.path() / "k.key";
  auto made = e2e::run("keygen --out " + key.string() + " --name K");
  REQUIRE(made.exit_code == 0);
  std::ofstream(scratch.path() / "trusted.keys") << made.out;
  std::string args = "coverage --as-of 2026-06-01 --profiles " + repo.string() + " --trusted-keys " +
                     (scratch.path() / "trusted.keys").string();
  auto none = e2e::run(args);
  CHECK(none.exit_code == 7);
  CHECK(none.out.find("12 without a profile in force") != std::string::npos);
  CHECK(none.out.find("not counted, without a valid signed approval: KZ-VAL-001") != std::string::npos);
  REQUIRE(e2e::run("approve --all --profiles " + repo.string() + " --key " + key.string()).exit_code == 0);
  auto signed_ = e2e::run(args);
  CHECK(signed_.out.find("10 covered, 2 without a profile in force") != std::string::npos);
  auto bad_date = e2e::run("coverage --profiles examples/eaeu --as-of 2026-13-01");
  CHECK(bad_date.exit_code == 2);
  CHECK(bad_date.err.find("not a date") != std::string::npos);
}
