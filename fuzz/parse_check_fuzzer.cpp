// libFuzzer target: arbitrary bytes through the whole front end (guards, lexer, parser,
// checker), and what checks through the back end too: lowered, planned, compiled to
// native kernels, and run on a few declarations by the reference interpreter, the tree
// walker and the native kernels, which must agree. Any crash, sanitizer report, hang or
// disagreement is a bug: bad input must only ever produce diagnostics.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/frontend.h"
#include "tests/common/all_engines.h"

namespace {

// Declarations and persons of the std.eaeu schemas (inputs that import it); for other
// schemas they do not load, and the input stops at the front end.
const char kDeclarations[] =
    "number,date,direction,procedure,office,declarant,invoice_currency,invoice_total,exchange_rate,item_number,"
    "description,hs,origin,gross_kg,net_kg,invoice_price,customs_value,statistical_value\n"
    "D1,2026-05-01,IM,40,55204,P1,USD,100,450.5,1,NIKE shoes,6403990000,CN,6,5,10,4500,4500\n"
    "D1,2026-05-01,IM,40,55204,P1,USD,100,450.5,2,laptop,8471300000,CN,60,50,90,40500,40500\n"
    "D2,2026-06-15,EK,10,55201,P2,EUR,20,500,1,beef,0201300000,KZ,1.5,0.5,20,10000,10000\n"
    "D3,2026-12-31,IM,40,55204,P9,USD,0,450.5,1,boots,6403990000,TR,0,0,0,0,0\n"
    "D3,2026-12-31,IM,40,55204,P9,USD,0,450.5,2,steel,7208510000,RU,1000,999.5,1,1,1\n";
const char kPersons[] =
    "id,name,registered_since,years_active,declarations_12m,violations_3y,customs_offences_3y,arrears,aeo\n"
    "P1,One,2020-01-01,6,40,0,0,0,true\n"
    "P2,Two,2025-01-01,1,2,4,1,100,false\n";

struct Files {
  std::filesystem::path dir;
  std::string declarations, persons;
  Files() {
    dir = std::filesystem::temp_directory_path() / ("tauekel-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    declarations = (dir / "declarations.csv").string();
    persons = (dir / "persons.csv").string();
    std::ofstream(declarations, std::ios::binary) << kDeclarations;
    std::ofstream(persons, std::ios::binary) << kPersons;
  }
  ~Files() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// Compiled code stays until its compiler goes: a new one every so many programs keeps a
// long run's memory flat, while programs in between still share cached shapes.
const std::shared_ptr<tauekel::runtime::jit::KernelCompiler>& compiler() {
  static std::shared_ptr<tauekel::runtime::jit::KernelCompiler> current;
  static int uses = 0;
  if (!current || ++uses % 256 == 0) {
    auto created = tauekel::runtime::jit::KernelCompiler::create(tauekel::runtime::jit::OptLevel::O1);
    if (!created) __builtin_trap();
    current = created.take();
  }
  return current;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Files files;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto compilation = tauekel::compileTexts({tauekel::SourceText{"fuzz.risk", std::move(text), true}});
  // Every diagnostic must carry a registered code and, when it has a position, a sane one.
  for (const auto& d : compilation->diagnostics.diagnostics()) {
    (void)tauekel::diag::info(d.code);
    if (d.range.valid() && d.range.begin.line == 0) __builtin_trap();
  }
  if (!compilation->ok()) return 0;
  const auto& program = *compilation->program;
  if (!program.declaration.defined || !program.item.defined) return 0;
  auto runs = tauekel::test::screenEverywhere(*compilation, files.declarations, files.persons, compiler());
  if (!runs) return 0;  // the data do not fit this program's schemas
  if (!runs->agree()) {
    std::fprintf(stderr, "engines disagree\n  reference:    %s\n  tree walker:  %s\n  native:       %s\n",
                 runs->reference.c_str(), runs->walker.c_str(), runs->native.c_str());
    __builtin_trap();
  }
  return 0;
}
