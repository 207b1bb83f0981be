#include "worker/nats_client.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>
#include <vector>

namespace tauekel::worker::nats {

Error failure(std::string_view what, natsStatus status, jsErrCode code) {
  const char* last = nats_GetLastError(nullptr);
  std::string detail = natsStatus_GetText(status);
  // The library's last error often says more (the server's text, the address refused).
  if (last != nullptr && *last != '\0' && detail.find(last) == std::string::npos) detail += fmt::format(" ({})", last);
  if (code != 0) detail += fmt::format(" (JetStream error {})", static_cast<int>(code));
  return Error{fmt::format("{}: {}", what, detail)};
}

Expected<Msg> makeMessage(const std::string& subject, std::string_view body) {
  natsMsg* raw = nullptr;
  natsStatus s = natsMsg_Create(&raw, subject.c_str(), nullptr, body.data(), static_cast<int>(body.size()));
  if (s != NATS_OK) return failure("a message could not be made", s);
  return Msg(raw);
}

void setHeader(natsMsg* message, const char* name, const std::string& value) {
  natsMsgHeader_Set(message, name, value.c_str());
}

std::string header(natsMsg* message, const char* name) {
  const char* value = nullptr;
  if (natsMsgHeader_Get(message, name, &value) != NATS_OK || value == nullptr) return "";
  return value;
}

Expected<std::unique_ptr<Connection>> Connection::connect(const ConnectOptions& options,
                                                          const std::atomic<bool>& stopping, int64_t retry_ms) {
  std::unique_ptr<Connection> c(new Connection());
  c->log_ = options.log;
  if (natsOptions_Create(&c->options_) != NATS_OK) return Error{"NATS options could not be made"};
  natsStatus s = natsOptions_SetURL(c->options_, options.servers.c_str());
  if (s != NATS_OK) return failure(fmt::format("--nats \"{}\"", options.servers), s);
  if (!options.name.empty()) natsOptions_SetName(c->options_, options.name.c_str());
  // Once connected, never give up: a broker restarting or a network cut is waited out.
  natsOptions_SetMaxReconnect(c->options_, -1);
  natsOptions_SetReconnectWait(c->options_, 250);
  natsOptions_SetReconnectBufSize(c->options_, 32 << 20);
  natsOptions_SetDisconnectedCB(c->options_, &Connection::onDisconnected, c.get());
  natsOptions_SetReconnectedCB(c->options_, &Connection::onReconnected, c.get());
  natsOptions_SetClosedCB(c->options_, &Connection::onClosed, c.get());
  bool said = false;
  while (true) {
    s = natsConnection_Connect(&c->connection_, c->options_);
    if (s == NATS_OK) break;
    if (!said && c->log_) {
      c->log_(failure(fmt::format("cannot connect to {} yet; retrying", options.servers), s).message);
      said = true;
    }
    if (stopping.load()) return failure(fmt::format("cannot connect to {}", options.servers), s);
    std::this_thread::sleep_for(std::chrono::milliseconds(retry_ms));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = options.publish_wait_ms;
  js_options.PublishAsync.MaxPending = options.max_pending_publishes;
  js_options.PublishAsync.AckHandler = options.on_publish_ack;
  js_options.PublishAsync.AckHandlerClosure = options.on_publish_ack_closure;
  s = natsConnection_JetStream(&c->js_, c->connection_, &js_options);
  if (s != NATS_OK) return failure("JetStream could not be reached", s);
  return c;
}

void Connection::close() {
  closing_.store(true);
  if (connection_ != nullptr) natsConnection_Close(connection_);
}

Connection::~Connection() {
  if (js_ != nullptr) jsCtx_Destroy(js_);
  if (connection_ != nullptr) {
    close();
    std::unique_lock lock(closed_mutex_);
    closed_changed_.wait_for(lock, std::chrono::seconds(10), [&] { return closed_; });
    lock.unlock();
    natsConnection_Destroy(connection_);
  }
  if (options_ != nullptr) natsOptions_Destroy(options_);
}

void Connection::onDisconnected(natsConnection*, void* closure) {
  auto* c = static_cast<Connection*>(closure);
  if (c->closing_.load()) return;  // our own close, not a loss
  c->disconnections_.fetch_add(1);
  if (c->log_) c->log_("connection to NATS lost; reconnecting");
}

void Connection::onClosed(natsConnection*, void* closure) {
  auto* c = static_cast<Connection*>(closure);
  std::lock_guard lock(c->closed_mutex_);
  c->closed_ = true;
  c->closed_changed_.notify_all();
}

void Connection::onReconnected(natsConnection* nc, void* closure) {
  auto* c = static_cast<Connection*>(closure);
  char url[256] = {};
  natsConnection_GetConnectedUrl(nc, url, sizeof url);
  if (c->log_) c->log_(fmt::format("reconnected to {}", url));
}

Expected<bool> ensureStream(jsCtx* js, StreamSpec& spec) {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, js, spec.name.c_str(), nullptr, &code);
  if (s == NATS_OK) {
    spec.duplicate_window_ms = info->Config->Duplicates / 1'000'000;
    jsStreamInfo_Destroy(info);
    return true;
  }
  if (s == NATS_NO_RESPONDERS || code == JSNotEnabledErr || code == JSNotEnabledForAccountErr)
    return Error{fmt::format("stream {} could not be looked up: the broker has no JetStream (start nats-server with "
                             "-js -sd DIR, or enable JetStream for this account)",
                             spec.name)};
  if (s != NATS_NOT_FOUND && code != JSStreamNotFoundErr)
    return failure(fmt::format("stream {} could not be looked up", spec.name), s, code);
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = spec.name.c_str();
  const char* subjects[] = {spec.subject.c_str()};
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  if (spec.duplicate_window_ms > 0) config.Duplicates = spec.duplicate_window_ms * 1'000'000;
  code = static_cast<jsErrCode>(0);
  s = js_AddStream(&info, js, &config, nullptr, &code);
  if (s != NATS_OK) return failure(fmt::format("stream {} (subject {}) could not be made", spec.name, spec.subject), s, code);
  spec.duplicate_window_ms = info->Config->Duplicates / 1'000'000;
  jsStreamInfo_Destroy(info);
  return true;
}

Expected<bool> ensureConsumer(jsCtx* js, const ConsumerSpec& spec) {
  jsConsumerInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetConsumerInfo(&info, js, spec.stream.c_str(), spec.durable.c_str(), nullptr, &code);
  if (s == NATS_OK) {
    jsConsumerInfo_Destroy(info);
    return true;
  }
  if (s != NATS_NOT_FOUND && code != JSConsumerNotFoundErr)
    return failure(fmt::format("consumer {} of stream {} could not be looked up", spec.durable, spec.stream), s, code);
  jsConsumerConfig config;
  jsConsumerConfig_Init(&config);
  config.Durable = spec.durable.c_str();
  config.AckPolicy = js_AckExplicit;
  config.DeliverPolicy = js_DeliverAll;
  config.AckWait = spec.ack_wait_ms * 1'000'000;
  config.MaxDeliver = -1;         // a declaration is never given up
  config.MaxAckPending = 1 << 20;  // each worker bounds its own (--max-inflight)
  config.MaxWaiting = 4096;       // fetch requests waiting at once, over all workers
  code = static_cast<jsErrCode>(0);
  // Two workers starting at once both make it; the server takes the same config twice.
  s = js_AddConsumer(&info, js, spec.stream.c_str(), &config, nullptr, &code);
  if (s != NATS_OK)
    return failure(fmt::format("consumer {} of stream {} could not be made", spec.durable, spec.stream), s, code);
  jsConsumerInfo_Destroy(info);
  return true;
}

Expected<KeyValue> keyValue(jsCtx* js, const std::string& bucket, bool create) {
  kvStore* kv = nullptr;
  natsStatus s = js_KeyValue(&kv, js, bucket.c_str());
  if (s == NATS_OK) return KeyValue(kv);
  if (!create || s != NATS_NOT_FOUND) return failure(fmt::format("key-value bucket {}", bucket), s);
  kvConfig config;
  kvConfig_Init(&config);
  config.Bucket = bucket.c_str();
  config.History = 16;  // earlier profile sets stay readable for a while
  s = js_CreateKeyValue(&kv, js, &config);
  if (s != NATS_OK) return failure(fmt::format("key-value bucket {} could not be made", bucket), s);
  return KeyValue(kv);
}

}  // namespace tauekel::worker::nats
