// The coded-passages report and the codebook table, on a small hand-made project.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "marginalia/error.h"
#include "marginalia/report.h"
#include "marginalia/tables.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

bool have_xmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

// xmllint's complaints about `html` parsed as HTML; empty when it parses cleanly.
std::string html_errors(const std::string& html) {
  const fs::path dir = fs::temp_directory_path();
  const fs::path file = dir / ("marginalia-report-" + std::to_string(::getpid()) + ".html");
  const fs::path err = dir / ("marginalia-report-" + std::to_string(::getpid()) + ".err");
  std::ofstream(file, std::ios::binary) << html;
  const int rc = std::system(
      ("xmllint --html --noout '" + file.string() + "' 2>'" + err.string() + "'").c_str());
  std::stringstream ss;
  ss << std::ifstream(err).rdbuf();
  fs::remove(file);
  fs::remove(err);
  return rc == 0 ? ss.str() : "exit " + std::to_string(rc) + ": " + ss.str();
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = 0; (pos = haystack.find(needle, pos)) != std::string::npos;
       pos += needle.size())
    ++n;
  return n;
}

// Two turns; offsets are code points ("é" is one).
//   0         1         2         3         4         5         6         7
//   0123456789012345678901234567890123456789012345678901234567890123456789012345
const char* kText =
    "Lena: I felt <small> & \"silly\" at first.\n"
    "Tomas: We talked about it, café and all.\n";

Project fixture() {
  Project p;
  p.guid = "p";
  p.name = "Pilot & <study>";
  p.coders = {{"c-ana", "Ana"}, {"c-ben", "Ben"}};
  Source s;
  s.guid = "s1";
  s.name = "d1_client_lena";
  s.text = kText;
  s.utterances = {{"Lena", Role::Client, 6, 40, 83000},
                  {"Tomas", Role::Therapist, 48, 81, 3723000}};
  p.sources = {s};
  p.codes = {
      {"k-theme", "Shame", "#B15928", "Definition: Feeling lesser.", "", false},
      {"k-inf", "Feelings of inferiority", "#A6761D",
       "Definition: Feeling small.\nSecond line.\n\nUse when: the client compares.\n"
       "Do not use when: it is about skill (use Proficiency paradox).\nExample: \"I felt tiny.\"",
       "k-theme", true},
      {"k-repair", "Repair", "#CC79A7", "No headings here.", "", true},
  };
  auto coding = [](std::string guid, int64_t start, int64_t end, std::string code,
                   std::string coder) {
    Coding c;
    c.guid = guid;
    c.source = "s1";
    c.start = start;
    c.end = end;
    c.code = code;
    c.coder = coder;
    return c;
  };
  p.codings = {
      coding("g1", 6, 40, "k-inf", "c-ana"),      // both coders, same span: one passage, agreed
      coding("g2", 6, 40, "k-inf", "c-ben"),      //
      coding("g3", 48, 81, "k-repair", "c-ana"),  // Ben's overlaps 33/36 of the union: agreed
      coding("g4", 45, 81, "k-repair", "c-ben"),  //
      coding("g5", 6, 11, "k-repair", "c-ben"),   // alone: not agreed
  };
  return p;
}

}  // namespace

TEST(Report, CollectsPassagesInTreeOrderWithSpeakersAndAgreement) {
  const auto codes = collect_passages(fixture(), {});
  ASSERT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes[0].code, "k-theme");
  EXPECT_EQ(codes[0].depth, 0);
  EXPECT_EQ(codes[1].code, "k-inf");
  EXPECT_EQ(codes[1].depth, 1);
  EXPECT_EQ(codes[2].code, "k-repair");

  ASSERT_EQ(codes[1].passages.size(), 1u);
  const Passage& inf = codes[1].passages[0];
  EXPECT_EQ(inf.text, "I felt <small> & \"silly\" at first.");
  EXPECT_EQ(inf.coders, (std::vector<std::string>{"Ana", "Ben"}));
  EXPECT_EQ(inf.speakers, (std::vector<std::string>{"Lena"}));
  EXPECT_EQ(inf.roles, (std::vector<std::string>{"client"}));
  EXPECT_EQ(inf.timestamp_ms, 83000);
  EXPECT_TRUE(inf.agreed);

  ASSERT_EQ(codes[2].passages.size(), 3u);  // by start: 6-11, 45-81, 48-81
  EXPECT_EQ(codes[2].passages[0].text, "I fel");
  EXPECT_FALSE(codes[2].passages[0].agreed);
  EXPECT_TRUE(codes[2].passages[1].agreed);
  EXPECT_TRUE(codes[2].passages[2].agreed);
  EXPECT_EQ(codes[2].passages[2].text, "We talked about it, café and all.");
  // 45-81 starts in the gap before Tomas's words: his turn is the one it overlaps.
  EXPECT_EQ(codes[2].passages[1].speakers, (std::vector<std::string>{"Tomas"}));
  // Exemplars: agreed ones first, in text order, then the rest.
  EXPECT_EQ(codes[2].exemplars, (std::vector<size_t>{1, 2, 0}));
}

TEST(Report, FiltersByCoderAndCodeSubtree) {
  ReportOptions o;
  o.coder = "c-ben";
  o.codes = {"k-theme"};
  const auto codes = collect_passages(fixture(), o);
  ASSERT_EQ(codes.size(), 2u);  // the folder and the code below it
  EXPECT_EQ(codes[1].code, "k-inf");
  ASSERT_EQ(codes[1].passages.size(), 1u);
  EXPECT_EQ(codes[1].passages[0].coders, std::vector<std::string>{"Ben"});
  EXPECT_TRUE(codes[1].passages[0].agreed);  // Ana agrees even though she is not reported

  o.codes = {"nope"};
  EXPECT_THROW(collect_passages(fixture(), o), BadInput);
  o.codes = {};
  o.coder = "nobody";
  EXPECT_THROW(collect_passages(fixture(), o), BadInput);
}

TEST(Report, HtmlHasPassagesUnderTheirCodeHeadingsEscaped) {
  ReportOptions o;
  o.project_location = "/home/r/my study";
  const std::string html = render_report_html(fixture(), o);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Self-contained: no scripts, no external resources.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);

  // Headings in tree order, the passage under its code's heading and before the next one.
  const size_t shame =
      html.find("<h2><span class=\"swatch\" style=\"background: #B15928\"></span>Shame");
  const size_t inf = html.find(
      "<h3><span class=\"swatch\" style=\"background: #A6761D\"></span>"
      "Feelings of inferiority");
  const size_t repair = html.find("Repair <span class=\"count\">(3 passages)</span></h2>");
  ASSERT_NE(shame, std::string::npos);
  ASSERT_NE(inf, std::string::npos);
  ASSERT_NE(repair, std::string::npos);
  EXPECT_LT(shame, inf);
  EXPECT_LT(inf, repair);
  const std::string quote = "I felt &lt;small&gt; &amp; &quot;silly&quot; at first.";
  const size_t passage = html.find(quote, inf);
  ASSERT_NE(passage, std::string::npos);
  EXPECT_LT(passage, repair);
  EXPECT_EQ(html.find("<small>"), std::string::npos);
  EXPECT_EQ(html.find("\"silly\""), std::string::npos);
  EXPECT_NE(html.find("Pilot &amp; &lt;study&gt;"), std::string::npos);

  // Definitions from the description.
  EXPECT_NE(html.find("<dt>Definition</dt><dd>Feeling small.\nSecond line.</dd>"),
            std::string::npos);
  EXPECT_NE(html.find("<dt>Example</dt><dd>&quot;I felt tiny.&quot;</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>Definition</dt><dd>No headings here.</dd>"), std::string::npos);

  // Speaker, role, source, timestamp, coders and the link back.
  EXPECT_NE(html.find("<span>Lena (client)</span><span>d1_client_lena</span><span>[01:23]</span>"
                      "<span>coded by Ana, Ben</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span>[1:02:03]</span>"), std::string::npos);
  EXPECT_NE(html.find("href=\"marginalia://open?project=/home/r/my%20study&amp;source=s1&amp;"
                      "start=6&amp;end=40\">characters 6\xE2\x80\x93"
                      "40</a>"),
            std::string::npos);
  // Exemplars: Repair shows all three, the unagreed one last.
  EXPECT_EQ(count(html, "<div class=\"exemplar\">"), 4u);
  EXPECT_NE(html.find("; not agreed"), std::string::npos);

  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed: HTML not parsed";
  EXPECT_EQ(html_errors(html), "");
}

TEST(Report, IsDeterministic) {
  EXPECT_EQ(render_report_html(fixture()), render_report_html(fixture()));
}

TEST(Report, LinksAndTimestamps) {
  EXPECT_EQ(passage_link("a&b/c d", "g", 1, 2),
            "marginalia://open?project=a%26b/c%20d&source=g&start=1&end=2");
  EXPECT_EQ(format_timestamp(0), "00:00");
  EXPECT_EQ(format_timestamp(83999), "01:23");
  EXPECT_EQ(format_timestamp(3723000), "1:02:03");
}

TEST(CodebookTable, OneRowPerCodeWithDescriptionPartsAndFrequency) {
  const Table t = codebook_table(fixture());
  ASSERT_EQ(t.columns.size(), 6u);
  EXPECT_EQ(t.columns[5], "Frequency");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][0].text, "Shame");
  EXPECT_EQ(t.rows[0][5].text, "2");  // the folder: the codings below it
  EXPECT_EQ(t.rows[1][0].text, "Shame/Feelings of inferiority");
  EXPECT_EQ(t.rows[1][1].text, "Feeling small.\nSecond line.");
  EXPECT_EQ(t.rows[1][2].text, "the client compares.");
  EXPECT_EQ(t.rows[1][3].text, "it is about skill (use Proficiency paradox).");
  EXPECT_EQ(t.rows[1][4].text, "\"I felt tiny.\"");
  EXPECT_EQ(t.rows[1][5].text, "2");
  EXPECT_TRUE(t.rows[1][5].numeric);
  EXPECT_EQ(t.rows[2][5].text, "3");

  CodebookTableOptions ben;
  ben.coder = "c-ben";
  EXPECT_EQ(codebook_table(fixture(), ben).rows[2][5].text, "2");
}

TEST(CodebookTable, RendersAsMarkdownLatexAndHtml) {
  Project p = fixture();
  p.codes[2].description = "Definition: 50% of R&D_costs ~ $#{x}^\\";
  const Table t = codebook_table(p);

  const std::string md = to_markdown(t);
  EXPECT_NE(md.find("| Code"), std::string::npos);
  EXPECT_NE(md.find("Shame/Feelings of inferiority"), std::string::npos);
  EXPECT_NE(md.find("Do not use when"), std::string::npos);

  const std::string tex = to_latex(t);
  EXPECT_NE(tex.find("\\toprule"), std::string::npos);
  EXPECT_NE(tex.find("\\label{tab:codebook}"), std::string::npos);
  EXPECT_NE(tex.find("50\\%"), std::string::npos);
  EXPECT_NE(tex.find("R\\&D\\_costs"), std::string::npos);
  EXPECT_EQ(tex.find("R&D"), std::string::npos);

  const std::string html = to_html(t);
  EXPECT_NE(html.find("<table"), std::string::npos);
  EXPECT_NE(html.find("R&amp;D"), std::string::npos);
  EXPECT_NE(html.find("&quot;I felt tiny.&quot;"), std::string::npos);
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed";
  EXPECT_EQ(html_errors("<!DOCTYPE html>\n<html><head><title>t</title></head><body>" + html +
                        "</body></html>\n"),
            "");
}
