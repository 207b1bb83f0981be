// End to end: a CSV file of generated declarations screened by `tauekel run` (compiled
// engine, decisions written to /dev/null), beside the baseline of only reading the same
// CSV file. Then the peak memory of the CLI for 1 and 10 million goods items streamed
// through a pipe to its standard input, to show memory stays flat in the input size.
//
//   run_bench [items] [profiles]     defaults: 1000000 1000
//
// TAUEKEL_BENCH_KEEP=1 keeps the generated files (their directory is printed), to profile
// `tauekel run` on them.

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "bench/generator.h"
#include "bench/timing.h"
#include "engine/run.h"
#include "support/csv.h"

extern char** environ;

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

// Peak resident memory (MiB) of `tauekel run` on `items` generated goods items, fed
// through a pipe to its standard input so nothing of the input is on disk.
double peakMemory(const fs::path& dir, const fs::path& repo, uint64_t items) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  std::vector<std::string> argv = {TAUEKEL_BINARY, "run", "-q", "--profiles", repo.string(), "--declarations",
                                   "-", "--persons", (dir / "persons.csv").string(), "--out", "/dev/null"};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  pid_t pid;
  double peak = -1;
  int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[0]);
  std::FILE* f = fdopen(fds[1], "wb");
  bench::DeclarationOptions d;
  d.items = items;
  bench::writeDeclarations(f, d);
  std::fclose(f);
  if (spawned == 0) {
    int status;
    struct rusage usage{};
    wait4(pid, &status, 0, &usage);
    peak = usage.ru_maxrss / 1024.0;
  }
  return peak;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t items = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
  size_t profiles = argc > 2 ? std::stoul(argv[2]) : 1000;
  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-run-bench-{}", getpid());
  fs::create_directories(dir);
  fs::path repo = dir / "profiles";
  bench::ProfileSetOptions po;
  po.profiles = profiles;
  bench::writeProfileRepository(repo.string(), po);
  fs::path csv_path = dir / "declarations.csv";
  bench::writeDataset(dir.string(), items);
  auto bytes = fs::file_size(csv_path);
  fmt::print("end to end: {} goods items, {:.0f} MiB of CSV, {} profiles; decisions to /dev/null\n", items,
             bytes / 1048576.0, profiles);

  // Baseline: reading the CSV, every field of every row, and nothing else.
  std::vector<double> reads;
  for (int rep = 0; rep < 3; ++rep) {
    double t = bench::nowSeconds();
    auto reader = csv::Reader::open(csv_path.string());
    uint64_t rows = 0, chars = 0;
    while ((*reader)->next() == csv::Reader::Status::Record) {
      ++rows;
      for (size_t i = 0; i < (*reader)->size(); ++i) chars += (*reader)->field(i).size();
    }
    reads.push_back(bench::nowSeconds() - t);
    if (rows != items + 1 || chars == 0) return 1;
  }
  double read_rate = static_cast<double>(items) / bench::summarize(reads).min;

  // One thread and two, alternating, so that both see the same state of a shared machine.
  std::vector<double> runs[2];
  engine::RunSummary last;
  for (int rep = 0; rep < 4; ++rep)
    for (size_t threads : {size_t{1}, size_t{2}}) {
      engine::RunOptions options;
      options.profiles = repo.string();
      options.declarations = csv_path.string();
      options.persons = (dir / "persons.csv").string();
      options.out = "/dev/null";
      options.threads = threads;
      auto result = engine::run(options);
      if (auto* error = std::get_if<engine::RunError>(&result)) {
        fmt::print(stderr, "run failed: {}\n", error->message);
        return 1;
      }
      last = std::get<engine::RunSummary>(result);
      runs[threads - 1].push_back(last.run_seconds);
    }
  double one = static_cast<double>(items) / bench::summarize(runs[0]).min;
  double two = static_cast<double>(items) / bench::summarize(runs[1]).min;
  fmt::print("  read the CSV only (baseline)       {:>12.0f} items/s\n", read_rate);
  fmt::print("  tauekel run, 1 thread              {:>12.0f} items/s  ({:.0f}% of reading; target >= 2,000,000)\n",
             one, 100.0 * one / read_rate);
  fmt::print("  tauekel run, 2 threads             {:>12.0f} items/s  ({:.2f}x one thread; target >= 1.8x)\n", two,
             two / one);
  fmt::print("  screening times, best and median: 1 thread {:.3f} / {:.3f} s, 2 threads {:.3f} / {:.3f} s\n",
             bench::summarize(runs[0]).min, bench::summarize(runs[0]).median, bench::summarize(runs[1]).min,
             bench::summarize(runs[1]).median);
  fmt::print("  prepare (compile profiles, load persons) {:.3f} s; {} declarations, {} selected\n", last.compile_seconds,
             last.declarations.declarations, last.decisions.selected);

  fmt::print("peak memory of `tauekel run` with the input streamed through a pipe:\n");
  for (uint64_t n : {uint64_t{1'000'000}, uint64_t{10'000'000}})
    fmt::print("  {:>10} goods items              {:>8.1f} MiB\n", n, peakMemory(dir, repo, n));
  if (std::getenv("TAUEKEL_BENCH_KEEP")) {
    fmt::print("generated files kept in {}\n", dir.string());
    return 0;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
