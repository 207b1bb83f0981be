#include "worker/declaration_publisher.h"

#include <fmt/format.h>

#include "support/fnv.h"
#include "support/line_reader.h"

namespace tauekel::worker {

Expected<PublishCount> publishJsonLines(nats::Connection& connection, const std::string& path,
                                        const std::string& subject, uint64_t max_line_bytes) {
  auto input = io::openInput(path);
  if (!input) return input.error();
  io::LineReader lines(input.take(), max_line_bytes);
  PublishCount count;
  size_t in_flight = 0;
  auto settle = [&]() -> Expected<bool> {
    // Waits for the acknowledgements of what is in flight; unacknowledged ones fail.
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 30000;
    natsStatus s = js_PublishAsyncComplete(connection.js(), &po);
    if (s != NATS_OK) {
      natsMsgList pending{};
      js_PublishAsyncGetPendingList(&pending, connection.js());
      int left = pending.Count;
      natsMsgList_Destroy(&pending);
      return nats::failure(fmt::format("{}: {} declarations were not acknowledged by the stream", path, left), s);
    }
    in_flight = 0;
    return true;
  };
  while (true) {
    auto status = lines.next();
    if (status == io::LineReader::Status::End) break;
    if (status == io::LineReader::Status::Failed)
      return Error{fmt::format("{}:{}: {}", path, lines.lineNumber(), lines.error())};
    std::string_view line = lines.line();
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++count.lines;
    std::string id = fmt::format("{:016x}", fnv::hash(line));
    auto message = nats::makeMessage(subject, line);
    if (!message) return message.error();
    natsMsg* raw = message->release();
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = id.c_str();
    natsStatus s = js_PublishMsgAsync(connection.js(), &raw, &po);
    natsMsg_Destroy(raw);
    if (s != NATS_OK) return nats::failure(fmt::format("{}:{}: could not be published", path, lines.lineNumber()), s);
    if (++in_flight >= 4096)
      if (auto ok = settle(); !ok) return ok.error();
  }
  if (auto ok = settle(); !ok) return ok.error();
  return count;
}

}  // namespace tauekel::worker
