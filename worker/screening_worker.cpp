#include "worker/screening_worker.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "engine/audit_event.h"
#include "engine/decision_json.h"
#include "support/json.h"

namespace tauekel::worker {

namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A header value holds no line breaks; a reason can, and may be long.
std::string headerText(std::string_view text, size_t limit = 2000) {
  std::string out;
  for (char c : text.substr(0, limit)) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace

struct ScreeningWorker::Pending {
  nats::Msg input;
  std::atomic<size_t> remaining;
  std::atomic<bool> failed{false};
  bool dead_letter = false;
  uint64_t declarations = 0;
  uint64_t selected = 0;
  Pending(nats::Msg message, size_t publishes) : input(std::move(message)), remaining(publishes) {}
};

std::string decisionMessageId(std::string_view key, const std::string& version) {
  std::string id;
  id.reserve(key.size() + version.size() + 1);
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7f || c == '%' || c == '@')
      id += fmt::format("%{:02X}", c);
    else
      id.push_back(static_cast<char>(c));
  }
  id.push_back('@');
  id += version;
  return id;
}

ScreeningWorker::ScreeningWorker(const WorkerOptions& options, std::function<void(const std::string&)> log)
    : options_(options), log_(std::move(log)) {}

ScreeningWorker::~ScreeningWorker() {
  // No acknowledgement callback may come once the rest is gone: close first.
  if (connection_) connection_->close();
  {
    std::lock_guard lock(pending_mutex_);
    awaiting_.clear();
  }
  subscription_.reset();
  connection_.reset();
}

Expected<std::unique_ptr<ScreeningWorker>> ScreeningWorker::start(const WorkerOptions& options, SourceFactory source,
                                                                  std::function<void(const std::string&)> log,
                                                                  const std::atomic<bool>& stopping,
                                                                  bool* profile_errors) {
  std::unique_ptr<ScreeningWorker> worker(new ScreeningWorker(options, std::move(log)));
  if (auto ok = worker->setUp(std::move(source), stopping); !ok) {
    if (profile_errors) *profile_errors = worker->profile_errors_;
    return ok.error();
  }
  return worker;
}

Expected<bool> ScreeningWorker::setUp(SourceFactory source, const std::atomic<bool>& stopping) {
  if (!options_.audit_log.empty()) {
    auto opened = governance::AuditLog::open(options_.audit_log);  // before screening: nothing unrecorded
    if (!opened) return opened.error();
    audit_.emplace(opened.take());
  }
  nats::ConnectOptions co;
  co.servers = options_.servers;
  co.name = options_.name;
  co.on_publish_ack = &ScreeningWorker::onPublishAck;
  co.on_publish_ack_closure = this;
  co.max_pending_publishes = static_cast<int64_t>(std::max<size_t>(4096, options_.max_inflight * 4));
  co.log = log_;
  auto connected = nats::Connection::connect(co, stopping);
  if (!connected) return connected.error();
  connection_ = connected.take();
  jsCtx* js = connection_->js();

  nats::StreamSpec input{options_.input_stream, options_.input_subject, 0};
  nats::StreamSpec results{options_.results_stream, options_.results_subject, options_.duplicate_window_ms};
  nats::StreamSpec dead{options_.dead_stream, options_.dead_subject, options_.duplicate_window_ms};
  for (auto* spec : {&input, &results, &dead})
    if (auto ok = nats::ensureStream(js, *spec); !ok) return ok.error();
  if (results.duplicate_window_ms < 2 * options_.ack_wait_ms)
    log_(fmt::format("warning: stream {} drops duplicates within {} ms only, less than twice the ack wait ({} ms): "
                     "a declaration redelivered later may get a second decision",
                     results.name, results.duplicate_window_ms, options_.ack_wait_ms));
  if (auto ok = nats::ensureConsumer(js, {options_.input_stream, options_.consumer, options_.ack_wait_ms}); !ok)
    return ok.error();
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = options_.input_stream.c_str();
  so.Consumer = options_.consumer.c_str();  // bound: stopping never deletes it
  natsSubscription* sub = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_PullSubscribe(&sub, js, options_.input_subject.c_str(), options_.consumer.c_str(), nullptr, &so,
                                  &code);
  if (s != NATS_OK)
    return nats::failure(fmt::format("consumer {} of stream {} could not be subscribed to", options_.consumer,
                                     options_.input_stream),
                         s, code);
  subscription_.reset(sub);

  auto compiler = runtime::jit::KernelCompiler::create(runtime::jit::OptLevel::O2, options_.kernel_cache);
  if (!compiler) return compiler.error();
  compiler_ = compiler.take();
  auto made = source(js);
  if (!made) return made.error();
  source_ = made.take();
  return reload(true);
}

Expected<bool> ScreeningWorker::reload(bool first) {
  last_reload_check_ms_ = nowMs();
  auto change = source_->poll();
  if (!change) {
    if (first) return change.error();
    log_(fmt::format("the profile set cannot be read; version {} stays: {}", version(), change.error().message));
    ++metrics_.reloads_refused;
    return false;
  }
  if (!*change) return false;
  engine::ScreenerOptions so = options_.screener;
  so.compiler = compiler_;
  auto loaded = service::loadProfileSet((*change)->files, so, nullptr, log_);
  if (!loaded) {
    profile_errors_ = true;
    if (first) return loaded.error();
    ++metrics_.reloads_refused;
    if (audit_)
      (void)audit_->append(engine::screenerEvent("worker-reload", screener_.get(),
                                                 "refused: the new profile set cannot screen; the old one screens on",
                                                 options_.operator_name));
    log_(fmt::format("the profile set from {} is refused; version {} stays:\n{}", (*change)->origin, version(),
                     loaded.error().message));
    return false;
  }
  auto format = engine::DecisionFormat::create(**loaded, options_.output);
  if (!format) return format.error();  // the options, not the set: the same for every set
  std::string old = version();
  writer_.reset();
  format_ = format.take();
  writer_ = std::make_unique<engine::DecisionWriter>(*format_);
  screener_ = loaded.take();
  builder_ = std::make_unique<runtime::ValueBatchBuilder>(screener_->program(), screener_->personIndex());
  context_ = screener_->newContext();
  metrics_.version(screener_->version());
  if (!first) ++metrics_.reloads_accepted;
  if (audit_)
    if (auto appended = audit_->append(engine::screenerEvent(first ? "worker-start" : "worker-reload", screener_.get(),
                                                             first ? "screening" : "reloaded (was version " + old + ")",
                                                             options_.operator_name));
        !appended)
      log_(appended.error().message);
  log_(first ? fmt::format("profile set version {} from {}, {} profiles in force", screener_->version(),
                           (*change)->origin, screener_->lowered().profiles.size())
             : fmt::format("reloaded: version {} (was {}) from {}, {} profiles in force", screener_->version(), old,
                           (*change)->origin, screener_->lowered().profiles.size()));
  return true;
}

std::string ScreeningWorker::version() const { return screener_ ? screener_->version() : std::string(); }

void ScreeningWorker::run(int64_t drain_ms) {
  bool fetch_failing = false;
  while (!stopping_.load()) {
    if (nowMs() - last_reload_check_ms_ >= options_.reload_check_ms) (void)reload(false);
    size_t room = 0;
    {
      std::unique_lock lock(pending_mutex_);
      settled_.wait_for(lock, std::chrono::milliseconds(100),
                        [&] { return metrics_.inflight.load() < options_.max_inflight || stopping_.load(); });
      size_t inflight = metrics_.inflight.load();
      room = inflight < options_.max_inflight ? options_.max_inflight - inflight : 0;
    }
    if (room == 0 || stopping_.load()) continue;
    natsMsgList list{};
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = natsSubscription_Fetch(&list, subscription_.get(), static_cast<int>(std::min(options_.batch, room)),
                                          500, &code);
    std::vector<nats::Msg> messages;
    for (int i = 0; i < list.Count; ++i) {
      messages.emplace_back(list.Msgs[i]);
      list.Msgs[i] = nullptr;
    }
    natsMsgList_Destroy(&list);
    if (messages.empty()) {
      if (s == NATS_TIMEOUT) {
        metrics_.lag.store(0);  // nothing waiting for us
      } else if (s != NATS_OK) {
        if (!fetch_failing) log_(nats::failure("messages cannot be fetched now; retrying", s, code).message);
        fetch_failing = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
      continue;
    }
    if (fetch_failing) log_("fetching again");
    fetch_failing = false;
    processBatch(messages);
  }
  // Drain: nothing more is fetched; what is in flight is stored and acknowledged.
  log_(fmt::format("draining {} messages in flight", metrics_.inflight.load()));
  std::unique_lock lock(pending_mutex_);
  bool drained = settled_.wait_for(lock, std::chrono::milliseconds(drain_ms),
                                   [&] { return metrics_.inflight.load() == 0; });
  if (!drained)
    log_(fmt::format("{} messages still in flight after {} ms; the broker delivers them again", metrics_.inflight.load(),
                     drain_ms));
}

void ScreeningWorker::processBatch(std::vector<nats::Msg>& messages) {
  metrics_.inflight.fetch_add(messages.size());
  builder_->clear();
  std::vector<std::pair<nats::Msg, size_t>> batch;
  for (auto& message : messages) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, message.get()) == NATS_OK) {
      if (meta->NumDelivered > 1) ++metrics_.redelivered;
      metrics_.lag.store(meta->NumPending);
      jsMsgMetaData_Destroy(meta);
    }
    std::string_view data(natsMsg_GetData(message.get()), static_cast<size_t>(natsMsg_GetDataLength(message.get())));
    auto added = engine::appendJsonDeclarations(*builder_, data, options_.limits);
    if (!added && !batch.empty()) {
      // Perhaps only a key already in this batch: screen what is there, try again alone.
      screenAndPublish(batch);
      batch.clear();
      builder_->clear();
      added = engine::appendJsonDeclarations(*builder_, data, options_.limits);
    }
    if (!added) {
      deadLetter(std::move(message), added.error().message);
      continue;
    }
    if (added->declarations == 0) {
      deadLetter(std::move(message), "the message holds no declaration");
      continue;
    }
    batch.emplace_back(std::move(message), added->declarations);
  }
  if (!batch.empty()) screenAndPublish(batch);
}

void ScreeningWorker::screenAndPublish(std::vector<std::pair<nats::Msg, size_t>>& batch) {
  screener_->screen(builder_->batch(), decisions_, *context_);
  ++metrics_.batches;
  const std::string& version = screener_->version();
  std::string prefix = "{\"version\":";
  json::appendString(prefix, version);
  prefix.push_back(',');
  size_t d = 0;
  std::string body;
  for (auto& [message, count] : batch) {
    auto pending = std::make_shared<Pending>(std::move(message), count);
    pending->declarations = count;
    for (size_t i = d; i < d + count; ++i) pending->selected += decisions_[i].selected;
    for (size_t i = 0; i < count; ++i, ++d) {
      const Decision& decision = decisions_[d];
      body = prefix;
      writer_->appendJson(body, builder_->batch(), static_cast<uint32_t>(d), decision);
      body.erase(prefix.size(), 1);  // the decision's own "{"
      auto out = nats::makeMessage(options_.results_subject, body);
      if (!out) {
        settle(pending, false, false);
        continue;
      }
      nats::setHeader(out->get(), "Tauekel-Version", version);
      publish(out.take(), pending, decisionMessageId(decision.declaration, version));
    }
  }
}

void ScreeningWorker::deadLetter(nats::Msg message, const std::string& reason) {
  uint64_t sequence = 0;
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, message.get()) == NATS_OK) {
    sequence = meta->Sequence.Stream;
    jsMsgMetaData_Destroy(meta);
  }
  uint64_t count = metrics_.dead_lettered.load() + 1;
  if (count <= 20 || count % 1000 == 0)
    log_(fmt::format("message {} of stream {} cannot be read, sent to {}: {}", sequence, options_.input_stream,
                     options_.dead_subject, reason));
  std::string_view data(natsMsg_GetData(message.get()), static_cast<size_t>(natsMsg_GetDataLength(message.get())));
  std::string subject = natsMsg_GetSubject(message.get());
  auto pending = std::make_shared<Pending>(std::move(message), 1);
  pending->dead_letter = true;
  auto out = nats::makeMessage(options_.dead_subject, data);
  if (!out) {
    settle(pending, false, false);
    return;
  }
  nats::setHeader(out->get(), "Tauekel-Error", headerText(reason));
  nats::setHeader(out->get(), "Tauekel-Subject", headerText(subject));
  nats::setHeader(out->get(), "Tauekel-Stream", options_.input_stream);
  nats::setHeader(out->get(), "Tauekel-Sequence", std::to_string(sequence));
  publish(out.take(), pending, fmt::format("dead:{}:{}", options_.input_stream, sequence));
}

void ScreeningWorker::publish(nats::Msg out, const std::shared_ptr<Pending>& pending, const std::string& message_id) {
  natsMsg* raw = out.release();
  {
    std::lock_guard lock(pending_mutex_);
    awaiting_[raw] = pending;  // before publishing: the acknowledgement may come at once
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = message_id.c_str();
  po.MaxWait = 5000;
  natsStatus s = js_PublishMsgAsync(connection_->js(), &raw, &po);
  if (s == NATS_OK) return;  // the library owns the message now
  {
    std::lock_guard lock(pending_mutex_);
    awaiting_.erase(raw);
  }
  natsMsg_Destroy(raw);
  settle(pending, false, false);
}

void ScreeningWorker::onPublishAck(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr*, void* closure) {
  auto* self = static_cast<ScreeningWorker*>(closure);
  std::shared_ptr<Pending> pending;
  {
    std::lock_guard lock(self->pending_mutex_);
    auto it = self->awaiting_.find(msg);
    if (it != self->awaiting_.end()) {
      pending = std::move(it->second);
      self->awaiting_.erase(it);
    }
  }
  natsMsg_Destroy(msg);
  if (pending) self->settle(pending, ack != nullptr, ack != nullptr && ack->Duplicate);
}

void ScreeningWorker::settle(const std::shared_ptr<Pending>& pending, bool stored, bool duplicate) {
  if (duplicate) ++metrics_.duplicates;
  if (!stored) pending->failed.store(true);
  if (pending->remaining.fetch_sub(1) != 1) return;
  // The message's last publish: every decision stored, or it goes back for another try.
  if (pending->failed.load()) {
    // After a pause: a broker that refuses every write (a full stream) is not asked
    // again thousands of times a second.
    natsMsg_NakWithDelay(pending->input.get(), 1000, nullptr);
    ++metrics_.publish_failures;
  } else {
    natsMsg_Ack(pending->input.get(), nullptr);
    if (pending->dead_letter) {
      ++metrics_.dead_lettered;
    } else {
      ++metrics_.messages;
      metrics_.declarations += pending->declarations;
      metrics_.selected += pending->selected;
    }
  }
  pending->input.reset();
  {
    std::lock_guard lock(pending_mutex_);
    metrics_.inflight.fetch_sub(1);
  }
  settled_.notify_all();
}

}  // namespace tauekel::worker
