// Kernel throughput on in-memory batches, per generated profile set of 1, 100, 1,000 and
// 5,000 profiles: the compiled engine, the reference interpreter, and as the physical
// bound a plain memory scan of the columns the profiles read. Also the time until the
// profiles are ready to run (parse, check, lower, plan, compile kernels).
//
//   kernel_bench [items] [profile counts...]      defaults: 1000000  1 100 1000 5000

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "bench/column_scan.h"
#include "bench/generator.h"
#include "bench/timing.h"
#include "compiler/frontend.h"
#include "compiler/ir/ir.h"
#include "engine/screener.h"
#include "runtime/data/person_register.h"
#include "runtime/load/declaration_source.h"

using namespace tauekel;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  uint64_t items = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
  std::vector<size_t> sets;
  for (int i = 2; i < argc; ++i) sets.push_back(std::stoul(argv[i]));
  if (sets.empty()) sets = {1, 100, 1000, 5000};

  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-kernel-bench-{}", getpid());
  fs::create_directories(dir);
  bench::writeDataset(dir.string(), items);
  fmt::print("kernels over {} goods items in memory (generated, skewed); one core\n", items);
  fmt::print("{:>8} {:>10} {:>9} {:>8} {:>14} {:>14} {:>14} {:>9} {:>9}\n", "profiles", "ready (s)", "kernels", "shapes",
             "jit items/s", "interp items/s", "scan items/s", "jit/scan", "selected");

  for (size_t profiles : sets) {
    fs::path repo = dir / fmt::format("profiles_{}", profiles);
    bench::ProfileSetOptions po;
    po.profiles = profiles;
    bench::writeProfileRepository(repo.string(), po);

    double t0 = bench::nowSeconds();
    CompileOptions co;
    co.inputs = {repo.string()};
    auto c = compile(co);
    if (!c || !(*c)->ok()) {
      fmt::print(stderr, "the generated profiles do not check\n");
      return 1;
    }
    std::shared_ptr<const Compilation> compilation = c.take();
    const sema::Program& program = *compilation->program;
    runtime::LoadOptions load;
    if (const char* b = std::getenv("TAUEKEL_BENCH_BATCH")) load.batch_items = std::stoul(b);
    // Each screener owns its register: the compiled one, and the reference interpreter.
    auto makeScreener = [&](engine::EngineKind kind) -> std::shared_ptr<const engine::Screener> {
      auto persons = runtime::loadPersons((dir / "persons.csv").string(), program, load);
      if (!persons) return nullptr;
      engine::ScreenerOptions so;
      so.engine = kind;  // the Jit one compiles as a fresh process would: its own compiler
      auto made = engine::Screener::create(compilation, persons.take(), so);
      if (!made) {
        fmt::print(stderr, "{}\n", made.error().message);
        return nullptr;
      }
      return made.take();
    };
    auto screener = makeScreener(engine::EngineKind::Jit);
    if (!screener) return 1;
    double ready = bench::nowSeconds() - t0;
    const ir::Program& ir = screener->lowered();
    const runtime::Plan& plan = screener->plan();
    const runtime::jit::CompileStats& stats = screener->compileStats();
    if (std::getenv("TAUEKEL_BENCH_PLAN")) {
      std::map<std::tuple<int, int, int>, int> indexes;
      size_t filtered = 0;
      for (const auto& g : plan.guards) {
        int digits = 0;
        for (const auto& v : g.values) digits = std::max(digits, v.digits);
        ++indexes[{g.column, g.type == ir::Type::Hs ? digits : 10, g.second_column}];
      }
      for (const auto& r : plan.roots) filtered += r.filter >= 0;
      fmt::print("plan: {} roots ({} guarded, {} filtered), {} guards, {} profiles\n", plan.roots.size(),
                 plan.guarded_roots, filtered, plan.guards.size(), plan.profiles.size());
      for (auto [k, n] : indexes)
        fmt::print("  index column {} digits {} second {}: {} guards\n", std::get<0>(k), std::get<1>(k), std::get<2>(k), n);
    }

    // The declarations, loaded once into batches.
    std::vector<runtime::Batch> batches;
    auto source = runtime::openDeclarations((dir / "declarations.csv").string(), program, screener->personIndex(), load);
    if (!source) return 1;
    while (true) {
      batches.emplace_back();
      runtime::initBatch(batches.back(), program);
      auto more = (*source)->next(batches.back());
      if (!more || !*more) {
        batches.pop_back();
        break;
      }
    }

    auto context = screener->newContext();
    runtime::Selections sel;
    uint64_t selected = 0;
    std::vector<double> runs;
    // TAUEKEL_BENCH_REPS=n repeats the screening, so a profiler sees mostly it.
    int reps = std::getenv("TAUEKEL_BENCH_REPS") ? std::atoi(std::getenv("TAUEKEL_BENCH_REPS")) : 3;
    for (int rep = 0; rep < reps; ++rep) {
      double s = bench::nowSeconds();
      selected = 0;
      for (auto& b : batches) {
        screener->select(b, sel, *context);
        selected += sel.hits.size();
      }
      runs.push_back(bench::nowSeconds() - s);
    }
    double jit_rate = static_cast<double>(items) / bench::summarize(runs).min;

    // The reference interpreter on a prefix of the batches (it is slow with many profiles).
    auto reference = makeScreener(engine::EngineKind::Interp);
    if (!reference) return 1;
    auto reference_context = reference->newContext();
    uint64_t interp_items = 0;
    double s = bench::nowSeconds();
    // TAUEKEL_BENCH_NO_INTERP=1 leaves it out, for profiling the compiled engine alone.
    for (auto& b : batches) {
      if (std::getenv("TAUEKEL_BENCH_NO_INTERP")) break;
      reference->select(b, sel, *reference_context);
      interp_items += b.item_count;
      if (bench::nowSeconds() - s > 3.0) break;
    }
    double interp_rate = static_cast<double>(interp_items) / (bench::nowSeconds() - s);

    auto columns = bench::columnsRead(ir);
    runs.clear();
    uint64_t checksum = 0;
    for (int rep = 0; rep < 5; ++rep) {
      double t = bench::nowSeconds();
      checksum += bench::scan(batches, columns);
      runs.push_back(bench::nowSeconds() - t);
    }
    double scan_rate = static_cast<double>(items) / bench::summarize(runs).min;
    fmt::print("{:>8} {:>10.3f} {:>9} {:>8} {:>14.0f} {:>14.0f} {:>14.0f} {:>8.1f}% {:>9}{}\n", profiles, ready,
               stats.native, stats.shapes, jit_rate, interp_rate, scan_rate, 100.0 * jit_rate / scan_rate, selected,
               checksum == 42 ? " " : "");
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
