#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "marginalia/error.h"
#include "marginalia/project_store.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

class ProjectStoreLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/marginalia-lock-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    folder_ = dir_ / "p";
    ProjectStore::create(folder_, "Lock test");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path lock() const { return folder_ / ".marginalia" / "lock"; }
  fs::path dir_;
  fs::path folder_;
};

std::string host() {
  char buffer[256] = {};
  gethostname(buffer, sizeof buffer - 1);
  return buffer;
}

}  // namespace

TEST_F(ProjectStoreLockTest, SecondWriterInAnotherProcessIsToldWhoHoldsIt) {
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = 0;
    {
      auto store = ProjectStore::open(folder_);
      char c = 'r';
      if (write(ready[1], &c, 1) != 1) code = 2;
      if (read(done[0], &c, 1) != 1) code = 3;
    }  // released here
    _exit(code);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  try {
    ProjectStore::open(folder_);
    ADD_FAILURE() << "expected EnvironmentError";
  } catch (const EnvironmentError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("is open for writing by"), std::string::npos) << what;
    EXPECT_NE(what.find("(pid " + std::to_string(child) + " on " + host() + ")"), std::string::npos)
        << what;
    EXPECT_NE(what.find(folder_.string()), std::string::npos) << what;
    EXPECT_NE(what.find(" since "), std::string::npos) << what;
  }
  // Readers need no lock.
  EXPECT_NO_THROW(ProjectStore::open(folder_, OpenMode::ReadOnly));
  ASSERT_EQ(write(done[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(fs::exists(lock()));
  EXPECT_NO_THROW(ProjectStore::open(folder_));
  for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
}

TEST_F(ProjectStoreLockTest, SameProcessCannotOpenTwiceForWriting) {
  auto first = ProjectStore::open(folder_);
  EXPECT_THROW(ProjectStore::open(folder_), EnvironmentError);
  first.reset();
  EXPECT_NO_THROW(ProjectStore::open(folder_));
}

TEST_F(ProjectStoreLockTest, StaleLockOfADeadProcessIsTakenOver) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);  // reaped: its pid is free
  std::ofstream(lock())
      << "{\"host\":\"" << host() << "\",\"pid\":" << child
      << ",\"program\":\"marginalia-cli\",\"started\":\"2026-01-01T00:00:00Z\"}\n";
  auto store = ProjectStore::open(folder_);
  std::ifstream in(lock());
  const std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(content.find("\"pid\":" + std::to_string(getpid())), std::string::npos) << content;
}

TEST_F(ProjectStoreLockTest, LockOfALiveProcessOnThisHostIsRespected) {
  // pid 1 is always alive.
  std::ofstream(lock())
      << "{\"host\":\"" << host()
      << "\",\"pid\":1,\"program\":\"marginalia-cli\",\"started\":\"2026-01-01T00:00:00Z\"}\n";
  try {
    ProjectStore::open(folder_);
    FAIL() << "expected EnvironmentError";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("open for writing by marginalia-cli (pid 1 on " + host() +
                                         ") since 2026-01-01T00:00:00Z"),
              std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(ProjectStore::open(folder_, OpenMode::ReadOnly));
}
