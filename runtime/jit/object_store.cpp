#include "runtime/jit/object_store.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "support/fnv.h"
#include "support/input_file.h"
#include "support/output_file.h"

namespace tauekel::runtime::jit {

namespace {

constexpr std::string_view kMagic = "TAUEKEL KERNEL 1\n";
constexpr uint64_t kMaxEntryBytes = uint64_t{256} << 20;

void appendNumber(std::string& out, uint64_t n) { out.append(reinterpret_cast<const char*>(&n), sizeof n); }

bool readNumber(std::string_view& in, uint64_t& n) {
  if (in.size() < sizeof n) return false;
  std::memcpy(&n, in.data(), sizeof n);
  in.remove_prefix(sizeof n);
  return true;
}

}  // namespace

std::string KernelObjectStore::defaultDirectory() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/tauekel/kernels";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/tauekel/kernels";
  return "";
}

std::string KernelObjectStore::pathOf(const std::string& key) const {
  return fmt::format("{}/{:016x}.kernel", directory_, fnv::hash(key));
}

std::optional<std::string> KernelObjectStore::load(const std::string& key) const {
  std::string path = pathOf(key);
  auto read = io::readWhole(path, kMaxEntryBytes);
  if (!read) return std::nullopt;  // absent, unreadable or too large: a miss
  const std::string& text = *read;

  // magic, key length, key, object length, object checksum, object
  std::string_view in = text;
  uint64_t key_length = 0, object_length = 0, checksum = 0;
  bool whole = in.substr(0, kMagic.size()) == kMagic;
  if (whole) in.remove_prefix(kMagic.size());
  whole = whole && readNumber(in, key_length) && key_length <= in.size() && in.substr(0, key_length) == key;
  if (whole) in.remove_prefix(key_length);
  whole = whole && readNumber(in, object_length) && readNumber(in, checksum) && object_length == in.size() &&
          fnv::hash(in) == checksum;
  if (!whole) {
    // Damaged, truncated, or another key under the same hash: compiled again and
    // rewritten by the caller.
    ::unlink(path.c_str());
    return std::nullopt;
  }
  return std::string(in);
}

Expected<bool> KernelObjectStore::store(const std::string& key, std::string_view object) const {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) return Error{fmt::format("cannot make the kernel cache folder {}: {}", directory_, ec.message())};
  std::string entry(kMagic);
  appendNumber(entry, key.size());
  entry += key;
  appendNumber(entry, object.size());
  appendNumber(entry, fnv::hash(object));
  entry += object;

  // Written beside the entry and renamed over it: processes sharing the folder read
  // the old entry or the new one, never half of one.
  std::string path = pathOf(key);
  auto out = io::OutputFile::open(path);
  if (!out) return Error{fmt::format("cannot write to the kernel cache {}: {}", directory_, out.error().message)};
  if (auto written = (*out)->write(entry); !written) return written.error();
  if (auto committed = (*out)->commit(); !committed) return committed.error();
  return true;
}

}  // namespace tauekel::runtime::jit
