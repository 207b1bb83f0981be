// Differential testing: random well-typed programs over random declarations, screened
// by the reference interpreter, the vectorised engine with tree-walking kernels and the
// vectorised engine with native kernels. Any disagreement fails the run and prints a
// minimal reproducer: the program reduced to the disagreeing profile, and the one
// declaration it disagrees on.
//
//   differential_tests [--programs N] [--profiles P] [--batches B] [--seed S] [--opt 0|1|2]
// A case is one random profile checked on one random batch of declarations.

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compiler/frontend.h"
#include "compiler/ir/ir.h"
#include "engine/screener.h"
#include "runtime/jit/kernel_compiler.h"
#include "runtime/load/declaration_source.h"
#include "tests/differential/program_generator.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

struct Options {
  size_t programs = 20;
  size_t profiles = 50;
  size_t batches = 10;
  size_t declarations = 40;
  uint64_t seed = 20261126;
  runtime::jit::OptLevel opt = runtime::jit::OptLevel::O1;
};

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// One profile's view of a batch's selections, keyed by (declaration, profile).
struct Outcome {
  std::vector<uint32_t> items;
  std::vector<uint8_t> flags;
  bool operator==(const Outcome&) const = default;
};
using Outcomes = std::map<std::pair<uint32_t, uint32_t>, Outcome>;

// Engines lay out items and flags as they like; a hit's ranges are what count.
Outcomes outcomes(const runtime::Selections& s, const ir::Program& ir) {
  Outcomes out;
  for (const auto& h : s.hits) {
    Outcome o;
    o.items.assign(s.items.begin() + h.items_begin, s.items.begin() + h.items_end);
    auto flags = s.measure_flags.begin() + h.flags_begin;
    o.flags.assign(flags, flags + static_cast<long>(ir.profiles[h.profile].measures.size()));
    out[{h.decl, h.profile}] = o;
  }
  return out;
}

std::string describe(const Outcomes& o, uint32_t decl, uint32_t profile) {
  auto it = o.find({decl, profile});
  if (it == o.end()) return "not selected";
  std::string items, flags;
  for (auto i : it->second.items) items += fmt::format(" {}", i);
  for (auto f : it->second.flags) flags += fmt::format(" {}", int(f));
  return fmt::format("selected, items [{} ], measure conditions [{} ]", items, flags);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    uint64_t v = std::stoull(argv[i + 1]);
    if (a == "--programs") opt.programs = v;
    else if (a == "--profiles") opt.profiles = v;
    else if (a == "--batches") opt.batches = v;
    else if (a == "--declarations") opt.declarations = v;
    else if (a == "--seed") opt.seed = v;
    else if (a == "--opt") opt.opt = v == 0 ? runtime::jit::OptLevel::O0 : v == 1 ? runtime::jit::OptLevel::O1 : runtime::jit::OptLevel::O2;
  }
  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-diff-{}", getpid());
  fs::create_directories(dir);
  auto created = runtime::jit::KernelCompiler::create(opt.opt);
  if (!created) {
    fmt::print(stderr, "{}\n", created.error().message);
    return 2;
  }
  std::shared_ptr<runtime::jit::KernelCompiler> compiler(created.take());
  size_t cases = 0, native = 0, kernels = 0, hits = 0, evaluations = 0, guarded = 0, compound = 0;
  for (size_t p = 0; p < opt.programs; ++p) {
    difftest::ProgramGenerator gen(opt.seed + p);
    auto program = gen.program(opt.profiles);
    for (const auto& [name, text] : program.data_files) write(dir / name, text);
    write(dir / "persons.csv", program.persons_csv);
    auto c = compileTexts({SourceText{(dir / "program.risk").string(), program.source, true}});
    if (!c->ok()) {
      fmt::print(stderr, "program {} (seed {}) does not check; the generator made an ill-typed program:\n{}\n", p,
                 opt.seed + p, program.source);
      for (const auto& d : c->diagnostics.diagnostics())
        fmt::print(stderr, "{}:{}: {} {}\n", d.range.begin.line, d.range.begin.column, diag::info(d.code).id, d.message);
      return 1;
    }
    std::shared_ptr<const Compilation> compilation = std::move(c);
    const sema::Program& sp = *compilation->program;
    // Every planner path: indexes for every guard and compound key in odd programs, the
    // default thresholds in even ones.
    engine::ScreenerOptions options;
    options.compiler = compiler;
    if (p % 2 == 1) {
      options.plan.min_roots_per_index = 1;
      options.plan.min_roots_per_compound_index = 1;
    }
    // Bounded codes are bucketed by their keys; every fourth program sorts them instead,
    // and another fourth sorts only the compound indexes (over bucketed plain ones).
    options.plan.bucketing = p % 4 == 3   ? runtime::Bucketing::None
                             : p % 4 == 1 ? runtime::Bucketing::PlainOnly
                                          : runtime::Bucketing::All;
    runtime::LoadOptions load;
    // One screener per engine, each with its own register (a screener owns its register).
    std::shared_ptr<const engine::Screener> screeners[3];
    const engine::EngineKind kinds[3] = {engine::EngineKind::Interp, engine::EngineKind::TreeWalk,
                                         engine::EngineKind::Jit};
    for (int k = 0; k < 3; ++k) {
      auto persons = runtime::loadPersons((dir / "persons.csv").string(), sp, load);
      if (!persons) {
        fmt::print(stderr, "persons: {}\n", persons.error().message);
        return 1;
      }
      options.engine = kinds[k];
      auto screener = engine::Screener::create(compilation, persons.take(), options);
      if (!screener) {
        fmt::print(stderr, "program {}: {}\n", p, screener.error().message);
        return 1;
      }
      screeners[k] = screener.take();
    }
    const engine::Screener& jit_screener = *screeners[2];
    const ir::Program& ir = jit_screener.lowered();
    const runtime::Plan& plan = jit_screener.plan();
    guarded += plan.guarded_roots;
    for (const auto& g : plan.guards) compound += g.second_column >= 0;
    native += jit_screener.compileStats().native;
    kernels += jit_screener.compileStats().kernels;
    auto reference = screeners[0]->newContext();
    auto walker = screeners[1]->newContext();
    auto jit = screeners[2]->newContext();

    for (size_t b = 0; b < opt.batches; ++b) {
      std::string csv = gen.declarations(opt.declarations);
      write(dir / "decls.csv", csv);
      load.batch_items = 1 + (b * 37) % 64;  // batches of many sizes, split at declaration ends
      auto source = runtime::openDeclarations((dir / "decls.csv").string(), sp, jit_screener.personIndex(), load);
      if (!source) {
        fmt::print(stderr, "{}\n", source.error().message);
        return 1;
      }
      runtime::Batch batch;
      runtime::initBatch(batch, sp);
      runtime::Selections s_ref, s_walk, s_jit;
      std::vector<Decision> d_ref, d_jit;
      while (true) {
        auto more = (*source)->next(batch);
        if (!more) {
          fmt::print(stderr, "loading: {}\n", more.error().message);
          return 1;
        }
        if (!*more) break;
        screeners[0]->select(batch, s_ref, *reference);
        screeners[1]->select(batch, s_walk, *walker);
        screeners[2]->select(batch, s_jit, *jit);
        // Equal selections make equal decisions; the decisions are checked too, as
        // each screener makes them.
        screeners[0]->decide(batch, s_ref, d_ref);
        screeners[2]->decide(batch, s_jit, d_jit);
        auto o_ref = outcomes(s_ref, ir);
        hits += o_ref.size();
        evaluations += batch.decl_count * ir.profiles.size();
        const std::pair<const char*, const runtime::Selections*> engines[] = {{"tree walker", &s_walk},
                                                                               {"native kernels", &s_jit}};
        for (const auto& [name, other] : engines) {
          auto o = outcomes(*other, ir);
          if (o == o_ref) continue;
          // Find the first disagreement and print a reproducer.
          std::set<std::pair<uint32_t, uint32_t>> keys;
          for (auto& [k, v] : o_ref) keys.insert(k);
          for (auto& [k, v] : o) keys.insert(k);
          for (auto key : keys) {
            auto a = o_ref.find(key), x = o.find(key);
            if (a != o_ref.end() && x != o.end() && a->second == x->second) continue;
            auto [decl, prof] = key;
            const auto& profile = *ir.profiles[prof].profile;
            size_t index = std::stoul(profile.id.substr(1));
            std::string key_text(batch.strings.view(static_cast<int32_t>(batch.decl_columns[0].get(decl))));
            fmt::print(stderr,
                       "MISMATCH in program {} (seed {}), batch {}: the {} disagrees with the reference\n"
                       "  reference: {}\n  {}: {}\n\n--- reproducer: program (profile {} only) ---\n",
                       p, opt.seed + p, b, name, describe(o_ref, decl, prof), name, describe(o, decl, prof), profile.id);
            std::string reduced = program.source.substr(0, program.source.find("profile \"G")) + program.profile_sources[index];
            fmt::print(stderr, "{}\n--- declaration {} (rows of decls.csv) ---\n", reduced, key_text);
            std::istringstream lines(csv);
            std::string line;
            std::getline(lines, line);
            fmt::print(stderr, "{}\n", line);
            while (std::getline(lines, line))
              if (line.rfind(key_text + ",", 0) == 0) fmt::print(stderr, "{}\n", line);
            fmt::print(stderr, "--- persons.csv ---\n{}--- IR of the condition ---\n{}", program.persons_csv,
                       ir::dump(ir, ir.profiles[prof].conjuncts));
            return 1;
          }
        }
        if (d_ref != d_jit) {
          for (size_t d = 0; d < d_ref.size(); ++d)
            if (d_ref[d] != d_jit[d])
              fmt::print(stderr, "MISMATCH in program {} (seed {}), batch {}: equal selections, but the decisions "
                                 "for declaration {} differ\n",
                         p, opt.seed + p, b, d_ref[d].declaration);
          return 1;
        }
      }
      cases += ir.profiles.size();
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  fmt::print("differential: {} cases ({} programs x {} profiles x {} batches), {} profile evaluations, {} selections; "
             "{} of {} kernels native; {} roots guarded by an index ({} compound guards); engines agree\n",
             cases, opt.programs, opt.profiles, opt.batches, evaluations, hits, native, kernels, guarded, compound);
  return 0;
}
