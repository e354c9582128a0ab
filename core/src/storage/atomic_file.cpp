// Durable writes: temporary file, fsync, rename, fsync of the folder. A crash at any instant leaves
// either the old file or the new one in place, never a half-written one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "marginalia/error.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

void throw_errno(const std::string& what, const std::filesystem::path& file, int err) {
  throw EnvironmentError(what + " " + file.string() + ": " + std::strerror(err));
}

std::string read_file(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) throw BadInput("missing file " + file.string());
    throw_errno("cannot read", file, err);
  }
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw_errno("cannot read", file, err);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

void fsync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open folder", folder, errno);
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    throw_errno("cannot sync folder", folder, err);
  }
  ::close(fd);
}

void make_private_folder(const std::filesystem::path& folder) {
  if (folder.empty()) return;
  struct stat st {};
  if (::stat(folder.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return;
    throw EnvironmentError("cannot create folder " + folder.string() + ": a file is in the way");
  }
  if (folder.has_parent_path() && folder.parent_path() != folder)
    make_private_folder(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
    throw_errno("cannot create folder", folder, errno);
}

void write_file_atomic(const std::filesystem::path& file, std::string_view bytes, mode_t mode) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path folder =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::filesystem::path temp = file;
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);

  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw_errno("cannot write", file, errno);
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw_errno("cannot write", file, err);
  };
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw_errno("cannot write", file, err);
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw_errno("cannot write", file, err);
  }
  fsync_folder(folder);
}

}  // namespace marginalia::storage
