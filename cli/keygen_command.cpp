// tauekel keygen: a new Ed25519 key pair for an approver. The key file is written once
// (never over another) and readable by its owner only; its public key goes to standard
// output as the line the trusted-keys file takes.

#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "compiler/frontend.h"
#include "governance/keys.h"
#include "support/utf8.h"

namespace tauekel::cli {

namespace {
struct KeygenArgs {
  std::string out;
  std::string name;
};

// The profile repository `path` would be inside, if any: a secret key there would be
// committed with the profiles.
std::string repositoryAround(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(path, ec).parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / kProjectMarker, ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return {};
}
}  // namespace

Runner addKeygenCommand(CLI::App& app) {
  auto args = std::make_shared<KeygenArgs>();
  auto* cmd = app.add_subcommand("keygen", "Make an approver's key pair (Ed25519)");
  cmd->add_option("--out", args->out, "The key file to write (never replaced; readable by you only)")->required();
  cmd->add_option("--name", args->name, "The approver's name, as approvals will show it")->required();
  cmd->footer("Standard output gets the public key and name: append it to the trusted-keys file. Exit codes: 0 "
              "written; 2 usage (the file exists, or it is inside a profile repository).");
  return [=]() -> int {
    if (!cmd->parsed()) return -1;
    if (std::string repo = repositoryAround(args->out); !repo.empty()) {
      fmt::print(stderr,
                 "tauekel keygen: {} is inside the profile repository {}: a secret key there would be committed with "
                 "the profiles; keep it outside\n",
                 utf8::sanitize(args->out, true), utf8::sanitize(repo, true));
      return kExitUsage;
    }
    auto key = governance::createKey(args->out, args->name);
    if (!key) {
      fmt::print(stderr, "tauekel keygen: {}\n", utf8::sanitize(key.error().message, true));
      return kExitUsage;
    }
    fmt::print("{} {}\n", key->public_key, key->name);
    fmt::print(stderr, "tauekel keygen: the key pair of {} is in {} (keep it secret); its public key is above\n",
               utf8::sanitize(key->name, true), utf8::sanitize(args->out, true));
    return std::fflush(stdout) == 0 ? kExitOk : kExitOutput;
  };
}

}  // namespace tauekel::cli
