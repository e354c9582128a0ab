// agree, disagreements, consensus, merge and mark-done end to end: a small two-coder project built
// through the CLI, reliability data from a CSV, and the sample study.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

// Two turns: ana and ben agree on "I was scared." and differ on "Then calm.".
const std::string kA = "Interviewer: How was it?\n\nClient: I was scared. Then calm.\n";
const std::string kB = "Interviewer: And later?\n\nTherapist: We talked it through.\n";

class AgreementCli : public CliTest {
 protected:
  void ok(const std::string& args) {
    const CliResult r = run(args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }
  void code(const std::string& project, const std::string& source, const std::string& text,
            const std::string& needle, const std::string& code, const std::string& coder) {
    const size_t at = text.find(needle);
    ASSERT_NE(at, std::string::npos) << needle;
    ok("code " + project + " --source " + source + " --start " + std::to_string(at) + " --end " +
       std::to_string(at + needle.size()) + " --code " + quoted(code) + " --coder " + coder);
  }
  void build(const std::string& project) {
    spit(dir_ / "a.txt", kA);
    spit(dir_ / "b.txt", kB);
    ok("init " + project);
    ok("import " + project + " " + quoted((dir_ / "a.txt").string()) + " " +
       quoted((dir_ / "b.txt").string()));
    ok("codebook " + project + " load " + quoted((kFixtures / "mini.qdc").string()));
  }
  nlohmann::json json_of(const std::string& args) {
    const CliResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    return nlohmann::json::parse(r.out);
  }
  // The value of `coefficient` in the row for `code` of agree's JSON.
  static nlohmann::json value_of(const nlohmann::json& j, const std::string& code,
                                 const std::string& coefficient) {
    for (const auto& row : j["rows"])
      if (row["code"] == code && row["coefficient"] == coefficient) return row;
    return {};
  }
};

TEST_F(AgreementCli, TwoCodersOneDisagreementThenConsensusAndUndo) {
  build(project_);
  code(project_, "a", kA, "I was scared.", "Early anxiety", "ana");
  code(project_, "a", kA, "I was scared.", "Early anxiety", "ben");
  code(project_, "a", kA, "Then calm.", "Early anxiety", "ana");
  // Neither coded anything in b: its units are missing until both mark it done.
  auto j = json_of("agree " + project_ + " --unit sentence --format json");
  // Sentences: a's interviewer turn (1), a's client turn (2).
  auto alpha = value_of(j, "Alliance formation/Early anxiety", "Krippendorff's alpha");
  EXPECT_EQ(alpha["units"], 3) << j.dump(2);
  EXPECT_EQ(alpha["unit"], "sentence");
  ok("mark-done " + project_ + " --source b --coder ben");
  j = json_of("agree " + project_ + " --unit sentence --format json");
  EXPECT_EQ(value_of(j, "Alliance formation/Early anxiety", "Krippendorff's alpha")["units"], 3);
  ok("mark-done " + project_ + " --source b --coder ana");
  j = json_of("agree " + project_ + " --unit sentence --format json");
  alpha = value_of(j, "Alliance formation/Early anxiety", "Krippendorff's alpha");
  EXPECT_EQ(alpha["units"], 5);
  // Values (ana, ben): (0,0) (1,1) (1,0) (0,0) (0,0): n = 10, n_1 = 3, o_10 + o_01 = 2;
  // alpha = 1 - 9 * 2 / (2 * 3 * 7) = 4/7.
  EXPECT_NEAR(alpha["value"].get<double>(), 4.0 / 7.0, 1e-6);
  EXPECT_NEAR(value_of(j, "Alliance formation/Early anxiety", "Agreement %")["value"].get<double>(),
              80.0, 1e-6);

  // Taking Ana's mark back makes b missing again; putting it back restores it.
  ok("mark-done " + project_ + " --source b --coder ana --undo");
  j = json_of("agree " + project_ + " --unit sentence --format json");
  EXPECT_EQ(value_of(j, "Alliance formation/Early anxiety", "Krippendorff's alpha")["units"], 3);
  ok("mark-done " + project_ + " --source b --coder ana");

  CliResult r = run("disagreements " + project_ + " --unit sentence --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Alliance formation/Early anxiety,a,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",Client,coded,not coded,Then calm."), std::string::npos) << r.out;

  const size_t then = kA.find("Then calm.");
  r = run("consensus " + project_ + " --code 'Early anxiety' --unit sentence --source a --start " +
          std::to_string(then + 2) + " --accept ben");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Adjudicated 1 disagreement"), std::string::npos) << r.out;
  r = run("codings " + project_ + " --format csv");
  EXPECT_EQ(r.out.find("consensus"), std::string::npos) << "Ben's version: no coding there";
  // Then all the rest with Ana's version, which adds the coding to the consensus coder.
  r = run("consensus " + project_ + " --code 'Early anxiety' --unit sentence --all --accept ana");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run("codings " + project_ + " --format csv");
  EXPECT_NE(r.out.find("consensus"), std::string::npos) << r.out;
  ok("undo " + project_);
  r = run("codings " + project_ + " --format csv");
  EXPECT_EQ(r.out.find("consensus"), std::string::npos) << r.out;
  // The consensus coder is not compared by default.
  j = json_of("agree " + project_ + " --unit sentence --format json");
  EXPECT_EQ(j["notes"][1].get<std::string>().find("consensus"), std::string::npos);
}

TEST_F(AgreementCli, EveryUnitAndFormatPrints) {
  build(project_);
  code(project_, "a", kA, "I was scared.", "Early anxiety", "ana");
  code(project_, "a", kA, "I was scared. Then", "Early anxiety", "ben");
  for (const std::string unit : {"utterance", "sentence", "character", "segment", "unitized"})
    for (const std::string format : {"text", "csv", "md", "latex", "html", "json"}) {
      const CliResult r = run("agree " + project_ + " --unit " + unit + " --format " + format);
      ASSERT_EQ(r.exit_code, 0) << unit << " " << format << "\n" << r.err;
      EXPECT_FALSE(std::regex_search(r.out, std::regex("\\bnan\\b", std::regex::icase))) << r.out;
      if (format == "text") EXPECT_NE(r.out.find("Unit:"), std::string::npos) << r.out;
    }
  // Character units: 13 characters both, 5 only ben; b, coded by neither, is missing.
  const auto j = json_of("agree " + project_ + " --unit character --format json");
  const auto pa = value_of(j, "Alliance formation/Early anxiety", "Agreement %");
  const double chars = static_cast<double>(kA.size());
  EXPECT_NEAR(pa["value"].get<double>(), 100.0 * (chars - 5) / chars, 1e-4);
}

TEST_F(AgreementCli, ReliabilityDataFromCsvPrintsEveryCoefficient) {
  // Krippendorff (2011): 4 coders, 12 units, missing data; nominal alpha 0.743.
  const std::vector<std::vector<int>> coders = {{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
                                                {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
                                                {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
                                                {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0}};
  std::string csv = "unit,coder,value\n";
  for (size_t c = 0; c < coders.size(); ++c)
    for (size_t u = 0; u < 12; ++u)
      csv += std::to_string(u + 1) + "," + std::string(1, static_cast<char>('A' + c)) + "," +
             (coders[c][u] ? std::to_string(coders[c][u]) : std::string()) + "\n";
  spit(dir_ / "k.csv", csv);
  CliResult r = run("agree --data " + quoted((dir_ / "k.csv").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"Agreement %", "Cohen's kappa", "Scott's pi", "Fleiss' kappa",
                           "Krippendorff's alpha", "Brennan-Prediger kappa", "Gwet's AC1"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  EXPECT_NE(r.out.find("0.743"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("undefined (needs exactly two coders"), std::string::npos) << r.out;
  const auto j = json_of("agree --data " + quoted((dir_ / "k.csv").string()) +
                         " --format json --bootstrap 200 --seed 3");
  const auto alpha = value_of(j, "All units", "Krippendorff's alpha");
  EXPECT_NEAR(alpha["value"].get<double>(), 113.0 / 152.0, 1e-6);
  EXPECT_LT(alpha["ci_low"].get<double>(), alpha["value"].get<double>());

  spit(dir_ / "same.csv", "unit,coder,value\n1,A,x\n1,B,x\n2,A,x\n2,B,x\n");
  r = run("agree --data " + quoted((dir_ / "same.csv").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("undefined (every value is the same"), std::string::npos) << r.out;

  spit(dir_ / "bad.csv", "unit,coder,value\n1,A,x\n1,A,y\n");
  r = run("agree --data " + quoted((dir_ / "bad.csv").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.csv: line 3"), std::string::npos) << r.err;
  r = run("agree --data " + quoted((dir_ / "missing.csv").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  EXPECT_EQ(run("agree").exit_code, 2);
}

TEST_F(AgreementCli, BadInputNamesTheProblem) {
  build(project_);
  code(project_, "a", kA, "I was scared.", "Early anxiety", "ana");
  CliResult r = run("agree " + project_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("two or more coders"), std::string::npos) << r.err;
  code(project_, "a", kA, "I was scared.", "Early anxiety", "ben");
  r = run("agree " + project_ + " --coders ana,zoe");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no coder named \"zoe\""), std::string::npos) << r.err;
  EXPECT_EQ(run("agree " + project_ + " --unit paragraph").exit_code, 2);
  EXPECT_EQ(run("agree " + project_ + " --overlap 1.5").exit_code, 2);
  r = run("consensus " + project_ + " --code 'Early anxiety' --all --accept ana");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no disagreements"), std::string::npos) << r.err;
}

TEST_F(AgreementCli, MergeAnotherCodersProjectTwice) {
  build(project_);
  code(project_, "a", kA, "I was scared.", "Early anxiety", "ana");
  ok("mark-done " + project_ + " --source b --coder ana");
  // Ben's own copy: the same transcripts imported again (new GUIDs, same text).
  const std::string bens = (dir_ / "bens").string();
  build(bens);
  code(bens, "a", kA, "Then calm.", "Early anxiety", "ben");
  ok("mark-done " + bens + " --source b --coder ben");
  CliResult r = run("merge " + project_ + " " + bens);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sources: 2 matched, 0 added"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("codings: 1 added"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("coders:  0 matched, 1 added"), std::string::npos) << r.out;
  r = run("merge " + project_ + " " + bens);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing new"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("codings: 0 added, 1 already here"), std::string::npos) << r.out;
  // Merged: Ben's mark on b came along, so b's turn counts for him.
  const auto j = json_of("agree " + project_ + " --format json");
  EXPECT_EQ(value_of(j, "Alliance formation/Early anxiety", "Krippendorff's alpha")["units"], 4);
  ok("undo " + project_);  // the second merge changed nothing; this undoes the first
  r = run("codings " + project_ + " --format csv");
  EXPECT_EQ(r.out.find("ben"), std::string::npos) << r.out;
  // The same coder's work as a REFI-QDA .qdpx merges alike (and is already here after a redo).
  const std::string qdpx = (dir_ / "bens.qdpx").string();
  ok("export " + bens + " " + quoted(qdpx));
  r = run("merge " + project_ + " " + quoted(qdpx));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sources: 2 matched, 0 added"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("codings: 1 added"), std::string::npos) << r.out;
  r = run("merge " + project_ + " " + quoted(qdpx));
  EXPECT_NE(r.out.find("codings: 0 added, 1 already here"), std::string::npos) << r.out;
  r = run("codings " + project_ + " --format csv");
  EXPECT_NE(r.out.find("ben"), std::string::npos) << r.out;
  spit(dir_ / "junk.qdpx", "not a zip");
  r = run("merge " + project_ + " " + quoted((dir_ / "junk.qdpx").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("junk.qdpx"), std::string::npos) << r.err;
  r = run("merge " + project_ + " " + (dir_ / "nowhere").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

TEST_F(AgreementCli, SampleStudyPooledUtteranceAlpha) {
  const std::string study = (dir_ / "sample").string();
  const std::string cmd = std::string(MARGINALIA_SOURCE_DIR) + "/scripts/build-sample-study " +
                          MARGINALIA_CLI + " " + quoted(study) + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto j = json_of("agree " + quoted(study) + " --format json");
  const auto alpha = value_of(j, "All codes (pooled)", "Krippendorff's alpha");
  ASSERT_TRUE(alpha.contains("value")) << j.dump(2);
  const double a = alpha["value"].get<double>();
  EXPECT_GE(a, 0.6);
  EXPECT_LE(a, 0.85);
  // Every coefficient is computed over the same 2 coders x units: kappa and pi near alpha.
  EXPECT_NEAR(value_of(j, "All codes (pooled)", "Cohen's kappa")["value"].get<double>(), a, 0.01);
  fs::remove(study + ".stamp");
}

}  // namespace
