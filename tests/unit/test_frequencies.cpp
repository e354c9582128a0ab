// Code frequencies, the code x source matrix and co-occurrence on a fixture small enough that every
// figure is worked out by hand below.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marginalia/codebook_counts.h"
#include "marginalia/error.h"
#include "marginalia/frequencies.h"

namespace marginalia {
namespace {

// The fixture. Offsets are code points; the labels ("I: ", "C: ", "T: ") stay in the text.
//
// s1 "I: ab cd\nC: ef gh ij\n"
//     0123456789...        positions: a3 b4 _5 c6 d7 \n8 C9 :10 _11 e12 f13 _14 g15 h16 _17 i18 j19
//     u1 interviewer [3,8) "ab cd"      u2 client [12,20) "ef gh ij"
//     words: I[0,1) ab[3,5) cd[6,8) C[9,10) ef[12,14) gh[15,17) ij[18,20)
// s2 "I: kl\nT: mé no pq\nI: rs\nT: tu\n"   (é is one code point, two bytes)
//     u1 interviewer [3,5) "kl"   u2 therapist [9,17) "mé no pq"
//     u3 interviewer [21,23) "rs" u4 therapist [27,29) "tu"
//     words: I[0,1) kl[3,5) T[6,7) mé[9,11) no[12,14) pq[15,17) I[18,19) rs[21,23) T[24,25)
//            tu[27,29)
// s3 "C: vw xy\n"   u1 client [3,8) "vw xy"    words: C[0,1) vw[3,5) xy[6,8)
//
// Utterances per role: interviewer 3 (s1u1, s2u1, s2u3), therapist 2 (s2u2, s2u4),
// client 2 (s1u2, s3u1).
//
// Codes: Anxiety (A, codable) > Fear (A1), Calm (A2); Bond (B). Coders ana, ben.
// Cases: P1 {s1} outcome good, role client; P2 {s2} poor, therapist; P3 {s3} good, client.
//
// Codings:
//   c1 s1 [3,8)   A1 ana   "ab cd" (interviewer turn)
//   c2 s1 [6,16)  A1 ben   "cd\nC: ef g" (interviewer and client turns; overlaps c1, c3, c4)
//   c3 s1 [12,20) B  ana   "ef gh ij"
//   c4 s1 [15,20) A2 ana   "gh ij" (overlaps c3, same coder)
//   c5 s2 [9,17)  A  ben   "mé no pq"
//   c6 s2 [12,16) B  ben   "no p" (overlaps c5, same coder)
//   c7 s2 [27,29) A1 ana   "tu"
//   c8 s3 [3,5)   B  ana   "vw"
//   c9 s3 [3,8)   A1 ana   "vw xy" (overlaps c8, same coder)
Project fixture() {
  Project p;
  p.name = "fixture";
  p.coders = {{"ana-guid", "ana"}, {"ben-guid", "ben"}};
  p.codes = {{"a", "Anxiety", "", "", "", true},
             {"a1", "Fear", "", "", "a", true},
             {"a2", "Calm", "", "", "a", true},
             {"b", "Bond", "", "", "", true}};
  Source s1{"s1", "s1", "I: ab cd\nC: ef gh ij\n", {}, {}, "", "", "", ""};
  s1.utterances = {{"I", Role::Interviewer, 3, 8, {}}, {"C", Role::Client, 12, 20, {}}};
  Source s2{"s2", "s2", "I: kl\nT: mé no pq\nI: rs\nT: tu\n", {}, {}, "", "", "", ""};
  s2.utterances = {{"I", Role::Interviewer, 3, 5, {}},
                   {"T", Role::Therapist, 9, 17, {}},
                   {"I", Role::Interviewer, 21, 23, {}},
                   {"T", Role::Therapist, 27, 29, {}}};
  Source s3{"s3", "s3", "C: vw xy\n", {}, {}, "", "", "", ""};
  s3.utterances = {{"C", Role::Client, 3, 8, {}}};
  p.sources = {s1, s2, s3};
  auto coding = [](std::string guid, std::string source, int64_t start, int64_t end,
                   std::string code, std::string coder) {
    return Coding{guid, source, start, end, code, coder, "", ""};
  };
  p.codings = {
      coding("c1", "s1", 3, 8, "a1", "ana-guid"),   coding("c2", "s1", 6, 16, "a1", "ben-guid"),
      coding("c3", "s1", 12, 20, "b", "ana-guid"),  coding("c4", "s1", 15, 20, "a2", "ana-guid"),
      coding("c5", "s2", 9, 17, "a", "ben-guid"),   coding("c6", "s2", 12, 16, "b", "ben-guid"),
      coding("c7", "s2", 27, 29, "a1", "ana-guid"), coding("c8", "s3", 3, 5, "b", "ana-guid"),
      coding("c9", "s3", 3, 8, "a1", "ana-guid")};
  p.cases = {{"p1", "P1", {{"outcome", "good"}, {"role", "client"}}, {"s1"}},
             {"p2", "P2", {{"outcome", "poor"}, {"role", "therapist"}}, {"s2"}},
             {"p3", "P3", {{"outcome", "good"}, {"role", "client"}}, {"s3"}}};
  return p;
}

struct Expected {
  int64_t codings, sources, cases, cases_in_group, characters, words;
  std::vector<std::pair<int64_t, int64_t>> roles;  // {carrying, utterances} per role
};

void expect_row(const CodeFrequency& r, const std::string& path, CodeScope scope,
                const std::string& group, const Expected& e) {
  SCOPED_TRACE(path + " " + std::string(scope_name(scope)) + " " + group);
  EXPECT_EQ(r.path, path);
  EXPECT_EQ(r.scope, scope);
  EXPECT_EQ(r.group, group);
  EXPECT_EQ(r.codings, e.codings);
  EXPECT_EQ(r.sources, e.sources);
  EXPECT_EQ(r.cases, e.cases);
  EXPECT_EQ(r.cases_in_group, e.cases_in_group);
  EXPECT_EQ(r.characters, e.characters);
  EXPECT_EQ(r.words, e.words);
  ASSERT_EQ(r.roles.size(), e.roles.size());
  for (size_t i = 0; i < e.roles.size(); ++i) {
    EXPECT_EQ(r.roles[i].carrying, e.roles[i].first) << "role " << i;
    EXPECT_EQ(r.roles[i].utterances, e.roles[i].second) << "role " << i;
  }
}

TEST(Words, RunsOfLettersWithInWordApostrophesAndHyphens) {
  using W = std::vector<std::pair<int64_t, int64_t>>;
  EXPECT_EQ(word_spans("I: ab cd\n"), (W{{0, 1}, {3, 5}, {6, 8}}));
  // Code points, not bytes: "mé" is [0,2).
  EXPECT_EQ(word_spans("mé no"), (W{{0, 2}, {3, 5}}));
  // don't / don’t / self-doubt are one word each; a lone dash or quote is none; "—" separates.
  EXPECT_EQ(word_spans("don't don’t self-doubt - 'x' a—b 42"),
            (W{{0, 5}, {6, 11}, {12, 22}, {26, 27}, {29, 30}, {31, 32}, {33, 35}}));
}

TEST(CodeRows, OwnThenSubtreeInCodebookOrder) {
  const auto rows = code_rows(fixture());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].path, "Anxiety");
  EXPECT_EQ(rows[0].scope, CodeScope::Own);
  EXPECT_EQ(rows[1].path, "Anxiety");
  EXPECT_EQ(rows[1].scope, CodeScope::Subtree);
  EXPECT_EQ(rows[1].members, (std::vector<std::string>{"a", "a2", "a1"}));
  EXPECT_EQ(rows[2].path, "Anxiety/Fear");
  EXPECT_EQ(rows[3].path, "Anxiety/Calm");
  EXPECT_EQ(rows[4].path, "Bond");
  EXPECT_EQ(code_rows(fixture(), {"b"}).size(), 1u);
}

TEST(Frequencies, OverallEveryFigureByHand) {
  const FrequencyReport r = code_frequencies(fixture());
  EXPECT_EQ(r.breakdown, Breakdown::None);
  ASSERT_EQ(r.roles, (std::vector<Role>{Role::Interviewer, Role::Therapist, Role::Client}));
  ASSERT_EQ(r.rows.size(), 5u);
  // Anxiety own: c5 only. s2 [9,17) = 8 characters; words mé no pq = 3. Turns: s2u2 (therapist).
  expect_row(r.rows[0], "Anxiety", CodeScope::Own, "",
             {1, 1, 1, 3, 8, 3, {{0, 3}, {1, 2}, {0, 2}}});
  // Anxiety subtree: c1 c2 c4 c5 c7 c9 = 6 codings in s1 s2 s3 (cases P1 P2 P3).
  //   s1 union [3,8)+[6,16)+[15,20) = [3,20): 17 chars; words ab cd C ef gh ij = 6
  //   s2 [9,17)+[27,29) = 8+2 = 10; words mé no pq tu = 4.  s3 [3,8) = 5; vw xy = 2.
  //   characters 17+10+5 = 32, words 6+4+2 = 12.
  //   interviewer: s1u1 = 1 of 3; therapist: s2u2 (c5), s2u4 (c7) = 2 of 2; client s1u2, s3u1 =
  //   2/2.
  expect_row(r.rows[1], "Anxiety", CodeScope::Subtree, "",
             {6, 3, 3, 3, 32, 12, {{1, 3}, {2, 2}, {2, 2}}});
  // Fear: c1 c2 c7 c9. s1 [3,8) ∪ [6,16) = [3,16): 13 chars (the 2 shared by ana and ben once),
  //   words ab cd C ef gh (gh starts at 15 < 16) = 5; s2 [27,29) 2, tu 1; s3 [3,8) 5, vw xy 2.
  //   characters 13+2+5 = 20, words 5+1+2 = 8. interviewer s1u1 1/3; therapist s2u4 1/2;
  //   client s1u2 (c2 reaches 12..16) and s3u1 = 2/2.
  expect_row(r.rows[2], "Anxiety/Fear", CodeScope::Own, "",
             {4, 3, 3, 3, 20, 8, {{1, 3}, {1, 2}, {2, 2}}});
  // Calm: c4 s1 [15,20) = 5 chars, gh ij = 2 words; client s1u2 = 1/2.
  expect_row(r.rows[3], "Anxiety/Calm", CodeScope::Own, "",
             {1, 1, 1, 3, 5, 2, {{0, 3}, {0, 2}, {1, 2}}});
  // Bond: c3 s1 [12,20) 8 chars, ef gh ij 3 words; c6 s2 [12,16) 4, no pq 2; c8 s3 [3,5) 2, vw 1.
  //   characters 14, words 6. therapist s2u2 1/2; client s1u2, s3u1 2/2.
  expect_row(r.rows[4], "Bond", CodeScope::Own, "", {3, 3, 3, 3, 14, 6, {{0, 3}, {1, 2}, {2, 2}}});

  // The codings column agrees with the codebook counts the app shows.
  const CodebookCounts counts = count_codings(fixture());
  EXPECT_EQ(r.rows[0].codings, CodebookCounts::get(counts.by_code, "a"));
  EXPECT_EQ(r.rows[1].codings, CodebookCounts::get(counts.by_subtree, "a"));
  EXPECT_EQ(r.rows[2].codings, CodebookCounts::get(counts.by_code, "a1"));
}

TEST(Frequencies, ByCoderCountsEachCodersCodingsAlone) {
  const FrequencyReport r = code_frequencies(fixture(), {"coder", {"a1"}});
  EXPECT_EQ(r.breakdown, Breakdown::Coder);
  EXPECT_EQ(r.groups, (std::vector<std::string>{"ana", "ben"}));
  ASSERT_EQ(r.rows.size(), 2u);
  // ana's Fear: c1 c7 c9. chars s1 5 + s2 2 + s3 5 = 12; words ab cd + tu + vw xy = 5.
  //   interviewer s1u1 1/3; therapist s2u4 1/2; client s3u1 1/2 (c1 stops at 8, before s1u2).
  expect_row(r.rows[0], "Anxiety/Fear", CodeScope::Own, "ana",
             {3, 3, 3, 3, 12, 5, {{1, 3}, {1, 2}, {1, 2}}});
  // ben's Fear: c2 s1 [6,16) = 10 chars; words cd C ef gh = 4. interviewer s1u1, client s1u2.
  //   Together 12 + 10 = 22 > 20 overall: the overall union counts [6,8) once.
  expect_row(r.rows[1], "Anxiety/Fear", CodeScope::Own, "ben",
             {1, 1, 1, 3, 10, 4, {{1, 3}, {0, 2}, {1, 2}}});
}

TEST(Frequencies, ByRoleClipsToThatRolesTurns) {
  const FrequencyReport r = code_frequencies(fixture(), {"role", {"a1"}});
  EXPECT_EQ(r.breakdown, Breakdown::Role);
  EXPECT_EQ(r.groups, (std::vector<std::string>{"interviewer", "therapist", "client"}));
  ASSERT_EQ(r.rows.size(), 3u);
  // interviewer: c1 and c2 overlap s1u1 [3,8); c7 and c9 touch no interviewer turn. 2 codings,
  //   source s1, case P1 (1 of 3). Union [3,16) ∩ [3,8) = 5 chars; ab cd = 2 words. s1u1: 1 of 3.
  expect_row(r.rows[0], "Anxiety/Fear", CodeScope::Own, "interviewer",
             {2, 1, 1, 3, 5, 2, {{1, 3}}});
  // therapist: c7 on s2u4. [27,29) = 2 chars, tu = 1 word; s2u4: 1 of 2.
  expect_row(r.rows[1], "Anxiety/Fear", CodeScope::Own, "therapist", {1, 1, 1, 3, 2, 1, {{1, 2}}});
  // client: c2 (reaches s1u2) and c9. s1: [6,16) ∩ [12,20) = [12,16) 4 chars, ef gh 2 words;
  //   s3: [3,8) 5 chars, vw xy 2 words. 9 chars, 4 words; sources s1 s3, cases P1 P3 (2 of 3);
  //   turns s1u2, s3u1: 2 of 2.
  expect_row(r.rows[2], "Anxiety/Fear", CodeScope::Own, "client", {2, 2, 2, 3, 9, 4, {{2, 2}}});
}

TEST(Frequencies, ByCaseAttributeAsCountsAndShareOfCases) {
  const FrequencyReport r = code_frequencies(fixture(), {"outcome", {"a", "b"}});
  EXPECT_EQ(r.breakdown, Breakdown::CaseAttribute);
  EXPECT_EQ(r.by, "outcome");
  EXPECT_EQ(r.groups, (std::vector<std::string>{"good", "poor"}));
  // Rows: Anxiety own (good, poor), Anxiety subtree (good, poor), Bond (good, poor).
  ASSERT_EQ(r.rows.size(), 6u);
  // good = P1, P3 (s1, s3): interviewer turns 1 (s1u1), therapist 0, client 2 (s1u2, s3u1).
  // poor = P2 (s2): interviewer 2, therapist 2, client 0.
  // Anxiety own in good: nothing. In poor: c5, 8 chars, 3 words, s2u2.
  expect_row(r.rows[0], "Anxiety", CodeScope::Own, "good",
             {0, 0, 0, 2, 0, 0, {{0, 1}, {0, 0}, {0, 2}}});
  expect_row(r.rows[1], "Anxiety", CodeScope::Own, "poor",
             {1, 1, 1, 1, 8, 3, {{0, 2}, {1, 2}, {0, 0}}});
  // Anxiety subtree in good: c1 c2 c4 (s1: 17 chars, 6 words) and c9 (s3: 5, 2) = 4 codings,
  //   22 chars, 8 words, 2 of 2 cases; s1u1, s1u2, s3u1 all carry it.
  expect_row(r.rows[2], "Anxiety", CodeScope::Subtree, "good",
             {4, 2, 2, 2, 22, 8, {{1, 1}, {0, 0}, {2, 2}}});
  // In poor: c5 c7 (s2: 10 chars, 4 words), 1 of 1 case; s2u2 and s2u4.
  expect_row(r.rows[3], "Anxiety", CodeScope::Subtree, "poor",
             {2, 1, 1, 1, 10, 4, {{0, 2}, {2, 2}, {0, 0}}});
  // Bond in good: c3 (8, 3) c8 (2, 1): 10 chars, 4 words; in poor: c6 (4 chars, 2 words).
  expect_row(r.rows[4], "Bond", CodeScope::Own, "good",
             {2, 2, 2, 2, 10, 4, {{0, 1}, {0, 0}, {2, 2}}});
  expect_row(r.rows[5], "Bond", CodeScope::Own, "poor",
             {1, 1, 1, 1, 4, 2, {{0, 2}, {1, 2}, {0, 0}}});

  // The table: % cases 0 of 2 = 0.0, 2 of 2 = 100.0; a role with no turns in the group is blank.
  const Table t = frequency_table(r);
  ASSERT_EQ(t.columns,
            (std::vector<std::string>{"code", "scope", "outcome", "codings", "sources", "cases",
                                      "% cases", "characters", "words", "% interviewer utt.",
                                      "% therapist utt.", "% client utt."}));
  EXPECT_EQ(t.rows[0][6].text, "0.0");
  EXPECT_EQ(t.rows[2][6].text, "100.0");
  EXPECT_EQ(t.rows[2][9].text, "100.0");  // 1 of 1 interviewer turn
  EXPECT_EQ(t.rows[2][10].text, "");      // no therapist turns in the good group
  EXPECT_EQ(t.rows[1][10].text, "50.0");  // s2u2 of s2's two therapist turns
}

TEST(Frequencies, CaseDotNameReachesAnAttributeNamedLikeABuiltIn) {
  // --by role is the utterance's role; case.role the case attribute.
  const FrequencyReport r = code_frequencies(fixture(), {"case.role", {"b"}});
  EXPECT_EQ(r.breakdown, Breakdown::CaseAttribute);
  EXPECT_EQ(r.by, "case.role");  // the header, so it is not read as the speaker's role
  EXPECT_EQ(r.groups, (std::vector<std::string>{"client", "therapist"}));
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].codings, 2);  // c3 (s1, P1), c8 (s3, P3)
  EXPECT_EQ(r.rows[1].codings, 1);  // c6 (s2, P2)
}

TEST(Frequencies, UnknownBreakdownsAreBadInputNamingTheChoices) {
  try {
    code_frequencies(fixture(), {"dyad", {}});
    FAIL() << "no throw";
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("outcome, role"), std::string::npos) << e.what();
  }
  EXPECT_THROW(code_frequencies(fixture(), {"speaker", {}}), BadInput);
  Project none = fixture();
  none.cases.clear();
  EXPECT_THROW(code_frequencies(none, {"outcome", {}}), BadInput);
}

TEST(Frequencies, TableNotesStateTheUnits) {
  const Table t = frequency_table(code_frequencies(fixture()));
  EXPECT_EQ(t.title, "Code frequencies (unit: coding)");
  ASSERT_EQ(t.rows.size(), 5u);
  // Fear: 4 codings, 3 sources, 3 cases, 100.0 %, 20 chars, 8 words, 33.3 / 50.0 / 100.0.
  std::vector<std::string> fear;
  for (const auto& c : t.rows[2]) fear.push_back(c.text);
  EXPECT_EQ(fear, (std::vector<std::string>{"Anxiety/Fear", "own", "4", "3", "3", "100.0", "20",
                                            "8", "33.3", "50.0", "100.0"}));
  std::string notes;
  for (const auto& n : t.notes) notes += n + "\n";
  EXPECT_NE(notes.find("union"), std::string::npos);
  EXPECT_NE(notes.find("N: interviewer 3, therapist 2, client 2"), std::string::npos) << notes;
  EXPECT_NE(notes.find("N: 3"), std::string::npos) << notes;
}

TEST(CodeSourceMatrix, CodingsPerSourceByHand) {
  const CodeSourceMatrix m = code_source_matrix(fixture());
  EXPECT_EQ(m.source_names, (std::vector<std::string>{"s1", "s2", "s3"}));
  ASSERT_EQ(m.rows.size(), 5u);
  using V = std::vector<int64_t>;
  EXPECT_EQ(m.rows[0].codings, (V{0, 1, 0}));  // Anxiety own: c5
  EXPECT_EQ(m.rows[1].codings, (V{3, 2, 1}));  // subtree: c1 c2 c4 | c5 c7 | c9
  EXPECT_EQ(m.rows[1].total, 6);
  EXPECT_EQ(m.rows[2].codings, (V{2, 1, 1}));  // Fear: c1 c2 | c7 | c9
  EXPECT_EQ(m.rows[3].codings, (V{1, 0, 0}));  // Calm: c4
  EXPECT_EQ(m.rows[4].codings, (V{1, 1, 1}));  // Bond: c3 | c6 | c8

  const Table wide = code_source_table(m, TableLayout::Wide);
  EXPECT_EQ(wide.columns, (std::vector<std::string>{"code", "scope", "s1", "s2", "s3", "total"}));
  const Table tidy = code_source_table(m, TableLayout::Long);
  EXPECT_EQ(tidy.rows.size(), 15u);  // 5 rows x 3 sources
  EXPECT_TRUE(to_csv(tidy).starts_with("code,scope,source,codings\r\nAnxiety,own,s1,0\r\n"))
      << to_csv(tidy);
}

const CooccurrencePair& pair_of(const CooccurrenceMatrix& m, size_t a, size_t b) {
  for (const auto& p : m.pairs)
    if (p.a == a && p.b == b) return p;
  throw std::logic_error("no pair");
}

void expect_pair(const CooccurrenceMatrix& m, size_t a, size_t b, int64_t both, int64_t either,
                 int64_t with_a, int64_t with_b, int64_t coding_pairs) {
  SCOPED_TRACE(m.paths[a] + " x " + m.paths[b]);
  const CooccurrencePair& p = pair_of(m, a, b);
  EXPECT_EQ(p.both, both);
  EXPECT_EQ(p.either, either);
  EXPECT_EQ(p.with_a, with_a);
  EXPECT_EQ(p.with_b, with_b);
  EXPECT_EQ(p.coding_pairs, coding_pairs);
  EXPECT_DOUBLE_EQ(p.jaccard, either ? double(both) / double(either) : 0.0);
}

// Codes 0 Anxiety, 1 Fear, 2 Calm, 3 Bond. Buckets within coders: (s1,ana) c1 Fear [3,8),
// c3 Bond [12,20), c4 Calm [15,20); (s1,ben) c2 Fear [6,16); (s2,ben) c5 Anxiety [9,17),
// c6 Bond [12,16); (s2,ana) c7 Fear [27,29); (s3,ana) c8 Bond [3,5), c9 Fear [3,8).
TEST(Cooccurrence, PassagesWithinEachCoderByHand) {
  const CooccurrenceMatrix m = code_cooccurrence(fixture());
  EXPECT_EQ(m.paths, (std::vector<std::string>{"Anxiety", "Anxiety/Fear", "Anxiety/Calm", "Bond"}));
  // Diagonal: passages of each code alone: Anxiety 1 (c5); Fear 4 (c1, c2, c7, c9 each in its own
  // bucket); Calm 1; Bond 3 (c3, c6, c8).
  EXPECT_EQ(m.units_with, (std::vector<int64_t>{1, 4, 1, 3}));
  // Anxiety x Fear: no bucket holds both; passages c5 | c1, c2, c7, c9 = 5.
  expect_pair(m, 0, 1, 0, 5, 1, 4, 0);
  expect_pair(m, 0, 2, 0, 2, 1, 1, 0);
  // Anxiety x Bond: (s2,ben) c5 and c6 overlap: one passage with both; (s1,ana) c3, (s3,ana) c8.
  expect_pair(m, 0, 3, 1, 3, 1, 3, 1);
  // Fear x Calm: (s1,ana) c1 [3,8) and c4 [15,20) apart: 2 passages; c2 is ben's, so it does not
  // meet ana's c4; plus c2, c7, c9 alone = 5 passages, none with both.
  expect_pair(m, 1, 2, 0, 5, 4, 1, 0);
  // Fear x Bond: (s1,ana) c1 | c3 = 2; (s1,ben) c2 = 1; (s2,ben) c6 = 1; (s2,ana) c7 = 1;
  // (s3,ana) c8+c9 = 1 with both. 6 passages, 1 with both; J = 1/6.
  expect_pair(m, 1, 3, 1, 6, 4, 3, 1);
  // Calm x Bond: (s1,ana) c3+c4 one passage with both; c6, c8 alone. J = 1/3.
  expect_pair(m, 2, 3, 1, 3, 1, 3, 1);

  const Table wide = cooccurrence_table(m, TableLayout::Wide);
  ASSERT_EQ(wide.rows.size(), 4u);
  EXPECT_EQ(wide.columns, (std::vector<std::string>{"code", "1", "2", "3", "4"}));
  EXPECT_EQ(wide.rows[1][0].text, "2 Anxiety/Fear");
  EXPECT_EQ(wide.rows[1][2].text, "4");     // diagonal
  EXPECT_EQ(wide.rows[1][4].text, "1");     // above: Fear x Bond count
  EXPECT_EQ(wide.rows[3][2].text, "0.17");  // below: Fear x Bond Jaccard 1/6
  const Table tidy = cooccurrence_table(m, TableLayout::Long);
  EXPECT_EQ(tidy.rows.size(), 6u);
  EXPECT_EQ(tidy.rows[4][6].text, "0.167");
}

TEST(Cooccurrence, PassagesAcrossCoders) {
  const CooccurrenceMatrix m = code_cooccurrence(fixture(), {CooccurrenceUnit::Passage, true, {}});
  // Buckets per source. s1: Fear c1 [3,8) + c2 [6,16) = [3,16); Calm c4 [15,20); Bond c3 [12,20).
  // Fear x Calm: s1 one passage [3,20) with both (ben's c2 meets ana's c4); s2 c7; s3 c9. 1 of 3.
  expect_pair(m, 1, 2, 1, 3, 3, 1, 1);
  // Fear x Bond: s1 one passage with both (c2 x c3); s2 c6 [12,16) and c7 [27,29) apart = 2;
  // s3 c8+c9 both. 2 of 4; coding pairs c2-c3 and c8-c9.
  expect_pair(m, 1, 3, 2, 4, 3, 3, 2);
  // Diagonal: Fear's passages per source: s1 [3,16), s2, s3 = 3.
  EXPECT_EQ(m.units_with[1], 3);
}

TEST(Cooccurrence, UtterancesWithinAndAcrossCoders) {
  // Within coders, the units (coder, turn) and the codes they carry:
  //   ana s1u1 {Fear}; ana s1u2 {Calm, Bond}; ana s2u4 {Fear}; ana s3u1 {Fear, Bond};
  //   ben s1u1 {Fear}; ben s1u2 {Fear} (c2 reaches 16); ben s2u2 {Anxiety, Bond}.
  const CooccurrenceMatrix m =
      code_cooccurrence(fixture(), {CooccurrenceUnit::Utterance, false, {}});
  EXPECT_EQ(m.units_with, (std::vector<int64_t>{1, 5, 1, 3}));
  expect_pair(m, 0, 3, 1, 3, 1, 3, 1);  // ben s2u2; 1 + 3 - 1 = 3
  expect_pair(m, 1, 2, 0, 6, 5, 1, 0);  // never in one coder's turn
  expect_pair(m, 1, 3, 1, 7, 5, 3, 1);  // ana s3u1; 5 + 3 - 1 = 7
  expect_pair(m, 2, 3, 1, 3, 1, 3, 1);  // ana s1u2
  // Across coders, units are turns: s1u1 {Fear}; s1u2 {Fear, Calm, Bond}; s2u2 {Anxiety, Bond};
  // s2u4 {Fear}; s3u1 {Fear, Bond}.
  const CooccurrenceMatrix x =
      code_cooccurrence(fixture(), {CooccurrenceUnit::Utterance, true, {}});
  EXPECT_EQ(x.units_with, (std::vector<int64_t>{1, 4, 1, 3}));
  expect_pair(x, 1, 2, 1, 4, 4, 1, 1);  // s1u2
  expect_pair(x, 1, 3, 2, 5, 4, 3, 2);  // s1u2, s3u1; 4 + 3 - 2 = 5, J 0.4
  const Table t = cooccurrence_table(x, TableLayout::Long);
  EXPECT_EQ(t.rows[4][6].text, "0.400");
  EXPECT_EQ(t.title, "Code co-occurrence (utterances, across coders)");
}

}  // namespace
}  // namespace marginalia
