#include "marginalia/coding_operations.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

const Code& code_of(const Project& project, const std::string& guid) {
  const Code* code = project.code(normalize_guid(guid));
  if (!code) throw BadInput("no code with GUID " + guid);
  return *code;
}

std::string quoted_path(const Project& project, const Code& code) {
  return "\"" + project.code_path(code) + "\"";
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// Among the children of `parent`, no other code may carry `name`: paths name codes.
void require_free_name(const Project& project, const std::string& parent, const std::string& name,
                       const std::string& except = "") {
  for (const Code& c : project.codes)
    if (c.parent == parent && c.name == name && c.guid != except)
      throw BadInput("there is already a code " + quoted_path(project, c) +
                     "; choose another name");
}

bool inside(const Project& project, const std::string& code, const std::string& ancestor) {
  std::string up = code;
  for (size_t steps = 0; !up.empty() && steps <= project.codes.size(); ++steps) {
    if (up == ancestor) return true;
    const Code* c = project.code(up);
    up = c ? c->parent : std::string();
  }
  return false;
}

// The code and every code under it, in codebook order.
std::vector<std::string> subtree_of(const Project& project, const std::string& code) {
  std::set<std::string> members{code};
  std::vector<std::string> out;
  for (const Code& c : project.codes)
    if (members.count(c.guid) || members.count(c.parent)) {
      members.insert(c.guid);
      out.push_back(c.guid);
    }
  return out;
}

std::string joined_memos(const std::string& a, const std::string& b) {
  if (b.empty() || a == b) return a;
  if (a.empty()) return b;
  return a + "\n\n" + b;
}

// Moves codings to `into`, in place. A coding that would duplicate one already coded with `into`
// (same source, span and coder) is removed, its memo added to the one that stays; memos another
// tool attached to it move to that one too.
Batch move_codings_to(const Project& project, const std::vector<const Coding*>& moving,
                      const std::string& into) {
  using Key = std::tuple<std::string, int64_t, int64_t, std::string>;
  auto key = [](const Coding& c) { return Key{c.source, c.start, c.end, c.coder}; };
  std::set<std::string> moving_guids;
  for (const Coding* c : moving) moving_guids.insert(c->guid);
  std::map<Key, std::string> kept;         // the coding each key keeps: `into`'s, or the first
  std::map<std::string, Coding> versions;  // new versions of the codings that change, by guid
  std::map<std::string, std::string> folded_into;
  std::map<std::string, const Coding*> by_guid;
  for (const Coding& c : project.codings) by_guid.emplace(c.guid, &c);
  auto version_of = [&](const std::string& guid) -> Coding& {
    auto it = versions.find(guid);
    if (it == versions.end()) it = versions.emplace(guid, *by_guid.at(guid)).first;
    return it->second;
  };
  for (const Coding& c : project.codings)
    if (c.code == into && !moving_guids.count(c.guid)) kept.emplace(key(c), c.guid);
  RemoveCodings folded;
  for (const Coding& c : project.codings) {
    if (!moving_guids.count(c.guid)) continue;
    auto [it, fresh] = kept.emplace(key(c), c.guid);
    if (fresh) {
      version_of(c.guid).code = into;
      continue;
    }
    folded.codings.push_back(c);
    folded_into[c.guid] = it->second;
    if (!c.memo.empty()) {
      const std::string memo =
          versions.count(it->second) ? versions[it->second].memo : by_guid.at(it->second)->memo;
      const std::string joined = joined_memos(memo, c.memo);
      if (joined != memo) version_of(it->second).memo = joined;
    }
  }
  UpdateCodings updated;
  for (const Coding& c : project.codings)
    if (auto it = versions.find(c.guid); it != versions.end())
      updated.codings.push_back(it->second);
  SetMemos memos;
  for (const Memo& m : project.memos)
    if (auto it = folded_into.find(m.target);
        m.target_kind == MemoTarget::Coding && it != folded_into.end()) {
      Memo moved = m;
      moved.target = it->second;
      memos.memos.push_back(std::move(moved));
    }
  Batch batch;
  // Removals first: the coding that stays may then take a removed one's key.
  if (!folded.codings.empty()) batch.actions.push_back(std::move(folded));
  if (!updated.codings.empty()) batch.actions.push_back(std::move(updated));
  if (!memos.memos.empty()) batch.actions.push_back(std::move(memos));
  return batch;
}

std::vector<const Coding*> chosen_codings(const Project& project, const Code& from,
                                          const std::vector<std::string>& codings) {
  if (codings.empty())
    throw BadInput("name the codings to move out of " + quoted_path(project, from));
  std::vector<const Coding*> out;
  std::set<std::string> seen;
  for (const std::string& guid : codings) {
    const Coding* c = project.coding(normalize_guid(guid));
    if (!c) throw BadInput("no coding with GUID " + guid);
    if (c->code != from.guid) {
      const Code* other = project.code(c->code);
      throw BadInput("coding " + c->guid + " is not coded with " + quoted_path(project, from) +
                     (other ? " but with " + quoted_path(project, *other) : std::string()));
    }
    if (seen.insert(c->guid).second) out.push_back(c);
  }
  return out;
}

std::string target_label(const Project& project, MemoTarget kind, const std::string& target) {
  switch (kind) {
    case MemoTarget::Project:
      return "the project";
    case MemoTarget::Source:
      if (const Source* s = project.source(target)) return "source \"" + s->name + "\"";
      break;
    case MemoTarget::Code:
      if (const Code* c = project.code(target)) return "code " + quoted_path(project, *c);
      break;
    case MemoTarget::Coding:
      if (const Coding* c = project.coding(target)) {
        const Code* code = project.code(c->code);
        return "a coding of " + (code ? quoted_path(project, *code) : c->code);
      }
      break;
  }
  throw BadInput("no " + std::string(memo_target_name(kind)) + " with GUID " + target);
}

std::vector<const Memo*> memos_on(const Project& project, MemoTarget kind,
                                  const std::string& target) {
  std::vector<const Memo*> out;
  for (const Memo& m : project.memos)
    if (m.target_kind == kind && (kind == MemoTarget::Project || m.target == target))
      out.push_back(&m);
  return out;
}

// The memo to edit or remove: the one named, else the target's only one; nullptr when it has none.
const Memo* pick_memo(const Project& project, MemoTarget kind, const std::string& target,
                      const std::string& memo) {
  if (!memo.empty()) {
    const std::string guid = normalize_guid(memo);
    for (const Memo& m : project.memos)
      if (m.guid == guid || (guid.size() >= 8 && m.guid.compare(0, guid.size(), guid) == 0)) {
        if (m.target_kind != kind || (kind != MemoTarget::Project && m.target != target))
          throw BadInput("memo " + m.guid + " is not on " + target_label(project, kind, target));
        return &m;
      }
    throw BadInput("no memo with GUID " + memo);
  }
  const auto on = memos_on(project, kind, target);
  if (on.size() > 1) {
    std::string list;
    for (const Memo* m : on) list += (list.empty() ? "" : ", ") + m->guid;
    throw BadInput(target_label(project, kind, target) + " has " + std::to_string(on.size()) +
                   " memos (" + list + "); name one by its GUID");
  }
  return on.empty() ? nullptr : on.front();
}

std::string normalized_target(const Project& project, MemoTarget kind, const std::string& target) {
  if (kind == MemoTarget::Project) return {};
  const std::string guid = normalize_guid(target);
  target_label(project, kind, guid);  // throws for an unknown target
  return guid;
}

}  // namespace

// --- Descriptions

namespace {
struct Heading {
  std::string_view text;
  std::string CodeDescription::*part;
};
constexpr std::array<Heading, 4> kHeadings{{
    {"Definition:", &CodeDescription::definition},
    {"Use when:", &CodeDescription::use_when},
    {"Do not use when:", &CodeDescription::not_when},
    {"Example:", &CodeDescription::example},
}};

bool starts_with_folded(std::string_view line, std::string_view heading) {
  if (line.size() < heading.size()) return false;
  for (size_t i = 0; i < heading.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) !=
        std::tolower(static_cast<unsigned char>(heading[i])))
      return false;
  return true;
}
}  // namespace

CodeDescription split_description(std::string_view description) {
  CodeDescription out;
  std::string* part = &out.other;
  std::string current;
  auto flush = [&] { *part = trimmed(current); };
  size_t pos = 0;
  while (pos <= description.size()) {
    size_t eol = description.find('\n', pos);
    if (eol == std::string_view::npos) eol = description.size();
    std::string_view line = description.substr(pos, eol - pos);
    const Heading* found = nullptr;
    for (const Heading& h : kHeadings)
      if (starts_with_folded(line, h.text)) found = &h;
    if (found) {
      flush();
      part = &(out.*(found->part));
      current = std::string(line.substr(found->text.size()));
    } else {
      current += (pos == 0 && part == &out.other ? "" : "\n");
      current += line;
    }
    pos = eol + 1;
  }
  flush();
  return out;
}

std::string join_description(const CodeDescription& d) {
  std::string out = trimmed(d.other);
  for (const Heading& h : kHeadings) {
    const std::string text = trimmed(d.*(h.part));
    if (text.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += std::string(h.text) + " " + text;
  }
  return out;
}

// --- Codes

std::string next_code_colour(const Project& project) {
  static constexpr std::array<std::string_view, 15> kPalette{
      "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",  // Okabe-Ito
      "#66C2A5", "#FC8D62", "#8DA0CB", "#E78AC3", "#A6D854", "#FFD92F", "#E5C494",
      "#B3B3B3"};  // Set2
  std::set<std::string> used;
  for (const Code& c : project.codes) used.insert(c.color);
  for (std::string_view colour : kPalette)
    if (!used.count(std::string(colour))) return std::string(colour);
  return std::string(kPalette[project.codes.size() % kPalette.size()]);
}

Created new_code(const Project& project, Code code) {
  code.name = trimmed(code.name);
  if (code.name.empty()) throw BadInput("a new code needs a name");
  if (!code.parent.empty()) code.parent = code_of(project, code.parent).guid;
  require_free_name(project, code.parent, code.name);
  if (code.color.empty()) code.color = next_code_colour(project);
  code.guid = code.guid.empty() ? new_guid() : normalize_guid(code.guid);
  const std::string guid = code.guid;
  const std::string label =
      std::string(code.codable ? "New code \"" : "New folder \"") + code.name + "\"";
  return {Command{AddCodes{{std::move(code)}, {}}, label}, guid};
}

Command rename_code(const Project& project, const std::string& code, const std::string& name) {
  Code c = code_of(project, code);
  const std::string old = project.code_path(c);
  const std::string fresh = trimmed(name);
  if (fresh.empty()) throw BadInput("code \"" + old + "\" needs a name: the new name is empty");
  require_free_name(project, c.parent, fresh, c.guid);
  c.name = fresh;
  return Command{UpdateCodes{{c}, {}, {}, {}}, "Rename \"" + old + "\" to \"" + fresh + "\""};
}

Command recolour_code(const Project& project, const std::string& code, const std::string& colour) {
  Code c = code_of(project, code);
  c.color = trimmed(colour);
  return Command{UpdateCodes{{c}, {}, {}, {}}, "Recolour " + quoted_path(project, c)};
}

Command describe_code(const Project& project, const std::string& code,
                      const CodeDescription& description) {
  Code c = code_of(project, code);
  c.description = join_description(description);
  return Command{UpdateCodes{{c}, {}, {}, {}}, "Describe " + quoted_path(project, c)};
}

Command move_code(const Project& project, const std::string& code, const std::string& parent,
                  std::optional<size_t> position) {
  Code c = code_of(project, code);
  const std::string new_parent = parent.empty() ? std::string() : code_of(project, parent).guid;
  if (!new_parent.empty() && inside(project, new_parent, c.guid))
    throw BadInput(
        "cannot move " + quoted_path(project, c) + " under " +
        quoted_path(project, *project.code(new_parent)) +
        (new_parent == c.guid ? ": a code cannot be its own parent" : ": that code is inside it"));
  if (new_parent != c.parent) require_free_name(project, new_parent, c.name, c.guid);
  std::vector<Code> codes = project.codes;
  for (Code& each : codes)
    if (each.guid == c.guid) each.parent = new_parent;
  place_in_codebook(codes, c.guid, position);
  std::vector<std::string> order;
  for (const Code& each : codes) order.push_back(each.guid);
  const std::string where =
      new_parent.empty() ? "the top level" : quoted_path(project, *project.code(new_parent));
  c.parent = new_parent;
  return Command{UpdateCodes{{c}, {}, std::move(order), {}}, "Move \"" + c.name + "\" to " + where};
}

Command merge_codes(const Project& project, const std::string& from, const std::string& into) {
  const Code& source = code_of(project, from);
  const Code& target = code_of(project, into);
  if (source.guid == target.guid)
    throw BadInput("cannot merge " + quoted_path(project, source) + " into itself");
  if (inside(project, target.guid, source.guid))
    throw BadInput("cannot merge " + quoted_path(project, source) + " into " +
                   quoted_path(project, target) +
                   ", a code inside it; move that code out first, or merge the other way");
  std::vector<const Coding*> moving;
  for (const Coding& c : project.codings)
    if (c.code == source.guid) moving.push_back(&c);
  if (!moving.empty() && !target.codable)
    throw BadInput(quoted_path(project, target) + " is a folder: it cannot take the codings of " +
                   quoted_path(project, source));
  for (const Code& child : project.codes)
    if (child.parent == source.guid) require_free_name(project, target.guid, child.name);

  Batch batch = move_codings_to(project, moving, target.guid);
  // Children move to the end of the target's children, in their order.
  std::vector<Code> codes = project.codes;
  UpdateCodes children;
  for (Code& c : codes)
    if (c.parent == source.guid) {
      c.parent = target.guid;
      children.codes.push_back(c);
    }
  for (const Code& c : children.codes) place_in_codebook(codes, c.guid);
  if (!children.codes.empty()) {
    for (const Code& c : codes) children.order.push_back(c.guid);
    batch.actions.push_back(std::move(children));
  }
  SetMemos memos;
  for (const Memo& m : project.memos)
    if (m.target_kind == MemoTarget::Code && m.target == source.guid) {
      Memo moved = m;
      moved.target = target.guid;
      memos.memos.push_back(std::move(moved));
    }
  if (!memos.memos.empty()) batch.actions.push_back(std::move(memos));
  batch.actions.push_back(RemoveCodes{{source}, {}});
  return Command{std::move(batch), "Merge \"" + project.code_path(source) + "\" into \"" +
                                       project.code_path(target) + "\""};
}

Command split_code(const Project& project, const std::string& from,
                   const std::vector<std::string>& codings, const std::string& into) {
  const Code& source = code_of(project, from);
  const Code& target = code_of(project, into);
  if (source.guid == target.guid)
    throw BadInput("cannot split " + quoted_path(project, source) + " into itself");
  if (!target.codable)
    throw BadInput(quoted_path(project, target) + " is a folder, not a codable code");
  const auto moving = chosen_codings(project, source, codings);
  return Command{move_codings_to(project, moving, target.guid),
                 "Split " + std::to_string(moving.size()) + " codings of \"" +
                     project.code_path(source) + "\" into \"" + project.code_path(target) + "\""};
}

Created split_code_into_new(const Project& project, const std::string& from,
                            const std::vector<std::string>& codings, const std::string& name) {
  const Code& source = code_of(project, from);
  const auto moving = chosen_codings(project, source, codings);
  Code fresh;
  fresh.name = name;
  fresh.parent = source.parent;
  Created created = new_code(project, fresh);
  Batch batch;
  batch.actions.push_back(std::move(created.command.action));
  UpdateCodings moved;
  for (const Coding* c : moving) {
    Coding m = *c;
    m.code = created.guid;
    moved.codings.push_back(std::move(m));
  }
  batch.actions.push_back(std::move(moved));
  created.command = Command{std::move(batch), "Split " + std::to_string(moving.size()) +
                                                  " codings of \"" + project.code_path(source) +
                                                  "\" into new code \"" + trimmed(name) + "\""};
  return created;
}

Command delete_code(const Project& project, const std::string& code, bool with_subcodes) {
  const Code& c = code_of(project, code);
  const std::vector<std::string> subtree = subtree_of(project, c.guid);
  if (subtree.size() > 1 && !with_subcodes)
    throw BadInput(quoted_path(project, c) + " has " + std::to_string(subtree.size() - 1) +
                   (subtree.size() == 2 ? " subcode" : " subcodes") +
                   "; move them first, or delete the whole branch");
  const std::set<std::string> doomed(subtree.begin(), subtree.end());
  RemoveCodings codings;
  std::set<std::string> doomed_codings;
  for (const Coding& coding : project.codings)
    if (doomed.count(coding.code)) {
      codings.codings.push_back(coding);
      doomed_codings.insert(coding.guid);
    }
  SetMemos memos;
  for (const Memo& m : project.memos)
    if ((m.target_kind == MemoTarget::Code && doomed.count(m.target)) ||
        (m.target_kind == MemoTarget::Coding && doomed_codings.count(m.target)))
      memos.previous.push_back(m);
  RemoveCodes codes;  // children before parents
  for (auto it = subtree.rbegin(); it != subtree.rend(); ++it)
    codes.codes.push_back(*project.code(*it));
  Batch batch;
  if (!codings.codings.empty()) batch.actions.push_back(std::move(codings));
  if (!memos.previous.empty()) batch.actions.push_back(std::move(memos));
  batch.actions.push_back(std::move(codes));
  return Command{std::move(batch), "Delete code \"" + project.code_path(c) + "\""};
}

// --- Coding

Command code_utterance(const Project& project, const std::string& source, size_t utterance,
                       const std::string& code, const std::string& coder) {
  const Source* s = project.source(normalize_guid(source));
  if (!s) throw BadInput("no source with GUID " + source);
  if (utterance >= s->utterances.size())
    throw BadInput("source \"" + s->name + "\" has " + std::to_string(s->utterances.size()) +
                   " turns; there is no turn " + std::to_string(utterance + 1));
  const Utterance& u = s->utterances[utterance];
  if (u.start >= u.end)
    throw BadInput("turn " + std::to_string(utterance + 1) + " of \"" + s->name +
                   "\" holds no words to code");
  const Code& c = code_of(project, code);
  Coding coding;
  coding.source = s->guid;
  coding.start = u.start;
  coding.end = u.end;
  coding.code = c.guid;
  coding.coder = normalize_guid(coder);
  return Command{AddCodings{{coding}, {}},
                 "Code turn " + std::to_string(utterance + 1) + " \"" + c.name + "\""};
}

namespace {

// Code points trimmed from the ends of an in-vivo name.
bool trims_at_start(char32_t c) {
  return c == ' ' || c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == '-' ||
         c == ',' || c == ';' || c == ':' || c == '.' || c == 0x201C || c == 0x201D ||
         c == 0x2018 || c == 0x2019 || c == 0x00AB || c == 0x00BB || c == 0x201E || c == 0x201A ||
         c == 0x2026 || c == 0x2013 || c == 0x2014;
}
bool trims_at_end(char32_t c) {
  return trims_at_start(c) || c == ')' || c == ']' || c == '}';
}

// Decodes valid UTF-8 (the model's text is valid) into code points and back.
std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
    for (int k = 1; k < n && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(c);
    i += n;
  }
  return out;
}
std::string to_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

std::u32string trim_name(std::u32string s) {
  size_t first = 0;
  while (first < s.size() && trims_at_start(s[first])) ++first;
  size_t last = s.size();
  while (last > first && trims_at_end(s[last - 1])) --last;
  return s.substr(first, last - first);
}

}  // namespace

std::string in_vivo_name(std::string_view selected) {
  constexpr size_t kMaxLength = 60;
  std::u32string collapsed;
  for (char32_t c : to_u32(selected)) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0;
    if (space) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed.push_back(' ');
    } else {
      collapsed.push_back(c);
    }
  }
  std::u32string name = trim_name(collapsed);
  if (name.size() <= kMaxLength) return to_utf8(name);
  // Cut at the last space that keeps the name within the limit; a single long word is cut inside.
  size_t cut = name.rfind(U' ', kMaxLength);
  if (cut == std::u32string::npos || cut < kMaxLength / 2) cut = kMaxLength;
  return to_utf8(trim_name(name.substr(0, cut))) + "…";
}

Created code_in_vivo(const Project& project, const std::string& source, int64_t start, int64_t end,
                     const std::string& coder, const std::string& parent) {
  const Source* s = project.source(normalize_guid(source));
  if (!s) throw BadInput("no source with GUID " + source);
  const int64_t length = count_code_points(s->text);
  if (start < 0 || start >= end || end > length)
    throw BadInput("span [" + std::to_string(start) + ", " + std::to_string(end) +
                   ") is not inside source \"" + s->name + "\" (0 to " + std::to_string(length) +
                   " characters, start before end)");
  const std::string name = in_vivo_name(substring_cp(s->text, start, end));
  if (name.empty())
    throw BadInput("the selection [" + std::to_string(start) + ", " + std::to_string(end) +
                   ") holds no words to name a code by");
  const std::string parent_guid = parent.empty() ? std::string() : code_of(project, parent).guid;
  Coding coding;
  coding.source = s->guid;
  coding.start = start;
  coding.end = end;
  coding.coder = normalize_guid(coder);
  for (const Code& c : project.codes)
    if (c.parent == parent_guid && c.name == name) {
      if (!c.codable)
        throw BadInput("there is already a folder " + quoted_path(project, c) +
                       "; a folder cannot be applied");
      coding.code = c.guid;
      return {Command{AddCodings{{coding}, {}}, "In-vivo code \"" + name + "\""}, c.guid};
    }
  Code fresh;
  fresh.name = name;
  fresh.parent = parent_guid;
  Created created = new_code(project, fresh);
  coding.code = created.guid;
  Batch batch;
  batch.actions.push_back(std::move(created.command.action));
  batch.actions.push_back(AddCodings{{coding}, {}});
  created.command = Command{std::move(batch), "In-vivo code \"" + name + "\""};
  return created;
}

// --- Memos

Command set_memo(const Project& project, MemoTarget kind, const std::string& target,
                 const std::string& text, const std::string& memo) {
  if (trimmed(text).empty()) return remove_memo(project, kind, target, memo);
  const std::string guid = normalized_target(project, kind, target);
  const std::string on = target_label(project, kind, guid);
  if (kind == MemoTarget::Coding && memo.empty()) {
    Coding c = *project.coding(guid);
    c.memo = text;
    return Command{UpdateCodings{{c}, {}}, "Memo on " + on};
  }
  const Memo* current = pick_memo(project, kind, guid, memo);
  if (!current && kind == MemoTarget::Coding) throw BadInput("no memo with GUID " + memo);
  Memo m;
  if (current) m = *current;
  m.target_kind = kind;
  m.target = guid;
  m.text = text;
  return Command{SetMemos{{m}, {}, {}, {}},
                 std::string(current ? "Edit memo on " : "Memo on ") + on};
}

Command remove_memo(const Project& project, MemoTarget kind, const std::string& target,
                    const std::string& memo) {
  const std::string guid = normalized_target(project, kind, target);
  const std::string on = target_label(project, kind, guid);
  if (kind == MemoTarget::Coding && memo.empty()) {
    Coding c = *project.coding(guid);
    if (c.memo.empty()) throw BadInput(on + " has no memo");
    c.memo.clear();
    return Command{UpdateCodings{{c}, {}}, "Remove memo on " + on};
  }
  const Memo* current = pick_memo(project, kind, guid, memo);
  if (!current) throw BadInput(on + " has no memo");
  return Command{SetMemos{{}, {*current}, {}, {}}, "Remove memo on " + on};
}

std::vector<MemoEntry> list_memos(const Project& project) {
  std::vector<MemoEntry> out;
  auto add_memos = [&](MemoTarget kind, const std::string& target, const std::string& name) {
    for (const Memo* m : memos_on(project, kind, target))
      out.push_back({kind, target, name, m->guid, m->text, m->created});
  };
  add_memos(MemoTarget::Project, "", project.name);
  for (const Source& s : project.sources) add_memos(MemoTarget::Source, s.guid, s.name);
  for (const Code& c : project.codes) add_memos(MemoTarget::Code, c.guid, project.code_path(c));
  for (const Coding& c : project.codings) {
    const Code* code = project.code(c.code);
    const Source* source = project.source(c.source);
    const std::string name = (code ? project.code_path(*code) : c.code) + " in " +
                             (source ? source->name : c.source) + " [" + std::to_string(c.start) +
                             ", " + std::to_string(c.end) + ")";
    if (!c.memo.empty()) out.push_back({MemoTarget::Coding, c.guid, name, "", c.memo, c.created});
    add_memos(MemoTarget::Coding, c.guid, name);
  }
  return out;
}

}  // namespace marginalia
