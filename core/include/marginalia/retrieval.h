// Retrieving coded passages: all passages of a code, or of a combination of codes (A and B
// overlapping, A but not B), optionally only in turns of one role, one coder's codings or one
// source; each passage with its context (the turns it lies in) and a link back. Plain data out, and
// the renderings a results section needs: a Table (CSV, Markdown, ...), a self-contained HTML page
// and quotes for the clipboard. Pure functions of the project: any thread that holds one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"
#include "marginalia/tables.h"

namespace marginalia {

enum class Combination {
  Only,            // A's passages
  Overlapping,     // the text coded with both A and B: A's passages intersected with B's
  NotOverlapping,  // A's passages that no coding of B touches
};
// "only", "and", "not"; nullopt otherwise.
std::optional<Combination> parse_combination(std::string_view name);

struct RetrievalSpec {
  std::string code = {};   // guid of A
  std::string other = {};  // guid of B, for Overlapping and NotOverlapping
  Combination combination = Combination::Only;
  bool subcodes = false;                   // A and B include the codes below them
  std::optional<Role> role = {};           // only text in turns of this role (cut at turns)
  std::optional<std::string> coder = {};   // guid: only this coder's codings, of A and of B
  std::optional<std::string> source = {};  // guid: only this source
};

// A passage: a stretch of one source's text. A's passages are the union of A's codings in a source
// (codings sharing a code point join one passage, whoever coded them).
struct RetrievedPassage {
  std::string source;       // guid
  std::string source_name;  //
  int64_t start = 0;        // code points, [start, end)
  int64_t end = 0;
  std::string text;
  std::vector<std::string> speakers;    // labels of the turns it overlaps, in text order
  std::vector<Role> roles;              // parallel to speakers
  std::optional<int64_t> timestamp_ms;  // of the first turn it overlaps
  std::vector<std::string> coders;      // names of the coders whose codings of A make it up
  int64_t context_start = 0;            // the turns it overlaps, from the first's start
  int64_t context_end = 0;              // to the last's end (the passage itself if none)
  std::string context;                  // the text of [context_start, context_end)
};

// In project source order, then by start. Throws BadInput for an unknown code, coder, source, for
// a combination without B, or with B equal to A.
std::vector<RetrievedPassage> retrieve(const Project& project, const RetrievalSpec& spec);

// What was retrieved, in words: "Early anxiety AND Withdrawal rupture, in client turns, coder ana".
std::string describe_retrieval(const Project& project, const RetrievalSpec& spec);

// Columns: source, speaker, role, time, start, end, passage, coders; the title describes the spec.
Table retrieval_table(const Project& project, const RetrievalSpec& spec,
                      const std::vector<RetrievedPassage>& passages);

// A self-contained HTML page (inline CSS, no scripts): the description, then every passage as a
// quote with speaker, role, source, timestamp and a marginalia:// link back (report.h
// passage_link), its turn's context around it. All text HTML-escaped.
std::string render_retrieval_html(const Project& project, const RetrievalSpec& spec,
                                  const std::vector<RetrievedPassage>& passages,
                                  std::string_view project_location);

// Plain text for the clipboard: one quote per paragraph,
//   "passage text" (Lena, client; d1_client_lena 02:13)
std::string retrieval_quotes(const std::vector<RetrievedPassage>& passages);

}  // namespace marginalia
