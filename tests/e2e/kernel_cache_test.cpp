// The kernel cache as `tauekel run` uses it: a second run loads what the first
// compiled and decides the same; a damaged entry is noticed, compiled again and
// rewritten; a cache that cannot be written is a warning, not a failure; processes
// sharing the folder at once leave it whole.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/e2e/cli_runner.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

const std::string kRun =
    "run --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv "
    "--persons examples/eaeu/data/persons.csv --verbose ";

std::string golden() { return e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/tests/decisions/eaeu.jsonl"); }

// "N shapes compiled" and "M loaded from the kernel cache" in the summary.
std::pair<int, int> compiledAndLoaded(const std::string& summary) {
  std::smatch m;
  int compiled = -1, loaded = 0;
  if (std::regex_search(summary, m, std::regex("(\\d+) shapes compiled"))) compiled = std::stoi(m[1]);
  if (std::regex_search(summary, m, std::regex("(\\d+) loaded from the kernel cache"))) loaded = std::stoi(m[1]);
  return {compiled, loaded};
}

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("kernel cache: a second run loads every kernel and decides the same") {
  e2e::Scratch dir;
  std::string cache = (dir.path() / "cache").string();
  auto first = e2e::run(kRun + "--cache-dir '" + cache + "'");
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == golden());
  auto [compiled, loaded] = compiledAndLoaded(first.err);
  CHECK(compiled > 10);
  CHECK(loaded == 0);
  CHECK(entries(cache).size() == static_cast<size_t>(compiled));

  auto second = e2e::run(kRun + "--cache-dir '" + cache + "'");
  REQUIRE(second.exit_code == 0);
  CHECK(second.out == golden());
  CHECK(compiledAndLoaded(second.err) == std::pair<int, int>{0, compiled});

  // --no-cache compiles everything and keeps nothing.
  e2e::Scratch elsewhere;
  auto none = e2e::sh("XDG_CACHE_HOME='" + elsewhere.path().string() + "' \"$TAUEKEL\" " + kRun + "--no-cache");
  REQUIRE(none.exit_code == 0);
  CHECK(none.out == golden());
  CHECK(compiledAndLoaded(none.err).first == compiled);
  CHECK(fs::is_empty(elsewhere.path()));
  // Without --cache-dir, the cache is under $XDG_CACHE_HOME.
  auto by_default = e2e::sh("XDG_CACHE_HOME='" + elsewhere.path().string() + "' \"$TAUEKEL\" " + kRun);
  REQUIRE(by_default.exit_code == 0);
  CHECK(entries(elsewhere.path() / "tauekel" / "kernels").size() == static_cast<size_t>(compiled));

  auto both = e2e::run(kRun + "--no-cache --cache-dir '" + cache + "'");
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("contradict") != std::string::npos);
}

TEST_CASE("kernel cache: damaged entries are compiled again and rewritten, never run") {
  e2e::Scratch dir;
  std::string cache = (dir.path() / "cache").string();
  REQUIRE(e2e::run(kRun + "--cache-dir '" + cache + "'").exit_code == 0);
  auto all = entries(cache);
  REQUIRE(all.size() >= 3);
  auto size = fs::file_size(all[0]);
  // Truncated, one byte of code flipped, and replaced by garbage.
  fs::resize_file(all[0], size / 2);
  {
    std::fstream f(all[1], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(all[1]) - 100));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(fs::file_size(all[1]) - 100));
    c = static_cast<char>(c ^ 0x5A);
    f.write(&c, 1);
  }
  std::ofstream(all[2], std::ios::binary | std::ios::trunc) << "not a kernel";

  auto again = e2e::run(kRun + "--cache-dir '" + cache + "'");
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == golden());
  auto [compiled, loaded] = compiledAndLoaded(again.err);
  CHECK(compiled == 3);
  CHECK(loaded == static_cast<int>(all.size()) - 3);
  CHECK(fs::file_size(all[0]) == size);  // rewritten whole
  auto third = e2e::run(kRun + "--cache-dir '" + cache + "'");
  CHECK(compiledAndLoaded(third.err).first == 0);
}

TEST_CASE("kernel cache: a folder that cannot be written is a warning, and the run goes on") {
  e2e::Scratch dir;
  std::string blocked = dir.write("not-a-folder", "a file where the cache folder would be");
  auto r = e2e::run(kRun + "--cache-dir '" + blocked + "'");
  CHECK(r.exit_code == 0);
  CHECK(r.out == golden());
  CHECK(r.err.find("cannot make the kernel cache folder") != std::string::npos);
  CHECK(r.err.find("compiled again next time") != std::string::npos);
}

TEST_CASE("kernel cache: processes filling one folder at once leave it whole") {
  e2e::Scratch dir;
  std::string cache = (dir.path() / "cache").string();
  std::string script;
  for (int i = 0; i < 4; ++i)
    script += "\"$TAUEKEL\" " + kRun + "--quiet --cache-dir '" + cache + "' > '" + (dir.path() / "out").string() +
              std::to_string(i) + "' & ";
  script += "wait";
  REQUIRE(e2e::sh(script).exit_code == 0);
  for (int i = 0; i < 4; ++i) CHECK(e2e::readAll(dir.path() / ("out" + std::to_string(i))) == golden());
  for (const auto& e : entries(cache)) CHECK(e.extension() == ".kernel");  // no temporary left
  auto after = e2e::run(kRun + "--cache-dir '" + cache + "'");
  CHECK(after.out == golden());
  CHECK(compiledAndLoaded(after.err).first == 0);
}
