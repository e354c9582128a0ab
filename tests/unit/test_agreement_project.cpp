// A project's codings as agreement units (utterance, sentence, character, segment, unitized),
// missing versus not coded, disagreements, the consensus coder, merging projects and mark-done.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "marginalia/agreement.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/text.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const std::string kAna = "a0000000-0000-4000-8000-000000000001";
const std::string kBen = "a0000000-0000-4000-8000-000000000002";
const std::string kCid = "a0000000-0000-4000-8000-000000000003";
const std::string kX = "c0000000-0000-4000-8000-000000000001";
const std::string kY = "c0000000-0000-4000-8000-000000000002";
const std::string kS1 = "50000000-0000-4000-8000-000000000001";
const std::string kS2 = "50000000-0000-4000-8000-000000000002";

int next_coding = 0;

Coding coding(const std::string& source, int64_t start, int64_t end, const std::string& code,
              const std::string& coder) {
  char guid[40];
  std::snprintf(guid, sizeof guid, "e0000000-0000-4000-8000-%012d", ++next_coding);
  return {guid, source, start, end, code, coder, "2026-01-01T00:00:00Z", ""};
}

// s1: three turns; s2: one turn. Cid coded only s1.
Project study() {
  Project p;
  p.guid = "90000000-0000-4000-8000-000000000001";
  p.name = "Study";
  p.coders = {{kAna, "Ana"}, {kBen, "Ben"}, {kCid, "Cid"}};
  p.codes = {{kX, "Shame", "", "", "", true}, {kY, "Repair", "", "", "", true}};
  Source s1;
  s1.guid = kS1;
  s1.name = "lena";
  //        0         1         2         3         4         5         6         7
  //        0123456789012345678901234567890123456789012345678901234567890123456789012345
  s1.text = "I: How was it?\nLena: I felt small. I hid it.\nI: And then?\nLena: We talked.\n";
  s1.utterances = {{"I", Role::Interviewer, 3, 14, {}},
                   {"Lena", Role::Client, 21, 44, {}},
                   {"I", Role::Interviewer, 48, 57, {}},
                   {"Lena", Role::Client, 64, 74, {}}};
  Source s2;
  s2.guid = kS2;
  s2.name = "tomas";
  s2.text = "Tomas: She left early.\n";
  s2.utterances = {{"Tomas", Role::Therapist, 7, 22, {}}};
  p.sources = {s1, s2};
  p.codings = {
      coding(kS1, 21, 33, kX, kAna),  // "I felt small"
      coding(kS1, 21, 44, kX, kBen),  // the whole turn
      coding(kS1, 64, 74, kY, kAna),  // "We talked."
      coding(kS1, 3, 14, kY, kCid),   // Cid only: Ana and Ben said no
      coding(kS2, 7, 22, kX, kAna),   // Ben coded nothing in s2 but marked it done below
  };
  p.done = {{kBen, kS2}};
  return p;
}

const CodeReliability& of(const ProjectReliability& r, const std::string& code) {
  for (const auto& c : r.codes)
    if (c.code == code) return c;
  throw std::runtime_error("code not in the reliability data");
}

TEST(AgreementUnits, UtteranceUnitsWithMissingCoders) {
  const Project p = study();
  AgreementOptions o;
  o.unit = AgreementUnit::Utterance;
  const ProjectReliability r = project_reliability(p, o);
  EXPECT_EQ(r.coders, (std::vector<std::string>{kAna, kBen, kCid}));
  const auto& x = of(r, kX);
  ASSERT_EQ(x.data.units.size(), 5u);                              // four turns in s1, one in s2
  EXPECT_EQ(x.data.units[1].values, (std::vector<int>{1, 1, 0}));  // Lena's first turn
  EXPECT_EQ(x.data.units[0].values, (std::vector<int>{0, 0, 0}));
  // s2: Ana coded it, Ben marked it done (so "not coded"), Cid neither (missing).
  EXPECT_EQ(x.data.units[4].values, (std::vector<int>{1, 0, kMissing}));
  const auto& y = of(r, kY);
  EXPECT_EQ(y.data.units[0].values, (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(y.data.units[3].values, (std::vector<int>{1, 0, 0}));
  EXPECT_EQ(pooled(r).units.size(), 10u);
}

TEST(AgreementUnits, DefaultCodersLeaveOutConsensusAndNeedTwo) {
  Project p = study();
  p.coders.push_back({"a0000000-0000-4000-8000-000000000009", kConsensusCoder});
  p.codings.push_back(coding(kS1, 21, 44, kX, "a0000000-0000-4000-8000-000000000009"));
  EXPECT_EQ(agreement_coders(p, {}).size(), 3u);
  AgreementOptions one;
  one.coders = {kAna};
  EXPECT_THROW(agreement_coders(p, one), BadInput);
}

TEST(AgreementUnits, SentenceUnitsFollowIcuBreaks) {
  const Project p = study();
  AgreementOptions o;
  o.unit = AgreementUnit::Sentence;
  o.coders = {kAna, kBen};
  o.codes = {kX};
  const ProjectReliability r = project_reliability(p, o);
  const auto& x = of(r, kX);
  // Lena's turn is two sentences: Ana coded the first, Ben both.
  std::vector<std::vector<int>> lena;
  for (size_t u = 0; u < x.data.units.size(); ++u)
    if (x.spans[u].source == kS1 && x.spans[u].start >= 21 && x.spans[u].end <= 44)
      lena.push_back(x.data.units[u].values);
  EXPECT_EQ(lena, (std::vector<std::vector<int>>{{1, 1}, {0, 1}}));
}

TEST(AgreementUnits, CharacterUnitsAreWeightedRuns) {
  const Project p = study();
  AgreementOptions o;
  o.unit = AgreementUnit::Character;
  o.coders = {kAna, kBen};
  o.codes = {kX};
  const ProjectReliability r = project_reliability(p, o);
  const auto& x = of(r, kX);
  int64_t both = 0, ben_only = 0, total = 0;
  for (const auto& u : x.data.units) {
    total += u.weight;
    if (u.values == std::vector<int>{1, 1}) both += u.weight;
    if (u.values == std::vector<int>{0, 1}) ben_only += u.weight;
  }
  EXPECT_EQ(both, 12);
  EXPECT_EQ(ben_only, 11);
  EXPECT_EQ(total, count_code_points(p.sources[0].text) + count_code_points(p.sources[1].text));
  // The same figure as one unit per character.
  ReliabilityData expanded = x.data;
  expanded.units.clear();
  for (const auto& u : x.data.units)
    for (int64_t i = 0; i < u.weight; ++i) expanded.units.push_back({"", u.values, 1});
  EXPECT_NEAR(*compute_coefficients(x.data).alpha.value,
              *compute_coefficients(expanded).alpha.value, 1e-12);
}

TEST(AgreementUnits, SegmentsMatchByOverlapThreshold) {
  const Project p = study();
  AgreementOptions o;
  o.unit = AgreementUnit::Segment;
  o.coders = {kAna, kBen};
  o.codes = {kX};
  // Ana [21,33) and Ben [21,44): overlap 12/23 = 0.52.
  o.overlap = 0.9;
  const auto strict = of(project_reliability(p, o), kX);
  ASSERT_EQ(strict.data.units.size(), 3u);  // two unmatched segments in s1, Ana's in s2
  EXPECT_EQ(strict.data.units[0].values, (std::vector<int>{1, 0}));
  EXPECT_EQ(strict.data.units[1].values, (std::vector<int>{0, 1}));
  o.overlap = 0.5;
  const auto loose = of(project_reliability(p, o), kX);
  ASSERT_EQ(loose.data.units.size(), 2u);
  EXPECT_EQ(loose.data.units[0].values, (std::vector<int>{1, 1}));
  EXPECT_EQ(loose.spans[0].start, 21);
  EXPECT_EQ(loose.spans[0].end, 44);
}

TEST(AgreementUnits, UnitizedContinuaFromCodings) {
  const Project p = study();
  const auto continua = project_continua(p, {kAna, kBen}, {kX});
  ASSERT_EQ(continua.size(), 2u);  // s2 counts: Ben marked it done
  const auto& ana = continua[0].coders[0];
  ASSERT_EQ(ana.size(), 3u);
  EXPECT_EQ(ana[1].start, 21);
  EXPECT_EQ(ana[1].end, 33);
  EXPECT_EQ(ana[1].value, 0);
  EXPECT_EQ(ana[2].value, kGap);
  EXPECT_TRUE(unitized_alphas(continua).Cu.value);
}

TEST(AgreementDisagreements, ListTextSpeakerAndChoices) {
  const Project p = study();
  AgreementOptions o;
  o.coders = {kAna, kBen};
  const ProjectReliability r = project_reliability(p, o);
  const auto list = disagreements(p, r, DisagreementOrder::Code);
  // Shame: agreed in Lena's turn, Ana alone in s2; Repair: Ana alone in "We talked."
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].code, kX);
  EXPECT_EQ(list[0].span.source, kS2);
  EXPECT_EQ(list[0].speaker, "Tomas");
  EXPECT_EQ(list[0].text, "She left early.");
  EXPECT_EQ(list[0].values, (std::vector<int>{1, 0}));
  EXPECT_EQ(list[1].code, kY);
  EXPECT_EQ(list[1].text, "We talked.");
  const Table t = disagreement_table(p, r, list);
  EXPECT_EQ(t.columns[5], "Ana");
  EXPECT_EQ(t.rows[0][6].text, "not coded");
  EXPECT_NE(to_csv(t).find("She left early."), std::string::npos);
  // By source: s1 first.
  EXPECT_EQ(disagreements(p, r, DisagreementOrder::Source)[0].span.source, kS1);
}

Project run(Project p, const Command& c) {
  apply(p, prepare(p, c));
  return p;
}

TEST(AgreementConsensus, AcceptOneCoderThenChangeTheDecisionThenUndo) {
  const Project before = study();
  AgreementOptions o;
  o.coders = {kAna, kBen};
  o.codes = {kX};
  const auto list = disagreements(before, project_reliability(before, o));
  ASSERT_EQ(list.size(), 1u);
  const ConsensusChoice take_ana{kX, list[0].span, ConsensusChoice::Accept::Coder, kAna};
  const Command first = prepare(before, consensus_command(before, o.coders, {take_ana}));
  Project after = before;
  apply(after, first);
  const Coder* consensus = after.coder_named(kConsensusCoder);
  ASSERT_TRUE(consensus);
  int copies = 0;
  for (const Coding& c : after.codings)
    if (c.coder == consensus->guid) {
      ++copies;
      EXPECT_EQ(c.source, kS2);
      EXPECT_EQ(c.start, 7);
    }
  EXPECT_EQ(copies, 1);
  EXPECT_TRUE(has_coded(after, consensus->guid, kS2));

  // Neither: the copy goes, the source stays done (a unit left "not coded").
  const ConsensusChoice none{kX, list[0].span, ConsensusChoice::Accept::None, ""};
  const Project decided = run(after, consensus_command(after, o.coders, {none}));
  EXPECT_EQ(decided.codings.size(), before.codings.size());
  EXPECT_TRUE(has_coded(decided, consensus->guid, kS2));

  // Undo of the first decision: exactly the project before.
  Project undone = after;
  apply(undone, inverse(first));
  undone.coders = before.coders;  // coders stay, like user accounts
  EXPECT_EQ(undone, before);

  // Deciding again the same way changes nothing.
  EXPECT_TRUE(is_empty(prepare(after, consensus_command(after, o.coders, {take_ana}))));
}

TEST(AgreementConsensus, AcceptBothKeepsEachSpanOnce) {
  Project p = study();
  p.codings.push_back(coding(kS1, 21, 33, kX, kBen));  // Ben also has Ana's span
  const ConsensusChoice all{kX, {kS1, 21, 44}, ConsensusChoice::Accept::All, ""};
  const Project after = run(p, consensus_command(p, {kAna, kBen}, {all}));
  const std::string consensus = after.coder_named(kConsensusCoder)->guid;
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (const Coding& c : after.codings)
    if (c.coder == consensus) spans.emplace_back(c.start, c.end);
  std::sort(spans.begin(), spans.end());
  EXPECT_EQ(spans, (std::vector<std::pair<int64_t, int64_t>>{{21, 33}, {21, 44}}));
}

TEST(AgreementMerge, MatchesByGuidTextAndNameAndNeverTwice) {
  const Project into = study();
  Project other;
  other.name = "Ben's copy";
  // Ben under another GUID, a new coder Dora; the code Shame under another GUID; s1 under another
  // GUID with the same text; a new source.
  other.coders = {{"b0000000-0000-4000-8000-000000000002", "Ben"},
                  {"b0000000-0000-4000-8000-000000000004", "Dora"}};
  other.codes = {{"d0000000-0000-4000-8000-000000000001", "Shame", "", "", "", true},
                 {"d0000000-0000-4000-8000-000000000002", "Hope", "", "", "", true}};
  Source s1 = into.sources[0];
  s1.guid = "60000000-0000-4000-8000-000000000001";
  Source s3;
  s3.guid = "60000000-0000-4000-8000-000000000003";
  s3.name = "amira";
  s3.text = "Amira: I nearly did not go.\n";
  s3.utterances = {{"Amira", Role::Client, 7, 27, {}}};
  other.sources = {s1, s3};
  other.codings = {
      coding(s1.guid, 21, 44, "d0000000-0000-4000-8000-000000000001",
             "b0000000-0000-4000-8000-000000000002"),  // already here (Ben's)
      coding(s1.guid, 48, 57, "d0000000-0000-4000-8000-000000000002",
             "b0000000-0000-4000-8000-000000000004"),
      coding(s3.guid, 7, 27, "d0000000-0000-4000-8000-000000000001",
             "b0000000-0000-4000-8000-000000000004"),
  };
  other.done = {{"b0000000-0000-4000-8000-000000000004", s3.guid}};
  other.memos = {{"m", MemoTarget::Project, "", "note", ""}};

  const MergePlan plan = plan_merge(into, other);
  EXPECT_EQ(plan.summary.coders_matched, 1);
  EXPECT_EQ(plan.summary.coders_added, 1);
  EXPECT_EQ(plan.summary.codes_matched, 1);
  EXPECT_EQ(plan.summary.codes_added, 1);
  EXPECT_EQ(plan.summary.sources_matched, 1);
  EXPECT_EQ(plan.summary.sources_added, 1);
  EXPECT_EQ(plan.summary.codings_present, 1);
  EXPECT_EQ(plan.summary.codings_added, 2);
  EXPECT_EQ(plan.summary.done_added, 1);
  ASSERT_EQ(plan.summary.left_out.size(), 1u);  // the memo

  const Project merged = run(into, plan.command);
  EXPECT_EQ(merged.sources.size(), 3u);
  EXPECT_EQ(merged.codes.size(), 3u);
  EXPECT_EQ(merged.coders.size(), 4u);
  EXPECT_EQ(merged.codings.size(), into.codings.size() + 2);
  const Coding& hope = merged.codings[into.codings.size()];
  EXPECT_EQ(hope.source, kS1);  // mapped onto the source with the same text
  // Twice: nothing.
  const MergePlan again = plan_merge(merged, other);
  EXPECT_TRUE(is_empty(prepare(merged, again.command)));
  EXPECT_EQ(again.summary.codings_added, 0);
  EXPECT_EQ(again.summary.codings_present, 3);
  // Undo restores the project as it was.
  Project undone = merged;
  apply(undone, inverse(prepare(into, plan.command)));
  undone.coders = into.coders;
  EXPECT_EQ(undone, into);
}

TEST(AgreementMerge, SameGuidDifferentTextIsLeftOut) {
  const Project into = study();
  Project other = into;
  other.sources[1].text = "Tomas: Something else entirely.\n";
  const MergePlan plan = plan_merge(into, other);
  ASSERT_FALSE(plan.summary.left_out.empty());
  EXPECT_NE(plan.summary.left_out[0].find("different text"), std::string::npos);
}

TEST(MarkDone, UndoableJournaledAndPersisted) {
  const fs::path folder =
      fs::temp_directory_path() / ("marginalia-markdone-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  Project p = study();
  p.done.clear();
  ProjectStore::create_from(folder, p);
  {
    auto store = ProjectStore::open(folder);
    EXPECT_TRUE(store->execute({SetDone{{{kCid, kS2}}, true}, "Mark done"}));
    EXPECT_FALSE(store->execute({SetDone{{{kCid, kS2}}, true}, "Mark done"}));  // already
    EXPECT_THROW(store->execute({SetDone{{{kCid, "no-such-source"}}, true}, "x"}), BadInput);
  }
  {  // from the journal
    auto store = ProjectStore::open(folder);
    EXPECT_EQ(store->project().done, (std::vector<DoneMark>{{kCid, kS2}}));
    store->snapshot();
  }
  {  // from model.json
    auto store = ProjectStore::open(folder);
    EXPECT_EQ(store->project().done, (std::vector<DoneMark>{{kCid, kS2}}));
    EXPECT_TRUE(store->undo());
    EXPECT_TRUE(store->project().done.empty());
    EXPECT_TRUE(store->redo());
    EXPECT_EQ(store->project().done.size(), 1u);
  }
  fs::remove_all(folder);
}

}  // namespace
