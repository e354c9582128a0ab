// The table renderers: every format escapes what it must and aligns what it should.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "marginalia/error.h"
#include "marginalia/tables.h"

namespace marginalia {
namespace {

Table small_table() {
  Table t;
  t.title = "Codes & counts";
  t.label = "tab:codes";
  t.columns = {"code", "codings", "% cases"};
  t.rows = {{TableCell::of("Shame"), TableCell::number(int64_t{12}), TableCell::percent(1, 3)},
            {TableCell::of("Élan vital"), TableCell::number(int64_t{3}), TableCell::percent(2, 3)}};
  t.notes = {"codings: coded spans."};
  return t;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(TableCell, NumbersUseAPointAndNoNegativeZero) {
  EXPECT_EQ(TableCell::number(int64_t{-4}).text, "-4");
  EXPECT_EQ(TableCell::number(1.0 / 3.0, 2).text, "0.33");
  EXPECT_EQ(TableCell::number(2.0 / 3.0, 1).text, "0.7");
  EXPECT_EQ(TableCell::number(-0.0001, 1).text, "0.0");
  EXPECT_EQ(TableCell::percent(1, 3).text, "33.3");
  EXPECT_EQ(TableCell::percent(1, 0).text, "");  // no denominator: missing, not 0
  EXPECT_TRUE(TableCell::percent(1, 0).numeric);
}

TEST(TableLatex, EscapesEverySpecialCharacter) {
  // Each of & % $ # _ { } ~ ^ \ alone, then all together.
  const std::pair<const char*, const char*> cases[] = {
      {"&", "\\&"},
      {"%", "\\%"},
      {"$", "\\$"},
      {"#", "\\#"},
      {"_", "\\_"},
      {"{", "\\{"},
      {"}", "\\}"},
      {"~", "\\textasciitilde{}"},
      {"^", "\\textasciicircum{}"},
      {"\\", "\\textbackslash{}"},
      {"a&b%c$d#e_f{g}h~i^j\\k",
       "a\\&b\\%c\\$d\\#e\\_f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}k"},
      {"Émotion – café", "Émotion – café"},  // UTF-8 passes through
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(escape_latex(in), out) << in;

  Table t;
  t.title = "50% of R&D_codes";
  t.label = "tab:r&d";
  t.columns = {"code #", "n"};
  t.rows = {{TableCell::of("{x}~^\\"), TableCell::number(int64_t{5})}};
  t.notes = {"cost in $"};
  const std::string tex = to_latex(t);
  EXPECT_NE(tex.find("\\caption{50\\% of R\\&D\\_codes}"), std::string::npos) << tex;
  EXPECT_NE(tex.find("\\label{tab:r-d}"), std::string::npos) << tex;
  EXPECT_NE(tex.find("code \\# & n \\\\"), std::string::npos) << tex;
  EXPECT_NE(tex.find("\\{x\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{} & 5 \\\\"),
            std::string::npos)
      << tex;
  EXPECT_NE(tex.find("cost in \\$"), std::string::npos) << tex;
}

TEST(TableLatex, IsABooktabsTableFloat) {
  const std::string tex = to_latex(small_table());
  const std::vector<std::string> l = lines_of(tex);
  ASSERT_GE(l.size(), 12u);
  EXPECT_EQ(l[0], "\\begin{table}[htbp]");
  EXPECT_EQ(l[1], "\\centering");
  EXPECT_EQ(l[2], "\\caption{Codes \\& counts}");
  EXPECT_EQ(l[3], "\\label{tab:codes}");
  EXPECT_EQ(l[4], "\\begin{tabular}{lrr}");  // text left, numbers right
  EXPECT_EQ(l[5], "\\toprule");
  EXPECT_EQ(l[6], "code & codings & \\% cases \\\\");
  EXPECT_EQ(l[7], "\\midrule");
  EXPECT_EQ(l[8], "Shame & 12 & 33.3 \\\\");
  EXPECT_EQ(l[9], "Élan vital & 3 & 66.7 \\\\");
  EXPECT_EQ(l[10], "\\bottomrule");
  EXPECT_EQ(l[11], "\\end{tabular}");
  EXPECT_EQ(l.back(), "\\end{table}");
}

TEST(TableCsv, QuotesPerRfc4180WithCrlf) {
  Table t;
  t.title = "not in the CSV";
  t.columns = {"code", "note", "n"};
  t.rows = {{TableCell::of("a,b"), TableCell::of("she said \"no\""), TableCell::number(int64_t{1})},
            {TableCell::of("line\nbreak"), TableCell::of("plain"), TableCell::number(int64_t{2})},
            {TableCell::of("Élodie"), TableCell::of("cr\rhere")}};  // short row: padded
  t.notes = {"not in the CSV either"};
  EXPECT_EQ(to_csv(t),
            "code,note,n\r\n"
            "\"a,b\",\"she said \"\"no\"\"\",1\r\n"
            "\"line\nbreak\",plain,2\r\n"
            "Élodie,\"cr\rhere\",\r\n");
}

TEST(TableMarkdown, EscapesPipesAndAlignsNumbers) {
  Table t;
  t.title = "A | B";
  t.columns = {"code|name", "n"};
  t.rows = {{TableCell::of("x | y"), TableCell::number(int64_t{7})},
            {TableCell::of("a\\b *c* _d_\nnext"), TableCell::number(int64_t{10})}};
  t.notes = {"pipes | escaped"};
  EXPECT_EQ(to_markdown(t),
            "Table: A \\| B\n\n"
            "| code\\|name | n |\n"
            "| :-- | --: |\n"
            "| x \\| y | 7 |\n"
            "| a\\\\b \\*c\\* \\_d\\_<br>next | 10 |\n"
            "\npipes \\| escaped\n");
}

TEST(TableText, AlignsByCodePointsWithAccentedNames) {
  Table t;
  t.title = "Frequencies";
  t.columns = {"code", "n"};
  t.rows = {{TableCell::of("Élodie’s fear"), TableCell::number(int64_t{5})},
            {TableCell::of("Shame"), TableCell::number(int64_t{120})}};
  t.notes = {"n: codings."};
  // "Élodie’s fear" is 13 code points (17 bytes): the column is 13 wide, "n" 3 wide, right-aligned.
  EXPECT_EQ(to_text(t),
            "Frequencies\n\n"
            "code             n\n"
            "------------------\n"
            "Élodie’s fear    5\n"
            "Shame          120\n"
            "\nn: codings.\n");
}

TEST(TableHtml, EscapesAndMarksNumbers) {
  Table t;
  t.title = "<Codes> & \"quotes\"";
  t.label = "tab:x y";
  t.columns = {"code", "n"};
  t.rows = {{TableCell::of("a<b>&'c'"), TableCell::number(int64_t{3})}};
  t.notes = {"1 < 2"};
  EXPECT_EQ(to_html(t),
            "<table id=\"tab:x-y\">\n"
            "<caption>&lt;Codes&gt; &amp; &quot;quotes&quot;</caption>\n"
            "<thead><tr><th>code</th><th class=\"num\">n</th></tr></thead>\n"
            "<tbody>\n"
            "<tr><td>a&lt;b&gt;&amp;&#39;c&#39;</td><td class=\"num\">3</td></tr>\n"
            "</tbody>\n"
            "<tfoot>\n<tr><td colspan=\"2\">1 &lt; 2</td></tr>\n</tfoot>\n"
            "</table>\n");
}

TEST(TableJson, NumbersAreNumbersAndMissingIsNull) {
  Table t = small_table();
  t.rows.push_back(
      {TableCell::of("Empty"), TableCell::number(int64_t{0}), TableCell::percent(0, 0)});
  const auto j = nlohmann::json::parse(to_json(t));
  EXPECT_EQ(j["title"], "Codes & counts");
  EXPECT_EQ(j["label"], "tab:codes");
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["rows"][0]["code"], "Shame");
  EXPECT_EQ(j["rows"][0]["codings"], 12);
  EXPECT_TRUE(j["rows"][0]["codings"].is_number_integer());
  EXPECT_DOUBLE_EQ(j["rows"][1]["% cases"].get<double>(), 66.7);
  EXPECT_EQ(j["rows"][1]["code"], "Élan vital");
  EXPECT_TRUE(j["rows"][2]["% cases"].is_null());
  EXPECT_EQ(j["notes"][0], "codings: coded spans.");
}

TEST(TableRender, ChoosesByNameAndRefusesUnknown) {
  const Table t = small_table();
  EXPECT_EQ(render_table(t, "csv"), to_csv(t));
  EXPECT_EQ(render_table(t, "md"), to_markdown(t));
  EXPECT_EQ(render_table(t, "latex"), to_latex(t));
  EXPECT_EQ(render_table(t, "html"), to_html(t));
  EXPECT_EQ(render_table(t, "json"), to_json(t));
  EXPECT_EQ(render_table(t, "text"), to_text(t));
  EXPECT_THROW(render_table(t, "xlsx"), BadInput);
}

TEST(TableColumns, NumericOnlyWhenEveryFilledCellIsANumber) {
  Table t;
  t.columns = {"a", "b", "c"};
  t.rows = {{TableCell::number(int64_t{1}), TableCell::of("x"), TableCell::of("")},
            {TableCell::percent(1, 0), TableCell::number(int64_t{2}), TableCell::of("")}};
  EXPECT_TRUE(t.numeric_column(0));
  EXPECT_FALSE(t.numeric_column(1));
  EXPECT_FALSE(t.numeric_column(2));  // nothing in it
}

}  // namespace
}  // namespace marginalia
