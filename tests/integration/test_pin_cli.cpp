// `pin`: which code sits on each coding key of the workbench, undoable like any edit and shown by
// `codebook list`.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_fixture.h"

using namespace marginalia::cli_testing;

namespace {

class PinCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(run("init " + project_ + " --name pilot").exit_code, 0);
    CliResult r =
        run("codebook " + project_ + " load " + quoted((kFixtures / "mini.qdc").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Code name -> key (0: none), from `codebook list --format json`.
  std::map<std::string, int> keys() {
    CliResult r = run("codebook " + project_ + " list --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int> out;
    for (const auto& c : nlohmann::json::parse(r.out))
      out[c["path"].get<std::string>()] = c["key"].is_null() ? 0 : c["key"].get<int>();
    return out;
  }
};

TEST_F(PinCli, PinMovesClearsAndUndoes) {
  // Never pinned: the codable codes in codebook order, the folder without a key.
  std::map<std::string, int> k = keys();
  EXPECT_EQ(k["Alliance formation"], 0);
  EXPECT_EQ(k["Alliance formation/Early anxiety"], 1);
  EXPECT_EQ(k["Transparency"], 3);

  CliResult r = run("pin " + project_ + " Transparency --key 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Pinned \"Transparency\" to key 1\n");
  k = keys();
  EXPECT_EQ(k["Transparency"], 1);
  EXPECT_EQ(k["Alliance formation/Early anxiety"], 0);

  r = run("codebook " + project_ + " list");
  EXPECT_NE(r.out.find("Key\n"), std::string::npos) << r.out;

  r = run("pin " + project_ + " --key 1 --clear");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Cleared key 1\n");
  EXPECT_EQ(keys()["Transparency"], 0);

  r = run("undo " + project_);
  EXPECT_EQ(r.out, "Undid Clear key 1\n");
  EXPECT_EQ(keys()["Transparency"], 1);
  r = run("undo " + project_);
  EXPECT_EQ(r.out, "Undid Pin \"Transparency\" to key 1\n");
  k = keys();
  EXPECT_EQ(k["Transparency"], 3);
  EXPECT_EQ(k["Alliance formation/Early anxiety"], 1);
}

TEST_F(PinCli, BadKeysAndFoldersAreRefused) {
  CliResult r = run("pin " + project_ + " Transparency --key 10");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1-9"), std::string::npos) << r.err;
  r = run("pin " + project_ + " 'Alliance formation' --key 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("folder"), std::string::npos) << r.err;
  r = run("pin " + project_ + " --key 2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(keys()["Transparency"], 3);  // nothing changed
}

}  // namespace
