#include <doctest/doctest.h>

#include "test_support.h"

using namespace tauekel;
using test::compileWithStd;
using test::has;
using test::profileWhen;

TEST_CASE("checker: a well-formed profile is accepted into the program") {
  auto c = compileWithStd(profileWhen("any item: item.hs in \"6403\" and item.origin == \"CN\""));
  CHECK_MESSAGE(c->ok(), test::messages(*c));
  REQUIRE(c->program->profiles.size() == 1);
  const auto& p = c->program->profiles[0];
  CHECK(p.area->name == "VALUE");
  CHECK(p.level == sema::RiskLevel::High);
  CHECK(p.state == sema::LifeState::Draft);  // the default: drafts do not run
  CHECK(p.condition->op == sema::Op::Any);
  CHECK(p.measures.size() == 1);
}

TEST_CASE("checker: strings become codes where codes are expected") {
  auto c = compileWithStd(profileWhen("any item: item.hs in [\"64\", \"6403\"] and item.origin == \"CN\""));
  REQUIRE(c->ok());
  const auto& any = *c->program->profiles[0].condition;
  const auto& in = *any.args[0]->args[0];
  CHECK(in.op == sema::Op::InValues);
  CHECK(in.args[1]->type->kind == sema::TypeKind::Hs);
  CHECK(in.args[1]->literal.digits == 2);
  CHECK(in.args[2]->literal.number == 6403000000);
  auto bad = compileWithStd(profileWhen("any item: item.hs in \"6x\""));
  CHECK(has(*bad, "TK105"));
  auto bad_country = compileWithStd(profileWhen("any item: item.origin == \"China\""));
  CHECK(has(*bad_country, "TK105"));
}

TEST_CASE("checker: a value that may be missing must be handled") {
  // consignee is optional, so its fields may be missing
  auto c = compileWithStd(profileWhen("consignee.arrears > 0"));
  CHECK(has(*c, "TK302"));
  auto ok = compileWithStd(profileWhen("(consignee.arrears > 0) ?? false"));
  CHECK_MESSAGE(ok->ok(), test::messages(*ok));
  // a person reached through the declaration may be unregistered: even a required field
  auto d = compileWithStd(profileWhen("declarant.arrears > 0"));
  CHECK(has(*d, "TK302"));
  // division may be missing (division by zero)
  auto div = compileWithStd(profileWhen("any item: item.customs_value / item.net_kg > 10"));
  CHECK(has(*div, "TK302"));
  auto unneeded = compileWithStd(profileWhen("invoice_total > 0 ?? false"));
  CHECK(has(*unneeded, "TK306"));
  CHECK(unneeded->diagnostics.errorCount() == 0);
}

TEST_CASE("checker: missing values and Kleene logic are typed as optional") {
  auto c = compileWithStd(profileWhen("((consignee.arrears > 0) or true) ?? false"));
  REQUIRE(c->ok());
  const auto& coalesce = *c->program->profiles[0].condition;
  CHECK(coalesce.args[0]->type->optional);
  CHECK(coalesce.args[0]->op == sema::Op::Or);
}

TEST_CASE("checker: type errors name both types") {
  auto c = compileWithStd(profileWhen("invoice_total + \"x\" > 3"));
  CHECK(has(*c, "TK301"));
  CHECK(test::messages(*c).find("cannot apply `+` to a decimal and a string") != std::string::npos);
  CHECK(has(*compileWithStd(profileWhen("date > 3")), "TK301"));
  CHECK(has(*compileWithStd(profileWhen("any item: item.hs < \"6403\"")), "TK301"));
  CHECK(has(*compileWithStd(profileWhen("invoice_total")), "TK301"));  // not a condition
}

TEST_CASE("checker: int and decimal mix, exact decimal literals") {
  auto c = compileWithStd(profileWhen("invoice_total > 100 and exchange_rate * 2 >= 0.5"));
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  const auto& and_expr = *c->program->profiles[0].condition;
  const auto& gt = *and_expr.args[0];
  CHECK(gt.args[1]->op == sema::Op::Literal);
  CHECK(gt.args[1]->type->kind == sema::TypeKind::Decimal);
  CHECK(gt.args[1]->literal.number == 100000000);
}

TEST_CASE("checker: enum members resolve by the other operand") {
  auto c = compileWithStd(profileWhen("direction == IM and declarant.category == high"));
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  auto wrong = compileWithStd(profileWhen("direction == high"));
  CHECK(has(*wrong, "TK301"));
}

TEST_CASE("checker: unknown names and fields come with a suggestion") {
  auto c = compileWithStd(profileWhen("invoice_totl > 3"));
  CHECK(has(*c, "TK201"));
  CHECK(test::messages(*c).find("did you mean `invoice_total`") != std::string::npos);
  auto f = compileWithStd(profileWhen("any item: item.net_k > 3"));
  CHECK(has(*f, "TK202"));
  CHECK(test::messages(*f).find("did you mean `net_kg`") != std::string::npos);
}

TEST_CASE("checker: goods items only inside quantifiers, never nested") {
  CHECK(has(*compileWithStd(profileWhen("item.net_kg > 3")), "TK304"));
  CHECK(has(*compileWithStd(profileWhen("any item: all other: true")), "TK304"));
  auto ok = compileWithStd(profileWhen("count(item: item.net_kg > 3) >= 2 and sum(item: item.net_kg where item.origin == \"CN\") > 10"));
  CHECK_MESSAGE(ok->ok(), test::messages(*ok));
  auto minmax = compileWithStd(profileWhen("(max(item: item.net_kg) > 3) ?? false"));
  CHECK_MESSAGE(minmax->ok(), test::messages(*minmax));
}

TEST_CASE("checker: indicators: levels, arguments and cycles") {
  auto c = compileWithStd(profileWhen("any item: heavy(item)", "indicator heavy(item) = item.net_kg > 1000\n"));
  CHECK_MESSAGE(c->ok(), test::messages(*c));
  CHECK(has(*compileWithStd(profileWhen("heavy(declaration)", "indicator heavy(item) = item.net_kg > 1000\n")), "TK303"));
  auto cycle = compileWithStd(profileWhen("a(declaration)",
                                          "indicator a(declaration) = b(declaration)\nindicator b(declaration) = a(declaration)\n"));
  CHECK(has(*cycle, "TK303"));
  CHECK(test::messages(*cycle).find("a -> b -> a") != std::string::npos);
  auto person = compileWithStd(profileWhen("convicted(declarant) ?? false",
                                           "public liability indicator convicted(person) = person.customs_offences_3y > 0\n"));
  CHECK_MESSAGE(person->ok(), test::messages(*person));
}

TEST_CASE("checker: only statutory indicators may be public") {
  CHECK(has(*compileWithStd(profileWhen("true", "public indicator x(person) = person.arrears > 0\n")), "TK401"));
  CHECK(has(*compileWithStd(profileWhen("true", "public fraud indicator x(person) = person.arrears > 0\n")), "TK402"));
  CHECK(has(*compileWithStd(profileWhen("true", "public arrears indicator x(declaration) = true\n")), "TK401"));
  auto ok = compileWithStd(profileWhen("x(declarant) ?? false", "public arrears indicator x(person) = person.arrears > 0\n"));
  CHECK_MESSAGE(ok->ok(), test::messages(*ok));
  REQUIRE(ok->program->indicators.size() == 1);
  CHECK(ok->program->indicators[0].is_public);
  CHECK(ok->program->indicators[0].statutory == sema::StatutoryKind::Arrears);
}

TEST_CASE("checker: profile clauses") {
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" area NOPE valid 2026-01-01 .. level high when true apply DOC_CHECK }"), "TK403"));
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. level high when true apply NOPE }"), "TK404"));
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-02-01 .. 2026-01-01 level high when true apply DOC_CHECK }"), "TK405"));
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. level high when true apply DOC_CHECK sample 101% }"), "TK406"));
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" area VALUE level high when true apply DOC_CHECK }"), "TK410"));
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" title \"u\" area VALUE valid 2026-01-01 .. level high when true apply DOC_CHECK }"), "TK411"));
  auto twice = compileWithStd(profileWhen("true") + profileWhen("true"));
  CHECK(has(*twice, "TK407"));
  CHECK(has(*compileWithStd(profileWhen("true")), "TK416"));
}

TEST_CASE("checker: measure conditions: unreachable and conflicting") {
  auto rule = [](const std::string& apply) {
    return compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. level high when direction == IM apply " +
                          apply + " }");
  };
  CHECK(rule("INSPECTION if declarant.category == high, INSPECTION if declarant.category == low")->ok());
  CHECK(has(*rule("INSPECTION if declarant.category == high, INSPECTION if declarant.category >= medium"), "TK408"));
  CHECK(has(*rule("DOC_CHECK, DOC_CHECK"), "TK408"));
  CHECK(has(*rule("INSPECTION if declarant.category == high and declarant.category == low"), "TK409"));
  CHECK(has(*rule("INSPECTION if declarant.category >= low else sample 5%"), "TK409"));
  CHECK(rule("INSPECTION if declarant.category == high else sample 5%")->ok());
}

TEST_CASE("checker: category rules need otherwise, last") {
  auto ok = compileWithStd("category rules for person {\n high when person.arrears > 0\n high when unregistered\n medium otherwise\n}\n");
  CHECK_MESSAGE(ok->ok(), test::messages(*ok));
  REQUIRE(ok->program->categories.defined);
  CHECK(ok->program->categories.rules.size() == 3);
  CHECK(has(*compileWithStd("category rules for person {\n high when person.arrears > 0\n}\n"), "TK412"));
  CHECK(has(*compileWithStd("category rules for person {\n medium otherwise\n high when person.arrears > 0\n}\n"), "TK413"));
  CHECK(has(*compileWithStd("category rules for person {\n high when person.category == low\n medium otherwise\n}\n"), "TK202"));
}

TEST_CASE("checker: scope reads declaration fields") {
  auto ok = compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. scope direction in [IM, EK], procedure in [\"40\"], office \"55204001\", stage at_release level high when direction == IM apply DOC_CHECK }");
  REQUIRE_MESSAGE(ok->ok(), test::messages(*ok));
  const auto& scope = ok->program->profiles[0].scope;
  REQUIRE(scope.filters.size() == 3);
  CHECK(scope.filters[0].values.size() == 2);
  CHECK(scope.stages.size() == 1);
  CHECK(has(*compileWithStd("profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. scope port \"x\" level high when true apply DOC_CHECK }"), "TK207"));
}

TEST_CASE("checker: lists and tables are read and their headers checked") {
  test::TempDir dir;
  dir.write("lists/origins.csv", "country,note\nCN,a\nTR,b\n");
  dir.write("lists/prices.csv", "hs6,price\n640399,12.5\n6403,10\n");
  dir.write("lists/dup.csv", "k,v\nA,1\nA,2\n");
  dir.write("lists/bad.csv", "k,v\nA,x\n");
  std::string body = R"(
list origins: set<country> = csv("lists/origins.csv", column: "country")
table prices: map<hs, decimal> = csv("lists/prices.csv")
)" + profileWhen("any item: item.origin in origins and (item.customs_value < prices[item.hs]) ?? false");
  auto c = compileWithStd(body, (dir.path() / "p.risk").string());
  REQUIRE_MESSAGE(c->ok(), test::messages(*c));
  const auto& data = c->program->data;
  REQUIRE(data.size() == 2);
  CHECK(data[0].keys.size() == 2);
  CHECK(data[1].values[0].number == 12500000);
  CHECK(data[1].keys[1].digits == 4);

  auto missing = compileWithStd("list x: set<country> = csv(\"nope.csv\")\n" + profileWhen("direction == IM"),
                                (dir.path() / "p.risk").string());
  CHECK(has(*missing, "TK501"));
  auto header = compileWithStd("list x: set<country> = csv(\"lists/origins.csv\", column: \"iso\")\n" + profileWhen("direction == IM"),
                               (dir.path() / "p.risk").string());
  CHECK(has(*header, "TK502"));
  auto dup = compileWithStd("table x: map<string, int> = csv(\"lists/dup.csv\")\n" + profileWhen("direction == IM"),
                            (dir.path() / "p.risk").string());
  CHECK(has(*dup, "TK504"));
  auto bad = compileWithStd("table x: map<string, int> = csv(\"lists/bad.csv\")\n" + profileWhen("direction == IM"),
                            (dir.path() / "p.risk").string());
  REQUIRE(has(*bad, "TK503"));
  // the message points into the data file: line 2, column 3
  for (const auto& d : bad->diagnostics.diagnostics())
    if (d.code == diag::Code::TK503) {
      CHECK(bad->sources.file(d.range.file).path().find("bad.csv") != std::string::npos);
      CHECK(d.range.begin.line == 2);
      CHECK(d.range.begin.column == 3);
    }
}

TEST_CASE("checker: unused declarations are warnings, not errors") {
  auto c = compileWithStd("indicator spare(declaration) = true\n" + profileWhen("direction == IM"));
  CHECK(has(*c, "TK601"));
  CHECK(c->diagnostics.errorCount() == 0);
  CHECK(c->ok());
}

TEST_CASE("checker: imports must name a loaded package, duplicate names are reported once") {
  CHECK(has(*test::compileText("package a\nimport std.nope\n"), "TK204"));
  auto dup = compileWithStd("indicator x(declaration) = true\nindicator x(declaration) = false\n");
  CHECK(has(*dup, "TK203"));
}
