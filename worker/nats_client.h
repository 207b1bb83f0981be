#pragma once
// What the worker needs of NATS and JetStream (libnats, Debian libnats-dev), in C++:
// owning handles, statuses turned into Errors that say what failed, a connection that
// retries until it is up (or stopped) and reconnects for ever once it is, and the
// streams, consumer and key-value bucket made when they are missing.

#include <nats/nats.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "support/expected.h"

namespace tauekel::worker::nats {

struct MsgDeleter {
  void operator()(natsMsg* m) const { natsMsg_Destroy(m); }
};
using Msg = std::unique_ptr<natsMsg, MsgDeleter>;

struct SubscriptionDeleter {
  void operator()(natsSubscription* s) const { natsSubscription_Destroy(s); }
};
using Subscription = std::unique_ptr<natsSubscription, SubscriptionDeleter>;

struct KvDeleter {
  void operator()(kvStore* kv) const { kvStore_Destroy(kv); }
};
using KeyValue = std::unique_ptr<kvStore, KvDeleter>;

struct KvEntryDeleter {
  void operator()(kvEntry* e) const { kvEntry_Destroy(e); }
};
using KvEntry = std::unique_ptr<kvEntry, KvEntryDeleter>;

// "what: the library's text (JetStream error code N)".
Error failure(std::string_view what, natsStatus status, jsErrCode code = static_cast<jsErrCode>(0));

// A message with a body and headers, for publishing.
Expected<Msg> makeMessage(const std::string& subject, std::string_view body);
void setHeader(natsMsg* message, const char* name, const std::string& value);
// A header's value, or "" when it is absent.
std::string header(natsMsg* message, const char* name);

struct ConnectOptions {
  std::string servers;        // nats://host:port[,nats://host:port...]
  std::string name;           // the client name the server shows
  int64_t publish_wait_ms = 5000;  // a publish not acknowledged by then failed
  int64_t max_pending_publishes = 4096;
  // Called by the library's threads on publish acknowledgements (see js_PublishMsgAsync).
  jsPubAckHandler on_publish_ack = nullptr;
  void* on_publish_ack_closure = nullptr;
  std::function<void(const std::string&)> log;  // disconnections and reconnections
};

class Connection {
 public:
  // Tries every `retry_ms` until connected or `stopping` turns true (an error then).
  static Expected<std::unique_ptr<Connection>> connect(const ConnectOptions& options,
                                                       const std::atomic<bool>& stopping, int64_t retry_ms = 500);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Closes the connection; callbacks stop. The handles stay valid until destruction.
  void close();
  natsConnection* get() const { return connection_; }
  jsCtx* js() const { return js_; }
  bool connected() const { return natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED; }
  uint64_t disconnections() const { return disconnections_.load(); }

 private:
  Connection() = default;
  static void onDisconnected(natsConnection* nc, void* closure);
  static void onReconnected(natsConnection* nc, void* closure);
  static void onClosed(natsConnection* nc, void* closure);

  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  std::function<void(const std::string&)> log_;
  std::atomic<uint64_t> disconnections_{0};
  std::atomic<bool> closing_{false};
  // The library calls back on its own thread, after close() returns: this object must
  // outlive its last callback, which is the closed one.
  std::mutex closed_mutex_;
  std::condition_variable closed_changed_;
  bool closed_ = false;
};

struct StreamSpec {
  std::string name;
  std::string subject;
  int64_t duplicate_window_ms = 0;  // 0: the server's default (2 minutes)
};
// The stream as it is, or made as specified when missing. `duplicate_window_ms` is set
// to what the stream has.
Expected<bool> ensureStream(jsCtx* js, StreamSpec& spec);

struct ConsumerSpec {
  std::string stream;
  std::string durable;
  int64_t ack_wait_ms = 30000;
};
// A durable pull consumer with explicit acknowledgement, made when missing; workers bind
// to it, so none of them deletes it when it stops.
Expected<bool> ensureConsumer(jsCtx* js, const ConsumerSpec& spec);

// The bucket, made (with `history` revisions kept) when missing and `create` is set.
Expected<KeyValue> keyValue(jsCtx* js, const std::string& bucket, bool create);

}  // namespace tauekel::worker::nats
