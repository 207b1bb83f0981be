#include "engine/block_pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "engine/screening_job.h"
#include "runtime/load/seen_keys.h"

namespace tauekel::engine {

namespace {

class BlockPipeline {
 public:
  BlockPipeline(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                io::OutputFile& out, size_t threads, size_t block_rows,
                const std::function<void(uint64_t, uint64_t)>& progress, const DecisionFormat* format)
      : source_(source), screener_(screener), out_(out), threads_(threads), rows_(block_rows), progress_(progress),
        format_(format) {
    // Two jobs past one per thread: one waiting to be written while its thread goes on.
    for (size_t i = 0; i < threads + 2; ++i) {
      auto job = std::make_unique<ScreeningJob>();
      runtime::initBatch(job->batch, program);
      free_.push_back(std::move(job));
    }
  }

  StreamResult run() {
    std::vector<std::thread> others;
    for (size_t t = 1; t < threads_; ++t) others.emplace_back([this] { work(); });
    work();
    for (auto& t : others) t.join();
    StreamResult result;
    result.decisions = counts_;
    result.write_error = write_error_;
    // A block's bad row comes before anything the cutting stopped at after it.
    result.read_error = block_error_ ? block_error_ : cut_error_;
    return result;
  }

 private:
  void work() {
    auto context = screener_.newContext();
    auto writer = writerFor(format_);
    while (true) {
      std::unique_ptr<ScreeningJob> job;
      {
        std::unique_lock lock(mutex_);
        freed_.wait(lock, [&] { return !free_.empty() || stopped_; });
        if (stopped_) return;
        job = std::move(free_.front());
        free_.pop_front();
      }
      if (!cut(*job)) {
        std::lock_guard lock(mutex_);
        free_.push_back(std::move(job));
        stopped_ = true;  // nothing more to cut: the threads leave once the jobs are written
        freed_.notify_all();
        return;
      }
      // A block that begins the rest of the input is read on by whoever writes it, in order.
      if (!job->block.rest()) {
        source_.read(job->block, job->batch, job->outcome, nullptr);
        screenInto(screener_, *context, writer.get(), *job);  // up to a stop, if any
      }
      {
        std::lock_guard lock(mutex_);
        uint64_t sequence = job->sequence;
        done_.emplace(sequence, std::move(job));
      }
      writeInOrder(*context, writer.get());
    }
  }

  // Cuts the next block into the job: false at the end of the input, or when it cannot
  // be read, or after a stop.
  bool cut(ScreeningJob& job) {
    std::lock_guard lock(cut_mutex_);
    if (input_done_ || stopping()) return false;
    auto more = source_.split(job.block, rows_);
    if (!more || !*more) {
      if (!more) cut_error_ = more.error();
      input_done_ = true;
      return false;
    }
    job.sequence = cut_++;
    if (job.block.rest()) input_done_ = true;  // no block follows
    if (progress_) progress_(source_.stats().bytes, source_.totalBytes());
    return true;
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return write_error_.has_value() || block_error_.has_value();
  }

  // Writes the jobs that are next in input order, unless another thread is writing (it
  // then writes them in turn). The writer's state (the keys seen, the counts) is only
  // touched by the thread that writes.
  void writeInOrder(Screener::Context& context, DecisionWriter* writer) {
    std::unique_lock lock(mutex_);
    if (writing_) return;
    writing_ = true;
    while (true) {
      auto it = done_.find(written_);
      if (it == done_.end()) break;
      std::unique_ptr<ScreeningJob> job = std::move(it->second);
      done_.erase(it);
      bool stopped = write_error_.has_value() || block_error_.has_value();
      lock.unlock();
      // Nothing after a block that stopped the run, or after a failed write, is written;
      // what a stopping block decided before its stop is (as one thread would).
      if (!stopped) write(*job, context, writer);
      lock.lock();
      ++written_;
      free_.push_back(std::move(job));
      freed_.notify_one();
    }
    writing_ = false;
  }

  void write(ScreeningJob& job, Screener::Context& context, DecisionWriter* writer) {
    if (job.block.rest()) {
      readRest(job, context, writer);
      return;
    }
    std::optional<Error> stopped = putInOrder(job, context, writer);
    if (auto written = out_.write(job.text); !written) {
      std::lock_guard lock(mutex_);
      write_error_ = written.error();
    } else {
      addCounts(counts_, job.counts);
    }
    if (stopped) {
      std::lock_guard lock(mutex_);
      block_error_ = std::move(stopped);
    }
  }

  // A block in input order: its keys join the keys of the blocks before it. Where one
  // came before (rows of a declaration apart, a key twice), the block is read again here
  // with every key seen so far, as one thread reading the file would have, and screened
  // again. Returns the block's error when it stopped at a bad row (OnError::Fail).
  std::optional<Error> putInOrder(ScreeningJob& job, Screener::Context& context, DecisionWriter* writer) {
    // The keys the block added before a key found earlier are its own: read again, a
    // declaration finding its own key at its own line knows it for itself (SeenKeys keeps
    // lines below 2^32; past them, keys are first only looked up).
    const auto& keys = job.outcome.keys;
    bool lines_kept = keys.empty() || keys.back().second <= UINT32_MAX;
    bool again = false;
    constexpr size_t kAhead = 8;  // each key's slot is a cache miss: ask for them a few keys ahead
    for (size_t k = 0; k < std::min(kAhead, keys.size()); ++k) seen_.prefetch(keys[k].first);
    const uint64_t first_line = job.block.bytes.first_line;
    for (size_t k = 0; k < keys.size() && !again; ++k) {
      if (k + kAhead < keys.size()) seen_.prefetch(keys[k + kAhead].first);
      if (!lines_kept) {
        again = seen_.containsHash(keys[k].first);
        continue;
      }
      // Found at a line of this block: a key twice in the block, which its reader told.
      uint64_t seen_at = seen_.insertHash(keys[k].first, keys[k].second);
      again = seen_at != 0 && seen_at < first_line;
    }
    if (again) {
      source_.read(job.block, job.batch, job.outcome, &seen_);
      screenInto(screener_, context, writer, job);  // up to a stop, if any
    } else if (!lines_kept) {
      for (const auto& [hash, line] : keys) seen_.insertHash(hash, line);
    }
    source_.absorb(job.outcome);
    return job.outcome.error;  // nothing of this block or after it is written
  }

  // The rest of an input that could not be cut further, read, screened and written here
  // as one thread would, after every block before it.
  void readRest(ScreeningJob& job, Screener::Context& context, DecisionWriter* writer) {
    auto rest = source_.readRest(job.block, seen_);
    while (true) {
      auto more = rest->next(job.batch);
      if (more && !*more) break;
      screenInto(screener_, context, writer, job);  // up to a stop, if any
      if (auto written = out_.write(job.text); !written) {
        std::lock_guard lock(mutex_);
        write_error_ = written.error();
        break;
      }
      addCounts(counts_, job.counts);
      if (!more) {
        std::lock_guard lock(mutex_);
        block_error_ = more.error();
        break;
      }
    }
    source_.absorbRest(*rest);
  }

  runtime::DeclarationSource& source_;
  const Screener& screener_;
  io::OutputFile& out_;
  const size_t threads_;
  const size_t rows_;
  const std::function<void(uint64_t, uint64_t)>& progress_;
  const DecisionFormat* format_;

  std::mutex cut_mutex_;  // one thread cuts at a time: blocks in input order
  bool input_done_ = false;
  uint64_t cut_ = 0;      // blocks cut
  std::optional<Error> cut_error_;

  std::mutex mutex_;      // the jobs, the stops, whose turn it is to write
  std::condition_variable freed_;
  std::deque<std::unique_ptr<ScreeningJob>> free_;
  std::map<uint64_t, std::unique_ptr<ScreeningJob>> done_;  // screened, waiting for their turn
  uint64_t written_ = 0;
  bool writing_ = false;
  bool stopped_ = false;  // a thread found nothing more to cut
  std::optional<Error> write_error_, block_error_;

  // The writer's, touched only by the thread that writes.
  runtime::SeenKeys seen_;
  DecisionCounts counts_;
};

}  // namespace

StreamResult screenBlocks(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                          io::OutputFile& out, size_t threads, size_t block_rows,
                          const std::function<void(uint64_t, uint64_t)>& progress, const DecisionFormat* format) {
  return BlockPipeline(source, screener, program, out, threads, block_rows, progress, format).run();
}

}  // namespace tauekel::engine
