#pragma once
// JSON: an escaping appender and a small writer for our outputs, and a strict reader
// (RFC 8259) used by the JSON Lines loader and by tests that inspect our own output.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "support/expected.h"

namespace tauekel::json {

void appendString(std::string& out, std::string_view text);  // with quotes

// Builds compact JSON; commas between members and elements are inserted for you.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  Writer& beginObject();
  Writer& endObject();
  Writer& beginArray();
  Writer& endArray();
  Writer& key(std::string_view name);
  Writer& value(std::string_view text);
  Writer& value(const char* text) { return value(std::string_view(text)); }
  Writer& value(int64_t number);
  Writer& value(int number) { return value(static_cast<int64_t>(number)); }
  Writer& value(uint64_t number);
  Writer& value(bool flag);
  Writer& raw(std::string_view json);  // an already-encoded value
  Writer& null();

 private:
  void separate();
  std::string& out_;
  std::vector<bool> first_{true};
  bool after_key_ = false;
};

class Value;
using Object = std::vector<std::pair<std::string, Value>>;
using Array = std::vector<Value>;

class Value {
 public:
  using Storage = std::variant<std::nullptr_t, bool, double, std::string, Array, Object>;
  Value() : data_(nullptr) {}
  Value(Storage data, std::string number_text = {})
      : data_(std::move(data)), number_text_(std::move(number_text)) {}

  bool isNull() const { return data_.index() == 0; }
  bool isBool() const { return data_.index() == 1; }
  bool isNumber() const { return data_.index() == 2; }
  bool isString() const { return data_.index() == 3; }
  bool isArray() const { return data_.index() == 4; }
  bool isObject() const { return data_.index() == 5; }

  bool asBool() const { return std::get<1>(data_); }
  double asNumber() const { return std::get<2>(data_); }
  // Numbers keep their source text so exact decimals are not routed through double.
  const std::string& numberText() const { return number_text_; }
  const std::string& asString() const { return std::get<3>(data_); }
  const Array& asArray() const { return std::get<4>(data_); }
  const Object& asObject() const { return std::get<5>(data_); }
  // Member lookup; nullptr when absent or not an object.
  const Value* find(std::string_view name) const;

 private:
  Storage data_;
  std::string number_text_;
};

struct ParseFailure {
  size_t offset = 0;
  std::string message;
};

// Parses exactly one JSON value (surrounding whitespace allowed); nesting is limited.
Expected<Value> parse(std::string_view text, size_t* error_offset = nullptr);

}  // namespace tauekel::json
