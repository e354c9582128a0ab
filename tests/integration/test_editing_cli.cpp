// The editing commands end to end: the codebook (new, rename, recolour, describe, move, merge,
// split, delete), coding a turn and in vivo, memos; each undone by `undo` to the same project.qde.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using namespace marginalia::cli_testing;

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class EditingCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(run("init " + project_ + " --name 'Alliance pilot'").exit_code, 0);
    CliResult r =
        run("import " + project_ + " " + quoted((kFixtures / "first_session.txt").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Runs a write command on the project, expecting success.
  std::string ok(const std::string& command, const std::string& args) {
    CliResult r = run(command + " " + project_ + " " + args);
    EXPECT_EQ(r.exit_code, 0) << command << " " << args << ": " << r.err;
    return trimmed(r.out);
  }

  // Expects exit 1 with `message` in the one-line error.
  void fails(const std::string& command, const std::string& args, const std::string& message) {
    CliResult r = run(command + " " + project_ + " " + args);
    EXPECT_EQ(r.exit_code, 1) << command << " " << args << ": " << r.out;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }

  nlohmann::json codebook() {
    CliResult r = run("codebook " + project_ + " list --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  nlohmann::json code_named(const std::string& path) {
    for (const auto& c : codebook())
      if (c["path"] == path) return c;
    return nullptr;
  }
  nlohmann::json codings(const std::string& code = "") {
    CliResult r = run("codings " + project_ + " --format json" +
                      (code.empty() ? "" : " --code " + quoted(code)));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  std::string qde() { return slurp(fs::path(project_) / "project.qde"); }

  // Runs the command, then `undo`: project.qde is as it was.
  void undoes(const std::string& command, const std::string& args) {
    const std::string before = qde();
    ok(command, args);
    EXPECT_NE(qde(), before) << command << " changed nothing";
    CliResult r = run("undo " + project_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(qde(), before) << "undo of " << command;
    r = run("redo " + project_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(qde(), before) << "redo of " << command;
  }

  int64_t offset_of(const std::string& words) {  // the fixture is ASCII up to these words
    const std::string text = slurp(kFixtures / "first_session.txt");
    return static_cast<int64_t>(text.find(words));
  }
};

}  // namespace

TEST_F(EditingCli, NewRenameRecolourDescribe) {
  const std::string folder = ok("new-code", "--name Ruptures --folder");
  EXPECT_EQ(folder.size(), 36u);
  undoes("new-code", "--name Withdrawal --parent Ruptures --color '#123abc'");
  const auto withdrawal = code_named("Ruptures/Withdrawal");
  ASSERT_FALSE(withdrawal.is_null());
  EXPECT_EQ(withdrawal["color"], "#123ABC");
  EXPECT_EQ(code_named("Ruptures")["codable"], false);
  fails("new-code", "--name Withdrawal --parent Ruptures",
        "already a code \"Ruptures/Withdrawal\"");

  undoes("rename-code", "--code Transparency --name Openness");
  EXPECT_FALSE(code_named("Openness").is_null());
  EXPECT_TRUE(code_named("Transparency").is_null());
  fails("rename-code", "--code Openness --name ' '", "the new name is empty");
  fails("rename-code", "--code Nothing --name X", "no code named \"Nothing\"");

  undoes("recolour-code", "--code Openness --color '#0f0'");
  EXPECT_EQ(code_named("Openness")["color"], "#00FF00");
  fails("recolour-code", "--code Openness --color red", "#RRGGBB");

  undoes("describe-code",
         "--code Openness --definition 'The therapist explains the frame.' --example "
         "'\"what she writes down\"'");
  CliResult r = run("describe-code " + project_ + " --code Openness");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Definition: The therapist explains the frame.\nUse when: \nDo not use when: \n"
            "Example: \"what she writes down\"\n");
  // One part at a time: the others stay.
  ok("describe-code", "--code Openness --use-when 'It names the setting.'");
  r = run("describe-code " + project_ + " --code Openness");
  EXPECT_NE(r.out.find("Definition: The therapist explains the frame.\nUse when: It names"),
            std::string::npos)
      << r.out;
  const std::string qdc = (dir_ / "book.qdc").string();
  ASSERT_EQ(run("codebook " + project_ + " export " + qdc).exit_code, 0);
  EXPECT_NE(slurp(qdc).find("Definition: The therapist explains the frame.\n\nUse when: It names "
                            "the setting.\n\nExample:"),
            std::string::npos);
}

TEST_F(EditingCli, MoveInTheTree) {
  undoes("move-code", "--code Transparency --parent 'Alliance formation' --position 1");
  const auto book = codebook();
  EXPECT_EQ(book[1]["path"], "Alliance formation/Transparency");
  undoes("move-code", "--code 'Early anxiety' --top");
  EXPECT_EQ(codebook().back()["path"], "Early anxiety");
  // A codable code may take subcodes.
  undoes("move-code", "--code 'Anxiety becoming bearable' --parent 'Early anxiety'");
  EXPECT_FALSE(code_named("Early anxiety/Anxiety becoming bearable").is_null());
  fails("move-code", "--code 'Alliance formation' --parent 'Alliance formation/Transparency'",
        "that code is inside it");
  fails("move-code", "--code Transparency --parent Transparency", "its own parent");
  CliResult r = run("move-code " + project_ + " --code Transparency");
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(EditingCli, CodeATurnInVivoMergeSplitDelete) {
  const std::string turn =
      ok("code-turn", "--source first_session --turn 2 --code 'Early anxiety'");
  EXPECT_EQ(turn.size(), 36u);
  auto coded = codings("Early anxiety");
  ASSERT_EQ(coded.size(), 1u);
  EXPECT_EQ(coded[0]["text"].get<std::string>().rfind("Honestly I was frightened.", 0), 0u);
  EXPECT_EQ(ok("code-turn", "--source first_session --turn 2 --code 'Early anxiety'"),
            "Already coded: nothing changed");
  fails("code-turn", "--source first_session --turn 9 --code 'Early anxiety'", "4 turns");

  const int64_t start = offset_of("I was frightened");
  const std::string span =
      "--source first_session --start " + std::to_string(start) + " --end " +
      std::to_string(start + 17);  // with the full stop, which the name leaves out
  const std::string before_invivo = qde();
  const std::string invivo = ok("invivo", span + " --parent 'Alliance formation'");
  EXPECT_EQ(invivo.rfind("Created and applied \"Alliance formation/I was frightened\" ", 0), 0u)
      << invivo;
  ASSERT_EQ(run("undo " + project_).exit_code, 0);
  EXPECT_EQ(qde(), before_invivo) << "one undo removes the code and its coding";
  ASSERT_EQ(run("redo " + project_).exit_code, 0);
  EXPECT_EQ(codings("Alliance formation/I was frightened").size(), 1u);

  // The same turn coded with a second code by the same coder: merging folds it into one.
  ok("code-turn", "--source first_session --turn 2 --code 'Anxiety becoming bearable'");
  ok("code-turn", "--source first_session --turn 4 --code 'Anxiety becoming bearable'");
  undoes("merge-codes", "--from 'Anxiety becoming bearable' --into 'Early anxiety'");
  EXPECT_TRUE(code_named("Alliance formation/Anxiety becoming bearable").is_null());
  coded = codings("Early anxiety");
  ASSERT_EQ(coded.size(), 2u);
  fails("merge-codes", "--from 'Early anxiety' --into 'Early anxiety'", "into itself");
  fails("merge-codes", "--from 'Early anxiety' --into 'Alliance formation'", "is a folder");
  fails("merge-codes", "--from Nothing --into 'Early anxiety'", "no code named \"Nothing\"");

  const std::string moved = coded[1]["guid"];
  fails("split-code", "--code 'Early anxiety' --into Relief --coding " + moved, "add --new");
  undoes("split-code", "--code 'Early anxiety' --into Relief --new --coding " + moved.substr(0, 8));
  EXPECT_EQ(codings("Alliance formation/Relief").size(), 1u);
  EXPECT_EQ(codings("Early anxiety").size(), 1u);
  fails("split-code", "--code Transparency --into Relief --coding " + turn, "is not coded with");

  fails("delete-code", "--code 'Alliance formation'", "--with-subcodes");
  undoes("delete-code", "--code 'Early anxiety'");
  EXPECT_TRUE(code_named("Alliance formation/Early anxiety").is_null());
  undoes("delete-code", "--code 'Alliance formation' --with-subcodes");
  EXPECT_EQ(codebook().size(), 1u);
  EXPECT_EQ(codings().size(), 0u);
}

TEST_F(EditingCli, Memos) {
  const std::string coding =
      ok("code", "--source first_session --start 20 --end 30 --code Transparency");
  undoes("memo", "--project --text 'Pilot: check the consent forms.'");
  ok("memo", "--code Transparency --text 'Close to Goals and tasks?'");
  ok("memo", "--code Transparency --text 'Close to Goals?'");  // edits the one memo
  ok("memo", "--source first_session --text 'Recorded in person.'");
  undoes("memo", "--coding " + coding.substr(0, 8) + " --text 'ambiguous'");
  EXPECT_EQ(ok("memo", "--project"), "Pilot: check the consent forms.");

  CliResult r = run("memos " + project_ + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto memos = nlohmann::json::parse(r.out);
  ASSERT_EQ(memos.size(), 4u) << r.out;
  EXPECT_EQ(memos[0]["target_kind"], "project");
  EXPECT_EQ(memos[1]["target_kind"], "source");
  EXPECT_EQ(memos[2]["target_kind"], "code");
  EXPECT_EQ(memos[2]["text"], "Close to Goals?");
  EXPECT_EQ(memos[3]["target_kind"], "coding");
  EXPECT_EQ(memos[3]["target"], coding);
  EXPECT_EQ(memos[3]["text"], "ambiguous");
  r = run("memos " + project_);
  EXPECT_NE(r.out.find("code  Transparency\n  Close to Goals?\n"), std::string::npos) << r.out;

  undoes("memo", "--code Transparency --remove");
  fails("memo", "--code 'Early anxiety' --remove", "has no memo");
  EXPECT_EQ(run("memo " + project_ + " --project --source first_session --text x").exit_code, 2);
  EXPECT_EQ(run("memo " + project_ + " --text x").exit_code, 2);
}
