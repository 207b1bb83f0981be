#pragma once
// The server's work without HTTP: a profile set in force, screening request bodies into
// answers, reloading the set while it serves. A request is answered wholly by the set in
// force when it began; a reload compiles the new set beside the old one and swaps them
// at once, or refuses a set with errors and keeps the old one.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/json_input.h"
#include "engine/decision_writer.h"
#include "governance/audit_log.h"
#include "engine/screener.h"
#include "runtime/load/value_batch_builder.h"
#include "service/metrics.h"

namespace tauekel::service {

struct ServiceOptions {
  std::string profiles;                  // repository folder
  std::optional<std::string> persons;    // person register (CSV), read again on reload
  engine::ScreenerOptions screener;      // stage, as-of date, drafts (the compiler is the service's)
  engine::JsonInputLimits limits;        // per request
  std::string kernel_cache;              // compiled kernels kept between processes; "": none
  // The most a request may see (engine/audience.h), and what it sees when it does not
  // say: a listener for declarants never answers as for an analyst.
  engine::Audience audience = engine::Audience::Analyst;
  std::string audit_log;      // a record of the start and of every reload; "": none
  std::string operator_name;  // for the audit log
};

// What a request asks to see: `?audience=` and `?explain=` on POST /v1/screen.
struct RequestView {
  std::optional<engine::Audience> audience;  // none: the listener's
  bool explain = false;                      // analysts only
};

// An HTTP status and a JSON body.
struct Answer {
  int status = 200;
  std::string body;
};

class ScreeningService {
 public:
  // Loads the profile set; an error (with the diagnostics as text) when it cannot serve.
  static Expected<std::unique_ptr<ScreeningService>> start(const ServiceOptions& options,
                                                           std::function<void(const std::string&)> log);

  // POST /v1/screen: one declaration object, an array of them, or JSON Lines.
  // 403 when the view asks for more than the listener's audience may see.
  Answer screen(std::string_view body, const RequestView& view = {});
  // POST /v1/reload and SIGHUP.
  Answer reload();

  std::shared_ptr<const engine::Screener> current() const;
  Metrics& metrics() { return metrics_; }

 private:
  ScreeningService(const ServiceOptions& options, std::function<void(const std::string&)> log);
  // A new set from disk, or why not: `diagnostics` gets the JSON diagnostics when the
  // profiles have errors.
  Expected<std::shared_ptr<const engine::Screener>> load(std::string& diagnostics);
  static runtime::ValueBatchBuilder& builderFor(const std::shared_ptr<const engine::Screener>& screener);
  // How decisions of this set are written for an audience: made once per set and view.
  Expected<std::shared_ptr<const engine::DecisionFormat>> formatFor(const std::shared_ptr<const engine::Screener>& screener,
                                                                    const engine::OutputOptions& output);

  ServiceOptions options_;
  std::function<void(const std::string&)> log_;
  std::shared_ptr<runtime::jit::KernelCompiler> compiler_;  // shared by every set: shapes compile once
  mutable std::mutex current_mutex_;
  std::shared_ptr<const engine::Screener> current_;
  std::mutex reload_mutex_;  // one reload at a time
  std::mutex formats_mutex_;
  // Per set: one format per audience and explanations on or off (the set's weak
  // pointer tells a stale entry, dropped when the next is made).
  struct Formats {
    std::weak_ptr<const engine::Screener> screener;
    std::shared_ptr<const engine::DecisionFormat> made[3][2];
  };
  Formats formats_;
  std::optional<governance::AuditLog> audit_;
  void audit(const std::string& event, const engine::Screener* screener, const std::string& outcome);
  Metrics metrics_;
};

}  // namespace tauekel::service
