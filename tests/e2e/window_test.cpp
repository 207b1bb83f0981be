// The after-release window: after-release profiles select only declarations released
// within it before the as-of date; the summary counts the others.

#include <doctest/doctest.h>

#include <fstream>

#include "cli_runner.h"
#include "compiler/sema/program.h"
#include "support/date.h"

using namespace tauekel;

namespace {
const std::string kArgs = " --persons examples/eaeu/data/persons.csv --declarations "
                          "examples/eaeu/data/declarations.csv --stage after_release";
}

TEST_CASE("window: after release, declarations outside the Code's three years are counted, not selected") {
  // KZ-TDM-003 selects one declaration of 2026-01-12 .. 2026-01-14 (the anti-dumping
  // steel without special duty).
  auto in = e2e::run("run --profiles examples/eaeu --as-of 2029-01-10" + kArgs);
  INFO(in.err);
  CHECK(in.exit_code == 0);
  CHECK(in.out.find("KZ-TDM-003") != std::string::npos);
  CHECK(in.err.find("after release: 1 declaration released outside the window 2026-01-11 .. 2029-01-10, not selected") !=
        std::string::npos);
  auto out = e2e::run("run --profiles examples/eaeu --as-of 2029-06-01" + kArgs);
  CHECK(out.exit_code == 0);
  CHECK(out.out.find("KZ-TDM-003") == std::string::npos);
  CHECK(out.err.find("57 declarations released outside the window 2026-06-02 .. 2029-06-01") != std::string::npos);
  // Before release there is no window.
  auto before = e2e::run("run --profiles examples/eaeu --as-of 2029-06-01 --persons examples/eaeu/data/persons.csv "
                         "--declarations examples/eaeu/data/declarations.csv");
  CHECK(before.err.find("after release") == std::string::npos);
}

TEST_CASE("window: a repository declares its own window, once, in days, months or years") {
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch);
  std::ofstream(repo / "window.risk") << "package kz.risk\n\nwindow after_release 30 months\n";
  auto r = e2e::run("run --profiles " + repo.string() + " --as-of 2028-07-01" + kArgs);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("outside the window 2026-01-02 .. 2028-07-01") != std::string::npos);

  std::ofstream(repo / "window2.risk") << "package kz.risk\n\nwindow after_release 2 years\n";
  auto twice = e2e::run("check " + repo.string());
  CHECK(twice.exit_code == 1);
  CHECK(twice.out.find("error[TK203]: the after-release window is declared twice") != std::string::npos);
  std::ofstream(repo / "window2.risk") << "package kz.risk\n\nwindow after_release 2 fortnights\n";
  auto unit = e2e::run("check " + repo.string());
  CHECK(unit.out.find("a window is in days, months or years, not `fortnights`") != std::string::npos);
  std::ofstream(repo / "window2.risk") << "package kz.risk\n\nwindow before_release 2 years\n";
  auto kind = e2e::run("check " + repo.string());
  CHECK(kind.out.find("a window is for `after_release`") != std::string::npos);
  std::ofstream(repo / "window2.risk") << "package kz.risk\n\nwindow after_release 0 days\n";
  CHECK(e2e::run("check " + repo.string()).out.find("at least 1") != std::string::npos);
}

TEST_CASE("window: the first day counts back whole months and years, the 29th of February included") {
  sema::AfterReleaseWindow w;
  w.defined = true;
  w.amount = 3;
  w.unit = sema::AfterReleaseWindow::Unit::Years;
  CHECK(date::format(w.firstDay(*date::parse("2026-06-01"))) == "2023-06-02");
  CHECK(date::format(w.firstDay(*date::parse("2027-02-28"))) == "2024-02-29");
  w.amount = 1;
  CHECK(date::format(w.firstDay(*date::parse("2025-02-28"))) == "2024-02-29");
  CHECK(date::format(w.firstDay(*date::parse("2024-02-29"))) == "2023-03-01");
  w.unit = sema::AfterReleaseWindow::Unit::Months;
  w.amount = 1;
  CHECK(date::format(w.firstDay(*date::parse("2026-03-31"))) == "2026-03-01");
  w.unit = sema::AfterReleaseWindow::Unit::Days;
  w.amount = 10;
  CHECK(date::format(w.firstDay(*date::parse("2026-03-10"))) == "2026-03-01");
}
