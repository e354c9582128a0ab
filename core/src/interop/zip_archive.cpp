#include "interop/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <cctype>

#include "marginalia/error.h"

namespace marginalia::interop {

struct ZipReader::Handle {
  zip_t* archive = nullptr;
  ~Handle() {
    if (archive) zip_discard(archive);
  }
};

namespace {

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// An entry name that would land outside a folder it is unpacked into.
bool leaves_archive(std::string_view name) {
  if (name.empty()) return false;
  if (name.front() == '/' || name.front() == '\\') return true;
  if (name.size() >= 2 && name[1] == ':' && std::isalpha(static_cast<unsigned char>(name[0])))
    return true;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

bool looks_like_zip(std::string_view bytes) {
  return bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' &&
         ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6));
}

ZipReader::ZipReader(std::string_view bytes, const std::filesystem::path& file,
                     int64_t max_expanded_bytes, int64_t max_entries)
    : handle_(std::make_unique<Handle>()), file_(file), budget_(max_expanded_bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source)
    throw BadInput(file.string() + ": cannot read the archive: " + zip_error_strerror(&error));
  handle_->archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!handle_->archive) {
    zip_source_free(source);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw BadInput(file.string() + ": not a readable zip archive (damaged or truncated?): " + why);
  }
  zip_error_fini(&error);

  const zip_int64_t count = zip_get_num_entries(handle_->archive, 0);
  if (count > max_entries)
    throw BadInput(file.string() + ": refused: the archive has " + std::to_string(count) +
                   " entries, more than the limit of " + std::to_string(max_entries));
  int64_t declared = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(handle_->archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_NAME))
      throw BadInput(file.string() + ": damaged zip archive: entry " + std::to_string(i) +
                     " cannot be read");
    const std::string name = stat.name;
    if (leaves_archive(name))
      throw BadInput(file.string() + ": refused: the archive has an entry named \"" + name +
                     "\", which points outside it");
    if (!name.empty() && (name.back() == '/' || name.back() == '\\')) continue;
    if (stat.valid & ZIP_STAT_SIZE) declared += static_cast<int64_t>(stat.size);
    if (declared > max_expanded_bytes)
      throw BadInput(file.string() + ": refused: the archive expands to more than " +
                     std::to_string(max_expanded_bytes) + " bytes (the limit)");
    names_.push_back(name);
    indices_.push_back(i);
  }
}

ZipReader::~ZipReader() = default;

std::optional<std::string> ZipReader::read(std::string_view name) {
  size_t k = 0;
  while (k < names_.size() && !equal_nocase(names_[k], name)) ++k;
  if (k == names_.size()) return std::nullopt;
  zip_file_t* entry = zip_fopen_index(handle_->archive, static_cast<zip_uint64_t>(indices_[k]), 0);
  if (!entry)
    throw BadInput(file_.string() + ": cannot read \"" + names_[k] +
                   "\" in the archive: " + zip_strerror(handle_->archive));
  std::string out;
  char buffer[65536];
  while (true) {
    const zip_int64_t n = zip_fread(entry, buffer, sizeof buffer);
    if (n < 0) {
      const std::string why = zip_file_strerror(entry);
      zip_fclose(entry);
      throw BadInput(file_.string() + ": \"" + names_[k] + "\" in the archive is damaged: " + why);
    }
    if (n == 0) break;
    budget_ -= n;
    if (budget_ < 0) {
      zip_fclose(entry);
      throw BadInput(file_.string() + ": refused: \"" + names_[k] +
                     "\" expands beyond the limit on the archive's unpacked size");
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  const int closed = zip_fclose(entry);
  if (closed != 0)
    throw BadInput(file_.string() + ": \"" + names_[k] +
                   "\" in the archive is damaged: " + zip_error_text(closed));
  return out;
}

std::string write_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* target = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!target) throw EnvironmentError(std::string("zip: ") + zip_error_strerror(&error));
  zip_source_keep(target);
  zip_t* archive = zip_open_from_source(target, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(target);
    throw EnvironmentError(std::string("zip: ") + zip_error_strerror(&error));
  }
  auto fail = [&](const std::string& what) {
    const std::string why = zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(target);
    throw EnvironmentError("zip: " + what + ": " + why);
  };
  for (const auto& [name, data] : entries) {
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (!source) fail(name);
    if (zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      fail(name);
    }
  }
  if (zip_close(archive) != 0) fail("close");

  std::string out;
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_source_stat(target, &stat) == 0 && zip_source_open(target) == 0) {
    out.resize(stat.size);
    const zip_int64_t n = zip_source_read(target, out.data(), stat.size);
    zip_source_close(target);
    if (n < 0 || static_cast<zip_uint64_t>(n) != stat.size) out.clear();
  }
  zip_source_free(target);
  if (out.empty()) throw EnvironmentError("zip: cannot read back the archive written in memory");
  return out;
}

}  // namespace marginalia::interop
