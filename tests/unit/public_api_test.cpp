// The public C++ interface (include/tauekel/) as an embedding program uses it, with its
// error paths: profiles with errors, a batch made for other profiles, a declaration left
// open, bad options, bad JSON.

#include <doctest/doctest.h>

#include <tauekel/screener.h>

namespace {

const std::string kExample = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu";

tauekel::Screener exampleScreener(const tauekel::ScreenerOptions& options = {}) {
  auto profiles = tauekel::Profiles::compileDirectory(kExample);
  REQUIRE(profiles);
  REQUIRE(profiles->ok());
  auto screener = tauekel::Screener::create(*profiles, options);
  REQUIRE_MESSAGE(screener, (screener ? "" : screener.error().message));
  return screener.take();
}

}  // namespace

TEST_CASE("public api: profiles with errors are a value with their diagnostics, and cannot screen") {
  auto broken = tauekel::Profiles::compileTexts({{"broken.risk", "package t\nimport std.eaeu\n"
                                                                 "profile \"P\" { when nonsense }\n"}});
  CHECK(!broken.ok());
  REQUIRE(!broken.diagnostics().empty());
  const auto& first = broken.diagnostics().front();
  CHECK(first.file == "broken.risk");
  CHECK(first.line == 3);
  CHECK(first.severity == "error");
  CHECK(first.code.rfind("TK", 0) == 0);
  CHECK(broken.diagnosticsText().find("broken.risk:3:") != std::string::npos);
  CHECK(broken.diagnosticsJson().find(first.code) != std::string::npos);
  auto refused = tauekel::Screener::create(broken);
  REQUIRE(!refused);
  CHECK(refused.error().message.find("errors") != std::string::npos);

  auto missing = tauekel::Profiles::compileDirectory("/nonexistent/profiles");
  REQUIRE(!missing);
  CHECK(missing.error().message.find("/nonexistent/profiles") != std::string::npos);
}

TEST_CASE("public api: options that cannot be used are errors naming them") {
  auto profiles = tauekel::Profiles::compileDirectory(kExample);
  REQUIRE(profiles);
  tauekel::ScreenerOptions no_day;
  no_day.as_of = tauekel::Date{2026, 2, 30};
  auto a = tauekel::Screener::create(*profiles, no_day);
  REQUIRE(!a);
  CHECK(a.error().message.find("2026-2-30") != std::string::npos);
  tauekel::ScreenerOptions no_register;
  no_register.persons_file = "/nonexistent/persons.csv";
  auto b = tauekel::Screener::create(*profiles, no_register);
  REQUIRE(!b);
  CHECK(b.error().message.find("/nonexistent/persons.csv") != std::string::npos);
}

TEST_CASE("public api: a batch from values screens, a batch left open or made for other profiles does not") {
  tauekel::ScreenerOptions options;
  options.persons_file = kExample + "/data/persons.csv";
  auto screener = exampleScreener(options);
  CHECK(screener.version().size() == 16);
  CHECK(screener.profilesInForce() == 28);

  auto batch = screener.newBatch();
  CHECK(batch.addJson("").error().message.find("empty") != std::string::npos);
  batch.beginDeclaration();
  CHECK(!batch.set("number", std::string_view("API/1")));
  // Screening while the declaration is still open is refused, not half done.
  auto open = screener.screen(batch);
  REQUIRE(!open);
  CHECK(open.error().message.find("endDeclaration") != std::string::npos);
  auto problem = batch.endDeclaration();
  REQUIRE(problem);  // required fields never set
  CHECK(problem->path == "date");
  CHECK(batch.size() == 0);

  // The example's first declaration, as JSON: the same decision as `tauekel run`.
  auto added = batch.addJson(
      R"({"number":"55204001/080126/0001826","date":"2026-01-08","direction":"IM","procedure":"40",)"
      R"("previous_procedure":"00","office":"55204001","declarant":"241240622949","consignee":"241240622949",)"
      R"("dispatch_country":"KR","trade_country":"KR","destination_country":"KZ","transport_border":"40",)"
      R"("transport_inland":"40","delivery_terms":"CIP","delivery_place":"ALMATY","invoice_currency":"USD",)"
      R"("invoice_total":4712,"exchange_rate":512.4,"customs_value_total":2414428.8,"items":[{"item_number":1,)"
      R"("description":"LCD MONITORS 27 IN","hs":"8528521000","origin":"KR","gross_kg":213.59,"net_kg":201.5,)"
      R"("supplementary_qty":31,"supplementary_unit":"796","invoice_price":4712,"customs_value":2414428.8,)"
      R"("statistical_value":4712,"duty":120721.44,"vat":304218.03}]})");
  REQUIRE_MESSAGE(added, (added ? "" : added.error().message));
  CHECK(*added == 1);
  auto decisions = screener.screen(batch);
  REQUIRE(decisions);
  REQUIRE(decisions->size() == 1);
  CHECK(tauekel::toJson(decisions->front()) ==
        R"({"declaration":"55204001/080126/0001826","selected":false,"level":null,"corridor":"green",)"
        R"("measures":[],"profiles":[]})");

  // Another screener of other profiles cannot screen this batch.
  auto other_profiles = tauekel::Profiles::compileDirectory(kExample);
  REQUIRE(other_profiles);
  auto other = tauekel::Screener::create(*other_profiles);
  REQUIRE(other);
  auto foreign = other->screen(batch);
  REQUIRE(!foreign);
  CHECK(foreign.error().message.find("newBatch") != std::string::npos);

  auto bad_json = screener.screenJson("{\"number\": \"X\",");
  REQUIRE(!bad_json);
  CHECK(bad_json.error().message.find("line 1, column") != std::string::npos);
}
