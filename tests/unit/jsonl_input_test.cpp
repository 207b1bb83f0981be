// JSON Lines read with simdjson: numbers by their text (exact decimals, integers past
// 2^53), exponents, NaN and Infinity refused naming the line and JSON path, and the
// simdjson reader against the strict json::parse path: on the example, on generated
// lines and on mangled ones, the two agree on every line (accepted or not, and what it
// holds), and the batches decide alike.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <random>
#include <sstream>

#include "engine/decision_json.h"
#include "engine/screener.h"
#include "runtime/load/declaration_json.h"
#include "runtime/load/declaration_simdjson.h"
#include "runtime/load/sources.h"
#include "runtime/load/value_batch_builder.h"
#include "support/json.h"
#include "tests/common/example_screener.h"

using namespace tauekel;

namespace {

const std::string kExample = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> exampleLines() {
  std::vector<std::string> out;
  std::istringstream lines(readFile(kExample + "/data/declarations.jsonl"));
  std::string line;
  while (std::getline(lines, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

std::shared_ptr<const engine::Screener> screener() { return test::exampleScreener(); }

const sema::Program& program() { return screener()->program(); }

std::string decisionsOf(const runtime::Batch& batch) {
  std::string out;
  for (const auto& d : screener()->screen(batch)) {
    engine::appendJson(out, d);
    out += '\n';
  }
  return out;
}

struct Read {
  std::string decisions;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  runtime::LoadStats stats;
};

// Reads `text` as a JSON Lines file with the loader (simdjson, json::parse when unsure).
Read readJsonLines(const std::string& text) {
  runtime::LoadOptions options;
  options.on_error = runtime::OnError::Skip;
  Read r;
  options.report = [&](const runtime::LoadError& e) { r.errors.push_back(e.format()); };
  options.warn = [&](const std::string& w) { r.warnings.push_back(w); };
  auto source = runtime::openJsonLines(io::memoryInput("d.jsonl", text), program(), screener()->personIndex(), options);
  REQUIRE(source);
  runtime::Batch batch;
  runtime::initBatch(batch, program());
  while (true) {
    auto more = (*source)->next(batch);
    REQUIRE(more);
    if (!*more) break;
    r.decisions += decisionsOf(batch);
  }
  r.stats = (*source)->stats();
  return r;
}

// The same lines through json::parse and a json::Value, one declaration at a time (the
// server's path): decisions, and errors worded as the loader words them.
Read readWithTree(const std::string& text) {
  Read r;
  std::istringstream lines(text);
  std::string line;
  uint64_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    runtime::ValueBatchBuilder builder(program(), screener()->personIndex());
    size_t offset = 0;
    auto value = json::parse(line, &offset);
    std::optional<runtime::FieldError> error;
    if (!value) error = runtime::FieldError{"", fmt::format("invalid JSON at column {}: {}", offset + 1, value.error().message)};
    else if (!value->isObject()) error = runtime::FieldError{"", "a line must hold one JSON object"};
    else error = builder.addJson(*value);
    if (error) {
      r.errors.push_back(runtime::LoadError{"d.jsonl", number, error->path, error->reason}.format());
      continue;
    }
    r.decisions += decisionsOf(builder.batch());
  }
  return r;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

bool sameMembers(const runtime::DeclarationMembers& a, const runtime::DeclarationMembers& b, size_t decl_fields,
                 size_t item_fields) {
  auto same = [](const runtime::MemberValue& x, const runtime::MemberValue& y) {
    return x.kind == y.kind && x.text == y.text;
  };
  for (size_t f = 0; f < decl_fields; ++f)
    if (!same(a.decl(f), b.decl(f))) return false;
  if (!same(a.items(), b.items()) || a.itemCount() != b.itemCount()) return false;
  if (a.otherNames().size() != b.otherNames().size()) return false;
  for (size_t i = 0; i < a.otherNames().size(); ++i)
    if (a.otherNames()[i].object != b.otherNames()[i].object || a.otherNames()[i].name != b.otherNames()[i].name)
      return false;
  (void)item_fields;
  return true;
}

// One line through both readers: simdjson never accepts what json::parse refuses, and
// what both accept they read alike. Returns whether simdjson read it (not unsure).
bool agree(const std::string& line) {
  runtime::BatchBuilder builder(program(), nullptr);
  runtime::DeclarationMembers fast(builder), strict(builder);
  runtime::SimdjsonDeclarationReader reader;
  runtime::FieldError bad;
  auto result = reader.read(line, line.size(), fast, runtime::kDefaultMaxItems, bad);
  auto value = json::parse(line);
  if (result == runtime::SimdjsonDeclarationReader::Result::Declaration) {
    INFO(line);
    REQUIRE(value);
    REQUIRE(runtime::readJsonMembers(*value, strict, runtime::kDefaultMaxItems));
    CHECK(sameMembers(fast, strict, builder.declFields().size(), builder.itemFields().size()));
    runtime::Batch a, b;
    runtime::initBatch(a, program());
    runtime::initBatch(b, program());
    auto fa = fast.append(builder, a, 1);
    auto fb = strict.append(builder, b, 1);
    CHECK(fa.has_value() == fb.has_value());
    if (fa && fb) CHECK(fa->path + ": " + fa->reason == fb->path + ": " + fb->reason);
    return true;
  }
  if (result == runtime::SimdjsonDeclarationReader::Result::BadValue) {
    INFO(line);
    CHECK_FALSE(value);  // only NaN and Infinity, which no JSON holds
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("JSON Lines: exponents, NaN and Infinity are refused naming the line and the JSON path") {
  auto lines = exampleLines();
  REQUIRE(lines.size() >= 6);
  std::string text = lines[0] + "\n" +
                     replaced(lines[1], "\"net_kg\": ", "\"net_kg\": 1e5, \"x_\": ") + "\n" +
                     replaced(lines[2], "\"invoice_total\": ", "\"invoice_total\": -0.5e-3, \"x_\": ") + "\n" +
                     replaced(lines[3], "\"gross_kg\": ", "\"gross_kg\": NaN, \"x_\": ") + "\n" +
                     replaced(lines[4], "\"exchange_rate\": ", "\"exchange_rate\": Infinity, \"x_\": ") + "\n" +
                     replaced(lines[5], "\"exchange_rate\": ", "\"exchange_rate\": -Infinity, \"x_\": ") + "\n";
  auto r = readJsonLines(text);
  REQUIRE(r.errors.size() == 5);
  CHECK(r.errors[0] == "d.jsonl:2: items[0].net_kg: \"1e5\": a number with an exponent; write its digits (numbers "
                       "are read exactly, never through floating point)");
  CHECK(r.errors[1].rfind("d.jsonl:3: invoice_total: \"-0.5e-3\": a number with an exponent", 0) == 0);
  CHECK(r.errors[2] == "d.jsonl:4: items[0].gross_kg: NaN is not a number JSON allows; write the value's digits, or "
                       "null for a missing value");
  CHECK(r.errors[3].rfind("d.jsonl:5: exchange_rate: Infinity is not a number JSON allows", 0) == 0);
  CHECK(r.errors[4].rfind("d.jsonl:6: exchange_rate: -Infinity is not a number JSON allows", 0) == 0);
  CHECK(r.stats.rows_read == 6);
  CHECK(r.stats.rows_rejected == 5);
  CHECK(r.stats.declarations == 1);

  // An exponent is refused by the server's reader too, with the same words.
  CHECK(readWithTree(text).errors[0] == r.errors[0]);

  // --on-error fail stops at the first, naming it.
  runtime::LoadOptions fail;
  auto source = runtime::openJsonLines(io::memoryInput("d.jsonl", text), program(), screener()->personIndex(), fail);
  REQUIRE(source);
  runtime::Batch batch;
  runtime::initBatch(batch, program());
  auto stopped = (*source)->next(batch);
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().message.find("d.jsonl:2: items[0].net_kg: \"1e5\"") != std::string::npos);
}

TEST_CASE("JSON Lines: numbers are read by their text: exact decimals, and integers past 2^53") {
  runtime::BatchBuilder builder(program(), nullptr);
  int total = program().declaration.find("invoice_total");
  int rate = program().declaration.find("exchange_rate");
  int item_number = program().item.find("number");
  REQUIRE(total >= 0);
  REQUIRE(rate >= 0);
  REQUIRE(item_number >= 0);
  std::string line = replaced(exampleLines()[0], "\"invoice_total\": 4712", "\"invoice_total\": 0.3");
  line = replaced(line, "\"exchange_rate\": 512.4", "\"exchange_rate\": 123456789012.345678");
  line = replaced(line, "\"item_number\": 1", "\"item_number\": 9007199254740993");
  runtime::DeclarationMembers members(builder);
  runtime::SimdjsonDeclarationReader reader;
  runtime::FieldError bad;
  REQUIRE(reader.read(line, line.size(), members, 1000, bad) == runtime::SimdjsonDeclarationReader::Result::Declaration);
  runtime::Batch batch;
  runtime::initBatch(batch, program());
  REQUIRE_FALSE(members.append(builder, batch, 1));
  CHECK(batch.decl_columns[static_cast<size_t>(total)].get(0) == 300'000);  // 0.3 exactly, not 0.299999...
  CHECK(batch.decl_columns[static_cast<size_t>(rate)].get(0) == 123'456'789'012'345'678);  // 18 digits
  CHECK(batch.item_columns[static_cast<size_t>(item_number)].get(0) == 9'007'199'254'740'993);  // 2^53 + 1

  // As the json::Value path reads them.
  runtime::ValueBatchBuilder tree(program(), nullptr);
  REQUIRE_FALSE(tree.addJson(*json::parse(line)));
  CHECK(tree.batch().decl_columns[static_cast<size_t>(total)].get(0) == 300'000);
  CHECK(tree.batch().decl_columns[static_cast<size_t>(rate)].get(0) == 123'456'789'012'345'678);
  CHECK(tree.batch().item_columns[static_cast<size_t>(item_number)].get(0) == 9'007'199'254'740'993);

  // Past int64 and past 6 decimals: refused alike by both.
  std::string big = replaced(line, "9007199254740993", "92233720368547758070");
  std::string fine = replaced(replaced(line, "0.3", "0.1234567"), "0001826", "0009999");
  CHECK(readJsonLines(big + "\n" + fine + "\n").errors == readWithTree(big + "\n" + fine + "\n").errors);
  CHECK(readJsonLines(big + "\n").errors.size() == 1);
}

TEST_CASE("JSON Lines: the simdjson reader and the json::Value path decide the example alike") {
  std::string text = readFile(kExample + "/data/declarations.jsonl");
  auto fast = readJsonLines(text);
  auto tree = readWithTree(text);
  CHECK(fast.errors.empty());
  CHECK(fast.stats.declarations == 65);
  CHECK(fast.decisions == tree.decisions);
  CHECK(fast.decisions.size() > 1000);
  for (const auto& line : exampleLines()) CHECK(agree(line));
}

TEST_CASE("JSON Lines: on generated and mangled lines, simdjson accepts only what json::parse does, read alike") {
  auto lines = exampleLines();
  std::mt19937_64 rng(20261203);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  // Generated: the example's values respelt in ways JSON allows (or not): escapes,
  // spacing, members reordered or unknown, numbers with signs, zeros and exponents.
  const std::vector<std::pair<std::string, std::string>> respellings = {
      {"\"IM\"", "\"\\u0049M\""},  {"\": ", "\":"},           {", \"", " ,\t\""},
      {"\"items\": [", "\"itemz\": 1, \"items\": ["},        {"512.4", "512.40"},
      {"512.4", "5.124e2"},        {": 1,", ": -0,"},         {": 1,", ": 1.0,"},
      {"\"KZ\"", "\"K\\u005a\""},  {"\"sender\": null", "\"sendr\": null"},
      {"\"sender\": null", "\"sender\": null, \"sender\": 1"}, {"}]}", "}], \"extra\": {\"a\": [1, {\"b\": \"\\ud83d\\ude00\"}]}}"},
      {"\"USD\"", "\"U\\\"SD\""},  {": 1,", ": 01,"},          {": 1,", ": 1.,"},
      {"null", "nul"},             {"\"hs\"", "\"h\\u0000s\""}, {"}]}", "}]} x"},
      {"\"date\"", "\"d\\u0061te\""}, {"[{", "[1, {"},          {"\"items\": [", "\"items\": {"},
  };
  size_t read_fast = 0, total = 0;
  std::string generated;
  for (int n = 0; n < 600; ++n) {
    // A key of its own: the loader refuses a key that comes back, one line at a time cannot.
    std::string line = replaced(lines[pick(lines.size())], "\"number\": \"", fmt::format("\"number\": \"G{}-", n));
    for (int k = 0, edits = 1 + static_cast<int>(pick(3)); k < edits; ++k) {
      const auto& [from, to] = respellings[pick(respellings.size())];
      if (size_t at = line.find(from, pick(line.size())); at != std::string::npos) line.replace(at, from.size(), to);
    }
    ++total;
    read_fast += agree(line);
    generated += line + "\n";
  }
  // Mangled: bytes deleted, doubled or replaced by JSON's own punctuation.
  const std::string punctuation = "{}[],:\"\\ 0-.eEntfNI";
  for (int n = 0; n < 3000; ++n) {
    std::string line = lines[pick(lines.size())];
    for (int k = 0, edits = 1 + static_cast<int>(pick(2)); k < edits; ++k) {
      size_t at = pick(line.size());
      switch (pick(3)) {
        case 0: line.erase(at, 1); break;
        case 1: line.insert(at, 1, line[at]); break;
        default: line[at] = punctuation[pick(punctuation.size())];
      }
    }
    ++total;
    read_fast += agree(line);
  }
  CHECK(read_fast > total / 10);  // the fast path is taken, not always left to json::parse
  // The generated lines, read as a file, decide alike and are refused in the same words.
  auto fast = readJsonLines(generated);
  auto tree = readWithTree(generated);
  CHECK(fast.decisions == tree.decisions);
  CHECK(fast.errors == tree.errors);
  CHECK(fast.stats.declarations > 100);
}
