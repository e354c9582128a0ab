// freq, matrix and cooccur end to end: a two-transcript project built through the CLI, every figure
// worked out by hand.
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

// a.txt: the client's interview. Both files are ASCII, so byte offsets are code points.
const std::string kA = "Interviewer: How was it?\n\nClient: I was scared. Then calm.\n";
// b.txt: the therapist's.
const std::string kB = "Interviewer: And later?\n\nTherapist: We talked it through.\n";

class AnalysisCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    build_fixture();
  }
  void ok(const std::string& args) {
    const CliResult r = run(args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }

  // Codes `needle` in `source` (whose text is `text`) with `code` as `coder`.
  void code(const std::string& source, const std::string& text, const std::string& needle,
            const std::string& code, const std::string& coder) {
    const size_t at = text.find(needle);
    ASSERT_NE(at, std::string::npos) << needle;
    ok("code " + project_ + " --source " + source + " --start " + std::to_string(at) + " --end " +
       std::to_string(at + needle.size()) + " --code " + quoted(code) + " --coder " + coder);
  }

  // Codebook mini.qdc: Alliance formation (a folder) > Early anxiety, Anxiety becoming bearable;
  // Transparency. Cases: P1 (a, outcome good), P2 (b, poor).
  // Codings in a's client turn "I was scared. Then calm." (x = its start):
  //   ana Early anxiety "I was scared."  [x, x+13)
  //   ben Early anxiety "scared. Then"   [x+6, x+18)
  //   ana Anxiety becoming bearable "Then calm." [x+14, x+24)
  // and in b's therapist turn: ana Transparency "We talked it through." (21 characters).
  void build_fixture() {
    spit(dir_ / "a.txt", kA);
    spit(dir_ / "b.txt", kB);
    spit(dir_ / "participants.csv",
         "participant,transcripts,outcome\nP1,a.txt,good\nP2,b.txt,poor\n");
    ok("init " + project_);
    ok("import " + project_ + " " + quoted((dir_ / "a.txt").string()) + " " +
       quoted((dir_ / "b.txt").string()));
    ok("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ok("attributes " + project_ + " load " + quoted((dir_ / "participants.csv").string()));
    code("a", kA, "I was scared.", "Early anxiety", "ana");
    code("a", kA, "scared. Then", "Early anxiety", "ben");
    code("a", kA, "Then calm.", "Anxiety becoming bearable", "ana");
    code("b", kB, "We talked it through.", "Transparency", "ana");
  }

 public:
  CliResult run_public(const std::string& args) { return run(args); }

 protected:
  nlohmann::json json_of(const std::string& args) {
    const CliResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(AnalysisCli, FreqJsonEveryFigureByHand) {
  const auto j = json_of("freq " + project_ + " --format json");
  const auto& rows = j["rows"];
  ASSERT_EQ(rows.size(), 4u) << j.dump(2);
  // Roles with turns: interviewer 2 (one per file), therapist 1 (b), client 1 (a).
  // Alliance formation (folder): subtree only. 3 codings in a; union [x, x+24) = 24 characters;
  // words I was scared Then calm = 5; 1 of 2 cases = 50.0; the client turn: 1 of 1.
  EXPECT_EQ(rows[0]["code"], "Alliance formation");
  EXPECT_EQ(rows[0]["scope"], "subtree");
  EXPECT_EQ(rows[0]["codings"], 3);
  EXPECT_EQ(rows[0]["sources"], 1);
  EXPECT_EQ(rows[0]["cases"], 1);
  EXPECT_DOUBLE_EQ(rows[0]["% cases"].get<double>(), 50.0);
  EXPECT_EQ(rows[0]["characters"], 24);
  EXPECT_EQ(rows[0]["words"], 5);
  EXPECT_DOUBLE_EQ(rows[0]["% interviewer utt."].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(rows[0]["% therapist utt."].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(rows[0]["% client utt."].get<double>(), 100.0);
  // Early anxiety: ana's [x, x+13) and ben's [x+6, x+18) unite to [x, x+18): 18 characters, not
  // 13 + 12 = 25; words I was scared Then = 4.
  EXPECT_EQ(rows[1]["code"], "Alliance formation/Early anxiety");
  EXPECT_EQ(rows[1]["scope"], "own");
  EXPECT_EQ(rows[1]["codings"], 2);
  EXPECT_EQ(rows[1]["characters"], 18);
  EXPECT_EQ(rows[1]["words"], 4);
  // Anxiety becoming bearable: "Then calm." 10 characters, 2 words.
  EXPECT_EQ(rows[2]["codings"], 1);
  EXPECT_EQ(rows[2]["characters"], 10);
  EXPECT_EQ(rows[2]["words"], 2);
  // Transparency: b, 21 characters, We talked it through = 4 words; the therapist's turn 1 of 1.
  EXPECT_EQ(rows[3]["code"], "Transparency");
  EXPECT_EQ(rows[3]["characters"], 21);
  EXPECT_EQ(rows[3]["words"], 4);
  EXPECT_DOUBLE_EQ(rows[3]["% therapist utt."].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(rows[3]["% client utt."].get<double>(), 0.0);
  EXPECT_FALSE(j["notes"].empty());
}

TEST_F(AnalysisCli, FreqByOutcomeAsTidyCsv) {
  const CliResult r =
      run("freq " + project_ + " --by outcome --codes 'Early anxiety' --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // good = P1 (a): both Early anxiety codings, the 1 case of 1; a has 1 interviewer turn, no
  // therapist turn (blank) and 1 client turn. poor = P2 (b): nothing; b's 1 interviewer turn,
  // 1 therapist turn, no client turn.
  EXPECT_EQ(r.out,
            "code,scope,outcome,codings,sources,cases,% cases,characters,words,"
            "% interviewer utt.,% therapist utt.,% client utt.\r\n"
            "Alliance formation/Early anxiety,own,good,2,1,1,100.0,18,4,0.0,,100.0\r\n"
            "Alliance formation/Early anxiety,own,poor,0,0,0,0.0,0,0,0.0,0.0,\r\n");
}

TEST_F(AnalysisCli, FreqByCoderAndRoleInText) {
  CliResult r = run("freq " + project_ + " --by coder --codes 'Early anxiety'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Code frequencies by coder"), std::string::npos) << r.out;
  // ana: "I was scared." 13 characters, 3 words; ben: "scared. Then" 12 characters, 2 words.
  EXPECT_NE(r.out.find("own    ana          1        1      1     50.0          13      3"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("own    ben          1        1      1     50.0          12      2"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("union"), std::string::npos);  // the definitions are in the notes

  r = run("freq " + project_ + " --by role --codes Transparency --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = nlohmann::json::parse(r.out)["rows"];
  ASSERT_EQ(rows.size(), 3u);  // interviewer, therapist, client
  EXPECT_EQ(rows[1]["role"], "therapist");
  EXPECT_EQ(rows[1]["codings"], 1);
  EXPECT_EQ(rows[1]["utterances"], 1);
  EXPECT_DOUBLE_EQ(rows[1]["% utterances"].get<double>(), 100.0);
  EXPECT_EQ(rows[0]["codings"], 0);
}

TEST_F(AnalysisCli, MatrixLongAndWide) {
  CliResult r = run("matrix " + project_ + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "code,scope,source,codings\r\n"
            "Alliance formation,subtree,a,3\r\n"
            "Alliance formation,subtree,b,0\r\n"
            "Alliance formation/Early anxiety,own,a,2\r\n"
            "Alliance formation/Early anxiety,own,b,0\r\n"
            "Alliance formation/Anxiety becoming bearable,own,a,1\r\n"
            "Alliance formation/Anxiety becoming bearable,own,b,0\r\n"
            "Transparency,own,a,0\r\n"
            "Transparency,own,b,1\r\n");
  r = run("matrix " + project_ + " --format md");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| code | scope | a | b | total |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| Transparency | own | 0 | 1 | 1 |"), std::string::npos) << r.out;
}

TEST_F(AnalysisCli, CooccurWithinCodersAcrossCodersAndUtterances) {
  // Codes with codings: 1 Early anxiety, 2 Anxiety becoming bearable, 3 Transparency.
  // Within coders: ana's "I was scared." ends before her "Then calm." starts; ben's coding
  // overlaps it but is ben's. So no passage holds both: ana's two passages + ben's one = 3.
  auto rows = json_of("cooccur " + project_ + " --format json")["rows"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["code A"], "Alliance formation/Early anxiety");
  EXPECT_EQ(rows[0]["code B"], "Alliance formation/Anxiety becoming bearable");
  EXPECT_EQ(rows[0]["both"], 0);
  EXPECT_EQ(rows[0]["either"], 3);
  EXPECT_EQ(rows[0]["coding pairs"], 0);
  // Across coders: ben's coding joins all three into one passage with both: J = 1/1.
  rows = json_of("cooccur " + project_ + " --across-coders --format json")["rows"];
  EXPECT_EQ(rows[0]["both"], 1);
  EXPECT_EQ(rows[0]["either"], 1);
  EXPECT_EQ(rows[0]["coding pairs"], 1);
  EXPECT_DOUBLE_EQ(rows[0]["Jaccard"].get<double>(), 1.0);
  // Utterances within coders: ana's client turn carries both; ben's carries Early anxiety.
  // Early anxiety in 2 units, bearable in 1, both in 1: J = 1 / (2 + 1 - 1) = 0.5.
  rows = json_of("cooccur " + project_ + " --within utterance --format json")["rows"];
  EXPECT_EQ(rows[0]["both"], 1);
  EXPECT_EQ(rows[0]["with A"], 2);
  EXPECT_EQ(rows[0]["with B"], 1);
  EXPECT_DOUBLE_EQ(rows[0]["Jaccard"].get<double>(), 0.5);

  // The wide LaTeX matrix: booktabs, counts above the diagonal, Jaccard below.
  const CliResult r = run("cooccur " + project_ + " --within utterance --format latex");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\\toprule"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 Alliance formation/Early anxiety & 2 & 1 & 0 \\\\"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2 Alliance formation/Anxiety becoming bearable & 0.50 & 1 & 0 \\\\"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\\label{tab:cooccur-utterance}"), std::string::npos);
}

TEST_F(AnalysisCli, ErrorsExitOneOrTwo) {
  CliResult r = run("freq " + project_ + " --by dyad");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("outcome"), std::string::npos) << r.err;  // lists the attributes there are
  r = run("freq " + project_ + " --codes 'No such code'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  r = run("freq " + project_ + " --format xlsx");
  EXPECT_EQ(r.exit_code, 2);
  r = run("cooccur " + project_ + " --within sentence");
  EXPECT_EQ(r.exit_code, 2);
  r = run("freq --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--by"), std::string::npos);
}

}  // namespace

namespace {

// The passages `retrieve ARGS --format csv` prints, as "start-end text coders" lines.
std::vector<std::string> retrieved(AnalysisCli& test, const std::string& args) {
  const CliResult r = test.run_public("retrieve " + args + " --format csv");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "source,speaker,role,time,start,end,passage,coders\r");
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_F(AnalysisCli, RetrieveCombinesCodesRolesAndCoders) {
  const size_t x = kA.find("I was scared.");
  const auto at = [x](size_t from, size_t to) {
    return std::to_string(x + from) + "," + std::to_string(x + to);
  };
  // Early anxiety: ana's and ben's codings share characters, so they are one passage.
  EXPECT_EQ(
      retrieved(*this, project_ + " --code 'Early anxiety'"),
      std::vector<std::string>{"a,Client,client,," + at(0, 18) + ",I was scared. Then,ana; ben\r"});
  // AND: only the text coded with both.
  EXPECT_EQ(
      retrieved(*this, project_ + " --code 'Early anxiety' --and 'Anxiety becoming bearable'"),
      std::vector<std::string>{"a,Client,client,," + at(14, 18) + ",Then,ben\r"});
  // NOT: the passage touches the other code, so nothing; ana's own codings do not touch.
  EXPECT_TRUE(
      retrieved(*this, project_ + " --code 'Early anxiety' --not 'Anxiety becoming bearable'")
          .empty());
  EXPECT_EQ(retrieved(*this, project_ + " --code 'Early anxiety' --not 'Anxiety becoming bearable' "
                                        "--coder ana"),
            std::vector<std::string>{"a,Client,client,," + at(0, 13) + ",I was scared.,ana\r"});
  EXPECT_TRUE(retrieved(*this, project_ + " --code 'Early anxiety' --role therapist").empty());

  const CliResult quotes = run("retrieve " + project_ + " --code Transparency --format quotes");
  EXPECT_EQ(quotes.exit_code, 0) << quotes.err;
  EXPECT_EQ(quotes.out, "\u201cWe talked it through.\u201d (Therapist, therapist; b)\n");
  EXPECT_NE(quotes.err.find("1 passage: Transparency"), std::string::npos) << quotes.err;

  const CliResult both = run("retrieve " + project_ + " --code Transparency --and A --not B");
  EXPECT_EQ(both.exit_code, 2) << both.err;
  const CliResult unknown = run("retrieve " + project_ + " --code Nowhere");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("Nowhere"), std::string::npos) << unknown.err;
}
