// A CSV input cut into blocks by one thread (csv::BlockCutter) and read back block by
// block (csv::readBlock) reads exactly as one Reader over the whole input: the same
// records, fields, lines, raw prefixes, malformed records with their errors. Cuts fall
// only between records whose keys differ; past the bound the rest is read on as it comes.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <random>
#include <string>
#include <vector>

#include "support/csv_block.h"

using namespace tauekel;

namespace {

// What a reader says of one record.
std::string describe(const csv::Reader& r, csv::Reader::Status status) {
  std::string out = fmt::format("{} line {}:", static_cast<int>(status), r.line());
  if (status == csv::Reader::Status::Error) {
    out += " error " + r.error();
    for (const auto& f : r.fieldsBeforeError()) out += " [" + f + "]";
    return out;
  }
  for (size_t i = 0; i < r.size(); ++i) out += fmt::format(" [{}]@{}", r.field(i), r.column(i));
  if (r.size() > 1) out += " prefix [" + std::string(r.rawPrefix(1)) + "]";
  return out;
}

std::vector<std::string> readAll(csv::Reader& r) {
  std::vector<std::string> out;
  while (true) {
    auto status = r.next();
    if (status == csv::Reader::Status::End) return out;
    out.push_back(describe(r, status));
    if (status == csv::Reader::Status::Failed) return out;
  }
}

// The key is the first field, when the record shows it.
std::optional<std::string_view> firstField(const csv::Reader& r, csv::Reader::Status status) {
  if (status == csv::Reader::Status::Record) return r.size() > 0 ? r.field(0) : std::string_view{};
  if (!r.fieldsBeforeError().empty()) return r.fieldsBeforeError()[0];
  return std::nullopt;
}

struct Cut {
  std::vector<std::string> records;  // as the blocks read them
  std::string joined;                // the blocks' bytes, one after another
  size_t blocks = 0;
  bool rest = false;
};

Cut cutAndRead(const std::string& text, size_t target, bool stream = false) {
  // In memory the cutter has the whole input at once; as a stream, a MiB at a time.
  auto header = stream ? csv::Reader::fromSource(io::memoryInput("d.csv", text)) : csv::Reader::fromString(text);
  Cut cut;
  REQUIRE(header->next() == csv::Reader::Status::Record);
  cut.records.push_back(describe(*header, csv::Reader::Status::Record));
  cut.joined = std::string(header->rawRecord());
  csv::BlockCutter cutter(*header, firstField);
  while (true) {
    csv::ByteBlock block;
    auto got = cutter.next(block, target);
    REQUIRE(got);
    if (!*got) break;
    ++cut.blocks;
    cut.joined += block.bytes;
    if (block.rest) {
      cut.rest = true;
      auto reader = cutter.restReader(block);
      for (auto& r : readAll(*reader)) cut.records.push_back(std::move(r));
      CHECK_FALSE(*cutter.next(block, target));  // nothing after the rest
      break;
    }
    std::string bytes = block.bytes;
    auto reader = csv::readBlock(block, "d.csv", io::kDefaultMaxRecordBytes);
    auto records = readAll(*reader);
    CHECK(reader->takeText() == bytes);  // given back unchanged
    REQUIRE(!records.empty());
    for (auto& r : records) cut.records.push_back(std::move(r));
  }
  return cut;
}

}  // namespace

TEST_CASE("csv block: blocks read back as one reader reads the whole input") {
  // Declarations of 1 to 6 rows under one key each, with quoted fields (line breaks
  // and quotes inside), CRLF, blank lines, malformed rows and no final line break.
  std::mt19937_64 rng(42);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  std::string text = "key,a,b\n";
  for (int d = 0; d < 3000; ++d) {
    int rows = 1 + pick(6);
    for (int r = 0; r < rows; ++r) {
      int kind = pick(100);
      std::string key = "K" + std::to_string(d);
      if (kind < 75) text += key + ",plain " + std::to_string(r) + ",x\n";
      else if (kind < 85) text += key + ",\"quoted, with \"\"quotes\"\"\nand a line break\",y\r\n";
      else if (kind < 90) text += "\"" + key + "\",\"a\",\"b\"\n";
      else if (kind < 93) text += key + ",bad\"quote,z\n";
      else if (kind < 95) text += key + ",a\rb,c\n";
      else if (kind < 97) text += "\n\n";
      else text += "x\"y,unreadable key,z\n";
    }
  }
  text += "LAST,no,break";
  auto whole = csv::Reader::fromString(text);
  std::vector<std::string> expected = readAll(*whole);
  for (size_t target : {size_t{1}, size_t{100}, size_t{777}, size_t{4096}, size_t{65536}, size_t{1} << 22}) {
    CAPTURE(target);
    for (bool stream : {false, true}) {
      Cut cut = cutAndRead(text, target, stream);
      CHECK(cut.joined == text);
      CHECK(cut.records == expected);
      CHECK_FALSE(cut.rest);
      if (target == 4096) CHECK(cut.blocks > 20);
    }
  }
}

TEST_CASE("csv block: a cut falls only where the key changes, whatever the target") {
  std::string text = "key,v\n";
  for (int d = 0; d < 200; ++d)
    for (int r = 0; r < 5; ++r) text += "D" + std::to_string(d) + "," + std::to_string(r) + "\n";
  auto header = csv::Reader::fromString(text);
  REQUIRE(header->next() == csv::Reader::Status::Record);
  csv::BlockCutter cutter(*header, firstField);
  csv::ByteBlock block;
  uint64_t line = 2;
  while (*cutter.next(block, 37)) {
    CHECK(block.first_line == line);
    line += block.newlines;
    // Each block is whole declarations: five rows of each key.
    auto reader = csv::readBlock(block, "d.csv", io::kDefaultMaxRecordBytes);
    auto records = readAll(*reader);
    CHECK(records.size() % 5 == 0);
  }
  CHECK(line == 1002);
}

TEST_CASE("csv block: one key on row after row is read on as it comes, past the bound") {
  // 80 MiB of rows under one key: no cut may fall, so past 16 times the target (and at
  // least a MiB) the rest is read on one thread from there, as the whole input's reader
  // reads it.
  std::string row = "SAME," + std::string(200, 'v') + "\n";
  std::string text = "key,v\n";
  text.reserve(text.size() + row.size() * 400000 + 100);
  for (int i = 0; i < 400000; ++i) text += row;
  text += "OTHER,end\n";
  Cut cut = cutAndRead(text, 100000, true);
  CHECK(cut.rest);
  CHECK(text.compare(0, cut.joined.size(), cut.joined) == 0);  // the blocks, then the rest read on
  CHECK(cut.joined.size() < text.size());
  auto whole = csv::Reader::fromString(text);
  CHECK(cut.records == readAll(*whole));
}

TEST_CASE("csv block: line feeds are counted in any length") {
  for (size_t n : {0, 1, 15, 16, 17, 4079, 4080, 4081, 10000}) {
    std::string text(n, 'x');
    size_t expected = 0;
    for (size_t i = 0; i < n; i += 3) {
      text[i] = '\n';
      ++expected;
    }
    CHECK(csv::countNewlines(text.data(), text.size()) == expected);
  }
}
