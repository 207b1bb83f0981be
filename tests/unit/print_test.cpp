#include <doctest/doctest.h>

#include "compiler/sema/print.h"
#include "test_support.h"

using namespace tauekel;

namespace {
// The profile's condition as the printer writes it back; "" when it does not compile.
std::string printed(const std::string& condition) {
  auto c = test::compileWithStd(test::profileWhen(condition));
  if (!c->ok() || c->program->profiles.empty()) return "error: " + test::messages(*c);
  return sema::print(*c->program->profiles[0].condition, *c->program);
}
}  // namespace

TEST_CASE("print: checked conditions are written back with the parentheses precedence needs") {
  struct Case {
    const char* written;
    const char* printed;
  };
  const Case cases[] = {
      {"(invoice_total + 1) * exchange_rate > 5", "(invoice_total + 1) * exchange_rate > 5"},
      {"invoice_total - (exchange_rate - 1) > 0", "invoice_total - (exchange_rate - 1) > 0"},
      {"invoice_total - exchange_rate - 1 > 0", "invoice_total - exchange_rate - 1 > 0"},
      {"((invoice_total)) > 2.50", "invoice_total > 2.5"},
      {"-(invoice_total - 1) < 0", "-(invoice_total - 1) < 0"},
      {"not (procedure == \"40\" and direction == IM)", "not (procedure == \"40\" and direction == IM)"},
      {"(procedure == \"40\" or procedure == \"41\") and direction == IM",
       "(procedure == \"40\" or procedure == \"41\") and direction == IM"},
      {"procedure == \"40\" or procedure == \"41\" and direction == IM",
       "procedure == \"40\" or procedure == \"41\" and direction == IM"},
      {"any item: item.net_kg > 5 and item.hs in \"64\"", "any item: item.net_kg > 5 and item.hs in [\"64\"]"},
      {"count(item: item.net_kg > 5) >= 2", "count(item: item.net_kg > 5) >= 2"},
      {"sum(item: item.customs_value where item.origin == \"CN\") > 1000",
       "sum(item: item.customs_value where item.origin == \"CN\") > 1000"},
      {"(customs_value_total ?? 0) > 5", "(customs_value_total ?? 0) > 5"},
      {"declarant.category == high", "declarant.category == high"},
      {"date.year == 2026 and date >= 2026-03-01", "date.year == 2026 and date >= 2026-03-01"},
      {"dispatch_country is missing", "dispatch_country is missing"},
      {"procedure not in [\"40\", \"41\"] and not (dispatch_country in [\"CN\"] ?? false)",
       "procedure not in [\"40\", \"41\"] and not dispatch_country in [\"CN\"] ?? false"},  // `??` binds tighter
      {"not procedure in [\"40\"]", "procedure not in [\"40\"]"},
      {"(if direction == IM then invoice_total else 0) > 5", "(if direction == IM then invoice_total else 0) > 5"},
      {"contains(invoice_currency, \"U\\\"SD\")", "contains(invoice_currency, \"U\\\"SD\")"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.written);
    std::string once = printed(c.written);
    CHECK(once == c.printed);
    // What is printed is the language: checked again, it prints the same.
    CHECK(printed(once) == once);
  }
}

TEST_CASE("print: a condition too deep or too long to read is cut, not overflowing") {
  // A chain of 5,000 additions is 5,000 levels deep in the checked tree.
  std::string deep = "invoice_total";
  for (int i = 0; i < 5000; ++i) deep += " + 1";
  std::string out = printed(deep + " > 0");
  CAPTURE(out.substr(0, 300));
  CHECK(out.find("...") != std::string::npos);
  CHECK(out.size() < 2100);
}
