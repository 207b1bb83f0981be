#include "runtime/load/declaration_json.h"

#include <fmt/format.h>

namespace tauekel::runtime {

namespace {

// The text a member holds, or the reason it holds none; a missing member or null is the
// empty text (a missing value).
bool memberText(const json::Value* v, std::string& text, std::string& reason) {
  text.clear();
  if (v == nullptr || v->isNull()) return true;
  if (v->isString()) {
    text = v->asString();
    if (text.empty()) {
      reason = "an empty string; leave the member out or write null for a missing value";
      return false;
    }
    return true;
  }
  if (v->isNumber()) {
    text = v->numberText();
    return true;
  }
  if (v->isBool()) {
    text = v->asBool() ? "true" : "false";
    return true;
  }
  reason = "an object or array where a single value is expected";
  return false;
}

}  // namespace

std::string jsonDeclarationKey(const BatchBuilder& builder, size_t key_field, const json::Value& object) {
  std::string text, reason;
  if (!object.isObject()) return "";
  if (!memberText(object.find(builder.declFields()[key_field].column), text, reason)) return "";
  return text;
}

std::set<std::string, std::less<>> knownJsonMembers(const BatchBuilder& builder) {
  std::set<std::string, std::less<>> known;
  for (const auto* fields : {&builder.declFields(), &builder.itemFields()})
    for (const auto& f : *fields) known.insert(f.column);
  known.insert("items");
  return known;
}

std::optional<FieldError> appendJsonDeclaration(BatchBuilder& builder, Batch& batch, const json::Value& object,
                                                uint64_t line, uint64_t max_items) {
  if (!object.isObject()) return FieldError{"", "a declaration must be a JSON object"};
  const auto& decl_fields = builder.declFields();
  std::string text, reason;
  builder.beginDeclaration(batch, line);
  auto fail = [&](std::string path, std::string why) {
    builder.abandonDeclaration(batch);
    return FieldError{std::move(path), std::move(why)};
  };
  for (size_t f = 0; f < decl_fields.size(); ++f) {
    if (!memberText(object.find(decl_fields[f].column), text, reason) ||
        !(reason = builder.setDeclField(batch, f, text)).empty())
      return fail(decl_fields[f].column, reason);
  }
  const json::Value* items = object.find("items");
  if (items == nullptr || !items->isArray()) return fail("items", "a declaration needs an \"items\" array");
  if (items->asArray().size() > max_items)
    return fail("items", fmt::format("{} goods items, more than the {} one declaration may have",
                                     items->asArray().size(), max_items));
  const auto& item_fields = builder.itemFields();
  size_t index = 0;
  for (const auto& item : items->asArray()) {
    std::string at = fmt::format("items[{}]", index++);
    if (!item.isObject()) return fail(at, "a goods item must be a JSON object");
    builder.beginItem(batch);
    for (size_t f = 0; f < item_fields.size(); ++f) {
      if (!memberText(item.find(item_fields[f].column), text, reason) ||
          !(reason = builder.setItemField(batch, f, text)).empty())
        return fail(at + "." + item_fields[f].column, reason);
    }
  }
  builder.endDeclaration(batch);
  return std::nullopt;
}

}  // namespace tauekel::runtime
