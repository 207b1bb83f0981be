#include "runtime/load/declaration_simdjson.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace tauekel::runtime {

namespace od = simdjson::ondemand;

namespace {

constexpr int kMaxDepth = 256;  // json::parse's: deeper is left to it

enum class Status { Ok, NonFinite, Unsure };

// A token's text: simdjson's raw token runs on to the next token.
std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\r' ||
                            token.back() == '\n'))
    token.remove_suffix(1);
  return token;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, the grammar json::parse reads.
bool isJsonNumber(std::string_view t) {
  size_t i = 0, n = t.size();
  auto digits = [&] {
    size_t from = i;
    while (i < n && isDigit(t[i])) ++i;
    return i > from;
  };
  if (i < n && t[i] == '-') ++i;
  if (i < n && t[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < n && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

bool isNonFinite(std::string_view t) { return t == "NaN" || t == "Infinity" || t == "-Infinity"; }

bool hasNul(std::string_view text) { return std::memchr(text.data(), 0, text.size()) != nullptr; }

}  // namespace

struct SimdjsonDeclarationReader::Impl {
  od::parser parser;
  std::string copy;                      // a line with too little readable after it, padded
  std::vector<std::string_view> names;   // member names of the objects being walked, a stack
  DeclarationMembers* members = nullptr;
  std::string_view non_finite;           // the NaN or Infinity last met

  // A scalar, into `out`; an object or array is the caller's.
  Status scalar(od::value& v, std::string_view raw, MemberValue& out) {
    switch (raw[0]) {
      case '"': {
        std::string_view s;
        if (v.get_string().get(s) || hasNul(s)) return Status::Unsure;  // json::parse refuses \u0000
        out = {MemberValue::String, s};
        return Status::Ok;
      }
      case 't':
        if (raw != "true") return Status::Unsure;
        out = {MemberValue::Bool, "true"};
        return Status::Ok;
      case 'f':
        if (raw != "false") return Status::Unsure;
        out = {MemberValue::Bool, "false"};
        return Status::Ok;
      case 'n':
        if (raw != "null") return Status::Unsure;
        out = {MemberValue::Null, {}};
        return Status::Ok;
      default:
        if (isJsonNumber(raw)) {
          out = {MemberValue::Number, raw};
          return Status::Ok;
        }
        if (isNonFinite(raw)) {
          non_finite = raw;
          return Status::NonFinite;
        }
        return Status::Unsure;
    }
  }

  // Any value, checked as json::parse would and kept nowhere (a member no field reads).
  Status any(od::value& v, int depth) {
    if (depth > kMaxDepth) return Status::Unsure;
    std::string_view raw = trimmed(v.raw_json_token());
    if (raw.empty()) return Status::Unsure;
    if (raw[0] == '{') {
      od::object object;
      if (v.get_object().get(object)) return Status::Unsure;
      size_t first = names.size();
      std::set<std::string_view> many;
      for (auto field : object) {
        std::string_view name;
        od::value value;
        if (field.unescaped_key().get(name) || hasNul(name) || field.value().get(value)) return Status::Unsure;
        if (!newName(first, name, many)) return Status::Unsure;
        if (Status s = any(value, depth + 1); s != Status::Ok) return Status::Unsure;
      }
      names.resize(first);
      return Status::Ok;
    }
    if (raw[0] == '[') {
      od::array array;
      if (v.get_array().get(array)) return Status::Unsure;
      for (auto element : array) {
        od::value value;
        if (element.get(value)) return Status::Unsure;
        if (Status s = any(value, depth + 1); s != Status::Ok) return Status::Unsure;
      }
      return Status::Ok;
    }
    MemberValue ignored;
    return scalar(v, raw, ignored) == Status::Ok ? Status::Ok : Status::Unsure;
  }

  // Whether `name` is new among the names from `first` on (then noted): one by one
  // while few, then in `many`, so that an object of many members is not quadratic.
  bool newName(size_t first, std::string_view name, std::set<std::string_view>& many) {
    constexpr size_t kFew = 32;
    if (names.size() - first < kFew) {
      for (size_t i = first; i < names.size(); ++i)
        if (names[i] == name) return false;
      names.push_back(name);
      return true;
    }
    if (many.empty()) many.insert(names.begin() + static_cast<std::ptrdiff_t>(first), names.end());
    return many.insert(name).second;
  }

  // A field's value: a scalar, or an object or array (then checked, and refused later).
  Status member(od::value& v, MemberValue& slot, int depth) {
    if (slot.kind != MemberValue::Absent) return Status::Unsure;  // named twice
    std::string_view raw = trimmed(v.raw_json_token());
    if (raw.empty()) return Status::Unsure;
    if (raw[0] == '{' || raw[0] == '[') {
      slot.kind = raw[0] == '{' ? MemberValue::Object : MemberValue::Array;
      return any(v, depth);
    }
    return scalar(v, raw, slot);
  }

  // A goods item object whose members are kept: item `index` of the array.
  Status item(od::object& object, size_t index, FieldError& bad) {
    for (auto field : object) {
      std::string_view name;
      od::value value;
      if (field.unescaped_key().get(name) || hasNul(name) || field.value().get(value)) return Status::Unsure;
      Status s;
      if (size_t f = members->itemField(name); f != DeclarationMembers::kNone) {
        s = member(value, members->item(f), 3);
        if (s == Status::NonFinite) bad.path = fmt::format("items[{}].{}", index, name);
      } else {
        if (!members->otherName(index + 1, name)) return Status::Unsure;
        s = any(value, 3);
      }
      if (s != Status::Ok) return s;
    }
    return Status::Ok;
  }

  Status items(od::value& v, FieldError& bad) {
    MemberValue& slot = members->items();
    if (slot.kind != MemberValue::Absent) return Status::Unsure;  // named twice
    std::string_view raw = trimmed(v.raw_json_token());
    if (raw.empty()) return Status::Unsure;
    if (raw[0] != '[') {
      Status s = member(v, slot, 1);
      if (s == Status::NonFinite) bad.path = "items";
      return s;
    }
    slot.kind = MemberValue::Array;
    od::array array;
    if (v.get_array().get(array)) return Status::Unsure;
    size_t index = 0;
    for (auto element : array) {
      od::value value;
      if (element.get(value)) return Status::Unsure;
      std::string_view first = trimmed(value.raw_json_token());
      bool is_object = !first.empty() && first[0] == '{';
      Status s;
      if (members->beginItem(is_object) && is_object) {
        od::object object;
        if (value.get_object().get(object)) return Status::Unsure;
        s = item(object, index, bad);
      } else {
        s = any(value, 2);  // not an object, or past the limit: checked, not kept
      }
      if (s != Status::Ok) return s;
      ++index;
    }
    return Status::Ok;
  }

  Status declaration(od::object& object, FieldError& bad) {
    for (auto field : object) {
      std::string_view name;
      od::value value;
      if (field.unescaped_key().get(name) || hasNul(name) || field.value().get(value)) return Status::Unsure;
      Status s;
      if (size_t f = members->declField(name); f != DeclarationMembers::kNone) {
        s = member(value, members->decl(f), 1);
        if (s == Status::NonFinite) bad.path = std::string(name);
      } else if (name == "items") {
        s = items(value, bad);
      } else {
        if (!members->otherName(0, name)) return Status::Unsure;
        s = any(value, 1);
      }
      if (s != Status::Ok) return s;
    }
    return Status::Ok;
  }
};

SimdjsonDeclarationReader::SimdjsonDeclarationReader() : impl_(std::make_unique<Impl>()) {}
SimdjsonDeclarationReader::~SimdjsonDeclarationReader() = default;

SimdjsonDeclarationReader::Result SimdjsonDeclarationReader::read(std::string_view line, size_t readable,
                                                                  DeclarationMembers& members, uint64_t max_items,
                                                                  FieldError& bad) {
  Impl& in = *impl_;
  members.clear(max_items);
  in.members = &members;
  in.names.clear();
  simdjson::padded_string_view text(line.data(), line.size(), readable);
  if (readable < line.size() + simdjson::SIMDJSON_PADDING) {
    in.copy.assign(line);
    in.copy.append(simdjson::SIMDJSON_PADDING, ' ');
    text = simdjson::padded_string_view(in.copy.data(), line.size(), in.copy.size());
  }
  od::document doc;
  od::object root;
  if (in.parser.iterate(text).get(doc) || doc.get_object().get(root)) return Result::Unsure;
  switch (in.declaration(root, bad)) {
    case Status::Ok: break;
    case Status::NonFinite:
      bad.reason = fmt::format("{} is not a number JSON allows; write the value's digits, or null for a missing value",
                               in.non_finite);
      return Result::BadValue;
    case Status::Unsure: return Result::Unsure;
  }
  // Nothing may follow the object.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return Result::Unsure;
  return Result::Declaration;
}

}  // namespace tauekel::runtime
