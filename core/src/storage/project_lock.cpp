#include "storage/project_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <nlohmann/json.hpp>

#include "marginalia/error.h"
#include "marginalia/model.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

namespace {

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown";
  return buffer;
}

std::string program_name() {
  try {
    std::string comm = read_file("/proc/self/comm");
    while (!comm.empty() && (comm.back() == '\n' || comm.back() == ' ')) comm.pop_back();
    if (!comm.empty()) return comm;
  } catch (const Error&) {
  }
  return "unknown";
}

// A lock file younger than this may still be being written by its creator.
constexpr time_t kUnreadableGraceSeconds = 10;

}  // namespace

ProjectLock::ProjectLock(const std::filesystem::path& project_folder,
                         std::filesystem::path lock_file)
    : file_(std::move(lock_file)) {
  const std::string host = host_name();
  const nlohmann::json holder = {{"host", host},
                                 {"pid", static_cast<long long>(::getpid())},
                                 {"program", program_name()},
                                 {"started", now_iso8601()}};
  const std::string bytes = holder.dump() + "\n";
  // The lock appears whole or not at all: written under a temporary name, then linked into place
  // (link fails when the lock exists). A writer killed half-way leaves no empty lock that would
  // bar the next one, only a temporary that `check --repair` removes.
  const std::filesystem::path temp =
      file_.string() + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  for (int attempt = 0; attempt < 3; ++attempt) {
    fd_ = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) throw_errno("cannot create lock", file_, errno);
    if (::write(fd_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) ||
        ::fsync(fd_) != 0) {
      const int err = errno == 0 ? ENOSPC : errno;
      ::close(fd_);
      fd_ = -1;
      ::unlink(temp.c_str());
      throw_errno("cannot write lock", file_, err);
    }
    const int linked = ::link(temp.c_str(), file_.c_str());
    int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked == 0) return;
    ::close(fd_);
    fd_ = -1;
    if (link_errno == EPERM || link_errno == ENOTSUP || link_errno == ENOSYS) {
      // No hard links here (FAT, exFAT): create the lock itself exclusively and write it.
      fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd_ >= 0) {
        if (::write(fd_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
            ::fsync(fd_) == 0)
          return;
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        ::unlink(file_.c_str());
        throw_errno("cannot write lock", file_, err);
      }
      link_errno = errno;
    }
    if (link_errno != EEXIST) throw_errno("cannot create lock", file_, link_errno);

    std::string content;
    try {
      content = read_file(file_);
    } catch (const BadInput&) {
      continue;  // released between our open and read: try again
    }
    const nlohmann::json other = nlohmann::json::parse(content, nullptr, false);
    if (other.is_discarded() || !other.is_object() || !other.contains("pid") ||
        !other["pid"].is_number_integer()) {
      struct stat st {};
      if (::stat(file_.c_str(), &st) == 0 &&
          std::time(nullptr) - st.st_mtime < kUnreadableGraceSeconds)
        throw EnvironmentError("project " + project_folder.string() +
                               " is being opened for writing by another program (lock file " +
                               file_.string() + ")");
      ::unlink(file_.c_str());  // a creator that died before writing its name
      continue;
    }
    const std::string holder_host = other.value("host", "");
    const long long pid = other["pid"].get<long long>();
    // Only on this host can we tell whether the holder is alive.
    if (holder_host == host && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
        errno == ESRCH) {
      ::unlink(file_.c_str());  // stale: its writer is gone
      continue;
    }
    throw EnvironmentError("project " + project_folder.string() + " is open for writing by " +
                           other.value("program", "another program") + " (pid " +
                           std::to_string(pid) + " on " + holder_host + ") since " +
                           other.value("started", "an unknown time") + "; lock file " +
                           file_.string());
  }
  throw EnvironmentError("project " + project_folder.string() +
                         " is contended by other writers; lock file " + file_.string());
}

ProjectLock::~ProjectLock() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(file_.c_str());
}

}  // namespace marginalia::storage
