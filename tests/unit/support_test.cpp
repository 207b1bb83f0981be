#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "support/codes.h"
#include "support/csv.h"
#include "support/date.h"
#include "support/decimal.h"
#include "support/integer.h"
#include "support/json.h"
#include "support/utf8.h"

using namespace tauekel;

TEST_CASE("decimal: parses exactly and formats back") {
  CHECK(decimal::parse("0.7").scaled == 700000);
  CHECK(decimal::parse("-12.345678").scaled == -12345678);
  CHECK(decimal::parse("1_000.5", true).scaled == 1000500000);
  CHECK(decimal::parse("1.2300000000").status == decimal::ParseStatus::Ok);  // trailing zeros lose nothing
  CHECK(decimal::parse("1.0000001").status == decimal::ParseStatus::TooManyDigits);
  CHECK(decimal::parse("1e5").status == decimal::ParseStatus::BadFormat);
  CHECK(decimal::parse(".5").status == decimal::ParseStatus::BadFormat);
  CHECK(decimal::parse("5.").status == decimal::ParseStatus::BadFormat);
  CHECK(decimal::parse("99999999999999").status == decimal::ParseStatus::OutOfRange);
  CHECK(decimal::format(700000) == "0.7");
  CHECK(decimal::format(-1500000) == "-1.5");
  CHECK(decimal::format(42000000) == "42");
  CHECK(decimal::format(1) == "0.000001");
}

TEST_CASE("decimal: arithmetic is exact, truncates toward zero, saturates") {
  // 0.1 + 0.2 == 0.3 exactly
  CHECK(decimal::add(decimal::parse("0.1").scaled, decimal::parse("0.2").scaled) == decimal::parse("0.3").scaled);
  CHECK(decimal::mul(decimal::parse("0.7").scaled, decimal::parse("12.5").scaled) == decimal::parse("8.75").scaled);
  CHECK(decimal::div(decimal::parse("10").scaled, decimal::parse("3").scaled) == 3333333);
  CHECK(decimal::div(decimal::parse("-10").scaled, decimal::parse("3").scaled) == -3333333);
  CHECK(decimal::add(decimal::kMax, 1) == decimal::kMax);
  CHECK(decimal::sub(decimal::kMin, 1) == decimal::kMin);
  CHECK(decimal::mul(decimal::kMax, decimal::kMax) == decimal::kMax);
  CHECK(decimal::neg(decimal::kMin) == decimal::kMax);
  CHECK(decimal::divInt(decimal::kMin, -1) == decimal::kMax);
}

TEST_CASE("integer: parse within range only") {
  CHECK(integer::parse("42") == 42);
  CHECK(integer::parse("-9223372036854775807") == -9223372036854775807LL);
  CHECK_FALSE(integer::parse("9223372036854775808"));
  CHECK_FALSE(integer::parse("1.0"));
  CHECK_FALSE(integer::parse(""));
  CHECK_FALSE(integer::parse("-"));
}

TEST_CASE("date: strict ISO dates round trip") {
  CHECK(date::parse("1970-01-01") == 0);
  CHECK(date::parse("2026-01-01") == 20454);
  CHECK(date::parse("2024-02-29"));
  CHECK_FALSE(date::parse("2026-02-29"));
  CHECK_FALSE(date::parse("2026-13-01"));
  CHECK_FALSE(date::parse("2026-1-01"));
  // years 0001 to 9999
  for (int32_t d = -719162; d <= 2932896; d += 997) CHECK(date::parse(date::format(d)) == d);
}

TEST_CASE("codes: commodity codes pad to 10 digits and test prefixes") {
  auto shoes = codes::parseHs("6403");
  REQUIRE(shoes);
  CHECK(shoes->padded == 6403000000);
  auto boot = codes::parseHs("6403990000");
  REQUIRE(boot);
  CHECK(codes::hsHasPrefix(boot->padded, *shoes));
  CHECK_FALSE(codes::hsHasPrefix(codes::parseHs("6404")->padded, *shoes));
  CHECK(codes::hsHasPrefix(boot->padded, *codes::parseHs("64")));
  CHECK_FALSE(codes::parseHs("640"));    // odd length
  CHECK_FALSE(codes::parseHs("64a3"));
  CHECK_FALSE(codes::parseHs("640399000012"));
  CHECK(codes::formatHs(boot->padded, 6) == "640399");
  CHECK(codes::parseCountry("KZ"));
  CHECK(codes::formatCountry(*codes::parseCountry("KZ")) == "KZ");
  CHECK_FALSE(codes::parseCountry("kz"));
  CHECK_FALSE(codes::parseCountry("KAZ"));
}

TEST_CASE("utf8: finds the first bad byte and repairs text") {
  CHECK(utf8::findProblem("caf\xC3\xA9").kind == utf8::Problem::None);
  auto overlong = utf8::findProblem("ab\xC0\xAF");
  CHECK(overlong.kind == utf8::Problem::InvalidSequence);
  CHECK(overlong.offset == 2);
  CHECK(utf8::findProblem("\xED\xA0\x80").kind == utf8::Problem::InvalidSequence);  // surrogate
  CHECK(utf8::findProblem(std::string("a\0b", 3)).kind == utf8::Problem::NulByte);
  CHECK(utf8::findProblem("\xE2\x82").kind == utf8::Problem::InvalidSequence);  // truncated
  CHECK(utf8::countCodePoints("caf\xC3\xA9") == 4);
  CHECK(utf8::sanitize("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  // Controls from data files show as their pictures (one column each), never raw.
  CHECK(utf8::sanitize("a\x01", true) == "a\xE2\x90\x81");
  CHECK(utf8::sanitize("\x1B[2J", true) == "\xE2\x90\x9B[2J");
  CHECK(utf8::sanitize(std::string("a\0b", 3), true) == "a\xE2\x90\x80" "b");
  CHECK(utf8::sanitize("\x7F", true) == "\xE2\x90\xA1");
  CHECK(utf8::sanitize("\xC2\x9B" "31m", true) == "\xEF\xBF\xBD" "31m");  // C1 CSI
  CHECK(utf8::sanitize("tab\there", true) == "tab\there");
}

TEST_CASE("json: writer escapes and reader reads it back") {
  std::string out;
  json::Writer w(out);
  w.beginObject().key("name").value("a\"b\\c\n\x01").key("n").value(int64_t{-5}).key("list").beginArray();
  w.value(true).null().endArray().endObject();
  CHECK(out == R"({"name":"a\"b\\c\n\u0001","n":-5,"list":[true,null]})");
  auto parsed = json::parse(out);
  REQUIRE(parsed);
  CHECK(parsed->find("name")->asString() == "a\"b\\c\n\x01");
  CHECK(parsed->find("n")->numberText() == "-5");
  CHECK(parsed->find("list")->asArray().size() == 2);
  CHECK(json::parse(R"({"s":"\u00e9\ud83d\ude00"})")->find("s")->asString() == "\xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("json: reader rejects what RFC 8259 rejects") {
  CHECK_FALSE(json::parse("{\"a\":1,}"));
  CHECK_FALSE(json::parse("[1 2]"));
  CHECK_FALSE(json::parse("01"));
  CHECK_FALSE(json::parse("\"\\x\""));
  CHECK_FALSE(json::parse("\"\\ud800\""));
  CHECK_FALSE(json::parse("{} x"));
  CHECK_FALSE(json::parse(std::string(300, '[') + std::string(300, ']')));  // depth limit, no stack overflow
}

TEST_CASE("csv: RFC 4180 quoting, CRLF and blank lines") {
  auto r = csv::Reader::fromString("a,b,c\r\n\"x,1\",\"he said \"\"hi\"\"\",\n\n\"multi\nline\",2,3\n");
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->size() == 3);
  CHECK(r->field(2) == "c");
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->line() == 2);
  CHECK(r->field(0) == "x,1");
  CHECK(r->field(1) == "he said \"hi\"");
  CHECK(r->field(2) == "");
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->line() == 4);
  CHECK(r->field(0) == "multi\nline");
  CHECK(r->field(2) == "3");
  CHECK(r->next() == csv::Reader::Status::End);
}

TEST_CASE("csv: a bad record is reported with its line and reading goes on") {
  auto r = csv::Reader::fromString("h1,h2\nok,1\nbad\"quote,2\n\"x\"y,3\nlast,4");
  REQUIRE(r->next() == csv::Reader::Status::Record);
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->next() == csv::Reader::Status::Error);
  CHECK(r->line() == 3);
  CHECK(r->next() == csv::Reader::Status::Error);
  CHECK(r->line() == 4);
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->field(0) == "last");
  CHECK(r->line() == 5);
  CHECK(r->next() == csv::Reader::Status::End);
  auto unterminated = csv::Reader::fromString("\"never closed,1\n");
  CHECK(unterminated->next() == csv::Reader::Status::Error);
}

TEST_CASE("csv: unquoted fields of every length end where their separator is") {
  // The scanner looks at 16 bytes at a time: put the separators at every offset.
  std::string text;
  std::vector<std::vector<std::string>> expected;
  for (size_t a = 0; a <= 40; ++a) {
    std::vector<std::string> row = {std::string(a, 'x'), std::string(40 - a, 'y'), "z"};
    text += row[0] + "," + row[1] + "," + row[2] + (a % 2 ? "\r\n" : "\n");
    expected.push_back(row);
  }
  auto r = csv::Reader::fromString(text + std::string(37, 'q') + "\"late quote,1\nend,2\n");
  for (const auto& row : expected) {
    REQUIRE(r->next() == csv::Reader::Status::Record);
    REQUIRE(r->size() == 3);
    for (size_t i = 0; i < 3; ++i) CHECK(r->field(i) == row[i]);
  }
  CHECK(r->next() == csv::Reader::Status::Error);  // a quote 37 bytes into an unquoted field
  CHECK(r->line() == expected.size() + 1);
  REQUIRE(r->next() == csv::Reader::Status::Record);
  CHECK(r->field(0) == "end");
}

TEST_CASE("csv: records that cross the read buffer survive") {
  // Write a file larger than the 1 MiB buffer with quoted fields, and read it back.
  std::string path = "/tmp/tauekel-csv-buffer-test.csv";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    std::fputs("id,text\n", f);
    for (int i = 0; i < 40000; ++i) std::fprintf(f, "%d,\"row %d, with \"\"quotes\"\" and padding padding\"\n", i, i);
    std::fclose(f);
  }
  auto opened = csv::Reader::open(path);
  REQUIRE(opened);
  auto& r = **opened;
  REQUIRE(r.next() == csv::Reader::Status::Record);
  int rows = 0;
  while (r.next() == csv::Reader::Status::Record) {
    REQUIRE(r.size() == 2);
    CHECK(r.field(0) == std::to_string(rows));
    CHECK(r.field(1) == "row " + std::to_string(rows) + ", with \"quotes\" and padding padding");
    CHECK(r.line() == static_cast<uint64_t>(rows + 2));
    ++rows;
  }
  CHECK(rows == 40000);
  std::remove(path.c_str());
}

namespace {
// Hands out its text a few bytes at a time, so records cross the reader's refills.
class TricklingSource : public io::ByteSource {
 public:
  TricklingSource(std::string text, uint64_t seed) : io::ByteSource("trickle"), text_(std::move(text)), rng_(seed) {}
  Expected<size_t> read(char* buffer, size_t n) override {
    size_t k = std::min({n, text_.size() - at_, static_cast<size_t>(std::uniform_int_distribution<int>(1, 300)(rng_))});
    std::memcpy(buffer, text_.data() + at_, k);
    at_ += k;
    return k;
  }

 private:
  std::string text_;
  size_t at_ = 0;
  std::mt19937_64 rng_;
};

// Everything a reader says about its records, to compare two readers with.
std::string transcript(csv::Reader& r) {
  std::string out;
  while (true) {
    auto status = r.next();
    out += fmt::format("status {} line {}", static_cast<int>(status), r.line());
    if (status == csv::Reader::Status::End) return out;
    if (status == csv::Reader::Status::Failed) return out + " failed: " + r.error() + "\n";
    if (status == csv::Reader::Status::Error) {
      out += " error: " + r.error() + " before:";
      for (const auto& f : r.fieldsBeforeError()) out += " [" + f + "]";
    }
    for (size_t i = 0; i < r.size(); ++i)
      out += fmt::format(" [{}]@{} prefix [{}]", r.field(i), r.column(i), r.rawPrefix(i));
    if (status == csv::Reader::Status::Record) out += fmt::format(" raw [{}]", r.rawRecord());
    out += "\n";
  }
}
}  // namespace

TEST_CASE("csv: plain lines read at once read as the general loop reads them") {
  // Random records of plain fields, quoted ones, CRLF, bare CRs, stray quotes, blank and
  // long lines; read whole, and trickled in pieces that cut records anywhere.
  std::mt19937_64 rng(20261208);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  for (int round = 0; round < 60; ++round) {
    std::string text;
    int lines = 50 + pick(200);
    for (int l = 0; l < lines; ++l) {
      int fields = 1 + pick(40);
      for (int f = 0; f < fields; ++f) {
        if (f > 0) text += ',';
        int kind = pick(100);
        if (kind < 80) text += std::string(static_cast<size_t>(pick(12)), static_cast<char>('a' + pick(26)));
        else if (kind < 90) text += "\"q,\"\"x\"\"\ny\"";
        else if (kind < 93) text += "a\rb";
        else if (kind < 96) text += "a\"b";
        else text += std::string(static_cast<size_t>(60 + pick(200)), 'L');
      }
      int end = pick(100);
      text += end < 70 ? "\n" : end < 90 ? "\r\n" : end < 95 ? "\n\n" : "\r";
    }
    if (pick(2)) text += "last,line";  // no line break at the end
    // A small limit too: which of two faults of one record is told (too long, or
    // malformed) may depend on how much was read when it showed, but never on the path.
    uint64_t limit = round % 5 == 0 ? 100 + static_cast<uint64_t>(pick(200)) : io::kDefaultMaxRecordBytes;
    auto read = [&](bool trickle, bool plain_lines) {
      auto r = trickle ? csv::Reader::fromSource(std::make_unique<TricklingSource>(text, static_cast<uint64_t>(round)), limit)
                       : csv::Reader::fromString(text, limit);
      r->setPlainLines(plain_lines);
      return transcript(*r);
    };
    std::string whole = read(false, false);
    CHECK(read(false, true) == whole);
    CHECK(read(true, true) == read(true, false));
    if (limit == io::kDefaultMaxRecordBytes) CHECK(read(true, true) == whole);
  }
}

#include "engine/sampling.h"

TEST_CASE("sampling: FNV-1a over profile, measure and declaration, the share decides") {
  // FNV-1a 64 of "\x1F\x1F" (two separators, empty parts), computed by hand.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : std::string("\x1F\x1F")) {
    h ^= c;
    h *= 1099511628211ull;
  }
  CHECK(engine::sampleHash("", "", "") == h);
  CHECK(engine::sampleHash("P", "M", "D1") != engine::sampleHash("P", "M", "D2"));
  CHECK(engine::sampleHash("P", "M1", "D") != engine::sampleHash("P", "M2", "D"));
  int in10 = 0, in50 = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string d = "D" + std::to_string(i);
    bool a = engine::inSample(100000, "KZ-1", "INSPECTION", d), b = engine::inSample(500000, "KZ-1", "INSPECTION", d);
    CHECK((!a || b));  // a larger share contains the smaller one
    in10 += a;
    in50 += b;
    CHECK_FALSE(engine::inSample(0, "KZ-1", "INSPECTION", d));
    CHECK(engine::inSample(1000000, "KZ-1", "INSPECTION", d));
  }
  CHECK(in10 > 850);
  CHECK(in10 < 1150);
  CHECK(in50 > 4700);
  CHECK(in50 < 5300);
  // Hashed four at a time, the same values as one by one, for any count.
  std::vector<uint64_t> seeds;
  for (int n = 0; n <= 11; ++n) {
    std::vector<uint64_t> got(seeds.size());
    engine::sampleHashes(seeds.data(), seeds.size(), "55215031/250226/0000001", got.data());
    for (size_t i = 0; i < seeds.size(); ++i) CHECK(got[i] == engine::fnv1a(seeds[i], "55215031/250226/0000001"));
    seeds.push_back(engine::sampleSeed("P" + std::to_string(n), "M"));
  }
}

TEST_CASE("date: the ends of the range convert without overflow") {
  int y;
  unsigned m, d;
  date::toCivil(INT32_MAX, y, m, d);
  CHECK(y > 5'000'000);
  date::toCivil(INT32_MIN, y, m, d);
  CHECK(y < -5'000'000);
  CHECK(m >= 1);
  CHECK(m <= 12);
}

TEST_CASE("decimal: the 64-bit fast paths agree with 128-bit arithmetic") {
  std::mt19937_64 rng(3);
  auto wide = [](int64_t a, int64_t b) { return decimal::clamp128(static_cast<__int128>(a) * decimal::kScale / b); };
  auto wideMul = [](int64_t a, int64_t b) { return decimal::clamp128(static_cast<__int128>(a) * b / decimal::kScale); };
  const int64_t edges[] = {0, 1, -1, 999999, 1000000, -1000000, 9223372036854LL, -9223372036854LL, decimal::kMax,
                           decimal::kMin, decimal::kMax - 1, decimal::kMin + 1, 123456789012345LL};
  for (int64_t a : edges)
    for (int64_t b : edges) {
      CHECK(decimal::mul(a, b) == wideMul(a, b));
      if (b != 0) CHECK(decimal::div(a, b) == wide(a, b));
    }
  for (int i = 0; i < 200000; ++i) {
    int shift_a = static_cast<int>(rng() % 63), shift_b = static_cast<int>(rng() % 63);
    auto a = static_cast<int64_t>(rng() >> (1 + shift_a)) * (rng() & 1 ? 1 : -1);
    auto b = static_cast<int64_t>(rng() >> (1 + shift_b)) * (rng() & 1 ? 1 : -1);
    CHECK(decimal::mul(a, b) == wideMul(a, b));
    if (b != 0) CHECK(decimal::div(a, b) == wide(a, b));
  }
}
