// The numbers the window shows beside sources and codes, computed from the model as plain data so
// that they are tested without a window. No wx here.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "marginalia/model.h"

namespace marginalia::gui {

struct CodebookCounts {
  std::map<std::string, int64_t> by_code;     // code guid -> codings made with that very code
  std::map<std::string, int64_t> by_subtree;  // code guid -> codings with it or any code below it
  std::map<std::string, int64_t> by_source;   // source guid -> codings in that source

  // 0 for a guid not in the map.
  static int64_t get(const std::map<std::string, int64_t>& counts, const std::string& guid);
};

// One pass over the codings. A coding whose code is unknown counts for its source only; a parent
// cycle in a damaged codebook is walked at most once round.
CodebookCounts count_codings(const Project& project);

// The codebook count shown for a code: its own codings, or for a folder (not codable) the roll-up
// of its subtree.
int64_t shown_count(const Code& code, const CodebookCounts& counts);

// "Early anxiety (12)": the tree label, UTF-8.
std::string code_label(const Code& code, const CodebookCounts& counts);

// "3 sources · 12 codes · 431 codings · 2 coders", UTF-8, singular for 1.
std::string status_summary(const Project& project);

}  // namespace marginalia::gui
