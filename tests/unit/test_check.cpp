// The project check: each way a project folder can break is named, in its area; repair rebuilds
// derived data and keeps every coding. And project files are readable by their owner only.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "../../core/src/storage/journal.h"
#include "../../core/src/storage/storage_io.h"
#include "marginalia/check.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const std::string kSource = "51000000-0000-4000-8000-000000000001";
const std::string kCode = "c1000000-0000-4000-8000-000000000001";
const std::string kCoder = "a1000000-0000-4000-8000-000000000001";
const std::string kCoding = "e1000000-0000-4000-8000-000000000001";
const std::string kText = "Client: I felt ashamed.\nTherapist: Say more.\n";  // 45 characters

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void spill(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

Coding coding(const std::string& guid, int64_t start, int64_t end) {
  Coding c;
  c.guid = guid;
  c.source = kSource;
  c.start = start;
  c.end = end;
  c.code = kCode;
  c.coder = kCoder;
  return c;
}

class Check : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
              ("marginalia-check-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    ProjectStore::create(folder_, "Check");
    auto store = ProjectStore::open(folder_);
    auto index = SearchIndex::open(folder_, *store);
    store->set_listener(index.get());
    ASSERT_TRUE(store->execute({AddCoder{{kCoder, "Ana"}}, "Add coder"}));
    ASSERT_TRUE(store->execute({AddCodes{{{kCode, "Shame", "#AA0000", "", "", true}}}, "Code"}));
    Source s;
    s.guid = kSource;
    s.name = "lena";
    s.text = kText;
    s.utterances = {{"Client", Role::Client, 8, 23, {}},
                    {"Therapist", Role::Therapist, 35, 44, {}}};
    ASSERT_TRUE(store->execute({AddSource{s}, "Import"}));
    ASSERT_TRUE(store->execute({AddCodings{{coding(kCoding, 8, 22)}}, "Code"}));
    store->snapshot();
    ASSERT_TRUE(store->execute(
        {AddCodings{{coding("e1000000-0000-4000-8000-000000000002", 35, 44)}}, "Code"}));
    // Left with one edit in the journal and the index current.
  }
  void TearDown() override { fs::remove_all(folder_); }

  fs::path journal() const { return folder_ / ".marginalia" / "journal"; }

  // Appends a raw command to the journal, as a buggy or foreign writer might.
  void journal_command(const Command& command) {
    int64_t revision = 0;
    {
      auto store = ProjectStore::open(folder_, OpenMode::ReadOnly);
      revision = store->revision();
    }
    storage::JournalFile file(journal());
    (void)file.read();
    file.append(
        {{"seq", revision + 1}, {"op", "do"}, {"command", storage::command_to_json(command)}});
  }

  // The problems of one area.
  static std::vector<std::string> problems(const CheckReport& report, const std::string& area) {
    std::vector<std::string> found;
    for (const CheckFinding& f : report.findings)
      if (f.severity == CheckFinding::Severity::Problem && f.area == area)
        found.push_back(f.message);
    return found;
  }

  fs::path folder_;
};

::testing::AssertionResult mentions(const std::vector<std::string>& messages,
                                    const std::string& part) {
  for (const std::string& m : messages)
    if (m.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  std::string all;
  for (const std::string& m : messages) all += "\n  " + m;
  return ::testing::AssertionFailure() << "no message mentions \"" << part << "\":" << all;
}

TEST_F(Check, AWholeProjectPasses) {
  const CheckReport report = check_project(folder_);
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(report.findings.empty()) << report.findings.front().message;
}

TEST_F(Check, AnOutdatedIndexIsANoteNotAProblem) {
  {
    auto store = ProjectStore::open(folder_);  // no index listening
    ASSERT_TRUE(store->execute(
        {AddCodings{{coding("e1000000-0000-4000-8000-000000000003", 0, 6)}}, "Code"}));
  }
  const CheckReport report = check_project(folder_);
  EXPECT_TRUE(report.ok());
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].area, "index");
  EXPECT_EQ(report.findings[0].severity, CheckFinding::Severity::Note);
}

TEST_F(Check, ADamagedJournalLineIsNamed) {
  journal_command({AddCodings{{coding("e1000000-0000-4000-8000-000000000003", 0, 6)}}, "Code"});
  std::string bytes = slurp(journal());
  bytes[12] = bytes[12] == 'x' ? 'y' : 'x';  // inside line 1's JSON: its checksum no longer fits
  spill(journal(), bytes);
  const CheckReport report = check_project(folder_);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(mentions(problems(report, "journal"), "line 1 is damaged"));
  EXPECT_TRUE(mentions(problems(report, "journal"), journal().string()));
  EXPECT_TRUE(problems(report, "snapshot").empty()) << "the open's failure is the same finding";
}

TEST_F(Check, ATornLastEntryIsOnlyANote) {
  spill(journal(), slurp(journal()) + "0badc0de {\"seq\":9,");
  const CheckReport report = check_project(folder_);
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(std::any_of(report.findings.begin(), report.findings.end(), [](const auto& f) {
    return f.area == "journal" && f.message.find("incomplete entry") != std::string::npos;
  }));
}

TEST_F(Check, ACodingOutsideItsTextIsNamed) {
  journal_command({AddCodings{{coding("e1000000-0000-4000-8000-000000000009", 40, 46)}}, "Code"});
  const CheckReport report = check_project(folder_);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(mentions(problems(report, "offsets"),
                       "coding e1000000-0000-4000-8000-000000000009 spans [40, 46)"));
  EXPECT_TRUE(mentions(problems(report, "offsets"), "45 characters"));
}

TEST_F(Check, ASelectionOutsideItsTextInTheSnapshotIsNamed) {
  std::string qde = slurp(folder_ / "project.qde");
  const size_t at = qde.find("endPosition=\"22\"");
  ASSERT_NE(at, std::string::npos);
  qde.replace(at, 16, "endPosition=\"99\"");
  spill(folder_ / "project.qde", qde);
  const CheckReport report = check_project(folder_);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(mentions(problems(report, "snapshot"),
                       "source \"lena\": selection e1000000-0000-4000-8000-000000000001 [8, 99): "
                       "its end lies outside the text"));
}

TEST_F(Check, MissingCodeCoderAndSourceAreNamed) {
  Coding c = coding("e1000000-0000-4000-8000-000000000009", 0, 6);
  c.code = "c1000000-0000-4000-8000-00000000dead";
  c.coder = "a1000000-0000-4000-8000-00000000dead";
  Coding d = coding("e1000000-0000-4000-8000-00000000000a", 0, 6);
  d.source = "51000000-0000-4000-8000-00000000dead";
  journal_command({AddCodings{{c, d}}, "Code"});
  const CheckReport report = check_project(folder_);
  const std::vector<std::string> found = problems(report, "references");
  EXPECT_TRUE(mentions(found, "names a code c1000000-0000-4000-8000-00000000dead"));
  EXPECT_TRUE(mentions(found, "names a coder a1000000-0000-4000-8000-00000000dead"));
  EXPECT_TRUE(mentions(found, "names a source 51000000-0000-4000-8000-00000000dead"));
}

TEST_F(Check, AMissingSourceFileIsNamed) {
  const fs::path text = folder_ / "sources" / (kSource + ".txt");
  fs::remove(text);
  const CheckReport report = check_project(folder_);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(mentions(problems(report, "snapshot"), "missing file " + text.string()));
}

TEST_F(Check, AnIndexThatDisagreesWithTheTextIsRepairedKeepingEveryCoding) {
  // The text changed behind the project's back (same length, other words): the index, current by
  // its revision, no longer reflects it.
  const fs::path text = folder_ / "sources" / (kSource + ".txt");
  std::string changed = kText;
  changed.replace(changed.find("ashamed"), 7, "relaxed");
  spill(text, changed);
  CheckReport report = check_project(folder_);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(mentions(problems(report, "index"), "source \"lena\""));

  report = check_project(folder_, true);
  EXPECT_TRUE(report.ok()) << report.findings.front().message;
  ASSERT_EQ(report.repairs.size(), 1u);
  EXPECT_NE(report.repairs[0].find("rebuilt the search index"), std::string::npos);
  auto store = ProjectStore::open(folder_, OpenMode::ReadOnly);
  EXPECT_EQ(store->project().codings.size(), 2u);
}

TEST_F(Check, ADamagedIndexIsRepairedButBrokenCodingsStayAndAreStillNamed) {
  journal_command({AddCodings{{coding("e1000000-0000-4000-8000-000000000009", 40, 46)}}, "Code"});
  for (const fs::directory_entry& e : fs::directory_iterator(folder_ / ".marginalia" / "index"))
    if (e.path().extension() == ".glass") spill(e.path(), "not a xapian table");
  CheckReport report = check_project(folder_);
  EXPECT_TRUE(mentions(problems(report, "index"), "cannot be read"));

  report = check_project(folder_, true);
  EXPECT_TRUE(problems(report, "index").empty());
  EXPECT_TRUE(mentions(problems(report, "offsets"), "e1000000-0000-4000-8000-000000000009"));
  auto store = ProjectStore::open(folder_, OpenMode::ReadOnly);
  EXPECT_EQ(store->project().codings.size(), 3u) << "repair deletes no coding";
}

TEST_F(Check, LeftoversOfInterruptedWritesAreNotedAndRemovedByRepair) {
  const fs::path temp = folder_ / "project.qde.tmp-4242-0";
  spill(temp, "<?xml half");
  CheckReport report = check_project(folder_);
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(std::any_of(report.findings.begin(), report.findings.end(),
                          [&](const auto& f) { return f.message.find(temp.string()) == 0; }));
  report = check_project(folder_, true);
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(report.findings.empty());
}

TEST_F(Check, AFolderWithoutAProjectIsAProblem) {
  const fs::path empty = folder_ / "sources";
  const CheckReport report = check_project(empty);
  EXPECT_TRUE(mentions(problems(report, "snapshot"), "has no project.qde"));
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

TEST_F(Check, ProjectFilesAreReadableByTheirOwnerOnly) {
  auto store = ProjectStore::open(folder_);
  store->snapshot();
  const fs::path meta = folder_ / ".marginalia";
  EXPECT_EQ(mode_of(folder_), 0700u);
  EXPECT_EQ(mode_of(folder_ / "project.qde"), 0600u);
  EXPECT_EQ(mode_of(folder_ / "sources"), 0700u);
  EXPECT_EQ(mode_of(folder_ / "sources" / (kSource + ".txt")), 0600u);
  EXPECT_EQ(mode_of(meta), 0700u);
  EXPECT_EQ(mode_of(meta / "model.json"), 0600u);
  EXPECT_EQ(mode_of(meta / "journal"), 0600u);
  EXPECT_EQ(mode_of(meta / "lock"), 0600u);
  EXPECT_EQ(mode_of(meta / "index"), 0700u);
  auto index = SearchIndex::open(folder_, *store);
  index->rebuild(*store);
  for (const fs::directory_entry& e : fs::directory_iterator(meta / "index"))
    EXPECT_EQ(mode_of(e.path()) & 077, 0u) << e.path();
}

}  // namespace
