// Batches built from values rather than files: typed values field by field, and one
// declaration as a JSON object. They decide as the files do, and every bad value is an
// error naming its field by JSON path.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "engine/decision_json.h"
#include "engine/screener.h"
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

std::shared_ptr<const engine::Screener> screener() { return test::exampleScreener(); }

runtime::ValueBatchBuilder newBuilder() { return runtime::ValueBatchBuilder(screener()->program(), screener()->personIndex()); }

std::vector<json::Value> exampleObjects() {
  std::vector<json::Value> out;
  std::istringstream lines(readFile(kExample + "/data/declarations.jsonl"));
  std::string line;
  while (std::getline(lines, line)) {
    auto value = json::parse(line);
    REQUIRE(value);
    out.push_back(*value);
  }
  return out;
}

std::string decisionsOf(const runtime::Batch& batch) {
  std::string out;
  for (const auto& d : screener()->screen(batch)) {
    engine::appendJson(out, d);
    out.push_back('\n');
  }
  return out;
}

// A JSON number as the typed value a program would hold: an integer, or an exact decimal.
FieldValue numberValue(const std::string& text) {
  size_t point = text.find('.');
  if (point == std::string::npos) return int64_t{std::stoll(text)};
  std::string digits = text.substr(0, point) + text.substr(point + 1);
  return Decimal{std::stoll(digits), static_cast<int>(text.size() - point - 1)};
}

// Sets every member of a JSON object through the typed interface.
void setMembers(runtime::ValueBatchBuilder& b, const json::Value& object, const std::string& where) {
  for (const auto& [name, value] : object.asObject()) {
    if (name == "items") continue;
    std::optional<runtime::FieldError> error;
    std::string date_text = value.isString() ? value.asString() : "";
    if (value.isNull())
      error = b.set(name, std::monostate{});
    else if (value.isNumber())
      error = b.set(name, numberValue(value.numberText()));
    else if (value.isBool())
      error = b.set(name, value.asBool());
    else if (name == "date")
      error = b.set(name, Date{std::stoi(date_text.substr(0, 4)), std::stoi(date_text.substr(5, 2)),
                               std::stoi(date_text.substr(8, 2))});
    else
      error = b.set(name, std::string_view(date_text));
    CHECK_MESSAGE(!error, where, ".", name, ": ", (error ? error->reason : ""));
  }
}

}  // namespace

TEST_CASE("value batch: the example declarations as JSON objects decide as the files do") {
  auto b = newBuilder();
  for (const auto& object : exampleObjects()) {
    auto error = b.addJson(object);
    CHECK_MESSAGE(!error, (error ? error->path + ": " + error->reason : ""));
  }
  CHECK(b.batch().decl_count == 65);
  CHECK(decisionsOf(b.batch()) == readFile(std::string(TAUEKEL_SOURCE_DIR) + "/tests/decisions/eaeu.jsonl"));
}

TEST_CASE("value batch: the example declarations as typed values decide as the files do") {
  auto b = newBuilder();
  size_t n = 0;
  for (const auto& object : exampleObjects()) {
    std::string where = "declaration " + std::to_string(n++);
    b.beginDeclaration();
    setMembers(b, object, where);
    for (const auto& item : object.find("items")->asArray()) {
      b.beginItem();
      setMembers(b, item, where);
    }
    auto error = b.endDeclaration();
    CHECK_MESSAGE(!error, where, ": ", (error ? error->path + ": " + error->reason : ""));
  }
  CHECK(decisionsOf(b.batch()) == readFile(std::string(TAUEKEL_SOURCE_DIR) + "/tests/decisions/eaeu.jsonl"));
  // Cleared, the builder starts again with its storage.
  b.clear();
  CHECK(b.batch().decl_count == 0);
  CHECK(b.addJson(exampleObjects()[0]) == std::nullopt);
  CHECK(b.batch().decl_count == 1);
}

TEST_CASE("value batch: a bad value is an error naming its field, and the declaration is left out whole") {
  auto objects = exampleObjects();
  auto b = newBuilder();
  REQUIRE(!b.addJson(objects[0]));

  auto expectError = [&](const std::function<void()>& fill, const std::string& path, const std::string& words) {
    b.beginDeclaration();
    fill();
    auto error = b.endDeclaration();
    REQUIRE_MESSAGE(error, "expected an error at ", path);
    CHECK(error->path == path);
    CHECK_MESSAGE(error->reason.find(words) != std::string::npos, error->reason);
    CHECK(b.batch().decl_count == 1);  // only the good one
    CHECK(b.batch().item_count == objects[0].find("items")->asArray().size());
  };
  auto header = [&](const char* key) {
    setMembers(b, objects[1], "header");
    b.set("number", std::string_view(key));
  };
  auto item = [&] {
    b.beginItem();
    setMembers(b, objects[1].find("items")->asArray()[0], "item");
  };
  // A decimal that is no decimal, in the third goods item.
  expectError([&] { header("X1"); item(); item(); item(); b.set("net_kg", std::string_view("12,5")); },
              "items[2].net_kg", "12,5");
  // A bool where a decimal goes.
  expectError([&] { header("X2"); item(); b.set("net_kg", true); }, "items[0].net_kg", "a bool where the field takes a decimal");
  // A misspelt field, with the likely one.
  expectError([&] { header("X3"); b.set("invoice_totl", Decimal{1, 0}); }, "invoice_totl", "invoice_total");
  // A declaration field after the goods items began.
  expectError([&] { header("X4"); item(); b.set("office", std::string_view("55204001")); }, "items[0].office",
              "declaration field");
  // Values that are no values.
  expectError([&] { header("X5"); item(); b.set("net_kg", Decimal{1, 19}); }, "items[0].net_kg", "scale");
  expectError([&] { header("X6"); b.set("date", Date{2026, 13, 1}); }, "date", "not a date");
  expectError([&] { header("X7"); b.set("date", Date{2026, 2, 30}); }, "date", "not a date");
  expectError([&] { header("X8"); b.set("delivery_place", std::string_view("")); }, "delivery_place", "empty text");
  expectError([&] { header("X9"); b.set("delivery_place", std::string_view("A\0B", 3)); }, "delivery_place",
              "NUL byte");
  // A required field never set.
  expectError([&] { item(); }, "number", "required");
  // The key of a declaration already in the batch.
  expectError([&] { header(objects[0].find("number")->asString().c_str()); item(); }, "number", "already in the batch");

  // JSON: the same errors by path.
  std::string line = readFile(kExample + "/data/declarations.jsonl");
  line = line.substr(0, line.find('\n'));
  size_t net = line.find("\"net_kg\": ");
  REQUIRE(net != std::string::npos);
  line.replace(net, line.find(',', net) - net, "\"net_kg\": \"x\"");
  line.replace(line.find("\"number\": \"") + 11, 1, "J");  // another key
  auto error = b.addJson(*json::parse(line));
  REQUIRE(error);
  CHECK(error->path == "items[0].net_kg");
  CHECK(error->reason.find("\"x\"") != std::string::npos);
  auto missing = *json::parse(R"({"number":"J1","date":"2026-01-08","items":[]})");
  error = b.addJson(missing);
  REQUIRE(error);
  CHECK(error->path == "direction");
  CHECK(error->reason == "a value is required");
  auto not_object = *json::parse(R"({"number":"J2","items":[1]})");
  error = b.addJson(not_object);
  REQUIRE(error);
  auto wrong_type = *json::parse(R"([1,2])");
  error = b.addJson(wrong_type);
  REQUIRE(error);
  CHECK(error->path.empty());
  CHECK(b.addJson(objects[0])->reason.find("already in the batch") != std::string::npos);
  CHECK(b.batch().decl_count == 1);
}
