#include "engine/screening_stream.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "engine/decision_writer.h"
#include "runtime/load/seen_keys.h"

namespace tauekel::engine {

namespace {

// One batch's way through the pipeline: read into `batch` (or split off into `block`
// and read from it on a worker), screened into `text`.
struct Job {
  uint64_t sequence = 0;
  runtime::InputBlock block;
  runtime::BlockOutcome outcome;
  runtime::Batch batch;
  std::string text;
  DecisionCounts counts;
};

// `writer`: null for the analyst's plain decisions, else the thread's own.
void screenInto(const Screener& screener, Screener::Context& context, DecisionWriter* writer, Job& job) {
  job.text.clear();
  job.counts = DecisionCounts{};
  uint32_t row = 0;
  if (writer && writer->writesDrafts()) {
    // The analyst's plain decisions: text straight from the drafts, no values between.
    screener.screenDrafts(job.batch, context, [&](const DecisionDraft& draft) {
      writer->appendJson(job.text, draft);
      job.text.push_back('\n');
      job.counts.add(draft.selected, draft.corridor);
      job.counts.outside_window += screener.outsideWindow(job.batch, row);
      ++row;
    });
    screener.takeRandomCounts(context, job.counts);
    return;
  }
  screener.screen(job.batch, context, [&](const Decision& decision) {
    if (writer) writer->appendJson(job.text, job.batch, row, decision);
    else appendJson(job.text, decision);
    job.text.push_back('\n');
    job.counts.add(decision);
    job.counts.outside_window += screener.outsideWindow(job.batch, row);
    ++row;
  });
  screener.takeRandomCounts(context, job.counts);
}

std::unique_ptr<DecisionWriter> writerFor(const DecisionFormat* format) {
  return format ? std::make_unique<DecisionWriter>(*format) : nullptr;
}

void add(DecisionCounts& total, const DecisionCounts& part) {
  total.declarations += part.declarations;
  total.selected += part.selected;
  for (size_t c = 0; c < 4; ++c) total.corridor[c] += part.corridor[c];
  total.outside_window += part.outside_window;
  for (const auto& [id, n] : part.random) {
    total.random[id].first += n.first;
    total.random[id].second += n.second;
  }
}

StreamResult sequential(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                        io::OutputFile& out, const DecisionFormat* format,
                        const std::function<void(uint64_t, uint64_t)>& progress) {
  StreamResult result;
  auto context = screener.newContext();
  auto writer = writerFor(format);
  Job job;
  runtime::initBatch(job.batch, program);
  while (true) {
    auto more = source.next(job.batch);
    if (more && !*more) return result;
    // After a bad row that stops the run, the declarations before it are decided still.
    screenInto(screener, *context, writer.get(), job);
    add(result.decisions, job.counts);
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

// The queues between the stages, under one lock: the work is in batches of thousands
// of goods items, so the lock is taken a few times per batch.
class Pipeline {
 public:
  // `splitting`: the source splits blocks, which the workers read before screening, and
  // which the writer puts back in order with their keys checked and their counts added.
  Pipeline(const Screener& screener, const sema::Program& program, io::OutputFile& out, size_t threads,
           runtime::DeclarationSource* splitting, const DecisionFormat* format)
      : screener_(screener), format_(format), out_(out), source_(splitting) {
    // Two batches per worker keep every worker busy while one is read and one written;
    // blocks (copies of the input's records) are larger, and a worker that reads its
    // own needs one less.
    size_t jobs = splitting ? threads + 3 : 2 * threads + 2;
    for (size_t i = 0; i < jobs; ++i) {
      auto job = std::make_unique<Job>();
      runtime::initBatch(job->batch, program);
      free_.push_back(std::move(job));
    }
    for (size_t t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
    writer_ = std::thread([this] { write(); });
  }

  // A job to read into; null when the writer failed or a block stopped at a bad row
  // (nothing more is worth reading).
  std::unique_ptr<Job> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || write_error_ || block_error_; });
    if (write_error_ || block_error_) return nullptr;
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
    result.read_error = block_error_;
    return result;
  }

 private:
  void work() {
    auto context = screener_.newContext();
    auto writer = writerFor(format_);
    while (true) {
      std::unique_ptr<Job> job;
      bool wasted = false;  // the output failed: nothing more is written
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !todo_.empty() || reading_done_; });
        if (todo_.empty()) return;  // read to the end
        job = std::move(todo_.front());
        todo_.pop_front();
        wasted = write_error_.has_value() || block_error_.has_value();
      }
      // A block that begins the rest of the input is read on by the writer, in order.
      bool rest = source_ && job->block.rest();
      if (!wasted && source_ && !rest) source_->read(job->block, job->batch, job->outcome, nullptr);
      if (!wasted && !rest) screenInto(screener_, *context, writer.get(), *job);  // up to a stop, if any
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
      // Nothing after a block that stopped the run, or after a failed write, is written;
      // what a stopping block decided before its stop is (as one thread would).
      if (!write_error_ && !block_error_) {  // set by this thread only
        if (source_ && job->block.rest()) {
          readRest(*job);
        } else if (source_) {
          if (auto stopped = putInOrder(*job)) {
            std::lock_guard lock(mutex_);
            block_error_ = std::move(stopped);
          }
        }
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

  // The rest of an input that could not be split further, read, screened and written
  // here as one thread would, after every block before it.
  void readRest(Job& job) {
    auto rest = source_->readRest(job.block, seen_);
    if (!context_) context_ = screener_.newContext();
    if (!decision_writer_) decision_writer_ = writerFor(format_);
    while (!write_error_) {
      auto more = rest->next(job.batch);
      if (more && !*more) break;
      screenInto(screener_, *context_, decision_writer_.get(), job);  // up to a stop, if any
      if (auto written = out_.write(job.text); !written) {
        std::lock_guard lock(mutex_);
        write_error_ = written.error();
      } else {
        add(counts_, job.counts);
      }
      if (!more) {
        std::lock_guard lock(mutex_);
        block_error_ = more.error();
        break;
      }
    }
    source_->absorbRest(*rest);
    job.text.clear();  // written already
    job.counts = DecisionCounts{};
  }

  // A block in input order: its keys against the blocks' before it. Where one came
  // before (rows of a declaration apart, a key twice), the block is read again here with
  // every key seen so far, as one thread reading the file would have, and screened again.
  // Returns the block's error when it stopped at a bad row (OnError::Fail).
  std::optional<Error> putInOrder(Job& job) {
    bool again = false;
    const auto& keys = job.outcome.keys;
    // Each key's slot is a cache miss: ask for them a few keys ahead.
    constexpr size_t kAhead = 8;
    for (size_t k = 0; k < std::min(kAhead, keys.size()); ++k) seen_.prefetch(keys[k].first);
    for (size_t k = 0; k < keys.size() && !again; ++k) {
      if (k + kAhead < keys.size()) seen_.prefetch(keys[k + kAhead].first);
      again = seen_.containsHash(keys[k].first);
    }
    if (again) {
      source_->read(job.block, job.batch, job.outcome, &seen_);
      if (!context_) context_ = screener_.newContext();
      if (!decision_writer_) decision_writer_ = writerFor(format_);
      screenInto(screener_, *context_, decision_writer_.get(), job);  // up to a stop, if any
    } else {
      for (const auto& [hash, line] : keys) seen_.insertHash(hash, line);
    }
    source_->absorb(job.outcome);
    return job.outcome.error;  // nothing of this block or after it is written
  }

  const Screener& screener_;
  const DecisionFormat* format_;
  io::OutputFile& out_;
  runtime::DeclarationSource* source_;
  runtime::SeenKeys seen_;                     // the writer's: keys of the blocks written
  std::unique_ptr<Screener::Context> context_;  // the writer's, for a block read again
  std::unique_ptr<DecisionWriter> decision_writer_;  // the same
  std::optional<Error> block_error_;           // a block stopped at a bad row (set by the writer)
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
                          io::OutputFile& out, size_t threads, size_t block_rows,
                          const std::function<void(uint64_t, uint64_t)>& progress,
                          const DecisionFormat* format) {
  if (threads <= 1) return sequential(source, screener, program, out, format, progress);
  // A source that splits: the calling thread only cuts the input into blocks (a light
  // job), N workers turn them into batches and screen them. Otherwise the calling thread
  // reads and parses, and N - 1 workers screen.
  bool splitting = source.splits();
  Pipeline pipeline(screener, program, out, splitting ? threads : threads - 1, splitting ? &source : nullptr,
                    format);
  std::optional<Error> read_error;
  while (true) {
    std::unique_ptr<Job> job = pipeline.take();
    if (!job) break;  // the output failed: finish() reports it
    auto more = splitting ? source.split(job->block, block_rows) : source.next(job->batch);
    if (!more && !splitting) {
      // A bad row that stops the run: the declarations read before it are decided still.
      read_error = more.error();
      pipeline.screen(std::move(job));
      break;
    }
    if (!more || !*more) {
      if (!more) read_error = more.error();
      pipeline.giveBack(std::move(job));
      break;
    }
    pipeline.screen(std::move(job));
    if (progress) progress(source.stats().bytes, source.totalBytes());
  }
  StreamResult result = pipeline.finish();
  // A block's bad row comes before anything the splitting stopped at after it.
  if (!result.read_error) result.read_error = read_error;
  return result;
}

}  // namespace tauekel::engine
