// tauekel report: a self-contained HTML page (inline SVG, no script, text from the
// profiles escaped) and the same figures as JSON; the page renders in headless Chromium
// with no console message, and its screenshot is kept as a test artefact.

#include <doctest/doctest.h>

#include <fstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;

namespace {

// A profile whose id would be markup if it were not escaped.
void writeRepository(const std::filesystem::path& repo, const std::string& threshold) {
  std::filesystem::create_directories(repo);
  std::ofstream(repo / "tauekel.project") << "# report test\n";
  std::ofstream(repo / "main.risk") << R"(package t.rp
schema declaration {
  id: string key
  date: date
  office: string
  value: decimal
}
schema item {
  price: decimal
}
schema result {
  declaration: string
  date: date
  violation: bool
  payments: decimal?
}
area VALUE "Undervaluation"
measure EXAM "Physical examination" kind physical strength 50 corridor red
score risk {
  points 1 when declaration.value > 1000
  points 2 when any item: item.price < 10
}
profile "HIGH<script>alert(1)</script>" {
  title "High value"
  area  VALUE
  valid 2026-01-01 ..
  level high
  state approved
  when  declaration.value > )" << threshold << R"(
  apply EXAM
}
)";
}

std::string chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(path)) return path;
  return "";
}

}  // namespace

TEST_CASE("report: an HTML page with charts and the JSON figures, escaped, rendering in Chromium without errors") {
  e2e::Scratch scratch;
  auto repo = scratch.path() / "repo";
  auto before = scratch.path() / "before";
  writeRepository(repo, "1000");
  writeRepository(before, "3000");
  auto decl = (scratch.path() / "declarations.csv").string();
  auto res = (scratch.path() / "results.csv").string();
  std::ofstream(decl) << "id,date,office,value,price\n"
                         "D1,2026-01-05,A,5000,5\nD2,2026-01-20,A,2000,50\nD3,2026-02-07,B,100,3\n"
                         "D4,2026-02-08,B,1500,40\nD5,2026-03-01,A,50,40\n";
  std::ofstream(res) << "declaration,date,violation,payments\n"
                        "D1,2026-01-06,true,300\nD2,2026-01-21,false,\nD3,2026-02-08,true,20\nD4,2026-02-09,false,\n"
                        "D5,2026-03-02,false,\n";
  auto html = scratch.path() / "report.html";
  auto json_path = scratch.path() / "report.json";
  auto r = e2e::run("report --profiles " + repo.string() + " --baseline " + before.string() + " --declarations " + decl +
                    " --results " + res + " --html " + html.string() + " --json " + json_path.string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string page = e2e::readAll(html);
  // Self-contained: no script, nothing fetched; the id shown as text.
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("http://www.w3.org/2000/svg") != std::string::npos);
  CHECK(page.find("HIGH&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  for (const char* chart : {"Declarations selected per profile", "Hit rate per profile",
                            "Selections and violations found per month", "Declarations by corridor",
                            "Precision against the share of declarations inspected",
                            "Declarations selected per profile, now and in the baseline"})
    CHECK_MESSAGE(page.find(chart) != std::string::npos, chart);
  // The JSON is the backtest's, with the baseline in it.
  auto figures = json::parse(e2e::readAll(json_path));
  REQUIRE(figures);
  CHECK(figures->find("metrics")->find("selected")->find("declarations")->asNumber() == 3);
  CHECK(figures->find("baseline")->find("metrics")->find("selected")->find("declarations")->asNumber() == 1);
  auto backtest = e2e::run("backtest --format json --profiles " + repo.string() + " --baseline " + before.string() +
                           " --declarations " + decl + " --results " + res);
  CHECK(backtest.out == e2e::readAll(json_path));

  // An output over an input is refused before anything is read.
  auto over = e2e::run("report --profiles " + repo.string() + " --declarations " + decl + " --results " + res +
                       " --html " + res);
  CHECK(over.exit_code == 2);
  CHECK(e2e::readAll(res).find("D5,2026-03-02") != std::string::npos);

  std::string browser = chromium();
  if (browser.empty()) {
    MESSAGE("skipped the rendering: no chromium (./dev test installs it)");
    return;
  }
  auto artefacts = std::filesystem::path(TAUEKEL_BINARY).parent_path() / "tests" / "artefacts";
  std::filesystem::create_directories(artefacts);
  auto shot = artefacts / "report.png";
  std::filesystem::remove(shot);
  // Console messages reach stderr as "CONSOLE" lines with logging on; a page with a
  // script error would show one.
  auto render = e2e::sh("timeout 120 '" + browser + "' --headless --no-sandbox --disable-gpu --enable-logging=stderr "
                        "--v=0 --window-size=1200,2400 --screenshot='" + shot.string() + "' 'file://" + html.string() +
                        "' 2>&1");
  INFO(render.out);
  CHECK(render.exit_code == 0);
  CHECK(render.out.find("CONSOLE") == std::string::npos);
  REQUIRE(std::filesystem::exists(shot));
  CHECK(std::filesystem::file_size(shot) > 10000);
  auto dom = e2e::sh("timeout 120 '" + browser + "' --headless --no-sandbox --disable-gpu --dump-dom 'file://" +
                     html.string() + "' 2>/dev/null");
  CHECK(dom.out.find("<svg") != std::string::npos);
  CHECK(dom.out.find("Effectiveness of") != std::string::npos);
}
