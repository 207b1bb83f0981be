// Hostile and careless declarations and person registers: every record is screened or
// reported, a declaration is screened whole or rejected whole, ambiguous input is
// refused, resources are bounded, and every message names what it is about.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <filesystem>
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>

#include "cli_runner.h"
#include "support/json.h"

using namespace tauekel;
using e2e::run;
using e2e::sh;

namespace {
namespace fs = std::filesystem;
const std::string kPersons = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/persons.csv";
// With the summary (on standard error), whose counts the tests read.
const std::string kRun =
    "run --profiles " + std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu --persons " + kPersons + " --declarations ";

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Declaration keys of the decisions on standard output, in order.
std::vector<std::string> decidedKeys(const std::string& out) {
  std::vector<std::string> keys;
  for (const auto& line : splitLines(out)) {
    auto v = json::parse(line);
    REQUIRE_MESSAGE(v, line);
    keys.push_back(v->find("declaration")->asString());
  }
  return keys;
}

// rows read, processed, rejected from the summary.
std::array<uint64_t, 3> rowCounts(const std::string& err) {
  std::array<uint64_t, 3> n{};
  auto at = err.find("rows: ");
  REQUIRE(at != std::string::npos);
  REQUIRE(std::sscanf(err.c_str() + at, "rows: %lu read = %lu processed + %lu rejected", &n[0], &n[1], &n[2]) == 3);
  CHECK(n[0] == n[1] + n[2]);
  return n;
}

// The example's CSV lines, and the line numbers (0-based, header = 0) of the first
// declaration with at least three rows.
struct Example {
  std::vector<std::string> lines = splitLines(e2e::exampleDeclarations());
  std::string key;
  std::vector<size_t> rows;
  Example() {
    std::map<std::string, std::vector<size_t>> by_key;
    for (size_t i = 1; i < lines.size(); ++i) by_key[lines[i].substr(0, lines[i].find(','))].push_back(i);
    for (size_t i = 1; i < lines.size() && key.empty(); ++i) {
      std::string k = lines[i].substr(0, lines[i].find(','));
      if (by_key[k].size() >= 3) {
        key = k;
        rows = by_key[k];
      }
    }
    REQUIRE_FALSE(key.empty());
  }
};
}  // namespace

TEST_CASE("hostile input: a malformed CSV line rejects its whole declaration, not just itself") {
  e2e::Scratch scratch;
  Example ex;
  auto lines = ex.lines;
  // A quote inside an unquoted field of the declaration's second row (its key is readable).
  std::string& row = lines[ex.rows[1]];
  row.insert(row.find(',', row.find(',') + 1) + 1, "ab\"c");
  auto r = run(kRun + scratch.write("d.csv", joinLines(lines)) + " --on-error skip");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(fmt::format("d.csv:{}: quote inside unquoted field", ex.rows[1] + 1)) != std::string::npos);
  CHECK(r.err.find("all 3 rows of declaration \"" + ex.key + "\" rejected") != std::string::npos);
  auto keys = decidedKeys(r.out);
  CHECK(std::find(keys.begin(), keys.end(), ex.key) == keys.end());
  auto counts = rowCounts(r.err);
  CHECK(counts[2] == 3);

  // A row so broken that its key cannot be read (a quote in the first field): the
  // declarations on both sides of it are rejected.
  lines = ex.lines;
  size_t after = ex.rows.back();  // the declaration's last row; the next line starts another one
  lines.insert(lines.begin() + static_cast<long>(after) + 1, "x\"y,broken");
  std::string next_key = lines[after + 2].substr(0, lines[after + 2].find(','));
  auto both = run(kRun + scratch.write("d2.csv", joinLines(lines)) + " --on-error skip");
  CHECK(both.exit_code == 3);
  keys = decidedKeys(both.out);
  CHECK(std::find(keys.begin(), keys.end(), ex.key) == keys.end());
  CHECK(std::find(keys.begin(), keys.end(), next_key) == keys.end());
  CHECK(both.err.find(fmt::format("the row at line {} before it could not be read", after + 2)) != std::string::npos);
  rowCounts(both.err);
}

TEST_CASE("hostile input: a key that comes back is rejected there: one key, one decision") {
  e2e::Scratch scratch;
  Example ex;
  auto lines = ex.lines;
  // Move the declaration's first row to after the next declaration.
  std::string first = lines[ex.rows[0]];
  lines.erase(lines.begin() + static_cast<long>(ex.rows[0]));
  size_t next_end = ex.rows.back();  // the next declaration's first row, after the erase
  std::string next_key = lines[next_end].substr(0, lines[next_end].find(','));
  while (next_end < lines.size() && lines[next_end].rfind(next_key + ",", 0) == 0) ++next_end;
  lines.insert(lines.begin() + static_cast<long>(next_end), first);
  auto path = scratch.write("d.csv", joinLines(lines));

  auto skipped = run(kRun + path + " --on-error skip");
  CHECK(skipped.exit_code == 3);
  CHECK(skipped.err.find("declaration \"" + ex.key + "\" already appeared at line") != std::string::npos);
  auto keys = decidedKeys(skipped.out);
  CHECK(std::count(keys.begin(), keys.end(), ex.key) == 1);
  std::set<std::string> distinct(keys.begin(), keys.end());
  CHECK(distinct.size() == keys.size());
  rowCounts(skipped.err);
  // By default the run stops there, and an --out file is not written.
  auto stopped = run(kRun + path + " --out " + (scratch.path() / "out.jsonl").string());
  CHECK(stopped.exit_code == 3);
  CHECK_FALSE(fs::exists(scratch.path() / "out.jsonl"));

  // JSON Lines: the same declaration on two lines.
  std::string jsonl = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/declarations.jsonl");
  auto jl = splitLines(jsonl);
  jl.push_back(jl[0]);
  auto twice = run(kRun + scratch.write("d.jsonl", joinLines(jl)) + " --on-error skip");
  CHECK(twice.exit_code == 3);
  CHECK(twice.err.find(fmt::format("d.jsonl:{}: number: declaration", jl.size())) != std::string::npos);
  keys = decidedKeys(twice.out);
  CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == keys.size());
}

TEST_CASE("hostile input: a NUL or bad byte in one JSON line rejects that line and only that line") {
  e2e::Scratch scratch;
  auto jl = splitLines(e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/declarations.jsonl"));
  REQUIRE(jl.size() == 65);
  jl[2].insert(30, std::string(1, '\0'));
  jl[4].insert(30, "\xFF");
  jl[6].insert(1, "\"date\":\"2026-01-01\",");  // a member twice
  auto r = run(kRun + scratch.write("d.jsonl", "\xEF\xBB\xBF" + joinLines(jl)) + " --on-error skip");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("d.jsonl:3: a NUL byte at column 31") != std::string::npos);
  CHECK(r.err.find("d.jsonl:5: invalid UTF-8 (byte 0xFF) at column 31") != std::string::npos);
  CHECK(r.err.find(fmt::format("d.jsonl:7: invalid JSON at column {}: member \"date\" appears twice",
                               jl[6].find("\"date\"", 10) + 1)) != std::string::npos);
  CHECK(decidedKeys(r.out).size() == 62);  // the byte-order mark is skipped, the neighbours are screened
  auto counts = rowCounts(r.err);
  CHECK(counts[0] == 65);
  CHECK(counts[2] == 3);
}

TEST_CASE("hostile input: ambiguous or misnamed columns are refused or warned about") {
  e2e::Scratch scratch;
  Example ex;
  auto lines = ex.lines;
  lines[0] += ",net_kg";
  for (size_t i = 1; i < lines.size(); ++i) lines[i] += ",1";
  auto dup = run(kRun + scratch.write("dup.csv", joinLines(lines)));
  CHECK(dup.exit_code == 2);
  CHECK(dup.err.find("dup.csv:1: column \"net_kg\" appears twice in the header (columns 26 and 37)") != std::string::npos);

  std::string persons = e2e::readAll(kPersons);
  auto dup_persons = run("run -q --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv --persons " +
                         scratch.write("p.csv", "id," + persons));
  CHECK(dup_persons.exit_code == 2);
  CHECK(dup_persons.err.find("column \"id\" appears twice") != std::string::npos);

  // An optional field's column misspelled: read as missing on every row, so warned.
  lines = ex.lines;
  lines[0].replace(lines[0].find("consignee"), 9, "consigne");
  auto typo = run(kRun + scratch.write("typo.csv", joinLines(lines)));
  CHECK(typo.exit_code == 0);
  CHECK(typo.err.find("warning: ") != std::string::npos);
  CHECK(typo.err.find("column \"consigne\" matches no field, and the optional field `consignee` has no column") !=
        std::string::npos);
}

TEST_CASE("hostile input: empty files, folders, pipes, CR-only lines and file names get a clear message") {
  e2e::Scratch scratch;
  auto empty = run(kRun + scratch.write("empty.csv", ""));
  CHECK(empty.exit_code == 2);
  CHECK(empty.err.find("empty.csv is empty") != std::string::npos);
  auto header_only = run(kRun + scratch.write("h.csv", splitLines(e2e::exampleDeclarations())[0] + "\n"));
  CHECK(header_only.exit_code == 0);
  CHECK(header_only.err.find("holds no declarations") != std::string::npos);
  auto folder = run(kRun + scratch.path().string());
  CHECK(folder.exit_code == 2);
  CHECK(folder.err.find("is a directory") != std::string::npos);
  auto fifo = sh("mkfifo pipe.csv && timeout 10 $TAUEKEL " + kRun + "pipe.csv", scratch.path().string());
  CHECK(fifo.exit_code == 2);
  CHECK(fifo.err.find("is a named pipe (FIFO)") != std::string::npos);

  std::string csv = e2e::exampleDeclarations();
  std::replace(csv.begin(), csv.end(), '\n', '\r');
  auto cr = run(kRun + scratch.write("cr.csv", csv));
  CHECK(cr.exit_code == 2);
  CHECK(cr.err.find("CR-only line endings") != std::string::npos);

  // Standard input, and JSON Lines by any case of its extension; .json refused.
  auto from_stdin = sh("$TAUEKEL " + kRun + "- < examples/eaeu/data/declarations.csv");
  CHECK(from_stdin.exit_code == 0);
  CHECK(decidedKeys(from_stdin.out).size() == 65);
  auto jsonl_stdin = sh("$TAUEKEL " + kRun + "- --input-format jsonl < examples/eaeu/data/declarations.jsonl");
  CHECK(decidedKeys(jsonl_stdin.out).size() == 65);
  std::string jsonl = e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/declarations.jsonl");
  auto upper = run(kRun + scratch.write("D.JSONL", jsonl));
  CHECK(upper.exit_code == 0);
  CHECK(decidedKeys(upper.out).size() == 65);
  auto json = run(kRun + scratch.write("d.json", jsonl));
  CHECK(json.exit_code == 2);
  CHECK(json.err.find("a .json file holds one JSON document") != std::string::npos);
  CHECK(run(kRun + (scratch.path() / "d.json").string() + " --input-format jsonl").exit_code == 0);
  auto both_stdin = run("run -q --profiles examples/eaeu --declarations - --persons -");
  CHECK(both_stdin.exit_code == 2);
}

TEST_CASE("hostile input: endless sources stop at the record limit with a message naming the line") {
  e2e::Scratch scratch;
  auto zero = sh("timeout 60 $TAUEKEL " + kRun + "/dev/zero");
  CHECK(zero.exit_code == 3);
  CHECK(zero.err.find("/dev/zero:1: a record longer than 16 MiB") != std::string::npos);
  CHECK(zero.err.find("--max-record-bytes") != std::string::npos);
  auto zero_persons = sh("timeout 60 $TAUEKEL run -q --profiles examples/eaeu --declarations "
                         "examples/eaeu/data/declarations.csv --persons /dev/zero");
  CHECK(zero_persons.exit_code == 3);
  CHECK(zero_persons.err.find("/dev/zero:1: a record longer than") != std::string::npos);
  // A long line in the middle of a file, with a lower limit.
  auto lines = splitLines(e2e::exampleDeclarations());
  lines[5] += std::string(300000, 'x');
  auto path = scratch.write("long.csv", joinLines(lines));
  auto limited = run(kRun + path + " --max-record-bytes 100K");
  CHECK(limited.exit_code == 3);
  CHECK(limited.err.find("long.csv:6: a record longer than 100 KiB") != std::string::npos);
  CHECK(run(kRun + path + " --max-record-bytes 1M --on-error skip").exit_code == 3);  // read, and rejected as a row
  std::string jsonl = std::string(2 << 20, ' ') + "{}\n";
  auto long_json = run(kRun + scratch.write("long.jsonl", jsonl) + " --max-record-bytes 1M");
  CHECK(long_json.exit_code == 3);
  CHECK(long_json.err.find("long.jsonl:1: a line longer than 1 MiB") != std::string::npos);
  // A person register larger than --max-data-bytes.
  auto big = run("run -q --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv --persons " +
                 kPersons + " --max-data-bytes 1K");
  CHECK(big.exit_code == 2);
  CHECK(big.err.find("the person register may have at most 1 KiB") != std::string::npos);
  // Limits are checked as options.
  CHECK(run(kRun + path + " --max-record-bytes 0").exit_code == 2);
  CHECK(run(kRun + path + " --max-record-bytes lots").exit_code == 2);
}

TEST_CASE("hostile input: one key repeated without end is one declaration, rejected at the item limit") {
  e2e::Scratch scratch;
  auto lines = splitLines(e2e::exampleDeclarations());
  std::string row = lines[1];
  std::string many = lines[0] + "\n";
  for (int i = 0; i < 5000; ++i) many += row + "\n";
  many += lines[lines.size() - 1] + "\n";
  auto r = run(kRun + scratch.write("many.csv", many) + " --max-items 1000 --on-error skip");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("the declaration has more than 1000 goods items") != std::string::npos);
  CHECK(r.err.find("all 5000 rows of declaration") != std::string::npos);
  CHECK(decidedKeys(r.out).size() == 1);
  auto counts = rowCounts(r.err);
  CHECK(counts[0] == 5001);
  CHECK(counts[2] == 5000);
}

TEST_CASE("hostile input: messages are exact, options that make no sense are usage errors") {
  e2e::Scratch scratch;
  Example ex;
  auto lines = ex.lines;
  // A NUL byte in a text field, and a bad goods-item number: each named by its column.
  size_t description = 0;
  for (int i = 0; i < 21; ++i) description = lines[1].find(',', description) + 1;
  lines[1].insert(description, std::string(1, '\0'));
  size_t item_number = 0;
  for (int i = 0; i < 20; ++i) item_number = lines[20].find(',', item_number) + 1;
  lines[20].replace(item_number, lines[20].find(',', item_number) - item_number, "first");
  auto r = run(kRun + scratch.write("d.csv", joinLines(lines)) + " --on-error skip");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("d.csv:2: description: text holds a NUL byte") != std::string::npos);
  CHECK(r.err.find("d.csv:21: item_number: \"first\" is not an integer") != std::string::npos);
  for (const char* option : {" --as-of ''", " --batch-items -1", " --batch-items 0", " --batch-items 99999999999",
                             " --out ''", " --persons ''"}) {
    auto bad = run(kRun + "examples/eaeu/data/declarations.csv" + option);
    INFO(option, bad.err);
    CHECK(bad.exit_code == 2);
  }
}

TEST_CASE("hostile input: persons not in the register are counted, and a run without one warns") {
  auto without = run("run --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv");
  CHECK(without.exit_code == 0);
  CHECK(without.err.find("warning: no person register (--persons): every person the declarations name is "
                         "unregistered") != std::string::npos);
  CHECK(without.err.find("persons: no register; ") != std::string::npos);
  auto with = run("run --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv --persons " + kPersons);
  CHECK(with.err.find("warning") == std::string::npos);
  auto at = with.err.find("persons: 30 rows read, 30 registered, 0 rejected; ");
  REQUIRE(at != std::string::npos);
  unsigned long missing = std::stoul(with.err.substr(with.err.find("; ", at) + 2));
  CHECK(missing > 0);
  unsigned long all = std::stoul(without.err.substr(without.err.find("persons: no register; ") + 22));
  CHECK(all > missing);
}

TEST_CASE("hostile input: inputs the load fuzzer found crash nothing") {
  // Each data file in tests/fuzz_regressions once crashed a loader: read it as CSV and as
  // JSON Lines declarations, and as a person register, the way the fuzzer does.
  for (const auto& entry : fs::directory_iterator(std::string(TAUEKEL_SOURCE_DIR) + "/tests/fuzz_regressions")) {
    if (entry.path().extension() == ".risk") continue;
    std::string path = entry.path().string();
    for (const std::string& args :
         {kRun + path + " --input-format csv", kRun + path + " --input-format jsonl",
          "run --profiles examples/eaeu --declarations examples/eaeu/data/declarations.csv --persons " + path}) {
      for (const char* mode : {" --on-error skip --batch-items 7 --max-record-bytes 4096", ""}) {
        auto r = run(args + mode);
        INFO(args, mode, r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 2 || r.exit_code == 3));
      }
    }
  }
}

TEST_CASE("hostile input: a key that came back is the fault told, before a bad field in its rows, after a broken row") {
  e2e::Scratch scratch;
  Example ex;  // a declaration of three or more rows
  // The declaration again at the end, its second row also holding a bad date: the key
  // that came back is what is said (it was found first), for all its rows.
  auto lines = ex.lines;
  std::vector<std::string> again;
  for (size_t r : ex.rows) again.push_back(lines[r]);
  std::string& second = again[1];
  size_t date = second.find(',') + 1;
  second.replace(date, second.find(',', date) - date, "2026-13-45");
  for (const auto& row : again) lines.push_back(row);
  auto told = run(kRun + scratch.write("d.csv", joinLines(lines)) + " --on-error skip");
  CHECK(told.exit_code == 3);
  CHECK(told.err.find(fmt::format("d.csv:{}: number: declaration \"{}\" already appeared at line {}", ex.lines.size() + 1,
                                  ex.key, ex.rows[0] + 1)) != std::string::npos);
  CHECK(told.err.find("is not a date") == std::string::npos);
  CHECK(told.err.find(fmt::format("all {} rows of declaration \"{}\" rejected", ex.rows.size(), ex.key)) != std::string::npos);
  rowCounts(told.err);

  // An unreadable row just before it: that fault came first, and is the one told.
  lines = ex.lines;
  lines.push_back("x\"y,broken");
  for (size_t r : ex.rows) lines.push_back(ex.lines[r]);
  auto broken = run(kRun + scratch.write("d2.csv", joinLines(lines)) + " --on-error skip");
  CHECK(broken.exit_code == 3);
  CHECK(broken.err.find(fmt::format("the row at line {} before it could not be read", ex.lines.size() + 1)) !=
        std::string::npos);
  CHECK(broken.err.find("already appeared") == std::string::npos);
  rowCounts(broken.err);
}
