// Retrieving coded passages of a code and of combinations, on a small hand-made project whose
// offsets are counted below the text.
#include <gtest/gtest.h>

#include <string>

#include "marginalia/error.h"
#include "marginalia/retrieval.h"

using namespace marginalia;

namespace {

//   0         1         2         3         4         5         6         7         8
//   012345678901234567890123456789012345678901234567890123456789012345678901234567890123
const char* kText =
    "I: How was it?\n"                         // turn 0 [3, 14)
    "Zoë: I was scared. I hid it from her.\n"  // turn 1 [20, 52)
    "T: She hid a lot & said \"fine\".\n";     // turn 2 [56, 84)

Coding coding(std::string guid, int64_t start, int64_t end, std::string code, std::string coder) {
  Coding c;
  c.guid = std::move(guid);
  c.source = "s1";
  c.start = start;
  c.end = end;
  c.code = std::move(code);
  c.coder = std::move(coder);
  return c;
}

Project fixture() {
  Project p;
  p.name = "Pilot";
  p.coders = {{"c-ana", "ana"}, {"c-ben", "ben"}};
  Source s;
  s.guid = "s1";
  s.name = "d1_client_zoe";
  s.text = kText;
  s.utterances = {{"I", Role::Interviewer, 3, 14, std::nullopt},
                  {"Zoë", Role::Client, 20, 52, 62000},
                  {"T", Role::Therapist, 56, 84, 75000}};
  Source other = s;
  other.guid = "s2";
  other.name = "d2_empty";
  p.sources = {s, other};
  p.codes = {{"k-fear", "Fear", "", "", "", true},
             {"k-hide", "Hiding", "", "", "", true},
             {"k-withdraw", "Withdrawal", "", "", "k-hide", true}};
  p.codings = {
      coding("1", 20, 33, "k-fear", "c-ana"),      // "I was scared."
      coding("2", 27, 38, "k-fear", "c-ben"),      // "cared. I hi": joins coding 1
      coding("3", 34, 52, "k-hide", "c-ana"),      // "I hid it from her."
      coding("4", 56, 72, "k-fear", "c-ana"),      // "She hid a lot & " in the therapist's turn
      coding("5", 60, 67, "k-withdraw", "c-ben"),  // "hid a l"
  };
  return p;
}

std::vector<std::pair<int64_t, int64_t>> spans(const std::vector<RetrievedPassage>& passages) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& p : passages) out.emplace_back(p.start, p.end);
  return out;
}

using Spans = std::vector<std::pair<int64_t, int64_t>>;

TEST(Retrieval, ACodesPassagesJoinCodingsThatShareACharacter) {
  const Project p = fixture();
  const auto passages = retrieve(p, {.code = "k-fear"});
  EXPECT_EQ(spans(passages), (Spans{{20, 38}, {56, 72}}));
  const RetrievedPassage& first = passages[0];
  EXPECT_EQ(first.text, "I was scared. I hi");
  EXPECT_EQ(first.source_name, "d1_client_zoe");
  EXPECT_EQ(first.speakers, std::vector<std::string>{"Zoë"});
  EXPECT_EQ(first.roles, std::vector<Role>{Role::Client});
  EXPECT_EQ(first.timestamp_ms, 62000);
  EXPECT_EQ(first.coders, (std::vector<std::string>{"ana", "ben"}));
  EXPECT_EQ(first.context, "I was scared. I hid it from her.");
  EXPECT_EQ(first.context_start, 20);
  EXPECT_EQ(first.context_end, 52);
  EXPECT_EQ(passages[1].coders, std::vector<std::string>{"ana"});
}

TEST(Retrieval, AndKeepsOnlyTheTextCodedWithBoth) {
  const Project p = fixture();
  const auto passages =
      retrieve(p, {.code = "k-fear", .other = "k-hide", .combination = Combination::Overlapping});
  EXPECT_EQ(spans(passages), (Spans{{34, 38}}));
  EXPECT_EQ(passages[0].text, "I hi");
  // Withdrawal sits below Hiding: with subcodes its coding in the therapist's turn counts too.
  const auto with_subcodes = retrieve(p, {.code = "k-fear",
                                          .other = "k-hide",
                                          .combination = Combination::Overlapping,
                                          .subcodes = true});
  EXPECT_EQ(spans(with_subcodes), (Spans{{34, 38}, {60, 67}}));
}

TEST(Retrieval, NotKeepsWholePassagesThatTheOtherCodeDoesNotTouch) {
  const Project p = fixture();
  const RetrievalSpec spec{
      .code = "k-fear", .other = "k-withdraw", .combination = Combination::NotOverlapping};
  EXPECT_EQ(spans(retrieve(p, spec)), (Spans{{20, 38}}));
  const RetrievalSpec hide{
      .code = "k-fear", .other = "k-hide", .combination = Combination::NotOverlapping};
  EXPECT_EQ(spans(retrieve(p, hide)), (Spans{{56, 72}}));
}

TEST(Retrieval, RoleCutsPassagesAtTheTurnsOfThatRole) {
  const Project p = fixture();
  EXPECT_EQ(spans(retrieve(p, {.code = "k-fear", .role = Role::Client})), (Spans{{20, 38}}));
  EXPECT_EQ(spans(retrieve(p, {.code = "k-fear", .role = Role::Therapist})), (Spans{{56, 72}}));
  EXPECT_TRUE(retrieve(p, {.code = "k-fear", .role = Role::Interviewer}).empty());
}

TEST(Retrieval, ACoderSeesOnlyTheirCodings) {
  const Project p = fixture();
  const auto passages = retrieve(p, {.code = "k-fear", .coder = "c-ben"});
  EXPECT_EQ(spans(passages), (Spans{{27, 38}}));
  EXPECT_EQ(passages[0].coders, std::vector<std::string>{"ben"});
  // ben never coded Hiding: nothing of his Fear is also Hiding.
  EXPECT_TRUE(retrieve(p, {.code = "k-fear",
                           .other = "k-hide",
                           .combination = Combination::Overlapping,
                           .coder = "c-ben"})
                  .empty());
}

TEST(Retrieval, RefusesWhatItCannotFind) {
  const Project p = fixture();
  EXPECT_THROW(retrieve(p, {.code = "nope"}), BadInput);
  EXPECT_THROW(retrieve(p, {.code = "k-fear", .combination = Combination::Overlapping}), BadInput);
  EXPECT_THROW(
      retrieve(p,
               {.code = "k-fear", .other = "k-fear", .combination = Combination::NotOverlapping}),
      BadInput);
  EXPECT_THROW(retrieve(p, {.code = "k-fear", .coder = "c-zed"}), BadInput);
  EXPECT_THROW(retrieve(p, {.code = "k-fear", .source = "s9"}), BadInput);
  EXPECT_EQ(parse_combination("and"), Combination::Overlapping);
  EXPECT_EQ(parse_combination("AND?"), std::nullopt);
}

TEST(Retrieval, DescribesTablesQuotesAndPagesWhatItFound) {
  const Project p = fixture();
  const RetrievalSpec spec{.code = "k-fear",
                           .other = "k-withdraw",
                           .combination = Combination::NotOverlapping,
                           .role = Role::Client,
                           .coder = "c-ana"};
  EXPECT_EQ(describe_retrieval(p, spec), "Fear NOT Hiding/Withdrawal, in client turns, coder ana");
  const auto passages = retrieve(p, spec);
  ASSERT_EQ(spans(passages), (Spans{{20, 33}}));

  const Table table = retrieval_table(p, spec, passages);
  EXPECT_EQ(to_csv(table),
            "source,speaker,role,time,start,end,passage,coders\r\n"
            "d1_client_zoe,Zoë,client,01:02,20,33,I was scared.,ana\r\n");
  EXPECT_EQ(retrieval_quotes(passages),
            "\u201cI was scared.\u201d (Zoë, client; d1_client_zoe 01:02)");

  const auto therapist = retrieve(p, {.code = "k-fear", .role = Role::Therapist});
  const std::string html = render_retrieval_html(p, {.code = "k-fear"}, therapist, "/data/pilot");
  EXPECT_NE(html.find("<mark>She hid a lot &amp; </mark>said &quot;fine&quot;."), std::string::npos)
      << html;
  EXPECT_NE(
      html.find("marginalia://open?project=/data/pilot&amp;source=s1&amp;start=56&amp;end=72"),
      std::string::npos);
  EXPECT_NE(html.find("1 passage<"), std::string::npos);
}

}  // namespace
