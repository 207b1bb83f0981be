#include "service/metrics.h"

#include <fmt/format.h>

namespace tauekel::service {

namespace {
// A label value with the three characters the format escapes.
std::string label(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::request(const std::string& path, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{path, status}];
}

void Metrics::screening(double seconds) {
  std::lock_guard lock(mutex_);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  ++latency_[b];
  latency_sum_ += seconds;
  ++latency_count_;
}

void Metrics::decisions(const std::vector<Decision>& decisions) {
  // Counted apart first, so the lock is held for one short merge.
  std::map<std::string, uint64_t> profiles;
  uint64_t selected = 0;
  for (const auto& d : decisions) {
    selected += d.selected;
    for (const auto& p : d.profiles) ++profiles[p.id];
  }
  std::lock_guard lock(mutex_);
  screened_ += decisions.size();
  selected_ += selected;
  for (const auto& [id, n] : profiles) by_profile_[id] += n;
}

void Metrics::reload(bool accepted) {
  std::lock_guard lock(mutex_);
  ++reloads_[accepted ? 1 : 0];
}

void Metrics::version(const std::string& version) {
  std::lock_guard lock(mutex_);
  version_ = version;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP tauekel_http_requests_total HTTP requests answered, by path and status code.\n"
         "# TYPE tauekel_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("tauekel_http_requests_total{{path=\"{}\",status=\"{}\"}} {}\n", label(key.first), key.second,
                       n);
  out += "# HELP tauekel_screen_duration_seconds Time to answer a screening request, from its body read to its "
         "answer made.\n# TYPE tauekel_screen_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    cumulative += latency_[b];
    out += fmt::format("tauekel_screen_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[b], cumulative);
  }
  cumulative += latency_[kBuckets.size()];
  out += fmt::format("tauekel_screen_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("tauekel_screen_duration_seconds_sum {}\ntauekel_screen_duration_seconds_count {}\n",
                     latency_sum_, latency_count_);
  out += fmt::format("# HELP tauekel_declarations_screened_total Declarations screened.\n"
                     "# TYPE tauekel_declarations_screened_total counter\n"
                     "tauekel_declarations_screened_total {}\n"
                     "# HELP tauekel_declarations_selected_total Declarations selected by at least one profile.\n"
                     "# TYPE tauekel_declarations_selected_total counter\n"
                     "tauekel_declarations_selected_total {}\n",
                     screened_, selected_);
  out += "# HELP tauekel_profile_selections_total Declarations each profile selected.\n"
         "# TYPE tauekel_profile_selections_total counter\n";
  for (const auto& [id, n] : by_profile_)
    out += fmt::format("tauekel_profile_selections_total{{profile=\"{}\"}} {}\n", label(id), n);
  out += fmt::format("# HELP tauekel_reloads_total Profile set reloads, by outcome.\n"
                     "# TYPE tauekel_reloads_total counter\n"
                     "tauekel_reloads_total{{result=\"accepted\"}} {}\n"
                     "tauekel_reloads_total{{result=\"refused\"}} {}\n",
                     reloads_[1], reloads_[0]);
  out += fmt::format("# HELP tauekel_profile_set_info The profile set in force.\n"
                     "# TYPE tauekel_profile_set_info gauge\n"
                     "tauekel_profile_set_info{{version=\"{}\"}} 1\n",
                     label(version_));
  return out;
}

}  // namespace tauekel::service
