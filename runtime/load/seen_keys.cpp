#include "runtime/load/seen_keys.h"

#include "support/text_hash.h"

namespace tauekel::runtime {

uint64_t SeenKeys::hashOf(std::string_view key) {
  uint64_t h = text_hash::hash(key);
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

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

uint64_t SeenKeys::Part::insert(uint64_t hash, uint32_t line) {
  if ((count + 1) * 10 > hashes.size() * 7) grow();
  size_t mask = hashes.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (hashes[i] == 0) {
      hashes[i] = hash;
      lines[i] = line;
      ++count;
      return 0;
    }
    if (hashes[i] == hash) return lines[i] != 0 ? lines[i] : UINT64_MAX;
  }
}

bool SeenKeys::Part::contains(uint64_t hash) const {
  if (hashes.empty()) return false;
  size_t mask = hashes.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (hashes[i] == 0) return false;
    if (hashes[i] == hash) return true;
  }
}

uint64_t SeenKeys::insertHash(uint64_t hash, uint64_t line) {
  auto kept = line <= UINT32_MAX ? static_cast<uint32_t>(line) : 0;
  if (!parted_) {
    if (small_.count < kSmall) return small_.insert(hash, kept);
    // Past the small table: every key into the parts, from now on.
    for (size_t i = 0; i < small_.hashes.size(); ++i)
      if (small_.hashes[i] != 0) partOf(small_.hashes[i]).insert(small_.hashes[i], small_.lines[i]);
    small_ = Part{};
    parted_ = true;
  }
  return partOf(hash).insert(hash, kept);
}

bool SeenKeys::containsHash(uint64_t hash) const { return parted_ ? partOf(hash).contains(hash) : small_.contains(hash); }

void SeenKeys::prefetch(uint64_t hash) const {
  const Part& part = parted_ ? partOf(hash) : small_;
  if (!part.hashes.empty()) __builtin_prefetch(&part.hashes[hash & (part.hashes.size() - 1)]);
}

size_t SeenKeys::size() const {
  if (!parted_) return small_.count;
  size_t n = 0;
  for (const auto& part : parts_) n += part.count;
  return n;
}

}  // namespace tauekel::runtime
