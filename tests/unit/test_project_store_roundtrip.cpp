#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../../core/src/storage/storage_io.h"
#include "marginalia/check.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/transcript.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool have_xmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

// A project with everything project.qde and model.json hold: emoji and accents in the text,
// a code tree with a folder, two coders, overlapping codings, memos on every kind of target.
Project rich_project() {
  Project p;
  p.guid = "9d3c5a6e-0000-4000-8000-000000000001";
  p.name = "Alliance study — Zürich";
  p.language = "de";
  p.created = "2026-01-02T03:04:05Z";
  p.settings = {{"pinned.1", "c0000000-0000-4000-8000-000000000002"}, {"view", "stripes"}};
  p.coders = {{"a0000000-0000-4000-8000-000000000001", "Ana"},
              {"a0000000-0000-4000-8000-000000000002", "Bjørn"}};
  p.codes = {
      {"c0000000-0000-4000-8000-000000000001", "Affects", "#336699", "Folder of feelings", "",
       false},
      {"c0000000-0000-4000-8000-000000000002", "Shame", "#AA0000",
       "Definition:\nhiding 😳\nExample:\n\"I wanted to disappear\"",
       "c0000000-0000-4000-8000-000000000001", true},
      {"c0000000-0000-4000-8000-000000000003", "Rupture", "", "", "", true},
      // A child listed after an unrelated top-level code: order kept through model.json.
      {"c0000000-0000-4000-8000-000000000004", "Withdrawal", "#00AA00", "",
       "c0000000-0000-4000-8000-000000000001", true},
  };
  Source s1;
  s1.guid = "50000000-0000-4000-8000-000000000001";
  s1.name = "d1_client_léna";
  s1.text =
      "Therapist: How was the week? 🙂\nClient: Ich schämte mich — really, je suis désolée "
      "😳.\n";
  s1.utterances = {{"Therapist", Role::Therapist, 11, 31, std::nullopt},
                   {"Client", Role::Client, 39, 84, 61000}};
  s1.attributes = {{"participant", "P07"}, {"date", "2025-10-01"}};
  s1.origin_file = "d1_client_lena.txt";
  s1.origin_format = "text/plain; speaker turns Name:";
  s1.encoding = "windows-1252";
  s1.created = "2026-01-02T03:05:00Z";
  Source s2;
  s2.guid = "50000000-0000-4000-8000-000000000002";
  s2.name = "second";
  s2.text = "Just one paragraph, no speakers.\n\nAnd a second ✨ one.";
  s2.utterances = {{"", Role::Unknown, 0, 32, std::nullopt},
                   {"", Role::Unknown, 34, 53, std::nullopt}};
  s2.created = "2026-01-02T03:06:00Z";
  p.sources = {s1, s2};
  // Made in an order that grouping by source would change.
  p.codings = {
      {"e0000000-0000-4000-8000-000000000001", s2.guid, 0, 4,
       "c0000000-0000-4000-8000-000000000003", p.coders[0].guid, "2026-01-02T03:07:00Z", ""},
      {"e0000000-0000-4000-8000-000000000002", s1.guid, 43, 50,
       "c0000000-0000-4000-8000-000000000002", p.coders[1].guid, "2026-01-02T03:08:00Z",
       "strong <affect> & \"quote\""},
      {"e0000000-0000-4000-8000-000000000003", s1.guid, 39, 84,
       "c0000000-0000-4000-8000-000000000004", p.coders[0].guid, "2026-01-02T03:09:00Z", ""},
  };
  p.cases = {{"ca000000-0000-4000-8000-000000000001",
              "P07",
              {{"dyad", "D1"}, {"outcome", "good"}},
              {s1.guid}}};
  p.memos = {
      {"f0000000-0000-4000-8000-000000000001", MemoTarget::Project, "", "Project memo\nline 2",
       "2026-01-02T03:10:00Z"},
      {"f0000000-0000-4000-8000-000000000002", MemoTarget::Source, s1.guid, "About Léna 🙂",
       "2026-01-02T03:11:00Z"},
      {"f0000000-0000-4000-8000-000000000003", MemoTarget::Code,
       "c0000000-0000-4000-8000-000000000002", "Shame needs care", "2026-01-02T03:12:00Z"},
      {"f0000000-0000-4000-8000-000000000004", MemoTarget::Coding,
       "e0000000-0000-4000-8000-000000000002", "Check with Bjørn", "2026-01-02T03:13:00Z"},
  };
  return p;
}

class ProjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/marginalia-store-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

}  // namespace

TEST_F(ProjectStoreTest, RichProjectRoundTripsThroughTheFolder) {
  const Project original = rich_project();
  const fs::path folder = dir_ / "p";
  ProjectStore::create_from(folder, original);
  EXPECT_EQ(slurp(folder / "sources" / (original.sources[0].guid + ".txt")),
            original.sources[0].text);
  {
    auto store = ProjectStore::open(folder, OpenMode::ReadOnly);
    EXPECT_EQ(store->project(), original);
  }
  const std::string first_qde = slurp(folder / "project.qde");
  const std::string first_model = slurp(folder / ".marginalia" / "model.json");
  {
    auto store = ProjectStore::open(folder);
    EXPECT_EQ(store->project(), original);
    store->snapshot();
  }
  EXPECT_EQ(slurp(folder / "project.qde"), first_qde);
  EXPECT_EQ(slurp(folder / ".marginalia" / "model.json"), first_model);
  auto store = ProjectStore::open(folder, OpenMode::ReadOnly);
  EXPECT_EQ(store->project(), original);
}

TEST_F(ProjectStoreTest, ProjectQdeHasTheAgreedShape) {
  const Project original = rich_project();
  const fs::path folder = dir_ / "p";
  ProjectStore::create_from(folder, original);
  const std::string qde = slurp(folder / "project.qde");
  EXPECT_EQ(qde.rfind("<?xml", 0), 0u) << "no BOM, declaration first";
  EXPECT_EQ(qde.find('\r'), std::string::npos);
  EXPECT_NE(qde.find("xmlns=\"urn:QDA-XML:project:1.0\""), std::string::npos);
  EXPECT_NE(qde.find("origin=\"Marginalia 0.1\""), std::string::npos);
  EXPECT_NE(qde.find("plainTextPath=\"internal://50000000-0000-4000-8000-000000000001.txt\""),
            std::string::npos);
  // Selection name: the quoted text, start/end in code points.
  EXPECT_NE(qde.find("name=\"schämte\" startPosition=\"43\" endPosition=\"50\""), std::string::npos)
      << qde;
  EXPECT_NE(qde.find("isCodable=\"false\""), std::string::npos);
  EXPECT_NE(qde.find("<NoteRef targetGUID=\"f0000000-0000-4000-8000-000000000004\""),
            std::string::npos);
}

TEST_F(ProjectStoreTest, ProjectQdeValidatesAgainstSchema) {
  const fs::path xsd = fs::path(MARGINALIA_SHARED_DIR) / "refi" / "xsd" / "Project.xsd";
  if (!fs::exists(xsd)) GTEST_SKIP() << "schema absent: " << xsd;
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils)";
  const fs::path folder = dir_ / "p";
  ProjectStore::create_from(folder, rich_project());
  const fs::path log = dir_ / "xmllint.log";
  const std::string command = "xmllint --noout --schema '" + xsd.string() + "' '" +
                              (folder / "project.qde").string() + "' 2>'" + log.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << slurp(log);
  // An empty new project is valid too.
  ProjectStore::create(dir_ / "empty", "Empty");
  const std::string empty = "xmllint --noout --schema '" + xsd.string() + "' '" +
                            (dir_ / "empty" / "project.qde").string() + "' 2>'" + log.string() +
                            "'";
  EXPECT_EQ(std::system(empty.c_str()), 0) << slurp(log);
}

TEST_F(ProjectStoreTest, CorruptProjectQdeIsBadInputNamingFileAndOffset) {
  const fs::path folder = dir_ / "p";
  ProjectStore::create_from(folder, rich_project());
  const std::string qde = slurp(folder / "project.qde");
  std::ofstream(folder / "project.qde", std::ios::binary | std::ios::trunc)
      << qde.substr(0, qde.size() / 2);
  try {
    ProjectStore::open(folder, OpenMode::ReadOnly);
    FAIL() << "expected BadInput";
  } catch (const BadInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("project.qde"), std::string::npos) << what;
    EXPECT_NE(what.find("at byte"), std::string::npos) << what;
  }
}

TEST_F(ProjectStoreTest, MissingSourceFileIsBadInputNamingIt) {
  const Project original = rich_project();
  const fs::path folder = dir_ / "p";
  ProjectStore::create_from(folder, original);
  fs::remove(folder / "sources" / (original.sources[1].guid + ".txt"));
  try {
    ProjectStore::open(folder, OpenMode::ReadOnly);
    FAIL() << "expected BadInput";
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find(original.sources[1].guid + ".txt"), std::string::npos)
        << e.what();
  }
}

TEST_F(ProjectStoreTest, FolderWithoutMarginaliaOpensWithTurnsParsedAgain) {
  const Project original = rich_project();
  const fs::path folder = dir_ / "p";
  ProjectStore::create_from(folder, original);
  fs::remove_all(folder / ".marginalia");
  Project opened;
  {
    auto store = ProjectStore::open(folder, OpenMode::ReadOnly);
    opened = store->project();
    EXPECT_FALSE(fs::exists(folder / ".marginalia")) << "read-only never writes";
  }
  EXPECT_EQ(opened.name, original.name);
  EXPECT_EQ(opened.coders, original.coders);
  EXPECT_EQ(opened.cases, original.cases);  // attributes travel as REFI Variables
  EXPECT_EQ(opened.memos, original.memos);
  ASSERT_EQ(opened.sources.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(opened.sources[i].text, original.sources[i].text);
    EXPECT_EQ(opened.sources[i].attributes, original.sources[i].attributes);
    EXPECT_EQ(opened.sources[i].utterances,
              parse_turns(opened.sources[i].text, RoleMap::defaults()).utterances);
  }
  EXPECT_EQ(opened.codings.size(), original.codings.size());
  for (const Coding& coding : original.codings) {
    const Coding* found = opened.coding(coding.guid);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, coding);
  }
  // Opening it for writing and saving makes a full project folder again.
  {
    auto store = ProjectStore::open(folder);
    store->snapshot();
  }
  auto again = ProjectStore::open(folder, OpenMode::ReadOnly);
  EXPECT_EQ(again->project().guid, opened.guid);
  EXPECT_EQ(again->project().sources, opened.sources);
}

TEST_F(ProjectStoreTest, CreateRefusesAFolderWithFiles) {
  fs::create_directories(dir_ / "busy");
  std::ofstream(dir_ / "busy" / "x.txt") << "x";
  EXPECT_THROW(ProjectStore::create(dir_ / "busy", "n"), BadInput);
  EXPECT_THROW(ProjectStore::open(dir_ / "busy"), BadInput);
}

namespace {

fs::path cache_of(const fs::path& folder) {
  return folder / ".marginalia" / "model.cache";
}

std::optional<storage::CachedSnapshot> cached(const fs::path& folder) {
  const auto qde = storage::stamp_of(folder / "project.qde");
  const auto model = storage::stamp_of(folder / ".marginalia" / "model.json");
  if (!qde || !model) return std::nullopt;
  return storage::read_model_cache(cache_of(folder), *qde, *model);
}

// Every field of the model filled, a history to undo and redo, and a journal entry after the
// snapshot.
Project edited_rich_project(const fs::path& folder) {
  Project original = rich_project();
  original.done = {{original.coders[1].guid, original.sources[1].guid}};
  original.sets = {{"5e700000-0000-4000-8000-000000000001",
                    "Affect codes",
                    "for the paper",
                    {original.codes[1].guid, original.codes[3].guid},
                    {original.sources[0].guid}}};
  ProjectStore::create_from(folder, original);
  auto store = ProjectStore::open(folder);
  Coding added{"", original.sources[0].guid, 11,
               20, original.codes[2].guid,   original.coders[0].guid};
  EXPECT_TRUE(store->execute(Command{AddCodings{{added}}, "Code \"Rupture\""}));
  EXPECT_TRUE(store->execute(Command{RemoveCodings{{original.codings[0]}}, "Uncode"}));
  EXPECT_TRUE(store->undo());
  store->snapshot();
  added.start = 21;
  added.end = 25;
  EXPECT_TRUE(store->execute(Command{AddCodings{{added}}, "Code again"}));  // journal only
  return store->project();
}

}  // namespace

// The cache written beside each snapshot holds what project.qde and model.json hold, and opening
// through it gives the same project and history as reading them.
TEST_F(ProjectStoreTest, TheModelCacheGivesWhatTheSnapshotGives) {
  const fs::path folder = dir_ / "p";
  const Project expected = edited_rich_project(folder);
  ASSERT_TRUE(fs::exists(cache_of(folder)));
  const auto copy = cached(folder);
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->project.sets, expected.sets);
  EXPECT_EQ(copy->project.done, expected.done);
  EXPECT_FALSE(copy->undo_json.empty());
  EXPECT_NE(copy->redo_json, "[]");

  auto through_cache = ProjectStore::open(folder);
  EXPECT_EQ(through_cache->project(), expected);
  const auto undo = through_cache->undo_label(), redo = through_cache->redo_label();
  through_cache.reset();
  fs::remove(cache_of(folder));
  auto through_xml = ProjectStore::open(folder);
  EXPECT_EQ(through_xml->project(), expected);
  EXPECT_EQ(through_xml->undo_label(), undo);
  EXPECT_EQ(through_xml->redo_label(), redo);
  EXPECT_EQ(undo, "Code again");
}

// A cache of an earlier snapshot, a torn one and one with a byte changed are each passed over for
// the snapshot itself.
TEST_F(ProjectStoreTest, AStaleOrDamagedModelCacheIsNotUsed) {
  const fs::path folder = dir_ / "p";
  edited_rich_project(folder);
  const std::string earlier = slurp(cache_of(folder));
  Project expected;
  {
    auto store = ProjectStore::open(folder);
    Coding another{"", store->project().sources[1].guid, 0,
                   4,  store->project().codes[1].guid,   store->project().coders[1].guid};
    ASSERT_TRUE(store->execute(Command{AddCodings{{another}}, "Code"}));
    store->snapshot();
    expected = store->project();
  }
  const std::string current = slurp(cache_of(folder));
  ASSERT_TRUE(cached(folder).has_value());
  const auto put = [&](const std::string& bytes) {
    std::ofstream(cache_of(folder), std::ios::binary | std::ios::trunc) << bytes;
  };
  std::string flipped = current;
  flipped[flipped.size() / 2] ^= 0x20;
  for (const auto& [what, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"earlier", earlier}, {"torn", current.substr(0, 1000)}, {"flipped", flipped}}) {
    SCOPED_TRACE(what);
    put(bytes);
    EXPECT_FALSE(cached(folder).has_value());
    EXPECT_EQ(ProjectStore::open(folder, OpenMode::ReadOnly)->project(), expected);
  }
}

// Opening reads the cache when it matches the snapshot files, and `check` reads the files: a cache
// made to disagree with them (not something Marginalia writes) shows which each one reads.
TEST_F(ProjectStoreTest, OpeningReadsAMatchingCacheAndCheckReadsTheFiles) {
  const fs::path folder = dir_ / "p";
  const Project original = rich_project();
  ProjectStore::create_from(folder, original);
  Project altered = original;
  altered.name = "read from the cache";
  altered.codings[0].end = 10'000;  // past its text: check_model would report it
  storage::write_model_cache(cache_of(folder), altered, "[]", "[]", 0,
                             *storage::stamp_of(folder / "project.qde"),
                             *storage::stamp_of(folder / ".marginalia" / "model.json"));
  EXPECT_EQ(ProjectStore::open(folder, OpenMode::ReadOnly)->project().name, "read from the cache");
  EXPECT_EQ(ProjectStore::open(folder, OpenMode::ReadOnly, true)->project(), original);
  const CheckReport report = check_project(folder);
  EXPECT_TRUE(report.ok()) << (report.findings.empty() ? "" : report.findings[0].message);
}
