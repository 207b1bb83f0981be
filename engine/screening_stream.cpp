#include "engine/screening_stream.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace tauekel::engine {

namespace {

// One batch's way through the pipeline: read into `batch`, screened into `text`.
struct Job {
  uint64_t sequence = 0;
  runtime::Batch batch;
  std::string text;
  DecisionCounts counts;
};

void screenInto(const Screener& screener, Screener::Context& context, Job& job) {
  job.text.clear();
  job.counts = DecisionCounts{};
  screener.screen(job.batch, context, [&](const Decision& decision) {
    appendJson(job.text, decision);
    job.text.push_back('\n');
    job.counts.add(decision);
  });
}

void add(DecisionCounts& total, const DecisionCounts& part) {
  total.declarations += part.declarations;
  total.selected += part.selected;
  for (size_t c = 0; c < 4; ++c) total.corridor[c] += part.corridor[c];
}

StreamResult sequential(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                        io::OutputFile& out, const std::function<void(uint64_t, uint64_t)>& progress) {
  StreamResult result;
  auto context = screener.newContext();
  Job job;
  runtime::initBatch(job.batch, program);
  while (true) {
    auto more = source.next(job.batch);
    if (!more) {
      result.read_error = more.error();
      return result;
    }
    if (!*more) return result;
    screenInto(screener, *context, job);
    add(result.decisions, job.counts);
    if (auto written = out.write(job.text); !written) {
      result.write_error = written.error();
      return result;
    }
    if (progress) progress(source.stats().bytes, source.totalBytes());
  }
}

// The queues between the stages, under one lock: the work is in batches of thousands
// of goods items, so the lock is taken a few times per batch.
class Pipeline {
 public:
  Pipeline(const Screener& screener, const sema::Program& program, io::OutputFile& out, size_t threads)
      : screener_(screener), out_(out) {
    // Two batches per worker keep every worker busy while one is read and one written.
    for (size_t i = 0; i < 2 * threads + 2; ++i) {
      auto job = std::make_unique<Job>();
      runtime::initBatch(job->batch, program);
      free_.push_back(std::move(job));
    }
    for (size_t t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
    writer_ = std::thread([this] { write(); });
  }

  // A job to read into; null when the writer failed (nothing more is worth reading).
  std::unique_ptr<Job> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || write_error_; });
    if (write_error_) return nullptr;
    auto job = std::move(free_.front());
    free_.pop_front();
    return job;
  }
  void screen(std::unique_ptr<Job> job) {
    std::lock_guard lock(mutex_);
    job->sequence = produced_++;
    todo_.push_back(std::move(job));
    changed_.notify_all();
  }
  void giveBack(std::unique_ptr<Job> job) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(job));
    changed_.notify_all();
  }
  // No more batches: waits until every one read is written (or writing failed).
  StreamResult finish() {
    {
      std::lock_guard lock(mutex_);
      reading_done_ = true;
      changed_.notify_all();
    }
    for (auto& w : workers_) w.join();
    writer_.join();
    StreamResult result;
    result.decisions = counts_;
    result.write_error = write_error_;
    return result;
  }

 private:
  void work() {
    auto context = screener_.newContext();
    while (true) {
      std::unique_ptr<Job> job;
      bool wasted = false;  // the output failed: nothing more is written
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !todo_.empty() || reading_done_; });
        if (todo_.empty()) return;  // read to the end
        job = std::move(todo_.front());
        todo_.pop_front();
        wasted = write_error_.has_value();
      }
      if (!wasted) screenInto(screener_, *context, *job);
      std::lock_guard lock(mutex_);
      uint64_t sequence = job->sequence;
      done_.emplace(sequence, std::move(job));
      changed_.notify_all();
    }
  }

  void write() {
    while (true) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return done_.count(written_) || (reading_done_ && written_ == produced_); });
        auto it = done_.find(written_);
        if (it == done_.end()) return;  // everything read was written
        job = std::move(it->second);
        done_.erase(it);
      }
      if (!write_error_) {  // set by this thread only
        if (auto written = out_.write(job->text); !written) {
          std::lock_guard lock(mutex_);
          write_error_ = written.error();
        } else {
          add(counts_, job->counts);
        }
      }
      std::lock_guard lock(mutex_);
      ++written_;
      free_.push_back(std::move(job));
      changed_.notify_all();
    }
  }

  const Screener& screener_;
  io::OutputFile& out_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Job>> free_, todo_;
  std::map<uint64_t, std::unique_ptr<Job>> done_;  // screened, waiting for their turn
  uint64_t produced_ = 0, written_ = 0;
  bool reading_done_ = false;
  std::optional<Error> write_error_;
  DecisionCounts counts_;  // of what was written
  std::vector<std::thread> workers_;
  std::thread writer_;
};

}  // namespace

StreamResult screenStream(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                          io::OutputFile& out, size_t threads,
                          const std::function<void(uint64_t, uint64_t)>& progress) {
  if (threads <= 1) return sequential(source, screener, program, out, progress);
  Pipeline pipeline(screener, program, out, threads - 1);  // the calling thread reads: one of the N
  std::optional<Error> read_error;
  while (true) {
    std::unique_ptr<Job> job = pipeline.take();
    if (!job) break;  // the output failed: finish() reports it
    auto more = source.next(job->batch);
    if (!more || !*more) {
      if (!more) read_error = more.error();
      pipeline.giveBack(std::move(job));
      break;
    }
    pipeline.screen(std::move(job));
    if (progress) progress(source.stats().bytes, source.totalBytes());
  }
  StreamResult result = pipeline.finish();
  result.read_error = read_error;
  return result;
}

}  // namespace tauekel::engine
