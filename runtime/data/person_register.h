#pragma once
// The person register: one row per trader, read from a CSV file with a column per
// person-schema field, indexed by the key field. Categories are computed once, when the
// register is loaded, by the program's category rules.

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "runtime/load/declaration_source.h"
#include "runtime/load/field_parser.h"
#include "runtime/vector/column.h"
#include "runtime/vector/string_pool.h"

namespace tauekel::runtime {

// What reading the register counted: each row read is registered or rejected.
struct PersonLoadStats {
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;
  uint64_t registered = 0;  // persons
};

struct PersonRegister {
  size_t count = 0;
  std::vector<Column> columns;     // by person-schema field
  StringPool strings;
  PersonIndex index;               // id -> row
  std::vector<uint8_t> category;   // by row: sema::RiskLevel
  uint8_t unregistered_category = static_cast<uint8_t>(sema::RiskLevel::Medium);
  PersonLoadStats stats;
};

// Reads the register. Bad rows are reported and skipped, or fail the load, per options;
// a repeated id is a bad row.
Expected<PersonRegister> loadPersons(const std::string& path, const sema::Program& program, const LoadOptions& options);
// The same over bytes already opened (tests, fuzzers, services).
Expected<PersonRegister> loadPersons(std::unique_ptr<io::ByteSource> input, const sema::Program& program,
                                     const LoadOptions& options);

}  // namespace tauekel::runtime
