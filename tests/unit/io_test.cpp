// The readers and writers that face files: byte sources, the CSV and line readers with
// their limits, whole-file reads, atomic output files, the JSON reader's strictness, and
// the set of declaration keys already seen.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "runtime/load/seen_keys.h"
#include "support/csv.h"
#include "support/input_file.h"
#include "support/json.h"
#include "support/line_reader.h"
#include "support/output_file.h"
#include "tests/common/temp_dir.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {
// Gives its text in pieces of `step` bytes, then fails: a disk that breaks mid-file.
class BrokenSource : public io::ByteSource {
 public:
  BrokenSource(std::string text, size_t step) : ByteSource("broken.csv"), text_(std::move(text)), step_(step) {}
  Expected<size_t> read(char* buffer, size_t n) override {
    if (pos_ >= text_.size()) return Error{"cannot read broken.csv: Input/output error"};
    size_t k = std::min({n, step_, text_.size() - pos_});
    std::memcpy(buffer, text_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string text_;
  size_t step_, pos_ = 0;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("csv: a carriage return must be followed by a line feed, except at the very end") {
  auto r = csv::Reader::fromString("a,b\r\nc,d\re,f\n\"q\"\rx\nlast,1\r");
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->field(1) == "b");
  CHECK(r->next() == csv::Reader::Status::Error);
  CHECK(r->error().find("CR-only line endings") != std::string::npos);
  CHECK(r->fieldsBeforeError() == std::vector<std::string>{"c"});
  CHECK(r->next() == csv::Reader::Status::Error);  // after a quoted field
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->field(1) == "1");
  CHECK(r->next() == csv::Reader::Status::End);
}

TEST_CASE("csv: a record longer than the limit stops reading, a read error is not an end") {
  auto limited = csv::Reader::fromSource(io::memoryInput("big.csv", "h\nshort\n" + std::string(5000, 'x') + "\nafter\n"), 1000);
  REQUIRE(limited->next() == csv::Reader::Status::Record);
  REQUIRE(limited->next() == csv::Reader::Status::Record);
  CHECK(limited->next() == csv::Reader::Status::Failed);
  CHECK(limited->limitExceeded());
  CHECK(limited->line() == 3);
  CHECK(limited->error().find("longer than 1000 bytes") != std::string::npos);
  CHECK(limited->next() == csv::Reader::Status::Failed);  // and stays stopped

  // A bad line that is also endless: skipping it is bounded too.
  auto endless = csv::Reader::fromSource(io::memoryInput("z.csv", "a\"b" + std::string(5000, 'y')), 1000);
  CHECK(endless->next() == csv::Reader::Status::Failed);
  CHECK(endless->limitExceeded());

  auto broken = csv::Reader::fromSource(std::make_unique<BrokenSource>("h1,h2\n1,2\n3,", 3));
  REQUIRE(broken->next() == csv::Reader::Status::Record);
  REQUIRE(broken->next() == csv::Reader::Status::Record);
  CHECK(broken->next() == csv::Reader::Status::Failed);
  CHECK_FALSE(broken->limitExceeded());
  CHECK(broken->error() == "cannot read broken.csv: Input/output error");
}

TEST_CASE("csv: the last field of a file without a final line break, read from a stream") {
  // Found by the load fuzzer: the buffer moved at the end of the input and the last
  // field kept its old offset (a length of nearly 2^64).
  auto r = csv::Reader::fromSource(io::memoryInput("t.csv", "a,b\n1,22"));
  REQUIRE(r->next() == csv::Reader::Status::Record);
  REQUIRE(r->next() == csv::Reader::Status::Record);
  REQUIRE(r->size() == 2);
  CHECK(r->field(0) == "1");
  CHECK(r->field(1) == "22");
  CHECK(r->next() == csv::Reader::Status::End);
}

TEST_CASE("line reader: lines whole whatever their bytes, byte-order mark, limit, last line") {
  std::string text = std::string("\xEF\xBB\xBF") + "one\r\ntw" + std::string(1, '\0') + "o\n\nthree";
  io::LineReader lines(io::memoryInput("t.jsonl", text), 100);
  REQUIRE(lines.next() == io::LineReader::Status::Line);
  CHECK(lines.line() == "one");
  REQUIRE(lines.next() == io::LineReader::Status::Line);
  CHECK(lines.line() == std::string("tw\0o", 4));
  CHECK(lines.lineNumber() == 2);
  REQUIRE(lines.next() == io::LineReader::Status::Line);
  CHECK(lines.line().empty());
  REQUIRE(lines.next() == io::LineReader::Status::Line);
  CHECK(lines.line() == "three");
  CHECK(lines.next() == io::LineReader::Status::End);

  io::LineReader limited(io::memoryInput("t.jsonl", "ok\n" + std::string(3 << 20, 'x') + "\n"), 1 << 20);
  REQUIRE(limited.next() == io::LineReader::Status::Line);
  CHECK(limited.next() == io::LineReader::Status::Failed);
  CHECK(limited.limitExceeded());
  CHECK(limited.lineNumber() == 2);
}

TEST_CASE("input files: what is refused, and whole reads stop at their limit") {
  test::TempDir dir;
  CHECK(io::openInput(dir.path().string()).error().message.find("is a directory") != std::string::npos);
  CHECK(io::openInput((dir.path() / "none").string()).error().message.find("No such file") != std::string::npos);
  CHECK_FALSE(io::openInput(""));
  auto path = dir.write("f.txt", "hello");
  auto whole = io::readWhole(path, 5);
  REQUIRE(whole);
  CHECK(*whole == "hello");
  CHECK(io::readWhole(path, 4).error().message.find("at most 4 bytes") != std::string::npos);
  auto zero = io::readWhole("/dev/zero", 1 << 16);
  CHECK_FALSE(zero);
  CHECK(zero.error().message.find("larger than 64 KiB") != std::string::npos);

  CHECK(*io::parseByteCount("16M") == 16u << 20);
  CHECK(*io::parseByteCount("1g") == 1u << 30);
  CHECK(*io::parseByteCount("4096") == 4096);
  for (const char* bad : {"", "0", "-1", "1.5M", "12X", "M", "99999999999999999999", "20000000000G"})
    CHECK_FALSE(io::parseByteCount(bad));
  CHECK(io::describeBytes(1536) == "1536 bytes");
  CHECK(io::describeBytes(3u << 20) == "3 MiB");
}

TEST_CASE("output file: replaced only on commit, nothing left behind otherwise") {
  test::TempDir dir;
  auto target = dir.write("out.txt", "old");
  {
    auto out = io::OutputFile::open(target);
    REQUIRE(out);
    REQUIRE((*out)->write("new content"));
    CHECK(slurp(target) == "old");  // not visible before the commit
  }
  CHECK(slurp(target) == "old");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
  {
    auto out = io::OutputFile::open(target);
    REQUIRE(out);
    REQUIRE((*out)->write("new content"));
    REQUIRE((*out)->commit());
  }
  CHECK(slurp(target) == "new content");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  // Inputs, by any route, are refused.
  auto input = dir.write("in.csv", "data");
  fs::create_hard_link(input, dir.path() / "alias.csv");
  CHECK_FALSE(io::OutputFile::open((dir.path() / "alias.csv").string(), {input}));
  CHECK_FALSE(io::refuseInput((dir.path() / "." / "in.csv").string(), {input}));
  CHECK(io::refuseInput((dir.path() / "fresh.csv").string(), {input}));
  CHECK(slurp(input) == "data");

  // A device that fails every write: the error comes back, and stays.
  auto full = io::OutputFile::open("/dev/full");
  REQUIRE(full);
  auto written = (*full)->write("x");
  REQUIRE_FALSE(written);
  CHECK(written.error().message.find("No space left on device") != std::string::npos);
  CHECK_FALSE((*full)->commit());
  CHECK_FALSE(io::OutputFile::open(dir.path().string()));
}

TEST_CASE("json: a member named twice is an error, in small and large objects") {
  CHECK(json::parse(R"({"a":1,"b":2})"));
  auto small = json::parse(R"({"a":1,"b":2,"a":3})");
  REQUIRE_FALSE(small);
  CHECK(small.error().message.find("member \"a\" appears twice") != std::string::npos);
  std::string big = "{";
  for (int i = 0; i < 100; ++i) big += fmt::format("\"m{}\":{},", i, i);
  CHECK(json::parse(big + "\"last\":0}"));
  auto repeated = json::parse(big + "\"m3\":0}");
  REQUIRE_FALSE(repeated);
  CHECK(repeated.error().message.find("\"m3\"") != std::string::npos);
}

TEST_CASE("seen keys: a key comes back with the line it was first seen on") {
  runtime::SeenKeys seen;
  for (uint64_t i = 0; i < 100000; ++i) REQUIRE(seen.insert("D" + std::to_string(i), i + 2) == 0);
  CHECK(seen.size() == 100000);
  CHECK(seen.insert("D0", 999999) == 2);
  CHECK(seen.insert("D99999", 999999) == 100001);
  CHECK(seen.insert("", 5) == 0);
  CHECK(seen.insert("", 6) == 5);
  CHECK(seen.insert("far", uint64_t{1} << 40) == 0);
  CHECK(seen.insert("far", 7) == UINT64_MAX);  // a line past 2^32 is not kept
}
