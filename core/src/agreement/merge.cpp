// Another coder's project into this one, as one undoable command: what matches is mapped, what is
// new is added, nothing twice.
#include <map>
#include <set>
#include <tuple>

#include "marginalia/agreement.h"

namespace marginalia {

MergePlan plan_merge(const Project& into, const Project& other) {
  MergePlan plan;
  MergeSummary& sum = plan.summary;
  Batch batch;

  std::map<std::string, std::string> coder_map;
  for (const Coder& c : other.coders) {
    if (into.coder(c.guid)) {
      coder_map[c.guid] = c.guid;
      ++sum.coders_matched;
    } else if (const Coder* named = into.coder_named(c.name)) {
      coder_map[c.guid] = named->guid;
      ++sum.coders_matched;
    } else {
      coder_map[c.guid] = c.guid;
      batch.actions.push_back(AddCoder{c});
      ++sum.coders_added;
    }
  }

  std::map<std::string, std::string> code_map;
  std::map<std::string, std::vector<const Code*>> into_by_name;
  std::map<std::string, const Code*> into_by_path;
  for (const Code& c : into.codes) {
    into_by_name[c.name].push_back(&c);
    into_by_path[into.code_path(c)] = &c;
  }
  AddCodes new_codes;
  for (const Code& c : other.codes) {
    if (into.code(c.guid)) {
      code_map[c.guid] = c.guid;
      ++sum.codes_matched;
      continue;
    }
    auto path = into_by_path.find(other.code_path(c));
    const auto& named = into_by_name[c.name];
    if (path != into_by_path.end()) {
      code_map[c.guid] = path->second->guid;
      ++sum.codes_matched;
    } else if (named.size() == 1) {
      code_map[c.guid] = named.front()->guid;
      ++sum.codes_matched;
    } else {
      Code added = c;
      if (!added.parent.empty()) {
        auto parent = code_map.find(added.parent);
        added.parent = parent == code_map.end() ? std::string() : parent->second;
      }
      code_map[c.guid] = c.guid;
      new_codes.codes.push_back(std::move(added));
      ++sum.codes_added;
    }
  }
  if (!new_codes.codes.empty()) batch.actions.push_back(std::move(new_codes));

  std::map<std::string, std::string> source_map;
  for (const Source& s : other.sources) {
    const Source* same_guid = into.source(s.guid);
    if (same_guid && same_guid->text != s.text) {
      sum.left_out.push_back("source \"" + s.name +
                             "\": same GUID as a source here but a different text; its codings "
                             "are left out");
      continue;
    }
    const Source* match = same_guid;
    for (size_t i = 0; !match && i < into.sources.size(); ++i)
      if (into.sources[i].text == s.text) match = &into.sources[i];
    if (match) {
      source_map[s.guid] = match->guid;
      ++sum.sources_matched;
    } else {
      source_map[s.guid] = s.guid;
      batch.actions.push_back(AddSource{s});
      ++sum.sources_added;
    }
  }

  using Key = std::tuple<std::string, int64_t, int64_t, std::string, std::string>;
  std::set<Key> present;
  std::set<std::string> guids;
  for (const Coding& c : into.codings) {
    present.insert({c.source, c.start, c.end, c.code, c.coder});
    guids.insert(c.guid);
  }
  AddCodings codings;
  int64_t on_folders = 0, unmapped = 0;
  for (const Coding& c : other.codings) {
    auto s = source_map.find(c.source);
    auto k = code_map.find(c.code);
    auto r = coder_map.find(c.coder);
    if (s == source_map.end() || k == code_map.end() || r == coder_map.end()) {
      ++unmapped;
      continue;
    }
    const Code* target = into.code(k->second);
    if (target && !target->codable) {
      ++on_folders;
      continue;
    }
    Coding copy = c;
    copy.source = s->second;
    copy.code = k->second;
    copy.coder = r->second;
    if (guids.count(copy.guid) ||
        !present.insert({copy.source, copy.start, copy.end, copy.code, copy.coder}).second) {
      ++sum.codings_present;
      continue;
    }
    guids.insert(copy.guid);
    codings.codings.push_back(std::move(copy));
  }
  sum.codings_added = static_cast<int64_t>(codings.codings.size());
  if (!codings.codings.empty()) batch.actions.push_back(std::move(codings));
  if (unmapped)
    sum.left_out.push_back(std::to_string(unmapped) +
                           " coding(s) on a source left out (or naming an unknown code or coder)");
  if (on_folders)
    sum.left_out.push_back(std::to_string(on_folders) +
                           " coding(s) of a code that is a folder here, not a codable code");

  std::set<DoneMark> marked(into.done.begin(), into.done.end());
  SetDone done;
  for (const DoneMark& m : other.done) {
    auto s = source_map.find(m.source);
    auto r = coder_map.find(m.coder);
    if (s == source_map.end() || r == coder_map.end()) continue;
    DoneMark mapped{r->second, s->second};
    if (marked.insert(mapped).second) done.marks.push_back(mapped);
  }
  sum.done_added = static_cast<int64_t>(done.marks.size());
  if (!done.marks.empty()) batch.actions.push_back(std::move(done));

  if (!other.cases.empty())
    sum.left_out.push_back(std::to_string(other.cases.size()) +
                           " case(s) (participants): load attributes with `attributes load`");
  if (!other.memos.empty()) sum.left_out.push_back(std::to_string(other.memos.size()) + " memo(s)");

  if (!batch.actions.empty())
    plan.command = Command{std::move(batch), "Merge \"" + other.name + "\""};
  else
    plan.command = Command{AddCodings{}, "Merge \"" + other.name + "\""};
  return plan;
}

}  // namespace marginalia
