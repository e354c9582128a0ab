// chart, report and the codebook table end to end through the CLI, on a small two-coder project
// whose every number is counted by hand below.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

bool have_xmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

// In first_session.txt every quote below is in a Client turn:
//   Early anxiety:             ana 2 ("Honestly...", "I kept thinking..."), ben 1 -> 3 codings
//   Anxiety becoming bearable: ana 1, ben 1 (overlapping spans)             -> 2 codings
//   Transparency:              ana 1, overlapping ana's "That made it bearable, I think."
// So by role: client 3, 2, 1; interviewer 0. Co-occurrence (passages, one coder's codings):
// Transparency x Anxiety becoming bearable = 1, every other pair 0.
const char* kQuotes =
    "coder\tsource\tcode\tquote\n"
    "ana\tfirst_session\tEarly anxiety\tHonestly I was frightened.\n"
    "ben\tfirst_session\tEarly anxiety\tHonestly I was frightened.\n"
    "ana\tfirst_session\tEarly anxiety\tI kept thinking she would find me boring.\n"
    "ana\tfirst_session\tAnxiety becoming bearable\tThat made it bearable, I think.\n"
    "ben\tfirst_session\tAnxiety becoming bearable\tThat made it bearable\n"
    "ana\tfirst_session\tTransparency\twho reads it. That made it\n";

class ReportCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(run("init " + project_).exit_code, 0);
    CliResult r =
        run("import " + project_ + " " + quoted((kFixtures / "first_session.txt").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ofstream(dir_ / "quotes.tsv") << kQuotes;
    r = run("code-quotes " + project_ + " " + quoted((dir_ / "quotes.tsv").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // xmllint's complaints (empty when clean), or nullopt-like "skip" when it is absent.
  std::string lint(const fs::path& file, bool html) {
    const fs::path err = dir_ / "xmllint.err";
    const int rc = std::system(("xmllint " + std::string(html ? "--html " : "") + "--noout " +
                                quoted(file.string()) + " 2>" + quoted(err.string()))
                                   .c_str());
    return rc == 0 ? slurp(err) : "exit " + std::to_string(rc) + ": " + slurp(err);
  }
};

std::vector<double> widths_of(const std::string& svg, const std::string& colour) {
  std::vector<double> widths;
  const std::regex rect("<rect [^>]*width=\"([0-9.]+)\"[^>]*fill=\"" + colour + "\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator();
       ++it)
    widths.push_back(std::stod((*it)[1]));
  return widths;
}

}  // namespace

TEST_F(ReportCli, FrequencyChartByRoleDrawsTheCounts) {
  const fs::path svg_file = dir_ / "freq.svg";
  CliResult r = run("chart " + project_ + " --kind freq --by role -o " + quoted(svg_file.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = slurp(svg_file);
  EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  // Long code names wrap onto two lines at column width.
  for (const char* text : {">Early anxiety<", ">Anxiety becoming", "bearable<", ">Transparency<",
                           ">client<", ">Role:<", ">Alliance formation<", ">3<"})
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  const auto early = widths_of(svg, "#FF7F00"), bearable = widths_of(svg, "#FDBF6F"),
             transparency = widths_of(svg, "#33A02C");
  ASSERT_EQ(early.size(), 1u);  // the interviewer's 0 draws no bar
  ASSERT_EQ(bearable.size(), 1u);
  ASSERT_EQ(transparency.size(), 1u);
  EXPECT_NEAR(early[0] / bearable[0], 1.5, 0.02);
  EXPECT_NEAR(early[0] / transparency[0], 3.0, 0.03);
  if (have_xmllint()) {
    EXPECT_EQ(lint(svg_file, false), "");
  }

  // One coder's codings only: ben has Early anxiety 1 and Anxiety becoming bearable 1.
  r = run("chart " + project_ + " --by role --coder ben -o " + quoted(svg_file.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string ben = slurp(svg_file);
  EXPECT_NE(ben.find(">Codings by ben<"), std::string::npos);
  EXPECT_EQ(ben.find(">Transparency<"), std::string::npos);
  EXPECT_NE(r.err.find("left out"), std::string::npos);
}

TEST_F(ReportCli, CooccurrenceHeatmapShowsTheOverlap) {
  const fs::path svg_file = dir_ / "cooccur.svg";
  CliResult r = run("chart " + project_ + " --kind cooccur -o " + quoted(svg_file.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = slurp(svg_file);
  EXPECT_NE(svg.find(">Transparency<"), std::string::npos);
  EXPECT_NE(svg.find(">Anxiety becoming bearable<"), std::string::npos);
  EXPECT_EQ(svg.find("Early anxiety"), std::string::npos);  // co-occurs with nothing: left out
  EXPECT_NE(svg.find(">1</text>"), std::string::npos);
  EXPECT_NE(r.err.find("left out"), std::string::npos);
  if (have_xmllint()) {
    EXPECT_EQ(lint(svg_file, false), "");
  }

  // Named codes stay, with their zeros.
  r = run("chart " + project_ + " --kind cooccur --codes 'Early anxiety,Transparency' -o " +
          quoted(svg_file.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(svg_file).find(">0</text>"), std::string::npos);
}

TEST_F(ReportCli, ReportGroupsPassagesUnderTheirCodes) {
  const fs::path html_file = dir_ / "report.html";
  CliResult r = run("report " + project_ + " -o " + quoted(html_file.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Early anxiety 2 (ana and ben's identical span is one passage), bearable 2, Transparency 1.
  EXPECT_NE(r.out.find("5 passages"), std::string::npos) << r.out;
  const std::string html = slurp(html_file);
  const size_t early = html.find(">Early anxiety <span");
  const size_t bearable = html.find(">Anxiety becoming bearable <span");
  const size_t transparency = html.find(">Transparency <span");
  ASSERT_NE(early, std::string::npos);
  ASSERT_LT(early, bearable);
  ASSERT_LT(bearable, transparency);
  const size_t frightened = html.find("<blockquote>Honestly I was frightened.</blockquote>", early);
  ASSERT_NE(frightened, std::string::npos);
  EXPECT_LT(frightened, bearable);
  EXPECT_NE(html.find("<span>Client (client)</span><span>first_session</span><span>coded by ana, "
                      "ben</span>",
                      early),
            std::string::npos);
  EXPECT_NE(html.find("marginalia://open?project="), std::string::npos);
  EXPECT_NE(html.find("<dd>fear before or in the first sessions.</dd>"), std::string::npos);
  if (have_xmllint()) {
    EXPECT_EQ(lint(html_file, true), "");
  }

  r = run("report " + project_ + " --coder ben --codes 'Alliance formation' -o " +
          quoted(html_file.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string ben = slurp(html_file);
  EXPECT_EQ(ben.find(">Transparency <span"), std::string::npos);
  EXPECT_EQ(ben.find("I kept thinking she would find me boring."), std::string::npos);
  EXPECT_NE(ben.find("Honestly I was frightened."), std::string::npos);
}

TEST_F(ReportCli, CodebookTableInEachFormat) {
  CliResult r = run("codebook " + project_ + " table --format latex");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\\toprule"), std::string::npos);
  EXPECT_NE(r.out.find("\\begin{tabular}{p{0.14\\linewidth}"), std::string::npos);
  EXPECT_NE(r.out.find("Alliance formation/Early anxiety"), std::string::npos);
  EXPECT_NE(r.out.find("fear before or in the first sessions."), std::string::npos);

  r = run("codebook " + project_ + " table --format md");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Frequency"), std::string::npos);
  // Early anxiety: 3 codings; the folder: 3 + 2 below it.
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("Alliance formation/Early anxiety \\|.*\\| *3 *\\|")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\\| Alliance formation \\|.*\\| *5 *\\|")))
      << r.out;

  r = run("codebook-table " + project_ + " --format html --coder ben");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("<table"), std::string::npos);
  EXPECT_NE(r.out.find("by ben"), std::string::npos);
}

TEST_F(ReportCli, MistakesExitWithCodes) {
  EXPECT_EQ(run("chart " + project_ + " --kind freq").exit_code, 2);  // no -o
  EXPECT_EQ(run("chart " + project_ + " --kind pie -o x.svg").exit_code, 2);
  EXPECT_EQ(run("report " + project_ + " --codes Nope -o " + quoted((dir_ / "r.html").string()))
                .exit_code,
            1);
  EXPECT_EQ(
      run("chart " + project_ + " --by nonsense -o " + quoted((dir_ / "c.svg").string())).exit_code,
      1);
  EXPECT_EQ(run("codebook " + project_ + " list --format latex").exit_code, 2);
}
