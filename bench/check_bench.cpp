// Front-end speed: parse and check 5,000 generated profiles (target: at most 1 s), and
// `tauekel check` on one file with process start included (target: at most 50 ms).
// Baseline beside each: just reading the same bytes.

#include <fmt/format.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/generator.h"
#include "bench/timing.h"
#include "compiler/frontend.h"

extern char** environ;

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

double runProcess(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  double start = bench::nowSeconds();
  pid_t pid;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) return -1;
  int status;
  waitpid(pid, &status, 0);
  double elapsed = bench::nowSeconds() - start;
  posix_spawn_file_actions_destroy(&actions);
  return elapsed;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  size_t profiles = argc > 1 ? std::stoul(argv[1]) : 5000;
  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-check-bench-{}", getpid());
  bench::ProfileSetOptions options;
  options.profiles = profiles;
  auto paths = bench::writeProfileRepository(dir.string(), options);
  size_t bytes = 0;
  for (const auto& p : paths) bytes += fs::file_size(p);
  fmt::print("front end: {} generated profiles in {} files, {:.1f} KiB\n", profiles, paths.size(), bytes / 1024.0);

  // Baseline: reading the files.
  std::vector<double> read_times, compile_times, memory_times;
  for (int i = 0; i < 5; ++i) {
    double t0 = bench::nowSeconds();
    size_t total = 0;
    for (const auto& p : paths) total += readAll(p).size();
    read_times.push_back(bench::nowSeconds() - t0);
    if (total != bytes) return 1;
  }
  std::vector<SourceText> texts;
  for (const auto& p : paths) texts.push_back(SourceText{p, readAll(p), true});
  for (int i = 0; i < 5; ++i) {
    double t0 = bench::nowSeconds();
    CompileOptions co;
    co.inputs = {dir.string()};
    auto c = compile(co);
    compile_times.push_back(bench::nowSeconds() - t0);
    if (!c || !(*c)->ok()) {
      fmt::print("unexpected diagnostics in the generated repository\n");
      return 1;
    }
    if ((*c)->program->profiles.size() != profiles) return 1;
    t0 = bench::nowSeconds();
    auto m = compileTexts(texts);
    memory_times.push_back(bench::nowSeconds() - t0);
  }
  auto read = bench::summarize(read_times), full = bench::summarize(compile_times), mem = bench::summarize(memory_times);
  fmt::print("  read files (baseline)            median {:8.2f} ms\n", read.median * 1e3);
  fmt::print("  parse + check, from memory       median {:8.2f} ms  min {:8.2f} ms\n", mem.median * 1e3, mem.min * 1e3);
  fmt::print("  parse + check, from disk         median {:8.2f} ms  min {:8.2f} ms  (target <= 1000 ms)\n",
             full.median * 1e3, full.min * 1e3);
  fmt::print("  per profile                      {:8.1f} us\n", full.median * 1e6 / static_cast<double>(profiles));

  // One file through the CLI, process start included: a small repository of its own
  // (the file, plus the reference file it uses as context).
  bench::ProfileSetOptions small;
  small.profiles = 20;
  auto small_paths = bench::writeProfileRepository((dir / "small").string(), small);
  std::string one = small_paths.back();
  std::vector<double> cli_times, true_times;
  for (int i = 0; i < 30; ++i) {
    cli_times.push_back(runProcess({TAUEKEL_BINARY, "check", "--quiet", one}));
    true_times.push_back(runProcess({"/bin/true"}));
  }
  auto cli = bench::summarize(cli_times), start = bench::summarize(true_times);
  fmt::print("check one file (20 profiles) via `tauekel check`, process start included:\n");
  fmt::print("  /bin/true (baseline)             median {:8.2f} ms\n", start.median * 1e3);
  fmt::print("  tauekel check                    median {:8.2f} ms  p90 {:8.2f} ms  (target <= 50 ms)\n",
             cli.median * 1e3, cli.p90 * 1e3);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
