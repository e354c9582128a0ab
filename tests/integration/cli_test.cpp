// The CLI end to end, as a researcher would run it: init, import, codebook, code, undo, codings.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

class Cli : public CliTest {
 protected:
  void SetUp() override { CliTest::SetUp(); }
  nlohmann::json info() {
    CliResult r = run("info " + project_ + " --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }

  void init_with_transcript() {
    ASSERT_EQ(run("init " + project_ + " --name 'Alliance pilot'").exit_code, 0);
    CliResult r =
        run("import " + project_ + " " + quoted((kFixtures / "first_session.txt").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(Cli, InitImportInfoReportsSpeakersAndRoles) {
  init_with_transcript();
  nlohmann::json j = info();
  EXPECT_EQ(j["name"], "Alliance pilot");
  EXPECT_EQ(j["language"], "en");
  EXPECT_EQ(j["sources"], 1);
  EXPECT_EQ(j["utterances"], 4);
  EXPECT_EQ(j["codes"], 4);
  EXPECT_EQ(j["codings"], 0);
  const auto& speakers = j["source_list"][0]["speakers"];
  ASSERT_EQ(speakers.size(), 2u);
  EXPECT_EQ(speakers[0]["speaker"], "Interviewer");
  EXPECT_EQ(speakers[0]["role"], "interviewer");
  EXPECT_EQ(speakers[1]["speaker"], "Client");
  EXPECT_EQ(speakers[1]["role"], "client");
  EXPECT_EQ(speakers[1]["turns"], 2);
  EXPECT_TRUE(fs::exists(fs::path(project_) / "project.qde"));
}

TEST_F(Cli, CodeListUndoRedoUncode) {
  init_with_transcript();
  // "Honestly I was frightened." in the client's first turn; find it by code points.
  CliResult r = run("codings " + project_ + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 0u);

  const std::string text = slurp(kFixtures / "first_session.txt");
  const std::string needle = "Honestly I was frightened.";
  const size_t byte = text.find(needle);
  ASSERT_NE(byte, std::string::npos);  // ASCII before it, so bytes == code points
  const std::string span =
      " --start " + std::to_string(byte) + " --end " + std::to_string(byte + needle.size());

  r = run("code " + project_ + " --source first_session" + span + " --code 'Early anxiety'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string guid = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(guid.size(), 36u);

  r = run("codings " + project_ + " --format json");
  auto codings = nlohmann::json::parse(r.out);
  ASSERT_EQ(codings.size(), 1u);
  EXPECT_EQ(codings[0]["text"], needle);
  EXPECT_EQ(codings[0]["code"], "Alliance formation/Early anxiety");
  EXPECT_EQ(codings[0]["coder"], "ana");
  EXPECT_EQ(codings[0]["guid"], guid);

  // The same span, code and coder again is one coding.
  r = run("code " + project_ + " --source first_session" + span + " --code 'Early anxiety'");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(info()["codings"], 1);

  // A path names the code too; a second coder makes a second coding.
  r = run("code " + project_ + " --source first_session" + span +
          " --code 'Alliance formation/Early anxiety' --coder ben");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(info()["codings"], 2);
  EXPECT_EQ(info()["coders"].size(), 2u);

  ASSERT_EQ(run("undo " + project_).exit_code, 0);
  EXPECT_EQ(info()["codings"], 1);
  ASSERT_EQ(run("redo " + project_).exit_code, 0);
  EXPECT_EQ(info()["codings"], 2);

  r = run("uncode " + project_ + " --coding " + guid);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run("codings " + project_ + " --coder ana --format csv");
  EXPECT_EQ(r.out, "guid,source,start,end,code,coder,text\r\n");
  ASSERT_EQ(run("undo " + project_).exit_code, 0);
  r = run("codings " + project_ + " --coder ana --format csv");
  EXPECT_NE(r.out.find(guid + ",first_session," + std::to_string(byte)), std::string::npos)
      << r.out;

  // Undo walks back through the codings by name; adding a coder is no step of its own.
  r = run("undo " + project_);
  EXPECT_EQ(r.out, "Undid Code \"Early anxiety\"\n");
  EXPECT_EQ(info()["codings"], 1);
  r = run("undo " + project_);
  EXPECT_EQ(r.out, "Undid Code \"Early anxiety\"\n");
  EXPECT_EQ(info()["codings"], 0);
  r = run("undo " + project_);
  EXPECT_EQ(r.out, "Undid Load codebook mini.qdc\n");
  EXPECT_EQ(info()["codes"], 0);
}

TEST_F(Cli, OffsetsAreCodePoints) {
  init_with_transcript();
  // The emoji is one character: the span after it is counted in code points, not bytes.
  const std::string text = slurp(kFixtures / "first_session.txt");
  const std::string after = " and nearly drove home.";
  const size_t byte = text.find(after);
  const size_t emoji_bytes = 4;
  const size_t start = byte - (emoji_bytes - 1);
  CliResult r =
      run("code " + project_ + " --source first_session --start " + std::to_string(start) +
          " --end " + std::to_string(start + after.size()) + " --code 'Early anxiety'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run("codings " + project_ + " --format json");
  EXPECT_EQ(nlohmann::json::parse(r.out)[0]["text"], after);
}

TEST_F(Cli, BadInputExitsOneWithOneLineNamingTheProblem) {
  init_with_transcript();
  CliResult r = run("code " + project_ + " --source first_session --start 10 --end 99999 --code " +
                    "'Early anxiety'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("99999"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  r = run("code " + project_ + " --source first_session --start 0 --end 5 --code 'No such code'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("No such code"), std::string::npos) << r.err;

  r = run("code " + project_ +
          " --source first_session --start 0 --end 5 --code "
          "'Alliance formation'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("folder"), std::string::npos) << r.err;
  EXPECT_EQ(info()["codings"], 0);
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  EXPECT_EQ(run("code " + project_ + " --start 1").exit_code, 2);
  EXPECT_EQ(run("import " + project_ + " x.txt --role Lena=wizard").exit_code, 2);
  CliResult help = run("import --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--encoding"), std::string::npos);
}

TEST_F(Cli, OneBadFileOfSeveralDoesNotStopTheOthers) {
  ASSERT_EQ(run("init " + project_).exit_code, 0);
  CliResult r = run("import " + project_ + " " + quoted((kFixtures / "broken_utf8.txt").string()) +
                    " " + quoted((kFixtures / "windows1252.txt").string()) + " " +
                    quoted((kFixtures / "first_session.txt").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken_utf8.txt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("byte"), std::string::npos) << r.err;
  nlohmann::json j = info();
  EXPECT_EQ(j["sources"], 2);
  EXPECT_EQ(j["source_list"][0]["name"], "windows1252");
  EXPECT_EQ(j["source_list"][0]["encoding"], "windows-1252");
  // Smart quotes and the en dash survive the decoding.
  const std::string sources = (fs::path(project_) / "sources").string();
  bool found = false;
  for (const auto& f : fs::directory_iterator(sources))
    found |= slurp(f.path()).find("I was \u201cnervous\u201d \u2013 very.\n") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST_F(Cli, SecondWriterIsRefusedWithTheHolderNamed) {
  init_with_transcript();
  // A live process holds the lock: this test process itself.
  const fs::path lock = fs::path(project_) / ".marginalia" / "lock";
  ASSERT_FALSE(fs::exists(lock));  // released after each command
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  {
    std::ofstream out(lock);
    out << nlohmann::json{{"host", host},
                          {"pid", ::getpid()},
                          {"program", "marginalia"},
                          {"started", "2026-11-30T00:00:00Z"}}
               .dump();
  }
  CliResult r =
      run("code " + project_ + " --source first_session --start 0 --end 5 --code Transparency");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(std::to_string(::getpid())), std::string::npos) << r.err;
  // Reading is still possible.
  EXPECT_EQ(info()["codings"], 0);
  fs::remove(lock);
}

TEST_F(Cli, CodebookExportRoundTrips) {
  init_with_transcript();
  const std::string out = (dir_ / "out.qdc").string();
  ASSERT_EQ(run("codebook " + project_ + " export " + out).exit_code, 0);
  const std::string other = (dir_ / "other").string();
  ASSERT_EQ(run("init " + other).exit_code, 0);
  ASSERT_EQ(run("codebook " + other + " load " + out).exit_code, 0);
  CliResult a = run("codebook " + project_ + " list --format json");
  CliResult b = run("codebook " + other + " list --format json");
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("Alliance formation/Anxiety becoming bearable"), std::string::npos);
}

}  // namespace
