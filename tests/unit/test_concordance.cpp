// Keyword in context and word frequencies, from hand-made hits on a small two-source project.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "marginalia/concordance.h"
#include "marginalia/error.h"
#include "marginalia/transcript.h"

using namespace marginalia;

namespace {

// Offsets (ASCII, so bytes are code points):
//   utterance 0 (interviewer) [13, 45)   "What was the first session like?"
//   utterance 1 (client)      [54, 164)  "Honestly I was frightened. ... I kept my distance."
//   utterance 2 (therapist)   [176, 236) "She kept her distance, and I respected the distance 3
//   times."
const std::string kSession =
    "Interviewer: What was the first session like?\n"
    "Client: Honestly I was frightened. I saw Dr. Hollis first. [laughs] The first session felt "
    "long... I kept my distance.\n"
    "Therapist: She kept her distance, and I respected the distance 3 times.\n";
const std::string kSecond = "P: Distance, distance everywhere.\n";

const std::string kCodeA = "a0000000-0000-4000-8000-00000000000a";
const std::string kCodeB = "a0000000-0000-4000-8000-00000000000b";
const std::string kCoder = "c0000000-0000-4000-8000-000000000001";

Source make_source(const std::string& guid, const std::string& name, const std::string& text) {
  Source s;
  s.guid = guid;
  s.name = name;
  s.text = text;
  s.utterances = parse_turns(text, RoleMap::defaults()).utterances;
  return s;
}

Project project() {
  Project p;
  p.name = "kwic";
  p.coders.push_back({kCoder, "ana"});
  p.codes.push_back({kCodeA, "Distance", "", "", "", true});
  p.codes.push_back({kCodeB, "Fear", "", "", "", true});
  p.sources.push_back(make_source("50000000-0000-4000-8000-000000000001", "s1", kSession));
  p.sources.push_back(make_source("50000000-0000-4000-8000-000000000002", "s2", kSecond));
  return p;
}

SearchHit hit(const Project& p, size_t source, size_t utterance, std::vector<Span> matches) {
  const Source& s = p.sources.at(source);
  const Utterance& u = s.utterances.at(utterance);
  SearchHit h;
  h.source = s.guid;
  h.source_name = s.name;
  h.utterance = utterance;
  h.speaker = u.speaker;
  h.role = u.role;
  h.turn = {u.start, u.end};
  h.matches = std::move(matches);
  return h;
}

Coding coding(const Project& p, size_t source, int64_t start, int64_t end,
              const std::string& code) {
  Coding c;
  c.guid = new_guid();
  c.source = p.sources.at(source).guid;
  c.start = start;
  c.end = end;
  c.code = code;
  c.coder = kCoder;
  return c;
}

}  // namespace

TEST(Concordance, FixtureTurnsAreWhereTheTestsSayTheyAre) {
  const Project p = project();
  const auto& u = p.sources[0].utterances;
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[0].start, 13);
  EXPECT_EQ(u[0].end, 45);
  EXPECT_EQ(u[1].start, 54);
  EXPECT_EQ(u[1].end, 164);
  EXPECT_EQ(u[1].role, Role::Client);
  EXPECT_EQ(u[2].start, 176);
  EXPECT_EQ(u[2].end, 236);
  EXPECT_EQ(u[2].role, Role::Therapist);
  EXPECT_EQ(p.sources[1].utterances.at(0).role, Role::Participant);
}

TEST(MergedMatches, PhrasesJoinPunctuationSeparates) {
  const OffsetMap offsets(kSession);
  // "first" "session" in the interviewer's turn: one span.
  EXPECT_EQ(merged_matches(kSession, offsets, {{32, 39}, {26, 31}}), (std::vector<Span>{{26, 39}}));
  // "first. [laughs] The first session": the first stays alone, the phrase is joined.
  EXPECT_EQ(merged_matches(kSession, offsets, {{98, 103}, {118, 123}, {124, 131}}),
            (std::vector<Span>{{98, 103}, {118, 131}}));
  // "distance, and": a comma keeps them apart; overlaps and duplicates fold.
  EXPECT_EQ(merged_matches(kSession, offsets, {{189, 197}, {199, 202}, {189, 197}, {190, 193}}),
            (std::vector<Span>{{189, 197}, {199, 202}}));
  EXPECT_TRUE(merged_matches(kSession, offsets, {}).empty());
}

TEST(Concordance, RowsExactWithContextInsideTheTurn) {
  const Project p = project();
  const std::vector<SearchHit> hits = {hit(p, 0, 1, {{155, 163}}),
                                       hit(p, 0, 2, {{189, 197}, {219, 227}}),
                                       hit(p, 0, 0, {{26, 31}, {32, 39}})};
  const auto lines = concordance(p, hits, 10);
  ASSERT_EQ(lines.size(), 4u);

  EXPECT_EQ(lines[0].left, "I kept my ");
  EXPECT_EQ(lines[0].text, "distance");
  EXPECT_EQ(lines[0].right, ".");  // the turn ends there
  EXPECT_EQ(lines[0].match, (Span{155, 163}));
  EXPECT_EQ(lines[0].source_name, "s1");
  EXPECT_EQ(lines[0].speaker, "Client");
  EXPECT_EQ(lines[0].role, Role::Client);
  EXPECT_EQ(lines[0].utterance, 1u);

  EXPECT_EQ(lines[1].left, " kept her ");
  EXPECT_EQ(lines[1].text, "distance");
  EXPECT_EQ(lines[1].right, ", and I re");
  EXPECT_EQ(lines[1].speaker, "Therapist");
  EXPECT_EQ(lines[2].left, "ected the ");
  EXPECT_EQ(lines[2].right, " 3 times.");
  EXPECT_EQ(lines[2].match, (Span{219, 227}));

  // A phrase is one line; the context never reaches the label before the turn.
  EXPECT_EQ(lines[3].left, "t was the ");
  EXPECT_EQ(lines[3].text, "first session");
  EXPECT_EQ(lines[3].right, " like?");

  const auto wide = concordance(p, {hits[2]}, 40);
  ASSERT_EQ(wide.size(), 1u);
  EXPECT_EQ(wide[0].left, "What was the ");  // not "Interviewer: "
}

TEST(Concordance, NonAsciiContextCountsCodePoints) {
  Project p;
  p.sources.push_back(make_source("50000000-0000-4000-8000-000000000009", "u",
                                  "Client: Caf\u00e9 \U0001F62C shame, na\u00efve me.\n"));
  // "Client: " is 8 characters: "Café" [8, 12), the emoji 13, "shame" [15, 20).
  const auto lines = concordance(p, {hit(p, 0, 0, {{15, 20}})}, 4);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].left, "\u00e9 \U0001F62C ");
  EXPECT_EQ(lines[0].text, "shame");
  EXPECT_EQ(lines[0].right, ", na");
}

TEST(Concordance, UnknownSourceIsBadInput) {
  const Project p = project();
  SearchHit h = hit(p, 0, 1, {{155, 163}});
  h.source = "50000000-0000-4000-8000-0000000000ff";
  EXPECT_THROW(concordance(p, {h}), BadInput);
}

TEST(WordFrequencies, CountsExactOverUtterancesOnly) {
  const Project p = project();
  const WordFrequencies f = word_frequencies(p, {});
  // s1: 6 + 18 + 10 words ("[laughs]" and "3" are none); s2: 3. Labels are outside every turn.
  EXPECT_EQ(f.total_words, 37u);
  EXPECT_EQ(f.distinct, 15u);
  ASSERT_EQ(f.words.size(), 15u);
  EXPECT_EQ(f.words[0].word, "distance");
  EXPECT_EQ(f.words[0].count, 5u);
  EXPECT_DOUBLE_EQ(f.words[0].per_thousand, 5000.0 / 37.0);
  EXPECT_EQ(f.words[1].word, "first");
  EXPECT_EQ(f.words[1].count, 3u);
  EXPECT_EQ(f.words[2].word, "kept");
  EXPECT_EQ(f.words[3].word, "session");
  EXPECT_EQ(f.words[3].count, 2u);
  std::vector<std::string> ones;
  for (size_t i = 4; i < f.words.size(); ++i) {
    EXPECT_EQ(f.words[i].count, 1u);
    ones.push_back(f.words[i].word);
  }
  EXPECT_EQ(ones,
            (std::vector<std::string>{"dr", "everywhere", "felt", "frightened", "hollis",
                                      "honestly", "like", "long", "respected", "saw", "times"}));
  for (const auto& w : f.words)
    for (const char* left_out : {"interviewer", "client", "therapist", "p", "laughs", "the", "i"})
      EXPECT_NE(w.word, left_out);
}

TEST(WordFrequencies, StopwordsAreOutButInTheBase) {
  const auto& stop = english_stopwords();
  EXPECT_GE(stop.size(), 150u);
  EXPECT_TRUE(std::is_sorted(stop.begin(), stop.end()));
  for (const char* w : {"the", "and", "i", "don't", "i'm", "was", "um", "uh", "my", "she"})
    EXPECT_TRUE(std::binary_search(stop.begin(), stop.end(), std::string(w))) << w;
  for (const char* w : {"shame", "distance", "trust", "therapy", "afraid"})
    EXPECT_FALSE(std::binary_search(stop.begin(), stop.end(), std::string(w))) << w;

  Project p;
  p.sources.push_back(
      make_source("50000000-0000-4000-8000-000000000009", "u",
                  "Client: Um, I don\u2019t know. I DON'T. The shame, the SHAME.\n"));
  const auto f = word_frequencies(p, {});
  EXPECT_EQ(f.total_words, 10u);
  ASSERT_EQ(f.words.size(), 2u);
  EXPECT_EQ(f.words[0].word, "shame");
  EXPECT_EQ(f.words[0].count, 2u);
  EXPECT_DOUBLE_EQ(f.words[0].per_thousand, 200.0);
  EXPECT_EQ(f.words[1].word, "know");
}

TEST(WordFrequencies, ByRoleSourceAndTop) {
  const Project p = project();
  WordFilter client;
  client.role = Role::Client;
  const auto f = word_frequencies(p, client, 3);
  EXPECT_EQ(f.total_words, 18u);
  EXPECT_EQ(f.distinct, 11u);
  ASSERT_EQ(f.words.size(), 3u);
  EXPECT_EQ(f.words[0].word, "first");
  EXPECT_EQ(f.words[0].count, 2u);
  EXPECT_EQ(f.words[1].word, "distance");
  EXPECT_EQ(f.words[2].word, "dr");

  WordFilter second;
  second.source = p.sources[1].guid;
  const auto s = word_frequencies(p, second);
  EXPECT_EQ(s.total_words, 3u);
  ASSERT_EQ(s.words.size(), 2u);
  EXPECT_EQ(s.words[0].word, "distance");
  EXPECT_EQ(s.words[0].count, 2u);

  WordFilter nobody;
  nobody.role = Role::Other;
  EXPECT_EQ(word_frequencies(p, nobody).total_words, 0u);
}

TEST(WordFrequencies, InsideACodeOnlyWithoutDoubleCounting) {
  Project p = project();
  // "I kept my distance." twice over (overlapping codings count once), and a coding that starts
  // on the label "Therapist: " (the label is no turn), plus another code's coding.
  p.codings.push_back(coding(p, 0, 145, 164, kCodeA));
  p.codings.push_back(coding(p, 0, 150, 164, kCodeA));
  p.codings.push_back(coding(p, 0, 165, 197, kCodeA));
  p.codings.push_back(coding(p, 0, 54, 80, kCodeB));
  // A coding that cuts "respected" in half does not count it.
  p.codings.push_back(coding(p, 0, 207, 214, kCodeA));
  WordFilter filter;
  filter.code = kCodeA;
  const auto f = word_frequencies(p, filter);
  EXPECT_EQ(f.total_words, 8u);  // i kept my distance she kept her distance
  ASSERT_EQ(f.words.size(), 2u);
  EXPECT_EQ(f.words[0].word, "distance");
  EXPECT_EQ(f.words[0].count, 2u);
  EXPECT_EQ(f.words[1].word, "kept");
  EXPECT_EQ(f.words[1].count, 2u);
  EXPECT_DOUBLE_EQ(f.words[1].per_thousand, 250.0);

  filter.code = "a0000000-0000-4000-8000-0000000000ff";
  EXPECT_THROW(word_frequencies(p, filter), BadInput);
}

TEST(Concordance, TableReadsLeftMatchRightWithTheTurnsLineBreaksAsSpaces) {
  const Project p = project();
  auto lines = concordance(p, {hit(p, 0, 1, {{155, 163}})}, 10);
  ASSERT_EQ(lines.size(), 1u);
  lines[0].left = "I kept\nmy ";  // as a transcript with a line break inside a turn would give
  const Table table = concordance_table(lines, "distance");
  EXPECT_EQ(table.title, "Keyword in context: distance");
  EXPECT_EQ(to_csv(table),
            "left,match,right,source,speaker,role,start,end\r\n"
            "I kept my ,distance,.,s1,Client,client,155,163\r\n");
}

TEST(WordFrequencies, TableHasCountAndRatePerThousandToTwoDecimals) {
  const Project p = project();
  const Table table = word_frequency_table(word_frequencies(p, {}, 2));
  EXPECT_EQ(to_csv(table), "word,count,per_1000\r\ndistance,5,135.14\r\nfirst,3,81.08\r\n");
  ASSERT_EQ(table.notes.size(), 1u);
  EXPECT_NE(table.notes[0].find("37 words counted"), std::string::npos) << table.notes[0];
}
