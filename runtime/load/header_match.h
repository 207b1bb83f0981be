#pragma once
// Finds each schema field's column in a CSV header (declarations and the person
// register). A header is refused when a name appears twice (which column would be
// meant?) or a required field has no column; a column that matches no field while an
// optional field has no column gets a warning naming both (likely a misspelling, which
// would otherwise read as "missing" on every row).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "runtime/load/field_parser.h"
#include "support/expected.h"

namespace tauekel::runtime {

inline constexpr size_t kNoColumn = SIZE_MAX;

// For each group of fields, each field's column index (kNoColumn when an optional
// field's column is absent). A UTF-8 byte-order mark before the first name is ignored.
Expected<std::vector<std::vector<size_t>>> matchHeader(const std::string& file, std::vector<std::string> header,
                                                       const std::vector<const std::vector<FieldSpec>*>& groups,
                                                       const std::function<void(const std::string&)>& warn);

}  // namespace tauekel::runtime
