// autocode, kwic and words end to end through marginalia-cli, on the first_session fixture.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

class ConcordanceCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(run("init " + project_).exit_code, 0);
    CliResult r =
        run("import " + project_ + " " + quoted((kFixtures / "first_session.txt").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  nlohmann::json codings() {
    CliResult r = run("codings " + project_ + " --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

}  // namespace

TEST_F(ConcordanceCli, AutocodeSentencesOnceAndUndoWhole) {
  CliResult r = run("autocode " + project_ +
                    " frightened --code 'Early anxiety' --coder ben --scope sentence");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Auto-coded 1 hit as \"Alliance formation/Early anxiety\" (coder ben, scope "
            "sentence): 1 coding added, 0 already there\n");
  auto j = codings();
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["text"], "Honestly I was frightened.");
  EXPECT_EQ(j[0]["coder"], "ben");

  // Again: nothing new.
  r = run("autocode " + project_ +
          " frightened --code 'Early anxiety' --coder ben --scope sentence");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 codings added, 1 already there"), std::string::npos) << r.out;

  // Every match of two words, as one step: one undo removes them all.
  r = run("autocode " + project_ + " 'minutes OR boring' --code Transparency");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Auto-coded 2 hits"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(coder ana, scope match): 3 codings added"), std::string::npos) << r.out;
  j = codings();
  ASSERT_EQ(j.size(), 4u);
  int minutes = 0, boring = 0;
  for (const auto& c : j) {
    if (c["code"] != "Transparency") continue;
    minutes += c["text"] == "minutes";
    boring += c["text"] == "boring";
  }
  EXPECT_EQ(minutes, 2);
  EXPECT_EQ(boring, 1);
  r = run("undo " + project_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(codings().size(), 1u);

  r = run("autocode " + project_ + " 'twenty minutes' --code Transparency --scope utterance");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = codings();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["text"],
            "Honestly I was frightened. I sat in the car for twenty minutes \U0001F62C and nearly "
            "drove home.\nI kept thinking she would find me boring.");
}

TEST_F(ConcordanceCli, AutocodeRefusesBadInput) {
  CliResult r = run("autocode " + project_ + " frightened --code 'Alliance formation'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("folder"), std::string::npos) << r.err;
  r = run("autocode " + project_ + " frightened --code Nope");
  EXPECT_EQ(r.exit_code, 1);
  r = run("autocode " + project_ + " frightened --code Transparency --scope paragraph");
  EXPECT_EQ(r.exit_code, 2);
  r = run("autocode " + project_ + " frightened");
  EXPECT_EQ(r.exit_code, 2);  // --code is required
  EXPECT_EQ(codings().size(), 0u);
}

TEST_F(ConcordanceCli, KwicRowsInEveryFormat) {
  CliResult r = run("kwic " + project_ + " boring --width 10 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["source"], "first_session");
  EXPECT_EQ(j[0]["speaker"], "Client");
  EXPECT_EQ(j[0]["role"], "client");
  EXPECT_EQ(j[0]["left"], "d find me ");
  EXPECT_EQ(j[0]["match"], "boring");
  EXPECT_EQ(j[0]["right"], ".");  // the turn ends there
  const std::string text = slurp(kFixtures / "first_session.txt");
  // Code points: one emoji (4 bytes) comes before "boring".
  EXPECT_EQ(j[0]["start"].get<int64_t>(), static_cast<int64_t>(text.find("boring")) - 3);

  r = run("kwic " + project_ + " minutes --width 8 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find("\r\n") + 2),
            "source,speaker,role,start,end,left,match,right\r\n");
  EXPECT_NE(r.out.find(",Client,client,"), std::string::npos);
  EXPECT_NE(r.out.find(", twenty ,minutes, \U0001F62C and n\r\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",e fifty ,minutes,\", what s\"\r\n"), std::string::npos) << r.out;

  r = run("kwic " + project_ + " boring --width 10");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find("  first_session")), "d find me  [boring] .         ");
  EXPECT_NE(r.out.find("Client (client)"), std::string::npos);

  r = run("kwic " + project_ + " '\"unbalanced'");
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(ConcordanceCli, WordsCountsWhatTheClientSaid) {
  CliResult r = run("words " + project_ + " --role client --top 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total_words"], 48);
  ASSERT_EQ(j["words"].size(), 3u);
  EXPECT_EQ(j["words"][0]["word"], "minutes");
  EXPECT_EQ(j["words"][0]["count"], 2);
  EXPECT_NEAR(j["words"][0]["per_1000"].get<double>(), 2000.0 / 48.0, 1e-9);
  EXPECT_EQ(j["words"][1]["word"], "bearable");
  EXPECT_EQ(j["words"][2]["word"], "boring");

  r = run("words " + project_ + " --role client --top 1 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "word,count,per_1000\r\nminutes,2,41.67\r\n");

  r = run("words " + project_ + " --top 0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("client"), std::string::npos);  // labels are no words
  EXPECT_EQ(r.out.find("interviewer"), std::string::npos);
  EXPECT_NE(r.out.find("frightened"), std::string::npos);

  // Only inside a code: after coding one sentence, its words and nothing else.
  ASSERT_EQ(
      run("autocode " + project_ + " frightened --code 'Early anxiety' --scope sentence").exit_code,
      0);
  r = run("words " + project_ + " --code 'Early anxiety' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total_words"], 4);  // Honestly I was frightened
  ASSERT_EQ(j["words"].size(), 2u);
  EXPECT_EQ(j["words"][0]["word"], "frightened");
  EXPECT_EQ(j["words"][1]["word"], "honestly");

  EXPECT_EQ(run("words " + project_ + " --role nobody").exit_code, 2);
  EXPECT_EQ(run("words " + project_ + " --source nowhere").exit_code, 1);
}
