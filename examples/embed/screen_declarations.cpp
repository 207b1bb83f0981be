// Screens declarations with Tauekel's C++ interface: the profiles compiled once, then a
// file of declarations (JSON Lines) screened, one decision per line on standard output;
// then one declaration built from typed values, to show how a service holding its
// declarations as data would do it.
//
//   screen_declarations PROFILES PERSONS DECLARATIONS.jsonl

#include <tauekel/screener.h>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: screen_declarations PROFILES PERSONS DECLARATIONS.jsonl\n";
    return 2;
  }
  auto profiles = tauekel::Profiles::compileDirectory(argv[1]);
  if (!profiles) {
    std::cerr << profiles.error().message << "\n";
    return 2;
  }
  if (!profiles->ok()) {
    std::cerr << profiles->diagnosticsText();
    return 1;
  }
  tauekel::ScreenerOptions options;
  options.persons_file = argv[2];
  auto screener = tauekel::Screener::create(*profiles, options);
  if (!screener) {
    std::cerr << screener.error().message << "\n";
    return 2;
  }

  std::ifstream file(argv[3], std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  auto decisions = screener->screenJson(text.str());
  if (!decisions) {
    std::cerr << argv[3] << ": " << decisions.error().message << "\n";
    return 3;
  }
  size_t selected = 0;
  for (const auto& d : *decisions) {
    std::cout << tauekel::toJson(d) << "\n";
    selected += d.selected;
  }

  // One declaration from values (the std.eaeu schema's fields).
  auto batch = screener->newBatch();
  batch.beginDeclaration();
  batch.set("number", "EMBED/000001");
  batch.set("date", tauekel::Date{2026, 3, 2});
  batch.set("direction", "IM");
  batch.set("procedure", "40");
  batch.set("office", "55204001");
  batch.set("declarant", "241240622949");
  batch.set("invoice_currency", "USD");
  batch.set("invoice_total", tauekel::Decimal{120000, 2});
  batch.set("exchange_rate", tauekel::Decimal{5124, 1});
  batch.beginItem();
  batch.set("item_number", int64_t{1});
  batch.set("description", "LEATHER BOOTS");
  batch.set("hs", "6403919800");
  batch.set("origin", "CN");
  batch.set("gross_kg", tauekel::Decimal{2105, 1});
  batch.set("net_kg", tauekel::Decimal{200, 0});
  batch.set("invoice_price", tauekel::Decimal{120000, 2});
  batch.set("customs_value", tauekel::Decimal{614880, 0});
  batch.set("statistical_value", tauekel::Decimal{120000, 2});
  if (auto problem = batch.endDeclaration()) {
    std::cerr << "declaration EMBED/000001: " << problem->path << ": " << problem->reason << "\n";
    return 3;
  }
  auto one = screener->screen(batch);
  if (!one) {
    std::cerr << one.error().message << "\n";
    return 3;
  }
  std::cerr << decisions->size() << " declarations screened, " << selected << " selected; version "
            << screener->version() << "\n";
  std::cerr << "built from values: " << tauekel::toJson(one->front()) << "\n";
  return 0;
}
