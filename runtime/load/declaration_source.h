#pragma once
// Where declarations come from: a stream of batches, whatever the file format. A row
// that cannot be read rejects its whole declaration (screening part of one would be
// wrong), is reported as file:line: column: reason, and counted: rows read always
// equals rows processed plus rows rejected. A declaration key that comes back after
// other declarations is rejected there: one key never gets two decisions.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "compiler/sema/program.h"
#include "runtime/load/field_parser.h"
#include "runtime/vector/batch.h"
#include "support/csv_block.h"
#include "support/expected.h"
#include "support/input_file.h"

namespace tauekel::runtime {

struct LoadStats {
  uint64_t rows_read = 0;       // CSV rows, or JSON lines
  uint64_t rows_rejected = 0;
  uint64_t declarations = 0;    // screened
  uint64_t declarations_rejected = 0;
  uint64_t items = 0;           // screened
  uint64_t bytes = 0;           // of input consumed
  // Distinct person ids that screened declarations name but the register does not hold
  // (all of them when there is no register).
  uint64_t persons_unregistered = 0;
};

struct LoadError {
  std::string file;
  uint64_t line = 0;
  std::string field;  // may be empty
  std::string reason;
  std::string format() const;
};

enum class OnError { Fail, Skip };

inline constexpr uint64_t kDefaultMaxItems = 100000;

enum class InputFormat { ByName, Csv, JsonLines };

struct LoadOptions {
  size_t batch_items = 4096;  // a batch closes at the first declaration boundary past this
  OnError on_error = OnError::Fail;
  InputFormat format = InputFormat::ByName;
  uint64_t max_record_bytes = io::kDefaultMaxRecordBytes;  // one CSV record or JSON line
  // Goods items in one declaration: a batch holds a declaration whole, so this bounds
  // memory when one key repeats without end.
  uint64_t max_items = kDefaultMaxItems;
  uint64_t max_data_bytes = io::kDefaultMaxDataBytes;      // the person register, read whole
  // The fields whose values whoever screens the batches reads; null: all. The others are
  // checked as strictly, but hold placeholders (see FieldsRead).
  std::shared_ptr<const FieldsRead> fields_read;
  std::function<void(const LoadError&)> report;  // every rejected declaration, once
  std::function<void(const std::string&)> warn;  // likely mistakes that do not stop reading
};

class SeenKeys;

// A piece of the input holding whole declarations, split off by the reading thread so
// that another thread turns its fields into a batch (DeclarationSource::split, read).
struct InputBlock {
  csv::ByteBlock bytes;
  // The input could not be split past here: this block begins the rest of the input,
  // which readRest() reads on one thread. No block follows.
  bool rest() const { return bytes.rest; }
};

// What reading a block gave besides its batch, for whoever puts blocks back in input
// order: its counts, its rejected declarations (in order), and every declaration key it
// began, with its line (to check keys against the blocks before it).
struct BlockOutcome {
  LoadStats stats;
  std::vector<LoadError> rejected;
  std::vector<std::pair<uint64_t, uint64_t>> keys;  // SeenKeys::hashOf each key, and its line
  std::unordered_set<uint64_t> unregistered;  // person ids, hashed
  std::optional<Error> error;  // reading stopped at a bad row (OnError::Fail)
  void clear() {
    stats = {};
    rejected.clear();
    keys.clear();
    unregistered.clear();
    error.reset();
  }
};

class DeclarationSource {
 public:
  virtual ~DeclarationSource() = default;
  // Fills `batch` with whole declarations. Returns false at the end of the input, an
  // Error when reading cannot go on (unreadable file, bad header, or a bad row under
  // OnError::Fail); `batch` then holds the declarations read whole before the fault,
  // which are the input's up to it (screen them: what is decided before a stop does not
  // depend on how the input was cut into batches).
  virtual Expected<bool> next(Batch& batch) = 0;
  const LoadStats& stats() const { return stats_; }
  virtual uint64_t totalBytes() const = 0;  // for progress; 0 if unknown

  // Reading on many threads, for sources that can cut their input into blocks of whole
  // declarations (CSV can): split() on one thread, in order; read() of each block on
  // any thread; then, in input order, the keys checked against the earlier blocks'
  // (a block whose key came before is read again with `seen`, as one thread would), and
  // absorb() of each outcome, which reports its rejects and adds its counts. The
  // decisions and reports are then those of next(), batch boundaries aside.
  virtual bool splits() const { return false; }
  // A block of about `rows` rows (more, to end at a declaration's end); false at the end
  // of the input; an Error when reading cannot go on.
  virtual Expected<bool> split(InputBlock& block, size_t rows);
  // `seen`: the keys of the blocks before (which it then holds this block's too); null:
  // this block's own keys only. The block is the same after as before.
  virtual void read(InputBlock& block, Batch& batch, BlockOutcome& outcome, SeenKeys* seen) const;
  virtual void absorb(const BlockOutcome& outcome);
  // A block marked rest() and the input after it, read on as next() would, its keys
  // checked against and added to `seen`, its rejects reported as they come; once it has
  // been read to its end, absorbRest() adds its counts.
  virtual std::unique_ptr<DeclarationSource> readRest(InputBlock& block, SeenKeys& seen);
  virtual void absorbRest(const DeclarationSource& rest);

 protected:
  LoadStats stats_;
};

// Opens a CSV (one row per goods item, header fields repeated, rows of one declaration
// consecutive) or JSON Lines (one declaration per line, items nested) file; "-" is
// standard input. The format is options.format, else chosen by the name: .jsonl and
// .ndjson (any case) are JSON Lines, .json is refused (one JSON document is not a
// stream of declarations), anything else is CSV.
// The format a file's name says: .jsonl and .ndjson are JSON Lines, .json is refused
// (one document, not lines), anything else (and standard input) is CSV.
Expected<InputFormat> formatByName(const std::string& path);

Expected<std::unique_ptr<DeclarationSource>> openDeclarations(const std::string& path, const sema::Program& program,
                                                              const PersonIndex* persons, const LoadOptions& options);
// The same over bytes already opened (tests, fuzzers, services); `format` is Csv or
// JsonLines.
Expected<std::unique_ptr<DeclarationSource>> openDeclarations(std::unique_ptr<io::ByteSource> input,
                                                              InputFormat format, const sema::Program& program,
                                                              const PersonIndex* persons, const LoadOptions& options);

// Prepares an empty batch with the schema's columns.
void initBatch(Batch& batch, const sema::Program& program);
// Empties a batch for reuse, keeping its allocations.
void clearBatch(Batch& batch);

}  // namespace tauekel::runtime
