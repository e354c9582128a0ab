// Editing the codebook, coding turns and in vivo, memos: new-code, rename-code, recolour-code,
// describe-code, move-code, merge-codes, split-code, delete-code, code-turn, invivo, memo, memos,
// pin.
// Every write is one undoable command, journaled, then snapshotted.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli_commands.h"
#include "marginalia/coding_operations.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/pins.h"
#include "marginalia/project_store.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project;
  std::string code, name, color, parent, into, from, source, coder, text, memo, coding;
  std::optional<std::string> definition, use_when, not_when, example;
  std::vector<std::string> codings;
  std::string format = "text";
  int64_t start = -1, end = -1;
  int64_t position = 0;  // 1-based; 0: last
  int64_t turn = 0;      // 1-based
  int key = 0;           // 1-9
  bool top = false, folder = false, fresh = false, with_subcodes = false, on_project = false,
       remove = false, clear = false;
};

// Executes and snapshots; prints `done` when the project changed, else that nothing did.
int write(Session& store, Command command, const std::string& done) {
  const bool changed = store->execute(std::move(command));
  store->snapshot();
  std::cout << (changed ? done : "Nothing changed") << "\n";
  return 0;
}

std::string path_of(const Project& p, const std::string& guid) {
  return "\"" + p.code_path(*p.code(guid)) + "\"";
}

int cmd_new_code(const Options& o) {
  auto store = open_for_writing(o.project);
  const Project& p = store->project();
  Code code;
  code.name = o.name;
  code.parent = o.parent.empty() ? std::string() : resolve_code(p, o.parent);
  code.color = o.color;
  code.codable = !o.folder;
  Created created = new_code(p, code);
  store->execute(std::move(created.command));
  store->snapshot();
  std::cout << created.guid << "\n";
  return 0;
}

int cmd_rename(const Options& o) {
  auto store = open_for_writing(o.project);
  const std::string guid = resolve_code(store->project(), o.code);
  const std::string old = path_of(store->project(), guid);
  Command command = rename_code(store->project(), guid, o.name);
  return write(store, std::move(command), "Renamed " + old + " to \"" + o.name + "\"");
}

int cmd_recolour(const Options& o) {
  auto store = open_for_writing(o.project);
  const std::string guid = resolve_code(store->project(), o.code);
  Command command = recolour_code(store->project(), guid, o.color);
  const std::string done = "Recoloured " + path_of(store->project(), guid);
  return write(store, std::move(command), done);
}

int cmd_describe(const Options& o) {
  const bool changes = o.definition || o.use_when || o.not_when || o.example;
  if (!changes) {
    auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
    const Code& code = *store->project().code(resolve_code(store->project(), o.code));
    const CodeDescription d = split_description(code.description);
    if (!d.other.empty()) std::cout << d.other << "\n\n";
    std::cout << "Definition: " << d.definition << "\nUse when: " << d.use_when
              << "\nDo not use when: " << d.not_when << "\nExample: " << d.example << "\n";
    return 0;
  }
  auto store = open_for_writing(o.project);
  const std::string guid = resolve_code(store->project(), o.code);
  CodeDescription d = split_description(store->project().code(guid)->description);
  if (o.definition) d.definition = *o.definition;
  if (o.use_when) d.use_when = *o.use_when;
  if (o.not_when) d.not_when = *o.not_when;
  if (o.example) d.example = *o.example;
  Command command = describe_code(store->project(), guid, d);
  const std::string done = "Described " + path_of(store->project(), guid);
  return write(store, std::move(command), done);
}

int cmd_move(const Options& o) {
  if (o.top == !o.parent.empty()) throw UsageError("move-code takes either --parent P or --top");
  if (o.position < 0) throw UsageError("--position counts from 1");
  auto store = open_for_writing(o.project);
  const Project& p = store->project();
  const std::string guid = resolve_code(p, o.code);
  const std::string parent = o.top ? std::string() : resolve_code(p, o.parent);
  const std::optional<size_t> position =
      o.position > 0 ? std::optional<size_t>(static_cast<size_t>(o.position - 1)) : std::nullopt;
  Command command = move_code(p, guid, parent, position);
  const std::string name = "\"" + p.code(guid)->name + "\"";
  const std::string where = o.top ? "the top level" : path_of(p, parent);
  return write(store, std::move(command), "Moved " + name + " to " + where);
}

int cmd_merge(const Options& o) {
  auto store = open_for_writing(o.project);
  const Project& p = store->project();
  const std::string from = resolve_code(p, o.from);
  const std::string into = resolve_code(p, o.into);
  size_t codings = 0;
  for (const Coding& c : p.codings) codings += c.code == from;
  const std::string done = "Merged " + path_of(p, from) + " into " + path_of(p, into) + " (" +
                           std::to_string(codings) + " codings)";
  Command command = merge_codes(p, from, into);
  return write(store, std::move(command), done);
}

int cmd_split(const Options& o) {
  auto store = open_for_writing(o.project);
  const Project& p = store->project();
  const std::string from = resolve_code(p, o.code);
  std::vector<std::string> codings;
  for (const std::string& c : o.codings) codings.push_back(resolve_coding(p, c));
  if (o.fresh) {
    Created created = split_code_into_new(p, from, codings, o.into);
    const std::string done = "Moved " + std::to_string(codings.size()) + " codings of " +
                             path_of(p, from) + " to the new code \"" + o.into + "\" " +
                             created.guid;
    return write(store, std::move(created.command), done);
  }
  std::string into;
  try {
    into = resolve_code(p, o.into);
  } catch (const BadInput& e) {
    throw BadInput(std::string(e.what()) + " (add --new to create it)");
  }
  const std::string done = "Moved " + std::to_string(codings.size()) + " codings of " +
                           path_of(p, from) + " to " + path_of(p, into);
  Command command = split_code(p, from, codings, into);
  return write(store, std::move(command), done);
}

int cmd_delete(const Options& o) {
  auto store = open_for_writing(o.project);
  const Project& p = store->project();
  const std::string guid = resolve_code(p, o.code);
  Command command;
  try {
    command = delete_code(p, guid, o.with_subcodes);
  } catch (const BadInput& e) {
    throw BadInput(std::string(e.what()) + " (--with-subcodes)");
  }
  size_t codes = 0, codings = 0;
  for (const Action& a : std::get<Batch>(command.action).actions) {
    if (const auto* r = std::get_if<RemoveCodes>(&a)) codes += r->codes.size();
    if (const auto* r = std::get_if<RemoveCodings>(&a)) codings += r->codings.size();
  }
  const std::string done = "Deleted " + path_of(p, guid) + ": " + std::to_string(codes) +
                           (codes == 1 ? " code, " : " codes, ") + std::to_string(codings) +
                           " codings (undo brings them back)";
  return write(store, std::move(command), done);
}

int cmd_code_turn(const Options& o) {
  if (o.turn < 1) throw UsageError("--turn counts from 1");
  auto store = open_for_writing(o.project);
  const std::string source = resolve_source(store->project(), o.source);
  const std::string code = resolve_code(store->project(), o.code);
  const std::string coder = store->coder_guid(default_coder(o.coder));
  Command command =
      code_utterance(store->project(), source, static_cast<size_t>(o.turn - 1), code, coder);
  std::get<AddCodings>(command.action).codings.at(0).guid = new_guid();
  const std::string guid = std::get<AddCodings>(command.action).codings.at(0).guid;
  const bool added = store->execute(std::move(command));
  store->snapshot();
  std::cout << (added ? guid : "Already coded: nothing changed") << "\n";
  return 0;
}

int cmd_invivo(const Options& o) {
  auto store = open_for_writing(o.project);
  const std::string source = resolve_source(store->project(), o.source);
  const std::string parent = o.parent.empty() ? "" : resolve_code(store->project(), o.parent);
  const std::string coder = store->coder_guid(default_coder(o.coder));
  Created created = code_in_vivo(store->project(), source, o.start, o.end, coder, parent);
  const bool fresh = !store->project().code(created.guid);
  const bool changed = store->execute(std::move(created.command));
  store->snapshot();
  const std::string path = path_of(store->project(), created.guid);
  if (!changed)
    std::cout << "Already coded with " << path << ": nothing changed\n";
  else
    std::cout << (fresh ? "Created and applied " : "Applied ") << path << " " << created.guid
              << "\n";
  return 0;
}

struct Target {
  MemoTarget kind = MemoTarget::Project;
  std::string guid;
};

Target memo_target(const Project& p, const Options& o) {
  const int given = o.on_project + !o.source.empty() + !o.code.empty() + !o.coding.empty();
  if (given != 1)
    throw UsageError("memo takes one of --project, --source S, --code C or --coding GUID");
  if (!o.source.empty()) return {MemoTarget::Source, resolve_source(p, o.source)};
  if (!o.code.empty()) return {MemoTarget::Code, resolve_code(p, o.code)};
  if (!o.coding.empty()) return {MemoTarget::Coding, resolve_coding(p, o.coding)};
  return {};
}

int cmd_memo(const Options& o, bool text_given) {
  if (text_given && o.remove) throw UsageError("memo takes --text or --remove, not both");
  if (!text_given && !o.remove) {
    auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
    const Target t = memo_target(store->project(), o);
    for (const MemoEntry& m : list_memos(store->project()))
      if (m.kind == t.kind && m.target == t.guid) std::cout << m.text << "\n";
    return 0;
  }
  auto store = open_for_writing(o.project);
  const Target t = memo_target(store->project(), o);
  Command command = o.remove ? remove_memo(store->project(), t.kind, t.guid, o.memo)
                             : set_memo(store->project(), t.kind, t.guid, o.text, o.memo);
  const std::string done = command.label;
  return write(store, std::move(command), done);
}

int cmd_memos(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const std::vector<MemoEntry> memos = list_memos(store->project());
  if (o.format == "json") {
    nlohmann::ordered_json j = nlohmann::json::array();
    for (const MemoEntry& m : memos)
      j.push_back({{"target_kind", std::string(memo_target_name(m.kind))},
                   {"target", m.target},
                   {"target_name", m.target_name},
                   {"memo", m.memo},
                   {"text", m.text},
                   {"created", m.created}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  if (memos.empty()) std::cout << "No memos\n";
  for (const MemoEntry& m : memos) {
    std::cout << memo_target_name(m.kind) << "  " << m.target_name << "\n";
    std::string indented = "  ";
    for (char c : m.text) indented += c == '\n' ? std::string("\n  ") : std::string(1, c);
    std::cout << indented << "\n\n";
  }
  return 0;
}

int cmd_pin(const Options& o) {
  if (o.clear == !o.code.empty()) throw UsageError("pin takes either a CODE or --clear");
  if (o.key < 1 || o.key > 9) throw UsageError("--key is one of 1-9");
  auto store = open_for_writing(o.project);
  const Project& p = store->project();
  const std::string guid = o.clear ? std::string() : resolve_code(p, o.code);
  Command command = pin_code_command(p, guid, o.key);
  const std::string key = "key " + std::to_string(o.key);
  const std::string done = o.clear ? "Cleared " + key : "Pinned " + path_of(p, guid) + " to " + key;
  return write(store, std::move(command), done);
}

CLI::App* project_command(CLI::App& app, const char* name, const char* help, Options& o) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("PROJECT", o.project, "Project folder")->required();
  return cmd;
}

void code_option(CLI::App* cmd, Options& o, const char* help = "Code: GUID, name or Parent/Child") {
  cmd->add_option("--code", o.code, help)->required();
}

}  // namespace

void add_editing_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* fresh = project_command(app, "new-code", "Add a code (or a folder) to the codebook", o);
  fresh->add_option("--name", o.name, "Name of the new code")->required();
  fresh->add_option("--parent", o.parent, "Parent code (default: the top level)");
  fresh->add_option("--color,--colour", o.color, "#RRGGBB (default: the next palette colour)");
  fresh->add_flag("--folder", o.folder, "A folder: groups codes, is not applied itself");
  fresh->callback([&] { run = [&] { return cmd_new_code(o); }; });

  auto* rename = project_command(app, "rename-code", "Rename a code", o);
  code_option(rename, o);
  rename->add_option("--name", o.name, "New name")->required();
  rename->callback([&] { run = [&] { return cmd_rename(o); }; });

  auto* recolour = project_command(app, "recolour-code", "Change a code's colour", o);
  code_option(recolour, o);
  recolour->add_option("--color,--colour", o.color, "#RRGGBB, or \"\" for none")->required();
  recolour->callback([&] { run = [&] { return cmd_recolour(o); }; });
  recolour->alias("recolor-code");

  auto* describe = project_command(app, "describe-code",
                                   "Set parts of a code's description (none given: print it)", o);
  code_option(describe, o);
  describe->add_option("--definition", o.definition, "Definition: what the code means");
  describe->add_option("--use-when", o.use_when, "Use when: where it applies");
  describe->add_option("--not-when", o.not_when, "Do not use when: where it does not");
  describe->add_option("--example", o.example, "Example: a typical passage");
  describe->callback([&] { run = [&] { return cmd_describe(o); }; });

  auto* move = project_command(app, "move-code", "Move a code (with its subcodes) in the tree", o);
  code_option(move, o);
  move->add_option("--parent", o.parent, "New parent code");
  move->add_flag("--top", o.top, "Move to the top level");
  move->add_option("--position", o.position, "Place among the new siblings, 1 is first");
  move->callback([&] { run = [&] { return cmd_move(o); }; });

  auto* merge = project_command(
      app, "merge-codes", "Merge a code into another: its codings and subcodes move there", o);
  merge->add_option("--from", o.from, "Code that goes away")->required();
  merge->add_option("--into", o.into, "Code that takes its codings")->required();
  merge->callback([&] { run = [&] { return cmd_merge(o); }; });

  auto* split =
      project_command(app, "split-code", "Move chosen codings of a code to another code", o);
  code_option(split, o, "Code the codings are moved from");
  split->add_option("--into", o.into, "Code they move to")->required();
  split->add_option("--coding", o.codings, "Coding GUIDs (or unique prefixes of 8+)")
      ->required()
      ->expected(1, -1);
  split->add_flag("--new", o.fresh, "Create --into as a new code beside --code");
  split->callback([&] { run = [&] { return cmd_split(o); }; });

  auto* remove = project_command(app, "delete-code", "Delete a code with its codings", o);
  code_option(remove, o);
  remove->add_flag("--with-subcodes", o.with_subcodes,
                   "Also delete its subcodes and their codings");
  remove->callback([&] { run = [&] { return cmd_delete(o); }; });

  auto* turn = project_command(app, "code-turn", "Code a whole speaker turn", o);
  turn->add_option("--source", o.source, "Source: GUID or name")->required();
  turn->add_option("--turn", o.turn, "Turn number, 1 is the first")->required();
  code_option(turn, o);
  turn->add_option("--coder", o.coder, "Coder name (default $MARGINALIA_CODER, else login)");
  turn->callback([&] { run = [&] { return cmd_code_turn(o); }; });

  auto* invivo =
      project_command(app, "invivo", "Code a span with a new code named by its words", o);
  invivo->add_option("--source", o.source, "Source: GUID or name")->required();
  invivo->add_option("--start", o.start, "Start, in characters (code points) from 0")->required();
  invivo->add_option("--end", o.end, "End (exclusive), in characters")->required();
  invivo->add_option("--parent", o.parent, "Parent of the new code (default: the top level)");
  invivo->add_option("--coder", o.coder, "Coder name (default $MARGINALIA_CODER, else login)");
  invivo->callback([&] { run = [&] { return cmd_invivo(o); }; });

  auto* memo = project_command(
      app, "memo", "Show, write or remove the memo on the project, a source, a code or a coding",
      o);
  memo->add_flag("--project", o.on_project, "The project's memo");
  memo->add_option("--source", o.source, "A source's memo");
  memo->add_option("--code", o.code, "A code's memo");
  memo->add_option("--coding", o.coding, "A coding's memo (GUID or a unique prefix of 8+)");
  auto* text = memo->add_option("--text", o.text, "New text (\"\" removes the memo)");
  memo->add_flag("--remove", o.remove, "Remove the memo");
  memo->add_option("--memo", o.memo, "Which memo, by GUID, when the target has several");
  memo->callback([&, text] { run = [&, text] { return cmd_memo(o, text->count() > 0); }; });

  auto* memos = project_command(app, "memos", "List every memo", o);
  add_format(memos, o.format, {"text", "json"});
  memos->callback([&] { run = [&] { return cmd_memos(o); }; });

  auto* pin = project_command(app, "pin",
                              "Put a code on a coding key 1-9 of the workbench, or clear a key", o);
  pin->add_option("CODE", o.code, "Code: GUID, name or Parent/Child");
  pin->add_option("--key", o.key, "Key 1-9")->required();
  pin->add_flag("--clear", o.clear, "Take whatever is pinned off the key");
  pin->callback([&] { run = [&] { return cmd_pin(o); }; });
}

}  // namespace marginalia::cli
