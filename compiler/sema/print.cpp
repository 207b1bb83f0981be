#include "compiler/sema/print.h"

#include <fmt/format.h>

#include "compiler/sema/program.h"

namespace tauekel::sema {

namespace {

// How tightly an expression binds, as the grammar orders its alternatives: 0 for a
// primary (names, calls, members, literals), up to 12 for `if ... then ... else`.
bool isMembership(const Expr& e) {
  return e.op == Op::InValues || e.op == Op::InData || e.op == Op::InTableKeys;
}

int precedence(const Expr& e) {
  if (e.op == Op::Not && isMembership(*e.args[0])) return 4;  // `x not in list`
  switch (e.op) {
    case Op::ToDecimal: return precedence(*e.args[0]);
    case Op::Negate: return 1;
    case Op::Mul: case Op::Div: return 2;
    case Op::Add: case Op::Sub: return 3;
    case Op::InValues: case Op::InData: case Op::InTableKeys: return 4;
    case Op::IsMissing: case Op::IsPresent: return 5;
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: return 6;
    case Op::Coalesce: return 7;
    case Op::Not: return 8;
    case Op::And: return 9;
    case Op::Or: return 10;
    case Op::Any: case Op::All: return 11;
    case Op::If: return 12;
    default: return 0;
  }
}

const char* binaryWord(Op op) {
  switch (op) {
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Coalesce: return "??";
    case Op::And: return "and";
    case Op::Or: return "or";
    default: return "?";
  }
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string literal(const Expr& e) {
  if (e.type == nullptr) return "?";
  switch (e.type->kind) {
    case TypeKind::String: return quote(e.literal.text);
    case TypeKind::Hs: case TypeKind::Country: return quote(formatValue(*e.type, e.literal));
    default: return formatValue(*e.type, e.literal);
  }
}

class Printer {
 public:
  Printer(const Program& program, const std::string& person) : program_(program), person_(person) {}
  // `e` where the context allows at most precedence `allowed`.
  void put(const Expr& e, int allowed) {
    // A condition thousands of operators deep or long is shown cut, not overflowing
    // the stack or the reader's screen.
    if (depth_ >= kMaxDepth || out_.size() >= kMaxLength) {
      out_ += "...";
      return;
    }
    ++depth_;
    bool parens = precedence(e) > allowed;
    if (parens) out_ += '(';
    body(e);
    if (parens) out_ += ')';
    --depth_;
  }
  std::string take() { return std::move(out_); }

 private:
  void binary(const Expr& e, int p, bool right_assoc = false) {
    for (size_t i = 0; i < e.args.size(); ++i) {
      if (i > 0) out_ += fmt::format(" {} ", binaryWord(e.op));
      bool tight = right_assoc ? i + 1 < e.args.size() : i > 0;
      put(*e.args[i], tight ? p - 1 : p);
    }
  }
  void call(const char* name, const Expr& e) {
    out_ += name;
    out_ += '(';
    for (size_t i = 0; i < e.args.size(); ++i) {
      if (i > 0) out_ += ", ";
      put(*e.args[i], 12);
    }
    out_ += ')';
  }
  void member(const Expr& e, const std::string& name) {
    put(*e.args[0], 0);
    out_ += '.';
    out_ += name;
  }

  void membership(const Expr& e, const char* word) {
    put(*e.args[0], 3);
    out_ += word;
    if (e.op != Op::InValues) {
      out_ += e.data->name;
      return;
    }
    out_ += '[';
    for (size_t i = 1; i < e.args.size(); ++i) {
      if (i > 1) out_ += ", ";
      put(*e.args[i], 12);
    }
    out_ += ']';
  }

  void body(const Expr& e) {
    switch (e.op) {
      case Op::Literal: out_ += literal(e); return;
      case Op::Record:
        out_ += e.level == Level::Item ? "item" : e.level == Level::Person ? person_ : std::string("declaration");
        return;
      case Op::Field: {
        const Schema& schema = e.level == Level::Item     ? program_.item
                               : e.level == Level::Person ? program_.person
                                                          : program_.declaration;
        if (e.level == Level::Item) out_ += "item.";
        if (e.level == Level::Person) out_ += person_ + ".";
        out_ += schema.fields[static_cast<size_t>(e.field)].name;
        return;
      }
      case Op::PersonField: member(e, program_.person.fields[static_cast<size_t>(e.field)].name); return;
      case Op::PersonCategory: member(e, "category"); return;
      case Op::PersonRegistered: member(e, "registered"); return;
      case Op::HsPrefix: member(e, e.number == 2 ? "chapter" : e.number == 4 ? "heading" : "subheading"); return;
      case Op::DatePart: member(e, e.number == 0 ? "year" : e.number == 1 ? "month" : "day"); return;
      case Op::Call:
        out_ += e.indicator->name;
        out_ += '(';
        put(*e.args[0], 12);
        out_ += ')';
        return;
      case Op::ScoreRef: out_ += e.score->name; return;
      case Op::ToDecimal: body(*e.args[0]); return;
      case Op::Negate: out_ += '-'; put(*e.args[0], 1); return;
      case Op::Not:
        if (isMembership(*e.args[0])) {
          membership(*e.args[0], " not in ");
          return;
        }
        out_ += "not ";
        put(*e.args[0], 8);
        return;
      case Op::Mul: case Op::Div: binary(e, 2); return;
      case Op::Add: case Op::Sub: binary(e, 3); return;
      case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: binary(e, 6); return;
      case Op::Coalesce: binary(e, 7, /*right_assoc=*/true); return;
      case Op::And: binary(e, 9); return;
      case Op::Or: binary(e, 10); return;
      case Op::IsMissing: case Op::IsPresent:
        put(*e.args[0], 4);
        out_ += e.op == Op::IsMissing ? " is missing" : " is present";
        return;
      case Op::InValues: case Op::InData: case Op::InTableKeys: membership(e, " in "); return;
      case Op::Lookup:
        out_ += e.data->name;
        out_ += '[';
        put(*e.args[0], 12);
        if (e.args.size() == 2) {
          out_ += ", ";
          put(*e.args[1], 12);
        }
        out_ += ']';
        return;
      case Op::If:
        out_ += "if ";
        put(*e.args[0], 12);
        out_ += " then ";
        put(*e.args[1], 12);
        out_ += " else ";
        put(*e.args[2], 12);
        return;
      case Op::Abs: call("abs", e); return;
      case Op::Len: call("len", e); return;
      case Op::StartsWith: call("starts_with", e); return;
      case Op::EndsWith: call("ends_with", e); return;
      case Op::Contains: call("contains", e); return;
      case Op::MinOf: call("min", e); return;
      case Op::MaxOf: call("max", e); return;
      case Op::Any: case Op::All:
        out_ += e.op == Op::Any ? "any item: " : "all item: ";
        put(*e.args[0], 12);
        return;
      case Op::Count: case Op::Sum: case Op::Min: case Op::Max:
        out_ += e.op == Op::Count ? "count" : e.op == Op::Sum ? "sum" : e.op == Op::Min ? "min" : "max";
        out_ += "(item: ";
        put(*e.args[0], 12);
        if (e.args.size() > 1) {
          out_ += " where ";
          put(*e.args[1], 12);
        }
        out_ += ')';
        return;
    }
    out_ += '?';
  }

  static constexpr int kMaxDepth = 100;
  static constexpr size_t kMaxLength = 2000;
  const Program& program_;
  const std::string& person_;
  std::string out_;
  int depth_ = 0;
};

}  // namespace

std::string print(const Expr& expr, const Program& program, const std::string& person) {
  Printer p(program, person);
  p.put(expr, 12);
  return p.take();
}

}  // namespace tauekel::sema
