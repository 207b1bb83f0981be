#include "runtime/load/seen_keys.h"

#include "support/text_hash.h"

namespace tauekel::runtime {

namespace {
uint64_t hashOf(std::string_view key) {
  uint64_t h = text_hash::hash(key);
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}
}  // namespace

void SeenKeys::Part::grow() {
  std::vector<uint64_t> old_hashes = std::move(hashes);
  std::vector<uint32_t> old_lines = std::move(lines);
  size_t slots = old_hashes.empty() ? 64 : old_hashes.size() * 2;
  hashes.assign(slots, 0);
  lines.assign(slots, 0);
  size_t mask = slots - 1;
  for (size_t i = 0; i < old_hashes.size(); ++i) {
    if (old_hashes[i] == 0) continue;
    size_t j = old_hashes[i] & mask;
    while (hashes[j] != 0) j = (j + 1) & mask;
    hashes[j] = old_hashes[i];
    lines[j] = old_lines[i];
  }
}

uint64_t SeenKeys::insert(std::string_view key, uint64_t line) {
  uint64_t h = hashOf(key);
  Part& part = parts_[h >> 56];  // the top byte picks the part, the low bits the slot
  if ((part.count + 1) * 10 > part.hashes.size() * 7) part.grow();
  size_t mask = part.hashes.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (part.hashes[i] == 0) {
      part.hashes[i] = h;
      part.lines[i] = line <= UINT32_MAX ? static_cast<uint32_t>(line) : 0;
      ++part.count;
      return 0;
    }
    if (part.hashes[i] == h) return part.lines[i] != 0 ? part.lines[i] : UINT64_MAX;
  }
}

bool SeenKeys::contains(std::string_view key) const {
  uint64_t h = hashOf(key);
  const Part& part = parts_[h >> 56];
  if (part.hashes.empty()) return false;
  size_t mask = part.hashes.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (part.hashes[i] == 0) return false;
    if (part.hashes[i] == h) return true;
  }
}

size_t SeenKeys::size() const {
  size_t n = 0;
  for (const auto& part : parts_) n += part.count;
  return n;
}

}  // namespace tauekel::runtime
