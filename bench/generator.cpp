#include "bench/generator.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/screener.h"
#include "runtime/data/person_register.h"

namespace tauekel::bench {

const Vocabulary& vocabulary() {
  static const Vocabulary kVocabulary = [] {
    Vocabulary v;
    v.headings = {"8517", "8471", "6403", "6109", "8703", "3004", "2203", "0201", "7208", "8708", "6204", "9403",
                  "3926", "8528", "6110", "4202", "8544", "9503", "6402", "2402", "8418", "3304", "6203", "8443",
                  "0402", "1701", "2710", "3923", "4011", "6112", "7318", "8415", "8450", "8516", "8536", "9018",
                  "9401", "9405", "2106", "0303", "0802", "1905", "2009", "3401", "3808", "4819", "6302", "6911",
                  "7013", "7323", "8201", "8421", "8467", "8504", "8525", "8711", "9004", "9102", "9506", "9619"};
    v.countries = {"CN", "RU", "TR", "DE", "KR", "US", "IT", "UZ", "JP", "IN", "BY", "VN", "PL", "FR", "AE", "KG",
                   "GB", "NL", "ES", "TH", "MY", "ID", "BR", "PK", "IR", "HK", "SG", "CZ", "LT", "UA"};
    v.words = {"shoes", "phone", "laptop", "shirt", "car", "parts", "medicine", "beer", "beef", "steel", "toys",
               "cable", "furniture", "bags", "cigarettes", "television", "fridge", "cosmetics", "tyres", "glasses"};
    return v;
  }();
  return kVocabulary;
}

Zipf::Zipf(size_t n, double s) {
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    total += 1.0 / std::pow(static_cast<double>(i + 1), s);
    cumulative_.push_back(total);
  }
  for (auto& c : cumulative_) c /= total;
}

size_t Zipf::operator()(std::mt19937_64& rng) const {
  double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
  return std::min(static_cast<size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
}

std::string referenceFileText() {
  return R"(// Reference data shared by the generated profiles.
package bench
import std.eaeu

list risky_origins: set<country> = csv("lists/risky_origins.csv")
list sensitive_goods: set<hs> = csv("lists/sensitive_goods.csv")
table min_price: map<hs, decimal> = csv("tables/min_price.csv")

indicator cheap(item) = (item.customs_value < min_price[item.hs] * item.net_kg) ?? false
public arrears indicator owes(person) = person.arrears > 0

category rules for person {
  high   when owes(person) or person.customs_offences_3y > 0
  high   when unregistered
  low    when person.years_active >= 3 and person.violations_3y == 0
  medium otherwise
}
)";
}

namespace {

std::string pick(const std::vector<std::string>& pool, const Zipf& zipf, std::mt19937_64& rng) {
  return pool[zipf(rng)];
}

// Conditions in the style of real profiles: a commodity heading, usually with an origin,
// and a value, weight or party test; each selects a small share of declarations.
std::string condition(std::mt19937_64& rng) {
  const auto& v = vocabulary();
  static const Zipf headings(v.headings.size(), 1.0), countries(v.countries.size(), 1.0);
  auto number = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Half the profiles name a subheading (6 digits), half a heading.
  auto heading = [&] {
    std::string h = pick(v.headings, headings, rng);
    return number(0, 1) ? h : fmt::format("{}{:02}", h, number(0, 99));
  };
  auto country = [&] { return pick(v.countries, countries, rng); };
  switch (number(0, 9)) {
    case 0:
      return fmt::format("any item: item.hs in \"{}\" and item.origin in [\"{}\", \"{}\"] and "
                         "(item.customs_value / item.net_kg < {}) ?? false",
                         heading(), country(), country(), number(5, 40));
    case 1:
      return fmt::format("any item: item.hs in \"{}\" and item.net_kg > {}", heading(), number(15000, 19900));
    case 2:
      return fmt::format("direction == IM and procedure == \"40\" and invoice_total > {} and any item: "
                         "item.hs in \"{}\" and item.origin == \"{}\"",
                         number(20000, 200000), heading(), country());
    case 3:
      return fmt::format("count(item: item.hs in \"{}\") >= {}", heading(), number(4, 6));
    case 4:
      return fmt::format("sum(item: item.customs_value where item.origin == \"{}\" and item.hs in \"{}\") > {}",
                         country(), heading(), number(5000000, 50000000));
    case 5:
      return fmt::format("any item: item.hs in [\"{}\", \"{}\"] and (item.duty ?? 0) == 0 and item.origin == \"{}\"",
                         heading(), heading(), country());
    case 6:
      return fmt::format("declarant.category == high and any item: item.hs in \"{}\" and item.origin == \"{}\"",
                         heading(), country());
    case 7:
      return fmt::format("any item: item.hs in \"{}\" and item.origin == \"{}\" and contains(item.description, \"{}\")",
                         heading(), country(), v.words[static_cast<size_t>(number(0, static_cast<int>(v.words.size()) - 1))]);
    case 8:
      return fmt::format("any item: item.hs in \"{}\" and item.origin in risky_origins and item.hs in sensitive_goods "
                         "and item.net_kg > {}",
                         heading(), number(15000, 19900));
    default:
      return fmt::format("any item: item.hs in \"{}\" and item.origin == \"{}\" and cheap(item)", heading(), country());
  }
}

}  // namespace

std::string profileFileText(size_t first, size_t count, std::mt19937_64& rng) {
  static const char* kAreas[] = {"VALUE", "CLASSIFICATION", "ORIGIN", "PROHIBITIONS", "TRADE_DEFENCE", "PAYMENTS"};
  static const char* kLevels[] = {"low", "medium", "high"};
  std::string out = "package bench\nimport std.eaeu\n\n";
  for (size_t i = first; i < first + count; ++i) {
    auto number = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    out += fmt::format("profile \"BENCH-{:05}\" {{\n", i);
    out += fmt::format("  title \"Generated profile {}\"\n", i);
    out += fmt::format("  area {}\n", kAreas[number(0, 5)]);
    out += "  valid 2026-01-01 .. 2026-12-31\n";
    out += "  scope direction IM, stage before_release\n";
    out += fmt::format("  level {}\n", kLevels[number(0, 2)]);
    out += "  state approved\n";
    out += fmt::format("  when {}\n", condition(rng));
    switch (number(0, 2)) {
      case 0: out += "  apply DOC_CHECK\n"; break;
      case 1: out += fmt::format("  apply DOC_CHECK, INSPECTION if declarant.category == high else sample {}%\n", number(1, 20)); break;
      default: out += fmt::format("  apply VALUE_CHECK, EXAMINATION sample {}%\n", number(1, 30)); break;
    }
    out += "}\n\n";
  }
  return out;
}

std::vector<std::string> writeProfileRepository(const std::string& dir, const ProfileSetOptions& options) {
  namespace fs = std::filesystem;
  const auto& v = vocabulary();
  fs::create_directories(fs::path(dir) / "lists");
  fs::create_directories(fs::path(dir) / "tables");
  std::ofstream(fs::path(dir) / "tauekel.project") << "# generated benchmark repository\n";
  {
    std::ofstream f(fs::path(dir) / "lists" / "risky_origins.csv");
    f << "country\n";
    for (size_t i = 0; i < v.countries.size(); i += 3) f << v.countries[i] << "\n";
  }
  {
    std::ofstream f(fs::path(dir) / "lists" / "sensitive_goods.csv");
    f << "hs\n";
    for (size_t i = 0; i < v.headings.size(); i += 4) f << v.headings[i] << "\n";
  }
  {
    std::ofstream f(fs::path(dir) / "tables" / "min_price.csv");
    f << "hs,price\n";
    for (size_t i = 0; i < v.headings.size(); ++i) f << v.headings[i] << "," << (10 + i * 7) << ".5\n";
  }
  std::vector<std::string> paths;
  auto reference = (fs::path(dir) / "reference.risk").string();
  std::ofstream(reference) << referenceFileText();
  paths.push_back(reference);
  std::mt19937_64 rng(options.seed);
  for (size_t first = 0; first < options.profiles; first += options.profiles_per_file) {
    size_t count = std::min(options.profiles_per_file, options.profiles - first);
    auto path = (fs::path(dir) / fmt::format("profiles_{:03}.risk", first / options.profiles_per_file)).string();
    std::ofstream(path) << profileFileText(first, count, rng);
    paths.push_back(path);
  }
  return paths;
}

void writeDeclarations(std::FILE* out, const DeclarationOptions& options) {
  const auto& v = vocabulary();
  std::mt19937_64 rng(options.seed);
  Zipf headings(v.headings.size(), 1.0), countries(v.countries.size(), 1.0), traders(options.traders, 1.1);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::fputs(
      "number,date,direction,procedure,previous_procedure,office,declarant,consignee,sender,dispatch_country,"
      "trade_country,destination_country,transport_border,transport_inland,delivery_terms,delivery_place,"
      "invoice_currency,invoice_total,exchange_rate,customs_value_total,item_number,description,hs,origin,gross_kg,"
      "net_kg,supplementary_qty,supplementary_unit,invoice_price,customs_value,statistical_value,preference,duty,vat,"
      "excise,special_duty\n",
      out);
  static const char* kOffices[] = {"55204001", "55215031", "55209041", "55212011", "55201021"};
  static const char* kTerms[] = {"EXW", "FCA", "CPT", "CIP", "DAP", "FOB", "CIF"};
  uint64_t written = 0, declaration = 0;
  std::string header, row;
  while (written < options.items) {
    ++declaration;
    int items = std::min<uint64_t>(static_cast<uint64_t>(1 + std::min(uniform(0, 11), uniform(0, 11))), options.items - written);
    int month = uniform(1, 12), day = uniform(1, 28);
    std::string declarant = fmt::format("T{:06}", traders(rng));
    bool direction_im = uniform(0, 19) != 0;
    double rate = 470.0 + uniform(0, 4000) / 100.0;
    header = fmt::format("{}/{:02}{:02}26/{:07},2026-{:02}-{:02},{},{},{},{},{},{},,{},{},KZ,{},{},{},ALMATY,USD,", kOffices[declaration % 5],
                         day, month, declaration, month, day, direction_im ? "IM" : "EK", direction_im ? "40" : "10",
                         uniform(0, 9) == 0 ? "31" : "00", kOffices[declaration % 5], declarant,
                         uniform(0, 3) == 0 ? fmt::format("T{:06}", traders(rng)) : std::string(),
                         v.countries[countries(rng)], v.countries[countries(rng)], uniform(0, 1) ? "30" : "20", "30",
                         kTerms[uniform(0, 6)]);
    double total = 0;
    std::string rows;
    for (int i = 1; i <= items; ++i) {
      size_t h = headings(rng);
      const std::string& heading = v.headings[h];
      std::string hs = fmt::format("{}{:06}", heading, uniform(0, 99) * 100 + uniform(0, 9) * 10);
      double net = 1 + uniform(0, 2000000) / 100.0;
      double reference = 10 + h * 7 + 0.5;  // the generated min_price table
      // Most goods near or above the reference price; one in twenty far below.
      double unit = reference * (uniform(0, 19) == 0 ? uniform(5, 60) / 100.0 : uniform(80, 300) / 100.0);
      double value = net * unit;
      total += value / rate;
      const auto& word = v.words[h % v.words.size()];
      rows += fmt::format("{},{} {},{},{},{:.2f},{:.2f},,,{:.2f},{:.2f},{:.2f},{},{},,,\n", i, word, hs.substr(6), hs,
                          v.countries[countries(rng)], net * 1.05, net, value / rate, value, value / rate,
                          uniform(0, 9) == 0 ? "LDC" : "", uniform(0, 4) == 0 ? "0" : fmt::format("{:.2f}", value * 0.1));
    }
    std::string head = header + fmt::format("{:.2f},{:.4f},{:.2f},", total, rate, total * rate);
    size_t start = 0;
    while (start < rows.size()) {
      size_t end = rows.find('\n', start);
      std::fputs(head.c_str(), out);
      std::fwrite(rows.data() + start, 1, end - start + 1, out);
      start = end + 1;
    }
    written += static_cast<uint64_t>(items);
  }
}

void writePersons(std::FILE* out, size_t traders, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::fputs("id,name,registered_since,years_active,declarations_12m,violations_3y,customs_offences_3y,arrears,aeo\n", out);
  // Every tenth trader id is missing from the register: some declarants are unregistered.
  for (size_t t = 0; t < traders; ++t) {
    if (t % 10 == 9) continue;
    std::fprintf(out, "T%06zu,Trader %zu,20%02d-01-15,%d,%d,%d,%d,%s,%s\n", t, t, uniform(5, 25), uniform(0, 20),
                 uniform(0, 500), uniform(0, 9) == 0 ? uniform(1, 4) : 0, uniform(0, 29) == 0 ? 1 : 0,
                 uniform(0, 19) == 0 ? "125000.50" : "0", uniform(0, 9) == 0 ? "true" : "false");
  }
}

void writeDataset(const std::string& dir, uint64_t items) {
  namespace fs = std::filesystem;
  DeclarationOptions d;
  d.items = items;
  std::FILE* f = std::fopen((fs::path(dir) / "declarations.csv").c_str(), "wb");
  writeDeclarations(f, d);
  std::fclose(f);
  f = std::fopen((fs::path(dir) / "persons.csv").c_str(), "wb");
  writePersons(f, d.traders, 11);
  std::fclose(f);
}

std::shared_ptr<const engine::Screener> generatedScreener(const std::string& dir, size_t profiles, uint64_t items) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  writeDataset(dir, items);
  ProfileSetOptions po;
  po.profiles = profiles;
  writeProfileRepository((fs::path(dir) / "profiles").string(), po);
  CompileOptions co;
  co.inputs = {(fs::path(dir) / "profiles").string()};
  auto c = compile(co);
  if (!c || !(*c)->ok()) {
    std::fputs("the generated profiles do not compile\n", stderr);
    return nullptr;
  }
  std::shared_ptr<const Compilation> compilation = c.take();
  auto persons = runtime::loadPersons((fs::path(dir) / "persons.csv").string(), *compilation->program, {});
  if (!persons) {
    std::fprintf(stderr, "%s\n", persons.error().message.c_str());
    return nullptr;
  }
  auto made = engine::Screener::create(compilation, persons.take(), {});
  if (!made) {
    std::fprintf(stderr, "%s\n", made.error().message.c_str());
    return nullptr;
  }
  return made.take();
}

}  // namespace tauekel::bench
