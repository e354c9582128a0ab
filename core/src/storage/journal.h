// Private to core/src/storage: the edit journal, .marginalia/journal. One entry a line:
//   <crc32 of the JSON, 8 lowercase hex digits> <JSON>\n
// with the JSON {"seq":N,"op":"do","command":{...}}, {"seq":N,"op":"undo"} or
// {"seq":N,"op":"redo"}.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace marginalia::storage {

uint32_t crc32(std::string_view bytes);

struct JournalEntry {
  int64_t sequence = 0;
  std::string op;          // "do", "undo" or "redo"
  nlohmann::json command;  // for "do"
  int line = 0;            // 1-based, for messages
};

class JournalFile {
 public:
  explicit JournalFile(std::filesystem::path file);
  ~JournalFile();
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;

  const std::filesystem::path& file() const { return file_; }
  // Bytes of complete entries, known after read(): less than the file's size when it ends in a
  // torn entry.
  std::optional<off_t> valid_length() const { return valid_length_; }

  // Every complete entry, in order. A torn or corrupt last line (a crash during an append) is left
  // out and cut off by the next append; a corrupt line followed by valid ones is BadInput naming
  // the journal and the line. A missing journal has no entries.
  std::vector<JournalEntry> read();

  // Writes one entry and fdatasyncs it: when this returns, the entry survives a crash. On failure
  // throws EnvironmentError (file, strerror) and leaves the journal as it was.
  void append(const nlohmann::json& entry);

  // Empties the journal durably (after a snapshot).
  void clear();

 private:
  void open_for_writing();

  std::filesystem::path file_;
  int fd_ = -1;
  std::optional<off_t> valid_length_;  // bytes of complete entries, when known from read()
};

}  // namespace marginalia::storage
