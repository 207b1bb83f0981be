#include "engine/screening_stream.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "engine/block_pipeline.h"
#include "engine/screening_job.h"

namespace tauekel::engine {

namespace {

StreamResult sequential(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                        io::OutputFile& out, const DecisionFormat* format,
                        const std::function<void(uint64_t, uint64_t)>& progress) {
  StreamResult result;
  auto context = screener.newContext();
  auto writer = writerFor(format);
  ScreeningJob job;
  runtime::initBatch(job.batch, program);
  while (true) {
    auto more = source.next(job.batch);
    if (more && !*more) return result;
    // After a bad row that stops the run, the declarations before it are decided still.
    screenInto(screener, *context, writer.get(), job);
    addCounts(result.decisions, job.counts);
    if (auto written = out.write(job.text); !written) {
      result.write_error = written.error();
      return result;
    }
    if (!more) {
      result.read_error = more.error();
      return result;
    }
    if (progress) progress(source.stats().bytes, source.totalBytes());
  }
}

// Reading on the calling thread, screening on the workers, writing in input order on a
// light writer thread: for sources that cannot be cut into blocks (JSON Lines). The
// queues between the stages are under one lock: the work is in batches of thousands of
// goods items, so the lock is taken a few times per batch.
class BatchPipeline {
 public:
  BatchPipeline(const Screener& screener, const sema::Program& program, io::OutputFile& out, size_t workers,
                const DecisionFormat* format)
      : screener_(screener), format_(format), out_(out) {
    // Two batches per worker keep every worker busy while one is read and one written.
    for (size_t i = 0; i < 2 * workers + 2; ++i) {
      auto job = std::make_unique<ScreeningJob>();
      runtime::initBatch(job->batch, program);
      free_.push_back(std::move(job));
    }
    for (size_t t = 0; t < workers; ++t) workers_.emplace_back([this] { work(); });
    writer_ = std::thread([this] { write(); });
  }

  // A job to read into; null when the writer failed (nothing more is worth reading).
  std::unique_ptr<ScreeningJob> take() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return !free_.empty() || write_error_; });
    if (write_error_) return nullptr;
    auto job = std::move(free_.front());
    free_.pop_front();
    return job;
  }
  void screen(std::unique_ptr<ScreeningJob> job) {
    std::lock_guard lock(mutex_);
    job->sequence = produced_++;
    todo_.push_back(std::move(job));
    queued_.notify_one();
  }
  void giveBack(std::unique_ptr<ScreeningJob> job) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(job));
    freed_.notify_one();
  }
  // No more batches: waits until every one read is written (or writing failed).
  StreamResult finish() {
    {
      std::lock_guard lock(mutex_);
      reading_done_ = true;
      queued_.notify_all();
      screened_.notify_all();
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
    auto writer = writerFor(format_);
    while (true) {
      std::unique_ptr<ScreeningJob> job;
      bool wasted = false;  // the output failed: nothing more is written
      {
        std::unique_lock lock(mutex_);
        queued_.wait(lock, [&] { return !todo_.empty() || reading_done_; });
        if (todo_.empty()) return;  // read to the end
        job = std::move(todo_.front());
        todo_.pop_front();
        wasted = write_error_.has_value();
      }
      if (!wasted) screenInto(screener_, *context, writer.get(), *job);
      std::lock_guard lock(mutex_);
      uint64_t sequence = job->sequence;
      done_.emplace(sequence, std::move(job));
      if (sequence == written_) screened_.notify_one();  // the one the writer waits for
    }
  }

  void write() {
    while (true) {
      std::unique_ptr<ScreeningJob> job;
      {
        std::unique_lock lock(mutex_);
        screened_.wait(lock, [&] { return done_.count(written_) || (reading_done_ && written_ == produced_); });
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
          addCounts(counts_, job->counts);
        }
      }
      std::lock_guard lock(mutex_);
      ++written_;
      free_.push_back(std::move(job));
      freed_.notify_one();  // the reading thread, waiting for a job (or for an error to stop at)
    }
  }

  const Screener& screener_;
  const DecisionFormat* format_;
  io::OutputFile& out_;
  std::mutex mutex_;
  // Who waits for what: the reading thread for a free job (or an error), the workers for
  // a job to screen, the writer for the next job in order. One each, so that a change
  // wakes only whoever it concerns.
  std::condition_variable freed_, queued_, screened_;
  std::deque<std::unique_ptr<ScreeningJob>> free_, todo_;
  std::map<uint64_t, std::unique_ptr<ScreeningJob>> done_;  // screened, waiting for their turn
  uint64_t produced_ = 0, written_ = 0;
  bool reading_done_ = false;
  std::optional<Error> write_error_;
  DecisionCounts counts_;  // of what was written
  std::vector<std::thread> workers_;
  std::thread writer_;
};

}  // namespace

StreamResult screenStream(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                          io::OutputFile& out, size_t threads, size_t block_rows,
                          const std::function<void(uint64_t, uint64_t)>& progress,
                          const DecisionFormat* format) {
  if (threads <= 1) return sequential(source, screener, program, out, format, progress);
  // A source that cuts its input into blocks: every thread cuts, reads, screens and
  // writes in turn. Otherwise the calling thread reads and parses, and N - 1 workers screen.
  if (source.splits()) return screenBlocks(source, screener, program, out, threads, block_rows, progress, format);
  BatchPipeline pipeline(screener, program, out, threads - 1, format);
  std::optional<Error> read_error;
  while (true) {
    std::unique_ptr<ScreeningJob> job = pipeline.take();
    if (!job) break;  // the output failed: finish() reports it
    auto more = source.next(job->batch);
    if (!more) {
      // A bad row that stops the run: the declarations read before it are decided still.
      read_error = more.error();
      pipeline.screen(std::move(job));
      break;
    }
    if (!*more) {
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
