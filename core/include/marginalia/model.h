// The project model of DESIGN.md: plain data, no behaviour beyond look-ups. Offsets are Unicode
// code points into Source::text, end exclusive. Owned and mutated only through commands
// (commands.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marginalia {

enum class Role { Unknown, Interviewer, Therapist, Client, Participant, Other };

// "interviewer", "therapist", "client", "participant", "other", "unknown".
std::string_view role_name(Role role);
// Accepts the names above in any case; nullopt otherwise.
std::optional<Role> parse_role(std::string_view name);

struct Utterance {
  std::string speaker;  // the label as written, e.g. "Lena", "INTERVIEWER", "" when unlabelled
  Role role = Role::Unknown;
  int64_t start = 0;  // code points: the words after the label, [start, end)
  int64_t end = 0;
  std::optional<int64_t> timestamp_ms;
  bool operator==(const Utterance&) const = default;
};

struct Source {
  std::string guid;  // lowercase, no braces
  std::string name;  // shown to people; the file name without extension for imports
  std::string text;  // UTF-8, LF, no BOM; NFC for imported transcripts
  std::vector<Utterance> utterances;
  std::map<std::string, std::string> attributes;
  std::string origin_file;    // file name it was imported from
  std::string origin_format;  // e.g. "text/plain; speaker turns [hh:mm:ss] Name:"
  std::string encoding;       // encoding it was decoded from, e.g. "UTF-8", "windows-1252"
  std::string created;        // ISO 8601 UTC
  bool operator==(const Source&) const = default;
};

struct Code {
  std::string guid;
  std::string name;
  std::string color;        // "#RRGGBB" or empty
  std::string description;  // plain text; parts under "Definition:", "Use when:", ... headings
  std::string parent;       // guid of the parent code, empty at the top
  bool codable = true;      // false: a folder
  bool operator==(const Code&) const = default;
};

struct Coder {
  std::string guid;
  std::string name;
  bool operator==(const Coder&) const = default;
};

struct Coding {
  std::string guid;
  std::string source;  // guid
  int64_t start = 0;   // code points, [start, end)
  int64_t end = 0;
  std::string code;     // guid
  std::string coder;    // guid
  std::string created;  // ISO 8601 UTC
  std::string memo;
  bool operator==(const Coding&) const = default;
};

enum class MemoTarget { Project, Source, Code, Coding };

// "project", "source", "code", "coding": as memos and the journal name their targets.
std::string_view memo_target_name(MemoTarget kind);

struct Memo {
  std::string guid;
  MemoTarget target_kind = MemoTarget::Project;
  std::string target;  // guid of the source, code or coding; empty for the project
  std::string text;
  std::string created;
  bool operator==(const Memo&) const = default;
};

// A coder's statement that they have finished coding a source: agreement then counts the units
// where they applied no code as "not coded" rather than missing, even with no coding in it.
struct DoneMark {
  std::string coder;   // guid
  std::string source;  // guid
  bool operator==(const DoneMark&) const = default;
  auto operator<=>(const DoneMark&) const = default;
};

// A participant: attributes such as role, dyad, outcome, linked to the sources of their interviews.
struct Case {
  std::string guid;
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<std::string> sources;  // guids
  bool operator==(const Case&) const = default;
};

// A REFI Set: a named group of codes and sources (ATLAS.ti's code and document groups, MAXQDA's
// sets). Members that no longer exist are left out when the project is written.
struct CodeSet {
  std::string guid;
  std::string name;
  std::string description;
  std::vector<std::string> codes;    // guids
  std::vector<std::string> sources;  // guids
  bool operator==(const CodeSet&) const = default;
};

struct Project {
  std::string guid;
  std::string name;
  std::string language = "en";  // ISO 639-1, chooses the stemmer
  std::string created;
  std::vector<Coder> coders;
  std::vector<Code> codes;  // parents before children, in codebook order
  std::vector<Source> sources;
  std::vector<Coding> codings;  // in the order they were made
  std::vector<Case> cases;
  std::vector<Memo> memos;
  std::vector<DoneMark> done;  // in the order they were marked
  std::vector<CodeSet> sets;
  std::map<std::string, std::string> settings;
  bool operator==(const Project&) const = default;

  // Look-ups by guid (exact, lowercase); nullptr when absent. Pointers die with the next edit.
  const Source* source(std::string_view guid) const;
  const Code* code(std::string_view guid) const;
  const Coder* coder(std::string_view guid) const;
  const Coding* coding(std::string_view guid) const;
  const Coder* coder_named(std::string_view name) const;
  // "Parent/Child" path of a code by its names.
  std::string code_path(const Code& code) const;
};

// A new random (v4) GUID, lowercase.
std::string new_guid();
// Lowercase, braces removed: the form GUIDs are compared and stored in.
std::string normalize_guid(std::string_view guid);
// Now, as ISO 8601 UTC with seconds ("2026-11-30T01:02:03Z").
std::string now_iso8601();

}  // namespace marginalia
