#pragma once
// Text -> one column value, by the schema field's type. Shared by the CSV and JSON
// Lines loaders and the person register.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/sema/program.h"
#include "runtime/vector/column.h"
#include "runtime/vector/string_index.h"
#include "runtime/vector/string_pool.h"

namespace tauekel::runtime {

struct FieldSpec {
  std::string name;    // schema field name
  std::string column;  // CSV column / JSON member
  ir::Type type = ir::Type::Int;
  bool nullable = false;
  int round = -1;  // decimals: round to this many digits instead of requiring exact input
  const sema::EnumInfo* enumeration = nullptr;
};

std::vector<FieldSpec> fieldSpecs(const sema::Schema& schema);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Maps a person id to its register row; absent ids are unregistered persons (-1).
using PersonIndex = StringIndex;

// Stores `text` at `row`; an empty text is a missing value. Returns "" or the reason
// the text is not a value of the field's type.
std::string parseField(const FieldSpec& spec, std::string_view text, Column& column, size_t row, StringPool& strings,
                       const PersonIndex* persons);

// Which fields of the declaration and item schemas whoever screens the batches reads
// (the profiles in force, the key, the date, the persons): a field it does not read is
// checked as strictly as the others, but its value is not kept (a string is not
// interned, a decimal's digits are counted, not added up), and its column holds a
// placeholder. An empty vector reads every field.
struct FieldsRead {
  std::vector<uint8_t> decl, item;  // by schema field: 1 read
};

// Where the fast path below stores values, and what it keeps across rows.
struct FieldStore {
  StringPool& strings;
  const PersonIndex* persons;
  std::vector<uint64_t>& unregistered;  // hashes of person ids the register does not hold
  const uint8_t* read = nullptr;        // by field: 1 when its value is kept (null: every field)
  uint64_t blank_epoch = 0;             // strings' epoch when blank_id was interned
  int32_t blank_id = -1;                // "" in strings: the placeholder of a text not kept
};

// The loaders' fast path: stores texts[f] for each field f of `specs` into columns[f] at
// `row`, as parseField would, and returns the first field whose text is no value of its
// type (SIZE_MAX when all are; parseField then says why). A person id the register does
// not hold is stored as -1 with its hash added to `store.unregistered`.
size_t storeFields(const std::vector<FieldSpec>& specs, const std::string_view* texts, std::vector<Column>& columns,
                   size_t row, FieldStore& store);

}  // namespace tauekel::runtime
