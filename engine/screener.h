#pragma once
// A profile set made ready to screen: built once from a checked program, its reference
// data, the person register and the options (stage, as-of date, drafts, engine), then
// asked for decisions batch after batch. What `tauekel run`, the server, the tests and
// the benchmarks all screen through.
//
// Immutable once built, and safe to call from many threads at once: what one screening
// writes (the engine's per-batch scratch, the kernels' arguments) lives in a Context,
// which the caller passes or the screener lends from its pool.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/frontend.h"
#include "compiler/ir/ir.h"
#include "engine/decision_json.h"
#include "governance/approvals.h"
#include "tauekel/decision.h"
#include "runtime/data/person_register.h"
#include "runtime/data/reference_data.h"
#include "runtime/exec/engine.h"
#include "runtime/exec/kernel.h"
#include "runtime/exec/plan.h"
#include "runtime/jit/kernel_compiler.h"
#include "support/expected.h"

namespace tauekel::engine {

// Jit: the vectorised engine with native kernels. TreeWalk: the same engine with every
// kernel on the tree walker. Interp: the reference interpreter, row by row.
enum class EngineKind { Jit, TreeWalk, Interp };

// Production screening: a profile is in force only when its approval verifies under a
// trusted key and is not revoked (governance/approvals.h), whatever its `state` says.
struct ProductionOptions {
  governance::TrustedKeys trusted;
  std::string approvals_folder;  // where the approvals files are (governance::approvalsFolder)
};

// A profile production screening would have run but refused, and why.
struct RefusedProfile {
  std::string id;
  std::string reason;
};

struct ScreenerOptions {
  std::optional<int32_t> as_of;  // else each declaration's own date
  sema::Stage stage = sema::Stage::BeforeRelease;
  bool include_drafts = false;
  EngineKind engine = EngineKind::Jit;
  runtime::PlanOptions plan;
  // Native code is compiled by this compiler, which caches it by kernel shape: screeners
  // that share one (a server reloading its profiles) compile each shape once. Null: the
  // screener makes its own, keeping compiled kernels in `kernel_cache` ("" : in memory).
  std::shared_ptr<runtime::jit::KernelCompiler> compiler;
  std::string kernel_cache;
  std::shared_ptr<const ProductionOptions> production;  // null: not production
  // Set by Screener::create under production: the profiles whose approval verified.
  std::optional<std::set<std::string>> approved;
};

// How a screener with these options lowers its program: the profiles in force.
ir::LowerOptions lowerOptions(const ScreenerOptions& options);

// Whether checked profiles can screen: one repository, with declaration and item
// schemas. `name` is what messages call the profile set (a path, say).
Expected<bool> checkScreenable(const Compilation& compilation, std::string_view name = "the profile set");

// A decision as the screener makes it, before any of it is text: positions in the
// profile set, the measure catalogue and the batch's selections. decide() turns it into a
// Decision; a writer that needs no values (the plain JSON lines of `run`) writes it out
// directly. Valid until its context screens again.
struct DecisionDraft {
  struct Entry {
    uint32_t profile = 0;                       // index into Screener::lowered().profiles
    uint32_t items_begin = 0, items_end = 0;    // range in `items`: batch item rows, ascending
    uint32_t rules_begin = 0, rules_end = 0;    // range in `rules`: the measures that apply
    RiskLevel level = RiskLevel::Low;           // the profile's, or its band's that held
  };
  std::string_view key;                     // the declaration's
  uint32_t first_item = 0;                  // batch row of its first goods item (numbered 1)
  bool selected = false;
  RiskLevel level = RiskLevel::Low;         // when selected
  Corridor corridor = Corridor::Green;
  std::vector<Entry> entries;               // in the profile set's order
  std::vector<uint32_t> rules;              // measure numbers (Screener::measure), per entry in its order
  std::vector<uint32_t> measures;           // every applying measure once, strongest first
  const uint32_t* items = nullptr;
  const int64_t* score_terms = nullptr;     // every score term's points (Selections::score_terms)
};

class Screener {
 public:
  // `compilation` must be free of errors. `persons` is the register loaded against its
  // program, or none (every person unregistered). Fails when the program cannot
  // screen (no schemas, several repositories) or native code cannot be made.
  static Expected<std::shared_ptr<const Screener>> create(std::shared_ptr<const Compilation> compilation,
                                                          std::optional<runtime::PersonRegister> persons,
                                                          const ScreenerOptions& options = {});
  ~Screener();
  Screener(const Screener&) = delete;
  Screener& operator=(const Screener&) = delete;

  // One thread's scratch for screening: reused from batch to batch, it allocates
  // nothing once it has seen the largest batch. Must not outlive its screener.
  class Context {
   public:
    ~Context();

   private:
    friend class Screener;
    Context() = default;
    std::unique_ptr<runtime::Engine> engine;
    runtime::Selections selections;
    // Profile entries a decision no longer needs, kept with their storage for the next.
    std::vector<ProfileSelection> spare;
    // Per profile (random selections only): declarations in scope, and those chosen.
    std::vector<std::pair<uint64_t, uint64_t>> random;
    Decision current;  // the streamed decision
    DecisionDraft draft;
    std::vector<uint64_t> seeds, hashes;  // one declaration's samples
  };
  std::unique_ptr<Context> newContext() const;

  // The decisions for the batch's declarations, in its order. `out` is resized to the
  // batch and its elements overwritten, so their storage is reused.
  void screen(const runtime::Batch& batch, std::vector<Decision>& out, Context& context) const;
  // The same, one decision at a time: `each` is called per declaration in order with one
  // Decision object refilled each time (for writers that serialise as they go, so the
  // values stay in cache).
  void screen(const runtime::Batch& batch, Context& context, const std::function<void(const Decision&)>& each) const;
  // The same as drafts, for writers that make text of them without values.
  void screenDrafts(const runtime::Batch& batch, Context& context,
                    const std::function<void(const DecisionDraft&)>& each) const;
  // The same with a context from the screener's pool.
  void screen(const runtime::Batch& batch, std::vector<Decision>& out) const;
  std::vector<Decision> screen(const runtime::Batch& batch) const;

  // The two halves of screen(): what the engine selected, and the decisions made of it
  // (for tests that compare engines selection by selection).
  void select(const runtime::Batch& batch, runtime::Selections& out, Context& context) const;
  void decide(const runtime::Batch& batch, const runtime::Selections& selections, std::vector<Decision>& out) const;
  void decide(const runtime::Batch& batch, const runtime::Selections& selections, std::vector<Decision>& out,
              Context& context) const;

  const Compilation& compilation() const { return *compilation_; }
  const sema::Program& program() const { return *compilation_->program; }
  const ir::Program& lowered() const { return ir_; }
  const runtime::Plan& plan() const { return plan_; }
  const ScreenerOptions& options() const { return options_; }
  // Moves what random selections did in `context` since the last call into `counts`.
  void takeRandomCounts(Context& context, DecisionCounts& counts) const;
  // After release with a window: whether declaration row `row` is dated outside it (and so
  // not selected by any profile), for the counts.
  bool outsideWindow(const runtime::Batch& batch, uint32_t row) const;
  // What a profile's entries in decisions share, made once: by index into
  // lowered().profiles.
  struct ProfileInfo {
    std::string id, area;
    RiskLevel level;
    std::vector<uint64_t> seeds;          // per measure rule: its sample's hash seed
    std::vector<uint32_t> rule_measures;  // per measure rule: its measure's number
    std::optional<int64_t> random_share;  // a random selection: the share it selects
    uint64_t random_seed = 0;
  };
  const std::vector<ProfileInfo>& profileInfo() const { return profiles_; }
  // The scores the profiles declare, with the text of each term: a draft's score_terms
  // follow this order.
  struct ScoreInfo {
    std::string name;
    std::vector<std::string> terms;
  };
  const std::vector<ScoreInfo>& scoreInfo() const { return scores_; }
  // A draft's scores as values, each term's points summed (the storage of `out` reused).
  void fillScores(const DecisionDraft& draft, std::vector<RiskScore>& out) const;
  // The measures profiles apply, numbered strongest first (ties by code): a draft's
  // measure numbers index this, and their order is the order decisions list them in.
  const std::vector<const sema::Measure*>& measureCatalogue() const { return measures_; }
  const runtime::ReferenceData& referenceData() const { return data_; }
  // The declaration and item fields deciding reads (the profiles' columns, the key, the
  // date): a loader may keep only these (LoadOptions::fields_read) and decide alike.
  runtime::FieldsRead fieldsRead() const;
  // The register's index, for loaders that mark unregistered persons; null without one.
  const runtime::PersonIndex* personIndex() const { return persons_ ? &persons_->index : nullptr; }
  const runtime::PersonRegister* persons() const { return persons_ ? &*persons_ : nullptr; }
  // Names what decides: a hash of the profiles' sources, the reference data, the person
  // register and the options. Two screeners with one version decide alike.
  const std::string& version() const { return version_; }
  // How the engine was prepared (kernels, native ones, compile time), for summaries.
  const std::string& engineNote() const { return engine_note_; }
  const runtime::jit::CompileStats& compileStats() const { return compile_stats_; }
  // Production: the profiles refused for want of a valid approval (those drafts or
  // revoked in their text are not counted: they would not run anyway), and every
  // approvals file read.
  const std::vector<RefusedProfile>& refused() const { return refused_; }
  const std::vector<std::string>& approvalFiles() const { return approval_files_; }

 private:
  Screener(std::shared_ptr<const Compilation> compilation, std::optional<runtime::PersonRegister> persons,
           const ScreenerOptions& options);
  Expected<bool> prepare();
  std::unique_ptr<Context> acquire() const;
  // Fills `draft` for declaration row `d`, whose hits start at `hit` (moved past them).
  void draftOne(const runtime::Batch& batch, const runtime::Selections& selections, uint32_t d, size_t& hit,
                DecisionDraft& draft, Context& context) const;
  // The draft's values, into `decision` (whose storage is reused).
  void fill(const DecisionDraft& draft, Decision& decision, Context& context) const;
  void release(std::unique_ptr<Context> context) const;

  std::shared_ptr<const Compilation> compilation_;
  ScreenerOptions options_;
  ir::Program ir_;
  runtime::ReferenceData data_;
  std::optional<runtime::PersonRegister> persons_;
  runtime::EngineContext context_;
  runtime::Plan plan_;
  std::shared_ptr<runtime::jit::KernelCompiler> compiler_;  // owns the native code
  std::vector<std::unique_ptr<runtime::Kernel>> prototypes_;  // cloned per context, never run
  std::vector<ProfileInfo> profiles_;
  std::vector<const sema::Measure*> measures_;  // numbered as measureCatalogue() says
  // What deciding reads of each profile and measure rule, packed side by side: a
  // decision touches many profiles, and these stay in cache where the profiles'
  // own structures would not.
  struct RuleFacts {
    uint64_t seed = 0;        // its sample's hash seed
    int64_t sample = -1;      // millionths; -1: no sample
    uint32_t measure = 0;     // number in measures_
    uint8_t corridor = 0;
    bool conditional = false;
  };
  struct ProfileFacts {
    uint64_t random_seed = 0;
    int64_t random_share = -1;  // -1: not a random selection
    uint32_t first_rule = 0, rules = 0;  // in rule_facts_
    uint32_t first_band = 0, bands = 0;  // in band_levels_: level bands, after the rules' flags
    uint8_t level = 0;
  };
  std::vector<uint8_t> band_levels_;
  std::vector<ScoreInfo> scores_;
  std::vector<ProfileFacts> facts_;
  std::vector<RuleFacts> rule_facts_;
  size_t key_field_ = 0;
  std::string version_;
  std::string engine_note_;
  runtime::jit::CompileStats compile_stats_;
  std::vector<RefusedProfile> refused_;
  std::vector<std::string> approval_files_;

  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Context>> pool_;
};

}  // namespace tauekel::engine
