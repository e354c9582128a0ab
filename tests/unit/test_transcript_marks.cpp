// Highlight runs and stripes of the transcript view, computed without a window.
#include <gtest/gtest.h>

#include "marginalia/transcript_marks.h"

namespace marginalia {
namespace {

struct Fixture {
  Project project;
  Source source;
  Fixture() {
    source.guid = "s1";
    source.text = "caf\u00e9 one two three four five";  // é is two bytes: offsets shift after it
    project.sources.push_back(source);
    project.codes = {{"a", "Anxiety", "#E69F00", "", "", true},
                     {"b", "Bond", "#56B4E9", "", "", true}};
    project.coders = {{"ana", "ana"}, {"ben", "ben"}};
  }
  void code(const std::string& guid, int64_t start, int64_t end, const std::string& code,
            const std::string& coder, const std::string& on = "s1") {
    project.codings.push_back({guid, on, start, end, code, coder, "", ""});
  }
};

TEST(TranscriptMarks, OverlapsSplitIntoRunsInBytesWithCodesInCodebookOrder) {
  Fixture f;
  f.code("c1", 5, 12, "b", "ana");  // "one two"
  f.code("c2", 9, 18, "a", "ana");  // "two three"
  f.code("c3", 0, 4, "a", "ben");   // "café"
  f.code("c4", 0, 4, "a", "ana", "other source");
  const TranscriptMarks marks = transcript_marks(f.project, f.source, OffsetMap(f.source.text));
  const std::vector<HighlightRun> expected = {
      {0, 5, {"a"}},         // "café": 4 code points, 5 bytes
      {6, 10, {"b"}},        // "one "
      {10, 13, {"a", "b"}},  // "two": Anxiety before Bond, as in the codebook
      {13, 19, {"a"}},       // " three"
  };
  EXPECT_EQ(marks.runs, expected);
  EXPECT_EQ(marks.columns, (std::vector<StripeColumn>{{"a", ""}, {"b", ""}}));
  EXPECT_EQ(marks.stripes,
            (std::vector<CodingStripe>{{0, 5, "c3", 0}, {6, 13, "c1", 1}, {10, 19, "c2", 0}}));
}

TEST(TranscriptMarks, AdjacentAndStackedCodingsOfOneCodeMakeOneRun) {
  Fixture f;
  f.code("c1", 5, 8, "a", "ana");
  f.code("c2", 8, 12, "a", "ana");
  f.code("c3", 5, 12, "a", "ben");
  const TranscriptMarks marks = transcript_marks(f.project, f.source, OffsetMap(f.source.text));
  EXPECT_EQ(marks.runs, (std::vector<HighlightRun>{{6, 13, {"a"}}}));
  EXPECT_EQ(marks.stripes.size(), 3u);
}

TEST(TranscriptMarks, BlindModeShowsOnlyTheChosenCoderAndCompareModeGivesEachCoderAColumn) {
  Fixture f;
  f.code("c1", 5, 8, "a", "ana");
  f.code("c2", 9, 12, "a", "ben");
  f.code("c3", 13, 18, "b", "ben");
  const OffsetMap offsets(f.source.text);

  const TranscriptMarks blind = transcript_marks(f.project, f.source, offsets, {{"ana"}, false});
  EXPECT_EQ(blind.runs, (std::vector<HighlightRun>{{6, 9, {"a"}}}));
  EXPECT_EQ(blind.stripes, (std::vector<CodingStripe>{{6, 9, "c1", 0}}));

  const TranscriptMarks compare = transcript_marks(f.project, f.source, offsets, {{}, true});
  EXPECT_EQ(compare.columns, (std::vector<StripeColumn>{{"a", "ana"}, {"a", "ben"}, {"b", "ben"}}));
  EXPECT_EQ(compare.stripes,
            (std::vector<CodingStripe>{{6, 9, "c1", 0}, {10, 13, "c2", 1}, {14, 19, "c3", 2}}));
}

TEST(TranscriptMarks, CodingsOfUnknownCodesOrOutsideTheTextAreSkipped) {
  Fixture f;
  f.code("c1", 5, 8, "gone", "ana");
  f.code("c2", 20, 400, "a", "ana");
  const TranscriptMarks marks = transcript_marks(f.project, f.source, OffsetMap(f.source.text));
  EXPECT_TRUE(marks.runs.empty());
  EXPECT_TRUE(marks.stripes.empty());
}

TEST(TranscriptMarks, CodingsAtAPointHonourTheCoderFilter) {
  Fixture f;
  f.code("c1", 5, 12, "b", "ana");
  f.code("c2", 9, 18, "a", "ben");
  EXPECT_EQ(codings_at(f.project, f.source, 10).size(), 2u);
  EXPECT_EQ(codings_at(f.project, f.source, 12).size(), 1u);  // end is exclusive
  const auto blind = codings_at(f.project, f.source, 10, {{"ben"}, false});
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(blind[0]->guid, "c2");
}

}  // namespace
}  // namespace marginalia
