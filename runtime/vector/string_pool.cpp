#include "runtime/vector/string_pool.h"

#include <atomic>
#include <cstring>

namespace tauekel::runtime {

uint64_t StringPool::hash(std::string_view text) {
  // FNV-1a over 8-byte words, then a final mix: quick for the short codes and ids most
  // string columns hold.
  uint64_t h = 14695981039346656037ull ^ text.size();
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    h = (h ^ w) * 1099511628211ull;
  }
  for (; i < text.size(); ++i) h = (h ^ static_cast<unsigned char>(text[i])) * 1099511628211ull;
  h ^= h >> 32;
  h *= 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

int32_t StringPool::find(std::string_view text) const {
  if (slots_.empty()) return -1;
  uint64_t h = hash(text);
  auto tag = static_cast<uint32_t>(h);
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    uint32_t slot = slots_[i];
    if (slot == 0) return -1;
    if (slot_hash_[i] == tag && view(static_cast<int32_t>(slot - 1)) == text) return static_cast<int32_t>(slot - 1);
  }
}

int32_t StringPool::intern(std::string_view text) {
  if ((size() + 1) * 2 > slots_.size()) grow();
  uint64_t h = hash(text);
  auto tag = static_cast<uint32_t>(h);
  size_t i = h & mask_;
  for (;; i = (i + 1) & mask_) {
    uint32_t slot = slots_[i];
    if (slot == 0) break;
    if (slot_hash_[i] == tag && view(static_cast<int32_t>(slot - 1)) == text) return static_cast<int32_t>(slot - 1);
  }
  auto id = static_cast<int32_t>(size());
  bytes_.append(text);
  offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
  slots_[i] = static_cast<uint32_t>(id) + 1;
  slot_hash_[i] = tag;
  return id;
}

void StringPool::grow() {
  size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, 0);
  slot_hash_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (size_t id = 0; id < size(); ++id) {
    std::string_view text = view(static_cast<int32_t>(id));
    uint64_t h = hash(text);
    size_t i = h & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = static_cast<uint32_t>(id) + 1;
    slot_hash_[i] = static_cast<uint32_t>(h);
  }
}

void StringPool::clear() {
  bytes_.clear();
  offsets_.assign(1, 0);
  std::fill(slots_.begin(), slots_.end(), 0);
  epoch_ = nextEpoch();
}

uint64_t StringPool::nextEpoch() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace tauekel::runtime
