// What an utterance becomes in the index: its terms, values and data (the schema), and the word
// splitting that finds matched words again in the text. Private to core/src/index/.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"
#include "marginalia/text.h"

namespace marginalia::index {

// Bump when what a document holds changes: an index with another version is rebuilt.
inline constexpr std::string_view kSchemaVersion = "1";
inline constexpr const char* kMetaSchema = "marginalia.schema";
inline constexpr const char* kMetaRevision = "marginalia.revision";
inline constexpr const char* kMetaProject = "marginalia.project";
inline constexpr const char* kMetaFingerprint = "marginalia.fp.";  // + source guid

// Value slots.
inline constexpr Xapian::valueno kSlotStart = 0;      // sortable_serialise(code point)
inline constexpr Xapian::valueno kSlotEnd = 1;        // sortable_serialise(code point)
inline constexpr Xapian::valueno kSlotTimestamp = 2;  // sortable_serialise(ms), absent without one
inline constexpr Xapian::valueno kSlotSource = 3;     // source guid (counted per source)
inline constexpr Xapian::valueno kSlotCodes = 4;      // code guids present, sorted, space-separated
inline constexpr Xapian::valueno kSlotUtterance = 5;  // sortable_serialise(utterance index)

// A boolean term: prefix + value, cut to Xapian's term length limit at a UTF-8 boundary.
std::string boolean_term(std::string_view prefix, std::string_view value);
std::string unique_term(std::string_view source_guid, size_t utterance);
std::string attribute_term(std::string_view name, std::string_view value);  // "XA<name>:<value>"
std::string speaker_term(std::string_view speaker);                         // "P<folded label>"

// Xapian's stemmer for an ISO 639-1 code ("en", "de-AT"); "none" when Xapian has none.
Xapian::Stem stemmer_for(std::string_view language);

// Latin letters lose their diacritics ("café" -> "cafe", "Straße" -> "Strasse") and combining
// marks go: the index and queries both pass through this, so accents neither matter nor hurt.
std::string fold_accents(std::string_view utf8);

// A word as Xapian's TermGenerator (1.4, FLAG_CJK_NGRAM) splits text: [begin, end) in bytes of the
// text given, its term (accents folded, lowercased), and whether it is one CJK character.
struct Word {
  size_t begin = 0;
  size_t end = 0;
  std::string term;
  bool cjk = false;
};
std::vector<Word> split_words(std::string_view utf8);

// What the index needs of a source besides its text: its codings and the cases linked to it.
struct SourceContext {
  const Source* source = nullptr;
  std::vector<const Coding*> codings;
  std::vector<const Case*> cases;
};
std::vector<SourceContext> source_contexts(const Project& project);
// `codings` are the source's codings, which the caller keeps (a scan of the project's costs what
// the project holds).
SourceContext source_context(const Project& project, const Source& source,
                             const std::vector<Coding>& codings);

// The full document of utterance `n`. `generator` carries the stemmer and flags (make_generator);
// `offsets` maps the source's text, built once per source rather than once per utterance.
Xapian::TermGenerator make_generator(const Xapian::Stem& stem);
Xapian::Document utterance_document(Xapian::TermGenerator& generator, const SourceContext& source,
                                    const OffsetMap& offsets, size_t n);
// Replaces the code (K) and coder (U) terms and the codes value of `doc` with the current ones.
// `fresh`: a document being built, with no such terms to look for yet.
void set_coding_terms(Xapian::Document& doc, const SourceContext& source, size_t n,
                      bool fresh = false);

// A digest of everything the documents of a source are made of: when it changes, they are redone.
std::string source_fingerprint(const SourceContext& source, std::string_view language);

}  // namespace marginalia::index
