// The process the kill test kills: opens a project as the CLI does (store plus the search index
// following every edit) and applies a random stream of edits through ProjectStore (codings,
// removals, renames, new codes, merges, undos, redos, snapshots) until it is killed. On stdout,
// written unbuffered:
//   open SEQ DIGEST ORDERED          the project as opened
//   try SEQ PREDICTED LABEL          before an edit: the digest it will leave ("-" for undo, redo)
//   ack SEQ DIGEST ORDERED LABEL     after the store acknowledged it: durable from here on
// DIGEST counts codings as a set, ORDERED in their list order too (project_digest.h).
// Usage: crash_editor PROJECT SEED [EDITS]   (EDITS: stop after that many; default: never)
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "marginalia/coding_operations.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "project_digest.h"

using namespace marginalia;

namespace {

void say(const std::string& line) {
  const std::string out = line + "\n";
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, out.data() + done, out.size() - done);
    if (n <= 0) std::exit(3);
    done += static_cast<size_t>(n);
  }
}

class Editor {
 public:
  Editor(ProjectStore& store, uint64_t seed) : store_(store), random_(seed) {}

  // A refused edit (say, a merge into a code's own subcode) changes nothing and is skipped.
  void step() {
    try {
      edit();
    } catch (const BadInput&) {
    }
    if (pick(8) == 0) store_.snapshot();  // as the CLI does after each write command
  }

 private:
  void edit() {
    const Project& p = store_.project();
    const size_t choice = pick(100);
    if (choice < 8) {
      edit_history(true);
    } else if (choice < 12) {
      edit_history(false);
    } else if (choice < 45) {
      add_coding(p);
    } else if (choice < 60) {
      remove_coding(p);
    } else if (choice < 72) {
      rename(p);
    } else if (choice < 82) {
      add_code(p);
    } else if (choice < 90) {
      merge(p);
    } else {
      memo(p);
    }
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random_); }

  std::vector<const Code*> codable(const Project& p) {
    std::vector<const Code*> codes;
    for (const Code& c : p.codes)
      if (c.codable) codes.push_back(&c);
    return codes;
  }

  void run(Command command) {
    Project copy = store_.project();
    Command prepared = prepare(copy, command);
    if (is_empty(prepared)) return;
    apply(copy, prepared);
    const std::string label = command.label;
    say("try " + std::to_string(store_.revision() + 1) + " " + crash::project_digest(copy) + " " +
        label);
    // The prepared command: prepare() gives a new memo its GUID, which must be the predicted one.
    if (!store_.execute(std::move(prepared))) return;
    acknowledge(label);
  }

  void acknowledge(const std::string& label) {
    say("ack " + std::to_string(store_.revision()) + " " + crash::project_digest(store_.project()) +
        " " + label);
  }

  void edit_history(bool undo) {
    const std::optional<std::string> label = undo ? store_.undo_label() : store_.redo_label();
    if (!label) return;
    say("try " + std::to_string(store_.revision() + 1) + " - " + (undo ? "undo " : "redo ") +
        *label);
    if (undo ? store_.undo() : store_.redo()) acknowledge((undo ? "undo " : "redo ") + *label);
  }

  void add_coding(const Project& p) {
    const std::vector<const Code*> codes = codable(p);
    if (codes.empty() || p.sources.empty()) return;
    const Source& source = p.sources[pick(p.sources.size())];
    if (source.utterances.empty()) return;
    const Utterance& turn = source.utterances[pick(source.utterances.size())];
    if (turn.end <= turn.start) return;
    Coding c;
    c.guid = new_guid();
    c.source = source.guid;
    c.start = turn.start + static_cast<int64_t>(pick(static_cast<size_t>(turn.end - turn.start)));
    c.end = c.start + 1 + static_cast<int64_t>(pick(static_cast<size_t>(turn.end - c.start)));
    c.code = codes[pick(codes.size())]->guid;
    const Coder* coder = p.coder_named(pick(2) ? "ana" : "ben");  // the driver made both
    if (!coder) return;
    c.coder = coder->guid;
    c.created = now_iso8601();
    run({AddCodings{{c}}, "Code " + c.guid});
  }

  void remove_coding(const Project& p) {
    if (p.codings.empty()) return;
    const Coding c = p.codings[pick(p.codings.size())];
    run({RemoveCodings{{c}}, "Uncode " + c.guid});
  }

  void rename(const Project& p) {
    if (p.codes.empty()) return;
    const Code& code = p.codes[pick(p.codes.size())];
    run(rename_code(p, code.guid, "code " + std::to_string(pick(1000000))));
  }

  void add_code(const Project& p) {
    if (p.codes.size() > 12) return;
    Code code;
    code.name = "new " + std::to_string(pick(1000000));
    Created created = new_code(p, code);
    run(std::move(created.command));
  }

  void merge(const Project& p) {
    const std::vector<const Code*> codes = codable(p);
    if (codes.size() < 3) return;
    const Code* from = codes[pick(codes.size())];
    const Code* into = codes[pick(codes.size())];
    if (from == into || !from->parent.empty() || !into->parent.empty()) return;
    run(merge_codes(p, from->guid, into->guid));
  }

  void memo(const Project& p) {
    if (p.sources.empty()) return;
    const Source& source = p.sources[pick(p.sources.size())];
    run(set_memo(p, MemoTarget::Source, source.guid, "memo " + std::to_string(pick(1000000))));
  }

  ProjectStore& store_;
  std::mt19937_64 random_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: crash_editor PROJECT SEED [EDITS]\n";
    return 2;
  }
  const long long edits = argc > 3 ? std::atoll(argv[3]) : -1;
  try {
    auto store = ProjectStore::open(argv[1]);
    auto index = SearchIndex::open(argv[1], *store);
    store->set_listener(index.get());
    say("open " + std::to_string(store->revision()) + " " +
        crash::project_digest(store->project()) + " " +
        crash::project_digest(store->project(), true));
    Editor editor(*store, std::strtoull(argv[2], nullptr, 10));
    for (long long n = 0; edits < 0 || n < edits; ++n) editor.step();
    store->snapshot();
  } catch (const Error& e) {
    std::cerr << "crash_editor: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
