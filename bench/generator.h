#pragma once
// Synthetic workloads for the benchmarks: profile repositories over the EAEU schema, and
// (later) declarations with realistic skew: a few commodity codes, countries and traders
// are very frequent, with a long tail.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace tauekel::engine {
class Screener;
}

namespace tauekel::bench {

// Pools shared by the profile and declaration generators, so profiles select something.
struct Vocabulary {
  std::vector<std::string> headings;   // 4-digit HS headings, most frequent first
  std::vector<std::string> countries;  // most frequent first
  std::vector<std::string> words;      // description words
};
const Vocabulary& vocabulary();

// Draws index i with probability proportional to 1 / (i + 1)^s: a Zipf law.
class Zipf {
 public:
  Zipf(size_t n, double s);
  size_t operator()(std::mt19937_64& rng) const;

 private:
  std::vector<double> cumulative_;
};

struct ProfileSetOptions {
  size_t profiles = 100;
  size_t profiles_per_file = 500;
  uint64_t seed = 42;
};

// Writes a repository into `dir` (created if needed): reference.risk with its lists and
// tables, and profile files. Returns the .risk paths written.
std::vector<std::string> writeProfileRepository(const std::string& dir, const ProfileSetOptions& options);

// The text of one profile file with `count` profiles numbered from `first`.
std::string profileFileText(size_t first, size_t count, std::mt19937_64& rng);
std::string referenceFileText();

struct DeclarationOptions {
  uint64_t items = 1'000'000;
  uint64_t seed = 7;
  size_t traders = 10'000;
};

// Writes declarations as CSV (one row per goods item, std.eaeu columns) to `out`:
// 1 to 12 items per declaration, Zipf-distributed commodity headings, origins and
// declarants, prices around reference prices with some far below.
void writeDeclarations(std::FILE* out, const DeclarationOptions& options);
// The person register for those traders (ids T000000 ...), some with arrears.
void writePersons(std::FILE* out, size_t traders, uint64_t seed);
// Both, as `dir`/declarations.csv and `dir`/persons.csv.
void writeDataset(const std::string& dir, uint64_t items);
// writeDataset and a repository of `profiles` generated profiles in `dir`/profiles, made
// ready to screen with the register; null (and a message on stderr) if it cannot be.
std::shared_ptr<const engine::Screener> generatedScreener(const std::string& dir, size_t profiles, uint64_t items);

}  // namespace tauekel::bench
