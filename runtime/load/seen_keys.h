#pragma once
// The declaration keys a source has screened or rejected, so that a key that comes
// back later (rows of one declaration that are not consecutive, or the same
// declaration twice) is caught: one key never gets two decisions.
//
// This is the one thing a run keeps per declaration: a 64-bit hash of the key and the
// line it started on, 12 bytes in a table of 256 parts that each grow on their own (so
// growing never holds two copies of the whole). About 20 bytes a declaration in all.
// The first few thousand keys (a block's, on a thread of their own) are kept in one
// small table instead, so a set that stays small costs one allocation.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tauekel::runtime {

class SeenKeys {
 public:
  // The hash a key is kept as.
  static uint64_t hashOf(std::string_view key);

  // Records `key` as starting at `line`. Returns 0 when it is new; else the line where it
  // was first seen (UINT64_MAX when that line is past 2^32 and was not kept), and
  // records nothing.
  uint64_t insert(std::string_view key, uint64_t line) { return insertHash(hashOf(key), line); }
  uint64_t insertHash(uint64_t hash, uint64_t line);
  // Whether `key` was recorded (inserting nothing).
  bool contains(std::string_view key) const { return containsHash(hashOf(key)); }
  bool containsHash(uint64_t hash) const;
  // Brings the slot a hash is looked up in into the cache, ahead of the lookup.
  void prefetch(uint64_t hash) const;
  size_t size() const;

 private:
  struct Part {
    std::vector<uint64_t> hashes;  // 0: empty slot
    std::vector<uint32_t> lines;   // 0: not kept
    size_t count = 0;
    void grow();
    uint64_t insert(uint64_t hash, uint32_t line);
    bool contains(uint64_t hash) const;
  };
  static constexpr size_t kSmall = 4096;  // keys kept in small_ before the parts are used
  Part& partOf(uint64_t hash) { return parts_[hash >> 56]; }  // the top byte picks the part, the low bits the slot
  const Part& partOf(uint64_t hash) const { return parts_[hash >> 56]; }

  Part small_;  // while only it is used
  bool parted_ = false;
  std::array<Part, 256> parts_;
};

}  // namespace tauekel::runtime
