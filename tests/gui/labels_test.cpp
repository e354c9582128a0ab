// The counts beside sources and codes, checked without a window.
#include "labels.h"

#include <gtest/gtest.h>

namespace marginalia::gui {
namespace {

Code code(const std::string& guid, const std::string& name, const std::string& parent = "",
          bool codable = true) {
  Code c;
  c.guid = guid;
  c.name = name;
  c.parent = parent;
  c.codable = codable;
  return c;
}

Coding coding(const std::string& code, const std::string& source) {
  Coding c;
  c.code = code;
  c.source = source;
  return c;
}

Project sample() {
  Project p;
  p.codes = {code("f", "Formation", "", false), code("a", "Early anxiety", "f"),
             code("b", "Fears", "f"),           code("g", "Deep folder", "f", false),
             code("c", "Deep code", "g"),       code("h", "Humour")};
  p.codings = {coding("a", "s1"), coding("a", "s1"), coding("b", "s2"),
               coding("c", "s2"), coding("h", "s1"), coding("missing", "s3")};
  return p;
}

TEST(CodebookCounts, CountsEachCodeAndRollsUpItsSubtree) {
  const CodebookCounts counts = count_codings(sample());
  EXPECT_EQ(CodebookCounts::get(counts.by_code, "a"), 2);
  EXPECT_EQ(CodebookCounts::get(counts.by_code, "f"), 0);
  EXPECT_EQ(CodebookCounts::get(counts.by_subtree, "f"), 4);
  EXPECT_EQ(CodebookCounts::get(counts.by_subtree, "g"), 1);
  EXPECT_EQ(CodebookCounts::get(counts.by_subtree, "h"), 1);
  EXPECT_EQ(CodebookCounts::get(counts.by_code, "missing"), 0);
}

TEST(CodebookCounts, CountsCodingsPerSourceIncludingUnknownCodes) {
  const CodebookCounts counts = count_codings(sample());
  EXPECT_EQ(CodebookCounts::get(counts.by_source, "s1"), 3);
  EXPECT_EQ(CodebookCounts::get(counts.by_source, "s2"), 2);
  EXPECT_EQ(CodebookCounts::get(counts.by_source, "s3"), 1);
  EXPECT_EQ(CodebookCounts::get(counts.by_source, "nowhere"), 0);
}

TEST(CodebookCounts, LabelsShowOwnCountForCodesAndRollUpForFolders) {
  const Project p = sample();
  const CodebookCounts counts = count_codings(p);
  EXPECT_EQ(code_label(p.codes[0], counts), "Formation (4)");
  EXPECT_EQ(code_label(p.codes[1], counts), "Early anxiety (2)");
  EXPECT_EQ(code_label(p.codes[3], counts), "Deep folder (1)");
  EXPECT_EQ(code_label(p.codes[5], counts), "Humour (1)");
}

TEST(CodebookCounts, SurvivesAParentCycle) {
  Project p;
  p.codes = {code("x", "X", "y"), code("y", "Y", "x")};
  p.codings = {coding("x", "s")};
  const CodebookCounts counts = count_codings(p);
  EXPECT_EQ(CodebookCounts::get(counts.by_code, "x"), 1);
  EXPECT_GE(CodebookCounts::get(counts.by_subtree, "y"), 1);
}

TEST(CodebookCounts, StatusSummaryUsesSingularForOne) {
  Project p = sample();
  p.sources.resize(1);
  p.coders.resize(2);
  EXPECT_EQ(status_summary(p), "1 source \u00b7 6 codes \u00b7 6 codings \u00b7 2 coders");
  EXPECT_EQ(status_summary(Project{}), "0 sources \u00b7 0 codes \u00b7 0 codings \u00b7 0 coders");
}

}  // namespace
}  // namespace marginalia::gui
