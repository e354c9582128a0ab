// parse_turns and RoleMap: every layout, spans checked by the words they cover.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace marginalia {
namespace {

struct Seen {
  std::string speaker;
  std::string words;
  Role role;
  std::optional<int64_t> ms;
};

std::vector<Seen> seen(const std::string& text, const Turns& turns) {
  std::vector<Seen> out;
  for (const auto& u : turns.utterances) {
    out.push_back({u.speaker, substring_cp(text, u.start, u.end), u.role, u.timestamp_ms});
  }
  return out;
}

Turns parse(const std::string& text) {
  return parse_turns(text, RoleMap::defaults());
}

TEST(TurnsRoleMap, DefaultsAreCaseInsensitive) {
  const auto roles = RoleMap::defaults();
  EXPECT_EQ(roles.role_of("Interviewer"), Role::Interviewer);
  EXPECT_EQ(roles.role_of("INTERVIEWER"), Role::Interviewer);
  EXPECT_EQ(roles.role_of(" int "), Role::Interviewer);
  EXPECT_EQ(roles.role_of("Q"), Role::Interviewer);
  EXPECT_EQ(roles.role_of("i"), Role::Interviewer);
  EXPECT_EQ(roles.role_of("therapist"), Role::Therapist);
  EXPECT_EQ(roles.role_of("T"), Role::Therapist);
  EXPECT_EQ(roles.role_of("Th"), Role::Therapist);
  EXPECT_EQ(roles.role_of("CLIENT"), Role::Client);
  EXPECT_EQ(roles.role_of("C"), Role::Client);
  EXPECT_EQ(roles.role_of("cl"), Role::Client);
  EXPECT_EQ(roles.role_of("Participant"), Role::Participant);
  EXPECT_EQ(roles.role_of("P"), Role::Participant);
  EXPECT_EQ(roles.role_of("R"), Role::Participant);
  EXPECT_EQ(roles.role_of("respondent"), Role::Participant);
  EXPECT_EQ(roles.role_of("Lena"), Role::Unknown);
  EXPECT_EQ(RoleMap().role_of("Interviewer"), Role::Unknown);
}

TEST(TurnsRoleMap, OverridesAndAdditions) {
  auto roles = RoleMap::defaults();
  roles.set("Lena", Role::Client);
  roles.set("i", Role::Other);
  roles.set("\xC3\x89lodie", Role::Therapist);  // Élodie
  EXPECT_EQ(roles.role_of("LENA"), Role::Client);
  EXPECT_EQ(roles.role_of("I"), Role::Other);
  EXPECT_EQ(roles.role_of("\xC3\x89LODIE"), Role::Therapist);
}

TEST(TurnsPlain, NameColonText) {
  const std::string text =
      "Interviewer: How did it feel?\n"
      "Lena: Honestly I was frightened.\n"
      "Interviewer:   And later?  \n"
      "Lena: Later it got better.";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "Name: text");
  EXPECT_FALSE(turns.has_timestamps);
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].speaker, "Interviewer");
  EXPECT_EQ(s[0].role, Role::Interviewer);
  EXPECT_EQ(s[0].words, "How did it feel?");
  EXPECT_EQ(s[1].speaker, "Lena");
  EXPECT_EQ(s[1].role, Role::Unknown);
  EXPECT_EQ(s[1].words, "Honestly I was frightened.");
  EXPECT_FALSE(s[1].ms);
  EXPECT_EQ(s[2].words, "And later?");
  EXPECT_EQ(s[3].words, "Later it got better.");
  // Exact offsets: "Lena: " starts at 30, the words at 36, 26 code points long.
  EXPECT_EQ(turns.utterances[1].start, 36);
  EXPECT_EQ(turns.utterances[1].end, 62);
}

TEST(TurnsPlain, VariousLabelsAndUppercase) {
  const std::string text =
      "THERAPIST: Where shall we start?\n"
      "Dr. Hollis: With the dream.\n"
      "Participant 3: I don't know.\n"
      "I: Go on.\n"
      "C: Fine.\n"
      "O'Neil-Smith: Me too.\n"
      "\xC3\x89lodie: Oui.\n";  // Élodie
  // Each label seen once would be too many one-off labels (see parse_turns), so twice.
  const auto turns = parse(text + text);
  const auto s = seen(text + text, turns);
  ASSERT_EQ(s.size(), 14u);
  EXPECT_EQ(s[0].speaker, "THERAPIST");
  EXPECT_EQ(s[0].role, Role::Therapist);
  EXPECT_EQ(s[1].speaker, "Dr. Hollis");
  EXPECT_EQ(s[1].words, "With the dream.");
  EXPECT_EQ(s[2].speaker, "Participant 3");
  EXPECT_EQ(s[2].words, "I don't know.");
  EXPECT_EQ(s[3].role, Role::Interviewer);
  EXPECT_EQ(s[4].role, Role::Client);
  EXPECT_EQ(s[5].speaker, "O'Neil-Smith");
  EXPECT_EQ(s[6].speaker, "\xC3\x89lodie");
  EXPECT_EQ(s[6].words, "Oui.");
}

TEST(TurnsPlain, ContinuationLinesAndParagraphsBelongToTheOpenTurn) {
  const std::string text =
      "Interview with Lena, 3 May\n"
      "\n"
      "Interviewer: Tell me.\n"
      "Lena: It started in spring.\n"
      "I could not sleep.\n"
      "\n"
      "Then it got worse.\n"
      "\n"
      "Interviewer: I see.\n";
  const auto turns = parse(text);
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 3u);  // the title line before the first turn is no utterance
  EXPECT_EQ(s[1].words, "It started in spring.\nI could not sleep.\n\nThen it got worse.");
  EXPECT_EQ(s[2].words, "I see.");
}

TEST(TurnsPlain, FalsePositiveProseLinesStayInTheTurn) {
  const std::string text =
      "Interviewer: What happened?\n"
      "Lena: It was hard.\n"
      "What I mean is this: nothing helped.\n"
      "But I told him: no.\n"
      "Interviewer: And then?\n"
      "Lena: Then it stopped. At 10:30 we left.\n";
  const auto turns = parse(text);
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1].speaker, "Lena");
  EXPECT_EQ(s[1].words, "It was hard.\nWhat I mean is this: nothing helped.\nBut I told him: no.");
  EXPECT_EQ(s[3].words, "Then it stopped. At 10:30 we left.");
}

TEST(TurnsPlain, OneStrayCapitalisedLabelInProseIsNoTurn) {
  const std::string text =
      "We met in the morning and talked for an hour.\n"
      "\n"
      "Note: the recorder failed twice.\n"
      "\n"
      "Afterwards she wrote to me.\n";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "paragraphs");
  ASSERT_EQ(turns.utterances.size(), 3u);
  EXPECT_EQ(seen(text, turns)[1].words, "Note: the recorder failed twice.");
}

TEST(TurnsPlain, ShortFileWithOneOffNamesStillHasTurns) {
  const std::string text = "Anna: Hello.\nBen: Hi there.\n";
  const auto s = seen(text, parse(text));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].speaker, "Anna");
  EXPECT_EQ(s[1].speaker, "Ben");
  EXPECT_EQ(s[1].words, "Hi there.");
}

TEST(TurnsPlain, LabelAloneWithWordsOnTheNextLine) {
  const std::string text = "Interviewer:\nHow are you?\nLena:\nFine.\n";
  const auto s = seen(text, parse(text));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].words, "How are you?");
  EXPECT_EQ(s[1].words, "Fine.");
}

TEST(TurnsPlain, EmptyTurnHasAnEmptySpan) {
  const std::string text = "Interviewer: Hello?\nLena:\nInterviewer: Still there?\n";
  const auto turns = parse(text);
  ASSERT_EQ(turns.utterances.size(), 3u);
  EXPECT_EQ(turns.utterances[1].start, turns.utterances[1].end);
}

TEST(TurnsTimestamped, BracketedBeforeName) {
  const std::string text =
      "[00:01:23] Interviewer: How did it feel?\n"
      "[00:01:30] Lena: Honestly I was frightened.\n"
      "[01:02:03.5] Lena: Still.\n";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "[hh:mm:ss] Name: text");
  EXPECT_TRUE(turns.has_timestamps);
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].speaker, "Interviewer");
  EXPECT_EQ(s[0].ms, 83'000);
  EXPECT_EQ(s[1].words, "Honestly I was frightened.");
  EXPECT_EQ(s[1].ms, 90'000);
  EXPECT_EQ(s[2].ms, 3'723'500);
}

TEST(TurnsTimestamped, BracketedMinutesSeconds) {
  const std::string text = "[01:23] I: Why?\n[75:02] C: Because.\nIt hurt.\n";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "[mm:ss] Name: text");
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].ms, 83'000);
  EXPECT_EQ(s[1].ms, 4'502'000);
  EXPECT_EQ(s[1].words, "Because.\nIt hurt.");
  EXPECT_EQ(s[1].role, Role::Client);
}

TEST(TurnsTimestamped, NameThenBracket) {
  const std::string text =
      "Interviewer [00:00:05]: Welcome.\n"
      "Dr. Hollis [00:00:09]: Honestly I was frightened.\n";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "Name [hh:mm:ss]: text");
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].speaker, "Dr. Hollis");
  EXPECT_EQ(s[1].words, "Honestly I was frightened.");
  EXPECT_EQ(s[1].ms, 9'000);
}

TEST(TurnsTimestamped, Parenthesised) {
  const std::string text =
      "(01:23) Therapist: How was the week?\n"
      "(01:29) Client: Honestly I was frightened.\n";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "(mm:ss) Name: text");
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].role, Role::Therapist);
  EXPECT_EQ(s[1].words, "Honestly I was frightened.");
  EXPECT_EQ(s[1].ms, 89'000);

  const std::string hours = "(00:01:23) T: Hm.\n(00:01:24) C: Yes.\n";
  const auto with_hours = parse(hours);
  EXPECT_EQ(with_hours.layout, "(hh:mm:ss) Name: text");
  EXPECT_EQ(with_hours.utterances[1].timestamp_ms, 84'000);
}

TEST(TurnsTimestamped, Otter) {
  const std::string text =
      "Interviewer  00:01:23\n"
      "How did it feel?\n"
      "\n"
      "Lena  1:01:30\n"
      "Honestly I was frightened.\n"
      "It lasted weeks.\n"
      "\n"
      "Speaker 3  12:45\n"
      "Hm.  \n";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "Otter (Name  hh:mm:ss)");
  EXPECT_TRUE(turns.has_timestamps);
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].speaker, "Interviewer");
  EXPECT_EQ(s[0].words, "How did it feel?");
  EXPECT_EQ(s[0].ms, 83'000);
  EXPECT_EQ(s[1].speaker, "Lena");
  EXPECT_EQ(s[1].words, "Honestly I was frightened.\nIt lasted weeks.");
  EXPECT_EQ(s[1].ms, 3'690'000);
  EXPECT_EQ(s[2].speaker, "Speaker 3");
  EXPECT_EQ(s[2].words, "Hm.");
  EXPECT_EQ(s[2].ms, 765'000);
}

TEST(TurnsParagraphs, TextWithoutLabels) {
  const std::string text =
      "\n  First paragraph, line one.\nLine two.  \n\n \t\nSecond one.\n\n\nThird.";
  const auto turns = parse(text);
  EXPECT_EQ(turns.layout, "paragraphs");
  EXPECT_FALSE(turns.has_timestamps);
  const auto s = seen(text, turns);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].speaker, "");
  EXPECT_EQ(s[0].role, Role::Unknown);
  EXPECT_EQ(s[0].words, "First paragraph, line one.\nLine two.");
  EXPECT_EQ(s[1].words, "Second one.");
  EXPECT_EQ(s[2].words, "Third.");
  EXPECT_TRUE(parse("").utterances.empty());
}

TEST(TurnsOffsets, SpansAreCodePointsNotBytes) {
  const std::string text = "Interviewer: 😀 café?\nLena: 中文 Honestly I was frightened.\n";
  const auto turns = parse(text);
  ASSERT_EQ(turns.utterances.size(), 2u);
  EXPECT_EQ(turns.utterances[0].start, 13);
  EXPECT_EQ(turns.utterances[0].end, 20);
  EXPECT_EQ(substring_cp(text, turns.utterances[1].start, turns.utterances[1].end),
            "中文 Honestly I was frightened.");
}

TEST(TurnsRoles, OverriddenRolesApply) {
  auto roles = RoleMap::defaults();
  roles.set("lena", Role::Client);
  roles.set("Interviewer", Role::Therapist);
  const auto turns = parse_turns("Interviewer: Hi.\nLena: Hello.\n", roles);
  ASSERT_EQ(turns.utterances.size(), 2u);
  EXPECT_EQ(turns.utterances[0].role, Role::Therapist);
  EXPECT_EQ(turns.utterances[1].role, Role::Client);
}

}  // namespace
}  // namespace marginalia
