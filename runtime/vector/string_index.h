#pragma once
// A map from texts to rows (non-negative 32-bit numbers) for lookups on the hot path,
// such as the person register's ids, looked up once per declaration: open addressing
// over one array of (hash, row) slots with the texts in one buffer, so a lookup is a
// hash, usually one slot and one compare, where a node-based map chases pointers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tauekel::runtime {

class StringIndex {
 public:
  // Maps `text` to `row` (>= 0). False, changing nothing, when `text` is already there.
  bool insert(std::string_view text, int32_t row);
  // The row of `text`, or -1.
  int32_t find(std::string_view text) const;
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

 private:
  struct Slot {
    uint32_t tag = 0;     // the hash's high half
    int32_t row = -1;     // -1: empty
    uint64_t offset = 0;  // the text: texts_[offset, offset + length)
    uint64_t length = 0;
  };
  void grow();
  bool matches(const Slot& slot, uint32_t tag, std::string_view text) const {
    return slot.tag == tag && slot.length == text.size() && std::string_view(texts_.data() + slot.offset, slot.length) == text;
  }

  std::vector<Slot> slots_;
  std::string texts_;
  size_t count_ = 0;
  size_t mask_ = 0;
};

}  // namespace tauekel::runtime
