#pragma once
// Interned strings for one batch: each distinct string gets a dense 32-bit id, so string
// columns are dictionary-encoded and equality is an integer compare. A batch's pool is
// cleared with the batch, which keeps memory flat however many distinct strings pass;
// clearing keeps the allocations, so the next batch reuses them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tauekel::runtime {

class StringPool {
 public:
  StringPool() = default;
  // A copy is a different dictionary from then on: it gets its own epoch.
  StringPool(const StringPool& other) { *this = other; }
  StringPool& operator=(const StringPool& other) {
    bytes_ = other.bytes_;
    offsets_ = other.offsets_;
    slots_ = other.slots_;
    slot_hash_ = other.slot_hash_;
    mask_ = other.mask_;
    epoch_ = nextEpoch();
    return *this;
  }
  StringPool(StringPool&& other) noexcept { *this = std::move(other); }
  StringPool& operator=(StringPool&& other) noexcept {
    bytes_ = std::move(other.bytes_);
    offsets_ = std::move(other.offsets_);
    slots_ = std::move(other.slots_);
    slot_hash_ = std::move(other.slot_hash_);
    mask_ = other.mask_;
    epoch_ = other.epoch_;
    other.clear();
    return *this;
  }

  int32_t intern(std::string_view text);
  // The id of `text` if it is in the pool, else -1.
  int32_t find(std::string_view text) const;
  std::string_view view(int32_t id) const {
    return std::string_view(bytes_.data() + offsets_[static_cast<size_t>(id)],
                            offsets_[static_cast<size_t>(id) + 1] - offsets_[static_cast<size_t>(id)]);
  }
  size_t size() const { return offsets_.size() - 1; }
  // Where the texts are: id's text is byteData()[offsetData()[id], offsetData()[id + 1]).
  // Valid until the next intern() or clear().
  const uint32_t* offsetData() const { return offsets_.data(); }
  const char* byteData() const { return bytes_.data(); }
  void clear();
  // Unique to this pool's contents since it was made or last cleared: an id means the
  // same string for as long as the epoch stays (ids are only ever added), so what was
  // computed from an id may be kept until it changes.
  uint64_t epoch() const { return epoch_; }

 private:
  static uint64_t hash(std::string_view text);
  static uint64_t nextEpoch();
  void grow();

  std::string bytes_;
  std::vector<uint32_t> offsets_{0};
  // Open addressing: slot = id + 1 (0: empty), with the hash kept to skip most compares.
  std::vector<uint32_t> slots_;
  std::vector<uint32_t> slot_hash_;
  size_t mask_ = 0;
  uint64_t epoch_ = nextEpoch();
};

}  // namespace tauekel::runtime
