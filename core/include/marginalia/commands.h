// Every edit is a Command: applied to the model, journaled before it is acknowledged, undone by its
// inverse. Applying a command that is already applied changes nothing (replay after a crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

struct AddCoder {
  Coder coder;
};
// `positions` (Add and Remove of codes and codings): where each item sits in its Project list, an
// index in the list as it is with the items in it. prepare() fills it for a removal, and the
// inverse puts every item back at its index, so an undo restores the exact order. Empty on an add:
// appended.
struct AddCodes {  // a codebook load or a new code; parents before children
  std::vector<Code> codes;
  std::vector<int64_t> positions = {};
};
struct RemoveCodes {  // children before parents; only codes without codings
  std::vector<Code> codes;
  std::vector<int64_t> positions = {};
};
struct AddSource {  // the text itself lives in sources/<guid>.txt, written before the journal entry
  Source source;
};
struct RemoveSource {
  Source source;
};
struct AddCodings {
  std::vector<Coding> codings;
  std::vector<int64_t> positions = {};
};
struct RemoveCodings {
  std::vector<Coding> codings;
  std::vector<int64_t> positions = {};
};

// Participants: each case in `cases` is added or replaces the case with its guid; cases in
// `previous` that are not in `cases` are removed. prepare() fills `previous` with the project's
// current versions, so the inverse is the same command with the two lists swapped.
struct SetCases {
  std::vector<Case> cases;
  std::vector<Case> previous;
};

// Rename, recolour, describe, move in the tree, make a folder codable: each code in `codes`
// replaces the code with its guid, in place. `order`, when not empty, is every code's guid in the
// new codebook order (a move among siblings, or under a parent further down: parents stay before
// children). prepare() refuses an empty name, a colour that is not #RRGGBB, an unknown parent, a
// cycle and a folder with codings; it fills `previous` with the current versions and, when the
// order changes, `previous_order` (a new parent further down without an `order` moves the code and
// its subtree to the end of its new siblings). The inverse swaps the pairs.
struct UpdateCodes {
  std::vector<Code> codes;
  std::vector<Code> previous = {};
  std::vector<std::string> order = {};
  std::vector<std::string> previous_order = {};
};

// Changes codings in place, keeping their guid and their place in Project::codings: their code
// (merging and splitting codes), span or memo. prepare() checks each as AddCodings does, refuses a
// change that would make two codings one (same source, span, code and coder) and fills `previous`.
// The inverse swaps the two.
struct UpdateCodings {
  std::vector<Coding> codings;
  std::vector<Coding> previous = {};
};

// Memos on the project, a source or a code, in Project::memos. A coding's memo is Coding::memo
// (the REFI coding's Description, which other tools show), changed with UpdateCodings; memos that
// another tool attached to a coding can be edited or removed here, no new ones are added. Each memo
// in `memos` is added (at the end) or replaces the memo with its guid in place; each memo in
// `previous` whose guid is not in `memos` is removed. prepare() fills `previous` with the current
// versions of the memos replaced or removed and, when one is removed, `previous_order` with every
// memo's guid in the current order; the inverse swaps the pairs and so puts a memo back where it
// was. `order`, when not empty, is every memo's guid in the order after the change.
struct SetMemos {
  std::vector<Memo> memos;
  std::vector<Memo> previous = {};
  std::vector<std::string> order = {};
  std::vector<std::string> previous_order = {};
};

// Marks sources done (`done` true) or not done for coders (mark-done). prepare() drops the marks
// already in effect and refuses an unknown coder or source; the inverse flips `done`.
struct SetDone {
  std::vector<DoneMark> marks;
  bool done = true;
};

// Which code sits on each of the coding keys 1-9 (pinned code keys, kept in Project::settings as
// "pin.1".."pin.9"): `pins[k - 1]` is the code guid on key k, empty for none. prepare() refuses an
// unknown code, a folder, a code on two keys or a list of other than nine, and fills `previous`
// with the current pins; the inverse swaps the two. Build one with pin_code_command (pins.h).
struct SetPins {
  std::vector<std::string> pins;
  std::vector<std::string> previous = {};
};

// Several actions as one undoable step: in-vivo coding (a new code and its coding), merging codes,
// deleting a code with its codings. prepare() prepares each action against the project as the
// actions before it leave it and drops the empty ones (one action left: that action, unwrapped);
// the inverse undoes them in reverse order. May nest.
struct Batch;

using Action = std::variant<AddCoder, AddCodes, RemoveCodes, AddSource, RemoveSource, AddCodings,
                            RemoveCodings, SetCases, UpdateCodes, UpdateCodings, SetMemos, SetDone,
                            SetPins, Batch>;

struct Batch {
  std::vector<Action> actions;
};

struct Command {
  Action action;
  std::string label;  // what Undo names, e.g. "Code \"Shame\"", "Import d1_client_lena.txt"
};

// What prepare() and apply() ask of a project's codings (is this GUID taken? is this span, code and
// coder coded already?), answered from hashes kept beside the project by whoever applies its
// commands (ProjectStore), so that adding a coding to a project of 130,000 costs what it adds
// rather than a scan of them all. "No" is certain; "maybe" (a hash met) makes the caller look.
// Follows AddCodings and RemoveCodings as they are applied and starts afresh from the project after
// any other change to the codings, or when its count is not the project's.
class CodingLookup {
 public:
  bool may_have_guid(const Project& project, std::string_view guid);
  bool may_have(const Project& project, const Coding& coding);  // same source, span, code, coder
  void added(const Coding& coding);
  void removed(const Coding& coding);
  void invalidate();

 private:
  // How many codings have each hash, for one kind of hash (GUID or key): open addressing in one
  // array of 8-byte slots (48 bits of hash, 16 of count), built when first asked, since building
  // it for 130,000 codings is part of opening a project (whose journal replay asks only of GUIDs).
  class Counts {
   public:
    using HashOf = uint64_t (*)(const Coding&);
    bool contains(const Project& project, uint64_t hash, HashOf hash_of);
    void add(uint64_t hash);
    void remove(uint64_t hash);
    void invalidate() { valid_ = false; }

   private:
    void refresh(const Project& project, HashOf hash_of);
    size_t slot_of(uint64_t key) const;
    void insert(uint64_t key);
    std::vector<uint64_t> slots_;  // key << 16 | count; 0: empty
    size_t used_ = 0;              // slots taken, counts of 0 included
    size_t count_ = 0;             // codings counted
    bool valid_ = false;
  };
  Counts guids_, keys_;
};

// Checks the command against the project and drops its parts that are already in effect (a coding
// already present with the same source, span, code and coder; a code or coder already there; a
// code, coding or memo that an update leaves as it is). Throws BadInput when it refers to what is
// missing or is out of range (an offset past the text, start >= end, an unknown code, coder or
// source, a folder as a coding's code). Returns a command with nothing in it when nothing would
// change (see is_empty).
// `lookup` (optional) answers for the project's codings instead of a scan.
Command prepare(const Project& project, Command command, CodingLookup* lookup = nullptr);
bool is_empty(const Command& command);

// Applies a prepared command. Idempotent: what is already in effect is skipped. `lookup`
// (optional) is kept in step with the project's codings.
void apply(Project& project, const Command& command, CodingLookup* lookup = nullptr);

// The command that undoes `command` (as prepared) on the project it was applied to.
Command inverse(const Command& command);

// Moves the code `guid` with its subtree (their relative order kept) to `position` among the
// children of the parent its `parent` field names (nullopt or past the end: last), keeping parents
// before children; the rest keeps its order. For building UpdateCodes::order. Throws BadInput for
// an unknown code or a parent inside the moved subtree.
void place_in_codebook(std::vector<Code>& codes, const std::string& guid,
                       std::optional<size_t> position = std::nullopt);

}  // namespace marginalia
