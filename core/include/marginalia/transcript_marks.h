// What the transcript view draws over a source's text, computed from the codings as plain data
// (STYLE.md habit 4): highlight runs that never overlap, and coding stripes placed in columns. The
// app maps runs to Scintilla indicators and stripes to paint calls; both are tested without a
// window.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "marginalia/model.h"
#include "marginalia/text.h"

namespace marginalia {

// Which codings are shown, and how stripes are grouped into columns.
struct MarkOptions {
  std::vector<std::string> coders;  // coder guids whose codings show; empty: every coder's
  bool column_per_coder = false;    // compare mode: one column per (code, coder), not per code
};

// A stretch of text with one set of codes on it. UTF-8 bytes into Source::text, [begin, end).
// Runs are in text order, never overlap, and cover only coded text; adjacent runs differ in
// `codes`.
struct HighlightRun {
  int64_t begin = 0;
  int64_t end = 0;
  std::vector<std::string> codes;  // code guids, in codebook order, each once
  bool operator==(const HighlightRun&) const = default;
};

// One column of the stripe gutter: a code, or in compare mode a code as one coder applied it.
struct StripeColumn {
  std::string code;   // guid
  std::string coder;  // guid when column_per_coder, else empty
  bool operator==(const StripeColumn&) const = default;
};

// One coding drawn in its column. UTF-8 bytes, [begin, end).
struct CodingStripe {
  int64_t begin = 0;
  int64_t end = 0;
  std::string coding;  // guid
  size_t column = 0;   // index into TranscriptMarks::columns
  bool operator==(const CodingStripe&) const = default;
};

struct TranscriptMarks {
  std::vector<HighlightRun> runs;
  std::vector<StripeColumn> columns;  // codes in codebook order; per code, coders in project order
  std::vector<CodingStripe> stripes;  // by begin, then column
};

// The marks of `source` (whose offset map is `offsets`) under `options`. Codings of unknown codes
// or outside the text are skipped. O(n log n) in the source's codings.
TranscriptMarks transcript_marks(const Project& project, const Source& source,
                                 const OffsetMap& offsets, const MarkOptions& options = {});

// The codings of `source` shown under `options` that cover code point `at` ([start, end)), in
// project order: what a hover names.
std::vector<const Coding*> codings_at(const Project& project, const Source& source, int64_t at,
                                      const MarkOptions& options = {});

}  // namespace marginalia
