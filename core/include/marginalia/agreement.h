// Inter-coder agreement (DESIGN.md "Agreement"): reliability data (units x coders, missing values
// allowed), the coefficients over it with bootstrap intervals, the units a project's codings give
// (utterance, sentence, character, segments matched by overlap), the unitized alpha family over the
// character continuum, and the disagreements a team adjudicates. Implemented in
// core/src/agreement/. Pure functions of their arguments: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/commands.h"
#include "marginalia/model.h"
#include "marginalia/progress.h"
#include "marginalia/tables.h"

namespace marginalia {

// --- Reliability data and coefficients --------------------------------------------------------

inline constexpr int kMissing = -1;

struct ReliabilityUnit {
  std::string label;        // shown in lists: "d1_client_lena 120-340", a unit id from a CSV
  std::vector<int> values;  // one per coder: an index into ReliabilityData::categories or kMissing
  int64_t weight = 1;       // this many identical units (a run of characters)
};

struct ReliabilityData {
  std::vector<std::string> coders;
  std::vector<std::string> categories;  // every value a unit can take, observed or not
  std::vector<ReliabilityUnit> units;
};

// A figure, or why there is none ("every rating is the same value", "needs two coders").
struct Coefficient {
  std::optional<double> value;
  std::string undefined;            // the reason when `value` is empty
  std::optional<double> low, high;  // bootstrap 95% percentile interval
  int64_t resamples_defined = 0;    // resamples in which the coefficient was defined
};

struct Coefficients {
  int64_t units = 0;   // pairable units: values from two or more coders (weights summed)
  int64_t values = 0;  // the values in them
  std::vector<double> prevalence;  // each category's share of those values
  Coefficient percent;  // pairwise agreement: agreeing pairs over pairs, averaged over units
  Coefficient cohen;    // Cohen's kappa: two coders, units both coded
  Coefficient scott;    // Scott's pi: two coders, units both coded, pooled marginals
  Coefficient fleiss;   // Fleiss' kappa: units every coder coded
  Coefficient alpha;    // Krippendorff's alpha, nominal: every pairable unit
  Coefficient brennan_prediger;  // (Po - 1/q) / (1 - 1/q), q = number of categories
  Coefficient gwet_ac1;          // Gwet's AC1 (multi-rater form with missing values)
};

// Every coefficient over the data. Never NaN: an undefined figure carries its reason.
Coefficients compute_coefficients(const ReliabilityData& data);

struct BootstrapOptions {
  int64_t resamples = 0;  // 0: no intervals
  uint64_t seed = 1;
};

// Fills the intervals of `c` (computed from `data`) by resampling units with replacement (a unit of
// weight w counts as w units), `resamples` times, from a std::mt19937_64 seeded with `seed`: the
// same seed gives the same intervals. Percentile intervals (2.5% and 97.5%, linear interpolation)
// over the resamples in which the coefficient is defined. Progress per resample; throws Cancelled.
void bootstrap(const ReliabilityData& data, Coefficients& c, const BootstrapOptions& options,
               ProgressSink* progress = nullptr);

// Reliability data from a long-format CSV (`unit,coder,value`, a header row, RFC 4180 quoting; an
// empty value is missing). Units, coders and categories in order of first appearance. Throws
// BadInput naming `file_name` and the line for a short row, a missing header, or a coder giving
// one unit two different values.
ReliabilityData read_reliability_csv(std::string_view bytes, std::string_view file_name);

// --- A project's units ------------------------------------------------------------------------

enum class AgreementUnit { Utterance, Sentence, Character, Segment, Unitized };
// "utterance", "sentence", "character", "segment", "unitized"; nullopt for other names.
std::optional<AgreementUnit> parse_agreement_unit(std::string_view name);
// One line for the table notes: what a unit is and how the values are read.
std::string describe_unit(AgreementUnit unit, double overlap);

inline constexpr const char* kConsensusCoder = "consensus";

struct AgreementOptions {
  std::vector<std::string> coders;  // guids; empty: every coder with a coding or a done mark
                                    // except the one named "consensus"
  std::vector<std::string> codes;   // guids; empty: every codable code with a coding
  AgreementUnit unit = AgreementUnit::Utterance;
  double overlap = 0.9;  // segments: |A∩B| / |A∪B| at or above this match
};

// Where a unit lies, for disagreement lists and the consensus step.
struct UnitSpan {
  std::string source;  // guid
  int64_t start = 0;   // code points, [start, end)
  int64_t end = 0;
};

struct CodeReliability {
  std::string code;             // guid
  ReliabilityData data;         // categories {"not coded", "coded"}
  std::vector<UnitSpan> spans;  // one per data unit
};

struct ProjectReliability {
  AgreementUnit unit = AgreementUnit::Utterance;
  double overlap = 0.9;
  std::vector<std::string> coders;  // guids, in the order of ReliabilityData::coders
  std::vector<CodeReliability> codes;
};

// The coders and codes the options name, after the defaults; BadInput for fewer than two coders or
// an unknown guid.
std::vector<std::string> agreement_coders(const Project& project, const AgreementOptions& options);
std::vector<std::string> agreement_codes(const Project& project, const AgreementOptions& options);

// True when the coder has a coding in the source or marked it done: their units there count;
// otherwise they are missing.
bool has_coded(const Project& project, const std::string& coder, const std::string& source);

// Per code, each unit with each coder's value: 1 when the coder applied the code in the unit (a
// coding overlapping it by at least one character; for segments, a segment in the matched set), 0
// when they coded the source but not there, missing when they did not code the source. Character
// units come as runs of equal values (weights). Not for AgreementUnit::Unitized.
ProjectReliability project_reliability(const Project& project, const AgreementOptions& options);

// All unit x code items of every code in one table.
ReliabilityData pooled(const ProjectReliability& reliability);

// --- Unitized alpha family (Krippendorff, Mathet, Bouvry & Widlöcher 2016) ---------------------

inline constexpr int kGap = -1;

// A stretch of one coder's continuum: [start, end) valued `value` (a category index, or kGap).
struct Stretch {
  int64_t start = 0;
  int64_t end = 0;
  int value = kGap;
};

// One continuum (a source) as each coder divided it; a coder who did not code it is left out.
// Stretches given are taken as they are (each its own stretch, even beside one of equal value).
struct Continuum {
  int64_t length = 0;
  std::vector<std::vector<Stretch>> coders;  // each covers [0, length) with gaps explicit
};

struct UnitizedAlphas {
  Coefficient binary;  // alpha-binary: codes collapsed to coded versus gap
  Coefficient cu;      // cu-alpha: the codes, over positions every coder coded
  Coefficient Cu;      // Cu-alpha: the codes with the gap a value of its own
  int64_t length = 0;  // characters in the continua with two or more coders
};

// alpha = 1 - sum_{c!=k} l_ck / sum_{c!=k} e_ck over `continua` (see the README for the reading).
Coefficient unitized_alpha(const std::vector<Continuum>& continua);
UnitizedAlphas unitized_alphas(const std::vector<Continuum>& continua);

// The continua of a project: one per source, one stretch per maximal run of one coder's coding of
// one code (codings of a code that touch or overlap merge), gaps between; a position a coder coded
// with two codes lies in a stretch of each. Values are indices into `codes` (the guids).
std::vector<Continuum> project_continua(const Project& project,
                                        const std::vector<std::string>& coders,
                                        const std::vector<std::string>& codes);

// --- Tables ------------------------------------------------------------------------------------

struct AgreementRow {
  std::string label;  // a code's path, or "All codes (pooled)"
  Coefficients coefficients;
};

// One row per code and coefficient set; `long_layout` gives one row per (code, coefficient) with
// value, interval and the reason for an undefined one (tidy CSV and JSON). Undefined figures read
// "undefined (reason)". The notes name the unit, the coders and the bootstrap.
Table agreement_table(const std::vector<AgreementRow>& rows, const std::string& unit_name,
                      const std::string& unit_note, const std::vector<std::string>& coder_names,
                      const BootstrapOptions& bootstrap, bool long_layout);

// The one row of reliability data read from a CSV (`agree --data`); prevalence lists every
// category's share.
Table reliability_data_table(const ReliabilityData& data, const Coefficients& c,
                             const BootstrapOptions& bootstrap, bool long_layout);

struct UnitizedRow {
  std::string label;
  UnitizedAlphas alphas;
};
Table unitized_table(const std::vector<UnitizedRow>& rows,
                     const std::vector<std::string>& coder_names, bool long_layout);

// --- Disagreements ----------------------------------------------------------------------------

struct Disagreement {
  std::string code;  // guid
  UnitSpan span;
  std::string speaker;      // of the first turn the unit overlaps
  std::string text;         // the unit's text
  std::vector<int> values;  // per coder of ProjectReliability::coders: 1, 0 or kMissing
};

enum class DisagreementOrder { Source, Code, Speaker };

// The units where the coders with values differ, in the order asked for (then source, position).
std::vector<Disagreement> disagreements(const Project& project,
                                        const ProjectReliability& reliability,
                                        DisagreementOrder order = DisagreementOrder::Source);

Table disagreement_table(const Project& project, const ProjectReliability& reliability,
                         const std::vector<Disagreement>& list);

// --- Consensus ---------------------------------------------------------------------------------

struct ConsensusChoice {
  std::string code;  // guid
  UnitSpan span;     // the unit adjudicated
  enum class Accept { Coder, All, None } accept = Accept::Coder;
  std::string coder;  // guid, for Accept::Coder
};

// One undoable command: the consensus coder (added when new) gets, in each chosen unit, copies of
// the accepted coder's codings of the code that overlap the unit (All: every listed coder's, a span
// coded twice kept once; None: nothing), after its own earlier codings of the code there are
// removed; the sources touched are marked done for it, so a unit left empty counts as "not coded".
Command consensus_command(const Project& project, const std::vector<std::string>& coders,
                          const std::vector<ConsensusChoice>& choices,
                          const std::string& consensus_coder_name = kConsensusCoder);

// --- Merge ------------------------------------------------------------------------------------

struct MergeSummary {
  int64_t sources_matched = 0, sources_added = 0;
  int64_t codes_matched = 0, codes_added = 0;
  int64_t coders_matched = 0, coders_added = 0;
  int64_t codings_added = 0, codings_present = 0, done_added = 0;
  std::vector<std::string> left_out;  // one line each: what was not merged and why
};

struct MergePlan {
  Command command;  // a Batch; empty when `into` already has everything
  MergeSummary summary;
};

// Brings `other`'s sources, codes, coders, codings and done marks into `into`: sources matched by
// GUID, else by identical text; codes by GUID, else by path ("Parent/Child"), else by name when
// unique; coders by GUID, else by name. Codings already there (same source, span, code, coder)
// are not added again, so merging twice changes nothing. Cases and memos are left out (listed).
MergePlan plan_merge(const Project& into, const Project& other);

}  // namespace marginalia
