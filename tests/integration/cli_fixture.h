// What every end-to-end CLI test needs: a scratch folder per test with a project path in it, and
// `run` to call marginalia-cli (as coder ana) capturing its exit code, stdout and stderr.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace marginalia::cli_testing {

namespace fs = std::filesystem;

inline const fs::path kFixtures = fs::path(MARGINALIA_SOURCE_DIR) / "tests/fixtures/cli";

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

// Writes `text` to `p` as bytes.
inline void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The string as one word for sh.
inline std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("marginalia-" +
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name()) +
         "-" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    project_ = (dir_ / "study").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliResult run(const std::string& args) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd = "MARGINALIA_CODER=ana " + std::string(MARGINALIA_CLI) + " " + args +
                            " >" + quoted(out.string()) + " 2>" + quoted(err.string());
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  fs::path dir_;
  std::string project_;
};

}  // namespace marginalia::cli_testing
