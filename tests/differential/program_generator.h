#pragma once
// Random well-typed profile programs and random declarations for differential testing:
// the same program and data through the reference interpreter and the vectorised engine
// (tree walker and native kernels) must give the same selections.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tauekel::difftest {

struct GeneratedProgram {
  std::string source;                       // one .risk file
  std::vector<std::pair<std::string, std::string>> data_files;  // relative path, contents
  std::vector<std::string> profile_sources; // each profile's text, for reproducers
  std::string persons_csv;
};

class ProgramGenerator {
 public:
  explicit ProgramGenerator(uint64_t seed) : rng_(seed) {}

  // The reference data, category rules and `profiles` random profiles.
  GeneratedProgram program(size_t profiles);
  // A declarations CSV (one row per item) with `declarations` declarations.
  std::string declarations(size_t declarations);
  // Schema and reference declarations shared by every program (for reproducers).
  static std::string prelude();

 private:
  struct Expr {
    std::string text;
    bool optional = false;
  };
  enum class T { Bool, Int, Decimal, String, Date, Hs, Country, Dir };

  Expr gen(T type, bool item, int depth);
  Expr genBool(bool item, int depth);
  Expr genInt(bool item, int depth);
  Expr genDecimal(bool item, int depth);
  Expr genString(bool item, int depth);
  Expr genDate(bool item, int depth);
  Expr genHs(bool item, int depth);
  Expr genCountry(bool item, int depth);
  Expr genDir(bool item, int depth);
  Expr genPersonString();
  // Rewrites an expression about `item` to one about `it`, the name aggregates bind.
  static std::string replaceItem(const std::string& text);
  std::string condition(bool item, int depth);  // never missing
  std::string profile(size_t index);

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }
  std::string intLiteral();
  std::string decimalLiteral();
  std::string stringLiteral();
  std::string dateLiteral();
  std::string hsLiteral(bool prefix);
  std::string countryLiteral();
  std::string randomText(size_t min, size_t max);

  std::mt19937_64 rng_;
  size_t declaration_counter_ = 0;
  bool in_indicator_ = false;
};

}  // namespace tauekel::difftest
