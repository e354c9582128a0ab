#include "marginalia/codebook_counts.h"

#include <unordered_map>

namespace marginalia {

int64_t CodebookCounts::get(const std::map<std::string, int64_t>& counts, const std::string& guid) {
  auto it = counts.find(guid);
  return it == counts.end() ? 0 : it->second;
}

CodebookCounts count_codings(const Project& project) {
  CodebookCounts counts;
  std::unordered_map<std::string, const std::string*> parent_of;
  for (const Code& code : project.codes) parent_of[code.guid] = &code.parent;

  for (const Coding& coding : project.codings) {
    ++counts.by_source[coding.source];
    if (!parent_of.contains(coding.code)) continue;
    ++counts.by_code[coding.code];
    // Up the tree; the step limit guards against a cycle in a damaged codebook.
    std::string guid = coding.code;
    for (size_t steps = 0; steps <= project.codes.size(); ++steps) {
      ++counts.by_subtree[guid];
      auto up = parent_of.find(guid);
      if (up == parent_of.end() || up->second->empty() || !parent_of.contains(*up->second)) break;
      guid = *up->second;
    }
  }
  return counts;
}

int64_t shown_count(const Code& code, const CodebookCounts& counts) {
  return CodebookCounts::get(code.codable ? counts.by_code : counts.by_subtree, code.guid);
}

}  // namespace marginalia
