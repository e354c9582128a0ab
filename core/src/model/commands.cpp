#include "marginalia/commands.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "marginalia/error.h"
#include "marginalia/pins.h"
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

template <typename T>
std::map<std::string, size_t> index_by_guid(const std::vector<T>& items) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].guid, i);
  return index;
}

template <typename T>
std::vector<std::string> guids_of(const std::vector<T>& items) {
  std::vector<std::string> guids;
  guids.reserve(items.size());
  for (const T& t : items) guids.push_back(t.guid);
  return guids;
}

// Which of `added` are new: not in `items` and not an earlier one of `added` again. One scan of
// `items` against a set of the few added, so adding to a large list allocates nothing per item.
template <typename T>
std::vector<bool> not_present(const std::vector<T>& items, const std::vector<T>& added) {
  std::unordered_set<std::string_view> wanted;
  for (const T& t : added) wanted.insert(t.guid);
  std::unordered_set<std::string_view> present;
  for (const T& t : items)
    if (wanted.count(t.guid)) present.insert(t.guid);
  std::vector<bool> fresh(added.size());
  for (size_t i = 0; i < added.size(); ++i) fresh[i] = present.insert(added[i].guid).second;
  return fresh;
}

// Inserts the items that are not there yet, each at its position in the list as it will be (see
// commands.h); in one pass, so putting back thousands of codings stays linear.
template <typename T>
void insert_at_positions(std::vector<T>& items, const std::vector<T>& added,
                         const std::vector<int64_t>& positions, const std::vector<bool>& fresh) {
  if (positions.size() != added.size()) {
    for (size_t i = 0; i < added.size(); ++i)
      if (fresh[i]) items.push_back(added[i]);
    return;
  }
  std::vector<std::pair<int64_t, const T*>> pending;
  for (size_t i = 0; i < added.size(); ++i)
    if (fresh[i]) pending.emplace_back(positions[i], &added[i]);
  if (pending.empty()) return;
  std::stable_sort(pending.begin(), pending.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (pending.size() <= 16) {  // a few: in place, as the merge below would place them
    int64_t previous = -1;
    for (const auto& [position, item] : pending) {
      const int64_t at =
          std::min(std::max(position, previous + 1), static_cast<int64_t>(items.size()));
      items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), *item);
      previous = at;
    }
    return;
  }
  std::vector<T> out;
  out.reserve(items.size() + pending.size());
  size_t e = 0, k = 0;
  while (e < items.size() || k < pending.size()) {
    if (k < pending.size() &&
        (pending[k].first <= static_cast<int64_t>(out.size()) || e == items.size()))
      out.push_back(*pending[k++].second);
    else
      out.push_back(std::move(items[e++]));
  }
  items = std::move(out);
}

// Items listed in `order` take that order; the others follow in their own order.
template <typename T>
void reorder(std::vector<T>& items, const std::vector<std::string>& order) {
  if (order.empty()) return;
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);
  auto rank_of = [&](const T& t) {
    auto it = rank.find(t.guid);
    return it == rank.end() ? order.size() : it->second;
  };
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return rank_of(a) < rank_of(b); });
}

// A removal's inverse: the items sorted by where they were, with those positions.
template <typename T>
std::pair<std::vector<T>, std::vector<int64_t>> by_position(const std::vector<T>& items,
                                                            const std::vector<int64_t>& positions) {
  std::vector<size_t> idx(items.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](size_t a, size_t b) { return positions[a] < positions[b]; });
  std::pair<std::vector<T>, std::vector<int64_t>> out;
  for (size_t i : idx) {
    out.first.push_back(items[i]);
    out.second.push_back(positions[i]);
  }
  return out;
}

void fill_guid(std::string& guid) {
  guid = guid.empty() ? new_guid() : normalize_guid(guid);
}

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// "" stays "" (no colour); #RGB and #RRGGBB become upper-case #RRGGBB; anything else is nullopt.
std::optional<std::string> normalized_colour(const std::string& colour) {
  if (colour.empty()) return colour;
  if (colour[0] != '#' || (colour.size() != 7 && colour.size() != 4)) return std::nullopt;
  std::string hex;
  for (size_t i = 1; i < colour.size(); ++i) {
    const char c = colour[i];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    hex += colour.size() == 4 ? std::string(2, upper) : std::string(1, upper);
  }
  return "#" + hex;
}

bool parents_first(const std::vector<Code>& codes) {
  std::set<std::string> seen;
  for (const auto& c : codes) {
    if (!c.parent.empty() && !seen.count(c.parent)) return false;
    seen.insert(c.guid);
  }
  return true;
}

// Views into a Coding: the coding it comes from must outlive the key.
using CodingKey =
    std::tuple<std::string_view, int64_t, int64_t, std::string_view, std::string_view>;
CodingKey key_of(const Coding& c) {
  return {c.source, c.start, c.end, c.code, c.coder};
}
struct CodingKeyHash {
  size_t operator()(const CodingKey& k) const {
    size_t h = std::hash<std::string_view>{}(std::get<0>(k));
    auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(std::hash<int64_t>{}(std::get<1>(k)));
    mix(std::hash<int64_t>{}(std::get<2>(k)));
    mix(std::hash<std::string_view>{}(std::get<3>(k)));
    mix(std::hash<std::string_view>{}(std::get<4>(k)));
    return h;
  }
};
using CodingKeySet = std::unordered_set<CodingKey, CodingKeyHash>;

// Where each of `guids` is in `items` (npos if nowhere; the first if twice), in one scan.
template <typename T>
std::unordered_map<std::string_view, size_t> positions_of(const std::vector<T>& items,
                                                          const std::vector<std::string>& guids) {
  std::unordered_map<std::string_view, size_t> found;
  for (const std::string& guid : guids) found.emplace(guid, std::string::npos);
  for (size_t i = 0; i < items.size(); ++i)
    if (auto it = found.find(items[i].guid); it != found.end() && it->second == std::string::npos)
      it->second = i;
  return found;
}

// What AddCodings and UpdateCodings check of a coding: known source, codable code and coder, a
// span inside the text. `lengths` caches each source's length in code points.
void check_coding(const Project& project, const Coding& c,
                  std::map<std::string, int64_t>& lengths) {
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
}

Action prepare_any(const Project& project, Action action, CodingLookup* lookup);
bool empty_action(const Action& action);
void apply_action(Project& project, const Action& action, CodingLookup* lookup);
Action inverse_action(const Action& action);

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
  const bool positioned = a.positions.size() == a.codes.size();
  AddCodes fresh;
  for (size_t i = 0; i < a.codes.size(); ++i) {
    Code c = std::move(a.codes[i]);
    fill_guid(c.guid);
    if (!c.parent.empty()) c.parent = normalize_guid(c.parent);
    if (blank(c.name)) throw BadInput("a code needs a name (code " + c.guid + ")");
    const auto colour = normalized_colour(c.color);
    if (!colour)
      throw BadInput("colour \"" + c.color + "\" of code \"" + c.name +
                     "\" is not a colour of the form #RRGGBB, e.g. #D55E00");
    c.color = *colour;
    if (known.count(c.guid)) continue;
    if (!c.parent.empty() && !known.count(c.parent))
      throw BadInput("code \"" + c.name +
                     "\" names a parent that is not in the codebook: " + c.parent);
    known.insert(c.guid);
    fresh.codes.push_back(std::move(c));
    if (positioned) fresh.positions.push_back(a.positions[i]);
  }
  return fresh;
}

Action prepare_action(const Project& project, RemoveCodes a) {
  const auto index = index_by_guid(project.codes);
  RemoveCodes present;
  std::set<std::string> removing;
  for (const auto& c : a.codes) {
    auto it = index.find(normalize_guid(c.guid));
    if (it == index.end() || !removing.insert(it->first).second) continue;
    present.codes.push_back(project.codes[it->second]);
    present.positions.push_back(static_cast<int64_t>(it->second));
  }
  for (const auto& coding : project.codings)
    if (removing.count(coding.code))
      throw BadInput("code \"" + project.code(coding.code)->name +
                     "\" still has codings; remove them first");
  for (const auto& c : project.codes)
    if (!removing.count(c.guid) && removing.count(c.parent))
      throw BadInput("code \"" + c.name + "\" would lose its parent");
  return present;
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

// A command names a few codings of many: each is checked against the project's codings in one scan
// against the few, never by building sets of every coding in the project.
Action prepare_action(const Project& project, AddCodings a, CodingLookup* lookup) {
  std::map<std::string, int64_t> lengths;  // per source, computed once per command
  bool scan = !lookup;
  for (Coding& c : a.codings) {
    // A GUID made here is a fresh random one: only a given one can be taken already.
    const bool given = !c.guid.empty();
    fill_guid(c.guid);
    c.source = normalize_guid(c.source);
    c.code = normalize_guid(c.code);
    c.coder = normalize_guid(c.coder);
    check_coding(project, c, lengths);
    if (lookup &&
        ((given && lookup->may_have_guid(project, c.guid)) || lookup->may_have(project, c)))
      scan = true;
  }
  // Those whose GUID or span, code and coder the project has already: a scan of its codings, when
  // the lookup cannot rule them out.
  std::unordered_set<std::string_view> asked_guids, taken_guids;
  CodingKeySet asked_keys, taken_keys;
  for (const Coding& c : a.codings) {
    asked_guids.insert(c.guid);
    asked_keys.insert(key_of(c));
  }
  if (scan)
    for (const Coding& c : project.codings) {
      if (asked_guids.count(c.guid)) taken_guids.insert(c.guid);
      if (const CodingKey key = key_of(c); asked_keys.count(key)) taken_keys.insert(key);
    }
  const bool positioned = a.positions.size() == a.codings.size();
  AddCodings fresh;
  std::unordered_set<std::string> guids;
  std::set<std::tuple<std::string, int64_t, int64_t, std::string, std::string>> keys;
  for (size_t i = 0; i < a.codings.size(); ++i) {
    Coding& c = a.codings[i];
    if (taken_guids.count(c.guid) || taken_keys.count(key_of(c)) || guids.count(c.guid) ||
        !keys.emplace(c.source, c.start, c.end, c.code, c.coder).second)
      continue;
    guids.insert(c.guid);
    if (c.created.empty()) c.created = now_iso8601();
    fresh.codings.push_back(std::move(c));
    if (positioned) fresh.positions.push_back(a.positions[i]);
  }
  return fresh;
}

Action prepare_action(const Project& project, RemoveCodings a) {
  std::vector<std::string> asked;
  for (const auto& c : a.codings) asked.push_back(normalize_guid(c.guid));
  const auto index = positions_of(project.codings, asked);
  RemoveCodings present;
  std::unordered_set<std::string_view> seen;
  for (const std::string& guid : asked) {
    const size_t at = index.at(guid);
    if (at == std::string::npos || !seen.insert(guid).second) continue;
    present.codings.push_back(project.codings[at]);
    present.positions.push_back(static_cast<int64_t>(at));
  }
  return present;
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

Action prepare_action(const Project& project, UpdateCodes a) {
  std::map<std::string, Code> updated;  // the last version given of each code wins
  std::vector<std::string> sequence;
  for (Code c : a.codes) {
    c.guid = normalize_guid(c.guid);
    if (!c.parent.empty()) c.parent = normalize_guid(c.parent);
    const Code* current = project.code(c.guid);
    if (!current) throw BadInput("no code with GUID " + c.guid);
    if (blank(c.name))
      throw BadInput("code \"" + project.code_path(*current) +
                     "\" needs a name: the new name is empty");
    const auto colour = normalized_colour(c.color);
    if (!colour)
      throw BadInput("colour \"" + c.color + "\" for code \"" + project.code_path(*current) +
                     "\" is not a colour of the form #RRGGBB, e.g. #D55E00");
    c.color = *colour;
    if (!updated.count(c.guid)) sequence.push_back(c.guid);
    updated[c.guid] = std::move(c);
  }

  std::vector<Code> codes = project.codes;  // the codebook as it will be
  for (Code& c : codes)
    if (auto it = updated.find(c.guid); it != updated.end()) c = it->second;
  std::map<std::string, const Code*> by_guid;
  for (const Code& c : codes) by_guid.emplace(c.guid, &c);
  for (const auto& [guid, c] : updated) {
    const std::string path = project.code_path(*project.code(guid));
    if (!c.parent.empty()) {
      auto parent = by_guid.find(c.parent);
      if (parent == by_guid.end())
        throw BadInput("code \"" + path + "\": no parent code with GUID " + c.parent);
      std::string up = c.parent;
      for (size_t steps = 0; !up.empty() && steps <= codes.size(); ++steps) {
        if (up == guid)
          throw BadInput("cannot move \"" + path + "\" under \"" +
                         project.code_path(*project.code(c.parent)) +
                         "\": that code is inside it (or is the code itself)");
        auto next = by_guid.find(up);
        up = next == by_guid.end() ? std::string() : next->second->parent;
      }
    }
    if (!c.codable)
      for (const Coding& coding : project.codings)
        if (coding.code == guid)
          throw BadInput("code \"" + path +
                         "\" has codings, so it cannot become a folder; move or remove them first");
  }

  UpdateCodes prepared;
  for (const std::string& guid : sequence) {
    const Code& current = *project.code(guid);
    if (current == updated[guid]) continue;
    prepared.codes.push_back(updated[guid]);
    prepared.previous.push_back(current);
  }
  const std::vector<std::string> current_order = guids_of(project.codes);
  if (!a.order.empty()) {
    for (auto& guid : a.order) guid = normalize_guid(guid);
    std::vector<std::string> sorted_given = a.order, sorted_current = current_order;
    std::sort(sorted_given.begin(), sorted_given.end());
    std::sort(sorted_current.begin(), sorted_current.end());
    if (sorted_given != sorted_current)
      throw BadInput("a new codebook order must name every code exactly once");
    reorder(codes, a.order);
  } else if (!parents_first(codes)) {
    for (size_t i = 0; i < prepared.codes.size(); ++i)
      if (prepared.codes[i].parent != prepared.previous[i].parent)
        place_in_codebook(codes, prepared.codes[i].guid);
  }
  if (!parents_first(codes)) throw BadInput("the new codebook order puts a code before its parent");
  std::vector<std::string> order = guids_of(codes);
  if (order != current_order) {
    prepared.order = std::move(order);
    prepared.previous_order = current_order;
  }
  return prepared;
}

Action prepare_action(const Project& project, UpdateCodings a) {
  for (Coding& c : a.codings) {
    c.guid = normalize_guid(c.guid);
    c.source = normalize_guid(c.source);
    c.code = normalize_guid(c.code);
    c.coder = normalize_guid(c.coder);
  }
  std::vector<std::string> asked;
  for (const Coding& c : a.codings) asked.push_back(c.guid);
  const auto index = positions_of(project.codings, asked);
  std::map<std::string, Coding> updated;
  std::vector<std::string> sequence;
  std::map<std::string, int64_t> lengths;
  for (Coding& c : a.codings) {
    const size_t at = index.at(c.guid);
    if (at == std::string::npos) throw BadInput("no coding with GUID " + c.guid);
    if (c.created.empty()) c.created = project.codings[at].created;
    check_coding(project, c, lengths);
    if (!updated.count(c.guid)) sequence.push_back(c.guid);
    std::string guid = c.guid;
    updated[guid] = std::move(c);
  }
  // The same span coded twice by one coder with one code is one coding: refuse to make two.
  // `keys` holds the updated codings' keys, each with the first other coding that has it.
  std::unordered_map<CodingKey, const std::string*, CodingKeyHash> keys;
  for (const auto& [guid, c] : updated) keys.emplace(key_of(c), nullptr);
  for (const Coding& c : project.codings)
    if (auto it = keys.find(key_of(c)); it != keys.end() && !it->second && !updated.count(c.guid))
      it->second = &c.guid;
  std::unordered_map<CodingKey, const std::string*, CodingKeyHash> taken;
  for (const std::string& guid : sequence) {
    const CodingKey key = key_of(updated[guid]);
    const std::string* other = keys.at(key);
    if (!other) {
      auto [it, fresh] = taken.emplace(key, &guid);
      if (!fresh) other = it->second;
    }
    if (other)
      throw BadInput("coding " + guid + " would become the same coding as " + *other +
                     " (same source, span, code and coder); remove one of them instead");
  }
  UpdateCodings prepared;
  for (const std::string& guid : sequence) {
    const Coding& current = project.codings[index.at(guid)];
    if (current == updated[guid]) continue;
    prepared.codings.push_back(updated[guid]);
    prepared.previous.push_back(current);
  }
  return prepared;
}

const Memo* find_memo(const Project& project, const std::string& guid) {
  auto it = std::find_if(project.memos.begin(), project.memos.end(),
                         [&](const Memo& m) { return m.guid == guid; });
  return it == project.memos.end() ? nullptr : &*it;
}

Action prepare_action(const Project& project, SetMemos a) {
  SetMemos prepared;
  std::set<std::string> kept;
  for (Memo m : a.memos) {
    fill_guid(m.guid);
    if (m.target_kind == MemoTarget::Project)
      m.target.clear();
    else
      m.target = normalize_guid(m.target);
    const Memo* current = find_memo(project, m.guid);
    switch (m.target_kind) {
      case MemoTarget::Project:
        break;
      case MemoTarget::Source:
        if (!project.source(m.target))
          throw BadInput("a memo names no known source (" + m.target + ")");
        break;
      case MemoTarget::Code:
        if (!project.code(m.target))
          throw BadInput("a memo names no known code (" + m.target + ")");
        break;
      case MemoTarget::Coding:
        if (!current || current->target_kind != MemoTarget::Coding)
          throw BadInput(
              "a coding's memo is kept with the coding (Coding::memo); "
              "change it with UpdateCodings");
        if (!project.coding(m.target))
          throw BadInput("a memo names no known coding (" + m.target + ")");
        break;
    }
    if (m.created.empty()) m.created = current ? current->created : now_iso8601();
    if (!kept.insert(m.guid).second) continue;
    if (current && *current == m) continue;
    if (current) prepared.previous.push_back(*current);
    prepared.memos.push_back(std::move(m));
  }
  bool removes = false;
  std::set<std::string> listed;
  for (const Memo& m : prepared.previous) listed.insert(m.guid);
  for (const Memo& removed : a.previous)  // removals asked for
    if (const Memo* current = find_memo(project, normalize_guid(removed.guid));
        current && !kept.count(current->guid) && listed.insert(current->guid).second) {
      prepared.previous.push_back(*current);
      removes = true;
    }
  if (!a.order.empty()) {
    Project after = project;
    apply_action(after, prepared, nullptr);
    for (auto& guid : a.order) guid = normalize_guid(guid);
    std::vector<std::string> sorted_given = a.order, resulting = guids_of(after.memos);
    std::sort(sorted_given.begin(), sorted_given.end());
    std::sort(resulting.begin(), resulting.end());
    if (sorted_given != resulting)
      throw BadInput("a new order of memos must name every memo exactly once");
    if (a.order != guids_of(after.memos)) prepared.order = a.order;
  }
  if (removes || !prepared.order.empty()) prepared.previous_order = guids_of(project.memos);
  return prepared;
}

Action prepare_action(const Project& project, SetDone a) {
  std::set<DoneMark> present(project.done.begin(), project.done.end());
  SetDone prepared{{}, a.done};
  for (DoneMark m : a.marks) {
    m.coder = normalize_guid(m.coder);
    m.source = normalize_guid(m.source);
    if (!project.coder(m.coder)) throw BadInput("no coder with GUID " + m.coder);
    if (!project.source(m.source)) throw BadInput("no source with GUID " + m.source);
    if (present.count(m) == static_cast<size_t>(a.done)) continue;
    if (a.done)
      present.insert(m);
    else
      present.erase(m);
    prepared.marks.push_back(std::move(m));
  }
  return prepared;
}

Action prepare_action(const Project& project, SetPins a) {
  if (a.pins.size() != kPinKeys) throw BadInput("pins must name the nine keys 1-9");
  std::set<std::string> seen;
  for (std::string& guid : a.pins) {
    if (guid.empty()) continue;
    guid = normalize_guid(guid);
    const Code* code = project.code(guid);
    if (!code) throw BadInput("no code with GUID " + guid);
    if (!code->codable) throw BadInput("\"" + code->name + "\" is a folder: it cannot be pinned");
    if (!seen.insert(guid).second) throw BadInput("\"" + code->name + "\" is pinned to two keys");
  }
  a.previous = stored_pins(project);
  if (a.previous == a.pins) return SetPins{};
  return a;
}

Action prepare_action(const Project& project, Batch a, CodingLookup* lookup) {
  Batch prepared;
  std::optional<Project> scratch;  // the project as the actions so far leave it
  const Project* current = &project;
  for (size_t i = 0; i < a.actions.size(); ++i) {
    Action action =
        prepare_any(*current, std::move(a.actions[i]), current == &project ? lookup : nullptr);
    if (empty_action(action)) continue;
    if (i + 1 < a.actions.size()) {
      if (!scratch) {
        scratch = project;
        current = &*scratch;
      }
      apply_action(*scratch, action, nullptr);
    }
    prepared.actions.push_back(std::move(action));
  }
  if (prepared.actions.size() == 1) return std::move(prepared.actions.front());
  return prepared;
}

Action prepare_any(const Project& project, Action action, CodingLookup* lookup) {
  return std::visit(
      [&](auto a) -> Action {
        if constexpr (requires { prepare_action(project, std::move(a), lookup); })
          return prepare_action(project, std::move(a), lookup);
        else
          return prepare_action(project, std::move(a));
      },
      std::move(action));
}

// Which of `added` are not in the project yet, asking the lookup first: the codings are scanned
// only when it cannot rule a GUID out.
std::vector<bool> fresh_codings(const Project& project, const std::vector<Coding>& added,
                                CodingLookup* lookup) {
  if (lookup) {
    std::vector<bool> fresh(added.size());
    std::unordered_set<std::string_view> seen;
    bool sure = true;
    for (size_t i = 0; i < added.size() && sure; ++i) {
      sure = !lookup->may_have_guid(project, added[i].guid);
      fresh[i] = seen.insert(added[i].guid).second;
    }
    if (sure) return fresh;
  }
  return not_present(project.codings, added);
}

struct Applier {
  Project& project;
  CodingLookup* lookup;
  void operator()(const AddCoder& a) {
    if (!has_guid(project.coders, a.coder.guid)) project.coders.push_back(a.coder);
  }
  void operator()(const AddCodes& a) {
    insert_at_positions(project.codes, a.codes, a.positions, not_present(project.codes, a.codes));
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
    const std::vector<bool> fresh = fresh_codings(project, a.codings, lookup);
    insert_at_positions(project.codings, a.codings, a.positions, fresh);
    if (lookup)
      for (size_t i = 0; i < a.codings.size(); ++i)
        if (fresh[i]) lookup->added(a.codings[i]);
  }
  void operator()(const RemoveCodings& a) {
    std::set<std::string> gone;
    for (const auto& c : a.codings) gone.insert(c.guid);
    std::erase_if(project.codings, [&](const Coding& c) {
      const bool removed = gone.count(c.guid) > 0;
      if (removed && lookup) lookup->removed(c);
      return removed;
    });
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
  void operator()(const UpdateCodes& a) {
    std::map<std::string, const Code*> updated;
    for (const auto& c : a.codes) updated[c.guid] = &c;
    for (Code& c : project.codes)
      if (auto it = updated.find(c.guid); it != updated.end()) c = *it->second;
    reorder(project.codes, a.order);
  }
  void operator()(const UpdateCodings& a) {
    std::map<std::string, const Coding*> updated;
    for (const auto& c : a.codings) updated[c.guid] = &c;
    for (Coding& c : project.codings)
      if (auto it = updated.find(c.guid); it != updated.end()) c = *it->second;
    if (lookup) lookup->invalidate();
  }
  void operator()(const SetMemos& a) {
    std::set<std::string> kept;
    for (const auto& m : a.memos) kept.insert(m.guid);
    for (const auto& old : a.previous)
      if (!kept.count(old.guid)) erase_guid(project.memos, old.guid);
    for (const auto& m : a.memos) {
      auto it = std::find_if(project.memos.begin(), project.memos.end(),
                             [&](const Memo& p) { return p.guid == m.guid; });
      if (it == project.memos.end())
        project.memos.push_back(m);
      else
        *it = m;
    }
    reorder(project.memos, a.order);
  }
  void operator()(const SetDone& a) {
    for (const DoneMark& m : a.marks) {
      const bool there =
          std::find(project.done.begin(), project.done.end(), m) != project.done.end();
      if (a.done && !there) project.done.push_back(m);
      if (!a.done && there) std::erase(project.done, m);
    }
  }
  void operator()(const SetPins& a) {
    for (size_t k = 0; k < a.pins.size(); ++k) {
      const std::string name = "pin." + std::to_string(k + 1);
      if (a.pins[k].empty())
        project.settings.erase(name);
      else
        project.settings[name] = a.pins[k];
    }
  }
  void operator()(const Batch& a) {
    for (const Action& action : a.actions) apply_action(project, action, lookup);
  }
};

void apply_action(Project& project, const Action& action, CodingLookup* lookup) {
  std::visit(Applier{project, lookup}, action);
}

bool empty_action(const Action& action) {
  return std::visit(
      [](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, AddCodes> || std::is_same_v<T, RemoveCodes>)
          return a.codes.empty();
        else if constexpr (std::is_same_v<T, AddCodings> || std::is_same_v<T, RemoveCodings>)
          return a.codings.empty();
        else if constexpr (std::is_same_v<T, SetCases>)
          return a.cases.empty() && a.previous.empty();
        else if constexpr (std::is_same_v<T, UpdateCodes>)
          return a.codes.empty() && a.order.empty();
        else if constexpr (std::is_same_v<T, UpdateCodings>)
          return a.codings.empty();
        else if constexpr (std::is_same_v<T, SetMemos>)
          return a.memos.empty() && a.previous.empty() && a.order.empty();
        else if constexpr (std::is_same_v<T, SetDone>)
          return a.marks.empty();
        else if constexpr (std::is_same_v<T, SetPins>)
          return a.pins.empty() || a.pins == a.previous;
        else if constexpr (std::is_same_v<T, Batch>)
          return std::all_of(a.actions.begin(), a.actions.end(), empty_action);
        else
          return false;
      },
      action);
}

Action inverse_action(const Action& action) {
  return std::visit(
      [](const auto& a) -> Action {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, AddCoder>) {
          return AddCodings{};  // coders stay, like user accounts: nothing to undo
        } else if constexpr (std::is_same_v<T, AddCodes>) {
          return RemoveCodes{{a.codes.rbegin(), a.codes.rend()},
                             {a.positions.rbegin(), a.positions.rend()}};
        } else if constexpr (std::is_same_v<T, RemoveCodes>) {
          if (a.positions.size() != a.codes.size())
            return AddCodes{{a.codes.rbegin(), a.codes.rend()}, {}};
          auto [codes, positions] = by_position(a.codes, a.positions);
          return AddCodes{std::move(codes), std::move(positions)};
        } else if constexpr (std::is_same_v<T, AddSource>) {
          return RemoveSource{a.source};
        } else if constexpr (std::is_same_v<T, RemoveSource>) {
          return AddSource{a.source};
        } else if constexpr (std::is_same_v<T, AddCodings>) {
          return RemoveCodings{a.codings, a.positions};
        } else if constexpr (std::is_same_v<T, RemoveCodings>) {
          if (a.positions.size() != a.codings.size()) return AddCodings{a.codings, {}};
          auto [codings, positions] = by_position(a.codings, a.positions);
          return AddCodings{std::move(codings), std::move(positions)};
        } else if constexpr (std::is_same_v<T, SetCases>) {
          return SetCases{a.previous, a.cases};
        } else if constexpr (std::is_same_v<T, UpdateCodes>) {
          return UpdateCodes{a.previous, a.codes, a.previous_order, a.order};
        } else if constexpr (std::is_same_v<T, UpdateCodings>) {
          return UpdateCodings{a.previous, a.codings};
        } else if constexpr (std::is_same_v<T, SetMemos>) {
          return SetMemos{a.previous, a.memos, a.previous_order, a.order};
        } else if constexpr (std::is_same_v<T, SetDone>) {
          return SetDone{{a.marks.rbegin(), a.marks.rend()}, !a.done};
        } else if constexpr (std::is_same_v<T, SetPins>) {
          return SetPins{a.previous, a.pins};
        } else {
          static_assert(std::is_same_v<T, Batch>);
          Batch undo;
          for (auto it = a.actions.rbegin(); it != a.actions.rend(); ++it)
            undo.actions.push_back(inverse_action(*it));
          return undo;
        }
      },
      action);
}

}  // namespace

Command prepare(const Project& project, Command command, CodingLookup* lookup) {
  command.action = prepare_any(project, std::move(command.action), lookup);
  return command;
}

bool is_empty(const Command& command) {
  return empty_action(command.action);
}

void apply(Project& project, const Command& command, CodingLookup* lookup) {
  apply_action(project, command.action, lookup);
}

namespace {
uint64_t guid_hash(std::string_view guid) {
  return std::hash<std::string_view>{}(guid);
}
uint64_t key_hash(const Coding& coding) {
  return CodingKeyHash{}(key_of(coding));
}
constexpr uint64_t kCountBits = 16, kCountMask = (uint64_t{1} << kCountBits) - 1;
uint64_t key_of_hash(uint64_t hash) {
  const uint64_t key = hash >> kCountBits;
  return key ? key : 1;  // a slot of 0 is empty
}
uint64_t coding_guid_hash(const Coding& coding) {
  return guid_hash(coding.guid);
}
}  // namespace

size_t CodingLookup::Counts::slot_of(uint64_t key) const {
  const size_t mask = slots_.size() - 1;
  size_t at = key & mask;
  while (slots_[at] != 0 && (slots_[at] >> kCountBits) != key) at = (at + 1) & mask;
  return at;
}

void CodingLookup::Counts::insert(uint64_t key) {
  if (2 * (used_ + 1) > slots_.size()) {  // grow, leaving out the counts of 0
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(16, 2 * old.size()), 0);
    used_ = 0;
    for (uint64_t slot : old)
      if (slot & kCountMask) {
        slots_[slot_of(slot >> kCountBits)] = slot;
        ++used_;
      }
  }
  uint64_t& slot = slots_[slot_of(key)];
  if (slot == 0) {
    slot = key << kCountBits;
    ++used_;
  }
  if ((slot & kCountMask) != kCountMask) ++slot;  // a full count stays: "maybe" for good
}

void CodingLookup::Counts::refresh(const Project& project, HashOf hash_of) {
  if (valid_ && count_ == project.codings.size()) return;
  size_t size = 16;
  while (size < 2 * project.codings.size()) size *= 2;
  slots_.assign(size, 0);
  used_ = 0;
  for (const Coding& c : project.codings) insert(key_of_hash(hash_of(c)));
  count_ = project.codings.size();
  valid_ = true;
}

bool CodingLookup::Counts::contains(const Project& project, uint64_t hash, HashOf hash_of) {
  refresh(project, hash_of);
  return (slots_[slot_of(key_of_hash(hash))] & kCountMask) != 0;
}

void CodingLookup::Counts::add(uint64_t hash) {
  if (!valid_) return;  // built afresh when next asked
  insert(key_of_hash(hash));
  ++count_;
}

void CodingLookup::Counts::remove(uint64_t hash) {
  if (!valid_) return;
  uint64_t& slot = slots_[slot_of(key_of_hash(hash))];
  if ((slot & kCountMask) == 0) {
    valid_ = false;  // out of step (removing what it never had): afresh when next asked
    return;
  }
  if ((slot & kCountMask) != kCountMask) --slot;
  --count_;
}

bool CodingLookup::may_have_guid(const Project& project, std::string_view guid) {
  return guids_.contains(project, guid_hash(guid), &coding_guid_hash);
}

bool CodingLookup::may_have(const Project& project, const Coding& coding) {
  return keys_.contains(project, key_hash(coding), &key_hash);
}

void CodingLookup::added(const Coding& coding) {
  guids_.add(guid_hash(coding.guid));
  keys_.add(key_hash(coding));
}

void CodingLookup::removed(const Coding& coding) {
  guids_.remove(guid_hash(coding.guid));
  keys_.remove(key_hash(coding));
}

void CodingLookup::invalidate() {
  guids_.invalidate();
  keys_.invalidate();
}

Command inverse(const Command& command) {
  return Command{inverse_action(command.action), command.label};
}

void place_in_codebook(std::vector<Code>& codes, const std::string& guid,
                       std::optional<size_t> position) {
  auto moved =
      std::find_if(codes.begin(), codes.end(), [&](const Code& c) { return c.guid == guid; });
  if (moved == codes.end()) throw BadInput("no code with GUID " + guid);
  const std::string parent = moved->parent;
  std::set<std::string> subtree{guid};
  for (bool grew = true; grew;) {
    grew = false;
    for (const Code& c : codes)
      if (!subtree.count(c.guid) && subtree.count(c.parent)) grew = subtree.insert(c.guid).second;
  }
  if (subtree.count(parent))
    throw BadInput("cannot move \"" + moved->name + "\" under a code inside it");
  std::vector<Code> block, rest;
  for (Code& c : codes) (subtree.count(c.guid) ? block : rest).push_back(std::move(c));
  // Siblings still placed before the parent (their own move comes next) do not count.
  size_t first = 0;
  if (!parent.empty()) {
    auto p =
        std::find_if(rest.begin(), rest.end(), [&](const Code& c) { return c.guid == parent; });
    if (p == rest.end()) throw BadInput("no parent code with GUID " + parent);
    first = static_cast<size_t>(p - rest.begin()) + 1;
  }
  std::vector<size_t> siblings;
  for (size_t i = first; i < rest.size(); ++i)
    if (rest[i].parent == parent) siblings.push_back(i);
  const size_t k = std::min(position.value_or(siblings.size()), siblings.size());
  size_t at = parent.empty() ? rest.size() : first;
  if (k < siblings.size()) {
    at = siblings[k];
  } else if (!siblings.empty()) {  // after the last sibling and everything under it
    std::set<std::string> last{rest[siblings.back()].guid};
    at = siblings.back() + 1;
    for (size_t i = at; i < rest.size(); ++i)
      if (last.count(rest[i].parent)) {
        last.insert(rest[i].guid);
        at = i + 1;
      }
  }
  rest.insert(rest.begin() + static_cast<std::ptrdiff_t>(at),
              std::make_move_iterator(block.begin()), std::make_move_iterator(block.end()));
  codes = std::move(rest);
}

}  // namespace marginalia
