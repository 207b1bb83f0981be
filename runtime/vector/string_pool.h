#pragma once
// Interned strings for one batch: each distinct string gets a dense 32-bit id, so string
// columns are dictionary-encoded and equality is an integer compare. A batch's pool is
// cleared with the batch, which keeps memory flat however many distinct strings pass.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tauekel::runtime {

class StringPool {
 public:
  int32_t intern(std::string_view text);
  // The id of `text` if it is in the pool, else -1.
  int32_t find(std::string_view text) const;
  std::string_view view(int32_t id) const {
    return std::string_view(bytes_.data() + offsets_[static_cast<size_t>(id)],
                            offsets_[static_cast<size_t>(id) + 1] - offsets_[static_cast<size_t>(id)]);
  }
  size_t size() const { return offsets_.size() - 1; }
  void clear();

 private:
  std::string bytes_;
  std::vector<uint32_t> offsets_{0};
  // Keys point into bytes_, which may move: keys are rebuilt when it grows.
  std::unordered_map<std::string_view, int32_t> index_;
  void rebuildIndex();
};

}  // namespace tauekel::runtime
