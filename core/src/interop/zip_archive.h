// Private to core/src/interop: zip archives in memory through libzip, read defensively (entry
// names that leave the archive, expansion limits, damaged archives) for .qdpx, .docx and .odt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marginalia::interop {

// True when the bytes start like a zip archive.
bool looks_like_zip(std::string_view bytes);

class ZipReader {
 public:
  // Opens the archive in `bytes` (which must outlive the reader). Throws BadInput naming `file`:
  // not a zip, damaged or truncated, more than `max_entries` entries, an entry named with "..",
  // an absolute path or a drive letter, or declared sizes above `max_expanded_bytes` in all.
  ZipReader(std::string_view bytes, const std::filesystem::path& file, int64_t max_expanded_bytes,
            int64_t max_entries = 100000);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // File entries (directories left out), as named in the archive.
  const std::vector<std::string>& names() const { return names_; }
  // The entry named so, compared case-insensitively; nullopt when absent. Throws BadInput when
  // it is damaged or when what was read so far expands beyond the limit.
  std::optional<std::string> read(std::string_view name);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  std::filesystem::path file_;
  std::vector<std::string> names_;
  std::vector<int64_t> indices_;
  int64_t budget_;  // bytes that may still be expanded
};

// A deflated zip of these entries, in order.
std::string write_zip(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace marginalia::interop
