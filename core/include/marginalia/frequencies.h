// Code frequencies, the code x source matrix and the code co-occurrence matrix (DESIGN.md
// "Analysis"), as plain data and as Tables (tables.h) whose notes state every unit. Pure functions
// of the project: any thread that holds a consistent Project. Offsets and characters are code
// points.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"
#include "marginalia/tables.h"

namespace marginalia {

// Which codings a row counts: the code's own, or its subtree rolled up (the code and every code
// below it). Subtree rows appear only for codes with children; folders have no own row.
enum class CodeScope { Own, Subtree };
std::string_view scope_name(CodeScope scope);  // "own", "subtree"

// One row of a per-code table: the code, its scope and the codes whose codings it counts.
struct CodeRowSpec {
  std::string code;  // guid
  std::string path;  // "Parent/Child"
  CodeScope scope = CodeScope::Own;
  std::vector<std::string> members;  // the code itself, or its whole subtree
};
// In codebook order: an own row for each codable code (or one that has codings), then a subtree
// row for each code with children. `codes` (guids) limits the codes; empty: every code. Safe on a
// parent cycle in a damaged codebook.
std::vector<CodeRowSpec> code_rows(const Project& project,
                                   const std::vector<std::string>& codes = {});

// Words are runs of letters, digits and in-word apostrophes and hyphens ("don't", "self-doubt"),
// as [start, end) code points of `utf8`. What "coded words" counts.
std::vector<std::pair<int64_t, int64_t>> word_spans(std::string_view utf8);

struct RoleShare {
  Role role = Role::Unknown;
  int64_t carrying = 0;    // utterances of this role that a counted coding overlaps
  int64_t utterances = 0;  // all utterances of this role in the group's sources
  bool operator==(const RoleShare&) const = default;
};

struct CodeFrequency {
  std::string code;  // guid
  std::string path;  // "Parent/Child"
  CodeScope scope = CodeScope::Own;
  std::string group;  // the breakdown's group (coder name, role, source name, value); "" overall
  int64_t codings = 0;
  int64_t sources = 0;
  int64_t cases = 0;             // cases of the group linked to a source holding a counted coding
  int64_t cases_in_group = 0;    // all cases of the group: the denominator of "% cases"
  int64_t characters = 0;        // code points in the union of the counted codings' spans
  int64_t words = 0;             // words with a character in that union
  std::vector<RoleShare> roles;  // FrequencyReport::roles, or the group's role when by role
  bool operator==(const CodeFrequency&) const = default;
};

enum class Breakdown { None, Coder, Role, Source, CaseAttribute };

struct FrequencyOptions {
  // "" (none), "coder", "role", "source", a case attribute "NAME", or "case.NAME" for an
  // attribute whose name collides with a built-in field (role, speaker, source, code, coder).
  std::string by;
  std::vector<std::string> codes;  // guids whose rows are reported; empty: every code
};

struct FrequencyReport {
  Breakdown breakdown = Breakdown::None;
  std::string by;  // as given; for an attribute its exact name ("outcome"), or "case.NAME"
  std::vector<std::string> groups;  // in order: coders, roles, sources or attribute values
  std::vector<Role> roles;          // roles that have utterances, in Role order
  std::vector<CodeFrequency> rows;  // codebook order; per code own then subtree; groups inside
};

// Throws BadInput for an unknown breakdown or attribute (listing the case attributes there are).
// A coding with an unknown code counts nowhere.
FrequencyReport code_frequencies(const Project& project, const FrequencyOptions& options = {});
// Columns: code, scope, [group], codings, sources, cases, % cases, characters, words, then per role
// "% ROLE utt." (by role: "utterances", "% utterances"); notes define each.
Table frequency_table(const FrequencyReport& report);

// Wide: one column per source (a matrix, for reading and papers); long: one row per observation
// (tidy, for R and pandas).
enum class TableLayout { Wide, Long };

struct CodeSourceMatrix {
  std::vector<std::string> sources;       // guids, project order
  std::vector<std::string> source_names;  // parallel
  struct Row {
    std::string code, path;
    CodeScope scope = CodeScope::Own;
    std::vector<int64_t> codings;  // per source
    int64_t total = 0;
  };
  std::vector<Row> rows;
};

// Codings per code (own and subtree rows, as in frequencies) and source.
CodeSourceMatrix code_source_matrix(const Project& project,
                                    const std::vector<std::string>& codes = {});
Table code_source_table(const CodeSourceMatrix& matrix, TableLayout layout);

// Passage: one source's stretch of text covered by overlapping codings of the two codes (codings
// sharing a code point join one passage); utterance: a speaker turn, which carries a code when a
// coding of it overlaps the turn.
enum class CooccurrenceUnit { Passage, Utterance };

struct CooccurrenceOptions {
  CooccurrenceUnit unit = CooccurrenceUnit::Passage;
  bool across_coders = false;      // false: units are per coder, codings meet only the same coder's
  std::vector<std::string> codes;  // guids; empty: every code with codings
};

struct CooccurrencePair {
  size_t a = 0, b = 0;       // indices into CooccurrenceMatrix::codes, a < b
  int64_t both = 0;          // units with both codes: |A ∩ B|
  int64_t either = 0;        // units with either code: |A ∪ B|
  int64_t with_a = 0;        // units with code a (for passages these depend on the pair)
  int64_t with_b = 0;        //
  int64_t coding_pairs = 0;  // pairs of overlapping codings (a's code, b's code), same rule
  double jaccard = 0;        // both / either; 0 when either is 0
};

struct CooccurrenceMatrix {
  CooccurrenceUnit unit = CooccurrenceUnit::Passage;
  bool across_coders = false;
  std::vector<std::string> codes, paths;  // guids and "Parent/Child" paths, codebook order
  std::vector<int64_t> units_with;        // per code: units that carry it (the diagonal)
  std::vector<CooccurrencePair> pairs;    // every a < b
};

// Counts each code's own codings (not its subtree).
CooccurrenceMatrix code_cooccurrence(const Project& project,
                                     const CooccurrenceOptions& options = {});
// Wide: codes numbered, counts above the diagonal, Jaccard below, units with the code on it.
// Long: one row per pair with both, either, each code's units, coding pairs and Jaccard.
Table cooccurrence_table(const CooccurrenceMatrix& matrix, TableLayout layout);

}  // namespace marginalia
