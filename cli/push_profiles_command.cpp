// `tauekel push-profiles`: a checked profile set (and a person register) put into a
// JetStream key-value bucket as one bundle, for workers started with --profiles-bucket.
// A set with errors is not pushed.

#include <fmt/format.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/broker_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "compiler/diag/render.h"
#include "compiler/frontend.h"
#include "worker/nats_client.h"
#include "worker/profile_source.h"

namespace tauekel::cli {

namespace {

struct PushArgs {
  std::string profiles;
  std::string persons;
  std::string servers = "nats://127.0.0.1:4222";
  std::string bucket = "tauekel-profiles";
  std::string key = "profile-set";
};

int fail(int code, const std::string& message) { return commandError("push-profiles", code, message); }

}  // namespace

Runner addPushProfilesCommand(CLI::App& app) {
  auto args = std::make_shared<PushArgs>();
  auto* cmd = app.add_subcommand("push-profiles", "Put a checked profile set into a JetStream key-value bucket");
  cmd->add_option("--profiles", args->profiles, "Profile repository (directory)")->required();
  auto* persons = cmd->add_option("--persons", args->persons, "Person register (.csv) to push with it");
  addNatsOption(*cmd, args->servers);
  cmd->add_option("--bucket", args->bucket, "Key-value bucket (made if missing)")->capture_default_str();
  cmd->add_option("--key", args->key, "The bucket's key")->capture_default_str();
  cmd->footer("Exit codes: 0 pushed; 1 errors in the profiles (nothing pushed); 2 usage error, or the broker "
              "refused the bundle.");

  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    CompileOptions co;
    co.inputs = {args->profiles};
    auto compiled = compile(co);
    if (!compiled) return fail(kExitUsage, compiled.error().message);
    const Compilation& compilation = **compiled;
    if (!compilation.ok()) {
      fmt::print(stderr, "{}", diag::renderText(compilation.diagnostics, compilation.sources, {}));
      return fail(kExitProfileErrors, "the profile set has errors; nothing pushed");
    }
    // Only what the compiler read: the repository's markers, its .risk files and data.
    std::vector<std::string> files = compilation.files_read();
    std::filesystem::path root = std::filesystem::weakly_canonical(args->profiles);
    for (const auto& f : files) {
      auto relative = std::filesystem::weakly_canonical(f).lexically_relative(root).generic_string();
      if (relative.empty() || relative.rfind("..", 0) == 0)
        return fail(kExitUsage, fmt::format("{} is outside {}: a bundle holds the repository's own files only", f,
                                            args->profiles));
    }
    std::optional<std::string> persons_text;
    if (persons->count() > 0) {
      std::ifstream in(args->persons, std::ios::binary);
      if (!in) return fail(kExitUsage, fmt::format("{}: cannot be read", args->persons));
      std::stringstream text;
      text << in.rdbuf();
      persons_text = text.str();
    }
    std::string bundle = worker::encodeBundle(args->profiles, files, persons_text);

    auto connection = connectOnce(args->servers, "tauekel-push-profiles");
    if (!connection) return fail(kExitUsage, connection.error().message);
    auto kv = worker::nats::keyValue((*connection)->js(), args->bucket, true);
    if (!kv) return fail(kExitUsage, kv.error().message);
    uint64_t revision = 0;
    natsStatus s = kvStore_Put(&revision, kv->get(), args->key.c_str(), bundle.data(), static_cast<int>(bundle.size()));
    if (s != NATS_OK) {
      auto error = worker::nats::failure(fmt::format("bucket {} key {}", args->bucket, args->key), s);
      if (s == NATS_MAX_PAYLOAD)
        error.message += fmt::format(" (the bundle is {} bytes; raise the broker's max_payload)", bundle.size());
      return fail(kExitUsage, error.message);
    }
    fmt::print("pushed {} files ({} bytes{}) as revision {} of bucket {} key {}\n", files.size(), bundle.size(),
               persons_text ? ", with the person register" : "", revision, args->bucket, args->key);
    return kExitOk;
  };
}

}  // namespace tauekel::cli
