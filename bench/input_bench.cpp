// Reading declarations: the same generated declarations as CSV and as JSON Lines, read
// by each reader in one run, MB/s and records/s side by side (best of 3, page cache
// warm, one core). CSV: a plain memory scan (read(2) and memchr for line ends), our
// scanner (support/csv.h), the Debian-packaged CSV parsers doing the same work (fields
// split, quotes honoured; libcsv, and the Fast C++ CSV Parser when built with it), and
// our CSV loader into typed batches. JSON Lines: the memory scan, json::parse into a
// tree then the declaration's members (the strict path), simdjson into the members (the
// loader's path), and the loader into typed batches.
//
//   input_bench [items]     default: 1000000 goods items

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <functional>
#include <utility>

#include "bench/generator.h"
#include "bench/timing.h"
#include "runtime/load/declaration_json.h"
#include "runtime/load/declaration_simdjson.h"
#include "runtime/load/declaration_source.h"
#include "support/csv.h"
#include "support/json.h"
#include "support/line_reader.h"
#include "compiler/frontend.h"

#ifdef TAUEKEL_HAVE_LIBCSV
#include <csv.h>
#endif
#ifdef TAUEKEL_HAVE_FCCP
#define CSV_IO_NO_THREAD  // one core, as every other reader here
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"  // in the library's own error type
#include <libfccp/csv.h>
#pragma GCC diagnostic pop
#endif

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

// The columns of the generated CSV that hold numbers (written as JSON numbers).
bool numeric(std::string_view column) {
  static const char* kNumeric[] = {"invoice_total", "exchange_rate", "customs_value_total", "item_number",
                                   "gross_kg",      "net_kg",        "supplementary_qty",   "invoice_price",
                                   "customs_value", "statistical_value", "duty", "vat", "excise", "special_duty"};
  for (const char* n : kNumeric)
    if (column == n) return true;
  return false;
}

// The CSV rewritten as JSON Lines: header columns up to item_number as members, the
// rest in "items"; an empty cell is left out.
void writeJsonLines(const fs::path& csv_path, const fs::path& out_path) {
  auto reader = csv::Reader::open(csv_path.string());
  if (!reader) return;
  csv::Reader& r = **reader;
  r.next();
  std::vector<std::string> names;
  for (size_t i = 0; i < r.size(); ++i) names.emplace_back(r.field(i));
  size_t first_item = 0;
  while (names[first_item] != "item_number") ++first_item;
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  std::string line, key;
  auto member = [&](std::string& to, size_t i, std::string_view value) {
    if (value.empty()) return;
    if (to.back() != '{') to += ',';
    json::appendString(to, names[i]);
    to += ':';
    if (numeric(names[i])) to += value;
    else json::appendString(to, value);
  };
  auto flush = [&] {
    if (line.empty()) return;
    line += "]}\n";
    std::fwrite(line.data(), 1, line.size(), out);
    line.clear();
  };
  while (r.next() == csv::Reader::Status::Record) {
    if (r.field(0) != key) {
      flush();
      key = r.field(0);
      line = "{";
      for (size_t i = 0; i < first_item; ++i) member(line, i, r.field(i));
      line += ",\"items\":[";
    } else {
      line += ',';
    }
    line += '{';
    for (size_t i = first_item; i < r.size(); ++i) member(line, i, r.field(i));
    line += '}';
  }
  flush();
  std::fclose(out);
}

struct Count {
  uint64_t records = 0;
  uint64_t check = 0;  // something of what was read, so nothing is optimised away
};

Count memoryScan(const fs::path& path) {
  Count c;
  int fd = ::open(path.c_str(), O_RDONLY);
  std::vector<char> buffer(1 << 20);
  ssize_t got;
  while ((got = ::read(fd, buffer.data(), buffer.size())) > 0) {
    const char* p = buffer.data();
    const char* end = p + got;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
      ++c.records;
      ++p;
    }
  }
  ::close(fd);
  return c;
}

Count ourCsv(const fs::path& path) {
  Count c;
  auto reader = csv::Reader::open(path.string());
  while ((*reader)->next() == csv::Reader::Status::Record) {
    ++c.records;
    for (size_t i = 0; i < (*reader)->size(); ++i) c.check += (*reader)->field(i).size();
  }
  return c;
}

#ifdef TAUEKEL_HAVE_LIBCSV
Count libcsv(const fs::path& path) {
  Count c;
  csv_parser parser;
  csv_init(&parser, CSV_STRICT);
  auto field = [](void*, size_t length, void* data) { static_cast<Count*>(data)->check += length; };
  auto record = [](int, void* data) { ++static_cast<Count*>(data)->records; };
  int fd = ::open(path.c_str(), O_RDONLY);
  std::vector<char> buffer(1 << 20);
  ssize_t got;
  while ((got = ::read(fd, buffer.data(), buffer.size())) > 0)
    csv_parse(&parser, buffer.data(), static_cast<size_t>(got), field, record, &c);
  csv_fini(&parser, field, record, &c);
  csv_free(&parser);
  ::close(fd);
  return c;
}
#endif

#ifdef TAUEKEL_HAVE_FCCP
constexpr unsigned kColumns = 36;  // the generator's
template <size_t... I>
bool fccpRow(::io::CSVReader<kColumns, ::io::trim_chars<>, ::io::double_quote_escape<',', '"'>>& reader,
             std::array<char*, kColumns>& row, std::index_sequence<I...>) {
  return reader.read_row(row[I]...);
}
Count fccp(const fs::path& path) {
  Count c;
  ::io::CSVReader<kColumns, ::io::trim_chars<>, ::io::double_quote_escape<',', '"'>> reader(path.string());
  reader.next_line();  // the header
  std::array<char*, kColumns> row{};
  while (fccpRow(reader, row, std::make_index_sequence<kColumns>())) {
    ++c.records;
    for (char* field : row) c.check += std::strlen(field);
  }
  return c;
}
#endif

Count loader(const fs::path& path, const sema::Program& program) {
  Count c;
  runtime::LoadOptions options;
  auto source = runtime::openDeclarations(path.string(), program, nullptr, options);
  if (!source) {
    fmt::print(stderr, "{}\n", source.error().message);
    return c;
  }
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  while (true) {
    auto more = (*source)->next(batch);
    if (!more || !*more) break;
    c.records += batch.decl_count;
    c.check += batch.item_count;
  }
  return c;
}

// JSON Lines, each line read by `read` into a declaration's members.
template <class Read>
Count jsonLines(const fs::path& path, const sema::Program& program, Read read) {
  Count c;
  runtime::BatchBuilder builder(program, nullptr);
  runtime::DeclarationMembers members(builder);
  auto input = tauekel::io::openInput(path.string());
  tauekel::io::LineReader lines(input.take());
  while (lines.next() == tauekel::io::LineReader::Status::Line) {
    if (!read(lines, members)) return {};
    ++c.records;
    c.check += members.itemCount();
  }
  return c;
}

struct Row {
  std::string input, reader;
  double seconds;
  Count count;
  uint64_t bytes, items;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t items = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-input-bench-{}", getpid());
  fs::create_directories(dir);
  bench::writeDataset(dir.string(), items);
  fs::path csv_path = dir / "declarations.csv", jsonl_path = dir / "declarations.jsonl";
  writeJsonLines(csv_path, jsonl_path);
  bench::ProfileSetOptions po;
  po.profiles = 10;
  bench::writeProfileRepository((dir / "profiles").string(), po);
  CompileOptions co;
  co.inputs = {(dir / "profiles").string()};
  auto c = compile(co);
  if (!c || !(*c)->ok()) {
    fmt::print(stderr, "the generated profiles do not check\n");
    return 1;
  }
  const sema::Program& program = *(*c)->program;
  uint64_t csv_bytes = fs::file_size(csv_path), jsonl_bytes = fs::file_size(jsonl_path);
  fmt::print("{} goods items: CSV {:.0f} MB, JSON Lines {:.0f} MB; best of 3, one core\n", items, csv_bytes / 1e6,
             jsonl_bytes / 1e6);

  std::vector<Row> rows;
  auto measure = [&](std::string input, std::string reader, const std::function<Count()>& run) {
    double best = 1e30;
    Count count;
    for (int i = 0; i < 3; ++i) {
      double t = bench::nowSeconds();
      count = run();
      best = std::min(best, bench::nowSeconds() - t);
    }
    bool csv = input == "CSV";
    rows.push_back({input, reader, best, count, csv ? csv_bytes : jsonl_bytes, items});
    const Row& r = rows.back();
    fmt::print("{:<11} {:<44} {:>8.0f} MB/s {:>11.0f} records/s {:>11.0f} items/s  ({} records)\n", r.input,
               r.reader, r.bytes / r.seconds / 1e6, r.count.records / r.seconds, r.items / r.seconds,
               r.count.records);
  };
  measure("CSV", "memory scan (read, memchr)", [&] { return memoryScan(csv_path); });
  measure("CSV", "our scanner (support/csv.h)", [&] { return ourCsv(csv_path); });
#ifdef TAUEKEL_HAVE_LIBCSV
  measure("CSV", "libcsv 3.0.3 (libcsv-dev)", [&] { return libcsv(csv_path); });
#endif
#ifdef TAUEKEL_HAVE_FCCP
  measure("CSV", "Fast C++ CSV Parser (libfccp-dev), no thread", [&] { return fccp(csv_path); });
#endif
  measure("CSV", "our loader into typed batches", [&] { return loader(csv_path, program); });
  measure("JSON Lines", "memory scan (read, memchr)", [&] { return memoryScan(jsonl_path); });
  json::Value tree;
  measure("JSON Lines", "json::parse, then members (strict path)", [&] {
    return jsonLines(jsonl_path, program, [&](tauekel::io::LineReader& lines, runtime::DeclarationMembers& members) {
      auto value = json::parse(lines.line());
      if (!value) return false;
      tree = std::move(*value);
      return runtime::readJsonMembers(tree, members, runtime::kDefaultMaxItems);
    });
  });
  runtime::SimdjsonDeclarationReader simdjson;
  measure("JSON Lines", "simdjson into members (the loader's path)", [&] {
    return jsonLines(jsonl_path, program, [&](tauekel::io::LineReader& lines, runtime::DeclarationMembers& members) {
      runtime::FieldError bad;
      return simdjson.read(lines.line(), lines.readableFromLine(), members, runtime::kDefaultMaxItems, bad) ==
             runtime::SimdjsonDeclarationReader::Result::Declaration;
    });
  });
  measure("JSON Lines", "our loader into typed batches", [&] { return loader(jsonl_path, program); });
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
