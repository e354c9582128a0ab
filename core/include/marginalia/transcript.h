// Speaker turns in the layouts transcription services and researchers use, and the import of a
// plain-text transcript file into a Source.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

// Speaker label -> role. Labels compare case-insensitively and ignoring surrounding spaces.
class RoleMap {
 public:
  // Interviewer, I, Q, Int -> interviewer; Therapist, T, Th -> therapist; Client, C, Cl -> client;
  // Participant, P, R, Respondent -> participant.
  static RoleMap defaults();
  void set(std::string_view label, Role role);
  Role role_of(std::string_view label) const;  // Role::Unknown when unmapped

 private:
  std::map<std::string, Role> roles_;
};

struct Turns {
  std::vector<Utterance> utterances;
  // "Name: text", "[hh:mm:ss] Name: text" ("[mm:ss] ..." when the first timestamp has no hours),
  // "Name [hh:mm:ss]: text", "(mm:ss) Name: text", "Otter (Name  hh:mm:ss)" or "paragraphs".
  std::string layout;
  bool has_timestamps = false;
};

// Splits LF text into utterances. Labels and timestamps stay in the text; an utterance covers the
// words after its label (offsets in code points). Text without labels: one utterance per paragraph
// with an empty speaker. Text before the first turn (a title) belongs to no utterance. How a bare
// "Name:" line is told from prose is described in core/src/import/speaker_turns.cpp.
Turns parse_turns(std::string_view text, const RoleMap& roles);

// Transcript formats with a structure of their own (core/src/interop/transcript_formats.cpp).
// Each becomes LF text in the layout parse_turns reads: "[hh:mm:ss(.mmm)] Name: words" (or "Name:
// words"), one turn a paragraph, so labels and times stay visible and parse_turns finds turns and
// roles.
struct FormattedTranscript {
  std::string text;
  std::string format;  // "WebVTT", "SRT subtitles", "Word .docx", ...
};
// WebVTT: cue start times become timestamps; <v Name> or a leading "Name:" gives the speaker;
// consecutive cues of one speaker (or cues without one) join into one turn. Tags are dropped.
FormattedTranscript parse_vtt(std::string_view utf8);
FormattedTranscript parse_srt(std::string_view utf8);  // the same, for SRT subtitles
// Zoom's saved transcript ("[Name] hh:mm:ss" above the words) and its chat ("hh:mm:ss From Name
// to Everyone: words").
FormattedTranscript parse_zoom_text(std::string_view utf8);
bool looks_like_zoom_text(std::string_view utf8);
// Markdown: headings, emphasis, quotes, links and code marks removed; "**Lena:** words" reads
// as a turn.
FormattedTranscript parse_markdown(std::string_view utf8);
// Word and OpenDocument text: paragraphs, a speaker label in a leading bold run or "Name:", and
// tables of time / speaker / text rows. Throw BadInput naming `name` for a damaged file.
FormattedTranscript parse_docx(std::string_view bytes, const std::filesystem::path& name);
FormattedTranscript parse_odt(std::string_view bytes, const std::filesystem::path& name);

struct TranscriptImport {
  Source source;  // guid, name, text, utterances, origin, encoding filled
  Turns turns;
  std::string report;  // encoding, turns per speaker with roles, timestamps or not
};

// Reads one transcript file, choosing the reader by content and extension: .docx, .odt (zips),
// WebVTT, SRT, Zoom text, Markdown, else plain text (decode_text: any encoding; Otter's layout
// and the others parse_turns knows). Throws BadInput naming the file.
TranscriptImport import_transcript(const std::filesystem::path& file, const RoleMap& roles,
                                   std::optional<std::string> encoding = std::nullopt);

}  // namespace marginalia
