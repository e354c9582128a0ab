// `marginalia-cli check` end to end: a project broken in each way is named, with its area and the
// file or item; `--repair` rebuilds the index and keeps every coding.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../../core/src/storage/journal.h"
#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

void spill(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

std::string journal_line(const std::string& json) {
  char checksum[10];
  std::snprintf(checksum, sizeof checksum, "%08x ", marginalia::storage::crc32(json));
  return checksum + json + "\n";
}

class CheckCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(run("init " + project_).exit_code, 0);
    CliResult r =
        run("import " + project_ + " " + quoted((kFixtures / "first_session.txt").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()))
                  .exit_code,
              0);
    r = run("code " + project_ +
            " --source first_session --start 0 --end 12 --code 'Early anxiety'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  fs::path project() const { return fs::path(project_); }
  std::string source_file() const {
    for (const fs::directory_entry& e : fs::directory_iterator(project() / "sources"))
      return e.path().string();
    return {};
  }
};

TEST_F(CheckCli, AWholeProjectHasNoProblems) {
  const CliResult r = run("check " + project_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(project_ + ": no problems"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("problem ["), std::string::npos) << r.out;
}

TEST_F(CheckCli, AMissingTranscriptIsNamed) {
  const std::string text = source_file();
  fs::remove(text);
  const CliResult r = run("check " + project_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("problem [snapshot] cannot open: missing file " + text), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 problem"), std::string::npos) << r.out;
}

TEST_F(CheckCli, ADamagedJournalEntryIsNamedByLine) {
  const fs::path journal = project() / ".marginalia" / "journal";
  spill(journal,
        "00000000 {\"seq\":99,\"op\":\"undo\"}\n" + journal_line("{\"op\":\"redo\",\"seq\":100}"));
  const CliResult r = run("check " + project_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("problem [journal] " + journal.string() + ": line 1 is damaged"),
            std::string::npos)
      << r.out;
}

TEST_F(CheckCli, ACodingPastTheEndOfItsTextIsNamed) {
  const fs::path qde = project() / "project.qde";
  std::string xml = slurp(qde);
  const size_t at = xml.find("endPosition=\"12\"");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 16, "endPosition=\"99999\"");
  spill(qde, xml);
  const CliResult r = run("check " + project_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("problem [snapshot]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[0, 99999): its end lies outside the text"), std::string::npos) << r.out;
}

TEST_F(CheckCli, ACodingByAnUnknownCoderIsNamed) {
  const fs::path qde = project() / "project.qde";
  std::string xml = slurp(qde);
  const std::string attribute = "creatingUser=\"";
  size_t at = 0;
  int replaced = 0;
  while ((at = xml.find(attribute, at)) != std::string::npos) {
    // Every coding and selection now names a coder the project's Users do not hold.
    xml.replace(at + attribute.size(), 36, "a1000000-0000-4000-8000-00000000dead");
    at += attribute.size();
    ++replaced;
  }
  ASSERT_GT(replaced, 0);
  spill(qde, xml);
  const CliResult r = run("check " + project_ + " --format json");
  EXPECT_EQ(r.exit_code, 1);
  const nlohmann::json report = nlohmann::json::parse(r.out);
  EXPECT_FALSE(report["ok"].get<bool>());
  bool named = false;
  for (const auto& f : report["findings"])
    named |= f["area"] == "references" &&
             f["message"].get<std::string>().find(
                 "names a coder a1000000-0000-4000-8000-00000000dead") != std::string::npos;
  EXPECT_TRUE(named) << r.out;
}

TEST_F(CheckCli, RepairRebuildsADamagedIndexAndKeepsEveryCoding) {
  const std::string before = run("codings " + project_ + " --format csv").out;
  for (const fs::directory_entry& e : fs::directory_iterator(project() / ".marginalia" / "index"))
    if (e.path().extension() == ".glass") spill(e.path(), "garbage");
  CliResult r = run("check " + project_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("problem [index]"), std::string::npos) << r.out;
  r = run("check " + project_ + " --repair");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("repaired: rebuilt the search index"), std::string::npos) << r.out;
  EXPECT_EQ(run("codings " + project_ + " --format csv").out, before);
  r = run("search " + project_ + " anxious");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CheckCli, NotAProjectIsAProblemAndAMissingFolderBadInput) {
  CliResult r = run("check " + (dir_ / "nowhere").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not a folder"), std::string::npos) << r.err;
  r = run("check " + dir_.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("has no project.qde"), std::string::npos) << r.out;
}

}  // namespace
