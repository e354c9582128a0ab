// The coding operations of issue 5: each one command whose undo restores the exact previous
// project, whose redo re-applies it, and whose journal form (JSON) applies alike.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "../../core/src/storage/storage_io.h"
#include "marginalia/coding_operations.h"
#include "marginalia/commands.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"

using namespace marginalia;

namespace {

const std::string kAna = "c0000000-0000-4000-8000-000000000001";
const std::string kBen = "c0000000-0000-4000-8000-000000000002";
const std::string kSource = "50000000-0000-4000-8000-000000000001";
const std::string kRuptures = "f0000000-0000-4000-8000-000000000001";  // folder
const std::string kWithdrawal = "a0000000-0000-4000-8000-000000000001";
const std::string kConfrontation = "a0000000-0000-4000-8000-000000000002";
const std::string kShame = "a0000000-0000-4000-8000-000000000003";
const std::string kRepair = "a0000000-0000-4000-8000-000000000004";
const std::string kApology = "a0000000-0000-4000-8000-000000000005";

Coding make_coding(int n, int64_t start, int64_t end, const std::string& code,
                   const std::string& coder, const std::string& memo = "") {
  return {"e0000000-0000-4000-8000-00000000000" + std::to_string(n),
          kSource,
          start,
          end,
          code,
          coder,
          "2026-01-0" + std::to_string(n) + "T00:00:00Z",
          memo};
}

Project study() {
  Project p;
  p.guid = "90000000-0000-4000-8000-000000000001";
  p.name = "pilot";
  p.coders = {{kAna, "ana"}, {kBen, "ben"}};
  p.codes = {{kRuptures, "Ruptures", "#D55E00", "", "", false},
             {kWithdrawal, "Withdrawal", "#FB9A99", "Definition: pulling away.", kRuptures, true},
             {kShame, "Shame", "#56B4E9", "", "", true},
             {kConfrontation, "Confrontation", "#E31A1C", "", kRuptures, true},
             {kRepair, "Repair", "#009E73", "", "", true},
             {kApology, "Apology", "#A6D854", "", kRepair, true}};
  Source s;
  s.guid = kSource;
  s.name = "d1_client";
  s.text = "Interviewer: How was it?\nClient: \u201cI felt\n  boring,\u201d honestly. \U0001F62C\n";
  s.utterances = {{"Interviewer", Role::Interviewer, 13, 24, std::nullopt},
                  {"Client", Role::Client, 33, 61, std::nullopt},
                  {"X", Role::Other, 61, 61, std::nullopt}};
  p.sources.push_back(s);
  p.codings = {
      make_coding(1, 33, 45, kWithdrawal, kAna, "first"), make_coding(2, 13, 24, kShame, kAna),
      make_coding(3, 33, 45, kShame, kAna, "second"),     make_coding(4, 33, 45, kShame, kBen),
      make_coding(5, 40, 50, kWithdrawal, kBen),          make_coding(6, 0, 5, kApology, kAna)};
  p.memos = {{"d0000000-0000-4000-8000-000000000001", MemoTarget::Project, "", "Plan", "t1"},
             {"d0000000-0000-4000-8000-000000000002", MemoTarget::Code, kWithdrawal, "W", "t2"},
             {"d0000000-0000-4000-8000-000000000003", MemoTarget::Source, kSource, "S", "t3"}};
  return p;
}

// Prepares and applies `command`; checks replay, undo (the exact previous project), redo and the
// journal's JSON form. Returns the project after.
Project run(const Project& before, const Command& command) {
  Project p = before;
  const Command prepared = prepare(p, command);
  EXPECT_FALSE(is_empty(prepared)) << command.label;
  apply(p, prepared);
  const Project after = p;
  apply(p, prepared);
  EXPECT_EQ(p, after) << "replaying changes nothing: " << command.label;
  apply(p, inverse(prepared));
  EXPECT_EQ(p, before) << "undo restores the exact project: " << command.label;
  apply(p, prepared);
  EXPECT_EQ(p, after) << "redo: " << command.label;

  auto text = [&](const std::string& guid) { return before.source(guid)->text; };
  const Command journaled = storage::command_from_json(
      nlohmann::json::parse(storage::command_to_json(prepared).dump()), text);
  Project q = before;
  apply(q, journaled);
  EXPECT_EQ(q, after) << "journaled form: " << command.label;
  apply(q, inverse(journaled));
  EXPECT_EQ(q, before) << "journaled undo: " << command.label;
  return after;
}

std::vector<std::string> code_order(const Project& p) {
  std::vector<std::string> out;
  for (const Code& c : p.codes) out.push_back(p.code_path(c));
  return out;
}

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const BadInput& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(CodingOperations, CodeAndUncodeASpanUndoExactly) {
  const Project before = study();
  Coding c = make_coding(7, 2, 9, kConfrontation, kBen);
  Project after = run(before, Command{AddCodings{{c}}, "Code"});
  EXPECT_EQ(after.codings.back(), c);
  // Removing codings from the middle: undo puts them back where they were.
  after = run(before, Command{RemoveCodings{{before.codings[3], before.codings[1]}}, "Uncode"});
  ASSERT_EQ(after.codings.size(), 4u);
  EXPECT_EQ(after.codings[1].guid, before.codings[2].guid);
}

TEST(CodingOperations, CodeAWholeTurn) {
  const Project before = study();
  const Project after = run(before, code_utterance(before, kSource, 1, kRepair, kBen));
  const Coding& c = after.codings.back();
  EXPECT_EQ(c.start, 33);
  EXPECT_EQ(c.end, 61);
  EXPECT_EQ(c.code, kRepair);
  EXPECT_NE(error_of([&] { code_utterance(before, kSource, 3, kRepair, kBen); }).find("3 turns"),
            std::string::npos);
  EXPECT_NE(error_of([&] { code_utterance(before, kSource, 2, kRepair, kBen); }).find("no words"),
            std::string::npos);
  EXPECT_THROW(prepare(before, code_utterance(before, kSource, 0, kRuptures, kBen)), BadInput);
}

TEST(CodingOperations, InVivoNamesAreTrimmedAndShortened) {
  EXPECT_EQ(in_vivo_name("\u201cI felt\n  boring,\u201d"), "I felt boring");
  EXPECT_EQ(in_vivo_name("  ...why me?  "), "why me?");
  EXPECT_EQ(in_vivo_name(" (\"\u2014\") "), "");
  const std::string long_text =
      "and then I thought she would never understand what it was like to sit there every week "
      "saying nothing";
  const std::string name = in_vivo_name(long_text);
  EXPECT_EQ(name, "and then I thought she would never understand what it was…");
  EXPECT_EQ(in_vivo_name(std::string(80, 'a')), std::string(60, 'a') + "…");
}

TEST(CodingOperations, InVivoCreatesAndAppliesACodeInOneCommand) {
  const Project before = study();
  // [34, 49): "I felt\n  boring" inside the quotes.
  Created created = code_in_vivo(before, kSource, 33, 51, kAna, kRepair);
  ASSERT_TRUE(std::holds_alternative<Batch>(created.command.action));
  const Project after = run(before, created.command);
  ASSERT_EQ(after.codes.size(), before.codes.size() + 1);
  const Code& code = *after.code(created.guid);
  EXPECT_EQ(code.name, "I felt boring");
  EXPECT_EQ(code.parent, kRepair);
  EXPECT_TRUE(code.codable);
  EXPECT_FALSE(code.color.empty());
  const Coding& coding = after.codings.back();
  EXPECT_EQ(coding.code, created.guid);
  EXPECT_EQ(coding.start, 33);
  EXPECT_EQ(coding.end, 51);
  // The same words again, by another coder: the code is reused.
  Created again = code_in_vivo(after, kSource, 33, 51, kBen, kRepair);
  EXPECT_EQ(again.guid, created.guid);
  const Project twice = run(after, again.command);
  EXPECT_EQ(twice.codes.size(), after.codes.size());
  EXPECT_EQ(twice.codings.size(), after.codings.size() + 1);
  EXPECT_THROW(code_in_vivo(before, kSource, 60, 61, kAna), BadInput);  // only "."
  EXPECT_THROW(code_in_vivo(before, kSource, 5, 500, kAna), BadInput);
}

TEST(CodingOperations, RenameRecolourDescribe) {
  const Project before = study();
  Project after = run(before, rename_code(before, kShame, "  Shame and guilt "));
  EXPECT_EQ(after.code(kShame)->name, "Shame and guilt");
  EXPECT_EQ(resolve_code(after, "Shame and guilt"), kShame);

  after = run(before, recolour_code(before, kShame, "#abc"));
  EXPECT_EQ(after.code(kShame)->color, "#AABBCC");
  after = run(before, recolour_code(before, kShame, ""));
  EXPECT_EQ(after.code(kShame)->color, "");

  CodeDescription d = split_description(before.code(kWithdrawal)->description);
  d.use_when = "The client goes quiet.";
  d.example = "\"I just stopped talking.\"";
  after = run(before, describe_code(before, kWithdrawal, d));
  EXPECT_EQ(after.code(kWithdrawal)->description,
            "Definition: pulling away.\n\nUse when: The client goes quiet.\n\n"
            "Example: \"I just stopped talking.\"");

  EXPECT_NE(error_of([&] { rename_code(before, kShame, " "); }).find("the new name is empty"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              rename_code(before, kWithdrawal, "Confrontation");
            }).find("already a code \"Ruptures/Confrontation\""),
            std::string::npos);
  EXPECT_NE(error_of([&] { rename_code(before, "no-such-code", "X"); }).find("no code"),
            std::string::npos);
  for (const char* bad : {"red", "#12345", "#GGGGGG", "A1B2C3"})
    EXPECT_NE(error_of([&] {
                prepare(before, recolour_code(before, kShame, bad));
              }).find("is not a colour of the form #RRGGBB"),
              std::string::npos)
        << bad;
  EXPECT_TRUE(is_empty(prepare(before, rename_code(before, kShame, "Shame"))));
}

TEST(CodingOperations, DescriptionsSplitAndJoin) {
  const std::string shipped =
      "Definition: How the working relationship\nfirst takes shape.\n\nUse when: Folder: code "
      "with its sub-codes.\n\nDo not use when: Folder, not codable.\n\nExample: \"Nervous.\"";
  const CodeDescription d = split_description(shipped);
  EXPECT_EQ(d.definition, "How the working relationship\nfirst takes shape.");
  EXPECT_EQ(d.use_when, "Folder: code with its sub-codes.");
  EXPECT_EQ(d.not_when, "Folder, not codable.");
  EXPECT_EQ(d.example, "\"Nervous.\"");
  EXPECT_EQ(d.other, "");
  EXPECT_EQ(join_description(d), shipped);

  const CodeDescription loose = split_description("Written elsewhere.\ndefinition:\nx\ny");
  EXPECT_EQ(loose.other, "Written elsewhere.");
  EXPECT_EQ(loose.definition, "x\ny");
  EXPECT_EQ(join_description(loose), "Written elsewhere.\n\nDefinition: x\ny");
  EXPECT_EQ(join_description({}), "");
}

TEST(CodingOperations, MoveInTheTree) {
  const Project before = study();
  // Shame under the Ruptures folder, first among its children.
  Project after = run(before, move_code(before, kShame, kRuptures, 0));
  EXPECT_EQ(code_order(after),
            (std::vector<std::string>{"Ruptures", "Ruptures/Shame", "Ruptures/Withdrawal",
                                      "Ruptures/Confrontation", "Repair", "Repair/Apology"}));
  // A codable code under a codable code, further down the codebook: parents stay first.
  after = run(before, move_code(before, kRuptures, kApology));
  EXPECT_EQ(code_order(after),
            (std::vector<std::string>{
                "Shame", "Repair", "Repair/Apology", "Repair/Apology/Ruptures",
                "Repair/Apology/Ruptures/Withdrawal", "Repair/Apology/Ruptures/Confrontation"}));
  // Back to the top level, last; and a position among siblings.
  after = run(before, move_code(before, kConfrontation, ""));
  EXPECT_EQ(after.codes.back().guid, kConfrontation);
  EXPECT_EQ(after.code(kConfrontation)->parent, "");
  after = run(before, move_code(before, kConfrontation, kRuptures, 0));
  EXPECT_EQ(code_order(after)[1], "Ruptures/Confrontation");

  EXPECT_NE(error_of([&] {
              move_code(before, kRuptures, kWithdrawal);
            }).find("cannot move \"Ruptures\" under \"Ruptures/Withdrawal\": that code is inside"),
            std::string::npos);
  EXPECT_NE(error_of([&] { move_code(before, kShame, kShame); }).find("its own parent"),
            std::string::npos);
  EXPECT_THROW(move_code(before, kShame, "nowhere"), BadInput);
  // The command itself refuses cycles too.
  Code looped = *before.code(kRuptures);
  looped.parent = kConfrontation;
  EXPECT_THROW(prepare(before, Command{UpdateCodes{{looped}}, ""}), BadInput);
  // Without an order, a new parent further down moves the subtree after it.
  Code moved = *before.code(kRuptures);
  moved.parent = kRepair;
  after = run(before, Command{UpdateCodes{{moved}}, "Move"});
  EXPECT_EQ(code_order(after)[3], "Repair/Ruptures");
}

TEST(CodingOperations, MergeMovesCodingsFoldsDuplicatesAndUndoesExactly) {
  Project before = study();
  before.codes.push_back(
      {"a0000000-0000-4000-8000-000000000006", "Stonewalling", "", "", kWithdrawal, true});
  before.memos.push_back({"d0000000-0000-4000-8000-000000000004", MemoTarget::Coding,
                          before.codings[0].guid, "c", ""});
  const Project after = run(before, merge_codes(before, kWithdrawal, kShame));
  EXPECT_EQ(after.code(kWithdrawal), nullptr);
  // Coding 1 (ana, 33-45) duplicates coding 3 of Shame: it folds into it, memos joined.
  EXPECT_EQ(after.coding(before.codings[0].guid), nullptr);
  EXPECT_EQ(after.coding(before.codings[2].guid)->memo, "second\n\nfirst");
  // Coding 5 moves in place, keeping its guid.
  ASSERT_EQ(after.codings.size(), 5u);
  EXPECT_EQ(after.codings[3].guid, before.codings[4].guid);
  EXPECT_EQ(after.codings[3].code, kShame);
  // Children move, memos follow.
  EXPECT_EQ(after.code("a0000000-0000-4000-8000-000000000006")->parent, kShame);
  EXPECT_EQ(after.memos[1].target, kShame);
  EXPECT_EQ(after.memos[3].target, before.codings[2].guid);
  EXPECT_EQ(code_order(after),
            (std::vector<std::string>{"Ruptures", "Shame", "Shame/Stonewalling",
                                      "Ruptures/Confrontation", "Repair", "Repair/Apology"}));

  EXPECT_NE(error_of([&] { merge_codes(before, kShame, kShame); }).find("into itself"),
            std::string::npos);
  EXPECT_NE(error_of([&] { merge_codes(before, kRuptures, kWithdrawal); }).find("inside it"),
            std::string::npos);
  EXPECT_NE(error_of([&] { merge_codes(before, kShame, kRuptures); }).find("is a folder"),
            std::string::npos);
  // A folder merges into a folder: its children move.
  Project folders = study();
  folders.codes.push_back({"f0000000-0000-4000-8000-000000000002", "Old", "", "", "", false});
  const Project merged = run(folders, merge_codes(folders, kRuptures, folders.codes.back().guid));
  EXPECT_EQ(merged.code(kWithdrawal)->parent, "f0000000-0000-4000-8000-000000000002");
}

TEST(CodingOperations, SplitMovesChosenCodings) {
  const Project before = study();
  // Ben's Shame coding moves to Withdrawal; ana's stays.
  Project after = run(before, split_code(before, kShame, {before.codings[3].guid}, kWithdrawal));
  EXPECT_EQ(after.codings[3].code, kWithdrawal);
  EXPECT_EQ(after.codings[2].code, kShame);
  // Into a new code beside it.
  Created created = split_code_into_new(
      before, kWithdrawal, {before.codings[0].guid, before.codings[4].guid}, "Silence");
  after = run(before, created.command);
  const Code& fresh = *after.code(created.guid);
  EXPECT_EQ(fresh.name, "Silence");
  EXPECT_EQ(fresh.parent, kRuptures);
  EXPECT_EQ(after.codings[0].code, created.guid);
  EXPECT_EQ(after.codings[4].code, created.guid);

  EXPECT_NE(error_of([&] {
              split_code(before, kShame, {before.codings[0].guid}, kRepair);
            }).find("is not coded with \"Shame\" but with \"Ruptures/Withdrawal\""),
            std::string::npos);
  EXPECT_THROW(split_code(before, kShame, {}, kRepair), BadInput);
  EXPECT_THROW(split_code(before, kShame, {before.codings[1].guid}, kRuptures), BadInput);
  EXPECT_THROW(split_code_into_new(before, kShame, {before.codings[1].guid}, "Repair"), BadInput);
}

TEST(CodingOperations, DeleteACodeWithItsCodingsAndMemos) {
  const Project before = study();
  Project after = run(before, delete_code(before, kWithdrawal, false));
  EXPECT_EQ(after.code(kWithdrawal), nullptr);
  EXPECT_EQ(after.codings.size(), 4u);
  EXPECT_EQ(after.memos.size(), 2u);
  EXPECT_NE(error_of([&] { delete_code(before, kRepair, false); }).find("has 1 subcode;"),
            std::string::npos);
  after = run(before, delete_code(before, kRuptures, true));
  EXPECT_EQ(code_order(after), (std::vector<std::string>{"Shame", "Repair", "Repair/Apology"}));
  EXPECT_EQ(after.codings.size(), 4u);
  after = run(before, delete_code(before, kRepair, true));
  EXPECT_EQ(after.codings.size(), 5u);
}

TEST(CodingOperations, MemosOnTheProjectASourceACodeAndACoding) {
  const Project before = study();
  Project after = run(before, set_memo(before, MemoTarget::Project, "", "New plan"));
  EXPECT_EQ(after.memos[0].text, "New plan");
  EXPECT_EQ(after.memos[0].created, "t1");
  after = run(before, set_memo(before, MemoTarget::Code, kShame, "About shame"));
  EXPECT_EQ(after.memos.back().target_kind, MemoTarget::Code);
  EXPECT_EQ(after.memos.back().target, kShame);
  EXPECT_FALSE(after.memos.back().created.empty());
  // Removing the first memo: undo puts it back first.
  after = run(before, remove_memo(before, MemoTarget::Project, ""));
  EXPECT_EQ(after.memos.size(), 2u);
  after = run(before, set_memo(before, MemoTarget::Source, kSource, ""));  // empty text removes
  EXPECT_EQ(after.memos.size(), 2u);
  // A coding's memo is Coding::memo.
  after = run(before, set_memo(before, MemoTarget::Coding, before.codings[1].guid, "odd"));
  EXPECT_EQ(after.codings[1].memo, "odd");
  EXPECT_EQ(after.memos, before.memos);
  after = run(before, remove_memo(before, MemoTarget::Coding, before.codings[0].guid));
  EXPECT_EQ(after.codings[0].memo, "");
  EXPECT_THROW(remove_memo(before, MemoTarget::Code, kShame), BadInput);
  EXPECT_THROW(set_memo(before, MemoTarget::Code, "nope", "x"), BadInput);
  // Several memos on one target: name one.
  Project two = run(before, Command{SetMemos{{{"", MemoTarget::Project, "", "Second", ""}}}, ""});
  EXPECT_NE(error_of([&] { set_memo(two, MemoTarget::Project, "", "x"); }).find("has 2 memos"),
            std::string::npos);
  after = run(two, set_memo(two, MemoTarget::Project, "", "x", two.memos.back().guid.substr(0, 8)));
  EXPECT_EQ(after.memos.back().text, "x");
  // No new memo on a coding in Project::memos: one place for coding memos.
  EXPECT_THROW(
      prepare(before,
              Command{SetMemos{{{"", MemoTarget::Coding, before.codings[0].guid, "x", ""}}}, ""}),
      BadInput);

  const auto listed = list_memos(before);
  ASSERT_EQ(listed.size(), 5u);
  EXPECT_EQ(listed[0].kind, MemoTarget::Project);
  EXPECT_EQ(listed[1].kind, MemoTarget::Source);
  EXPECT_EQ(listed[2].target_name, "Ruptures/Withdrawal");
  EXPECT_EQ(listed[3].kind, MemoTarget::Coding);
  EXPECT_EQ(listed[3].text, "first");
}

TEST(CodingOperations, NewCodesAndTheirColours) {
  const Project before = study();
  Code code;
  code.name = "Hope";
  code.parent = kRepair;
  Created created = new_code(before, code);
  const Project after = run(before, created.command);
  EXPECT_EQ(after.code(created.guid)->color, "#E69F00");  // first unused Okabe-Ito colour
  EXPECT_EQ(after.code(created.guid)->parent, kRepair);
  code.name = "Apology";
  EXPECT_THROW(new_code(before, code), BadInput);
  code.name = "";
  EXPECT_THROW(new_code(before, code), BadInput);
}

TEST(CodingOperations, UpdateCodingsRefusesToMakeTwoCodingsOne) {
  const Project before = study();
  Coding c = before.codings[3];  // ben's Shame 33-45
  c.coder = kAna;                // ana has that one already
  EXPECT_NE(error_of([&] {
              prepare(before, Command{UpdateCodings{{c}}, ""});
            }).find("would become the same coding"),
            std::string::npos);
  c.coder = kBen;
  c.code = kRuptures;
  EXPECT_THROW(prepare(before, Command{UpdateCodings{{c}}, ""}), BadInput);
  Coding missing = before.codings[0];
  missing.guid = "e0000000-0000-4000-8000-000000000099";
  EXPECT_THROW(prepare(before, Command{UpdateCodings{{missing}}, ""}), BadInput);
}

TEST(CodingOperations, BatchesNestAndEmptyOnesAreEmpty) {
  const Project before = study();
  Batch inner{{RemoveCodings{{before.codings[0]}}, AddCodings{{before.codings[1]}}}};
  Batch outer{{inner, recolour_code(before, kShame, "#000000").action}};
  run(before, Command{outer, "Nested"});
  EXPECT_TRUE(is_empty(prepare(before, Command{Batch{{AddCodings{{before.codings[1]}}}}, ""})));
  // One action left: unwrapped.
  const Command one = prepare(
      before,
      Command{Batch{{AddCodings{{before.codings[1]}}, RemoveCodings{{before.codings[0]}}}}, ""});
  EXPECT_TRUE(std::holds_alternative<RemoveCodings>(one.action));
}

TEST(CodingOperations, TheStoreJournalsUndoesAndReplaysThem) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("marginalia-coding-ops-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  Project initial = study();
  initial.memos.clear();  // REFI keeps memos by their own rules; this test is about the journal
  for (Coding& c : initial.codings) c.memo.clear();
  ProjectStore::create_from(folder, initial);
  Project before, merged;
  {
    auto store = ProjectStore::open(folder);
    before = store->project();
    ASSERT_TRUE(store->execute(merge_codes(before, kWithdrawal, kShame)));
    merged = store->project();
    ASSERT_TRUE(store->execute(set_memo(merged, MemoTarget::Code, kShame, "memo")));
    ASSERT_TRUE(store->undo());
    EXPECT_EQ(store->project(), merged);
  }
  {
    auto store = ProjectStore::open(folder);  // replays the journal
    EXPECT_EQ(store->project(), merged);
    ASSERT_TRUE(store->undo());
    EXPECT_EQ(store->project(), before);
    store->snapshot();
  }
  {
    auto store = ProjectStore::open(folder);  // the history survives the snapshot
    EXPECT_EQ(store->project(), before);
    ASSERT_TRUE(store->redo());
    EXPECT_EQ(store->project(), merged);
  }
  std::filesystem::remove_all(folder);
}
