// Code frequencies (DESIGN.md "Analysis"): codings, sources, cases, coded characters and words and
// the share of each role's utterances, per code and per subtree, overall or by a breakdown.
#include "marginalia/frequencies.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "marginalia/codebook_counts.h"
#include "marginalia/error.h"

namespace marginalia {

namespace {

using Span = std::pair<int64_t, int64_t>;

// Code points of valid UTF-8, in order; a stray byte stands for itself.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Letters and digits without ICU (only core/src/text/ may use it): ASCII alphanumerics and every
// code point from U+00C0 up except symbol, punctuation, emoji and private-use blocks.
bool word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;
  const std::pair<char32_t, char32_t> not_words[] = {
      {0x2000, 0x2BFF}, {0x3000, 0x303F}, {0xD800, 0xF8FF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF0F},
      {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}};
  for (const auto& [lo, hi] : not_words)
    if (c >= lo && c <= hi) return false;
  return true;
}

// Apostrophes and hyphens join letters into one word: "don't", "don’t", "self-doubt".
bool word_joiner(char32_t c) {
  return c == '\'' || c == 0x2019 || c == '-' || c == 0x2010 || c == 0x2011;
}

// Sorted, disjoint, non-empty spans covering the same code points as `spans`.
std::vector<Span> merge(std::vector<Span> spans) {
  std::erase_if(spans, [](const Span& s) { return s.first >= s.second; });
  std::sort(spans.begin(), spans.end());
  std::vector<Span> out;
  for (const Span& s : spans) {
    if (!out.empty() && s.first <= out.back().second)
      out.back().second = std::max(out.back().second, s.second);
    else
      out.push_back(s);
  }
  return out;
}

// Both sorted and disjoint.
std::vector<Span> intersect(const std::vector<Span>& a, const std::vector<Span>& b) {
  std::vector<Span> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int64_t lo = std::max(a[i].first, b[j].first), hi = std::min(a[i].second, b[j].second);
    if (lo < hi) out.emplace_back(lo, hi);
    (a[i].second < b[j].second) ? ++i : ++j;
  }
  return out;
}

int64_t length(const std::vector<Span>& spans) {
  int64_t n = 0;
  for (const Span& s : spans) n += s.second - s.first;
  return n;
}

// Whether [start, end) shares a code point with the sorted, disjoint `spans`.
bool overlaps(const std::vector<Span>& spans, int64_t start, int64_t end) {
  auto it = std::upper_bound(spans.begin(), spans.end(), Span{start, INT64_MAX});
  if (it != spans.begin() && std::prev(it)->second > start) return true;
  return it != spans.end() && it->first < end && start < end;
}

// Both sorted; words are disjoint.
int64_t words_touching(const std::vector<Span>& words, const std::vector<Span>& spans) {
  int64_t n = 0;
  size_t j = 0;
  for (const Span& w : words) {
    while (j < spans.size() && spans[j].second <= w.first) ++j;
    if (j == spans.size()) break;
    if (spans[j].first < w.second) ++n;
  }
  return n;
}

struct SourceFacts {
  const Source* source = nullptr;
  int64_t length = 0;  // code points
  std::vector<Span> words;
  std::map<Role, std::vector<Span>> turns_by_role;  // merged utterance spans per role
};

struct Group {
  std::string label;
  std::function<bool(const Coding&)> counts;
  std::optional<Role> role;                      // by role: characters clipped to this role's turns
  std::optional<std::set<std::string>> sources;  // the group's sources; nullopt: all
  std::vector<const Case*> cases;
};

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string resolve_attribute(const Project& project, const std::string& name) {
  std::set<std::string> names;
  for (const Case& c : project.cases)
    for (const auto& [key, value] : c.attributes) names.insert(key);
  if (names.contains(name)) return name;
  std::vector<std::string> folded;
  for (const auto& n : names)
    if (lower_ascii(n) == lower_ascii(name)) folded.push_back(n);
  if (folded.size() == 1) return folded.front();
  if (names.empty())
    throw BadInput("--by " + name +
                   ": the project has no case attributes (load a participants table with "
                   "\"attributes PROJECT load FILE.csv\")");
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw BadInput("--by " + name + ": no case attribute \"" + name + "\" (there are: " + list +
                 "; or coder, role, source)");
}

}  // namespace

std::string_view scope_name(CodeScope scope) {
  return scope == CodeScope::Own ? "own" : "subtree";
}

std::vector<std::pair<int64_t, int64_t>> word_spans(std::string_view utf8) {
  const std::vector<char32_t> cps = code_points(utf8);
  std::vector<Span> out;
  const int64_t n = static_cast<int64_t>(cps.size());
  for (int64_t i = 0; i < n;) {
    if (!word_char(cps[i])) {
      ++i;
      continue;
    }
    const int64_t start = i;
    while (i < n &&
           (word_char(cps[i]) || (word_joiner(cps[i]) && i + 1 < n && word_char(cps[i + 1]))))
      ++i;
    out.emplace_back(start, i);
  }
  return out;
}

std::vector<CodeRowSpec> code_rows(const Project& project, const std::vector<std::string>& codes) {
  std::unordered_map<std::string, std::vector<const Code*>> children;
  for (const Code& c : project.codes)
    if (!c.parent.empty() && project.code(c.parent)) children[c.parent].push_back(&c);
  const CodebookCounts counts = count_codings(project);
  const std::unordered_set<std::string> wanted(codes.begin(), codes.end());

  std::vector<CodeRowSpec> rows;
  for (const Code& code : project.codes) {
    if (!wanted.empty() && !wanted.contains(code.guid)) continue;
    const std::string path = project.code_path(code);
    if (code.codable || CodebookCounts::get(counts.by_code, code.guid) > 0)
      rows.push_back({code.guid, path, CodeScope::Own, {code.guid}});
    if (!children.contains(code.guid)) continue;
    CodeRowSpec subtree{code.guid, path, CodeScope::Subtree, {}};
    std::unordered_set<std::string> seen;  // a damaged codebook may hold a cycle
    std::vector<std::string> todo{code.guid};
    while (!todo.empty()) {
      std::string g = std::move(todo.back());
      todo.pop_back();
      if (!seen.insert(g).second) continue;
      subtree.members.push_back(g);
      if (auto it = children.find(g); it != children.end())
        for (const Code* child : it->second) todo.push_back(child->guid);
    }
    rows.push_back(std::move(subtree));
  }
  return rows;
}

FrequencyReport code_frequencies(const Project& project, const FrequencyOptions& options) {
  FrequencyReport report;

  // Per source: length, words and each role's turns, computed once.
  std::unordered_map<std::string, SourceFacts> facts;
  std::set<Role> roles_present;
  for (const Source& s : project.sources) {
    SourceFacts& f = facts[s.guid];
    f.source = &s;
    f.words = word_spans(s.text);
    f.length = static_cast<int64_t>(code_points(s.text).size());
    std::map<Role, std::vector<Span>> turns;
    for (const Utterance& u : s.utterances) {
      turns[u.role].emplace_back(u.start, u.end);
      roles_present.insert(u.role);
    }
    for (auto& [role, spans] : turns) f.turns_by_role[role] = merge(std::move(spans));
  }
  report.roles.assign(roles_present.begin(), roles_present.end());

  std::vector<const Case*> all_cases;
  for (const Case& c : project.cases) all_cases.push_back(&c);

  // The groups of the breakdown.
  std::vector<Group> groups;
  const std::string& by = options.by;
  if (by.empty()) {
    groups.push_back(
        {"", [](const Coding&) { return true; }, std::nullopt, std::nullopt, all_cases});
  } else if (by == "coder") {
    report.breakdown = Breakdown::Coder;
    for (const Coder& coder : project.coders)
      groups.push_back({coder.name,
                        [guid = coder.guid](const Coding& c) { return c.coder == guid; },
                        std::nullopt, std::nullopt, all_cases});
  } else if (by == "role") {
    report.breakdown = Breakdown::Role;
    for (Role role : report.roles)
      groups.push_back({std::string(role_name(role)),
                        [&facts, role](const Coding& c) {
                          auto f = facts.find(c.source);
                          if (f == facts.end()) return false;
                          auto t = f->second.turns_by_role.find(role);
                          return t != f->second.turns_by_role.end() &&
                                 overlaps(t->second, c.start, c.end);
                        },
                        role, std::nullopt, all_cases});
  } else if (by == "source") {
    report.breakdown = Breakdown::Source;
    for (const Source& s : project.sources) {
      std::vector<const Case*> linked;
      for (const Case& c : project.cases)
        if (std::find(c.sources.begin(), c.sources.end(), s.guid) != c.sources.end())
          linked.push_back(&c);
      groups.push_back({s.name, [guid = s.guid](const Coding& c) { return c.source == guid; },
                        std::nullopt, std::set<std::string>{s.guid}, linked});
    }
  } else {
    static const std::set<std::string> builtin = {"speaker", "code"};
    if (builtin.contains(by))
      throw BadInput("--by " + by + " is not a breakdown (use coder, role, source or a case " +
                     "attribute; a case attribute named \"" + by + "\" is case." + by + ")");
    report.breakdown = Breakdown::CaseAttribute;
    const std::string attribute =
        resolve_attribute(project, by.starts_with("case.") ? by.substr(5) : by);
    std::vector<std::string> values;
    bool missing = false;
    for (const Case& c : project.cases) {
      auto it = c.attributes.find(attribute);
      if (it == c.attributes.end() || it->second.empty())
        missing = true;
      else if (std::find(values.begin(), values.end(), it->second) == values.end())
        values.push_back(it->second);
    }
    for (const std::string& value : values) {
      Group g{value, nullptr, std::nullopt, std::set<std::string>{}, {}};
      for (const Case& c : project.cases) {
        auto it = c.attributes.find(attribute);
        if (it == c.attributes.end() || it->second != value) continue;
        g.cases.push_back(&c);
        g.sources->insert(c.sources.begin(), c.sources.end());
      }
      g.counts = [sources = *g.sources](const Coding& c) { return sources.contains(c.source); };
      groups.push_back(std::move(g));
    }
    if (missing) {
      Group g{"(no value)", nullptr, std::nullopt, std::set<std::string>{}, {}};
      for (const Case& c : project.cases) {
        auto it = c.attributes.find(attribute);
        if (it != c.attributes.end() && !it->second.empty()) continue;
        g.cases.push_back(&c);
        g.sources->insert(c.sources.begin(), c.sources.end());
      }
      g.counts = [sources = *g.sources](const Coding& c) { return sources.contains(c.source); };
      groups.push_back(std::move(g));
    }
    // "case.role" stays so in headers: "role" alone would read as the speaker's role.
    report.by = by.starts_with("case.") ? "case." + attribute : attribute;
  }
  if (report.by.empty()) report.by = by;
  for (const Group& g : groups) report.groups.push_back(g.label);

  for (const CodeRowSpec& spec : code_rows(project, options.codes)) {
    const std::unordered_set<std::string> members(spec.members.begin(), spec.members.end());
    for (const Group& group : groups) {
      CodeFrequency row;
      row.code = spec.code;
      row.path = spec.path;
      row.scope = spec.scope;
      row.group = group.label;
      row.cases_in_group = static_cast<int64_t>(group.cases.size());

      std::map<std::string, std::vector<Span>> spans;  // by source
      for (const Coding& c : project.codings) {
        if (!members.contains(c.code) || !facts.contains(c.source) || !group.counts(c)) continue;
        ++row.codings;
        spans[c.source].emplace_back(c.start, c.end);
      }
      row.sources = static_cast<int64_t>(spans.size());
      for (const Case* c : group.cases)
        if (std::any_of(c->sources.begin(), c->sources.end(),
                        [&](const std::string& s) { return spans.contains(s); }))
          ++row.cases;

      const std::vector<Role> share_roles =
          group.role ? std::vector<Role>{*group.role} : report.roles;
      for (Role role : share_roles) row.roles.push_back({role, 0, 0});
      for (const auto& [guid, fact] : facts) {
        if (group.sources && !group.sources->contains(guid)) continue;
        for (RoleShare& share : row.roles)
          for (const Utterance& u : fact.source->utterances)
            if (u.role == share.role) ++share.utterances;
      }

      for (auto& [guid, list] : spans) {
        const SourceFacts& f = facts.at(guid);
        for (Span& s : list)
          s = {std::clamp<int64_t>(s.first, 0, f.length),
               std::clamp<int64_t>(s.second, 0, f.length)};
        std::vector<Span> coded = merge(std::move(list));
        if (group.role) {
          auto t = f.turns_by_role.find(*group.role);
          coded = t == f.turns_by_role.end() ? std::vector<Span>{} : intersect(coded, t->second);
        }
        row.characters += length(coded);
        row.words += words_touching(f.words, coded);
        for (RoleShare& share : row.roles)
          for (const Utterance& u : f.source->utterances)
            if (u.role == share.role && overlaps(coded, u.start, u.end)) ++share.carrying;
      }
      report.rows.push_back(std::move(row));
    }
  }
  return report;
}

Table frequency_table(const FrequencyReport& report) {
  Table t;
  const bool grouped = report.breakdown != Breakdown::None;
  t.title = (grouped ? "Code frequencies by " + report.by : "Code frequencies") + " (unit: coding)";
  std::string label = grouped ? "tab:freq-" + report.by : "tab:freq";
  t.label = label;
  t.columns = {"code", "scope"};
  if (grouped) t.columns.push_back(report.by);
  for (const char* c : {"codings", "sources", "cases", "% cases", "characters", "words"})
    t.columns.push_back(c);
  const bool by_role = report.breakdown == Breakdown::Role;
  if (by_role) {
    t.columns.push_back("utterances");
    t.columns.push_back("% utterances");
  } else {
    for (Role role : report.roles)
      t.columns.push_back("% " + std::string(role_name(role)) + " utt.");
  }

  for (const CodeFrequency& r : report.rows) {
    std::vector<TableCell> row{TableCell::of(r.path),
                               TableCell::of(std::string(scope_name(r.scope)))};
    if (grouped) row.push_back(TableCell::of(r.group));
    row.push_back(TableCell::number(r.codings));
    row.push_back(TableCell::number(r.sources));
    row.push_back(TableCell::number(r.cases));
    row.push_back(TableCell::percent(r.cases, r.cases_in_group));
    row.push_back(TableCell::number(r.characters));
    row.push_back(TableCell::number(r.words));
    if (by_role) {
      const RoleShare share = r.roles.empty() ? RoleShare{} : r.roles.front();
      row.push_back(TableCell::number(share.carrying));
      row.push_back(TableCell::percent(share.carrying, share.utterances));
    } else {
      for (const RoleShare& share : r.roles)
        row.push_back(TableCell::percent(share.carrying, share.utterances));
    }
    t.rows.push_back(std::move(row));
  }

  t.notes.push_back(
      "Unit: the coding (a coded span). scope own: the code's own codings; subtree: the code and "
      "every code below it, rolled up.");
  // Each group's number of cases, for the "% cases" denominators.
  std::string denominators;
  for (const std::string& g : report.groups) {
    auto it = std::find_if(report.rows.begin(), report.rows.end(),
                           [&](const CodeFrequency& r) { return r.group == g; });
    if (it == report.rows.end()) continue;
    if (report.breakdown == Breakdown::CaseAttribute)
      denominators +=
          (denominators.empty() ? "" : ", ") + g + " " + std::to_string(it->cases_in_group);
    else if (report.breakdown != Breakdown::Source && denominators.empty())
      denominators = std::to_string(it->cases_in_group);
  }
  t.notes.push_back(
      "sources: transcripts holding a counted coding; cases: participants linked to such a "
      "transcript; % cases: of the cases" +
      std::string(report.breakdown == Breakdown::CaseAttribute ? " in the group"
                  : report.breakdown == Breakdown::Source      ? " linked to the source"
                                                               : "") +
      (denominators.empty() ? "" : " (N: " + denominators + ")") + ".");
  t.notes.push_back(
      "characters: code points in the union of the codings' spans in each source (overlaps, also "
      "between coders, counted once); words: words (letters and digits, with in-word ' and -) "
      "with a character in that union.");
  if (by_role) {
    t.notes.push_back(
        "By role: codings overlapping a turn of that role (a coding across turns of two roles "
        "counts in both); characters and words only inside that role's turns; utterances: that "
        "role's turns a coding overlaps; % utterances: of all that role's turns.");
  } else {
    std::string n;
    if (!report.rows.empty() && report.breakdown != Breakdown::Source &&
        report.breakdown != Breakdown::CaseAttribute) {
      for (const RoleShare& s : report.rows.front().roles)
        n += std::string(n.empty() ? "" : ", ") + std::string(role_name(s.role)) + " " +
             std::to_string(s.utterances);
      n = " (N: " + n + ")";
    }
    t.notes.push_back("% ROLE utt.: share of that role's utterances (speaker turns)" +
                      std::string(report.breakdown == Breakdown::Source ? " in the source"
                                  : report.breakdown == Breakdown::CaseAttribute
                                      ? " in the group's sources"
                                      : "") +
                      " that a counted coding overlaps" + n + ".");
  }
  if (report.breakdown == Breakdown::Coder)
    t.notes.push_back("By coder: each coder's codings alone.");
  if (report.breakdown == Breakdown::CaseAttribute)
    t.notes.push_back("By " + report.by + ": codings in the transcripts of the cases with that " +
                      "value; codings in transcripts linked to no case count in no group.");
  return t;
}

}  // namespace marginalia
