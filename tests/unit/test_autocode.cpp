// Auto-coding: the spans of each scope checked against the text, one undo for the whole run, and
// a second run that adds nothing. First from hand-made hits, then through the real index.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "marginalia/concordance.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

// utterance 0 (interviewer) [13, 45); 1 (client) [54, 164); 2 (therapist) [176, 236).
// The client's sentences by ICU: [54, 80) "Honestly I was frightened.", [81, 144) "I saw Dr.
// Hollis first. [laughs] The first session felt long..." (a lowercase word after the full stop,
// even in brackets, continues the sentence), [145, 164) "I kept my distance."
const std::string kSession =
    "Interviewer: What was the first session like?\n"
    "Client: Honestly I was frightened. I saw Dr. Hollis first. [laughs] The first session felt "
    "long... I kept my distance.\n"
    "Therapist: She kept her distance, and I respected the distance 3 times.\n";

const std::string kCode = "a0000000-0000-4000-8000-00000000000a";
const std::string kFolder = "f0000000-0000-4000-8000-00000000000f";
const std::string kCoder = "c0000000-0000-4000-8000-000000000001";
const std::string kSourceGuid = "50000000-0000-4000-8000-000000000001";

Source session_source() {
  Source s;
  s.guid = kSourceGuid;
  s.name = "s1";
  s.text = kSession;
  s.utterances = parse_turns(kSession, RoleMap::defaults()).utterances;
  return s;
}

Project project() {
  Project p;
  p.coders.push_back({kCoder, "ana"});
  p.codes.push_back({kCode, "Distance", "", "", "", true});
  p.sources.push_back(session_source());
  return p;
}

SearchHit hit(const Project& p, size_t utterance, std::vector<Span> matches) {
  const Source& s = p.sources.at(0);
  SearchHit h;
  h.source = s.guid;
  h.source_name = s.name;
  h.utterance = utterance;
  h.speaker = s.utterances.at(utterance).speaker;
  h.role = s.utterances.at(utterance).role;
  h.turn = {s.utterances.at(utterance).start, s.utterances.at(utterance).end};
  h.matches = std::move(matches);
  return h;
}

std::vector<std::string> texts(const Project& p, const std::vector<Coding>& codings) {
  std::vector<std::string> out;
  for (const Coding& c : codings) {
    EXPECT_EQ(c.code, kCode);
    EXPECT_EQ(c.coder, kCoder);
    EXPECT_EQ(c.source, kSourceGuid);
    out.push_back(substring_cp(p.source(c.source)->text, c.start, c.end));
  }
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(AutocodeScope, ParsesItsNames) {
  EXPECT_EQ(parse_autocode_scope("match"), AutocodeScope::Match);
  EXPECT_EQ(parse_autocode_scope("sentence"), AutocodeScope::Sentence);
  EXPECT_EQ(parse_autocode_scope("utterance"), AutocodeScope::Utterance);
  EXPECT_EQ(parse_autocode_scope("paragraph"), std::nullopt);
}

TEST(CodingsForHits, MatchScopeCodesTheWordsWithPhrasesJoined) {
  const Project p = project();
  const std::vector<SearchHit> hits = {hit(p, 1, {{98, 103}, {118, 123}, {124, 131}}),
                                       hit(p, 2, {{189, 197}, {219, 227}})};
  const auto codings = codings_for_hits(p, hits, kCode, kCoder, AutocodeScope::Match);
  ASSERT_EQ(codings.size(), 4u);
  EXPECT_EQ(codings[0].start, 98);
  EXPECT_EQ(codings[0].end, 103);
  EXPECT_EQ(codings[1].start, 118);
  EXPECT_EQ(codings[1].end, 131);
  EXPECT_EQ(texts(p, codings), (Strings{"first", "first session", "distance", "distance"}));
  for (const Coding& c : codings) EXPECT_TRUE(c.guid.empty());
}

TEST(CodingsForHits, SentenceScopeCodesTheSentencesInsideTheTurn) {
  const Project p = project();
  const std::vector<SearchHit> hits = {
      hit(p, 1, {{98, 103}, {118, 123}, {124, 131}, {155, 163}}),  // two sentences
      hit(p, 2, {{189, 197}, {219, 227}}),                         // one sentence, coded once
      hit(p, 0, {{26, 31}})};
  const auto codings = codings_for_hits(p, hits, kCode, kCoder, AutocodeScope::Sentence);
  EXPECT_EQ(texts(p, codings),
            (Strings{"I saw Dr. Hollis first. [laughs] The first session felt long...",
                     "I kept my distance.",
                     "She kept her distance, and I respected the distance 3 times.",
                     "What was the first session like?"}));
  ASSERT_EQ(codings.size(), 4u);
  EXPECT_EQ(codings[0].start, 81);
  EXPECT_EQ(codings[0].end, 144);
  EXPECT_EQ(codings[2].start, 176);  // the turn's start, not the label's
  EXPECT_EQ(codings[2].end, 236);    // without the line feed
}

TEST(CodingsForHits, MatchAcrossSentencesTakesBoth) {
  const Project p = project();
  // "frightened. I saw": a span reaching into the next sentence codes both.
  const auto codings =
      codings_for_hits(p, {hit(p, 1, {{69, 85}})}, kCode, kCoder, AutocodeScope::Sentence);
  EXPECT_EQ(texts(p, codings), (Strings{"Honestly I was frightened. I saw Dr. Hollis first. "
                                        "[laughs] The first session felt long..."}));
}

TEST(CodingsForHits, UtteranceScopeCodesEachTurnOnce) {
  const Project p = project();
  const std::vector<SearchHit> hits = {hit(p, 1, {{98, 103}}), hit(p, 2, {{189, 197}}),
                                       hit(p, 1, {{155, 163}})};
  const auto codings = codings_for_hits(p, hits, kCode, kCoder, AutocodeScope::Utterance);
  ASSERT_EQ(codings.size(), 2u);
  EXPECT_EQ(codings[0].start, 54);
  EXPECT_EQ(codings[0].end, 164);
  EXPECT_EQ(codings[1].start, 176);
  EXPECT_EQ(codings[1].end, 236);
}

TEST(CodingsForHits, HitOutsideTheTextIsBadInput) {
  const Project p = project();
  SearchHit h = hit(p, 1, {{98, 103}});
  h.turn = {54, 100000};
  EXPECT_THROW(codings_for_hits(p, {h}, kCode, kCoder, AutocodeScope::Utterance), BadInput);
  h = hit(p, 1, {{98, 103}});
  h.source = "50000000-0000-4000-8000-0000000000ff";
  EXPECT_THROW(codings_for_hits(p, {h}, kCode, kCoder, AutocodeScope::Match), BadInput);
}

// ---- Through the index -------------------------------------------------------------------------

class AutocodeIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("marginalia-autocode-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    ProjectStore::create(dir_, "autocode");
    store_ = ProjectStore::open(dir_);
    store_->execute(Command{AddSource{session_source()}, "Import s1"});
    Code folder{kFolder, "Relationship", "", "", "", false};
    Code code{kCode, "Distance", "", "", kFolder, true};
    AddCodes codes;
    codes.codes = {folder, code};
    store_->execute(Command{codes, "Load codebook"});
    coder_ = store_->coder_guid("ana");
    index_ = SearchIndex::open(dir_, *store_);
    store_->set_listener(index_.get());
  }
  void TearDown() override {
    store_->set_listener(nullptr);
    index_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::vector<std::string> coded_texts() {
    std::vector<std::string> out;
    for (const Coding& c : store_->project().codings)
      out.push_back(substring_cp(store_->project().source(c.source)->text, c.start, c.end));
    return out;
  }

  fs::path dir_;
  std::unique_ptr<ProjectStore> store_;
  std::unique_ptr<SearchIndex> index_;
  std::string coder_;
};

TEST_F(AutocodeIndex, MatchScopeIsOneUndoableStepAndIdempotent) {
  const int64_t edits_before = store_->revision();
  const AutocodeResult r =
      autocode(*store_, *index_, "distance", kCode, coder_, AutocodeScope::Match);
  EXPECT_EQ(r.hits, 2u);
  EXPECT_EQ(r.spans, 3u);
  EXPECT_EQ(r.added, 3u);
  EXPECT_EQ(r.already, 0u);
  EXPECT_EQ(store_->revision(), edits_before + 1);
  EXPECT_EQ(coded_texts(), (Strings{"distance", "distance", "distance"}));
  for (const Coding& c : store_->project().codings) {
    EXPECT_EQ(c.code, kCode);
    EXPECT_EQ(c.coder, coder_);
  }
  ASSERT_TRUE(store_->undo_label());
  EXPECT_NE(store_->undo_label()->find("Distance"), std::string::npos);

  // Again: nothing new.
  const AutocodeResult again =
      autocode(*store_, *index_, "distance", kCode, coder_, AutocodeScope::Match);
  EXPECT_EQ(again.hits, 2u);
  EXPECT_EQ(again.added, 0u);
  EXPECT_EQ(again.already, 3u);
  EXPECT_EQ(store_->project().codings.size(), 3u);

  // One undo takes all three away; the index follows (no code: filter hit any more).
  ASSERT_TRUE(store_->undo());
  EXPECT_TRUE(store_->project().codings.empty());
  EXPECT_EQ(index_->search(store_->project(), "code:Distance").total, 0u);
}

TEST_F(AutocodeIndex, SentenceAndUtteranceScopes) {
  AutocodeResult r =
      autocode(*store_, *index_, "frightened", kCode, coder_, AutocodeScope::Sentence);
  EXPECT_EQ(r.hits, 1u);
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(coded_texts(), (Strings{"Honestly I was frightened."}));
  ASSERT_EQ(store_->project().codings.size(), 1u);
  EXPECT_EQ(store_->project().codings[0].start, 54);
  EXPECT_EQ(store_->project().codings[0].end, 80);

  r = autocode(*store_, *index_, "respected", kCode, coder_, AutocodeScope::Utterance);
  EXPECT_EQ(r.hits, 1u);
  EXPECT_EQ(r.added, 1u);
  ASSERT_EQ(store_->project().codings.size(), 2u);
  EXPECT_EQ(store_->project().codings[1].start, 176);
  EXPECT_EQ(store_->project().codings[1].end, 236);

  // The new codings are searchable at once.
  EXPECT_EQ(index_->search(store_->project(), "code:Distance").total, 2u);
}

TEST_F(AutocodeIndex, NoHitsChangesNothing) {
  const int64_t before = store_->revision();
  const AutocodeResult r =
      autocode(*store_, *index_, "xylophone", kCode, coder_, AutocodeScope::Match);
  EXPECT_EQ(r.hits, 0u);
  EXPECT_EQ(r.added, 0u);
  EXPECT_EQ(store_->revision(), before);
}

TEST_F(AutocodeIndex, FolderCodeAndBadQueryAreRefused) {
  EXPECT_THROW(autocode(*store_, *index_, "distance", kFolder, coder_, AutocodeScope::Match),
               BadInput);
  EXPECT_THROW(autocode(*store_, *index_, "\"distance", kCode, coder_, AutocodeScope::Match),
               QueryError);
  EXPECT_TRUE(store_->project().codings.empty());
}
