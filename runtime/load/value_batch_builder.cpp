#include "runtime/load/value_batch_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "support/text.h"

namespace tauekel::runtime {

namespace {

std::string decimalText(Decimal d, std::string& reason) {
  if (d.scale < 0 || d.scale > 18) {
    reason = fmt::format("a decimal of scale {}; the scale is 0 to 18", d.scale);
    return {};
  }
  // The magnitude as an unsigned number, so the most negative units are no overflow.
  uint64_t magnitude = d.units < 0 ? 0 - static_cast<uint64_t>(d.units) : static_cast<uint64_t>(d.units);
  std::string digits = std::to_string(magnitude);
  if (digits.size() <= static_cast<size_t>(d.scale)) digits.insert(0, static_cast<size_t>(d.scale) + 1 - digits.size(), '0');
  if (d.scale > 0) digits.insert(digits.size() - static_cast<size_t>(d.scale), 1, '.');
  return d.units < 0 ? "-" + digits : digits;
}

// What kind of value a field of `type` takes, for a message.
const char* expected(ir::Type type) {
  switch (type) {
    case ir::Type::Bool: return "a bool";
    case ir::Type::Int: return "an integer";
    case ir::Type::Decimal: return "a decimal";
    case ir::Type::Date: return "a date";
    case ir::Type::Hs: return "a commodity code (text)";
    case ir::Type::Country: return "a country code (text)";
    case ir::Type::Enum: return "one of its values (text)";
    case ir::Type::String: return "a text";
    case ir::Type::Person: return "a person id (text)";
  }
  return "a value";
}

// Whether a value of this alternative may go into a field of `type` at all: texts go
// anywhere (they are parsed as the files' texts are); numbers, bools and dates only
// where they mean what they say.
bool fits(const FieldValue& value, ir::Type type) {
  switch (value.index()) {
    case 1: return type == ir::Type::Bool;
    case 2: return type == ir::Type::Int || type == ir::Type::Decimal;
    case 3: return type == ir::Type::Decimal;
    case 4: return type == ir::Type::Date;
    default: return true;
  }
}

const char* describe(const FieldValue& value) {
  switch (value.index()) {
    case 1: return "a bool";
    case 2: return "an integer";
    case 3: return "a decimal";
    case 4: return "a date";
    default: return "a text";
  }
}

}  // namespace

std::optional<std::string> valueText(const FieldValue& value, std::string& reason) {
  switch (value.index()) {
    case 0: return std::string();
    case 1: return std::string(std::get<bool>(value) ? "true" : "false");
    case 2: return std::to_string(std::get<int64_t>(value));
    case 3: {
      std::string text = decimalText(std::get<Decimal>(value), reason);
      if (!reason.empty()) return std::nullopt;
      return text;
    }
    case 4: {
      Date d = std::get<Date>(value);
      if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) {
        reason = fmt::format("{}-{}-{} is not a date", d.year, d.month, d.day);
        return std::nullopt;
      }
      return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);  // the day in the month: checked on parsing
    }
    default: {
      std::string_view text = std::get<std::string_view>(value);
      if (text.empty()) {
        reason = "an empty text; a missing value is std::monostate";
        return std::nullopt;
      }
      return std::string(text);
    }
  }
}

ValueBatchBuilder::ValueBatchBuilder(const sema::Program& program, const PersonIndex* persons)
    : builder_(program, persons), key_field_(static_cast<size_t>(program.declaration.key_field)) {
  initBatch(batch_, program);
  for (const auto& f : builder_.declFields()) decl_members_.push_back(f.column);
  decl_members_.push_back("items");
  for (const auto& f : builder_.itemFields()) item_members_.push_back(f.column);
}

std::optional<FieldError> ValueBatchBuilder::unknownMember(const json::Value& object) const {
  auto check = [](const json::Value& v, const std::vector<std::string>& known,
                  const std::string& at) -> std::optional<FieldError> {
    if (!v.isObject()) return std::nullopt;
    for (const auto& [name, value] : v.asObject()) {
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string near = text::closest(name, known);
      return FieldError{at + name, near.empty() ? "no field has this name"
                                                : fmt::format("no field has this name; is it \"{}\"?", near)};
    }
    return std::nullopt;
  };
  if (auto unknown = check(object, decl_members_, "")) return unknown;
  if (const json::Value* items = object.find("items"); items && items->isArray()) {
    size_t index = 0;
    for (const auto& item : items->asArray())
      if (auto unknown = check(item, item_members_, fmt::format("items[{}].", index++))) return unknown;
  }
  return std::nullopt;
}

void ValueBatchBuilder::clear() {
  if (open_) builder_.abandonDeclaration(batch_);
  open_ = false;
  clearBatch(batch_);
  keys_.clear();
}

void ValueBatchBuilder::truncate(size_t declarations) {
  if (open_) builder_.abandonDeclaration(batch_);
  open_ = false;
  if (declarations >= batch_.decl_count) return;
  const auto& key_column = batch_.decl_columns[key_field_];
  for (size_t d = declarations; d < batch_.decl_count; ++d)
    keys_.erase(std::string(batch_.strings.view(static_cast<int32_t>(key_column.get(d)))));
  size_t items = batch_.item_begin[declarations];
  batch_.decl_count = declarations;
  batch_.item_count = items;
  for (auto& c : batch_.decl_columns) c.resize(declarations);
  for (auto& c : batch_.item_columns) c.resize(items);
  batch_.decl_line.resize(declarations);
  batch_.item_begin.resize(declarations + 1);
  batch_.item_decl.resize(items);
}

void ValueBatchBuilder::beginDeclaration() {
  if (open_) builder_.abandonDeclaration(batch_);
  builder_.beginDeclaration(batch_, batch_.decl_count + 1);
  open_ = true;
  in_item_ = false;
  items_ = 0;
  error_.reset();
  decl_set_.assign(builder_.declFields().size(), 0);
}

std::optional<FieldError> ValueBatchBuilder::fail(std::string path, std::string reason) {
  FieldError error{std::move(path), std::move(reason)};
  if (!error_) error_ = error;
  return error;
}

void ValueBatchBuilder::beginItem() {
  if (!open_) {
    fail("items", "a goods item outside a declaration; call beginDeclaration() first");
    return;
  }
  // The previous item's fields never set are missing values (an error where required).
  if (in_item_)
    for (size_t f = 0; f < item_set_.size(); ++f)
      if (!item_set_[f]) set(builder_.itemFields()[f].column, std::monostate{});
  builder_.beginItem(batch_);
  in_item_ = true;
  ++items_;
  item_set_.assign(builder_.itemFields().size(), 0);
}

std::optional<FieldError> ValueBatchBuilder::set(std::string_view field, const FieldValue& value) {
  if (!open_) return FieldError{std::string(field), "no declaration is open; call beginDeclaration() first"};
  const auto& fields = in_item_ ? builder_.itemFields() : builder_.declFields();
  std::string path = in_item_ ? fmt::format("items[{}].{}", items_ - 1, field) : std::string(field);
  size_t f = 0;
  while (f < fields.size() && fields[f].column != field) ++f;
  if (f == fields.size()) {
    const auto& other = in_item_ ? builder_.declFields() : builder_.itemFields();
    for (const auto& o : other)
      if (o.column == field)
        return fail(path, in_item_ ? "a declaration field, set after the first goods item began; set the "
                                     "declaration's fields before beginItem()"
                                   : "a goods-item field; call beginItem() first");
    std::vector<std::string> names;
    for (const auto& spec : fields) names.push_back(spec.column);
    std::string near = text::closest(std::string(field), names);
    return fail(path, near.empty() ? "no such field" : fmt::format("no such field; is it \"{}\"?", near));
  }
  const FieldSpec& spec = fields[f];
  if (!fits(value, spec.type))
    return fail(path, fmt::format("{} where the field takes {}", describe(value), expected(spec.type)));
  std::string reason;
  auto text = valueText(value, reason);
  if (!text) return fail(path, reason);
  reason = in_item_ ? builder_.setItemField(batch_, f, *text) : builder_.setDeclField(batch_, f, *text);
  if (!reason.empty()) return fail(path, reason);
  (in_item_ ? item_set_ : decl_set_)[f] = 1;
  return std::nullopt;
}

std::optional<FieldError> ValueBatchBuilder::endDeclaration() {
  if (!open_) return FieldError{"", "no declaration is open; call beginDeclaration() first"};
  if (in_item_)
    for (size_t f = 0; f < item_set_.size(); ++f)
      if (!item_set_[f]) set(builder_.itemFields()[f].column, std::monostate{});
  // Declaration fields never set are missing values: checked as the item's were.
  in_item_ = false;
  for (size_t f = 0; f < decl_set_.size(); ++f)
    if (!decl_set_[f]) set(builder_.declFields()[f].column, std::monostate{});
  open_ = false;
  if (!error_ && !keySeen(batch_.decl_count - 1)) error_ = FieldError{builder_.declFields()[key_field_].column,
                                                                      "this declaration is already in the batch: a "
                                                                      "declaration gets one decision"};
  if (error_) {
    builder_.abandonDeclaration(batch_);
    return error_;
  }
  builder_.endDeclaration(batch_);
  return std::nullopt;
}

// Notes the key of declaration `row`; false when the batch already holds it.
bool ValueBatchBuilder::keySeen(size_t row) {
  const auto& column = batch_.decl_columns[key_field_];
  return keys_.emplace(batch_.strings.view(static_cast<int32_t>(column.get(row)))).second;
}

std::optional<FieldError> ValueBatchBuilder::addJson(const json::Value& object, uint64_t max_items) {
  if (open_) builder_.abandonDeclaration(batch_);
  open_ = false;
  if (!readJsonMembers(object, members_, max_items)) return FieldError{"", "a declaration must be a JSON object"};
  std::string key = members_.key(key_field_);
  if (!key.empty() && keys_.count(key))
    return FieldError{builder_.declFields()[key_field_].column,
                      "this declaration is already in the batch: a declaration gets one decision"};
  if (auto error = members_.append(builder_, batch_, batch_.decl_count + 1)) return error;
  keySeen(batch_.decl_count - 1);
  return std::nullopt;
}

}  // namespace tauekel::runtime
