#include "runtime/exec/vector_engine.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <span>

#include "runtime/exec/item_index.h"
#include "support/decimal.h"

namespace tauekel::runtime {

namespace {

// The first position at or after `t` in ascending `v` whose value is not below `d`:
// galloping, since a walk may step one place or skip thousands.
size_t seek(const std::vector<uint32_t>& v, size_t t, uint32_t d) {
  if (t >= v.size() || v[t] >= d) return t;
  size_t step = 1;
  while (t + step < v.size() && v[t + step] < d) {
    t += step;
    step *= 2;
  }
  // v[t] < d, and v[t + step] >= d or past the end.
  auto end = v.begin() + static_cast<long>(std::min(t + step, v.size()));
  return static_cast<size_t>(std::lower_bound(v.begin() + static_cast<long>(t) + 1, end, d) - v.begin());
}

// Triggering items are found through touched_at_, which only `any` and `count` roots keep.
[[maybe_unused]] bool triggersKeepItemStarts(const Plan& plan) {
  for (const auto& step : plan.profiles)
    for (int t : step.triggers)
      if (ir::Op op = plan.roots[static_cast<size_t>(t)].op; op != ir::Op::Any && op != ir::Op::Count) return false;
  return true;
}

class VectorEngine : public Engine, private RowInterpreter::Aggregates {
 public:
  VectorEngine(const EngineContext& context, const Plan& plan, std::vector<std::unique_ptr<Kernel>> kernels)
      : context_(context), plan_(plan), kernels_(std::move(kernels)) {
    kernels_.resize(plan.kernels.size());
    for (size_t k = 0; k < plan.kernels.size(); ++k)
      if (!kernels_[k]) kernels_[k] = makeTreeWalkKernel(plan.kernels[k], context_);
    results_.resize(plan.roots.size());
    selected_.resize(plan.roots.size());
    touched_.resize(plan.roots.size());
    touched_at_.resize(plan.roots.size());
    items_.resize(plan.roots.size());
    if (plan.bucketing != Bucketing::None) index_.prepare(plan.guards, plan.bucketing == Bucketing::All);
    assert(triggersKeepItemStarts(plan));
  }

  void screen(const Batch& batch, Selections& out) override {
    out.clear();
    ensureCapacity(batch);
    BatchContext ctx{&batch, &results_, this, ++screenings_};
    index_.reset(batch, plan_.guards.size());
    if (size_t rows = std::max<size_t>(batch.item_count, batch.decl_count); all_items_.size() < rows) {
      all_items_.resize(rows);
      std::iota(all_items_.begin(), all_items_.end(), 0u);
    }
    for (size_t r = 0; r < plan_.roots.size(); ++r) runRoot(ctx, r);

    // Items and flags are written once, in profile order, straight into the output.
    hits_.clear();
    for (uint32_t p = 0; p < plan_.profiles.size(); ++p) runProfile(ctx, p, out.items, out.measure_flags);
    scoreTerms(ctx, out.score_terms);

    // Hits in declaration order, then by profile: profiles were run in order, so a
    // stable counting sort by declaration does it.
    bucket_.assign(batch.decl_count + 1, 0);
    for (const auto& h : hits_) ++bucket_[h.decl + 1];
    for (size_t d = 0; d < batch.decl_count; ++d) bucket_[d + 1] += bucket_[d];
    out.hits.resize(hits_.size());
    for (const auto& h : hits_) out.hits[bucket_[h.decl]++] = h;
    resetRoots();
  }

 private:

  bool get(ir::NodeId node, uint32_t decl, ir::scalar::Datum& out) const override {
    int r = plan_.root_of_node[node];
    if (r < 0) return false;
    const RootResults& res = results_[static_cast<size_t>(r)];
    out = res.valid[decl] ? ir::scalar::Datum::of(res.value[decl]) : ir::scalar::Datum::missing();
    return true;
  }

  void ensureCapacity(const Batch& batch) {
    if (batch.decl_count <= capacity_) return;
    capacity_ = batch.decl_count;
    for (size_t r = 0; r < plan_.roots.size(); ++r) {
      bool minmax = plan_.roots[r].op == ir::Op::Min || plan_.roots[r].op == ir::Op::Max;
      results_[r].value.resize(capacity_, 0);
      results_[r].valid.resize(capacity_, minmax ? 0 : 1);
    }
  }

  Kernel& kernel(int k) { return *kernels_[static_cast<size_t>(k)]; }

  void runRoot(const BatchContext& ctx, size_t r) {
    const ItemRoot& root = plan_.roots[r];
    const Batch& batch = *ctx.batch;
    // The guard's selection (or all items) stays put for the whole batch and is shared
    // by every root it guards: read it in place, and filter it into the root's own
    // vector only when there is something to filter.
    std::span<const uint32_t> in = root.guard >= 0
                                       ? index_.select(plan_.guards[static_cast<size_t>(root.guard)], root.guard)
                                       : std::span<const uint32_t>(all_items_.data(), batch.item_count);
    if (root.filter >= 0 && !in.empty()) {
      std::vector<uint32_t>& own = items_[r];
      own.resize(in.size());
      uint32_t m = kernel(root.filter).filter(ctx, in.data(), static_cast<uint32_t>(in.size()), own.data());
      in = std::span<const uint32_t>(own.data(), m);
    }
    selected_[r] = in;
    std::span<const uint32_t> sel = in;
    RootResults& res = results_[r];
    std::vector<uint32_t>& touched = touched_[r];
    std::vector<uint32_t>& touched_at = touched_at_[r];
    switch (root.op) {
      case ir::Op::Any:
      case ir::Op::Count: {
        // The declarations it touches, where each one's items start, and (when a kernel
        // reads it) the per-declaration result.
        touched.resize(sel.size());
        touched_at.resize(sel.size());
        // Written unconditionally, kept when the declaration changes: no branch to
        // mispredict on declarations of one to a dozen items.
        size_t t = 0;
        uint32_t last = UINT32_MAX;
        const uint32_t* item_decl = batch.item_decl.data();
        for (size_t k = 0; k < sel.size(); ++k) {
          uint32_t d = item_decl[sel[k]];
          touched[t] = d;
          touched_at[t] = static_cast<uint32_t>(k);
          t += d != last;
          last = d;
        }
        touched.resize(t);
        touched_at.resize(t);
        if (root.read) {
          if (root.op == ir::Op::Any) {
            for (uint32_t d : touched) res.value[d] = 1;
          } else {
            // A declaration's items are one run of the selection: its count is the run's length.
            for (size_t j = 0; j < t; ++j) {
              auto [from, to] = runOf(r, j);
              res.value[touched[j]] = static_cast<int64_t>(to - from);
            }
          }
        }
        break;
      }
      case ir::Op::All:
        // All holds where every item holds: compare counts with item counts everywhere.
        for (uint32_t i : sel) ++res.value[batch.item_decl[i]];
        touched.resize(batch.decl_count);
        for (uint32_t d = 0; d < batch.decl_count; ++d) {
          touched[d] = d;
          res.value[d] = res.value[d] == batch.itemsOf(d);
        }
        break;
      case ir::Op::Sum:
      case ir::Op::Min:
      case ir::Op::Max: {
        touched.clear();
        values_.resize(sel.size());
        valid_.resize(sel.size());
        if (!sel.empty())
          kernel(root.value).value(ctx, sel.data(), static_cast<uint32_t>(sel.size()), values_.data(), valid_.data());
        if (root.op == ir::Op::Sum) {
          // A declaration's items are one run of the selection (it is ascending): add the
          // run up in a register. Results start at 0 (resetRoots), so the run's sum is it.
          for (size_t k = 0; k < sel.size();) {
            uint32_t d = batch.item_decl[sel[k]];
            int64_t sum = 0;
            for (; k < sel.size() && batch.item_decl[sel[k]] == d; ++k)
              if (valid_[k]) sum = decimal::add(sum, values_[k]);  // missing values are skipped
            touched.push_back(d);
            res.value[d] = sum;
          }
          break;
        }
        for (size_t k = 0; k < sel.size(); ++k) {
          uint32_t d = batch.item_decl[sel[k]];
          if (touched.empty() || touched.back() != d) touched.push_back(d);
          if (!valid_[k]) continue;  // missing values are skipped
          int64_t v = values_[k];
          if (!res.valid[d] || (root.op == ir::Op::Min ? v < res.value[d] : v > res.value[d])) {
            res.value[d] = v;
            res.valid[d] = 1;
          }
        }
        break;
      }
      default:
        break;
    }
  }

  // Every score term for every declaration of the batch (before the roots are reset:
  // the terms read them).
  void scoreTerms(const BatchContext& ctx, std::vector<int64_t>& out) {
    const size_t terms = plan_.score_terms.size();
    if (terms == 0) return;
    const uint32_t n = static_cast<uint32_t>(ctx.batch->decl_count);
    out.assign(static_cast<size_t>(n) * terms, 0);
    values_.resize(n);
    valid_.resize(n);
    for (size_t t = 0; t < terms; ++t) {
      kernel(plan_.score_terms[t]).value(ctx, all_items_.data(), n, values_.data(), valid_.data());
      for (uint32_t d = 0; d < n; ++d) out[d * terms + t] = valid_[d] ? values_[d] : 0;
    }
  }

  // Appends the profile's triggering items to `items_out` and its measure flags to `flags`;
  // its hits, pointing into both, to hits_.
  void runProfile(const BatchContext& ctx, uint32_t p, std::vector<uint32_t>& items_out, std::vector<uint8_t>& flags) {
    const ProfileStep& step = plan_.profiles[p];
    const Batch& batch = *ctx.batch;
    // Candidates: the driver's declarations, or all of them.
    std::span<const uint32_t> candidates = step.driver >= 0
                                               ? std::span<const uint32_t>(touched_[static_cast<size_t>(step.driver)])
                                               : std::span<const uint32_t>(all_items_.data(), batch.decl_count);
    if (step.filter >= 0 && !candidates.empty()) {
      candidates_.resize(candidates.size());
      uint32_t m = kernel(step.filter).filter(ctx, candidates.data(), static_cast<uint32_t>(candidates.size()),
                                              candidates_.data());
      candidates = std::span<const uint32_t>(candidates_.data(), m);
    }
    if (candidates.empty()) return;
    size_t n = candidates.size();
    size_t measures = step.measures.size();
    size_t base_flags = flags.size();
    flags.resize(base_flags + n * measures, 1);
    assert(flags.size() < UINT32_MAX);
    for (size_t m = 0; m < measures; ++m) {
      if (step.measures[m] < 0) continue;
      values_.resize(n);
      valid_.resize(n);
      kernel(step.measures[m]).value(ctx, candidates.data(), static_cast<uint32_t>(n), values_.data(), valid_.data());
      for (size_t k = 0; k < n; ++k) flags[base_flags + k * measures + m] = valid_[k] && values_[k] != 0;
    }
    if (step.triggers.size() == 1 && step.triggers[0] == step.driver) {
      hitsOfDriver(p, static_cast<size_t>(step.driver), candidates, base_flags, measures, items_out);
      return;
    }
    // Triggering items: the selected declarations and each trigger root's touched list
    // are both ascending, so a merge walk finds each declaration's items.
    cursors_.assign(step.triggers.size(), 0);
    for (size_t k = 0; k < n; ++k) {
      uint32_t d = candidates[k];
      size_t begin = items_out.size();
      for (size_t j = 0; j < step.triggers.size(); ++j) {
        auto r = static_cast<size_t>(step.triggers[j]);
        const auto& touched = touched_[r];
        size_t& t = cursors_[j];
        t = seek(touched, t, d);
        if (t == touched.size() || touched[t] != d) continue;
        std::span<const uint32_t> items = selected_[r];
        auto [from, to] = runOf(r, t);
        // A declaration has a few items: a plain loop, not a library copy per hit.
        for (size_t i = from; i < to; ++i) items_out.push_back(items[i]);
      }
      if (step.triggers.size() > 1) {
        std::sort(items_out.begin() + static_cast<long>(begin), items_out.end());
        items_out.erase(std::unique(items_out.begin() + static_cast<long>(begin), items_out.end()),
                        items_out.end());
      }
      assert(items_out.size() < UINT32_MAX);  // 16 GiB of hits in one batch
      hits_.push_back(Selections::Hit{d, p, static_cast<uint32_t>(begin), static_cast<uint32_t>(items_out.size()),
                                      static_cast<uint32_t>(base_flags + k * measures)});
    }
  }

  // The usual case: a profile whose triggering items are the items that made its driver
  // hold. When most of the driver's declarations are candidates, its selection is copied
  // whole and each hit points at its run; else each candidate's run is copied.
  void hitsOfDriver(uint32_t p, size_t r, std::span<const uint32_t> candidates, size_t base_flags, size_t measures,
                    std::vector<uint32_t>& items_out) {
    const std::vector<uint32_t>& touched = touched_[r];
    std::span<const uint32_t> items = selected_[r];
    const size_t n = candidates.size();
    const bool whole = 4 * n >= touched.size();
    const size_t base = items_out.size();
    if (whole) items_out.insert(items_out.end(), items.begin(), items.end());
    const size_t first_hit = hits_.size();
    hits_.resize(first_hit + n);
    Selections::Hit* hit = hits_.data() + first_hit;
    size_t t = 0;
    for (size_t k = 0; k < n; ++k) {
      uint32_t d = candidates[k];
      t = seek(touched, t, d);
      assert(t < touched.size() && touched[t] == d);  // candidates come from the driver
      auto [from, to] = runOf(r, t);
      size_t begin = base + from;
      if (!whole) {
        begin = items_out.size();
        items_out.insert(items_out.end(), items.begin() + static_cast<long>(from), items.begin() + static_cast<long>(to));
      }
      hit[k] = Selections::Hit{d, p, static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + (to - from)),
                               static_cast<uint32_t>(base_flags + k * measures)};
    }
    assert(items_out.size() < UINT32_MAX);  // 16 GiB of hits in one batch
  }

  // Where root r's t-th touched declaration has its items in selected_[r]: [from, to).
  std::pair<size_t, size_t> runOf(size_t r, size_t t) const {
    const std::vector<uint32_t>& starts = touched_at_[r];
    return {starts[t], t + 1 < starts.size() ? starts[t + 1] : selected_[r].size()};
  }

  void resetRoots() {
    for (size_t r = 0; r < plan_.roots.size(); ++r) {
      const ItemRoot& root = plan_.roots[r];
      if (!root.read && (root.op == ir::Op::Any || root.op == ir::Op::Count)) continue;  // nothing written
      bool minmax = root.op == ir::Op::Min || root.op == ir::Op::Max;
      for (uint32_t d : touched_[r]) {
        results_[r].value[d] = 0;
        results_[r].valid[d] = minmax ? 0 : 1;
      }
    }
  }

  EngineContext context_;
  const Plan& plan_;
  std::vector<std::unique_ptr<Kernel>> kernels_;
  std::vector<RootResults> results_;
  std::vector<std::vector<uint32_t>> touched_;  // per root: declarations it touched, ascending
  std::vector<std::vector<uint32_t>> touched_at_;  // per root (any, count): where each one's items start
  std::vector<std::vector<uint32_t>> items_;    // per root: its own selection, when it needs one
  std::vector<std::span<const uint32_t>> selected_;  // per root: the items where it holds, ascending
  std::vector<uint32_t> all_items_;  // 0, 1, 2...: every item (or declaration) row
  ItemIndex index_;
  size_t capacity_ = 0;
  uint64_t screenings_ = 0;
  std::vector<uint32_t> candidates_;
  std::vector<int64_t> values_;
  std::vector<uint8_t> valid_;
  std::vector<Selections::Hit> hits_;  // in profile order
  std::vector<size_t> cursors_;
  std::vector<uint32_t> bucket_;
};

}  // namespace

std::unique_ptr<Engine> makeVectorEngine(const EngineContext& context, const Plan& plan,
                                         std::vector<std::unique_ptr<Kernel>> kernels) {
  return std::make_unique<VectorEngine>(context, plan, std::move(kernels));
}

}  // namespace tauekel::runtime
