// How many codings each code, subtree and source holds: the counts shown beside codes and sources
// in the app and the CLI. Plain data, one pass over the codings.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "marginalia/model.h"

namespace marginalia {

struct CodebookCounts {
  std::map<std::string, int64_t> by_code;     // code guid -> codings made with that very code
  std::map<std::string, int64_t> by_subtree;  // code guid -> codings with it or any code below it
  std::map<std::string, int64_t> by_source;   // source guid -> codings in that source

  // 0 for a guid not in the map.
  static int64_t get(const std::map<std::string, int64_t>& counts, const std::string& guid);
};

// A coding whose code is unknown counts for its source only; a parent cycle in a damaged codebook
// is walked at most once round.
CodebookCounts count_codings(const Project& project);

// The count shown for a code: its own codings, or for a folder (not codable) the roll-up of its
// subtree.
int64_t shown_count(const Code& code, const CodebookCounts& counts);

}  // namespace marginalia
