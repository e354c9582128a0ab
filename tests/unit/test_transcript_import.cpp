// import_transcript: a file on disk -> Source and report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace marginalia {
namespace {

namespace fs = std::filesystem;

class TranscriptImport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("marginalia_import_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  fs::path dir_;
};

TEST_F(TranscriptImport, FillsTheSourceAndReport) {
  const auto file = write("d1_client_lena.txt",
                          "Interviewer: How did it feel?\r\n"
                          "Lena: Honestly I was frightened.\r\n"
                          "Interviewer: And now?\r\n");
  const auto imported = import_transcript(file, RoleMap::defaults());
  const Source& source = imported.source;
  EXPECT_FALSE(source.guid.empty());
  EXPECT_EQ(source.name, "d1_client_lena");
  EXPECT_EQ(
      source.text,
      "Interviewer: How did it feel?\nLena: Honestly I was frightened.\nInterviewer: And now?\n");
  EXPECT_EQ(source.origin_file, "d1_client_lena.txt");
  EXPECT_EQ(source.origin_format, "text/plain; Name: text");
  EXPECT_EQ(source.encoding, "UTF-8");
  EXPECT_FALSE(source.created.empty());
  ASSERT_EQ(source.utterances.size(), 3u);
  EXPECT_EQ(source.utterances, imported.turns.utterances);
  EXPECT_EQ(substring_cp(source.text, source.utterances[1].start, source.utterances[1].end),
            "Honestly I was frightened.");
  EXPECT_EQ(imported.report,
            "d1_client_lena.txt: UTF-8, CRLF converted, layout \"Name: text\", no timestamps, "
            "3 turns\n"
            "  Interviewer (interviewer) 2 turns\n"
            "  Lena (unknown role: map it with --role \"Lena=ROLE\") 1 turn\n");
}

TEST_F(TranscriptImport, ReportsBomEncodingAndTimestamps) {
  const auto file = write("s.txt", "\xEF\xBB\xBF[00:00:01] T: Hello.\n[00:00:04] C: Hi.\n");
  const auto imported = import_transcript(file, RoleMap::defaults());
  EXPECT_EQ(imported.report,
            "s.txt: UTF-8, BOM, LF, layout \"[hh:mm:ss] Name: text\", timestamps, 2 turns\n"
            "  T (therapist) 1 turn\n"
            "  C (client) 1 turn\n");
  EXPECT_EQ(imported.source.utterances[1].timestamp_ms, 4000);
}

TEST_F(TranscriptImport, Windows1252FileAndEncodingOverride) {
  const std::string bytes = "Lena: I said \x93no\x94 to the caf\xE9.\nLena: Again.\n";
  const auto file = write("w.txt", bytes);
  const auto detected = import_transcript(file, RoleMap::defaults());
  EXPECT_EQ(detected.source.encoding, "windows-1252");
  EXPECT_EQ(detected.source.text, "Lena: I said “no” to the café.\nLena: Again.\n");
  EXPECT_THROW(import_transcript(file, RoleMap::defaults(), "UTF-8"), BadInput);
}

TEST_F(TranscriptImport, InvalidUtf8NamesTheFile) {
  const auto file = write("interview.txt", "I: caf\xC3\xA9\nC: \xC3(\n");
  try {
    import_transcript(file, RoleMap::defaults());
    FAIL() << "no error";
  } catch (const BadInput& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ": invalid UTF-8 at byte 12");
  }
}

TEST_F(TranscriptImport, MissingFile) {
  const auto file = dir_ / "absent.txt";
  try {
    import_transcript(file, RoleMap::defaults());
    FAIL() << "no error";
  } catch (const BadInput& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read " + file.string() + ": No such file or directory");
  }
}

TEST_F(TranscriptImport, ParagraphsReport) {
  const auto file = write("notes.txt", "First.\n\nSecond.\n");
  const auto imported = import_transcript(file, RoleMap::defaults());
  EXPECT_EQ(imported.report,
            "notes.txt: UTF-8, LF, layout \"paragraphs\", no timestamps, 2 turns\n"
            "  (no speaker label) (unknown role) 2 turns\n");
}

}  // namespace
}  // namespace marginalia
