// The sample study, built exactly as scripts/run builds it (the CLI through
// scripts/build-sample-study), then checked as a methodologist would check the material.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "marginalia/project_store.h"
#include "marginalia/text.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const fs::path kRoot = MARGINALIA_SOURCE_DIR;

class SampleStudy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = fs::temp_directory_path() / ("marginalia-sample-" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::remove(folder_.string() + ".stamp");
    const std::string cmd = (kRoot / "scripts/build-sample-study").string() + " " + MARGINALIA_CLI +
                            " " + folder_.string() + " >/dev/null 2>" + (folder_.string() + ".log");
    const int status = std::system(cmd.c_str());
    build_ok_ = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (build_ok_) store_ = ProjectStore::open(folder_, OpenMode::ReadOnly).release();
  }
  static void TearDownTestSuite() {
    delete store_;
    fs::remove_all(folder_);
    fs::remove(folder_.string() + ".stamp");
    fs::remove(folder_.string() + ".log");
  }
  void SetUp() override {
    std::ifstream log(folder_.string() + ".log");
    std::stringstream messages;
    messages << log.rdbuf();
    ASSERT_TRUE(build_ok_) << "building the sample study failed:\n" << messages.str();
  }
  static const Project& project() { return store_->project(); }

  static fs::path folder_;
  static bool build_ok_;
  static ProjectStore* store_;
};

fs::path SampleStudy::folder_;
bool SampleStudy::build_ok_ = false;
ProjectStore* SampleStudy::store_ = nullptr;

struct Expected {
  std::string source, interviewer, participant;
  Role role;
  std::string encoding;
  bool timestamps;
};

TEST_F(SampleStudy, EveryTranscriptImportsWithItsSpeakersAndRoles) {
  const std::vector<Expected> expected = {
      {"d1_client_lena", "Interviewer", "Lena", Role::Client, "UTF-8", false},
      {"d1_therapist_tomas", "Interviewer", "Tomas", Role::Therapist, "UTF-8", true},
      {"d2_client_daniel", "I", "C", Role::Client, "UTF-8", false},
      {"d2_therapist_ruth", "INTERVIEWER", "THERAPIST", Role::Therapist, "UTF-8", false},
      {"d3_client_amira", "Interviewer", "Amira", Role::Client, "windows-1252", false},
      {"d3_therapist_jonas", "Interviewer", "Jonas", Role::Therapist, "UTF-8", true},
      {"d4_client_peter", "Interviewer", "Peter", Role::Client, "UTF-8", true},
      {"d4_therapist_ingrid", "Interviewer", "Ingrid", Role::Therapist, "UTF-8", true},
  };
  ASSERT_EQ(project().sources.size(), expected.size());
  for (const auto& e : expected) {
    SCOPED_TRACE(e.source);
    const auto it = std::find_if(project().sources.begin(), project().sources.end(),
                                 [&](const Source& s) { return s.name == e.source; });
    ASSERT_NE(it, project().sources.end());
    EXPECT_EQ(it->encoding, e.encoding);
    std::map<std::string, int> turns;
    for (const auto& u : it->utterances) {
      ++turns[u.speaker];
      EXPECT_EQ(u.role, u.speaker == e.interviewer ? Role::Interviewer : e.role) << u.speaker;
      EXPECT_EQ(u.timestamp_ms.has_value(), e.timestamps);
    }
    EXPECT_EQ(turns.size(), 2u);
    EXPECT_GE(turns[e.interviewer], 15);
    EXPECT_GE(turns[e.participant], 15);
    std::istringstream words(it->text);
    EXPECT_GE(std::distance(std::istream_iterator<std::string>(words),
                            std::istream_iterator<std::string>()),
              1500);
    EXPECT_EQ(it->text.find('\r'), std::string::npos);
  }
  // The Windows-1252 file's typographic quotes survive decoding.
  const Source& amira = *std::find_if(project().sources.begin(), project().sources.end(),
                                      [](const Source& s) { return s.name == "d3_client_amira"; });
  EXPECT_NE(amira.text.find("\u2019"), std::string::npos);
}

TEST_F(SampleStudy, ParticipantsAreCasesLinkedToTheirInterviews) {
  ASSERT_EQ(project().cases.size(), 8u);
  std::map<std::string, int> outcomes;
  for (const auto& c : project().cases) {
    SCOPED_TRACE(c.name);
    ASSERT_EQ(c.sources.size(), 1u);
    const Source* source = project().source(c.sources[0]);
    ASSERT_NE(source, nullptr);
    EXPECT_EQ(source->name.substr(0, 2), "d" + c.attributes.at("dyad").substr(1));
    EXPECT_NE(source->name.find(c.attributes.at("role")), std::string::npos);
    ++outcomes[c.attributes.at("outcome")];
  }
  EXPECT_EQ(outcomes["good"], 4);
  EXPECT_EQ(outcomes["poor"], 4);
}

TEST_F(SampleStudy, EveryQuoteAnchoredAndEveryCodeUsed) {
  size_t rows = 0;
  for (const auto& f : fs::directory_iterator(kRoot / "sample_transcripts/codings")) {
    std::ifstream in(f.path());
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') ++rows;
  }
  EXPECT_EQ(project().codings.size(), rows) << "every row of the coding files is one coding";

  std::map<std::string, int> per_coder;
  std::set<std::string> used;
  for (const auto& c : project().codings) {
    ++per_coder[project().coder(c.coder)->name];
    used.insert(c.code);
  }
  ASSERT_EQ(per_coder.size(), 2u);
  EXPECT_GE(per_coder["Ana"], 150);
  EXPECT_GE(per_coder["Ben"], 150);
  size_t codable = 0;
  for (const auto& code : project().codes) {
    if (!code.codable) continue;
    ++codable;
    EXPECT_TRUE(used.count(code.guid)) << code.name << " is used by neither coder";
  }
  EXPECT_GE(codable, 18u);
  EXPECT_LE(codable, 30u);
}

// Each coding of one coder against the other's codings in the same source: the same code over
// overlapping text with other boundaries is a boundary difference; only other codes there is a
// difference of code choice; nothing of the other coder there is an omission.
TEST_F(SampleStudy, CodersDisagreeAsRealCodersDo) {
  std::map<std::string, std::vector<const Coding*>> by_coder;
  for (const auto& c : project().codings) by_coder[project().coder(c.coder)->name].push_back(&c);
  int boundary = 0, omission = 0, code_choice = 0, identical = 0;
  for (const auto& [self, other] : {std::pair{"Ana", "Ben"}, std::pair{"Ben", "Ana"}}) {
    for (const Coding* mine : by_coder[self]) {
      bool same_code = false, same_span = false, any = false;
      for (const Coding* theirs : by_coder[other]) {
        if (theirs->source != mine->source || theirs->end <= mine->start ||
            theirs->start >= mine->end)
          continue;
        any = true;
        if (theirs->code == mine->code) {
          same_code = true;
          same_span |= theirs->start == mine->start && theirs->end == mine->end;
        }
      }
      if (same_span)
        ++identical;
      else if (same_code)
        ++boundary;
      else if (any)
        ++code_choice;
      else
        ++omission;
    }
  }
  boundary /= 2;  // each pair of differing spans was seen from both sides
  EXPECT_GE(boundary, 10);
  EXPECT_GE(omission, 5);
  EXPECT_GE(code_choice, 5);
  EXPECT_GT(identical, boundary + omission + code_choice) << "mostly agreement";
}

TEST_F(SampleStudy, ProjectFileIsValidRefi) {
  const fs::path xsd = fs::path(MARGINALIA_SHARED_DIR) / "refi/xsd/Project.xsd";
  if (!fs::exists(xsd)) GTEST_SKIP() << "no REFI schema at " << xsd;
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "no xmllint";
  const std::string cmd = "xmllint --noout --schema '" + xsd.string() + "' '" +
                          (folder_ / "project.qde").string() + "' 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

}  // namespace
