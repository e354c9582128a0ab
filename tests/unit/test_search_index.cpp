// The search index on a small fixed corpus: queries and their hits with spans (table-driven),
// malformed queries, idempotent indexing, shards, updates after coding, rebuilds after damage and
// cancellation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/text.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

constexpr const char* kSession1 = "11111111-0000-4000-8000-000000000001";
constexpr const char* kSession2 = "11111111-0000-4000-8000-000000000002";
constexpr const char* kSession3 = "11111111-0000-4000-8000-000000000003";
constexpr const char* kShame = "22222222-0000-4000-8000-000000000001";
constexpr const char* kRelating = "22222222-0000-4000-8000-000000000002";
constexpr const char* kDistance = "22222222-0000-4000-8000-000000000003";
constexpr const char* kAna = "33333333-0000-4000-8000-000000000001";
constexpr const char* kBen = "33333333-0000-4000-8000-000000000002";

void add_turn(Source& source, const std::string& speaker, Role role, const std::string& words,
              std::optional<int64_t> ms = std::nullopt) {
  const std::string label = speaker + ": ";
  const int64_t start = count_code_points(source.text) + count_code_points(label);
  source.text += label + words + "\n\n";
  source.utterances.push_back({speaker, role, start, start + count_code_points(words), ms});
}

// Three short interviews: English with stems and timestamps, French with accents and Chinese, and
// one without a participant.
Project corpus() {
  Project p;
  p.guid = "00000000-0000-4000-8000-000000000000";
  p.name = "Search corpus";
  p.language = "en";
  p.coders = {{kAna, "ana"}, {kBen, "ben"}};
  p.codes = {{kShame, "Shame", "", "", "", true},
             {kRelating, "Relating", "", "", "", false},
             {kDistance, "Distance", "", "", kRelating, true}};

  Source s1{kSession1, "session_1"};
  add_turn(s1, "Client", Role::Client, "I keep my distance from myself when I feel shame.", 0);
  add_turn(s1, "Therapist", Role::Therapist, "You felt ashamed and distant?", 65000);
  add_turn(s1, "Client", Role::Client, "Honestly I was frightened of the distances between us.",
           330000);
  Source s2{kSession2, "session_2"};
  add_turn(s2, "Interviewer", Role::Interviewer, "Tell me about the café.");
  add_turn(s2, "Élodie", Role::Participant, "Le café était fermé, quelle déception.");
  add_turn(s2, "Élodie", Role::Participant, "心理治疗很有帮助。");
  Source s3{kSession3, "session_3"};
  add_turn(s3, "Client", Role::Client, "Distance is safe. Shame is not.");
  p.sources = {s1, s2, s3};

  const auto& u1 = p.sources[0].utterances[0];
  const auto& u3 = p.sources[2].utterances[0];
  p.codings = {
      {"44444444-0000-4000-8000-000000000001", kSession1, u1.start, u1.end, kShame, kAna},
      {"44444444-0000-4000-8000-000000000002", kSession3, u3.start, u3.start + 8, kDistance, kBen}};
  p.cases = {{"55555555-0000-4000-8000-000000000001", "C01", {{"outcome", "poor"}}, {kSession1}},
             {"55555555-0000-4000-8000-000000000002",
              "P02",
              {{"outcome", "good"}, {"role", "participant"}},
              {kSession2}}};
  return p;
}

class CountingProgress : public ProgressSink {
 public:
  void progress(int64_t, int64_t, std::string_view) override { ++calls; }
  bool cancelled() const override { return cancel_after >= 0 && calls > cancel_after; }
  std::atomic<int> calls{0};
  int cancel_after = -1;
};

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
              ("marginalia-search-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    ProjectStore::create_from(folder_, corpus());
    store_ = ProjectStore::open(folder_);
    index_ = SearchIndex::open(folder_, *store_);
  }
  void TearDown() override {
    index_.reset();
    store_.reset();
    fs::remove_all(folder_);
  }

  // "session_1#2: distances" — each hit with the text of its matches, in transcript order.
  std::vector<std::string> hits(const std::string& query, const SearchIndex* index = nullptr) {
    SearchOptions options;
    options.order = HitOrder::Transcript;
    options.limit = 0;
    const SearchResults r = (index ? index : index_.get())->search(project(), query, options);
    std::vector<std::string> out;
    for (const SearchHit& h : r.hits) {
      std::string line = h.source_name + "#" + std::to_string(h.utterance) + ":";
      const Source& s = *project().source(h.source);
      for (const Span& m : h.matches) line += " " + substring_cp(s.text, m.start, m.end);
      out.push_back(line);
    }
    return out;
  }
  const Project& project() { return store_->project(); }
  fs::path index_folder() const { return folder_ / ".marginalia" / "index"; }

  fs::path folder_;
  std::unique_ptr<ProjectStore> store_;
  std::unique_ptr<SearchIndex> index_;
};

using Hits = std::vector<std::string>;

struct QueryCase {
  std::string query;
  Hits expected;
};

TEST_F(SearchIndexTest, QueriesFindTheirHitsAndSpans) {
  const std::vector<QueryCase> cases = {
      // Words are stemmed; capitalised words match as written ("Distance" finds "distance").
      {"distance", {"session_1#0: distance", "session_1#2: distances", "session_3#0: Distance"}},
      {"shame", {"session_1#0: shame", "session_3#0: Shame"}},
      {"frightening", {"session_1#2: frightened"}},
      {"\"feel shame\"", {"session_1#0: feel shame"}},
      {"\"shame feel\"", {}},
      {"distan*",
       {"session_1#0: distance", "session_1#1: distant", "session_1#2: distances",
        "session_3#0: Distance"}},
      {"distance NEAR/5 myself", {"session_1#0: distance myself"}},
      {"keep ADJ/2 distance", {"session_1#0: keep distance"}},
      {"distance ADJ/1 keep", {}},
      {"shame AND distance", {"session_1#0: distance shame", "session_3#0: Distance Shame"}},
      {"shame OR frightened",
       {"session_1#0: shame", "session_1#2: frightened", "session_3#0: Shame"}},
      {"distance NOT shame", {"session_1#2: distances"}},
      {"(shame OR frightened) role:client",
       {"session_1#0: shame", "session_1#2: frightened", "session_3#0: Shame"}},
      {"shame role:therapist", {}},
      {"role:therapist", {"session_1#1:"}},
      // Accents: folded on both sides.
      {"café", {"session_2#0: café", "session_2#1: café"}},
      {"cafe", {"session_2#0: café", "session_2#1: café"}},
      {"DÉCEPTION", {"session_2#1: déception"}},
      {"\"cafe etait\"", {"session_2#1: café était"}},
      // CJK: n-grams.
      {"心理", {"session_2#2: 心理"}},
      {"治疗", {"session_2#2: 治疗"}},
      {"帮", {"session_2#2: 帮"}},
      {"心疗", {}},
      // Filters.
      {"source:session_3", {"session_3#0:"}},
      {"source:session_3 shame", {"session_3#0: Shame"}},
      {"speaker:élodie", {"session_2#1:", "session_2#2:"}},
      {"speaker:ÉLODIE café", {"session_2#1: café"}},
      {"code:Shame", {"session_1#0:"}},
      {"code:Relating/Distance", {"session_3#0:"}},
      {"code:Shame OR code:Distance", {"session_1#0:", "session_3#0:"}},
      {"coder:ben", {"session_3#0:"}},
      {"outcome:poor shame", {"session_1#0: shame"}},
      {"Outcome:GOOD café", {"session_2#0: café", "session_2#1: café"}},
      {"case.role:participant 心理", {"session_2#2: 心理"}},
      {"time:00:01:00..00:02:00", {"session_1#1:"}},
      {"time:60..120", {"session_1#1:"}},
      {"time:05:00..", {"session_1#2:"}},
      {"time:..1:05", {"session_1#0:", "session_1#1:"}},
      {"role:client NOT shame", {"session_1#2:"}},
  };
  for (const QueryCase& c : cases) EXPECT_EQ(hits(c.query), c.expected) << "query: " << c.query;
}

TEST_F(SearchIndexTest, HitsCarryTheirUtteranceAndCounts) {
  SearchOptions options;
  options.limit = 1;
  const SearchResults r = index_->search(project(), "distan*", options);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.total, 4u);
  EXPECT_EQ(r.per_source, (std::map<std::string, size_t>{{kSession1, 3}, {kSession3, 1}}));
  EXPECT_EQ(r.per_code, (std::map<std::string, size_t>{{kShame, 1}, {kDistance, 1}}));
  EXPECT_GT(r.hits[0].weight, 0);

  options.limit = 0;
  options.order = HitOrder::Transcript;
  const SearchResults all = index_->search(project(), "frightened", options);
  ASSERT_EQ(all.hits.size(), 1u);
  const SearchHit& h = all.hits[0];
  const Utterance& u = project().sources[0].utterances[2];
  EXPECT_EQ(h.source, kSession1);
  EXPECT_EQ(h.source_name, "session_1");
  EXPECT_EQ(h.utterance, 2u);
  EXPECT_EQ(h.speaker, "Client");
  EXPECT_EQ(h.role, Role::Client);
  EXPECT_EQ(h.timestamp_ms, 330000);
  EXPECT_EQ(h.turn, (Span{u.start, u.end}));
  EXPECT_EQ(h.snippet, "Honestly I was [[frightened]] of the distances between us.");
  EXPECT_EQ(h.weight, 0);

  // Spans are code points: the accented text before the match counts one per character.
  const SearchResults cafe = index_->search(project(), "\"quelle déception\"", options);
  ASSERT_EQ(cafe.hits.size(), 1u);
  ASSERT_EQ(cafe.hits[0].matches.size(), 1u);
  EXPECT_EQ(substring_cp(project().sources[1].text, cafe.hits[0].matches[0].start,
                         cafe.hits[0].matches[0].end),
            "quelle déception");
  EXPECT_EQ(cafe.hits[0].snippet, "Le café était fermé, [[quelle déception]].");
}

struct BadQuery {
  std::string query;
  std::string message;  // part of the error
  std::optional<int64_t> position;
};

TEST_F(SearchIndexTest, MalformedQueriesSayWhatIsWrong) {
  const std::vector<BadQuery> cases = {
      {"", "empty query", 0},
      {"   ", "empty query", 0},
      {"\"feel shame", "unbalanced quote", 0},
      {"shame \"feel", "unbalanced quote", 6},
      {"(shame OR distance", "unbalanced bracket", 0},
      {"shame)", "unbalanced bracket", 5},
      {"()", "empty brackets", 0},
      {"colour:red", "unknown field 'colour:'", 0},
      {"café colour:red", "unknown field 'colour:'", 5},  // code points, not bytes
      {"shame role:", "'role:' has no value", 6},
      {"code:\"\"", "'code:' has no value", 0},
      {"NEAR/5 shame", "NEAR needs a word or phrase on each side", 0},
      {"shame NEAR/5", "NEAR needs a word or phrase on each side", 6},
      {"shame NEAR/x distance", "NEAR/ needs a distance", 6},
      {"shame NEAR/3 role:client", "NEAR works between words or phrases", 6},
      {"shame AND", "AND needs something after it", 6},
      {"OR shame", "OR needs something before it", 0},
      {"shame AND OR distance", "AND needs something after it", 6},
      {"role:doctor", "unknown role 'doctor'", 5},
      {"code:Guilt", "no code named \"Guilt\"", 5},
      {"source:session_9", "no source named", 7},
      {"coder:zoe", "no coder named \"zoe\"", 6},
      {"time:soon", "time: takes START..END", 5},
      {"time:10:00..05:00", "ends before it starts", 5},
      {"time:0...", "time: takes START..END", 5},  // found by fuzzing: "." reached std::stod
      {"time:0.." + std::string(400, '9'), "time: takes START..END", 5},
      {"case.colour:red", "unknown field 'case.colour:'", 0},
      {std::string("caf\xC3"), "not valid UTF-8", std::nullopt},
  };
  for (const BadQuery& c : cases) {
    try {
      index_->search(project(), c.query);
      ADD_FAILURE() << "no error for: " << c.query;
    } catch (const QueryError& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos)
          << "query: " << c.query << "\nerror: " << e.what();
      EXPECT_EQ(e.position, c.position) << "query: " << c.query << "\nerror: " << e.what();
    }
  }
}

TEST_F(SearchIndexTest, IndexingTwiceChangesNothing) {
  EXPECT_EQ(index_->document_count(), 7u);
  const Hits before = hits("distan* OR café OR 心理");
  index_->rebuild(*store_);
  EXPECT_EQ(index_->document_count(), 7u);
  // The same source added again through the listener replaces its documents.
  index_->edited(project(), Command{AddSource{project().sources[0]}, "again"});
  index_->edited(project(), Command{AddSource{project().sources[0]}, "again"});
  EXPECT_EQ(index_->document_count(), 7u);
  EXPECT_EQ(hits("distan* OR café OR 心理"), before);
}

TEST_F(SearchIndexTest, OneShardAndSeveralGiveTheSameHits) {
  const std::vector<std::string> queries = {
      "distan*", "café", "心理", "shame OR frightened", "code:Shame", "outcome:good", "time:60.."};
  index_->rebuild(*store_, nullptr, 1);
  std::vector<Hits> single;
  std::vector<SearchResults> single_ranked;
  for (const auto& q : queries) {
    single.push_back(hits(q));
    single_ranked.push_back(index_->search(project(), q));
  }
  index_->rebuild(*store_, nullptr, 3);
  EXPECT_EQ(index_->document_count(), 7u);
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(hits(queries[i]), single[i]) << queries[i];
    const SearchResults r = index_->search(project(), queries[i]);
    EXPECT_EQ(r.total, single_ranked[i].total) << queries[i];
    EXPECT_EQ(r.per_source, single_ranked[i].per_source) << queries[i];
    EXPECT_EQ(r.per_code, single_ranked[i].per_code) << queries[i];
  }
}

TEST_F(SearchIndexTest, CodingEditsShowAtOnce) {
  store_->set_listener(index_.get());
  const Utterance& u = project().sources[1].utterances[1];
  Coding coding{
      "44444444-0000-4000-8000-000000000003", kSession2, u.start + 3, u.start + 7, kShame, kBen};
  ASSERT_TRUE(store_->execute(Command{AddCodings{{coding}}, "Code"}));
  EXPECT_EQ(hits("code:Shame"), (Hits{"session_1#0:", "session_2#1:"}));
  EXPECT_EQ(hits("coder:ben"), (Hits{"session_2#1:", "session_3#0:"}));
  EXPECT_EQ(hits("café code:Shame"), (Hits{"session_2#1: café"}));

  ASSERT_TRUE(store_->execute(Command{RemoveCodings{{coding}}, "Uncode"}));
  EXPECT_EQ(hits("code:Shame"), (Hits{"session_1#0:"}));
  EXPECT_EQ(hits("coder:ben"), (Hits{"session_3#0:"}));

  ASSERT_TRUE(store_->undo());
  EXPECT_EQ(hits("code:Shame"), (Hits{"session_1#0:", "session_2#1:"}));
  ASSERT_TRUE(store_->redo());
  EXPECT_EQ(hits("code:Shame"), (Hits{"session_1#0:"}));
  EXPECT_EQ(index_->document_count(), 7u);

  // The index kept up with every edit: opening it again finds it current (no rebuild).
  store_->set_listener(nullptr);
  index_.reset();
  CountingProgress progress;
  auto again = SearchIndex::open(folder_, *store_, &progress);
  EXPECT_EQ(progress.calls, 0);
  EXPECT_EQ(hits("code:Shame", again.get()), (Hits{"session_1#0:"}));
}

TEST_F(SearchIndexTest, SourcesAndCasesFollowEdits) {
  store_->set_listener(index_.get());
  const Source removed = project().sources[1];
  ASSERT_TRUE(store_->execute(Command{RemoveSource{removed}, "Remove"}));
  EXPECT_EQ(index_->document_count(), 4u);
  EXPECT_EQ(hits("café OR 心理"), Hits{});
  ASSERT_TRUE(store_->undo());
  EXPECT_EQ(index_->document_count(), 7u);
  EXPECT_EQ(hits("café OR 心理"),
            (Hits{"session_2#0: café", "session_2#1: café", "session_2#2: 心理"}));

  Case c = project().cases[0];
  c.attributes["outcome"] = "good";
  ASSERT_TRUE(store_->execute(Command{SetCases{{c, project().cases[1]}, {}}, "Participants"}));
  EXPECT_EQ(hits("outcome:poor"), Hits{});
  EXPECT_EQ(hits("outcome:good frightened"), (Hits{"session_1#2: frightened"}));
}

// The index keeps each source's codings beside it and the hits' sources by position: after spans
// move, batches, undo and a source removed, searches give what a rebuild from the project gives.
TEST_F(SearchIndexTest, EditedIndexAnswersAsARebuildDoes) {
  store_->set_listener(index_.get());
  const std::vector<std::string> queries = {
      "code:Shame", "code:Distance", "coder:ana", "coder:ben", "shame", "distance code:Distance"};
  const auto same_as_rebuild = [&](const std::string& after) {
    SCOPED_TRACE(after);
    const fs::path copy = folder_.string() + "-copy";
    fs::remove_all(copy);
    fs::create_directories(copy / ".marginalia");
    auto fresh = SearchIndex::open(copy, *store_);  // no index there: built from the project
    for (const std::string& q : queries) EXPECT_EQ(hits(q), hits(q, fresh.get())) << q;
    fresh.reset();
    fs::remove_all(copy);
  };
  // A coding's span moves from session 1's first turn to its third.
  Coding moved = project().codings[0];
  const Utterance& third = project().sources[0].utterances[2];
  moved.start = third.start;
  moved.end = third.start + 8;
  ASSERT_TRUE(store_->execute(Command{UpdateCodings{{moved}}, "Move"}));
  EXPECT_EQ(hits("code:Shame"), (Hits{"session_1#2:"}));
  same_as_rebuild("span moved");
  // Two codings in one step, one undone with it.
  const Utterance& cafe = project().sources[1].utterances[0];
  Coding a{"44444444-0000-4000-8000-000000000010", kSession2, cafe.start, cafe.end, kShame, kBen};
  Coding b{"44444444-0000-4000-8000-000000000011", kSession3, 0, 4, kDistance, kAna};
  ASSERT_TRUE(store_->execute(Command{Batch{{AddCodings{{a}}, AddCodings{{b}}}}, "Two"}));
  same_as_rebuild("batch");
  ASSERT_TRUE(store_->undo());
  ASSERT_TRUE(store_->undo());
  EXPECT_EQ(hits("code:Shame"), (Hits{"session_1#0:"}));
  same_as_rebuild("undone");
  // Session 2 goes: session 3 moves up the project's list, and its hits still name it.
  ASSERT_TRUE(store_->execute(Command{RemoveSource{project().sources[1]}, "Remove"}));
  EXPECT_EQ(hits("shame"), (Hits{"session_1#0: shame", "session_3#0: Shame"}));
  same_as_rebuild("source removed");
}

TEST_F(SearchIndexTest, EditsMadeWithoutTheIndexAreCaughtUpOnOpen) {
  index_.reset();
  const Utterance& u = project().sources[0].utterances[2];
  Coding coding{"44444444-0000-4000-8000-000000000004", kSession1, u.start, u.end, kDistance, kAna};
  ASSERT_TRUE(store_->execute(Command{AddCodings{{coding}}, "Code"}));
  CountingProgress progress;
  index_ = SearchIndex::open(folder_, *store_, &progress);
  EXPECT_GT(progress.calls, 0);  // outdated: rebuilt
  EXPECT_EQ(hits("code:Distance"), (Hits{"session_1#2:", "session_3#0:"}));
}

TEST_F(SearchIndexTest, RebuiltWhenTheFolderIsDeleted) {
  index_.reset();
  fs::remove_all(index_folder());
  CountingProgress progress;
  index_ = SearchIndex::open(folder_, *store_, &progress);
  EXPECT_GT(progress.calls, 0);
  EXPECT_TRUE(fs::exists(index_folder()));
  EXPECT_EQ(hits("shame"), (Hits{"session_1#0: shame", "session_3#0: Shame"}));
}

TEST_F(SearchIndexTest, RebuiltWhenAFileIsDamaged) {
  index_.reset();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(index_folder()))
    if (entry.is_regular_file() && entry.path().filename() != "flintlock")  // the lock, no data
      files.push_back(entry.path());
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto size = fs::file_size(file);
    {
      std::ofstream garbage(file, std::ios::binary | std::ios::trunc);
      for (uintmax_t i = 0; i < std::max<uintmax_t>(size, 64); ++i)
        garbage.put(static_cast<char>((i * 131 + 7) & 0xFF));
    }
    CountingProgress progress;
    auto index = SearchIndex::open(folder_, *store_, &progress);
    EXPECT_GT(progress.calls, 0);
    EXPECT_EQ(hits("shame", index.get()), (Hits{"session_1#0: shame", "session_3#0: Shame"}));
    EXPECT_EQ(index->document_count(), 7u);
  }
}

TEST_F(SearchIndexTest, CancellingARebuildKeepsTheOldIndex) {
  CountingProgress progress;
  progress.cancel_after = 1;
  EXPECT_THROW(index_->rebuild(*store_, &progress, 2), Cancelled);
  EXPECT_EQ(index_->document_count(), 7u);
  EXPECT_EQ(hits("shame"), (Hits{"session_1#0: shame", "session_3#0: Shame"}));
  // No half-built shards left behind.
  for (const auto& entry : fs::directory_iterator(folder_ / ".marginalia"))
    EXPECT_EQ(entry.path().filename().string().find(".index-new"), std::string::npos)
        << entry.path();
  // And a fresh open finds it current.
  index_.reset();
  CountingProgress reopen;
  index_ = SearchIndex::open(folder_, *store_, &reopen);
  EXPECT_EQ(reopen.calls, 0);
}

TEST_F(SearchIndexTest, UnknownLanguageIndexesWithoutStemming) {
  index_.reset();
  store_.reset();
  fs::remove_all(folder_);
  Project p = corpus();
  p.language = "xx";
  ProjectStore::create_from(folder_, p);
  store_ = ProjectStore::open(folder_);
  index_ = SearchIndex::open(folder_, *store_);
  EXPECT_EQ(hits("distance"), (Hits{"session_1#0: distance", "session_3#0: Distance"}));
}

}  // namespace
