#include "runtime/vector/string_pool.h"

namespace tauekel::runtime {

int32_t StringPool::find(std::string_view text) const {
  auto it = index_.find(text);
  return it == index_.end() ? -1 : it->second;
}

int32_t StringPool::intern(std::string_view text) {
  if (auto it = index_.find(text); it != index_.end()) return it->second;
  const char* before = bytes_.data();
  bytes_.append(text);
  offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
  auto id = static_cast<int32_t>(offsets_.size() - 2);
  if (bytes_.data() != before) rebuildIndex();
  else index_.emplace(view(id), id);
  return id;
}

void StringPool::rebuildIndex() {
  index_.clear();
  for (size_t i = 0; i + 1 < offsets_.size(); ++i) index_.emplace(view(static_cast<int32_t>(i)), static_cast<int32_t>(i));
}

void StringPool::clear() {
  bytes_.clear();
  offsets_.assign(1, 0);
  index_.clear();
}

}  // namespace tauekel::runtime
