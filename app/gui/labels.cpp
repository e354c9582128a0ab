#include "labels.h"

namespace marginalia::gui {

std::string code_label(const Code& code, const CodebookCounts& counts) {
  return code.name + " (" + std::to_string(shown_count(code, counts)) + ")";
}

namespace {
std::string count_of(size_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}
}  // namespace

std::string status_summary(const Project& project) {
  const char* dot = " \u00b7 ";
  return count_of(project.sources.size(), "source", "sources") + dot +
         count_of(project.codes.size(), "code", "codes") + dot +
         count_of(project.codings.size(), "coding", "codings") + dot +
         count_of(project.coders.size(), "coder", "coders");
}

}  // namespace marginalia::gui
