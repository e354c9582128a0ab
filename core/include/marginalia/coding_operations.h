// The operations a researcher performs on codes, codings and memos, each built as one Command for
// ProjectStore::execute: journaled, and undone in one step that restores the exact previous
// project. They read the project and change nothing. Codes, sources and codings are named by guid
// (naming.h resolves what people type). Each throws BadInput with a message a researcher can act
// on: an unknown code, a move under the code's own subcode, a merge of a code into itself, an empty
// name, a malformed colour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/commands.h"
#include "marginalia/model.h"

namespace marginalia {

// A command that creates something, with the guid of what it creates.
struct Created {
  Command command;
  std::string guid;
};

// --- Descriptions: the four parts under "Definition:", "Use when:", "Do not use when:",
// "Example:" (DESIGN.md), one part per paragraph.

struct CodeDescription {
  std::string definition;
  std::string use_when;
  std::string not_when;
  std::string example;
  std::string other;  // text before the first heading (a description written elsewhere), kept
  bool operator==(const CodeDescription&) const = default;
};

// Headings are recognised at the start of a line, in any case; a part runs to the next heading.
// Parts are trimmed of white space around them.
CodeDescription split_description(std::string_view description);
// `other`, then each non-empty part as "Heading: text", separated by blank lines.
std::string join_description(const CodeDescription& description);

// --- Codes

// The first colour of the default palette (Okabe-Ito, then ColorBrewer Set2) that no code has yet.
std::string next_code_colour(const Project& project);

// A new code (or a folder, codable = false) under `code.parent` ("" for the top level). An empty
// colour takes next_code_colour(); the guid is made when empty. Refuses a name that a sibling has.
Created new_code(const Project& project, Code code);

Command rename_code(const Project& project, const std::string& code, const std::string& name);
// `colour`: #RRGGBB (or #RGB), or "" for none.
Command recolour_code(const Project& project, const std::string& code, const std::string& colour);
// Replaces the whole description with `description` joined.
Command describe_code(const Project& project, const std::string& code,
                      const CodeDescription& description);

// Moves the code with its subtree under `parent` ("" for the top level) at `position` among its
// new siblings (0 is first; nullopt: last). Folders and codable codes alike may take subcodes.
Command move_code(const Project& project, const std::string& code, const std::string& parent,
                  std::optional<size_t> position = std::nullopt);

// Merges `from` into `into`: the codings of `from` move to `into`, keeping their guids and places;
// a coding that would duplicate one already there (same source, span and coder) folds into it, and
// its memo is added to the survivor's; the children of `from` move to the end of `into`'s
// children; memos on `from` move to `into`; `from` is removed. `into` keeps its name, colour and
// description. Refuses merging a code into itself or into a code inside it.
Command merge_codes(const Project& project, const std::string& from, const std::string& into);

// Splits a code: the chosen codings (all of code `from`) move to the existing codable code `into`,
// folding duplicates as merge_codes does.
Command split_code(const Project& project, const std::string& from,
                   const std::vector<std::string>& codings, const std::string& into);
// The same into a new codable code named `name`, beside `from` (same parent) in the next colour.
Created split_code_into_new(const Project& project, const std::string& from,
                            const std::vector<std::string>& codings, const std::string& name);

// Deletes the code with its codings and the memos on both. A code with subcodes is refused unless
// `with_subcodes`, which deletes the whole branch (their codings and memos too) in the one command.
Command delete_code(const Project& project, const std::string& code, bool with_subcodes);

// --- Coding

// Codes turn `utterance` (0-based index into the source's utterances) whole: the words after its
// speaker label.
Command code_utterance(const Project& project, const std::string& source, size_t utterance,
                       const std::string& code, const std::string& coder);

// The name an in-vivo code takes from the selected words: white space collapsed, quotes, brackets
// and trailing punctuation trimmed, shortened at a word boundary to about 60 characters ("…" marks
// the cut). Empty when the selection holds no words.
std::string in_vivo_name(std::string_view selected);

// In-vivo coding: a new code named by the words in [start, end) of the source, under `parent` (""
// for the top level), created and applied to the span in one command. When `parent` already has a
// codable code of that name, that code is applied instead (Created::guid names the code).
Created code_in_vivo(const Project& project, const std::string& source, int64_t start, int64_t end,
                     const std::string& coder, const std::string& parent = "");

// --- Memos. Memos on the project, a source or a code are Project::memos; a coding's memo is
// Coding::memo (what REFI calls the coding's description, shown by other tools).

// Sets the memo of the target (`target` empty for the project). `memo` names one memo by guid when
// a target has several (imported from another tool); otherwise the target's memo is edited, or
// added when it has none. Empty text removes the memo.
Command set_memo(const Project& project, MemoTarget kind, const std::string& target,
                 const std::string& text, const std::string& memo = "");
Command remove_memo(const Project& project, MemoTarget kind, const std::string& target,
                    const std::string& memo = "");

// Every memo, the project's first, then by source, code and coding in project order.
struct MemoEntry {
  MemoTarget kind = MemoTarget::Project;
  std::string target;       // guid; empty for the project
  std::string target_name;  // project name, source name, code path, or "code path in source [s, e)"
  std::string memo;         // the Memo's guid; empty for a coding's own memo (Coding::memo)
  std::string text;
  std::string created;
};
std::vector<MemoEntry> list_memos(const Project& project);

}  // namespace marginalia
