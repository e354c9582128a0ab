// Working from search hits: auto-coding every hit, a keyword-in-context concordance, and a word
// frequency list over what people said. Implemented in core/src/coding/autocode.cpp,
// core/src/analysis/concordance.cpp and core/src/analysis/word_frequencies.cpp. Plain data out;
// the CLI and the GUI format it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"
#include "marginalia/search.h"
#include "marginalia/tables.h"
#include "marginalia/text.h"

namespace marginalia {

class ProjectStore;

// The matches of one hit with neighbours joined: two matched words separated only by spaces, tabs
// or hyphens (a phrase, "first session", "self-blame") become one span; anything else between
// them (a newline, punctuation, another word) keeps them apart. Sorted; overlaps joined too.
// `offsets` is the OffsetMap of `text` (the source's text).
std::vector<Span> merged_matches(std::string_view text, const OffsetMap& offsets,
                                 std::vector<Span> matches);

// ---- Auto-coding -------------------------------------------------------------------------------

enum class AutocodeScope {
  Match,      // the matched words (phrases merged, see merged_matches)
  Sentence,   // the sentence or sentences (ICU) holding each match, inside the utterance
  Utterance,  // the whole turn of each hit
};

// "match", "sentence", "utterance"; nullopt otherwise.
std::optional<AutocodeScope> parse_autocode_scope(std::string_view name);

// The codings that coding `hits` in `scope` would make: one per distinct span (two matches in one
// sentence give one sentence coding), in hit order, with `code` and `coder` set and no guid.
// Sentences use the project's language. Throws BadInput when a hit names a source or utterance
// the project lacks.
std::vector<Coding> codings_for_hits(const Project& project, const std::vector<SearchHit>& hits,
                                     const std::string& code_guid, const std::string& coder_guid,
                                     AutocodeScope scope);

struct AutocodeResult {
  size_t hits = 0;     // matching utterances
  size_t spans = 0;    // distinct spans to code
  size_t added = 0;    // new codings
  size_t already = 0;  // spans that already had this coding (same code and coder)
};

// Searches `query` (all hits) and codes every hit as one command, so one undo removes the whole
// auto-coding; codings already present are not added again. Throws QueryError for a malformed
// query, BadInput for an unknown or folder code or an unknown coder (guids; the coder must exist).
AutocodeResult autocode(ProjectStore& store, const SearchIndex& index, std::string_view query,
                        const std::string& code_guid, const std::string& coder_guid,
                        AutocodeScope scope);

// ---- Keyword in context ------------------------------------------------------------------------

struct ConcordanceLine {
  std::string source;       // guid
  std::string source_name;  // as shown to people
  size_t utterance = 0;     // index into Source::utterances
  std::string speaker;
  Role role = Role::Unknown;
  std::optional<int64_t> timestamp_ms;
  Span match;         // code points in the source
  std::string left;   // up to `width` characters before the match, inside the utterance
  std::string text;   // the matched text
  std::string right;  // up to `width` characters after the match, inside the utterance
};

// One line per match of each hit (phrases merged), in the hits' order. The context stops at the
// utterance's edges: what another speaker said is never shown as this speaker's context. Texts are
// as stored (line breaks included); the caller decides how to show them.
std::vector<ConcordanceLine> concordance(const Project& project, const std::vector<SearchHit>& hits,
                                         size_t width = 40);

// Columns, in reading order: left, match, right, source, speaker, role, start, end. Line breaks in
// the context become spaces (a concordance reads line by line). `query` goes into the title.
Table concordance_table(const std::vector<ConcordanceLine>& lines, std::string_view query);

// ---- Word frequencies --------------------------------------------------------------------------

struct WordFilter {
  std::optional<Role> role;           // only turns with this role
  std::optional<std::string> code;    // guid: only text inside this code's codings (any coder)
  std::optional<std::string> source;  // guid: only this source
};

struct WordCount {
  std::string word;  // case-folded
  size_t count = 0;
  double per_thousand = 0;  // count per 1,000 counted words (stopwords included in the base)
};

struct WordFrequencies {
  size_t total_words = 0;        // every word counted, stopwords included (numbers never are words)
  size_t distinct = 0;           // distinct words left after stopwords
  std::vector<WordCount> words;  // most frequent first, ties alphabetical; at most `top`
};

// Counts the words (ICU word boundaries, case-folded; numbers and punctuation are no words) of
// utterance spans only, so speaker labels and timestamps are never counted; transcriber notes in
// square brackets ("[laughs]", "[pause]") are skipped too. In an English project (language "en"),
// stopwords and fillers ("um", "uh") are left out of the list but stay in total_words. A word cut
// by the edge of a coding is not counted for a code filter. `top` 0: all words. Throws BadInput for
// an unknown code or source.
WordFrequencies word_frequencies(const Project& project, const WordFilter& filter, size_t top = 0);

// Columns: word, count, per_1000 (two decimals); the notes state the base and what was left out.
Table word_frequency_table(const WordFrequencies& frequencies);

// The stopword list compiled into the core, case-folded, sorted.
const std::vector<std::string>& english_stopwords();

}  // namespace marginalia
