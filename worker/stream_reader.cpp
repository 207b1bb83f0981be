#include "worker/stream_reader.h"

#include <fmt/format.h>

namespace tauekel::worker {

Expected<uint64_t> readStream(nats::Connection& connection, const std::string& stream, bool follow,
                              const std::atomic<bool>& stop, const std::function<void(natsMsg*)>& each) {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, connection.js(), stream.c_str(), nullptr, &code);
  if (s != NATS_OK) {
    if (s == NATS_NOT_FOUND || code == JSStreamNotFoundErr)
      return Error{fmt::format("stream {} does not exist (no worker has made it yet?)", stream)};
    return nats::failure(fmt::format("stream {} could not be looked up", stream), s, code);
  }
  if (info->Config->SubjectsLen != 1) {
    jsStreamInfo_Destroy(info);
    return Error{fmt::format("stream {} has {} subjects; a stream of one subject can be read", stream,
                             info->Config->SubjectsLen)};
  }
  std::string subject = info->Config->Subjects[0];
  uint64_t total = info->State.Msgs;
  jsStreamInfo_Destroy(info);

  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream.c_str();
  so.Config.AckPolicy = js_AckNone;
  so.Config.DeliverPolicy = js_DeliverAll;
  natsSubscription* raw = nullptr;
  s = js_PullSubscribe(&raw, connection.js(), subject.c_str(), nullptr, nullptr, &so, &code);
  if (s != NATS_OK) return nats::failure(fmt::format("stream {} could not be read", stream), s, code);
  nats::Subscription sub(raw);
  uint64_t read = 0;
  while (!stop.load()) {
    natsMsgList list{};
    s = natsSubscription_Fetch(&list, sub.get(), 1000, follow ? 1000 : 2000, &code);
    for (int i = 0; i < list.Count; ++i) each(list.Msgs[i]);
    read += static_cast<uint64_t>(list.Count);
    natsMsgList_Destroy(&list);
    if (s == NATS_TIMEOUT) {
      if (!follow && read >= total) break;  // everything there was when it began
      continue;
    }
    if (s != NATS_OK) return nats::failure(fmt::format("stream {} could not be read on", stream), s, code);
  }
  return read;
}

}  // namespace tauekel::worker
