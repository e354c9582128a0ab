// Transcript formats: each fixture in tests/fixtures/interop was written for these tests.
#include <gtest/gtest.h>

#include <filesystem>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const fs::path kFixtures = fs::path(MARGINALIA_SOURCE_DIR) / "tests" / "fixtures" / "interop";

struct Turn {
  std::string speaker;
  Role role;
  std::optional<int64_t> ms;
  std::string words;
  bool operator==(const Turn&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Turn& t) {
  return out << t.speaker << "/" << role_name(t.role) << "/" << (t.ms ? *t.ms : -1) << "/"
             << t.words;
}

std::vector<Turn> turns_of(const Source& source) {
  std::vector<Turn> turns;
  for (const Utterance& u : source.utterances)
    turns.push_back({u.speaker, u.role, u.timestamp_ms, substring_cp(source.text, u.start, u.end)});
  return turns;
}

std::vector<Turn> import_turns(const std::string& name, std::string* format = nullptr) {
  const TranscriptImport in = import_transcript(kFixtures / name, RoleMap::defaults());
  if (format) *format = in.source.origin_format;
  return turns_of(in.source);
}

TEST(TranscriptFormats, WebVttVoicesLabelsAndJoinedCues) {
  std::string format;
  const auto turns = import_turns("session.vtt", &format);
  EXPECT_EQ(format.rfind("WebVTT", 0), 0u) << format;
  const std::vector<Turn> expected = {
      {"Therapist", Role::Therapist, 1000, "Wie ist es Ihnen seit letzter Woche ergangen?"},
      {"Client", Role::Client, 4500, "Ehrlich gesagt & ohne zu übertreiben: es war schwer."},
      {"Therapist", Role::Therapist, 62250, "Was war am schwersten?"},
      {"Client", Role::Client, 65500, "Das Schweigen zu Hause. \U0001F636"},
  };
  EXPECT_EQ(turns, expected);
}

TEST(TranscriptFormats, SrtCuesWithoutSpeakerContinueTheTurn) {
  const std::vector<Turn> expected = {
      {"Interviewer", Role::Interviewer, 1000, "How did the week go?"},
      {"Participant", Role::Participant, 3500, "Not great, honestly. I kept thinking about it."},
      {"Interviewer", Role::Interviewer, 3723000, "Thank you."},
  };
  EXPECT_EQ(import_turns("session.srt"), expected);
  // Recognised by content too, whatever the extension.
  const std::string srt = "1\n00:00:01,000 --> 00:00:02,000\nAna: Hallo\n";
  EXPECT_EQ(parse_srt(srt).text, "[00:00:01] Ana: Hallo\n");
}

TEST(TranscriptFormats, ZoomAndOtterTextExports) {
  std::string format;
  const std::vector<Turn> zoom = {
      {"Dr. Anna Weber", Role::Unknown, 2000, "Good morning, can you hear me?"},
      {"Lena", Role::Unknown, 5000, "Yes, I can. The sound is fine."},
      {"Dr. Anna Weber", Role::Unknown, 70000, "Let's begin."},
  };
  EXPECT_EQ(import_turns("zoom_transcript.txt", &format), zoom);
  EXPECT_EQ(format.rfind("Zoom transcript", 0), 0u);
  const std::string chat = "00:01:02 From Ana to Everyone: hello\n00:01:09 From  Ben : hi\n";
  ASSERT_TRUE(looks_like_zoom_text(chat));
  EXPECT_EQ(parse_zoom_text(chat).text, "[00:01:02] Ana: hello\n\n[00:01:09] Ben: hi\n");

  const std::vector<Turn> otter = {
      {"Speaker 1", Role::Unknown, 0, "So tell me about the first session."},
      {"Mia Jansen", Role::Unknown, 7000, "It felt strange at first, to be honest."},
      {"Speaker 1", Role::Unknown, 75000, "In what way?"},
  };
  EXPECT_EQ(import_turns("otter_export.txt"), otter);
}

TEST(TranscriptFormats, MarkdownBoldLabels) {
  const auto turns = import_turns("session.md");
  ASSERT_EQ(turns.size(), 4u);
  EXPECT_EQ(turns[0], (Turn{"Interviewer", Role::Interviewer, std::nullopt,
                            "What did you notice *this* week?"}));
  EXPECT_EQ(turns[1], (Turn{"Client", Role::Client, std::nullopt,
                            "I noticed I was less anxious in the mornings."}));
  EXPECT_EQ(turns[3].words, "Still hard. Sometimes very hard.");
}

TEST(TranscriptFormats, WordBoldRunsColonLabelsAndTables) {
  std::string format;
  const auto turns = import_turns("interview.docx", &format);
  EXPECT_EQ(format.rfind("Word .docx", 0), 0u);
  const std::vector<Turn> expected = {
      {"Therapist", Role::Therapist, std::nullopt, "How are you today?"},
      {"Client", Role::Client, std::nullopt, "Tired. I slept badly – again."},
      {"Therapist", Role::Therapist, std::nullopt, "What kept you awake?"},
      {"Client", Role::Client, std::nullopt, "Thoughts about work."},
      {"Therapist", Role::Therapist, std::nullopt, "Tell me more."},
  };
  EXPECT_EQ(turns, expected);

  // A transcription service's table: the heading row goes, times stay, one speaker's rows join.
  const std::vector<Turn> table = {
      {"Interviewer", Role::Interviewer, 3000, "Shall we start?"},
      {"Participant", Role::Participant, 5000, "Yes. I am ready."},
      {"Interviewer", Role::Interviewer, 90000, "Good."},
  };
  EXPECT_EQ(import_turns("table.docx"), table);
}

TEST(TranscriptFormats, OpenDocumentBoldSpansAndSpaces) {
  RoleMap roles = RoleMap::defaults();
  roles.set("Therapeutin", Role::Therapist);
  roles.set("Klientin", Role::Client);
  const TranscriptImport in = import_transcript(kFixtures / "interview.odt", roles);
  const std::vector<Turn> expected = {
      {"Therapeutin", Role::Therapist, std::nullopt, "Wie geht es Ihnen?"},
      {"Klientin", Role::Client, std::nullopt, "Besser.  Viel besser."},
      {"Therapeutin", Role::Therapist, std::nullopt, "Das freut mich."},
      {"Klientin", Role::Client, std::nullopt, "Ich habe geschlafen."},
  };
  EXPECT_EQ(turns_of(in.source), expected);
  EXPECT_EQ(in.source.text.rfind("Sitzung 4\n", 0), 0u);
}

TEST(TranscriptFormats, BrokenDocumentsAreBadInputNamingThem) {
  EXPECT_THROW(parse_docx("PK\x03\x04 truncated", "cut.docx"), BadInput);
  try {
    parse_odt(std::string("PK\x05\x06", 4) + std::string(18, '\0'), "empty.odt");
    ADD_FAILURE();
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("empty.odt"), std::string::npos) << e.what();
  }
  // Hostile cue text never throws; tags without an end are kept as text.
  EXPECT_NO_THROW(parse_vtt("WEBVTT\n\n--> \n<v\n\n00:00.000 --> x\n<b"));
}

}  // namespace
