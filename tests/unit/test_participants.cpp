// Participants from a CSV table become cases with attributes, linked to their transcripts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "marginalia/commands.h"
#include "marginalia/error.h"
#include "marginalia/participants.h"

using namespace marginalia;
namespace fs = std::filesystem;

namespace {

Project two_transcripts() {
  Project p;
  for (const char* name : {"d1_client_lena", "d1_therapist_tomas"}) {
    Source s;
    s.guid = new_guid();
    s.name = name;
    s.origin_file = std::string(name) + ".txt";
    s.text = "Interviewer: Hello.";
    p.sources.push_back(s);
  }
  return p;
}

class Participants : public ::testing::Test {
 protected:
  fs::path write(const std::string& bytes) {
    const fs::path file =
        fs::temp_directory_path() /
        ("participants-" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".csv");
    std::ofstream(file, std::ios::binary) << bytes;
    files_.push_back(file);
    return file;
  }
  void TearDown() override {
    for (const auto& f : files_) fs::remove(f);
  }
  std::vector<fs::path> files_;
};

TEST(Csv, QuotedFieldsDoubledQuotesAndCrlf) {
  const auto rows = parse_csv(
      "id,note\r\nC01,\"said \"\"fine\"\", then left\"\r\nC02,\"two\nlines\"\r\n", "t.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][1], "said \"fine\", then left");
  EXPECT_EQ(rows[2][1], "two\nlines");
  EXPECT_THROW(parse_csv("id,note\nC01,\"never closed\n", "t.csv"), BadInput);
}

TEST_F(Participants, RowsBecomeCasesLinkedToSources) {
  Project p = two_transcripts();
  const fs::path file = write(
      "participant,transcripts,role,outcome\n"
      "C01,d1_client_lena.txt,client,good\n"
      "T01,d1_therapist_tomas,therapist,good\n");
  std::vector<Case> cases = read_participants(file, p);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].name, "C01");
  EXPECT_EQ(cases[0].attributes.at("outcome"), "good");
  EXPECT_EQ(cases[0].attributes.count("transcripts"), 0u);
  ASSERT_EQ(cases[0].sources.size(), 1u);
  EXPECT_EQ(cases[0].sources[0], p.sources[0].guid);
  EXPECT_EQ(cases[1].sources[0], p.sources[1].guid);

  // Loading, then loading a corrected table, then undoing restores the first version.
  Command first = prepare(p, Command{SetCases{cases, {}}, "Load"});
  apply(p, first);
  const Project after_first = p;
  const fs::path corrected = write(
      "participant,transcripts,role,outcome\n"
      "C01,d1_client_lena.txt,client,poor\n"
      "T01,d1_therapist_tomas,therapist,good\n");
  Command second = prepare(p, Command{SetCases{read_participants(corrected, p), {}}, "Load"});
  ASSERT_EQ(std::get<SetCases>(second.action).cases.size(), 1u);  // only C01 changed
  apply(p, second);
  EXPECT_EQ(p.cases.size(), 2u);
  EXPECT_EQ(p.cases[0].guid, after_first.cases[0].guid);  // the same case, updated
  EXPECT_EQ(p.cases[0].attributes.at("outcome"), "poor");
  apply(p, prepare(p, inverse(second)));
  EXPECT_EQ(p, after_first);
  apply(p, prepare(p, inverse(first)));
  EXPECT_TRUE(p.cases.empty());
}

TEST_F(Participants, BadRowsNameFileAndLine) {
  Project p = two_transcripts();
  try {
    read_participants(write("participant,transcripts\nC01,d9_nobody.txt\n"), p);
    FAIL() << "unknown source accepted";
  } catch (const BadInput& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(".csv:2:"), std::string::npos) << m;
    EXPECT_NE(m.find("d9_nobody.txt"), std::string::npos) << m;
  }
  EXPECT_THROW(read_participants(write("participant,role\nC01,client\nC01,client\n"), p), BadInput);
  EXPECT_THROW(read_participants(write("participant,role\nC01\n"), p), BadInput);
  EXPECT_THROW(read_participants(write("participant,role\n"), p), BadInput);
}

TEST_F(Participants, Windows1252FromExcelIsDecoded) {
  Project p = two_transcripts();
  const auto cases = read_participants(write("participant,note\r\nC01,caf\xe9 \x93ok\x94\r\n"), p);
  EXPECT_EQ(cases[0].attributes.at("note"), "caf\u00e9 \u201cok\u201d");
}

}  // namespace
