#pragma once
// The declaration keys a source has screened or rejected, so that a key that comes
// back later (rows of one declaration that are not consecutive, or the same
// declaration twice) is caught: one key never gets two decisions.
//
// This is the one thing a run keeps per declaration: a 64-bit hash of the key and the
// line it started on, 12 bytes in a table of 256 parts that each grow on their own (so
// growing never holds two copies of the whole). About 20 bytes a declaration in all.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tauekel::runtime {

class SeenKeys {
 public:
  // Records `key` as starting at `line`. Returns 0 when it is new; else the line where it
  // was first seen (UINT64_MAX when that line is past 2^32 and was not kept), and
  // records nothing.
  uint64_t insert(std::string_view key, uint64_t line);
  // Whether `key` was recorded (inserting nothing).
  bool contains(std::string_view key) const;
  size_t size() const;

 private:
  struct Part {
    std::vector<uint64_t> hashes;  // 0: empty slot
    std::vector<uint32_t> lines;   // 0: not kept
    size_t count = 0;
    void grow();
  };
  std::array<Part, 256> parts_;
};

}  // namespace tauekel::runtime
