#pragma once
// Control results: what customs control found when it applied measures to a
// declaration (or one of its goods items), read from a CSV or JSON Lines file laid out
// as the repository's `schema result` says (see sema::ResultFields).
//
// Reading checks each row as strictly as a declaration's; a row that cannot be read is
// reported (file, line, field) and counted, never dropped silently.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "runtime/load/declaration_source.h"
#include "support/expected.h"

namespace tauekel::effectiveness {

struct ControlResult {
  uint64_t line = 0;                  // in the results file
  std::string declaration;            // its key
  int32_t date = 0;                   // days since 1970-01-01
  bool violation = false;
  std::optional<uint32_t> item;       // numbered from 1; none: the declaration as a whole
  std::string kind;                   // of violation; "" when not given
  int64_t payments = 0;               // additional payments, a decimal scaled by 10^6
  std::vector<std::string> measures;  // codes of the measures applied
  // Same finding: a second row saying this is a duplicate, one saying otherwise contradicts.
  bool sameFinding(const ControlResult& other) const {
    return violation == other.violation && kind == other.kind && payments == other.payments &&
           measures == other.measures;
  }
};

struct ResultsFile {
  std::string name;                   // as messages name it
  std::string key_column, item_column;  // of the fields `declaration` and `item` ("": none)
  std::vector<ControlResult> rows;    // the rows read, in file order
  uint64_t rows_read = 0;             // data rows (CSV) or lines (JSON Lines)
  uint64_t rows_rejected = 0;         // each reported
};

struct ResultsOptions {
  runtime::InputFormat format = runtime::InputFormat::ByName;  // .csv, .jsonl / .ndjson
  uint64_t max_record_bytes = io::kDefaultMaxRecordBytes;
  std::function<void(const runtime::LoadError&)> report;       // every row rejected, once
  std::function<void(const std::string&)> warn;                // e.g. a column no field reads
};

// Fails (with the reason) when the file cannot be opened or read on, or the program has
// no result schema; a bad row is reported and the rest read.
Expected<ResultsFile> readResults(const std::string& path, const sema::Program& program, const ResultsOptions& options);
Expected<ResultsFile> readResults(std::unique_ptr<io::ByteSource> input, const sema::Program& program,
                                  const ResultsOptions& options);

}  // namespace tauekel::effectiveness
