// Private to core/src/storage: the writer's lock, .marginalia/lock, created with O_EXCL and holding
// {"host", "pid", "program", "started"} so a second writer can be told who holds the project.
#pragma once

#include <filesystem>

namespace marginalia::storage {

class ProjectLock {
 public:
  // Takes the lock or throws EnvironmentError "project FOLDER is open for writing by PROGRAM (pid
  // N on HOST) since TIME". A lock left by a dead process on this host is taken over.
  ProjectLock(const std::filesystem::path& project_folder, std::filesystem::path lock_file);
  ~ProjectLock();  // removes the lock file
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

 private:
  std::filesystem::path file_;
  int fd_ = -1;
};

}  // namespace marginalia::storage
