#include "engine/profile_set_version.h"

#include <fmt/format.h>

#include <algorithm>

#include "support/fnv.h"

namespace tauekel::engine {

namespace {

// Each piece is hashed with its length in front, so "ab"+"c" and "a"+"bc" differ.
class Hasher {
 public:
  void add(std::string_view text) {
    add(static_cast<uint64_t>(text.size()));
    h_ = fnv::hash(text, h_);
  }
  void add(uint64_t n) { h_ = fnv::hash(std::string_view(reinterpret_cast<const char*>(&n), sizeof n), h_); }
  void add(int64_t n) { add(static_cast<uint64_t>(n)); }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = fnv::kOffset;
};

}  // namespace

std::string profileSetVersion(const Compilation& compilation, const runtime::PersonRegister* persons,
                              const ir::LowerOptions& options) {
  Hasher h;
  h.add(std::string_view("tauekel profile set 1"));
  // Sources in any order: where a file sits in the walk does not change what it says.
  std::vector<uint64_t> files;
  for (source::FileId id = 1; id <= compilation.sources.size(); ++id) {
    Hasher file;
    file.add(compilation.sources.file(id).text());
    files.push_back(file.value());
  }
  std::sort(files.begin(), files.end());
  for (uint64_t f : files) h.add(f);
  h.add(std::string_view(compilation.package_hash));  // a package has no sources: its content

  for (const auto& set : compilation.program->data) {
    h.add(set.name);
    h.add(static_cast<uint64_t>(set.keys.size()));
    for (const auto* values : {&set.keys, &set.values})
      for (const auto& v : *values) {
        h.add(v.number);
        h.add(v.text);
        h.add(static_cast<int64_t>(v.digits));
      }
  }

  h.add(static_cast<uint64_t>(persons != nullptr));
  if (persons) {
    h.add(static_cast<uint64_t>(persons->count));
    for (const auto& column : persons->columns) {
      bool text = column.type() == ir::Type::String;
      for (size_t row = 0; row < persons->count; ++row) {
        if (!column.valid(row)) {
          h.add(std::string_view("-"));
        } else if (text) {
          h.add(persons->strings.view(static_cast<int32_t>(column.get(row))));
        } else {
          h.add(column.get(row));
        }
      }
    }
  }

  h.add(static_cast<int64_t>(options.as_of ? *options.as_of : INT64_MIN));
  h.add(static_cast<uint64_t>(options.stage));
  h.add(static_cast<uint64_t>(options.include_drafts));
  // Production: the profiles whose approval verified (a set is sorted).
  h.add(static_cast<int64_t>(options.window_reference ? *options.window_reference : INT64_MIN));
  h.add(static_cast<uint64_t>(options.approved.has_value()));
  if (options.approved)
    for (const auto& id : *options.approved) h.add(std::string_view(id));
  return fmt::format("{:016x}", h.value());
}

}  // namespace tauekel::engine
