#pragma once
// Where a worker's profile set comes from, and whether it changed: a folder on this
// machine (with an optional person register beside it), or one key of a JetStream
// key-value bucket holding the whole set (what `tauekel push-profiles` writes), so that a
// fleet of workers on many machines follows one set. Polled between batches.

#include <nats/nats.h>

#include <memory>
#include <optional>
#include <string>

#include "service/profile_set_loader.h"
#include "support/expected.h"

namespace tauekel::worker {

struct ProfileSetChange {
  service::ProfileSetFiles files;  // to load
  std::string origin;              // for logs: "folder X" or "bucket B revision 7"
};

class ProfileSource {
 public:
  virtual ~ProfileSource() = default;
  // The files to load when the set changed since the last call (the first call: it
  // always has), or nullopt; an error when the source cannot be read now.
  virtual Expected<std::optional<ProfileSetChange>> poll() = 0;
};

// A repository folder and person register on disk, changed when any file's size or
// modification time is.
std::unique_ptr<ProfileSource> folderSource(std::string profiles, std::optional<std::string> persons);

// A bucket's key holding a profile-set bundle; each new revision is written out to a
// fresh folder under `work_dir` (the previous one is removed) and loaded from there.
Expected<std::unique_ptr<ProfileSource>> bucketSource(jsCtx* js, const std::string& bucket, const std::string& key,
                                                      const std::string& work_dir);

// The bundle: {"format":"tauekel-profile-set/1","files":{"PATH":"TEXT",...},"persons":"TEXT"}
// with paths relative to the repository folder. Reading it refuses any path that would
// leave the folder it is written to.
std::string encodeBundle(const std::string& folder, const std::vector<std::string>& files,
                         const std::optional<std::string>& persons_text);
Expected<service::ProfileSetFiles> writeBundle(std::string_view bundle, const std::string& folder);

}  // namespace tauekel::worker
