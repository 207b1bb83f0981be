#include "tests/differential/program_generator.h"

#include <fmt/format.h>

#include <cctype>

namespace tauekel::difftest {

namespace {
const char* kWords[] = {"alpha", "beta", "gamma", "delta", "shoes", "steel", "phone", "ALPHA", "a", "beta gamma"};
const char* kCountries[] = {"CN", "TR", "DE", "KZ", "US", "AE"};
const char* kCodes[] = {"6403990000", "6403100000", "6404110000", "8517120000", "8517620000", "2203000000",
                        "8703231900", "7208510000", "0201300000", "6109100000"};
const char* kPersons = "P";
}  // namespace

std::string ProgramGenerator::prelude() {
  return R"(package diff

enum Dir { IM, EK, TT }

schema declaration {
  id: string key
  date: date
  direction: Dir
  office: string
  amount: decimal
  amount_opt: decimal?
  n: int
  n_opt: int?
  flag: bool
  flag_opt: bool?
  note: string?
  from_c: country?
  declarant: person
  consignee: person?
}

schema item {
  seq: int column "item_seq"
  code: hs
  origin: country
  qty: int
  qty_opt: int?
  price: decimal
  price_opt: decimal?
  descr: string
  descr_opt: string?
  kind: Dir?
  shipped: date?
  ok: bool
}

schema person {
  pid: string key
  score: int
  debt: decimal?
  since: date?
  name: string?
  vip: bool
}

list codes: set<hs> = csv("codes.csv")
list headings: set<hs> = csv("headings.csv")
list countries: set<country> = csv("countries.csv")
list words: set<string> = csv("words.csv")
table prices: map<hs, decimal> = csv("prices.csv")
table duties: map<hs, decimal> = csv("duties.csv")
table weights: map<country, int> = csv("weights.csv")
table labels: map<string, string> = csv("labels.csv")
table rates: map<string, decimal> = csv("rates.csv")

area A "generated area"
measure M1 "first" kind documentary strength 1 corridor yellow
measure M2 "second" kind physical strength 2 corridor red
measure M3 "third" kind post_release strength 3 corridor blue
)";
}

// ---- literals and values ------------------------------------------------------------

std::string ProgramGenerator::randomText(size_t min, size_t max) {
  size_t n = static_cast<size_t>(std::uniform_int_distribution<size_t>(min, max)(rng_));
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + pick(26)));
  return s;
}

std::string ProgramGenerator::intLiteral() {
  switch (pick(6)) {
    case 0: return "0";
    case 1: return std::to_string(pick(10));
    case 2: return std::to_string(pick(2000) - 1000);
    case 3: return "1_000_000_000";
    default: return std::to_string(pick(100));
  }
}

std::string ProgramGenerator::decimalLiteral() {
  switch (pick(5)) {
    case 0: return "0.0";
    case 1: return fmt::format("{}.{:06}", pick(1000), pick(1000000));
    case 2: return fmt::format("-{}.5", pick(100));
    case 3: return "999999999.999999";
    default: return fmt::format("{}.{}", pick(100), pick(10));
  }
}

std::string ProgramGenerator::stringLiteral() {
  switch (pick(5)) {
    case 0: return "\"\"";
    case 1: return "\"" + randomText(1, 3) + "\"";
    default: return std::string("\"") + kWords[pick(10)] + "\"";
  }
}

std::string ProgramGenerator::dateLiteral() {
  return fmt::format("2026-{:02}-{:02}", 1 + pick(12), 1 + pick(28));
}

std::string ProgramGenerator::hsLiteral(bool prefix) {
  std::string code = kCodes[pick(10)];
  int digits = prefix ? 2 * (1 + pick(5)) : 10;
  return code.substr(0, static_cast<size_t>(digits));
}

std::string ProgramGenerator::countryLiteral() { return kCountries[pick(6)]; }

// ---- expressions ----------------------------------------------------------------------

ProgramGenerator::Expr ProgramGenerator::gen(T type, bool item, int depth) {
  switch (type) {
    case T::Bool: return genBool(item, depth);
    case T::Int: return genInt(item, depth);
    case T::Decimal: return genDecimal(item, depth);
    case T::String: return genString(item, depth);
    case T::Date: return genDate(item, depth);
    case T::Hs: return genHs(item, depth);
    case T::Country: return genCountry(item, depth);
    case T::Dir: return genDir(item, depth);
  }
  return {"true", false};
}

std::string ProgramGenerator::condition(bool item, int depth) {
  Expr e = genBool(item, depth);
  if (!e.optional) return e.text;
  return "(" + e.text + ") ?? " + (chance(50) ? "true" : "false");
}

ProgramGenerator::Expr ProgramGenerator::genInt(bool item, int depth) {
  int choice = depth <= 0 ? pick(3) : pick(item ? 12 : 14);
  switch (choice) {
    case 0: return {intLiteral(), false};
    case 1: return item ? (chance(50) ? Expr{"item.qty", false} : Expr{"item.qty_opt", true})
                        : (chance(50) ? Expr{"n", false} : Expr{"n_opt", true});
    case 2: return item ? Expr{"item.seq", false} : Expr{"n", false};
    case 3: case 4: case 5: {
      Expr a = genInt(item, depth - 1), b = genInt(item, depth - 1);
      const char* op = choice == 3 ? "+" : choice == 4 ? "-" : "*";
      return {"(" + a.text + " " + op + " " + b.text + ")", a.optional || b.optional};
    }
    case 6: {
      Expr a = genInt(item, depth - 1);
      return {"abs(" + a.text + ")", a.optional};
    }
    case 7: {
      Expr a = genInt(item, depth - 1), b = genInt(item, depth - 1);
      return {std::string(chance(50) ? "min(" : "max(") + a.text + ", " + b.text + ")", a.optional || b.optional};
    }
    case 8: {
      Expr s = genString(item, depth - 1);
      return {"len(" + s.text + ")", s.optional};
    }
    case 9: {
      Expr a = genDate(item, depth - 1), b = genDate(item, depth - 1);
      if (chance(50)) return {"(" + a.text + " - " + b.text + ")", a.optional || b.optional};
      const char* part[] = {"year", "month", "day"};
      return {"(" + a.text + ")." + part[pick(3)], a.optional};
    }
    case 10: {
      Expr c = genCountry(item, depth - 1);
      return {"weights[" + c.text + "]", true};
    }
    case 11: {
      Expr c = genBool(item, depth - 1);
      Expr a = genInt(item, depth - 1), b = genInt(item, depth - 1);
      std::string cond = c.optional ? "(" + c.text + ") ?? false" : c.text;
      return {"(if " + cond + " then " + a.text + " else " + b.text + ")", a.optional || b.optional};
    }
    case 12:
      return {"count(it: " + replaceItem(condition(true, depth - 1)) + ")", false};
    default: {
      Expr a = genInt(item, depth - 1);
      return {"(-" + a.text + ")", a.optional};
    }
  }
}

ProgramGenerator::Expr ProgramGenerator::genDecimal(bool item, int depth) {
  int choice = depth <= 0 ? pick(3) : pick(item ? 11 : 14);
  switch (choice) {
    case 0: return {decimalLiteral(), false};
    case 1: return item ? (chance(50) ? Expr{"item.price", false} : Expr{"item.price_opt", true})
                        : (chance(50) ? Expr{"amount", false} : Expr{"amount_opt", true});
    case 2: return genInt(item, 0);  // an int widens
    case 3: case 4: case 5: {
      Expr a = genDecimal(item, depth - 1), b = chance(30) ? genInt(item, depth - 1) : genDecimal(item, depth - 1);
      const char* op = choice == 3 ? "+" : choice == 4 ? "-" : "*";
      return {"(" + a.text + " " + op + " " + b.text + ")", a.optional || b.optional};
    }
    case 6: {
      Expr a = genDecimal(item, depth - 1), b = genDecimal(item, depth - 1);
      return {"(" + a.text + " / " + b.text + ")", true};
    }
    case 7: {
      Expr h = genHs(item, depth - 1);
      // Mixed key lengths take the general lookup; keys of one length (duties) an array.
      return {std::string(chance(50) ? "prices[" : "duties[") + h.text + "]", true};
    }
    case 8: {
      Expr s = genString(item, depth - 1);
      return {"rates[" + s.text + "]", true};
    }
    case 9: {
      Expr a = genDecimal(item, depth - 1);
      return {"abs(" + a.text + ")", a.optional};
    }
    case 10: {
      Expr a = genDecimal(item, depth - 1), b = genDecimal(item, depth - 1);
      return {std::string(chance(50) ? "min(" : "max(") + a.text + ", " + b.text + ")", a.optional || b.optional};
    }
    case 11: {
      Expr e = genDecimal(true, depth - 1);
      std::string where = chance(50) ? " where " + condition(true, depth - 1) : "";
      return {"sum(it: " + replaceItem(e.text + where) + ")", false};
    }
    case 12: {
      Expr e = genDecimal(true, depth - 1);
      std::string where = chance(30) ? " where " + condition(true, depth - 1) : "";
      return {std::string(chance(50) ? "min(it: " : "max(it: ") + replaceItem(e.text + where) + ")", true};
    }
    default: {
      Expr c = genBool(item, depth - 1);
      Expr a = genDecimal(item, depth - 1), b = genDecimal(item, depth - 1);
      std::string cond = c.optional ? "(" + c.text + ") ?? true" : c.text;
      return {"(if " + cond + " then " + a.text + " else " + b.text + ")", a.optional || b.optional};
    }
  }
}

ProgramGenerator::Expr ProgramGenerator::genString(bool item, int depth) {
  int choice = depth <= 0 ? pick(3) : pick(6);
  switch (choice) {
    case 0: return {stringLiteral(), false};
    case 1: return item ? (chance(50) ? Expr{"item.descr", false} : Expr{"item.descr_opt", true})
                        : (chance(50) ? Expr{"office", false} : Expr{"note", true});
    case 2: return {"office", false};
    case 3: {
      Expr k = genString(item, depth - 1);
      return {"labels[" + k.text + "]", true};
    }
    case 4: {
      Expr a = genString(item, depth - 1);
      if (!a.optional) return a;
      return {"(" + a.text + " ?? " + stringLiteral() + ")", false};
    }
    default: {
      Expr p = genPersonString();
      return p;
    }
  }
}

ProgramGenerator::Expr ProgramGenerator::genPersonString() { return {"declarant.name", true}; }

ProgramGenerator::Expr ProgramGenerator::genDate(bool item, int depth) {
  int choice = depth <= 0 ? pick(2) : pick(4);
  switch (choice) {
    case 0: return {dateLiteral(), false};
    case 1: return item && chance(50) ? Expr{"item.shipped", true} : Expr{"date", false};
    case 2: {
      Expr d = genDate(item, depth - 1), k = genInt(item, depth - 1);
      return {"(" + d.text + (chance(50) ? " + " : " - ") + k.text + ")", d.optional || k.optional};
    }
    default: return {"declarant.since", true};
  }
}

ProgramGenerator::Expr ProgramGenerator::genHs(bool item, int depth) {
  int choice = depth <= 0 || !item ? 0 : pick(3);
  switch (choice) {
    case 0: return {"hs\"" + hsLiteral(true) + "\"", false};
    case 1: return {"item.code", false};
    default: {
      const char* part[] = {"chapter", "heading", "subheading"};
      return {"item.code." + std::string(part[pick(3)]), false};
    }
  }
}

ProgramGenerator::Expr ProgramGenerator::genCountry(bool item, int depth) {
  (void)depth;
  switch (pick(3)) {
    case 0: return {"country\"" + countryLiteral() + "\"", false};
    case 1: return item ? Expr{"item.origin", false} : Expr{"from_c", true};
    default: return {"from_c", true};
  }
}

ProgramGenerator::Expr ProgramGenerator::genDir(bool item, int depth) {
  (void)depth;
  switch (pick(3)) {
    case 0: return {chance(50) ? "Dir.IM" : "Dir.TT", false};
    case 1: return item ? Expr{"item.kind", true} : Expr{"direction", false};
    default: return {"direction", false};
  }
}

std::string ProgramGenerator::replaceItem(const std::string& text) {
  // Aggregates bind their own item name, `it`; expressions generated for `item` use it.
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 5, "item.") == 0 && (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_'))) {
      out += "it.";
      i += 5;
    } else if (text.compare(i, 6, "(item)") == 0) {
      out += "(it)";
      i += 6;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

ProgramGenerator::Expr ProgramGenerator::genBool(bool item, int depth) {
  if (depth <= 0) {
    switch (pick(4)) {
      case 0: return {chance(50) ? "true" : "false", false};
      case 1: return item ? Expr{"item.ok", false} : Expr{"flag", false};
      case 2: return {"flag_opt", true};
      default: return {"declarant.vip", true};
    }
  }
  int choice = pick(item ? 22 : 26);
  auto compare = [&](T t, bool ordered) -> Expr {
    Expr a = gen(t, item, depth - 1), b = gen(t, item, depth - 1);
    static const char* kAll[] = {"==", "!=", "<", "<=", ">", ">="};
    const char* op = ordered ? kAll[pick(6)] : kAll[pick(2)];
    return {"(" + a.text + " " + op + " " + b.text + ")", a.optional || b.optional};
  };
  switch (choice) {
    case 0: case 1: {
      Expr a = chance(50) ? genInt(item, depth - 1) : genDecimal(item, depth - 1);
      Expr b = chance(50) ? genInt(item, depth - 1) : genDecimal(item, depth - 1);
      static const char* kOps[] = {"==", "!=", "<", "<=", ">", ">="};
      return {"(" + a.text + " " + kOps[pick(6)] + " " + b.text + ")", a.optional || b.optional};
    }
    case 2: return compare(T::String, true);
    case 3: return compare(T::Date, true);
    case 4: return compare(T::Dir, true);
    case 5: return compare(T::Country, false);
    case 6: {
      if (!item) return compare(T::Country, false);
      if (chance(40))  // a code and an origin together: what compound indexes answer
        return {"(item.code in \"" + hsLiteral(true) + "\" and item.origin " +
                    (chance(50) ? "== \"" + countryLiteral() + "\"" : "in [\"" + countryLiteral() + "\", \"" + countryLiteral() + "\"]") + ")",
                false};
      Expr h = genHs(item, depth - 1);
      std::string rhs;
      switch (pick(4)) {
        case 0: rhs = "\"" + hsLiteral(true) + "\""; break;
        case 1: rhs = "[\"" + hsLiteral(true) + "\", \"" + hsLiteral(true) + "\"]"; break;
        case 2: rhs = "headings"; break;  // keys of one length: looked up in an array
        default: rhs = "codes"; break;
      }
      return {"(" + h.text + (chance(20) ? " not in " : " in ") + rhs + ")", false};
    }
    case 7: {
      Expr c = genCountry(item, depth - 1);
      std::string rhs = pick(3) == 0 ? "countries" : pick(2) ? "weights" : "[\"" + countryLiteral() + "\", \"" + countryLiteral() + "\"]";
      return {"(" + c.text + " in " + rhs + ")", c.optional};
    }
    case 8: {
      Expr s = genString(item, depth - 1);
      return {"(" + s.text + (chance(50) ? " in words" : " in labels") + ")", s.optional};
    }
    case 9: {
      Expr d = genDir(item, depth - 1);
      return {"(" + d.text + " in [IM, EK])", d.optional};
    }
    case 10: {
      static const T kTypes[] = {T::Int, T::Decimal, T::String, T::Date, T::Country, T::Dir};
      Expr x = gen(kTypes[pick(6)], item, depth - 1);
      return {"(" + x.text + (chance(50) ? " is missing)" : " is present)"), false};
    }
    case 11: {
      Expr a = genBool(item, depth - 1);
      return {"(not " + a.text + ")", a.optional};
    }
    case 12: case 13: {
      Expr a = genBool(item, depth - 1), b = genBool(item, depth - 1);
      return {"(" + a.text + (choice == 12 ? " and " : " or ") + b.text + ")", a.optional || b.optional};
    }
    case 14: {
      Expr a = genString(item, depth - 1), b = genString(item, depth - 1);
      static const char* kFns[] = {"starts_with", "ends_with", "contains"};
      return {std::string(kFns[pick(3)]) + "(" + a.text + ", " + b.text + ")", a.optional || b.optional};
    }
    case 15: {
      static const char* kTests[] = {"declarant.category == high", "declarant.category >= medium",
                                     "declarant.category in [low, high]", "declarant.registered",
                                     "consignee.category != low", "consignee.registered"};
      int k = pick(6);
      return {std::string("(") + kTests[k] + ")", k == 4};
    }
    case 16: return in_indicator_ ? Expr{"true", false} : Expr{"p_person(declarant)", true};
    case 17: return in_indicator_ ? Expr{"false", false} : Expr{"d_decl(declaration)", false};
    case 18: {
      Expr c = genBool(item, depth - 1), a = genBool(item, depth - 1), b = genBool(item, depth - 1);
      std::string cond = c.optional ? "(" + c.text + ") ?? false" : c.text;
      return {"(if " + cond + " then " + a.text + " else " + b.text + ")", a.optional || b.optional};
    }
    case 19: {
      Expr a = genBool(item, depth - 1), b = genBool(item, depth - 1);
      if (!a.optional) return a;
      return {"(" + a.text + " ?? " + b.text + ")", b.optional};
    }
    case 20: return {"(consignee.debt > 0)", true};
    case 21: {
      if (item && !in_indicator_) return {"i_item(item)", false};
      return {"(amount_opt > amount)", true};
    }
    case 22: case 23: {
      // Half the bodies open with tests an index answers (code prefix, origin, lists).
      std::string guard;
      switch (pick(6)) {
        case 0: guard = "it.code in \"" + hsLiteral(true) + "\" and "; break;
        case 1: guard = "it.code in \"" + hsLiteral(true) + "\" and it.origin == \"" + countryLiteral() + "\" and "; break;
        case 2: guard = "it.origin in [\"" + countryLiteral() + "\", \"" + countryLiteral() + "\"] and "; break;
        default: break;
      }
      return {std::string(choice == 22 ? "(any it: " : "(all it: ") + guard + "(" + replaceItem(condition(true, depth - 1)) + "))",
              false};
    }
    case 24: {
      return {"(count(it: " + replaceItem(condition(true, depth - 1)) + ") >= " + std::to_string(pick(3)) + ")", false};
    }
    default: {
      Expr s = genDecimal(false, depth);
      return {"(" + s.text + " > " + decimalLiteral() + ")", s.optional};
    }
  }
}

// ---- programs and data ----------------------------------------------------------------

std::string ProgramGenerator::profile(size_t index) {
  std::string apply;
  switch (pick(4)) {
    case 0: apply = "M1"; break;
    // `n != 7 and`: a condition that only mentions categories could be decided at check
    // time and rejected as never holding (TK409).
    case 1: apply = "M1, M2 if n != 7 and " + condition(false, 2); break;
    // A condition that can fold to a constant would make the else unreachable (TK409).
    case 2: apply = "M2 if n > " + std::to_string(pick(10)) + " else sample " + std::to_string(pick(100)) + "%"; break;
    default: apply = "M1, M3 sample 50%"; break;
  }
  std::string scope = chance(30) ? "  scope direction in [IM, EK], office in [\"A1\", \"B2\"]\n" : "";
  std::string valid = chance(30) ? "2026-03-01 .. 2026-09-30" : "2026-01-01 ..";
  return fmt::format("profile \"G{:04}\" {{\n  title \"generated\"\n  area A\n  valid {}\n{}  level {}\n  state approved\n"
                     "  when {}\n  apply {}\n}}\n",
                     index, valid, scope, chance(50) ? "high" : "low", condition(false, 3), apply);
}

GeneratedProgram ProgramGenerator::program(size_t profiles) {
  GeneratedProgram out;
  out.source = prelude();
  in_indicator_ = true;  // indicators call no indicators: no cycles
  out.source += "\nindicator i_item(item) = " + condition(true, 2) + "\n";
  out.source += "indicator d_decl(declaration) = " + condition(false, 2) + "\n";
  in_indicator_ = false;
  out.source += "indicator p_person(person) = (person.score > " + std::to_string(pick(50)) + " or (person.debt > 100) ?? " +
                (chance(50) ? "true" : "false") + ")\n";
  out.source += "\ncategory rules for person {\n  high when (person.debt > " + std::to_string(pick(500)) +
                ") ?? false\n" + (chance(50) ? "  high when unregistered\n" : "") + "  low when person.vip\n  medium otherwise\n}\n\n";
  for (size_t i = 0; i < profiles; ++i) {
    std::string p = profile(i);
    out.source += p;
    out.profile_sources.push_back(std::move(p));
  }
  out.data_files = {
      {"codes.csv", "hs\n6403\n85\n220300\n8703231900\n02\n"},
      {"countries.csv", "country\nCN\nTR\nAE\n"},
      {"words.csv", "word\nalpha\nshoes\nbeta gamma\n"},
      {"headings.csv", "hs\n6403\n8517\n0201\n9999\n"},
      {"prices.csv", "hs,price\n64,10.5\n6403,20\n640399,30.25\n8517120000,99.999999\n"},
      {"duties.csv", "hs,duty\n64,0.15\n85,0\n02,-1.5\n99,7\n"},
      {"weights.csv", "country,weight\nCN,3\nDE,-2\nKZ,0\n"},
      {"labels.csv", "key,label\nalpha,beta\nshoes,alpha\ndelta,phone\n"},
      {"rates.csv", "key,rate\nalpha,0.5\nsteel,0\ngamma,-1.25\n"},
  };
  std::string persons = "pid,score,debt,since,name,vip\n";
  for (int p = 0; p < 12; ++p) {
    persons += fmt::format("{}{},{},{},{},{},{}\n", kPersons, p, pick(100) - 10, chance(30) ? "" : std::to_string(pick(1000)),
                           chance(30) ? "" : dateLiteral(), chance(30) ? "" : kWords[pick(10)], chance(40) ? "true" : "false");
  }
  out.persons_csv = persons;
  return out;
}

std::string ProgramGenerator::declarations(size_t count) {
  std::string csv =
      "id,date,direction,office,amount,amount_opt,n,n_opt,flag,flag_opt,note,from_c,declarant,consignee,"
      "item_seq,code,origin,qty,qty_opt,price,price_opt,descr,descr_opt,kind,shipped,ok\n";
  auto maybe = [&](int percent, std::string value) { return chance(percent) ? std::string() : value; };
  auto decimalValue = [&]() -> std::string {
    switch (pick(8)) {
      case 0: return "0";
      case 1: return "9223372036854.775807";
      case 2: return "-9223372036854.775807";
      case 3: return fmt::format("{}.{:06}", pick(100000), pick(1000000));
      case 4: return fmt::format("-{}.{}", pick(1000), pick(10));
      default: return std::to_string(pick(200));
    }
  };
  auto intValue = [&]() -> std::string {
    switch (pick(8)) {
      case 0: return "0";
      case 1: return "9223372036854775807";
      case 2: return "-9223372036854775807";
      case 3: return std::to_string(pick(2000000) - 1000000);
      default: return std::to_string(pick(20));
    }
  };
  auto text = [&]() -> std::string {
    switch (pick(6)) {
      case 0: return randomText(1000, 3000);  // huge
      case 1: return "\"x, \"\"quoted\"\"\"";
      default: return kWords[pick(10)];
    }
  };
  const char* dirs[] = {"IM", "EK", "TT"};
  for (size_t d = 0; d < count; ++d) {
    std::string header = fmt::format(
        "D{},{},{},{},{},{},{},{},{},{},{},{},{},{}", declaration_counter_++,
        fmt::format("2026-{:02}-{:02}", 1 + pick(12), 1 + pick(28)), dirs[pick(3)], chance(70) ? (chance(50) ? "A1" : "B2") : "C3",
        decimalValue(), maybe(30, decimalValue()), intValue(), maybe(30, intValue()), chance(50) ? "true" : "false",
        maybe(40, chance(50) ? "1" : "0"), maybe(40, text()), maybe(30, kCountries[pick(6)]),
        chance(85) ? fmt::format("{}{}", kPersons, pick(12)) : "UNKNOWN", maybe(50, fmt::format("{}{}", kPersons, pick(14))));
    int items = 1 + pick(5);
    for (int i = 0; i < items; ++i) {
      std::string code = kCodes[pick(10)];
      if (chance(10)) code = fmt::format("{:010}", pick(1000000) * 1000);  // not in any list
      csv += header + fmt::format(",{},{},{},{},{},{},{},{},{},{},{},{}\n", i + 1, code, kCountries[pick(6)], intValue(),
                                  maybe(30, intValue()), decimalValue(), maybe(30, decimalValue()), text(), maybe(40, text()),
                                  maybe(40, dirs[pick(3)]), maybe(40, dateLiteral()), chance(50) ? "true" : "false");
    }
  }
  return csv;
}

}  // namespace tauekel::difftest
