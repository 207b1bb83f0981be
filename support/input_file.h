#pragma once
// Where every input file is opened: declarations, persons, lists, tables and sources.
// Refuses what cannot be read as a file of records, with a message that says what the
// path is (a directory, a named pipe...), reads through read(2) so that an I/O error is
// an error and never an early end, and bounds what is held in memory.

#include <cstdint>
#include <memory>
#include <string>

#include "support/expected.h"

namespace tauekel::io {

// The path that names standard input.
inline constexpr const char* kStdin = "-";

inline constexpr uint64_t kDefaultMaxRecordBytes = uint64_t{16} << 20;  // one CSV record or JSON line
inline constexpr uint64_t kDefaultMaxDataBytes = uint64_t{1} << 30;     // a file read whole

// A stream of bytes: a file, standard input, or text in memory (tests, fuzzers).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `buffer`; 0 at the end; an Error when the read failed.
  virtual Expected<size_t> read(char* buffer, size_t n) = 0;
  // The size in bytes when known (a regular file), else 0: for progress only.
  virtual uint64_t sizeHint() const { return 0; }
  // The name to use in messages: the path, or "standard input".
  const std::string& name() const { return name_; }

 protected:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

// Opens `path` to read ("-": standard input). Regular files and character devices are
// read; a directory, a named pipe, a socket or a block device is refused with a message
// naming what it is (named pipes would wait for a writer forever: pipe into "-").
Expected<std::unique_ptr<ByteSource>> openInput(const std::string& path);

std::unique_ptr<ByteSource> memoryInput(std::string name, std::string text);

// Reads what `source` gives into buffer[size...), doubling the buffer first when it is
// full, and advances `size`. Returns the bytes read: 0 at the end of the input.
Expected<size_t> readMore(ByteSource& source, std::string& buffer, size_t& size);

// Reads a whole file of at most `max_bytes` bytes; a larger one is an error that says
// so, and is not read past the limit (a device that never ends stops there).
Expected<std::string> readWhole(const std::string& path, uint64_t max_bytes);

// "12 MiB", "1 GiB", "4096 bytes": for messages about limits.
std::string describeBytes(uint64_t bytes);

// Parses a byte count for a command-line option: digits with an optional K, M or G
// (binary multiples). Zero and values that overflow are refused.
Expected<uint64_t> parseByteCount(const std::string& text);

}  // namespace tauekel::io
