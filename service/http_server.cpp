#include "service/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>


#include "support/json.h"
#include "support/text.h"

namespace tauekel::service {

namespace {

const char kJson[] = "application/json";

std::string errorJson(std::string_view message) {
  std::string out;
  json::Writer(out).beginObject().key("error").value(message).endObject();
  return out;
}

std::ptrdiff_t screeningThreads(const HttpOptions& options) {
  return static_cast<std::ptrdiff_t>(std::max<size_t>(1, options.threads));
}

}  // namespace

HttpServer::HttpServer(ScreeningService& service, const HttpOptions& options,
                       std::function<void(const std::string&)> log)
    : service_(service),
      options_(options),
      log_(std::move(log)),
      server_(std::make_unique<httplib::Server>()),
      slots_(std::make_unique<std::counting_semaphore<>>(screeningThreads(options))) {
  size_t connections = std::max<size_t>(options_.connections, static_cast<size_t>(screeningThreads(options_)));
  server_->new_task_queue = [connections] { return new httplib::ThreadPool(connections); };
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->set_keep_alive_max_count(1000);
  server_->set_tcp_nodelay(true);  // answers go out at once, not after a delayed ACK
  // The listening socket, noted so that bind() can lengthen its queue of connections.
  server_->set_socket_options([this](int socket) {
    int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = socket;
  });
  server_->set_read_timeout(10, 0);
  server_->set_write_timeout(10, 0);
  routes();
}

HttpServer::~HttpServer() = default;

Answer HttpServer::limited(const std::function<Answer()>& work) {
  // Shed load early: past the queue's bound a request is answered 503 without waiting.
  if (waiting_.fetch_add(1) >= options_.max_waiting) {
    waiting_.fetch_sub(1);
    return Answer{503, errorJson(fmt::format("overloaded: more than {} requests are waiting; retry later",
                                             options_.max_waiting))};
  }
  slots_->acquire();
  waiting_.fetch_sub(1);
  // The slot goes back however the work ends, an exception included.
  struct Release {
    std::counting_semaphore<>& slots;
    ~Release() { slots.release(); }
  } release{*slots_};
  Answer answer;
  try {
    answer = work();
  } catch (const std::bad_alloc&) {
    answer = Answer{503, errorJson("out of memory for this request; send fewer declarations at once")};
  }
  return answer;
}

void HttpServer::routes() {
  auto reply = [](httplib::Response& res, const Answer& answer) {
    res.status = answer.status;
    res.set_content(answer.body, kJson);
  };
  server_->Post("/v1/screen", [this, reply](const httplib::Request& req, httplib::Response& res) {
    RequestView view;
    if (req.has_param("audience")) {
      std::string word = req.get_param_value("audience");
      view.audience = engine::parseAudience(word);
      if (!view.audience)
        return reply(res, Answer{400, errorJson(fmt::format("audience={} is not one of analyst, officer, declarant",
                                                            text::quoted(word)))});
    }
    if (req.has_param("explain")) {
      std::string word = req.get_param_value("explain");
      if (word != "true" && word != "false")
        return reply(res, Answer{400, errorJson(fmt::format("explain={} is not true or false",
                                                            text::quoted(word)))});
      view.explain = word == "true";
    }
    reply(res, limited([&] { return service_.screen(req.body, view); }));
  });
  server_->Post("/v1/reload", [this, reply](const httplib::Request&, httplib::Response& res) {
    reply(res, service_.reload());
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", kJson);
  });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    if (stopping_) {
      res.status = 503;
      res.set_content("{\"status\":\"stopping\"}", kJson);
      return;
    }
    std::string out;
    json::Writer(out).beginObject().key("status").value("ready").key("version").value(service_.current()->version())
        .endObject();
    res.set_content(out, kJson);
  });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(service_.metrics().render(), "text/plain; version=0.0.4");
  });
  // Errors the library answers itself (no route, a body too large) get a JSON body too.
  server_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // an answer of ours
    std::string message;
    switch (res.status) {
      case 404:
        message = fmt::format("no such endpoint: {} {}; POST /v1/screen screens declarations", req.method, req.path);
        break;
      case 413:
        // The library reads a form-encoded body as a form, up to 8 KiB: curl's -d sends
        // one unless told otherwise.
        if (req.get_header_value("Content-Type") == "application/x-www-form-urlencoded")
          message = "a body sent as application/x-www-form-urlencoded is read as a form, up to 8192 bytes; send "
                    "declarations as application/json or application/x-ndjson (curl: -H 'Content-Type: "
                    "application/json')";
        else
          message = fmt::format("the request body is larger than {} bytes (--max-body-bytes raises the limit)",
                                options_.max_body_bytes);
        break;
      case 400:
        message = "the request could not be read (a POST needs a Content-Length header or a chunked body)";
        break;
      default:
        message = fmt::format("the request could not be served (HTTP {})", res.status);
    }
    res.set_content(errorJson(message), kJson);
  });
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(errorJson("internal error; the server keeps serving"), kJson);
  });
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    service_.metrics().request(req.path.rfind("/v1/", 0) == 0 || req.path == "/healthz" || req.path == "/readyz" ||
                                       req.path == "/metrics"
                                   ? req.path
                                   : "other",
                               res.status);
  });
}

Expected<int> HttpServer::bind() {
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
    if (port <= 0) return Error{fmt::format("cannot listen on {}: no free port", options_.host)};
  } else if (!server_->bind_to_port(options_.host, port)) {
    return Error{fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)", options_.host,
                             port)};
  }
  // The library listens with a queue of 5: many clients connecting at once would see
  // connections dropped. Listening again on the same socket lengthens the queue.
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
  return port;
}

void HttpServer::run() { server_->listen_after_bind(); }

void HttpServer::stop() {
  stopping_ = true;
  server_->stop();
}

}  // namespace tauekel::service
