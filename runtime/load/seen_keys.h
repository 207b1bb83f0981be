#pragma once
// The declaration keys a source has screened or rejected, so that a key that comes
// back later (rows of one declaration that are not consecutive, or the same
// declaration twice) is caught: one key never gets two decisions. Keys are kept as
// 64-bit hashes with the line they started on, 16 bytes a declaration.

#include <cstdint>
#include <string_view>
#include <vector>

namespace tauekel::runtime {

class SeenKeys {
 public:
  // Records `key` as starting at `line`. Returns 0 when it is new, else the line where
  // it was first seen (and records nothing).
  uint64_t insert(std::string_view key, uint64_t line);
  size_t size() const { return count_; }

 private:
  void grow();
  struct Slot {
    uint64_t hash = 0;
    uint64_t line = 0;  // 0: empty
  };
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace tauekel::runtime
