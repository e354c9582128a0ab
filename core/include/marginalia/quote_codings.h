// Codings written down as quotes: a reviewable, tab-separated file with the header
//   coder <TAB> source <TAB> code <TAB> quote
// one coding per line, anchored by text that occurs exactly once in the source (after the text's
// own normalisation: NFC, LF). Used to build the two-coder sample study and to bring in coding
// sheets.
#pragma once

#include <cstddef>
#include <filesystem>

namespace marginalia {

class ProjectStore;

struct QuoteCodingsResult {
  size_t added = 0;    // new codings
  size_t already = 0;  // rows whose coding was already in the project
  size_t coders = 0;   // distinct coders in the file
};

// All or nothing: every row is checked first (known source and code, the quote found exactly once);
// any problem throws BadInput naming the file, line and problem, and nothing is applied. Otherwise
// one undoable command adds every coding, creating coders that are new.
QuoteCodingsResult code_from_quotes(ProjectStore& store, const std::filesystem::path& file);

}  // namespace marginalia
