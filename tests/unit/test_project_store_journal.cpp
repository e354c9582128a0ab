#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "marginalia/error.h"
#include "marginalia/project_store.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kFolderCode = "c1000000-0000-4000-8000-000000000001";
const std::string kShame = "c1000000-0000-4000-8000-000000000002";
const std::string kRupture = "c1000000-0000-4000-8000-000000000003";
const std::string kSource = "51000000-0000-4000-8000-000000000001";
const std::string kCoder = "a1000000-0000-4000-8000-000000000001";
const std::string kText = "Client: Ich schämte mich 😳, c'était trop.\nTherapist: Mm.\n";

Command add_codes() {
  return {AddCodes{{{kFolderCode, "Affects", "#112233", "folder", "", false},
                    {kShame, "Shame", "#AA0000", "Definition:\nhiding", kFolderCode, true},
                    {kRupture, "Rupture", "", "", "", true}}},
          "Add codes"};
}
Command add_source() {
  Source s;
  s.guid = kSource;
  s.name = "lena";
  s.text = kText;
  s.utterances = {{"Client", Role::Client, 8, 42, 1500},
                  {"Therapist", Role::Therapist, 54, 57, {}}};
  s.attributes = {{"participant", "P01"}};
  s.origin_file = "lena.txt";
  s.origin_format = "Name: text";
  s.encoding = "UTF-8";
  return {AddSource{s}, "Import lena.txt"};
}
Command add_coding(const std::string& guid, int64_t start, int64_t end, const std::string& code) {
  Coding c;
  c.guid = guid;
  c.source = kSource;
  c.start = start;
  c.end = end;
  c.code = code;
  c.coder = kCoder;
  c.memo = "memo of " + guid.substr(0, 8);
  return {AddCodings{{c}}, "Code " + guid.substr(34)};
}

// The edits every test below makes: coder, codes, a source, two codings, one undone.
void make_edits(ProjectStore& store) {
  ASSERT_TRUE(store.execute({AddCoder{{kCoder, "Ana"}}, "Add coder"}));
  ASSERT_TRUE(store.execute(add_codes()));
  ASSERT_TRUE(store.execute(add_source()));
  ASSERT_TRUE(store.execute(add_coding("e1000000-0000-4000-8000-000000000001", 12, 19, kShame)));
  ASSERT_TRUE(store.execute(add_coding("e1000000-0000-4000-8000-000000000002", 8, 27, kRupture)));
  ASSERT_TRUE(store.undo());
}

void expect_edits(const Project& p) {
  ASSERT_NE(p.coder(kCoder), nullptr);
  EXPECT_EQ(p.codes.size(), 3u);
  ASSERT_NE(p.source(kSource), nullptr);
  EXPECT_EQ(p.source(kSource)->text, kText);
  EXPECT_EQ(p.source(kSource)->utterances,
            std::get<AddSource>(add_source().action).source.utterances);
  EXPECT_EQ(p.source(kSource)->attributes.at("participant"), "P01");
  ASSERT_NE(p.coding("e1000000-0000-4000-8000-000000000001"), nullptr);
  EXPECT_EQ(p.coding("e1000000-0000-4000-8000-000000000001")->memo, "memo of e1000000");
  EXPECT_EQ(p.coding("e1000000-0000-4000-8000-000000000002"), nullptr) << "was undone";
}

class ProjectStoreJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/marginalia-journal-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    folder_ = dir_ / "p";
    ProjectStore::create(folder_, "Journal test");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path journal() const { return folder_ / ".marginalia" / "journal"; }
  fs::path dir_;
  fs::path folder_;
};

}  // namespace

TEST_F(ProjectStoreJournalTest, AcknowledgedEditsSurviveAKilledWriter) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The writer: edits acknowledged and the store closed, then killed before any snapshot.
    {
      auto store = ProjectStore::open(folder_);
      make_edits(*store);
    }
    raise(SIGKILL);
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // The killed writer left only its journal: project.qde still has the empty project.
  EXPECT_EQ(slurp(folder_ / "project.qde").find("Shame"), std::string::npos);
  auto store = ProjectStore::open(folder_);
  expect_edits(store->project());
  EXPECT_EQ(store->redo_label(), "Code 02");
  EXPECT_TRUE(store->redo());
  EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000002"), nullptr);
}

TEST_F(ProjectStoreJournalTest, KilledMidSessionWithLockHeldIsReplayedAndLockTakenOver) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = ProjectStore::open(folder_);
    make_edits(*store);
    raise(SIGKILL);  // between append and snapshot, the lock still held
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(fs::exists(folder_ / ".marginalia" / "lock"));
  auto store = ProjectStore::open(folder_);  // stale lock of a dead pid is taken over
  expect_edits(store->project());
  store->snapshot();
  EXPECT_EQ(fs::file_size(journal()), 0u);
  store.reset();
  EXPECT_FALSE(fs::exists(folder_ / ".marginalia" / "lock")) << "released on close";
  auto reopened = ProjectStore::open(folder_, OpenMode::ReadOnly);
  expect_edits(reopened->project());
}

TEST_F(ProjectStoreJournalTest, TornLastLineIsIgnoredAndCutOffByTheNextWrite) {
  {
    auto store = ProjectStore::open(folder_);
    make_edits(*store);
  }
  const std::string intact = slurp(journal());
  std::ofstream(journal(), std::ios::app | std::ios::binary)
      << "1234abcd {\"seq\":7,\"op\":\"do\",\"command\":{\"type\":\"add_co";
  {
    auto store = ProjectStore::open(folder_);
    expect_edits(store->project());
    EXPECT_TRUE(store->execute(add_coding("e1000000-0000-4000-8000-000000000003", 30, 35, kShame)));
  }
  const std::string after = slurp(journal());
  EXPECT_EQ(after.rfind(intact, 0), 0u);
  EXPECT_EQ(after.find("add_co\""), std::string::npos);
  EXPECT_EQ(after.find("1234abcd"), std::string::npos) << "torn line cut away";
  auto store = ProjectStore::open(folder_, OpenMode::ReadOnly);
  expect_edits(store->project());
  EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000003"), nullptr);
}

TEST_F(ProjectStoreJournalTest, DamagedLineBeforeIntactOnesIsBadInputNamingJournalAndLine) {
  {
    auto store = ProjectStore::open(folder_);
    make_edits(*store);
  }
  std::string bytes = slurp(journal());
  bytes[bytes.find("Affects")] = 'X';  // line 2: checksum no longer matches
  std::ofstream(journal(), std::ios::binary | std::ios::trunc) << bytes;
  try {
    ProjectStore::open(folder_, OpenMode::ReadOnly);
    FAIL() << "expected BadInput";
  } catch (const BadInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("journal"), std::string::npos) << what;
    EXPECT_NE(what.find("line 2"), std::string::npos) << what;
  }
}

TEST_F(ProjectStoreJournalTest, JournalLinesAreChecksummedJson) {
  {
    auto store = ProjectStore::open(folder_);
    ASSERT_TRUE(store->execute({AddCoder{{kCoder, "Ana"}}, "Add coder"}));
    EXPECT_FALSE(store->undo_label().has_value());  // a new coder is no step of its own to undo
    ASSERT_TRUE(store->execute(
        {AddCodes{{Code{"c1000000-0000-4000-8000-000000000001", "Trust", "", "", "", true}}},
         "Add code"}));
    ASSERT_TRUE(store->undo());
  }
  const std::string bytes = slurp(journal());
  const size_t newline = bytes.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(bytes[8], ' ');
  EXPECT_NE(bytes.find("{\"command\":{"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("\"op\":\"do\",\"seq\":1}\n"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("{\"op\":\"undo\",\"seq\":3}\n"), std::string::npos) << bytes;
}

TEST_F(ProjectStoreJournalTest, UndoAndRedoSurviveReopenAndSnapshot) {
  {
    auto store = ProjectStore::open(folder_);
    make_edits(*store);
    EXPECT_EQ(store->undo_label(), "Code 01");
  }
  {
    auto store = ProjectStore::open(folder_);  // from the journal
    EXPECT_EQ(store->redo_label(), "Code 02");
    EXPECT_EQ(store->undo_label(), "Code 01");
    store->snapshot();
  }
  {
    auto store = ProjectStore::open(folder_);  // from model.json
    expect_edits(store->project());
    ASSERT_TRUE(store->redo());
    EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000002"), nullptr);
    ASSERT_TRUE(store->undo());
    ASSERT_TRUE(store->undo());
    EXPECT_EQ(store->project().coding("e1000000-0000-4000-8000-000000000001"), nullptr);
    ASSERT_TRUE(store->undo());  // the source
    EXPECT_EQ(store->project().source(kSource), nullptr);
  }
  {
    auto store = ProjectStore::open(folder_);
    EXPECT_EQ(store->project().source(kSource), nullptr);
    EXPECT_EQ(store->redo_label(), "Import lena.txt");
    ASSERT_TRUE(store->redo());  // the text comes back from sources/<guid>.txt
    ASSERT_NE(store->project().source(kSource), nullptr);
    EXPECT_EQ(store->project().source(kSource)->text, kText);
    store->snapshot();
  }
  auto store = ProjectStore::open(folder_, OpenMode::ReadOnly);
  ASSERT_NE(store->project().source(kSource), nullptr);
  EXPECT_EQ(store->project().source(kSource)->utterances.size(), 2u);
}

TEST_F(ProjectStoreJournalTest, SnapshotTwiceWritesTheSameBytes) {
  auto store = ProjectStore::open(folder_);
  make_edits(*store);
  store->snapshot();
  const std::string qde = slurp(folder_ / "project.qde");
  const std::string model = slurp(folder_ / ".marginalia" / "model.json");
  store->snapshot();
  EXPECT_EQ(slurp(folder_ / "project.qde"), qde);
  EXPECT_EQ(slurp(folder_ / ".marginalia" / "model.json"), model);
  store.reset();
  auto reopened = ProjectStore::open(folder_);
  reopened->snapshot();
  EXPECT_EQ(slurp(folder_ / "project.qde"), qde);
  EXPECT_EQ(slurp(folder_ / ".marginalia" / "model.json"), model);
}

TEST_F(ProjectStoreJournalTest, CrashBetweenQdeAndModelRenamesIsMended) {
  Project expected;
  std::string old_model;
  std::string full_journal;
  {
    auto store = ProjectStore::open(folder_);
    make_edits(*store);
    expected = store->project();
    old_model = slurp(folder_ / ".marginalia" / "model.json");
    full_journal = slurp(journal());
    store->snapshot();
  }
  // As if the crash came after project.qde's rename: old model.json and the whole journal.
  std::ofstream(folder_ / ".marginalia" / "model.json", std::ios::binary | std::ios::trunc)
      << old_model;
  std::ofstream(journal(), std::ios::binary | std::ios::trunc) << full_journal;
  auto store = ProjectStore::open(folder_);
  expect_edits(store->project());
  EXPECT_EQ(store->project().source(kSource)->utterances, expected.source(kSource)->utterances);
  EXPECT_EQ(store->project().codes, expected.codes);
  EXPECT_EQ(store->project().codings, expected.codings);
  EXPECT_EQ(store->redo_label(), "Code 02");
}

TEST_F(ProjectStoreJournalTest, FailedJournalAppendLeavesTheModelUnchanged) {
  auto store = ProjectStore::open(folder_);
  ASSERT_TRUE(store->execute({AddCoder{{kCoder, "Ana"}}, "Add coder"}));
  store->snapshot();
  store.reset();
  store = ProjectStore::open(folder_);
  const Project before = store->project();
  // The journal can't be opened for writing: a folder stands in its place.
  fs::remove(journal());
  fs::create_directory(journal());
  try {
    store->execute(add_codes());
    FAIL() << "expected EnvironmentError";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("journal"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store->project(), before);
  EXPECT_FALSE(store->undo_label().has_value() && *store->undo_label() == "Add codes");
}

TEST_F(ProjectStoreJournalTest, ReadOnlyNeverWrites) {
  auto store = ProjectStore::open(folder_, OpenMode::ReadOnly);
  EXPECT_FALSE(fs::exists(folder_ / ".marginalia" / "lock"));
  EXPECT_THROW(store->execute(add_codes()), EnvironmentError);
  EXPECT_THROW(store->snapshot(), EnvironmentError);
  EXPECT_EQ(fs::file_size(journal()), 0u);
}

TEST_F(ProjectStoreJournalTest, CoderGuidAddsANewCoderOnce) {
  auto store = ProjectStore::open(folder_);
  const std::string ana = store->coder_guid("Ana");
  EXPECT_EQ(store->coder_guid("Ana"), ana);
  EXPECT_NE(store->coder_guid("Bo"), ana);
  store.reset();
  auto reopened = ProjectStore::open(folder_, OpenMode::ReadOnly);
  ASSERT_NE(reopened->project().coder_named("Ana"), nullptr);
  EXPECT_EQ(reopened->project().coder_named("Ana")->guid, ana);
}

TEST_F(ProjectStoreJournalTest, SourcesAddedInOneBatchHaveTheirTextsOnDiskBeforeTheJournal) {
  // Many transcripts imported as one undoable step (the app's import): every text is written.
  Source second = std::get<AddSource>(add_source().action).source;
  second.guid = "51000000-0000-4000-8000-000000000002";
  second.name = "tomas";
  second.origin_file = "tomas.txt";
  {
    auto store = ProjectStore::open(folder_);
    ASSERT_TRUE(
        store->execute({Batch{{add_source().action, AddSource{second}}}, "Import 2 transcripts"}));
  }  // no snapshot: the journal alone must be enough
  auto store = ProjectStore::open(folder_);
  ASSERT_EQ(store->project().sources.size(), 2u);
  EXPECT_EQ(store->project().source(second.guid)->text, kText);
  EXPECT_EQ(slurp(folder_ / "sources" / (second.guid + ".txt")), kText);
  store->snapshot();
  EXPECT_EQ(ProjectStore::open(folder_, OpenMode::ReadOnly)->project().sources.size(), 2u);
}

TEST_F(ProjectStoreJournalTest, UndoTwiceRedoTwiceThenSnapshotKeepsBothEdits) {
  {
    auto store = ProjectStore::open(folder_);
    ASSERT_TRUE(store->execute({AddCoder{{kCoder, "Ana"}}, "Add coder"}));
    ASSERT_TRUE(store->execute(add_codes()));
    ASSERT_TRUE(store->execute(add_source()));
    store->snapshot();
    ASSERT_TRUE(store->execute(add_coding("e1000000-0000-4000-8000-000000000001", 12, 19, kShame)));
    ASSERT_TRUE(
        store->execute(add_coding("e1000000-0000-4000-8000-000000000002", 8, 27, kRupture)));
    ASSERT_TRUE(store->undo());
    ASSERT_TRUE(store->undo());
    ASSERT_TRUE(store->redo());
    ASSERT_TRUE(store->redo());
    store->snapshot();
  }
  {
    auto store = ProjectStore::open(folder_);
    EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000001"), nullptr);
    EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000002"), nullptr);
    ASSERT_TRUE(store->execute(add_coding("e1000000-0000-4000-8000-000000000003", 8, 12, kShame)));
  }  // no snapshot after the last edit
  auto store = ProjectStore::open(folder_);
  EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000001"), nullptr);
  EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000002"), nullptr);
  EXPECT_NE(store->project().coding("e1000000-0000-4000-8000-000000000003"), nullptr);
}
