#include "worker/profile_source.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/fnv.h"
#include "support/json.h"
#include "worker/nats_client.h"

namespace tauekel::worker {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFormat = "tauekel-profile-set/1";

uint64_t fingerprintOf(const fs::path& path, uint64_t h) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec) return fnv::hash("missing:" + path.string(), h);
  auto stamp = [&](const fs::path& p) {
    std::error_code e;
    auto size = fs::file_size(p, e);
    auto time = fs::last_write_time(p, e).time_since_epoch().count();
    h = fnv::hash(fmt::format("{}|{}|{};", p.string(), size, time), h);
  };
  if (!fs::is_directory(status)) {
    stamp(path);
    return h;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) stamp(f);
  return h;
}

class FolderSource : public ProfileSource {
 public:
  FolderSource(std::string profiles, std::optional<std::string> persons)
      : files_{std::move(profiles), std::move(persons)} {}

  Expected<std::optional<ProfileSetChange>> poll() override {
    // Taken before loading: a write that lands while the set loads changes it again.
    uint64_t h = fingerprintOf(files_.profiles, fnv::kOffset);
    if (files_.persons) h = fingerprintOf(*files_.persons, h);
    if (seen_ && h == fingerprint_) return std::optional<ProfileSetChange>();
    seen_ = true;
    fingerprint_ = h;
    return std::optional<ProfileSetChange>(ProfileSetChange{files_, "folder " + files_.profiles});
  }

 private:
  service::ProfileSetFiles files_;
  bool seen_ = false;
  uint64_t fingerprint_ = 0;
};

class BucketSource : public ProfileSource {
 public:
  BucketSource(nats::KeyValue kv, std::string bucket, std::string key, std::string work_dir)
      : kv_(std::move(kv)), bucket_(std::move(bucket)), key_(std::move(key)), work_dir_(std::move(work_dir)) {}

  Expected<std::optional<ProfileSetChange>> poll() override {
    kvEntry* raw = nullptr;
    natsStatus s = kvStore_Get(&raw, kv_.get(), key_.c_str());
    if (s == NATS_NOT_FOUND) {
      if (revision_ == 0) return Error{fmt::format("bucket {} has no key {}: push a profile set first "
                                                   "(tauekel push-profiles)", bucket_, key_)};
      return std::optional<ProfileSetChange>();  // deleted: the set in force stays
    }
    if (s != NATS_OK) return nats::failure(fmt::format("bucket {} key {}", bucket_, key_), s);
    nats::KvEntry entry(raw);
    uint64_t revision = kvEntry_Revision(entry.get());
    if (revision == revision_) return std::optional<ProfileSetChange>();
    std::string folder = fmt::format("{}/revision-{}", work_dir_, revision);
    std::error_code ec;
    fs::remove_all(folder, ec);
    std::string_view bundle(static_cast<const char*>(kvEntry_Value(entry.get())),
                            static_cast<size_t>(kvEntry_ValueLen(entry.get())));
    auto written = writeBundle(bundle, folder);
    revision_ = revision;  // a bad revision is reported once, not at every poll
    if (!written) return Error{fmt::format("bucket {} key {} revision {}: {}", bucket_, key_, revision,
                                           written.error().message)};
    if (!previous_.empty()) fs::remove_all(previous_, ec);
    previous_ = folder;
    return std::optional<ProfileSetChange>(
        ProfileSetChange{*written, fmt::format("bucket {} key {} revision {}", bucket_, key_, revision)});
  }

 private:
  nats::KeyValue kv_;
  std::string bucket_, key_, work_dir_;
  uint64_t revision_ = 0;
  std::string previous_;
};

// A bundle path that stays inside the folder: relative, no "." or ".." parts, no empty
// parts, no NUL or backslash.
bool safeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.size() > 4096) return false;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

Expected<bool> writeText(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return Error{fmt::format("{}: cannot be written", path.string())};
  return true;
}

}  // namespace

std::unique_ptr<ProfileSource> folderSource(std::string profiles, std::optional<std::string> persons) {
  return std::make_unique<FolderSource>(std::move(profiles), std::move(persons));
}

Expected<std::unique_ptr<ProfileSource>> bucketSource(jsCtx* js, const std::string& bucket, const std::string& key,
                                                      const std::string& work_dir) {
  auto kv = nats::keyValue(js, bucket, false);
  if (!kv) return kv.error();
  return std::unique_ptr<ProfileSource>(std::make_unique<BucketSource>(kv.take(), bucket, key, work_dir));
}

std::string encodeBundle(const std::string& folder, const std::vector<std::string>& files,
                         const std::optional<std::string>& persons_text) {
  std::string out;
  json::Writer w(out);
  w.beginObject().key("format").value(kFormat).key("files").beginObject();
  fs::path root = fs::weakly_canonical(folder);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    w.key(fs::weakly_canonical(file).lexically_relative(root).generic_string()).value(text.str());
  }
  w.endObject();
  if (persons_text) w.key("persons").value(*persons_text);
  w.endObject();
  return out;
}

Expected<service::ProfileSetFiles> writeBundle(std::string_view bundle, const std::string& folder) {
  auto parsed = json::parse(bundle);
  if (!parsed || !parsed->isObject()) return Error{"not a profile-set bundle (not a JSON object)"};
  const json::Value* format = parsed->find("format");
  if (!format || !format->isString() || format->asString() != kFormat)
    return Error{fmt::format("not a profile-set bundle of format {} (written by another version?)", kFormat)};
  const json::Value* files = parsed->find("files");
  if (!files || !files->isObject() || files->asObject().empty()) return Error{"the bundle holds no files"};
  service::ProfileSetFiles out;
  out.profiles = folder + "/profiles";
  for (const auto& [path, text] : files->asObject()) {
    if (!safeRelativePath(path)) return Error{fmt::format("the bundle's file \"{}\" would leave its folder", path)};
    if (!text.isString()) return Error{fmt::format("the bundle's file \"{}\" is not text", path)};
    if (auto ok = writeText(fs::path(out.profiles) / path, text.asString()); !ok) return ok.error();
  }
  if (const json::Value* persons = parsed->find("persons"); persons && !persons->isNull()) {
    if (!persons->isString()) return Error{"the bundle's person register is not text"};
    out.persons = folder + "/persons.csv";
    if (auto ok = writeText(*out.persons, persons->asString()); !ok) return ok.error();
  }
  return out;
}

}  // namespace tauekel::worker
