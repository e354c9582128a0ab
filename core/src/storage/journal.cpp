#include "storage/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>

#include "marginalia/error.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

namespace {

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

// The entry on one line, or nullopt when the line is damaged.
std::optional<JournalEntry> parse_line(std::string_view line) {
  if (line.size() < 10 || line[8] != ' ') return std::nullopt;
  const std::string_view json_text = line.substr(9);
  char expected[9];
  std::snprintf(expected, sizeof expected, "%08x", crc32(json_text));
  if (line.substr(0, 8) != std::string_view(expected, 8)) return std::nullopt;
  const nlohmann::json entry = nlohmann::json::parse(json_text, nullptr, false);
  if (entry.is_discarded() || !entry.is_object()) return std::nullopt;
  auto seq = entry.find("seq");
  auto op = entry.find("op");
  if (seq == entry.end() || !seq->is_number_integer() || op == entry.end() || !op->is_string())
    return std::nullopt;
  JournalEntry parsed;
  parsed.sequence = seq->get<int64_t>();
  parsed.op = op->get<std::string>();
  if (parsed.op == "do") {
    auto command = entry.find("command");
    if (command == entry.end() || !command->is_object()) return std::nullopt;
    parsed.command = *command;
  } else if (parsed.op != "undo" && parsed.op != "redo") {
    return std::nullopt;
  }
  return parsed;
}

}  // namespace

uint32_t crc32(std::string_view bytes) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

JournalFile::JournalFile(std::filesystem::path file) : file_(std::move(file)) {}

JournalFile::~JournalFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<JournalEntry> JournalFile::read() {
  std::vector<JournalEntry> entries;
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) {
    valid_length_ = 0;
    return entries;
  }
  const std::string bytes = read_file(file_);
  size_t at = 0;
  size_t valid_end = 0;
  int line_number = 0;
  std::optional<int> damaged_line;  // the first damaged line, if any
  while (at < bytes.size()) {
    ++line_number;
    const size_t newline = bytes.find('\n', at);
    if (newline == std::string::npos) {  // no newline: the append never finished
      damaged_line = damaged_line.value_or(line_number);
      break;
    }
    const std::optional<JournalEntry> entry =
        parse_line(std::string_view(bytes).substr(at, newline - at));
    if (!entry) {
      damaged_line = damaged_line.value_or(line_number);
    } else {
      if (damaged_line)
        throw BadInput(file_.string() + ": line " + std::to_string(*damaged_line) +
                       " is damaged but later entries are intact; the journal cannot be replayed");
      entries.push_back(*entry);
      entries.back().line = line_number;
      valid_end = newline + 1;
    }
    at = newline + 1;
  }
  valid_length_ = static_cast<off_t>(valid_end);
  return entries;
}

void JournalFile::open_for_writing() {
  if (fd_ >= 0) return;
  fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw_errno("cannot write", file_, errno);
  if (!valid_length_) {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw_errno("cannot write", file_, errno);
    valid_length_ = st.st_size;
  }
}

void JournalFile::append(const nlohmann::json& entry) {
  std::string json_text;
  try {
    json_text = entry.dump();
  } catch (const nlohmann::json::exception& e) {
    throw BadInput(std::string("the edit holds text that is not valid UTF-8: ") + e.what());
  }
  char checksum[10];
  std::snprintf(checksum, sizeof checksum, "%08x ", crc32(json_text));
  const std::string line = checksum + json_text + "\n";

  open_for_writing();
  const off_t start = *valid_length_;
  // Cut off a torn line left by a crash; usually a no-op.
  if (::ftruncate(fd_, start) != 0) throw_errno("cannot write", file_, errno);
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n =
        ::pwrite(fd_, line.data() + done, line.size() - done, start + static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      [[maybe_unused]] int ignored = ::ftruncate(fd_, start);  // leave no partial line behind
      throw_errno("cannot write", file_, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    const int err = errno;
    [[maybe_unused]] int ignored = ::ftruncate(fd_, start);
    throw_errno("cannot write", file_, err);
  }
  valid_length_ = start + static_cast<off_t>(line.size());
}

void JournalFile::clear() {
  open_for_writing();
  if (::ftruncate(fd_, 0) != 0) throw_errno("cannot write", file_, errno);
  if (::fsync(fd_) != 0) throw_errno("cannot write", file_, errno);
  valid_length_ = 0;
}

}  // namespace marginalia::storage
