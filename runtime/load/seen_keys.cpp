#include "runtime/load/seen_keys.h"

namespace tauekel::runtime {

namespace {
// FNV-1a with a final mix, so that keys differing only at the end spread over slots.
uint64_t hashOf(std::string_view key) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}
}  // namespace

void SeenKeys::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.line == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].line != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

uint64_t SeenKeys::insert(std::string_view key, uint64_t line) {
  if ((count_ + 1) * 10 > slots_.size() * 7) grow();
  uint64_t h = hashOf(key);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i].line == 0) {
      slots_[i] = Slot{h, line == 0 ? 1 : line};
      ++count_;
      return 0;
    }
    if (slots_[i].hash == h) return slots_[i].line;
  }
}

}  // namespace tauekel::runtime
