#include <fmt/format.h>

#include <set>

#include "compiler/ir/ir.h"
#include "support/codes.h"
#include "support/date.h"
#include "support/decimal.h"

namespace tauekel::ir {

const char* opName(Op op) {
  switch (op) {
    case Op::Const: return "Const";
    case Op::Column: return "Column";
    case Op::Broadcast: return "Broadcast";
    case Op::NullUnless: return "NullUnless";
#define OP(name) \
  case Op::name: return #name;
#include "compiler/sema/ops.def"
#undef OP
  }
  return "?";
}

const char* typeName(Type type) {
  switch (type) {
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Decimal: return "decimal";
    case Type::Date: return "date";
    case Type::Hs: return "hs";
    case Type::Country: return "country";
    case Type::Enum: return "enum";
    case Type::String: return "string";
    case Type::Person: return "person";
  }
  return "?";
}

namespace {
const char* domainName(Domain d) {
  switch (d) {
    case Domain::Scalar: return "scalar";
    case Domain::Decl: return "decl";
    case Domain::Item: return "item";
    case Domain::Person: return "person";
  }
  return "?";
}

std::string constText(const Node& n) {
  if (n.nullable) return "missing";
  switch (n.type) {
    case Type::Bool: return n.value ? "true" : "false";
    case Type::Decimal: return decimal::format(n.value);
    case Type::Date: return date::format(static_cast<int32_t>(n.value));
    case Type::Hs: return "hs\"" + codes::formatHs(n.value, n.digits ? n.digits : 10) + "\"";
    case Type::Country: return "country\"" + codes::formatCountry(static_cast<uint16_t>(n.value)) + "\"";
    case Type::String: return "\"" + n.text + "\"";
    case Type::Enum:
      if (n.enumeration && n.value >= 0 && static_cast<size_t>(n.value) < n.enumeration->members.size())
        return n.enumeration->members[static_cast<size_t>(n.value)];
      return std::to_string(n.value);
    default: return std::to_string(n.value);
  }
}
}  // namespace

std::string dump(const Program& program, const std::vector<NodeId>& roots) {
  // Operands before their users, each node once; a work stack, as the IR can be deep.
  std::set<NodeId> seen;
  std::vector<NodeId> order;
  for (NodeId r : roots) {
    if (!seen.insert(r).second) continue;
    std::vector<std::pair<NodeId, size_t>> stack = {{r, 0}};
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      const Node& n = program.node(id);
      if (next < n.args.size()) {
        NodeId a = n.args[next++];
        if (seen.insert(a).second) stack.emplace_back(a, 0);
        continue;
      }
      order.push_back(id);
      stack.pop_back();
    }
  }
  std::string out;
  for (NodeId id : order) {
    const Node& n = program.node(id);
    out += fmt::format("%{} = {} {}{} {}", id, opName(n.op), typeName(n.type), n.nullable ? "?" : "", domainName(n.domain));
    if (n.op == Op::Const) out += " " + constText(n);
    if (n.op == Op::Column || n.op == Op::PersonField || n.op == Op::InData || n.op == Op::InTableKeys ||
        n.op == Op::Lookup || n.op == Op::HsPrefix || n.op == Op::DatePart)
      out += fmt::format(" #{}", n.value);
    for (NodeId a : n.args) out += fmt::format(" %{}", a);
    out += "\n";
  }
  return out;
}

}  // namespace tauekel::ir
