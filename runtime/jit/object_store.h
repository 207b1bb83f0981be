#pragma once
// Compiled kernels kept on disk between processes, so that a second run of the same
// profiles loads native code instead of compiling it again. An entry is named by a hash
// of its key (the kernel's IR, the LLVM version, the CPU and the optimisation level) and
// holds the whole key, so a hash collision reads as a miss. Entries are written to a
// temporary name and renamed into place: processes sharing the folder never see half an
// entry. A damaged or truncated entry (its checksum or its key do not match) is removed
// and compiled again.

#include <optional>
#include <string>
#include <string_view>

#include "support/expected.h"

namespace tauekel::runtime::jit {

class KernelObjectStore {
 public:
  explicit KernelObjectStore(std::string directory) : directory_(std::move(directory)) {}

  // $XDG_CACHE_HOME/tauekel/kernels, else $HOME/.cache/tauekel/kernels; "" when neither
  // variable is set.
  static std::string defaultDirectory();

  // The object stored under `key`; nullopt when there is none or it is damaged.
  std::optional<std::string> load(const std::string& key) const;
  // Stores the object; an error says why not (the caller goes on without the cache).
  Expected<bool> store(const std::string& key, std::string_view object) const;

  const std::string& directory() const { return directory_; }
  // Where the entry for `key` lives.
  std::string pathOf(const std::string& key) const;

 private:
  std::string directory_;
};

}  // namespace tauekel::runtime::jit
