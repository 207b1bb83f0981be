#include "governance/approvals.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "support/input_file.h"
#include "support/json.h"

namespace tauekel::governance {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxApprovalsBytes = 64 << 20;

std::string recordLine(const ApprovalRecord& r) {
  std::string out;
  json::Writer w(out);
  w.beginObject().key("action").value(r.action).key("profile").value(r.profile).key("meaning").value(r.meaning);
  w.key("parts").beginObject();
  for (const auto& p : r.parts) w.key(p.name).value(p.hash);
  w.endObject();
  w.key("approver").value(r.approver).key("key").value(r.key).key("time").value(r.time);
  w.key("signature").value(r.signature).endObject();
  return out;
}

std::optional<ApprovalRecord> parseRecord(const std::string& line, std::string& why) {
  auto v = json::parse(line);
  if (!v || !v->isObject()) {
    why = "not a JSON object";
    return std::nullopt;
  }
  ApprovalRecord r;
  for (auto [member, into] : {std::pair{"action", &r.action}, {"profile", &r.profile}, {"meaning", &r.meaning},
                              {"approver", &r.approver}, {"key", &r.key}, {"time", &r.time},
                              {"signature", &r.signature}}) {
    const json::Value* m = v->find(member);
    if (!m || !m->isString()) {
      why = fmt::format("\"{}\" is missing or not text", member);
      return std::nullopt;
    }
    *into = m->asString();
  }
  if (r.action != "approve" && r.action != "revoke") {
    why = "\"action\" is neither approve nor revoke";
    return std::nullopt;
  }
  const json::Value* parts = v->find("parts");
  if (!parts || !parts->isObject()) {
    why = "\"parts\" is missing";
    return std::nullopt;
  }
  for (const auto& [name, hash] : parts->asObject()) {
    if (!hash.isString()) {
      why = fmt::format("part \"{}\" is not text", name);
      return std::nullopt;
    }
    r.parts.push_back(MeaningPart{name, hash.asString()});
  }
  return r;
}

}  // namespace

const char* name(ApprovalStatus::State state) {
  switch (state) {
    case ApprovalStatus::State::Approved: return "approved";
    case ApprovalStatus::State::NotApproved: return "not approved";
    case ApprovalStatus::State::Voided: return "voided";
    case ApprovalStatus::State::Revoked: return "revoked";
    case ApprovalStatus::State::Untrusted: return "untrusted";
    case ApprovalStatus::State::Broken: return "broken";
  }
  return "?";
}

std::string approvalsFolder(const Compilation& compilation, const std::string& profiles_path) {
  for (const auto& f : compilation.risk_files_read) {
    fs::path p(f);
    if (p.filename() == kProjectMarker) return (p.parent_path() / "approvals").string();
  }
  // No marker: the folder named, or the first profile file's.
  fs::path root(profiles_path);
  if (profiles_path.empty() && !compilation.risk_files_read.empty()) root = compilation.risk_files_read.front();
  std::error_code ec;
  if (!fs::is_directory(root, ec)) root = root.parent_path();
  return (root / "approvals").string();
}

std::string approvalsFile(const std::string& folder, const std::string& profile) {
  std::string name;
  for (size_t i = 0; i < profile.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(profile[i]);
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                 (c == '.' && i > 0);
    if (plain) name.push_back(static_cast<char>(c));
    else name += fmt::format("%{:02X}", c);
  }
  if (name.empty()) name = "%";  // an empty id still has a file of its own
  return (fs::path(folder) / (name + ".approvals")).string();
}

std::string signedText(const ApprovalRecord& r) {
  // Lengths first: no field can be made to run into the next.
  std::string out = "tauekel approval 1\n";
  for (const std::string* f : {&r.action, &r.profile, &r.meaning, &r.approver, &r.key, &r.time})
    out += std::to_string(f->size()) + ":" + *f + "\n";
  return out;
}

ApprovalFile readApprovals(const std::string& path) {
  ApprovalFile file;
  std::error_code ec;
  if (!fs::exists(path, ec)) return file;
  auto text = io::readWhole(path, kMaxApprovalsBytes);
  if (!text) {
    file.exists = true;
    file.problems.push_back(text.error().message);
    return file;
  }
  return parseApprovals(*text, path);
}

ApprovalFile parseApprovals(const std::string& text, const std::string& path) {
  ApprovalFile file;
  file.exists = true;
  std::istringstream in(text);
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::string why;
    auto record = parseRecord(line, why);
    if (!record) {
      file.problems.push_back(fmt::format("{}:{}: {}", path, number, why));
      continue;
    }
    record->line = number;
    file.records.push_back(std::move(*record));
  }
  return file;
}

Expected<ApprovalRecord> appendApproval(const std::string& path, ApprovalRecord record, const SecretKey& key) {
  record.approver = key.name;
  record.key = key.public_key;
  record.signature = sign(key, signedText(record));
  std::string old;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    auto text = io::readWhole(path, kMaxApprovalsBytes);
    if (!text) return text.error();
    old = *text;
    if (!old.empty() && old.back() != '\n') old.push_back('\n');
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Error{fmt::format("cannot make {}: {}", fs::path(path).parent_path().string(), ec.message())};
  std::string temp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << old << recordLine(record) << '\n';
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      return Error{fmt::format("cannot write {}: {}", temp, std::strerror(errno))};
    }
  }
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Error{fmt::format("cannot replace {}: {}", path, ec.message())};
  }
  return record;
}

std::vector<ApprovalStatus> approvalStatus(const sema::Program& program, const std::string& folder,
                                           const TrustedKeys* trusted, std::vector<std::string>* files_read,
                                           const std::map<std::string, std::string>* packaged) {
  std::vector<ApprovalStatus> out;
  for (const auto& profile : program.profiles) {
    ApprovalStatus& status = out.emplace_back();
    status.profile = profile.id;
    std::string path = approvalsFile(folder, profile.id);
    ApprovalFile file;
    if (packaged) {
      path = fmt::format("{} (in the package)", fs::path(path).filename().string());
      if (auto it = packaged->find(profile.id); it != packaged->end()) file = parseApprovals(it->second, path);
    } else {
      file = readApprovals(path);
      if (file.exists && files_read) files_read->push_back(path);
    }
    if (!file.problems.empty()) {
      status.state = ApprovalStatus::State::Broken;
      status.reason = file.problems.front();
      continue;
    }
    ProfileMeaning now = profileMeaning(program, profile);
    // The lines that count: signed as they say, by the profile they are filed under,
    // with the parts they signed; later lines decide over earlier ones.
    const ApprovalRecord* current = nullptr;  // the last action on this meaning
    const ApprovalRecord* earlier = nullptr;  // the last approval of another meaning
    std::string untrusted;
    for (const auto& r : file.records) {
      std::string where = fmt::format("{}:{}", path, r.line);
      if (r.profile != profile.id || !verifySignature(r.key, signedText(r), r.signature) ||
          meaningHash(r.parts) != r.meaning) {
        status.state = ApprovalStatus::State::Broken;
        status.reason = fmt::format("{}: the signature does not verify (the line was edited or belongs to another "
                                    "profile)",
                                    where);
        current = earlier = nullptr;
        break;
      }
      if (trusted && !trusted->count(r.key)) {
        untrusted = fmt::format("signed by {} with a key not among the trusted keys ({})", r.approver, where);
        continue;
      }
      if (r.meaning == now.hash) current = &r;
      else if (r.action == "approve") earlier = &r;
    }
    if (status.state == ApprovalStatus::State::Broken) continue;
    if (current && current->action == "approve") {
      status.state = ApprovalStatus::State::Approved;
      status.approver = trusted ? trusted->at(current->key) : current->approver;
      status.time = current->time;
    } else if (current) {
      status.state = ApprovalStatus::State::Revoked;
      status.approver = trusted ? trusted->at(current->key) : current->approver;
      status.time = current->time;
      status.reason = fmt::format("approval revoked by {} at {}", status.approver, status.time);
    } else if (earlier) {
      status.state = ApprovalStatus::State::Voided;
      status.approver = earlier->approver;
      status.time = earlier->time;
      status.changes = meaningChanges(earlier->parts, now.parts);
      std::string what;
      for (const auto& c : status.changes) what += (what.empty() ? "" : ", ") + c;
      status.reason = fmt::format("the approval by {} at {} is void: {}", earlier->approver, earlier->time, what);
    } else if (!untrusted.empty()) {
      status.state = ApprovalStatus::State::Untrusted;
      status.reason = untrusted;
    } else {
      status.state = ApprovalStatus::State::NotApproved;
      status.reason = file.exists ? "no approval of its present meaning" : "no approvals file";
    }
  }
  return out;
}


std::vector<ApprovalStatus> approvalStatus(const Compilation& compilation, const std::string& folder,
                                           const TrustedKeys* trusted, std::vector<std::string>* files_read) {
  const auto* packaged = compilation.package_path.empty() ? nullptr : &compilation.package_approvals;
  return approvalStatus(*compilation.program, folder, trusted, files_read, packaged);
}

}  // namespace tauekel::governance
