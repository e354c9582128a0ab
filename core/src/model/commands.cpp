#include "marginalia/commands.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

template <typename T>
bool has_guid(const std::vector<T>& items, const std::string& guid) {
  return std::any_of(items.begin(), items.end(), [&](const T& t) { return t.guid == guid; });
}

template <typename T>
void erase_guid(std::vector<T>& items, const std::string& guid) {
  std::erase_if(items, [&](const T& t) { return t.guid == guid; });
}

void fill_guid(std::string& guid) {
  guid = guid.empty() ? new_guid() : normalize_guid(guid);
}

using CodingKey = std::tuple<std::string, int64_t, int64_t, std::string, std::string>;
CodingKey key_of(const Coding& c) {
  return {c.source, c.start, c.end, c.code, c.coder};
}

Action prepare_action(const Project& project, AddCoder a) {
  fill_guid(a.coder.guid);
  if (a.coder.name.empty()) throw BadInput("a coder needs a name");
  if (has_guid(project.coders, a.coder.guid) || project.coder_named(a.coder.name))
    return AddCodings{};
  return a;
}

Action prepare_action(const Project& project, AddCodes a) {
  std::set<std::string> known;
  for (const auto& c : project.codes) known.insert(c.guid);
  std::vector<Code> fresh;
  for (Code c : a.codes) {
    fill_guid(c.guid);
    if (!c.parent.empty()) c.parent = normalize_guid(c.parent);
    if (c.name.empty()) throw BadInput("a code needs a name (code " + c.guid + ")");
    if (known.count(c.guid)) continue;
    if (!c.parent.empty() && !known.count(c.parent))
      throw BadInput("code \"" + c.name +
                     "\" names a parent that is not in the codebook: " + c.parent);
    known.insert(c.guid);
    fresh.push_back(std::move(c));
  }
  a.codes = std::move(fresh);
  return a;
}

Action prepare_action(const Project& project, RemoveCodes a) {
  std::vector<Code> present;
  std::set<std::string> removing;
  for (const auto& c : a.codes)
    if (const Code* stored = project.code(normalize_guid(c.guid))) {
      present.push_back(*stored);
      removing.insert(stored->guid);
    }
  for (const auto& coding : project.codings)
    if (removing.count(coding.code))
      throw BadInput("code \"" + project.code(coding.code)->name +
                     "\" still has codings; remove them first");
  for (const auto& c : project.codes)
    if (!removing.count(c.guid) && removing.count(c.parent))
      throw BadInput("code \"" + c.name + "\" would lose its parent");
  a.codes = std::move(present);
  return a;
}

Action prepare_action(const Project& project, AddSource a) {
  fill_guid(a.source.guid);
  if (has_guid(project.sources, a.source.guid)) return AddCodings{};
  if (a.source.name.empty()) throw BadInput("a source needs a name");
  const int64_t length = count_code_points(a.source.text);
  for (const auto& u : a.source.utterances)
    if (u.start < 0 || u.end < u.start || u.end > length)
      throw BadInput("source \"" + a.source.name + "\": a turn's offsets [" +
                     std::to_string(u.start) + ", " + std::to_string(u.end) +
                     ") lie outside its text of " + std::to_string(length) + " characters");
  if (a.source.created.empty()) a.source.created = now_iso8601();
  return a;
}

Action prepare_action(const Project& project, RemoveSource a) {
  const Source* stored = project.source(normalize_guid(a.source.guid));
  if (!stored) return AddCodings{};
  for (const auto& coding : project.codings)
    if (coding.source == stored->guid)
      throw BadInput("source \"" + stored->name + "\" still has codings; remove them first");
  a.source = *stored;
  return a;
}

Action prepare_action(const Project& project, AddCodings a) {
  std::set<CodingKey> existing;
  for (const auto& c : project.codings) existing.insert(key_of(c));
  std::map<std::string, int64_t> lengths;  // per source, computed once per command
  std::vector<Coding> fresh;
  for (Coding c : a.codings) {
    fill_guid(c.guid);
    c.source = normalize_guid(c.source);
    c.code = normalize_guid(c.code);
    c.coder = normalize_guid(c.coder);
    const Source* source = project.source(c.source);
    if (!source) throw BadInput("no source with GUID " + c.source);
    const Code* code = project.code(c.code);
    if (!code) throw BadInput("no code with GUID " + c.code);
    if (!code->codable)
      throw BadInput("\"" + project.code_path(*code) + "\" is a folder, not a codable code");
    if (!project.coder(c.coder)) throw BadInput("no coder with GUID " + c.coder);
    auto [it, inserted] = lengths.try_emplace(c.source, 0);
    if (inserted) it->second = count_code_points(source->text);
    if (c.start < 0 || c.start >= c.end || c.end > it->second)
      throw BadInput("span [" + std::to_string(c.start) + ", " + std::to_string(c.end) +
                     ") is not inside source \"" + source->name + "\" (0 to " +
                     std::to_string(it->second) + " characters, start before end)");
    if (has_guid(project.codings, c.guid) || !existing.insert(key_of(c)).second) continue;
    if (c.created.empty()) c.created = now_iso8601();
    fresh.push_back(std::move(c));
  }
  a.codings = std::move(fresh);
  return a;
}

Action prepare_action(const Project& project, RemoveCodings a) {
  std::vector<Coding> present;
  std::set<std::string> seen;
  for (const auto& c : a.codings)
    if (const Coding* stored = project.coding(normalize_guid(c.guid));
        stored && seen.insert(stored->guid).second)
      present.push_back(*stored);
  a.codings = std::move(present);
  return a;
}

const Case* find_case(const Project& project, const std::string& guid) {
  auto it = std::find_if(project.cases.begin(), project.cases.end(),
                         [&](const Case& c) { return c.guid == guid; });
  return it == project.cases.end() ? nullptr : &*it;
}

Action prepare_action(const Project& project, SetCases a) {
  SetCases prepared;
  std::set<std::string> kept;
  for (Case c : a.cases) {
    fill_guid(c.guid);
    if (c.name.empty()) throw BadInput("a case needs a name (case " + c.guid + ")");
    for (auto& source : c.sources) {
      source = normalize_guid(source);
      if (!project.source(source))
        throw BadInput("case \"" + c.name + "\" names no known source (" + source + ")");
    }
    kept.insert(c.guid);
    const Case* current = find_case(project, c.guid);
    if (current && *current == c) continue;
    if (current) prepared.previous.push_back(*current);
    prepared.cases.push_back(std::move(c));
  }
  for (const auto& removed : a.previous)  // removals asked for
    if (const Case* current = find_case(project, normalize_guid(removed.guid));
        current && !kept.count(current->guid))
      prepared.previous.push_back(*current);
  return prepared;
}

struct Applier {
  Project& project;
  void operator()(const AddCoder& a) {
    if (!has_guid(project.coders, a.coder.guid)) project.coders.push_back(a.coder);
  }
  void operator()(const AddCodes& a) {
    for (const auto& c : a.codes)
      if (!has_guid(project.codes, c.guid)) project.codes.push_back(c);
  }
  void operator()(const RemoveCodes& a) {
    for (const auto& c : a.codes) erase_guid(project.codes, c.guid);
  }
  void operator()(const AddSource& a) {
    if (!has_guid(project.sources, a.source.guid)) project.sources.push_back(a.source);
  }
  void operator()(const RemoveSource& a) {
    erase_guid(project.sources, a.source.guid);
    for (auto& c : project.cases) std::erase(c.sources, a.source.guid);
  }
  void operator()(const AddCodings& a) {
    for (const auto& c : a.codings)
      if (!has_guid(project.codings, c.guid)) project.codings.push_back(c);
  }
  void operator()(const SetCases& a) {
    for (const auto& old : a.previous)
      if (std::none_of(a.cases.begin(), a.cases.end(),
                       [&](const Case& c) { return c.guid == old.guid; }))
        erase_guid(project.cases, old.guid);
    for (const auto& c : a.cases) {
      auto it = std::find_if(project.cases.begin(), project.cases.end(),
                             [&](const Case& p) { return p.guid == c.guid; });
      if (it == project.cases.end())
        project.cases.push_back(c);
      else
        *it = c;
    }
  }
  void operator()(const RemoveCodings& a) {
    std::set<std::string> gone;
    for (const auto& c : a.codings) gone.insert(c.guid);
    std::erase_if(project.codings, [&](const Coding& c) { return gone.count(c.guid) > 0; });
  }
};

}  // namespace

Command prepare(const Project& project, Command command) {
  command.action = std::visit(
      [&](auto a) -> Action { return prepare_action(project, std::move(a)); }, command.action);
  return command;
}

bool is_empty(const Command& command) {
  return std::visit(
      [](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, AddCodes> || std::is_same_v<T, RemoveCodes>)
          return a.codes.empty();
        else if constexpr (std::is_same_v<T, AddCodings> || std::is_same_v<T, RemoveCodings>)
          return a.codings.empty();
        else if constexpr (std::is_same_v<T, SetCases>)
          return a.cases.empty() && a.previous.empty();
        else
          return false;
      },
      command.action);
}

void apply(Project& project, const Command& command) {
  std::visit(Applier{project}, command.action);
}

Command inverse(const Command& command) {
  Action undo = std::visit(
      [](const auto& a) -> Action {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, AddCoder>)
          return AddCodings{};  // coders stay, like user accounts: nothing to undo
        else if constexpr (std::is_same_v<T, AddCodes>)
          return RemoveCodes{{a.codes.rbegin(), a.codes.rend()}};
        else if constexpr (std::is_same_v<T, RemoveCodes>)
          return AddCodes{{a.codes.rbegin(), a.codes.rend()}};
        else if constexpr (std::is_same_v<T, AddSource>)
          return RemoveSource{a.source};
        else if constexpr (std::is_same_v<T, RemoveSource>)
          return AddSource{a.source};
        else if constexpr (std::is_same_v<T, AddCodings>)
          return RemoveCodings{a.codings};
        else if constexpr (std::is_same_v<T, SetCases>)
          return SetCases{a.previous, a.cases};
        else
          return AddCodings{a.codings};
      },
      command.action);
  return Command{std::move(undo), command.label};
}

}  // namespace marginalia
