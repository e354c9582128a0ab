// SVG figures: well-formed, deterministic, escaped, and drawn to the numbers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "marginalia/charts.h"
#include "marginalia/error.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

bool have_xmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

// xmllint's complaints about `svg` as XML; empty when well-formed.
std::string xml_errors(const std::string& svg) {
  const fs::path dir = fs::temp_directory_path();
  const fs::path file = dir / ("marginalia-chart-" + std::to_string(::getpid()) + ".svg");
  const fs::path err = dir / ("marginalia-chart-" + std::to_string(::getpid()) + ".err");
  std::ofstream(file, std::ios::binary) << svg;
  const int rc =
      std::system(("xmllint --noout '" + file.string() + "' 2>'" + err.string() + "'").c_str());
  std::stringstream ss;
  ss << std::ifstream(err).rdbuf();
  fs::remove(file);
  fs::remove(err);
  return rc == 0 ? ss.str() : "exit " + std::to_string(rc) + ": " + ss.str();
}

BarChartData sample_bars() {
  BarChartData d;
  d.title = "Code frequencies by role";
  d.value_label = "Codings";
  d.group_label = "Role";
  d.groups = {"client", "therapist"};
  d.categories = {{"Early anxiety", "#FF7F00", "Alliance formation"},
                  {"Warmth", "#56B4E9", "Bond"},
                  {"Trust", "#7570B3", "Bond"}};
  d.values = {{8, 2}, {4, 6}, {0, 1}};
  return d;
}

// Widths of the solid bars drawn in `colour`, top to bottom.
std::vector<double> bar_widths(const std::string& svg, const std::string& colour) {
  std::vector<double> widths;
  const std::regex rect("<rect [^>]*width=\"([0-9.]+)\"[^>]*fill=\"" + colour + "\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator();
       ++it)
    widths.push_back(std::stod((*it)[1]));
  return widths;
}

}  // namespace

TEST(BarChart, IsWellFormedSvgSizedForAColumn) {
  const std::string svg = render_bar_chart_svg(sample_bars());
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"238pt\""), std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 238 "), std::string::npos);
  EXPECT_NE(svg.find("font-size=\"9\""), std::string::npos);
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed: well-formedness not checked";
  EXPECT_EQ(xml_errors(svg), "");
}

TEST(BarChart, BarLengthsAreProportionalToTheValues) {
  const std::string svg = render_bar_chart_svg(sample_bars());
  // Early anxiety: client 8, therapist 2 (the therapist bar is drawn twice: colour, then pattern).
  const auto anxiety = bar_widths(svg, "#FF7F00");
  ASSERT_EQ(anxiety.size(), 2u);
  EXPECT_NEAR(anxiety[0] / anxiety[1], 4.0, 0.02);
  const auto warmth = bar_widths(svg, "#56B4E9");
  ASSERT_EQ(warmth.size(), 2u);
  EXPECT_NEAR(warmth[0] / anxiety[0], 0.5, 0.01);
  EXPECT_NEAR(warmth[1] / anxiety[0], 0.75, 0.01);
  // Trust: no client bar for 0, a therapist bar for 1.
  const auto trust = bar_widths(svg, "#7570B3");
  ASSERT_EQ(trust.size(), 1u);
  EXPECT_NEAR(trust[0] / anxiety[0], 0.125, 0.01);
}

TEST(BarChart, ShowsLabelsLegendSectionsAndValues) {
  const std::string svg = render_bar_chart_svg(sample_bars());
  for (const char* text : {">Early anxiety<", ">Warmth<", ">Trust<", ">client<", ">therapist<",
                           ">Role:<", ">Codings<", ">Alliance formation<", ">Bond<", ">8<", ">6<"})
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  // One heading per run of a section, not per category.
  size_t bonds = 0;
  for (size_t pos = 0; (pos = svg.find(">Bond<", pos)) != std::string::npos; ++pos) ++bonds;
  EXPECT_EQ(bonds, 1u);
  // Groups after the first get a pattern over the code colour.
  EXPECT_NE(svg.find("<pattern id=\"group1\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"url(#group1)\""), std::string::npos);
}

TEST(BarChart, EscapesText) {
  BarChartData d = sample_bars();
  d.title = "Codes <by> \"role\" & 'group'";
  d.categories[0].label = "Fish & <chips>";
  d.groups[0] = "client's \"own\"";
  const std::string svg = render_bar_chart_svg(d);
  EXPECT_NE(svg.find("Fish &amp; &lt;chips&gt;"), std::string::npos);
  EXPECT_NE(svg.find("client&#39;s &quot;own&quot;"), std::string::npos);
  EXPECT_NE(svg.find("Codes &lt;by&gt; &quot;role&quot; &amp; &#39;group&#39;"), std::string::npos);
  EXPECT_EQ(svg.find("<chips>"), std::string::npos);
  if (have_xmllint()) {
    EXPECT_EQ(xml_errors(svg), "");
  }
}

TEST(BarChart, IsDeterministicAndRejectsMismatchedValues) {
  EXPECT_EQ(render_bar_chart_svg(sample_bars()), render_bar_chart_svg(sample_bars()));
  BarChartData d = sample_bars();
  d.values[1].pop_back();
  EXPECT_THROW(render_bar_chart_svg(d), BadInput);
  d = sample_bars();
  d.values[0][0] = -1;
  EXPECT_THROW(render_bar_chart_svg(d), BadInput);
  d = sample_bars();
  d.values.pop_back();
  EXPECT_THROW(render_bar_chart_svg(d), BadInput);
}

TEST(BarChart, ManyGroupsCyclePatternsAndLongLabelsWrap) {
  BarChartData d = sample_bars();
  d.groups = {"D1", "D2", "D3", "D4", "D5", "D6", "D7"};
  for (auto& row : d.values) row = {1, 2, 3, 4, 5, 6, 7};
  d.categories[0].label =
      "A very long code name that cannot possibly fit on one line of a column-wide figure";
  const std::string svg = render_bar_chart_svg(d);
  EXPECT_NE(svg.find("url(#group5)"), std::string::npos);
  EXPECT_EQ(svg.find("url(#group6)"), std::string::npos);  // patterns repeat after five
  EXPECT_NE(svg.find("\xE2\x80\xA6"), std::string::npos);  // the label was cut with an ellipsis
  if (have_xmllint()) {
    EXPECT_EQ(xml_errors(svg), "");
  }
}

namespace {

HeatmapData sample_heatmap() {
  HeatmapData h;
  h.title = "Code co-occurrence";
  h.value_label = "Overlapping codings";
  h.labels = {"Withdrawal rupture", "Naming the rupture", "Feelings of inferiority"};
  h.colours = {"#FB9A99", "#E78AC3", "#A6761D"};
  h.values = {{0, 7, 3}, {7, 0, 0}, {3, 0, 0}};
  return h;
}

}  // namespace

TEST(Heatmap, WritesEachCountOnceInTheLowerTriangle) {
  const std::string svg = render_heatmap_svg(sample_heatmap());
  // Cells (row, column): (1,0)=7, (2,0)=3, (2,1)=0; nothing on or above the diagonal.
  EXPECT_NE(svg.find(">7</text>"), std::string::npos);
  EXPECT_NE(svg.find(">3</text>"), std::string::npos);
  // 7 is written once in a cell (white on the darkest fill); the legend's top tick is dark text.
  const std::string in_cell = "fill=\"#ffffff\">7</text>";
  EXPECT_EQ(svg.find(in_cell), svg.rfind(in_cell));
  // The largest value has the darkest colour of the scale and white text on it.
  const std::regex cell7(
      "fill=\"(#[0-9a-f]{6})\" stroke=\"#ffffff\"[^\n]*\n<text[^>]*fill=\"#ffffff\">7<");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, cell7));
  EXPECT_EQ(m[1], "#08519c");
  // Legend from 0 to the maximum.
  EXPECT_NE(svg.find(">Overlapping codings<"), std::string::npos);
  EXPECT_NE(svg.find("<linearGradient id=\"scale\""), std::string::npos);
  EXPECT_EQ(svg.find(">3.5<"), std::string::npos);  // counts: no middle tick between 0 and 7
  // Rows: every label but the first; columns: every label but the last.
  for (const char* label : {"Withdrawal rupture", "Naming the rupture", "Feelings of inferiority"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed";
  EXPECT_EQ(xml_errors(svg), "");
}

TEST(Heatmap, FullMatrixAndJaccardDecimals) {
  HeatmapData h = sample_heatmap();
  h.lower_triangle = false;
  h.decimals = 2;
  h.values = {{1, 0.25, 0.5}, {0.25, 1, 0}, {0.5, 0, 1}};
  const std::string svg = render_heatmap_svg(h);
  size_t quarter = 0;
  for (size_t pos = 0; (pos = svg.find(">.25</text>", pos)) != std::string::npos; ++pos) ++quarter;
  EXPECT_EQ(quarter, 2u);  // both sides of the diagonal
  EXPECT_NE(svg.find(">1.00</text>"), std::string::npos);
  if (have_xmllint()) {
    EXPECT_EQ(xml_errors(svg), "");
  }
}

TEST(Heatmap, EscapesLabelsAndRejectsNonSquare) {
  HeatmapData h = sample_heatmap();
  h.labels[1] = "Q&A <\"it's\">";
  const std::string svg = render_heatmap_svg(h);
  EXPECT_NE(svg.find("Q&amp;A &lt;&quot;it&#39;s&quot;&gt;"), std::string::npos);
  if (have_xmllint()) {
    EXPECT_EQ(xml_errors(svg), "");
  }
  h.values[2].pop_back();
  EXPECT_THROW(render_heatmap_svg(h), BadInput);
}

TEST(Heatmap, ManyCodesGrowWiderThanAColumn) {
  HeatmapData h;
  for (int i = 0; i < 20; ++i) h.labels.push_back("Code " + std::to_string(i));
  h.values.assign(20, std::vector<double>(20, 12));
  const std::string svg = render_heatmap_svg(h);
  const std::regex width("width=\"([0-9.]+)pt\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, width));
  EXPECT_GT(std::stod(m[1]), 238.0);
}
