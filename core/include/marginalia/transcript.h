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

struct TranscriptImport {
  Source source;  // guid, name, text, utterances, origin, encoding filled
  Turns turns;
  std::string report;  // encoding, turns per speaker with roles, timestamps or not
};

// Reads, decodes (see decode_text) and parses one transcript file. Throws BadInput naming the file.
TranscriptImport import_transcript(const std::filesystem::path& file, const RoleMap& roles,
                                   std::optional<std::string> encoding = std::nullopt);

}  // namespace marginalia
