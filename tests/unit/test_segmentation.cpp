// Sentences and words by ICU: what auto-coding by sentence and the word list stand on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marginalia/error.h"
#include "marginalia/text.h"

using namespace marginalia;

namespace {

std::vector<std::string> sentences(const std::string& text, const std::string& language = "en") {
  std::vector<std::string> out;
  for (const TextRange& r : sentence_ranges(text, language))
    out.push_back(substring_cp(text, r.start, r.end));
  return out;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  for (const WordToken& w : word_tokens(text)) out.push_back(w.folded);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(SentenceRanges, TableOfCases) {
  struct Case {
    const char* name;
    std::string text;
    Strings expected;
  };
  const std::vector<Case> cases = {
      {"plain",
       "I was frightened. I sat in the car. Then I went in!",
       {"I was frightened.", "I sat in the car.", "Then I went in!"}},
      // ICU's English list has Mr. and Mrs.; we add Dr., which it lacks.
      {"titles",
       "I saw Dr. Hollis on Monday. She was kind.",
       {"I saw Dr. Hollis on Monday.", "She was kind."}},
      {"ICU abbreviations",
       "Mr. Smith and Mrs. Jones met at 3 p.m. yesterday. Then they left.",
       {"Mr. Smith and Mrs. Jones met at 3 p.m. yesterday.", "Then they left."}},
      {"e.g. and U.S.",
       "e.g. this one. i.e. that. U.S. citizens voted.",
       {"e.g. this one. i.e. that.", "U.S. citizens voted."}},
      // Three dots before a capital end a sentence; the ellipsis character does not.
      {"ellipses",
       "I think... I was afraid. My stomach sort of\u2026 dropped. Really?",
       {"I think...", "I was afraid.", "My stomach sort of\u2026 dropped.", "Really?"}},
      {"quotes",
       "He'd say, \u201cSo it was the hour.\u201d And that was it. \"Fine,\" she said.",
       {"He'd say, \u201cSo it was the hour.\u201d", "And that was it.", "\"Fine,\" she said."}},
      {"questions and exclamations",
       "Wait \u2014 what? No! Yes.",
       {"Wait \u2014 what?", "No!", "Yes."}},
      {"line breaks end sentences",
       "A line without a stop\nAnother one\n\n  Third.  ",
       {"A line without a stop", "Another one", "Third."}},
      // ICU: a lowercase word after the stop continues the sentence, even behind a bracket.
      {"transcriber notes",
       "I saw him first. [laughs] The end. [Pause] Then more.",
       {"I saw him first. [laughs] The end.", "[Pause] Then more."}},
      {"white space only", " \n\t ", {}},
      {"empty", "", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(sentences(c.text), c.expected) << c.name;
}

TEST(SentenceRanges, OffsetsAreCodePointsAndTrimmed) {
  // The emoji is one code point (four bytes); ranges leave out the spaces between sentences.
  const std::string text = "  Honestly I was frightened. I sat there \U0001F62C and left.\n";
  const auto ranges = sentence_ranges(text);
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0], (TextRange{2, 28}));
  EXPECT_EQ(ranges[1], (TextRange{29, 52}));
  EXPECT_EQ(substring_cp(text, 29, 52), "I sat there \U0001F62C and left.");
}

TEST(SentenceRanges, OtherLanguagesUseTheirRules) {
  // Plain ICU rules outside English: "Ich war." ends a sentence (ICU's German abbreviation list
  // would join it to the next), and so does "Dr." before a capital.
  EXPECT_EQ(sentences("Ich war. Es ging gut bei Dr. M\u00fcller.", "de"),
            (Strings{"Ich war.", "Es ging gut bei Dr.", "M\u00fcller."}));
  EXPECT_EQ(sentences("\u6211\u5f88\u5bb3\u6015\u3002\u7136\u540e\u6211\u8d70\u4e86\u3002", "zh"),
            (Strings{"\u6211\u5f88\u5bb3\u6015\u3002", "\u7136\u540e\u6211\u8d70\u4e86\u3002"}));
}

TEST(SentenceRanges, InvalidUtf8IsBadInput) {
  EXPECT_THROW(sentence_ranges("abc \xFF def"), BadInput);
  EXPECT_THROW(word_tokens("abc \xC3"), BadInput);
}

TEST(WordTokens, LettersOnlyCaseFolded) {
  EXPECT_EQ(words("Don't I\u2019ll self-esteem 3rd 42 3.5 \u00c9LODIE Stra\u00dfe caf\u00e9's "
                  "[laughs] na\u00efve, ok?"),
            (Strings{"don't", "i'll", "self", "esteem", "\u00e9lodie", "strasse", "caf\u00e9's",
                     "laughs", "na\u00efve", "ok"}));
}

TEST(WordTokens, RangesInCodePoints) {
  const std::string text = "\U0001F642 Caf\u00e9 OK";
  const auto tokens = word_tokens(text);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].range, (TextRange{2, 6}));
  EXPECT_EQ(tokens[0].folded, "caf\u00e9");
  EXPECT_EQ(tokens[1].range, (TextRange{7, 9}));
}

TEST(WordTokens, IdeographsAreWords) {
  // ICU splits Japanese with its dictionary; every piece is a word.
  const auto tokens = word_tokens("\u6771\u4eac\u306b\u884c\u304d\u307e\u3057\u305f\u3002");
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(tokens[0].folded, "\u6771\u4eac");
  EXPECT_EQ(tokens[0].range, (TextRange{0, 2}));
}
