#include "runtime/vector/string_index.h"

#include <cassert>

#include "support/text_hash.h"

namespace tauekel::runtime {

int32_t StringIndex::find(std::string_view text) const {
  if (count_ == 0) return -1;
  uint64_t h = text_hash::hash(text);
  auto tag = static_cast<uint32_t>(h >> 32);
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.row < 0) return -1;
    if (matches(slot, tag, text)) return slot.row;
  }
}

bool StringIndex::insert(std::string_view text, int32_t row) {
  assert(row >= 0);
  if ((count_ + 1) * 2 > slots_.size()) grow();
  uint64_t h = text_hash::hash(text);
  auto tag = static_cast<uint32_t>(h >> 32);
  size_t i = h & mask_;
  for (; slots_[i].row >= 0; i = (i + 1) & mask_)
    if (matches(slots_[i], tag, text)) return false;
  slots_[i] = Slot{tag, row, texts_.size(), text.size()};
  texts_.append(text);
  ++count_;
  return true;
}

void StringIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.row < 0) continue;
    uint64_t h = text_hash::hash(std::string_view(texts_.data() + slot.offset, slot.length));
    size_t i = h & mask_;
    while (slots_[i].row >= 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace tauekel::runtime
