#include "runtime/jit/kernel_compiler.h"

#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>

#include <chrono>
#include <cstring>
#include <map>
#include <set>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "runtime/jit/helpers.h"
#include "runtime/jit/kernel_binding.h"
#include "runtime/jit/object_store.h"
#include "support/codes.h"

namespace tauekel::runtime::jit {

namespace {

// ---- the kernel objects the engine calls --------------------------------------------

class NativeKernel : public Kernel {
 public:
  NativeKernel(Binding binding, void* function, const EngineContext& context)
      : function_(function), context_(context) {
    // Text parameters point into the binding: it is set up where it will stay.
    auto shared = std::make_shared<Binding>(std::move(binding));
    initParams(*shared, initial_);
    binding_ = std::move(shared);
    params_ = initial_;
    memos_.resize(static_cast<size_t>(binding_->memos));
  }

  uint32_t filter(const BatchContext& ctx, const uint32_t* sel, uint32_t n, uint32_t* out) override {
    KernelArgs args = prepare(ctx);
    return reinterpret_cast<FilterFn>(function_)(&args, sel, n, out);
  }
  void value(const BatchContext& ctx, const uint32_t* sel, uint32_t n, int64_t* values, uint8_t* valid) override {
    KernelArgs args = prepare(ctx);
    reinterpret_cast<ValueFn>(function_)(&args, sel, n, values, valid);
  }
  // The binding and the code are shared; parameters, slots and memos are the clone's.
  std::unique_ptr<Kernel> clone() const override { return std::unique_ptr<Kernel>(new NativeKernel(*this, Fresh{})); }

 private:
  struct Fresh {};
  NativeKernel(const NativeKernel& other, Fresh)
      : binding_(other.binding_),
        function_(other.function_),
        context_(other.context_),
        params_(other.initial_),
        initial_(other.initial_) {
    memos_.resize(static_cast<size_t>(binding_->memos));
  }

  KernelArgs prepare(const BatchContext& ctx) {
    // A kernel several profiles share is called several times in one screening; its
    // arguments hold for the whole of it.
    if (ctx.screening == 0 || ctx.screening != filled_for_) {
      fillArgs(*binding_, ctx, context_, slots_, params_, memos_.data());
      filled_for_ = ctx.screening;
    }
    return KernelArgs{slots_.data(), params_.data(), ctx.batch->item_decl.data()};
  }

  std::shared_ptr<const Binding> binding_;
  void* function_;
  EngineContext context_;
  std::vector<const void*> slots_;
  std::vector<int64_t> params_;
  std::vector<int64_t> initial_;  // params_ as initParams left them, for clones
  std::vector<StringTestMemo> memos_;
  uint64_t filled_for_ = 0;  // the screening slots_ and params_ were filled for
};

// ---- code generation ----------------------------------------------------------------

// A value and whether it is present (nullptr: always present).
struct Val {
  llvm::Value* v = nullptr;
  llvm::Value* valid = nullptr;
};

class Codegen {
 public:
  Codegen(llvm::Module& module, const ir::Program& program, const KernelSpec& spec, const Binding& binding)
      : module_(module), ctx_(module.getContext()), b_(ctx_), p_(program), spec_(spec), binding_(binding) {}

  llvm::Function* generate(const std::string& name) {
    auto* ptr = b_.getPtrTy();
    auto* i32 = b_.getInt32Ty();
    std::vector<llvm::Type*> params = {ptr, ptr, i32, ptr};
    if (spec_.kind == KernelSpec::Value) params.push_back(ptr);
    auto* type = llvm::FunctionType::get(spec_.kind == KernelSpec::Filter ? i32 : b_.getVoidTy(), params, false);
    fn_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
    for (auto& arg : fn_->args()) arg.addAttr(llvm::Attribute::NoUndef);
    fn_->addParamAttr(0, llvm::Attribute::NoAlias);
    fn_->addParamAttr(3, llvm::Attribute::NoAlias);
    auto* args = fn_->getArg(0);
    auto* sel = fn_->getArg(1);
    auto* n = fn_->getArg(2);

    auto* entry = llvm::BasicBlock::Create(ctx_, "entry", fn_);
    b_.SetInsertPoint(entry);
    // Everything the loop reads but does not change is loaded once, up front.
    auto* slots = b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, args, 0));
    auto* param_table = b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, args, 1));
    item_decl_ = b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, args, 2));
    for (size_t s = 0; s < binding_.slots.size() * 2; ++s)
      slot_ptrs_.push_back(b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, slots, s)));
    for (size_t k = 0; k < binding_.params.size(); ++k)
      params_.push_back(b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstInBoundsGEP1_64(b_.getInt64Ty(), param_table, k)));
    if (binding_.prefetch_text != ir::kNoNode) {
      text_offsets_ = call("tk_pool_offsets", ptr, {slotData(binding_.pool_slot)});
      text_bytes_ = call("tk_pool_bytes", ptr, {slotData(binding_.pool_slot)});
    }

    auto* header = llvm::BasicBlock::Create(ctx_, "loop", fn_);
    auto* body = llvm::BasicBlock::Create(ctx_, "body", fn_);
    auto* next = llvm::BasicBlock::Create(ctx_, "next", fn_);
    auto* exit = llvm::BasicBlock::Create(ctx_, "exit", fn_);
    if (binding_.prefetch_text != ir::kNoNode) {
      // The first rows' texts, before the loop: their offsets are loaded side by side,
      // so their misses overlap. The loop fetches the rest ahead of itself.
      auto* prologue = llvm::BasicBlock::Create(ctx_, "prefetch", fn_);
      b_.CreateCondBr(b_.CreateICmpEQ(n, b_.getInt32(0)), header, prologue);
      b_.SetInsertPoint(prologue);
      auto* n64 = b_.CreateZExt(n, b_.getInt64Ty());
      for (int k = 0; k < kPrefetchRows; ++k) prefetchText(sel, i64(k), n64, 0);
    }
    b_.CreateBr(header);
    std::vector<llvm::BasicBlock*> starts = {entry};
    if (b_.GetInsertBlock() != entry) starts.push_back(b_.GetInsertBlock());

    b_.SetInsertPoint(header);
    auto* i = b_.CreatePHI(i32, 3, "i");
    for (auto* from : starts) i->addIncoming(b_.getInt32(0), from);
    llvm::PHINode* m = nullptr;
    if (spec_.kind == KernelSpec::Filter) {
      m = b_.CreatePHI(i32, 3, "m");
      for (auto* from : starts) m->addIncoming(b_.getInt32(0), from);
    }
    b_.CreateCondBr(b_.CreateICmpULT(i, n), body, exit);

    b_.SetInsertPoint(body);
    auto* i64i = b_.CreateZExt(i, b_.getInt64Ty());
    row_ = b_.CreateZExt(b_.CreateLoad(i32, b_.CreateInBoundsGEP(i32, sel, i64i)), b_.getInt64Ty(), "row");
    decl_row_ = nullptr;
    if (binding_.prefetch_text != ir::kNoNode) prefetchText(sel, i64i, b_.CreateZExt(n, b_.getInt64Ty()), kPrefetchRows);

    llvm::Value* m_next = nullptr;
    if (spec_.kind == KernelSpec::Filter) {
      // Earlier conjuncts branch, so a failing one spares the rest; the last one keeps
      // its row without a branch (stored always, counted when it holds), since a pass
      // rate near one half is the worst case for a predictor.
      std::vector<std::pair<llvm::BasicBlock*, llvm::Value*>> incoming;
      llvm::Value* pass = b_.getTrue();
      for (size_t k = 0; k < spec_.conjuncts.size(); ++k) {
        Val v = emit(spec_.conjuncts[k], spec_.domain == ir::Domain::Decl);
        pass = truth(v);
        if (k + 1 == spec_.conjuncts.size()) break;
        auto* more = llvm::BasicBlock::Create(ctx_, "pass", fn_);
        incoming.emplace_back(b_.GetInsertBlock(), m);
        b_.CreateCondBr(pass, more, next);
        b_.SetInsertPoint(more);
      }
      auto* out = fn_->getArg(3);
      b_.CreateStore(b_.CreateTrunc(row_, i32), b_.CreateInBoundsGEP(i32, out, b_.CreateZExt(m, b_.getInt64Ty())));
      auto* m1 = b_.CreateAdd(m, b_.CreateZExt(pass, i32));
      incoming.emplace_back(b_.GetInsertBlock(), m1);
      b_.CreateBr(next);
      b_.SetInsertPoint(next);
      auto* phi = b_.CreatePHI(i32, static_cast<unsigned>(incoming.size()), "m.next");
      for (auto& [block, value] : incoming) phi->addIncoming(value, block);
      m_next = phi;
    } else {
      Val v = emit(spec_.value, spec_.domain == ir::Domain::Decl);
      llvm::Value* valid = v.valid ? v.valid : b_.getTrue();
      llvm::Value* value = v.v->getType()->isIntegerTy(1) ? b_.CreateZExt(v.v, b_.getInt64Ty()) : v.v;
      value = b_.CreateSelect(valid, value, b_.getInt64(0));
      b_.CreateStore(value, b_.CreateInBoundsGEP(b_.getInt64Ty(), fn_->getArg(3), i64i));
      b_.CreateStore(b_.CreateZExt(valid, b_.getInt8Ty()), b_.CreateInBoundsGEP(b_.getInt8Ty(), fn_->getArg(4), i64i));
      b_.CreateBr(next);
      b_.SetInsertPoint(next);
    }
    auto* i1 = b_.CreateAdd(i, b_.getInt32(1));
    i->addIncoming(i1, next);
    if (m) m->addIncoming(m_next, next);
    b_.CreateBr(header);

    b_.SetInsertPoint(exit);
    if (spec_.kind == KernelSpec::Filter) b_.CreateRet(m);
    else b_.CreateRetVoid();
    return fn_;
  }

 private:
  // A text is two dependent cache misses (its offset, then its bytes): at row i, the
  // offset of row i + 2 * ahead is fetched and the bytes of row i + ahead, so both have
  // arrived when the row comes. Rows past the end are clamped to the last one (n > 0).
  static constexpr int kPrefetchRows = 8;
  void prefetchText(llvm::Value* sel, llvm::Value* i, llvm::Value* n, int ahead) {
    auto* i32 = b_.getInt32Ty();
    auto* i64t = b_.getInt64Ty();
    auto* column = slotData(binding_.slot_of.at(binding_.prefetch_text));
    auto* last = b_.CreateSub(n, i64(1));
    auto idAhead = [&](int rows) {
      auto* j = b_.CreateBinaryIntrinsic(llvm::Intrinsic::umin, b_.CreateAdd(i, i64(rows)), last);
      auto* row = b_.CreateZExt(b_.CreateLoad(i32, b_.CreateInBoundsGEP(i32, sel, j)), i64t);
      return b_.CreateZExt(b_.CreateLoad(i32, b_.CreateInBoundsGEP(i32, column, row)), i64t);
    };
    auto prefetch = [&](llvm::Value* address) {
      auto* f = llvm::Intrinsic::getDeclaration(&module_, llvm::Intrinsic::prefetch, {b_.getPtrTy()});
      b_.CreateCall(f, {address, b_.getInt32(0), b_.getInt32(3), b_.getInt32(1)});
    };
    if (ahead > 0) prefetch(b_.CreateInBoundsGEP(i32, text_offsets_, idAhead(2 * ahead)));
    auto* offset = b_.CreateZExt(b_.CreateLoad(i32, b_.CreateInBoundsGEP(i32, text_offsets_, idAhead(ahead))), i64t);
    prefetch(b_.CreateInBoundsGEP(b_.getInt8Ty(), text_bytes_, offset));
  }

  // ---- small builders ----
  llvm::Value* truth(const Val& v) { return v.valid ? b_.CreateAnd(v.valid, v.v) : v.v; }
  llvm::Value* both(llvm::Value* a, llvm::Value* b) {
    if (!a) return b;
    if (!b) return a;
    return b_.CreateAnd(a, b);
  }
  llvm::Value* i64(int64_t v) { return b_.getInt64(static_cast<uint64_t>(v)); }
  // `and` (or `or`) of all of `values`, pairwise: a tree of depth log n, not a chain.
  llvm::Value* reduce(std::vector<llvm::Value*> values, bool is_and) {
    while (values.size() > 1) {
      size_t half = 0;
      for (size_t k = 0; k + 1 < values.size(); k += 2)
        values[half++] = is_and ? b_.CreateAnd(values[k], values[k + 1]) : b_.CreateOr(values[k], values[k + 1]);
      if (values.size() % 2) values[half++] = values.back();
      values.resize(half);
    }
    return values[0];
  }
  llvm::Value* slotData(int slot) { return slot_ptrs_[static_cast<size_t>(2 * slot)]; }
  llvm::Value* slotValid(int slot) { return slot_ptrs_[static_cast<size_t>(2 * slot + 1)]; }
  llvm::Value* param(int k) { return params_[static_cast<size_t>(k)]; }
  llvm::Value* declRow() {
    if (spec_.domain == ir::Domain::Decl) return row_;
    if (!decl_row_) {
      auto* i32 = b_.getInt32Ty();
      decl_row_ = b_.CreateZExt(b_.CreateLoad(i32, b_.CreateInBoundsGEP(i32, item_decl_, row_)), b_.getInt64Ty());
    }
    return decl_row_;
  }
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::Value* a, llvm::Value* b) {
    auto* f = llvm::Intrinsic::getDeclaration(&module_, id, {b_.getInt64Ty()});
    return b_.CreateCall(f, {a, b});
  }
  llvm::Value* call(const char* name, llvm::Type* result, std::vector<llvm::Value*> args) {
    std::vector<llvm::Type*> types;
    for (auto* a : args) types.push_back(a->getType());
    auto callee = module_.getOrInsertFunction(name, llvm::FunctionType::get(result, types, false));
    return b_.CreateCall(callee, args);
  }
  // a * b on 64-bit integers, saturating like decimal::mulInt.
  llvm::Value* satMul(llvm::Value* a, llvm::Value* b) {
    auto* f = llvm::Intrinsic::getDeclaration(&module_, llvm::Intrinsic::smul_with_overflow, {b_.getInt64Ty()});
    auto* r = b_.CreateCall(f, {a, b});
    auto* product = b_.CreateExtractValue(r, 0);
    auto* overflow = b_.CreateExtractValue(r, 1);
    auto* negative = b_.CreateICmpSLT(b_.CreateXor(a, b), i64(0));
    auto* saturated = b_.CreateSelect(negative, i64(INT64_MIN), i64(INT64_MAX));
    return b_.CreateSelect(overflow, saturated, product);
  }
  llvm::Value* clampDays(llvm::Value* v) {
    auto* lo = i64(INT32_MIN);
    auto* hi = i64(INT32_MAX);
    v = b_.CreateSelect(b_.CreateICmpSLT(v, lo), lo, v);
    return b_.CreateSelect(b_.CreateICmpSGT(v, hi), hi, v);
  }
  llvm::Value* negate(llvm::Value* v) {
    return b_.CreateSelect(b_.CreateICmpEQ(v, i64(INT64_MIN)), i64(INT64_MAX), b_.CreateNeg(v));
  }
  llvm::Value* bit(llvm::Value* bitmap, llvm::Value* row) {
    auto* word = b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), bitmap, b_.CreateLShr(row, 6)));
    return b_.CreateTrunc(b_.CreateLShr(word, b_.CreateAnd(row, 63)), b_.getInt1Ty());
  }
  // Loads element `row` of a column of `type`, widened to i64 (Bool: i1).
  llvm::Value* load(ir::Type type, llvm::Value* data, llvm::Value* row) {
    switch (type) {
      case ir::Type::Bool: {
        auto* byte = b_.CreateLoad(b_.getInt8Ty(), b_.CreateInBoundsGEP(b_.getInt8Ty(), data, row));
        return b_.CreateICmpNE(byte, b_.getInt8(0));
      }
      case ir::Type::Int: case ir::Type::Decimal: case ir::Type::Hs:
        return b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), data, row));
      default:
        return b_.CreateSExt(b_.CreateLoad(b_.getInt32Ty(), b_.CreateInBoundsGEP(b_.getInt32Ty(), data, row)),
                             b_.getInt64Ty());
    }
  }
  // A text operand for the helpers: (id, text pointer or null).
  std::pair<llvm::Value*, llvm::Value*> textOperand(ir::NodeId id, bool decl) {
    const ir::Node& n = p_.node(id);
    if (n.op == ir::Op::Const && !n.nullable)
      return {param(binding_.param_of.at(id)), b_.CreateIntToPtr(param(binding_.text_of.at(id)), b_.getPtrTy())};
    return {emit(id, decl).v, llvm::ConstantPointerNull::get(b_.getPtrTy())};
  }

  // ---- expressions ----
  // Each node's code once (per row kind), operands first. A work stack, not recursion:
  // a kernel is as deep as the longest operator chain in it.
  Val emit(ir::NodeId id, bool decl) {
    using Key = std::pair<ir::NodeId, bool>;
    if (auto it = memo_.find(Key{id, decl}); it != memo_.end()) return it->second;
    std::vector<std::pair<Key, size_t>> stack = {{Key{id, decl}, 0}};
    while (!stack.empty()) {
      auto& [key, next] = stack.back();
      if (std::optional<Key> operand = operandOf(key.first, key.second, next)) {
        ++next;
        if (!memo_.count(*operand)) stack.emplace_back(*operand, 0);
        continue;
      }
      Val v = emitNode(key.first, key.second);  // finds its operands in memo_
      memo_.emplace(key, v);
      stack.pop_back();
    }
    return memo_.at(Key{id, decl});
  }

  // The k-th operand emitNode() reads through emit(), and for which row kind.
  std::optional<std::pair<ir::NodeId, bool>> operandOf(ir::NodeId id, bool decl, size_t k) const {
    const ir::Node& n = p_.node(id);
    if (readsRoot(id)) return std::nullopt;
    switch (n.op) {
      case ir::Op::Const: case ir::Op::Column: return std::nullopt;
      case ir::Op::Broadcast: return k == 0 ? std::optional(std::make_pair(n.args[0], true)) : std::nullopt;
      case ir::Op::InValues:  // the constants are parameters
        return k == 0 ? std::optional(std::make_pair(n.args[0], decl)) : std::nullopt;
      default:
        return k < n.args.size() ? std::optional(std::make_pair(n.args[k], decl)) : std::nullopt;
    }
  }

  // An aggregate computed for the batch: its per-declaration result is read from a slot.
  bool readsRoot(ir::NodeId id) const {
    const ir::Node& n = p_.node(id);
    return binding_.slot_of.count(id) && n.op != ir::Op::Column && n.op != ir::Op::PersonField &&
           n.op != ir::Op::InData && n.op != ir::Op::InTableKeys && n.op != ir::Op::Lookup;
  }

  Val emitNode(ir::NodeId id, bool decl) {
    const ir::Node& n = p_.node(id);
    auto arg = [&](size_t k) { return emit(n.args[k], decl); };
    if (readsRoot(id)) {
      int s = binding_.slot_of.at(id);
      llvm::Value* r = declRow();
      Val out;
      out.v = b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), slotData(s), r));
      if (n.type == ir::Type::Bool) out.v = b_.CreateICmpNE(out.v, i64(0));
      if (n.nullable) {
        auto* byte = b_.CreateLoad(b_.getInt8Ty(), b_.CreateInBoundsGEP(b_.getInt8Ty(), slotValid(s), r));
        out.valid = b_.CreateICmpNE(byte, b_.getInt8(0));
      }
      return out;
    }
    switch (n.op) {
      case ir::Op::Const: {
        if (n.nullable) return Val{n.type == ir::Type::Bool ? static_cast<llvm::Value*>(b_.getFalse()) : i64(0), b_.getFalse()};
        llvm::Value* v = param(binding_.param_of.at(id));
        if (n.type == ir::Type::Bool) v = b_.CreateICmpNE(v, i64(0));
        return Val{v, nullptr};
      }
      case ir::Op::Column: {
        int s = binding_.slot_of.at(id);
        llvm::Value* at = n.domain == ir::Domain::Decl ? declRow() : row_;
        Val out{load(n.type, slotData(s), at), nullptr};
        if (n.nullable) out.valid = bit(slotValid(s), at);
        return out;
      }
      case ir::Op::Broadcast: return emit(n.args[0], true);
      case ir::Op::PersonField: {
        Val ref = arg(0);
        llvm::Value* ok = both(ref.valid, b_.CreateICmpSGE(ref.v, i64(0)));
        llvm::Value* index = b_.CreateSelect(ok, ref.v, i64(0));  // row 0 exists: columns keep slack
        int s = binding_.slot_of.at(id);
        Val out{load(n.type, slotData(s), index), ok};
        if (p_.source->person.fields[static_cast<size_t>(n.value)].type->optional)
          out.valid = b_.CreateAnd(ok, bit(slotValid(s), index));
        return out;
      }
      case ir::Op::PersonCategory: {
        Val ref = arg(0);
        llvm::Value* registered = b_.CreateICmpSGE(ref.v, i64(0));
        llvm::Value* index = b_.CreateSelect(registered, ref.v, i64(0));
        auto* byte = b_.CreateLoad(b_.getInt8Ty(),
                                   b_.CreateInBoundsGEP(b_.getInt8Ty(), slotData(binding_.category_slot), index));
        llvm::Value* v = b_.CreateSelect(registered, b_.CreateZExt(byte, b_.getInt64Ty()), param(binding_.unregistered_param));
        return Val{v, ref.valid};
      }
      case ir::Op::PersonRegistered: {
        Val ref = arg(0);
        llvm::Value* registered = b_.CreateICmpSGE(ref.v, i64(0));
        return Val{ref.valid ? b_.CreateAnd(ref.valid, registered) : registered, nullptr};
      }
      case ir::Op::NullUnless: {
        Val c = arg(0), v = arg(1);
        return Val{v.v, both(truth(c), v.valid)};
      }
      case ir::Op::ToDecimal: {
        Val a = arg(0);
        return Val{satMul(a.v, i64(1'000'000)), a.valid};
      }
      case ir::Op::Negate: {
        Val a = arg(0);
        return Val{negate(a.v), a.valid};
      }
      case ir::Op::Not: {
        Val a = arg(0);
        return Val{b_.CreateNot(a.v), a.valid};
      }
      case ir::Op::Abs: {
        Val a = arg(0);
        return Val{b_.CreateSelect(b_.CreateICmpSLT(a.v, i64(0)), negate(a.v), a.v), a.valid};
      }
      case ir::Op::Add:
      case ir::Op::Sub: {
        Val a = arg(0), c = arg(1);
        bool add = n.op == ir::Op::Add;
        llvm::Value* v;
        // A date moved by an int: saturate the 64-bit sum, then clamp to the date range.
        if (n.type == ir::Type::Date)
          v = clampDays(intrinsic(add ? llvm::Intrinsic::sadd_sat : llvm::Intrinsic::ssub_sat, a.v, c.v));
        else if (p_.node(n.args[0]).type == ir::Type::Date) v = b_.CreateSub(a.v, c.v);  // days between
        else v = intrinsic(add ? llvm::Intrinsic::sadd_sat : llvm::Intrinsic::ssub_sat, a.v, c.v);
        return Val{v, both(a.valid, c.valid)};
      }
      case ir::Op::Mul: {
        Val a = arg(0), c = arg(1);
        llvm::Value* v = n.type == ir::Type::Decimal ? call("tk_dec_mul", b_.getInt64Ty(), {a.v, c.v}) : satMul(a.v, c.v);
        return Val{v, both(a.valid, c.valid)};
      }
      case ir::Op::Div: {
        Val a = arg(0), c = arg(1);
        llvm::Value* zero = b_.CreateICmpEQ(c.v, i64(0));
        llvm::Value* divisor = b_.CreateSelect(zero, i64(1), c.v);
        return Val{call("tk_dec_div", b_.getInt64Ty(), {a.v, divisor}), both(both(a.valid, c.valid), b_.CreateNot(zero))};
      }
      case ir::Op::Eq: case ir::Op::Ne: case ir::Op::Lt: case ir::Op::Le: case ir::Op::Gt: case ir::Op::Ge: {
        ir::Type t = p_.node(n.args[0]).type;
        Val a = arg(0), c = arg(1);
        llvm::Value* x = a.v;
        llvm::Value* y = c.v;
        if (t == ir::Type::String && n.op != ir::Op::Eq && n.op != ir::Op::Ne) {
          auto [ai, at] = textOperand(n.args[0], decl);
          auto [ci, ct] = textOperand(n.args[1], decl);
          x = call("tk_str_cmp", b_.getInt64Ty(), {slotData(binding_.pool_slot), ai, at, ci, ct});
          y = i64(0);
        }
        llvm::Value* v = nullptr;
        switch (n.op) {
          case ir::Op::Eq: v = b_.CreateICmpEQ(x, y); break;
          case ir::Op::Ne: v = b_.CreateICmpNE(x, y); break;
          case ir::Op::Lt: v = b_.CreateICmpSLT(x, y); break;
          case ir::Op::Le: v = b_.CreateICmpSLE(x, y); break;
          case ir::Op::Gt: v = b_.CreateICmpSGT(x, y); break;
          default: v = b_.CreateICmpSGE(x, y); break;
        }
        return Val{v, both(a.valid, c.valid)};
      }
      case ir::Op::MinOf:
      case ir::Op::MaxOf: {
        Val a = arg(0), c = arg(1);
        llvm::Value* pick_a = n.op == ir::Op::MinOf ? b_.CreateICmpSLE(a.v, c.v) : b_.CreateICmpSGE(a.v, c.v);
        return Val{b_.CreateSelect(pick_a, a.v, c.v), both(a.valid, c.valid)};
      }
      case ir::Op::And:
      case ir::Op::Or: {
        // Three-valued, over any number of operands: one false operand makes `and` false
        // and one true operand makes `or` true, missing or not the others; else the result
        // is missing if an operand is.
        bool is_and = n.op == ir::Op::And;
        std::vector<llvm::Value*> decides, present;  // per operand: it decides; it is present
        for (size_t k = 0; k < n.args.size(); ++k) {
          Val a = arg(k);
          llvm::Value* d = is_and ? b_.CreateNot(a.v) : a.v;
          decides.push_back(a.valid ? b_.CreateAnd(a.valid, d) : d);
          if (a.valid) present.push_back(a.valid);
        }
        // Reduced as balanced trees: LLVM's analyses flatten chains of `or` and grow
        // quadratically on a long one.
        llvm::Value* decided = reduce(decides, false);
        llvm::Value* v = is_and ? b_.CreateNot(decided) : decided;
        if (present.empty()) return Val{v, nullptr};
        return Val{v, b_.CreateOr(decided, reduce(present, true))};
      }
      case ir::Op::Coalesce: {
        Val a = arg(0), c = arg(1);
        if (!a.valid) return a;
        return Val{b_.CreateSelect(a.valid, a.v, c.v), c.valid ? b_.CreateOr(a.valid, c.valid) : nullptr};
      }
      case ir::Op::IsMissing:
      case ir::Op::IsPresent: {
        Val a = arg(0);
        llvm::Value* present = a.valid ? a.valid : b_.getTrue();
        return Val{n.op == ir::Op::IsMissing ? b_.CreateNot(present) : present, nullptr};
      }
      case ir::Op::If: {
        Val c = arg(0), a = arg(1), e = arg(2);
        llvm::Value* take = truth(c);
        llvm::Value* valid = nullptr;
        if (a.valid || e.valid)
          valid = b_.CreateSelect(take, a.valid ? a.valid : b_.getTrue(), e.valid ? e.valid : b_.getTrue());
        return Val{b_.CreateSelect(take, a.v, e.v), valid};
      }
      case ir::Op::InValues: {
        ir::Type t = p_.node(n.args[0]).type;
        Val x = arg(0);
        llvm::Value* found = b_.getFalse();
        for (size_t k = 1; k < n.args.size(); ++k) {
          const ir::Node& c = p_.node(n.args[k]);
          llvm::Value* probe = x.v->getType()->isIntegerTy(1) ? b_.CreateZExt(x.v, b_.getInt64Ty()) : x.v;
          int param_index;
          if (t == ir::Type::Hs) {
            probe = b_.CreateSDiv(x.v, i64(codes::hsDivisor(c.digits ? c.digits : 10)));
            param_index = binding_.prefix_of.at(id) + static_cast<int>(k) - 1;
          } else {
            param_index = binding_.param_of.at(n.args[k]);
          }
          found = b_.CreateOr(found, b_.CreateICmpEQ(probe, param(param_index)));
        }
        return Val{found, x.valid};
      }
      case ir::Op::InData:
      case ir::Op::InTableKeys:
      case ir::Op::Lookup: {
        int s = binding_.slot_of.at(id);
        llvm::Value* found;
        Val x;
        if (auto direct = binding_.direct_of.find(id); direct != binding_.direct_of.end()) {
          // Two loads: the row by key (or code prefix), then the value by row.
          x = arg(0);
          llvm::Value* key = x.v->getType()->isIntegerTy(1) ? b_.CreateZExt(x.v, b_.getInt64Ty()) : x.v;
          if (direct->second > 0) key = b_.CreateSDiv(key, i64(codes::hsDivisor(direct->second)));
          llvm::Value* in_range = b_.CreateICmpULT(key, i64(DataLookup::directSize(direct->second)));
          llvm::Value* at = b_.CreateSelect(in_range, key, i64(0));
          llvm::Value* row = b_.CreateSExt(
              b_.CreateLoad(b_.getInt32Ty(), b_.CreateInBoundsGEP(b_.getInt32Ty(), slotData(s), at)), b_.getInt64Ty());
          found = b_.CreateSelect(in_range, row, i64(-1));
          llvm::Value* hit = b_.CreateICmpSGE(found, i64(0));
          if (n.op != ir::Op::Lookup) return Val{hit, x.valid};
          llvm::Value* v = b_.CreateLoad(
              b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt64Ty(), slotValid(s), b_.CreateSelect(hit, found, i64(0))));
          if (n.type == ir::Type::Bool) v = b_.CreateICmpNE(v, i64(0));
          return Val{v, both(x.valid, hit)};
        }
        if (n.args.size() == 2) {
          // A table with two keys (both numbers, codes, dates or enum members).
          x = arg(0);
          Val y = arg(1);
          auto widen = [&](llvm::Value* v) {
            return v->getType()->isIntegerTy(1) ? b_.CreateZExt(v, b_.getInt64Ty()) : v;
          };
          found = call("tk_find_pair", b_.getInt64Ty(), {slotData(s), widen(x.v), widen(y.v)});
          llvm::Value* hit = b_.CreateICmpSGE(found, i64(0));
          llvm::Value* v = call("tk_value_int", b_.getInt64Ty(), {slotData(s), b_.CreateSelect(hit, found, i64(0))});
          if (n.type == ir::Type::Bool) v = b_.CreateICmpNE(v, i64(0));
          return Val{v, both(both(x.valid, y.valid), hit)};
        }
        if (p_.node(n.args[0]).type == ir::Type::String) {
          auto [xi, xt] = textOperand(n.args[0], decl);
          x = emit(n.args[0], decl);
          found = call("tk_find_str", b_.getInt64Ty(), {slotData(s), slotData(binding_.pool_slot), xi, xt});
        } else {
          x = arg(0);
          found = call("tk_find_int", b_.getInt64Ty(), {slotData(s), x.v});
        }
        llvm::Value* hit = b_.CreateICmpSGE(found, i64(0));
        if (n.op != ir::Op::Lookup) return Val{hit, x.valid};
        llvm::Value* v = call("tk_value_int", b_.getInt64Ty(), {slotData(s), b_.CreateSelect(hit, found, i64(0))});
        if (n.type == ir::Type::Bool) v = b_.CreateICmpNE(v, i64(0));
        return Val{v, both(x.valid, hit)};
      }
      case ir::Op::HsPrefix: {
        Val a = arg(0);
        llvm::Value* d = i64(codes::hsDivisor(static_cast<int>(n.value)));
        return Val{b_.CreateMul(b_.CreateSDiv(a.v, d), d), a.valid};
      }
      case ir::Op::DatePart: {
        Val a = arg(0);
        return Val{call("tk_date_part", b_.getInt64Ty(), {a.v, i64(n.value)}), a.valid};
      }
      case ir::Op::Len: {
        Val a = arg(0);
        auto [ai, at] = textOperand(n.args[0], decl);
        return Val{call("tk_str_len", b_.getInt64Ty(), {slotData(binding_.pool_slot), ai, at}), a.valid};
      }
      case ir::Op::StartsWith:
      case ir::Op::EndsWith:
      case ir::Op::Contains: {
        Val a = arg(0), c = arg(1);
        auto [ai, at] = textOperand(n.args[0], decl);
        auto [ci, ct] = textOperand(n.args[1], decl);
        int64_t op = n.op == ir::Op::StartsWith ? 0 : n.op == ir::Op::EndsWith ? 1 : 2;
        llvm::Value* r = nullptr;
        if (auto memo = binding_.memo_of.find(id); memo != binding_.memo_of.end())
          r = call("tk_str_test_memo", b_.getInt64Ty(), {slotData(memo->second), i64(op), slotData(binding_.pool_slot), ai, ct});
        else
          r = call("tk_str_test", b_.getInt64Ty(), {i64(op), slotData(binding_.pool_slot), ai, at, ci, ct});
        return Val{b_.CreateICmpNE(r, i64(0)), both(a.valid, c.valid)};
      }
      default:
        break;
    }
    // bind() marks everything else unsupported, so this is never reached.
    return Val{i64(0), b_.getFalse()};
  }

  llvm::Module& module_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  const ir::Program& p_;
  const KernelSpec& spec_;
  const Binding& binding_;
  llvm::Function* fn_ = nullptr;
  std::vector<llvm::Value*> slot_ptrs_;
  std::vector<llvm::Value*> params_;
  llvm::Value* item_decl_ = nullptr;
  llvm::Value* text_offsets_ = nullptr;  // the pool's, when texts are prefetched
  llvm::Value* text_bytes_ = nullptr;
  llvm::Value* row_ = nullptr;
  llvm::Value* decl_row_ = nullptr;
  std::map<std::pair<ir::NodeId, bool>, Val> memo_;
};

Error toError(llvm::Error e) {
  std::string text;
  llvm::handleAllErrors(std::move(e), [&](const llvm::ErrorInfoBase& info) { text = info.message(); });
  return Error{"LLVM: " + text};
}

}  // namespace

// ---- the compiler ---------------------------------------------------------------------

struct KernelCompiler::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<llvm::TargetMachine> target;
  OptLevel level = OptLevel::O2;
  size_t max_kernel_size = kMaxNativeKernelSize;
  std::unordered_map<std::string, void*> cache;  // shape -> function
  size_t next_function = 0;
  std::optional<KernelObjectStore> store;        // the disk cache, when there is one
  std::string key_suffix;                        // what besides the IR decides the object

  void optimize(llvm::Module& module) const;
  Expected<std::string> emitObject(llvm::Module& module) const;
  // Through the disk cache: each new shape in its own module, loaded when stored before,
  // else compiled and stored.
  Expected<bool> compileCached(const std::vector<std::pair<size_t, std::string>>& new_shapes, const Plan& plan,
                               const ir::Program& program, const std::vector<Binding>& bindings,
                               CompileStats& stats);
};

void KernelCompiler::Impl::optimize(llvm::Module& module) const {
  if (level == OptLevel::O0) return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(target.get());
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  auto mpm = pb.buildPerModuleDefaultPipeline(level == OptLevel::O1 ? llvm::OptimizationLevel::O1
                                                                    : llvm::OptimizationLevel::O2);
  mpm.run(module, mam);
}

Expected<std::string> KernelCompiler::Impl::emitObject(llvm::Module& module) const {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager passes;
  if (target->addPassesToEmitFile(passes, os, nullptr, llvm::CGFT_ObjectFile))
    return Error{"LLVM cannot emit object code for this machine"};
  passes.run(module);
  return std::string(buffer.data(), buffer.size());
}

Expected<bool> KernelCompiler::Impl::compileCached(const std::vector<std::pair<size_t, std::string>>& new_shapes,
                                                   const Plan& plan, const ir::Program& program,
                                                   const std::vector<Binding>& bindings, CompileStats& stats) {
  for (const auto& [k, shape] : new_shapes) {
    llvm::LLVMContext llvm_context;
    auto module = std::make_unique<llvm::Module>("kernel", llvm_context);
    module->setDataLayout(target->createDataLayout());
    module->setTargetTriple(target->getTargetTriple().str());
    std::string name = fmt::format("tk_kernels_{}", next_function++);
    // The IR is the key (with the LLVM version, CPU and level): any change in what the
    // code generator writes is a new key, never a stale object.
    std::string ir_name = "tk_kernel";
    Codegen(*module, program, plan.kernels[k], bindings[k]).generate(ir_name);
    std::string key;
    llvm::raw_string_ostream key_stream(key);
    module->print(key_stream, nullptr);
    key_stream.flush();
    key += key_suffix;

    std::optional<std::string> object = store->load(key);
    if (object) {
      ++stats.loaded;
    } else {
      std::string broken;
      llvm::raw_string_ostream os(broken);
      if (llvm::verifyModule(*module, &os)) return Error{"generated code is invalid: " + os.str()};
      optimize(*module);
      auto emitted = emitObject(*module);
      if (!emitted) return emitted.error();
      object = emitted.take();
      ++stats.compiled;
      if (auto stored = store->store(key, *object); !stored && stats.cache_problem.empty())
        stats.cache_problem = stored.error().message;
    }
    // Each object in a JITDylib of its own (linked to the helpers), so that every
    // object's function may have the same name.
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(*object, name);
    auto& dylib = jit->getExecutionSession().createBareJITDylib(name);
    dylib.addToLinkOrder(jit->getMainJITDylib());
    if (auto err = jit->addObjectFile(dylib, std::move(buffer))) return toError(std::move(err));
    auto address = jit->lookup(dylib, ir_name);
    if (!address) return toError(address.takeError());
    cache[shape] = address->toPtr<void*>();
  }
  return true;
}

KernelCompiler::KernelCompiler() : impl_(std::make_unique<Impl>()) {}
KernelCompiler::~KernelCompiler() = default;

void KernelCompiler::setMaxKernelSize(size_t size) { impl_->max_kernel_size = size; }

Expected<std::unique_ptr<KernelCompiler>> KernelCompiler::create(OptLevel level, const std::string& cache_directory) {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  std::unique_ptr<KernelCompiler> compiler(new KernelCompiler());
  Impl& impl = *compiler->impl_;
  impl.level = level;
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) return toError(builder.takeError());
  builder->setCodeGenOptLevel(level == OptLevel::O0 ? llvm::CodeGenOpt::None
                              : level == OptLevel::O1 ? llvm::CodeGenOpt::Less
                                                      : llvm::CodeGenOpt::Default);
  auto target = builder->createTargetMachine();
  if (!target) return toError(target.takeError());
  impl.target = std::move(*target);
  if (!cache_directory.empty()) {
    impl.store.emplace(cache_directory);
    impl.key_suffix = fmt::format("\nllvm {}\ncpu {}\nfeatures {}\nlevel {}\n", LLVM_VERSION_STRING,
                                  impl.target->getTargetCPU().str(), impl.target->getTargetFeatureString().str(),
                                  static_cast<int>(level));
  }
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*builder).create();
  if (!jit) return toError(jit.takeError());
  impl.jit = std::move(*jit);

  // The helpers the generated code calls, by address: nothing is looked up by name in
  // the process.
  auto& session = impl.jit->getExecutionSession();
  llvm::orc::MangleAndInterner mangle(session, impl.jit->getDataLayout());
  llvm::orc::SymbolMap symbols;
  auto add = [&](const char* name, auto* fn) {
    symbols[mangle(name)] = llvm::JITEvaluatedSymbol::fromPointer(fn, llvm::JITSymbolFlags::Exported |
                                                                          llvm::JITSymbolFlags::Callable);
  };
  add("tk_dec_mul", &tk_dec_mul);
  add("tk_dec_div", &tk_dec_div);
  add("tk_int_mul", &tk_int_mul);
  add("tk_date_part", &tk_date_part);
  add("tk_find_int", &tk_find_int);
  add("tk_find_pair", &tk_find_pair);
  add("tk_find_str", &tk_find_str);
  add("tk_value_int", &tk_value_int);
  add("tk_str_len", &tk_str_len);
  add("tk_str_cmp", &tk_str_cmp);
  add("tk_str_test", &tk_str_test);
  add("tk_str_test_memo", &tk_str_test_memo);
  add("tk_pool_offsets", &tk_pool_offsets);
  add("tk_pool_bytes", &tk_pool_bytes);
  // The optimiser turns some loops into calls of these.
  add("memset", &memset);
  add("memcpy", &memcpy);
  add("memmove", &memmove);
  if (auto err = impl.jit->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return toError(std::move(err));
  return compiler;
}

Expected<std::vector<std::unique_ptr<Kernel>>> KernelCompiler::compile(const Plan& plan, const EngineContext& context,
                                                                       CompileStats& stats) {
  auto start = std::chrono::steady_clock::now();
  Impl& impl = *impl_;
  stats = CompileStats{};
  stats.kernels = plan.kernels.size();

  std::vector<Binding> bindings;
  for (const auto& spec : plan.kernels) bindings.push_back(bind(spec, *context.program, plan, impl.max_kernel_size));

  // The shapes not compiled yet, each with the first kernel of its shape.
  std::vector<std::pair<size_t, std::string>> new_shapes;
  std::set<std::string> shapes, fresh;
  for (size_t k = 0; k < plan.kernels.size(); ++k) {
    const Binding& b = bindings[k];
    if (!b.supported) {
      if (stats.first_unsupported.empty()) stats.first_unsupported = b.unsupported_reason;
      continue;
    }
    shapes.insert(b.shape);
    if (impl.cache.count(b.shape) || !fresh.insert(b.shape).second) continue;
    new_shapes.emplace_back(k, b.shape);
  }
  stats.shapes = shapes.size();

  if (!new_shapes.empty() && impl.store) {
    if (auto done = impl.compileCached(new_shapes, plan, *context.program, bindings, stats); !done)
      return done.error();
  } else if (!new_shapes.empty()) {
    // In memory only: the new shapes go into one module, one optimisation and code
    // generation pass for all.
    auto llvm_context = std::make_unique<llvm::LLVMContext>();
    auto module = std::make_unique<llvm::Module>("kernels", *llvm_context);
    module->setDataLayout(impl.target->createDataLayout());
    module->setTargetTriple(impl.target->getTargetTriple().str());
    std::vector<std::string> names;
    for (const auto& [k, shape] : new_shapes) {
      names.push_back(fmt::format("tk_kernel_{}", impl.next_function++));
      Codegen(*module, *context.program, plan.kernels[k], bindings[k]).generate(names.back());
    }
    std::string broken;
    llvm::raw_string_ostream os(broken);
    if (llvm::verifyModule(*module, &os)) return Error{"generated code is invalid: " + os.str()};
    impl.optimize(*module);
    if (auto err = impl.jit->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(llvm_context))))
      return toError(std::move(err));
    for (size_t i = 0; i < new_shapes.size(); ++i) {
      auto address = impl.jit->lookup(names[i]);
      if (!address) return toError(address.takeError());
      impl.cache[new_shapes[i].second] = address->toPtr<void*>();
    }
    stats.compiled = new_shapes.size();
  }

  std::vector<std::unique_ptr<Kernel>> kernels;
  for (size_t k = 0; k < plan.kernels.size(); ++k) {
    Binding& b = bindings[k];
    if (!b.supported) {
      kernels.push_back(nullptr);
      continue;
    }
    void* fn = impl.cache.at(b.shape);
    kernels.push_back(std::make_unique<NativeKernel>(std::move(b), fn, context));
    ++stats.native;
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return kernels;
}

}  // namespace tauekel::runtime::jit
