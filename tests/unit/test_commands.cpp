// Commands: checked against the project, idempotent, undone by their inverse.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "marginalia/commands.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"

using namespace marginalia;

namespace {

Project small_project() {
  Project p;
  p.name = "pilot";
  p.coders.push_back({"c0000000-0000-4000-8000-000000000001", "ana"});
  p.codes.push_back({"f0000000-0000-4000-8000-000000000001", "Ruptures", "#D55E00", "", "", false});
  p.codes.push_back({"a0000000-0000-4000-8000-000000000001", "Withdrawal rupture", "#FB9A99", "",
                     "f0000000-0000-4000-8000-000000000001", true});
  p.codes.push_back({"a0000000-0000-4000-8000-000000000002", "Shame", "", "", "", true});
  Source s;
  s.guid = "50000000-0000-4000-8000-000000000001";
  s.name = "d1_client";
  s.text = "Client: I said \u201cfine\u201d \U0001F642 and talked about my cat.";
  p.sources.push_back(s);
  return p;
}

Coding coding(int64_t start, int64_t end, const std::string& code = "Withdrawal rupture") {
  Project p = small_project();
  Coding c;
  c.source = "50000000-0000-4000-8000-000000000001";
  c.code = resolve_code(p, code);
  c.coder = "c0000000-0000-4000-8000-000000000001";
  c.start = start;
  c.end = end;
  return c;
}

TEST(Commands, AddCodingIsCheckedAppliedAndUndone) {
  Project p = small_project();
  const Project before = p;
  Command cmd = prepare(p, Command{AddCodings{{coding(8, 21)}}, "Code"});
  ASSERT_FALSE(is_empty(cmd));
  const Coding& added = std::get<AddCodings>(cmd.action).codings.at(0);
  EXPECT_EQ(added.guid.size(), 36u);
  EXPECT_FALSE(added.created.empty());
  apply(p, cmd);
  ASSERT_EQ(p.codings.size(), 1u);
  apply(p, cmd);  // replay changes nothing
  EXPECT_EQ(p.codings.size(), 1u);
  apply(p, inverse(cmd));
  EXPECT_EQ(p, before);
}

TEST(Commands, SameSpanCodeAndCoderIsOneCoding) {
  Project p = small_project();
  apply(p, prepare(p, Command{AddCodings{{coding(8, 21)}}, ""}));
  Command again = prepare(p, Command{AddCodings{{coding(8, 21), coding(8, 21)}}, ""});
  EXPECT_TRUE(is_empty(again));
  // Overlapping codings, even of the same code, are allowed.
  Command overlap = prepare(p, Command{AddCodings{{coding(9, 21), coding(8, 21, "Shame")}}, ""});
  EXPECT_EQ(std::get<AddCodings>(overlap.action).codings.size(), 2u);
}

TEST(Commands, RemovedCodingsComeBackWhereTheyWere) {
  Project p = small_project();
  AddCodings many;
  for (int64_t i = 0; i < 40; ++i) many.codings.push_back(coding(i, i + 2));
  apply(p, prepare(p, Command{std::move(many), ""}));
  ASSERT_EQ(p.codings.size(), 40u);
  const Project before = p;
  // A few (put back one by one) and many (put back in one merge), first and last among them.
  for (const size_t step : {13u, 2u}) {
    RemoveCodings gone;
    for (size_t i = 0; i < p.codings.size(); i += step) gone.codings.push_back(p.codings[i]);
    gone.codings.push_back(p.codings.back());
    gone.codings.push_back(p.codings.front());  // named twice, removed once
    const Command removal = prepare(p, Command{std::move(gone), ""});
    apply(p, removal);
    EXPECT_EQ(p.codings.size(), step == 2 ? 19u : 36u);
    const Command undo = inverse(removal);
    apply(p, undo);
    EXPECT_EQ(p, before);
    apply(p, undo);  // replay changes nothing
    EXPECT_EQ(p, before);
  }
}

TEST(Commands, OneCommandAddsEachCodingOnce) {
  Project p = small_project();
  apply(p, prepare(p, Command{AddCodings{{coding(8, 21)}}, ""}));
  Coding again = coding(1, 5);
  again.guid = p.codings[0].guid;  // a GUID the project has: not added
  Coding twin = coding(2, 6);
  twin.guid = "e0000000-0000-4000-8000-000000000001";
  Coding same_guid = coding(3, 7);  // the GUID of the one before it in the command: not added
  same_guid.guid = twin.guid;
  const Command cmd = prepare(
      p,
      Command{AddCodings{{again, coding(8, 21), twin, same_guid, coding(2, 6), coding(4, 9)}}, ""});
  const auto& added = std::get<AddCodings>(cmd.action).codings;
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0].guid, twin.guid);
  EXPECT_EQ(added[1].start, 4);
}

// ProjectStore keeps a CodingLookup beside its project so that an edit does not scan every coding:
// the same commands prepared and applied with and without it leave the same project, through adds
// of spans and GUIDs already taken, removals, undos and moved spans.
TEST(Commands, CodingLookupAnswersAsAScanDoes) {
  std::mt19937 rng(7);
  Project with = small_project(), without = small_project();
  CodingLookup lookup;
  std::vector<Command> done;
  for (int step = 0; step < 600; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    const unsigned what = rng() % 5;
    const auto any_coding = [&] { return without.codings[rng() % without.codings.size()]; };
    if (what == 3 && !done.empty()) {  // undo, as ProjectStore does: the inverse, not prepared
      const Command undo = inverse(done.back());
      done.pop_back();
      apply(without, undo);
      apply(with, undo, &lookup);
      ASSERT_EQ(with, without);
      continue;
    }
    Command command;
    if (what <= 1 || without.codings.empty()) {
      Coding c = coding(rng() % 12, 13 + rng() % 4, rng() % 2 ? "Shame" : "Withdrawal rupture");
      char guid[40];
      std::snprintf(guid, sizeof guid, "d0000000-0000-4000-8000-%012u", unsigned(rng() % 80));
      if (rng() % 2) c.guid = guid;  // else a fresh one
      c.created = "2026-11-30T00:00:00Z";
      command = Command{AddCodings{{c}}, "Code"};
    } else if (what == 2) {
      command = Command{RemoveCodings{{any_coding()}}, "Uncode"};
    } else {
      Coding c = any_coding();
      c.start = rng() % 12;
      c.end = 13 + rng() % 4;
      command = Command{UpdateCodings{{c}}, "Move"};
    }
    // A refusal (a span moved onto the same coding) must be a refusal both ways.
    Command plain, looked_up;
    bool refused = false;
    try {
      plain = prepare(without, command);
    } catch (const BadInput&) {
      refused = true;
    }
    if (refused) {
      EXPECT_THROW(prepare(with, command, &lookup), BadInput);
      continue;
    }
    looked_up = prepare(with, command, &lookup);
    // Fresh GUIDs differ between the two; give the second the first's.
    if (auto* add = std::get_if<AddCodings>(&looked_up.action)) {
      const auto& first = std::get<AddCodings>(plain.action).codings;
      ASSERT_EQ(add->codings.size(), first.size());
      for (size_t i = 0; i < first.size(); ++i) add->codings[i].guid = first[i].guid;
    }
    ASSERT_EQ(is_empty(plain), is_empty(looked_up));
    if (is_empty(plain)) continue;
    apply(without, plain);
    apply(with, looked_up, &lookup);
    ASSERT_EQ(with, without);
    done.push_back(plain);
  }
  EXPECT_GT(without.codings.size(), 5u);
}

TEST(Commands, OffsetsAreCheckedInCodePoints) {
  Project p = small_project();
  // 48 code points; the emoji is 1 code point (4 UTF-8 bytes).
  const int64_t length = 48;
  EXPECT_NO_THROW(prepare(p, Command{AddCodings{{coding(0, length)}}, ""}));
  EXPECT_THROW(prepare(p, Command{AddCodings{{coding(0, length + 1)}}, ""}), BadInput);
  EXPECT_THROW(prepare(p, Command{AddCodings{{coding(5, 5)}}, ""}), BadInput);
  EXPECT_THROW(prepare(p, Command{AddCodings{{coding(-1, 3)}}, ""}), BadInput);
}

TEST(Commands, FoldersAndUnknownsAreRefused) {
  Project p = small_project();
  Coding c = coding(0, 4);
  c.code = "f0000000-0000-4000-8000-000000000001";
  try {
    prepare(p, Command{AddCodings{{c}}, ""});
    FAIL() << "a folder was accepted as a code";
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("Ruptures"), std::string::npos) << e.what();
  }
  c = coding(0, 4);
  c.coder = "c0000000-0000-4000-8000-00000000dead";
  EXPECT_THROW(prepare(p, Command{AddCodings{{c}}, ""}), BadInput);
}

TEST(Commands, CodesWithCodingsCannotBeRemoved) {
  Project p = small_project();
  apply(p, prepare(p, Command{AddCodings{{coding(0, 4)}}, ""}));
  EXPECT_THROW(
      prepare(p, Command{RemoveCodes{{*p.code("a0000000-0000-4000-8000-000000000001")}}, ""}),
      BadInput);
  // Removing a parent without its child would orphan the child.
  EXPECT_THROW(
      prepare(p, Command{RemoveCodes{{*p.code("f0000000-0000-4000-8000-000000000001")}}, ""}),
      BadInput);
}

TEST(Commands, CodebookLoadTwiceAddsNothingAndUndoRemovesChildrenFirst) {
  Project p;
  Code parent{"{F1000000-0000-4000-8000-000000000001}", "Bond", "", "", "", false};
  Code child{"a1000000-0000-4000-8000-000000000001", "Warmth", "#56B4E9", "",
             "F1000000-0000-4000-8000-000000000001", true};
  Command load = prepare(p, Command{AddCodes{{parent, child}}, "Load"});
  apply(p, load);
  ASSERT_EQ(p.codes.size(), 2u);
  EXPECT_EQ(p.codes[0].guid, "f1000000-0000-4000-8000-000000000001");
  EXPECT_EQ(p.codes[1].parent, "f1000000-0000-4000-8000-000000000001");
  EXPECT_TRUE(is_empty(prepare(p, Command{AddCodes{{parent, child}}, "Load"})));
  Command undo = prepare(p, inverse(load));
  apply(p, undo);
  EXPECT_TRUE(p.codes.empty());
}

TEST(Naming, GuidNamePathAndAmbiguity) {
  Project p = small_project();
  p.codes.push_back({"a0000000-0000-4000-8000-000000000003", "Shame", "", "",
                     "f0000000-0000-4000-8000-000000000001", true});
  EXPECT_EQ(resolve_code(p, "Withdrawal rupture"), "a0000000-0000-4000-8000-000000000001");
  EXPECT_EQ(resolve_code(p, "Ruptures/Withdrawal rupture"), "a0000000-0000-4000-8000-000000000001");
  EXPECT_EQ(resolve_code(p, "{A0000000-0000-4000-8000-000000000002}"),
            "a0000000-0000-4000-8000-000000000002");
  EXPECT_EQ(resolve_code(p, "Ruptures/Shame"), "a0000000-0000-4000-8000-000000000003");
  try {
    resolve_code(p, "Shame");
    FAIL() << "ambiguous name accepted";
  } catch (const BadInput& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("ambiguous"), std::string::npos);
    EXPECT_NE(m.find("Ruptures/Shame"), std::string::npos) << m;
  }
  EXPECT_THROW(resolve_code(p, "Trust"), BadInput);
  EXPECT_EQ(resolve_source(p, "d1_client"), "50000000-0000-4000-8000-000000000001");
}

TEST(Model, GuidsAreV4AndNormalised) {
  const std::string g = new_guid();
  ASSERT_EQ(g.size(), 36u);
  EXPECT_EQ(g[14], '4');
  EXPECT_NE(g, new_guid());
  EXPECT_EQ(normalize_guid("{ABCDEF00-0000-4000-8000-000000000001}"),
            "abcdef00-0000-4000-8000-000000000001");
  EXPECT_EQ(parse_role("Client"), Role::Client);
  EXPECT_EQ(role_name(Role::Interviewer), "interviewer");
  EXPECT_FALSE(parse_role("wizard").has_value());
}

}  // namespace
