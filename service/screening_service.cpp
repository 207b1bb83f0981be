#include "service/screening_service.h"

#include <fmt/format.h>

#include <chrono>

#include "engine/audit_event.h"
#include "engine/decision_json.h"
#include "service/profile_set_loader.h"
#include "runtime/load/value_batch_builder.h"
#include "support/json.h"

namespace tauekel::service {

namespace {

std::string errorBody(std::string_view message, const std::string& version) {
  std::string out;
  json::Writer w(out);
  w.beginObject().key("error").value(message);
  if (!version.empty()) w.key("version").value(version);
  w.endObject();
  return out;
}

}  // namespace

ScreeningService::ScreeningService(const ServiceOptions& options, std::function<void(const std::string&)> log)
    : options_(options), log_(std::move(log)) {}

Expected<std::unique_ptr<ScreeningService>> ScreeningService::start(const ServiceOptions& options,
                                                                      std::function<void(const std::string&)> log) {
  std::unique_ptr<ScreeningService> service(new ScreeningService(options, std::move(log)));
  if (!options.audit_log.empty()) {
    auto opened = governance::AuditLog::open(options.audit_log);  // before serving: nothing unrecorded
    if (!opened) return opened.error();
    service->audit_.emplace(opened.take());
  }
  auto compiler = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O2, options.kernel_cache);
  if (!compiler) return compiler.error();
  service->compiler_ = compiler.take();
  std::string diagnostics;
  auto loaded = service->load(diagnostics);
  if (!loaded) return loaded.error();
  service->current_ = loaded.take();
  service->metrics_.version(service->current_->version());
  service->audit("serve-start", service->current_.get(), "serving");
  return service;
}

Expected<std::shared_ptr<const engine::Screener>> ScreeningService::load(std::string& diagnostics) {
  engine::ScreenerOptions so = options_.screener;
  so.compiler = compiler_;
  return loadProfileSet({options_.profiles, options_.persons}, so, &diagnostics, log_);
}

std::shared_ptr<const engine::Screener> ScreeningService::current() const {
  std::lock_guard lock(current_mutex_);
  return current_;
}

// A builder per thread, kept while the set in force stays: it is made for one program
// (its fields, its columns), and making one per request cost as much as screening a
// small declaration.
runtime::ValueBatchBuilder& ScreeningService::builderFor(const std::shared_ptr<const engine::Screener>& screener) {
  struct Cached {
    std::weak_ptr<const engine::Screener> screener;
    std::unique_ptr<runtime::ValueBatchBuilder> builder;
  };
  thread_local Cached cached;
  if (cached.screener.lock() != screener || !cached.builder) {
    cached.builder = std::make_unique<runtime::ValueBatchBuilder>(screener->program(), screener->personIndex());
    cached.screener = screener;
  }
  cached.builder->clear();
  return *cached.builder;
}

Expected<std::shared_ptr<const engine::DecisionFormat>> ScreeningService::formatFor(
    const std::shared_ptr<const engine::Screener>& screener, const engine::OutputOptions& output) {
  std::lock_guard lock(formats_mutex_);
  if (formats_.screener.lock() != screener) formats_ = Formats{screener, {}};
  auto& slot = formats_.made[static_cast<size_t>(output.audience)][output.explain ? 1 : 0];
  if (!slot) {
    auto made = engine::DecisionFormat::create(*screener, output);
    if (!made) return made.error();
    slot = made.take();
  }
  return slot;
}

Answer ScreeningService::screen(std::string_view body, const RequestView& view) {
  auto start = std::chrono::steady_clock::now();
  // This request's set, whatever a reload does meanwhile.
  std::shared_ptr<const engine::Screener> screener = current();
  engine::OutputOptions output{view.audience.value_or(options_.audience), view.explain};
  // Analyst < officer < declarant in what they may not see: a request narrows, never widens.
  if (output.audience < options_.audience)
    return Answer{403, errorBody(fmt::format("this server answers for the {} audience; a request may not ask to see "
                                             "as much as an {} does",
                                             engine::name(options_.audience), engine::name(output.audience)),
                                 screener->version())};
  auto format = formatFor(screener, output);
  if (!format) return Answer{403, errorBody(format.error().message, screener->version())};
  runtime::ValueBatchBuilder& builder = builderFor(screener);
  auto added = engine::appendJsonDeclarations(builder, body, options_.limits);
  if (!added)  // a limit is 413, anything else about the body 400
    return Answer{added.error().bad_record ? 400 : 413, errorBody(added.error().message, screener->version())};
  std::vector<Decision> decisions;
  screener->screen(builder.batch(), decisions);
  Answer answer;
  answer.body.reserve(64 + decisions.size() * 256);
  answer.body += "{\"version\":";
  json::appendString(answer.body, screener->version());
  answer.body += ",\"decisions\":[";
  engine::DecisionWriter writer(**format);
  for (size_t d = 0; d < decisions.size(); ++d) {
    if (d > 0) answer.body.push_back(',');
    writer.appendJson(answer.body, builder.batch(), static_cast<uint32_t>(d), decisions[d]);
  }
  answer.body += "]}";
  metrics_.decisions(decisions);
  metrics_.screening(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return answer;
}

void ScreeningService::audit(const std::string& event, const engine::Screener* screener, const std::string& outcome) {
  if (!audit_) return;
  if (auto appended = audit_->append(engine::screenerEvent(event, screener, outcome, options_.operator_name));
      !appended && log_)
    log_(appended.error().message);
}

Answer ScreeningService::reload() {
  std::lock_guard one_at_a_time(reload_mutex_);
  std::string old_version = current()->version();
  std::string diagnostics;
  auto loaded = load(diagnostics);  // the old set serves meanwhile
  std::string out;
  json::Writer w(out);
  if (!loaded) {
    metrics_.reload(false);
    if (log_) log_(fmt::format("reload refused; version {} keeps serving:\n{}", old_version, loaded.error().message));
    audit("serve-reload", current().get(), "refused: the new profile set cannot serve; the old one serves on");
    w.beginObject().key("reloaded").value(false).key("version").value(old_version);
    w.key("error").value(fmt::format("the new profile set cannot serve; version {} keeps serving", old_version));
    if (!diagnostics.empty())
      w.key("diagnostics").raw(diagnostics);
    else
      w.key("reason").value(loaded.error().message);
    w.endObject();
    return Answer{422, out};
  }
  std::shared_ptr<const engine::Screener> next = loaded.take();
  std::string version = next->version();
  size_t profiles = next->lowered().profiles.size();
  {
    std::lock_guard lock(current_mutex_);
    current_ = std::move(next);
  }
  metrics_.reload(true);
  metrics_.version(version);
  if (log_) log_(fmt::format("reloaded: version {} (was {}), {} profiles in force", version, old_version, profiles));
  audit("serve-reload", current().get(), fmt::format("reloaded (was version {})", old_version));
  w.beginObject().key("reloaded").value(true).key("changed").value(version != old_version);
  w.key("version").value(version).key("previous").value(old_version);
  w.key("profiles_in_force").value(static_cast<uint64_t>(profiles)).endObject();
  return Answer{200, out};
}

}  // namespace tauekel::service
