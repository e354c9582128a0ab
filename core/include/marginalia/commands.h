// Every edit is a Command: applied to the model, journaled before it is acknowledged, undone by its
// inverse. Applying a command that is already applied changes nothing (replay after a crash).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

struct AddCoder {
  Coder coder;
};
struct AddCodes {  // a codebook load or a new code; parents before children
  std::vector<Code> codes;
};
struct RemoveCodes {  // children before parents; only codes without codings
  std::vector<Code> codes;
};
struct AddSource {  // the text itself lives in sources/<guid>.txt, written before the journal entry
  Source source;
};
struct RemoveSource {
  Source source;
};
struct AddCodings {
  std::vector<Coding> codings;
};
struct RemoveCodings {
  std::vector<Coding> codings;
};

// Participants: each case in `cases` is added or replaces the case with its guid; cases in
// `previous` that are not in `cases` are removed. prepare() fills `previous` with the project's
// current versions, so the inverse is the same command with the two lists swapped.
struct SetCases {
  std::vector<Case> cases;
  std::vector<Case> previous;
};

using Action = std::variant<AddCoder, AddCodes, RemoveCodes, AddSource, RemoveSource, AddCodings,
                            RemoveCodings, SetCases>;

struct Command {
  Action action;
  std::string label;  // what Undo names, e.g. "Code \"Shame\"", "Import d1_client_lena.txt"
};

// Checks the command against the project and drops its parts that are already in effect (a coding
// already present with the same source, span, code and coder; a code or coder already there).
// Throws BadInput when it refers to what is missing or is out of range (an offset past the text,
// start >= end, an unknown code, coder or source, a folder as a coding's code). Returns a command
// with nothing in it when nothing would change (see is_empty).
Command prepare(const Project& project, Command command);
bool is_empty(const Command& command);

// Applies a prepared command. Idempotent: what is already in effect is skipped.
void apply(Project& project, const Command& command);

// The command that undoes `command` (as prepared) on the project it was applied to.
Command inverse(const Command& command);

}  // namespace marginalia
