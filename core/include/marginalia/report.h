// The coded-passages report and the codebook table: what a results section quotes from.
//
// The report is one self-contained HTML page (inline CSS, no scripts, no external resources):
// codes in codebook tree order, each with its definition and exemplar quotes, then every passage
// coded with it, with speaker, role, source, timestamp, coders and a marginalia:// link back to the
// position. The codebook table is the "Table 1" of a qualitative paper, built as a Table
// (tables.h) so it renders to Markdown, LaTeX or HTML. Pure functions of their arguments: any
// thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/coding_operations.h"  // split_description: the four parts of a description
#include "marginalia/model.h"
#include "marginalia/tables.h"

namespace marginalia {

struct ReportOptions {
  // Code guids to report; empty: the whole codebook. A folder brings the codes below it.
  std::vector<std::string> codes;
  // A coder guid: only that coder's codings. Exemplar agreement still looks at every coder.
  std::optional<std::string> coder;
  // Named in the links back ("marginalia://open?project=..."), e.g. the project folder's absolute
  // path; empty: the project's name.
  std::string project_location;
  size_t exemplars = 3;  // at most this many exemplar quotes per code
};

// One passage: codings of one code over one span of one source, by one or more coders.
struct Passage {
  std::string source;  // guid
  int64_t start = 0;   // code points, [start, end)
  int64_t end = 0;
  std::string text;
  std::vector<std::string> speakers;    // labels of the turns it overlaps, in text order
  std::vector<std::string> roles;       // role names of those turns, parallel to speakers
  std::optional<int64_t> timestamp_ms;  // of the first turn it overlaps
  std::vector<std::string> coders;      // names of the coders who coded exactly this span
  // Two or more coders coded this code over spans whose overlap with this one is at least half of
  // their union (segment overlap >= 0.5, DESIGN.md), whether or not they are all reported.
  bool agreed = false;
};

struct CodePassages {
  std::string code;               // guid
  int depth = 0;                  // 0 for a top-level code
  std::vector<Passage> passages;  // in source order (the project's), then by start, end
  // Indices into passages: up to ReportOptions::exemplars agreed passages in text order, topped up
  // with unagreed ones in text order when there are fewer agreed ones.
  std::vector<size_t> exemplars;
};

// The reported codes in tree order (parents before children, siblings in codebook order) with their
// passages; folders are listed too. Throws BadInput for an unknown code or coder guid.
std::vector<CodePassages> collect_passages(const Project& project, const ReportOptions& options);

// The whole report as an HTML5 document (UTF-8); every text is HTML-escaped.
std::string render_report_html(const Project& project, const ReportOptions& options = {});

// "marginalia://open?project=...&source=GUID&start=N&end=N", the project percent-encoded.
std::string passage_link(std::string_view project_location, std::string_view source, int64_t start,
                         int64_t end);

// The report's inline stylesheet, for other pages that quote passages the same way (retrieval.h).
std::string_view report_stylesheet();

// "1:02:03" or "02:03" (minutes and seconds under an hour).
std::string format_timestamp(int64_t ms);

struct CodebookTableOptions {
  std::optional<std::string> coder;  // coder guid: count only their codings
};

// Columns: Code (its Parent/Child path), Definition, Use when, Do not use when, Example,
// Frequency (codings with the code; for a folder, with any code below it). One row per code in
// tree order; the notes say what the frequency counts.
Table codebook_table(const Project& project, const CodebookTableOptions& options = {});

// render_table (tables.h), except that in LaTeX the five text columns are paragraph columns
// (p{...\linewidth}) so that definitions wrap instead of running off the page.
std::string render_codebook_table(const Table& table, std::string_view format);

}  // namespace marginalia
