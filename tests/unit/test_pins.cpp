// Pinned code keys (workbench keys 1-9): one undoable command, kept in model.json, with the
// codebook order as the default for a project that never pinned.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "marginalia/coding_operations.h"
#include "marginalia/commands.h"
#include "marginalia/error.h"
#include "marginalia/pins.h"
#include "marginalia/project_store.h"

using namespace marginalia;

namespace {

const std::string kRuptures = "f0000000-0000-4000-8000-000000000001";  // folder
const std::string kWithdrawal = "a0000000-0000-4000-8000-000000000001";
const std::string kShame = "a0000000-0000-4000-8000-000000000002";
const std::string kRepair = "a0000000-0000-4000-8000-000000000003";

Project study() {
  Project p;
  p.guid = "90000000-0000-4000-8000-000000000001";
  p.name = "pilot";
  p.codes = {{kRuptures, "Ruptures", "#D55E00", "", "", false},
             {kWithdrawal, "Withdrawal", "#FB9A99", "", kRuptures, true},
             {kShame, "Shame", "#56B4E9", "", "", true},
             {kRepair, "Repair", "#009E73", "", "", true}};
  return p;
}

void run(Project& p, const Command& command) {
  apply(p, prepare(p, command));
}

}  // namespace

TEST(Pins, WithoutPinsTheKeysAreTheCodableCodesInCodebookOrder) {
  const Project p = study();
  EXPECT_EQ(pinned_code(p, 1), kWithdrawal);  // the folder has no key
  EXPECT_EQ(pinned_code(p, 2), kShame);
  EXPECT_EQ(pinned_code(p, 3), kRepair);
  EXPECT_EQ(pinned_code(p, 4), std::nullopt);
  EXPECT_EQ(pinned_code(p, 0), std::nullopt);
  EXPECT_EQ(pinned_code(p, 10), std::nullopt);
  EXPECT_EQ(pinned_key(p, kRepair), 3);
}

TEST(Pins, PinningMovesACodeAndReplacesTheKeysCode) {
  Project p = study();
  const Command pin = pin_code_command(p, kRepair, 1);
  EXPECT_EQ(pin.label, "Pin \"Repair\" to key 1");
  run(p, pin);
  EXPECT_EQ(pinned_code(p, 1), kRepair);
  EXPECT_EQ(pinned_code(p, 2), kShame);        // the other keys stay as they were
  EXPECT_EQ(pinned_code(p, 3), std::nullopt);  // Repair left key 3: one key per code
  EXPECT_EQ(pinned_code(p, 4), std::nullopt);
  EXPECT_EQ(pinned_key(p, kWithdrawal), std::nullopt);  // replaced on key 1
  EXPECT_EQ(p.settings.at("pin.1"), kRepair);

  run(p, pin_code_command(p, kRepair, 7));
  EXPECT_EQ(pinned_code(p, 1), std::nullopt);
  EXPECT_EQ(pinned_code(p, 7), kRepair);

  const Command clear = pin_code_command(p, "", 7);
  EXPECT_EQ(clear.label, "Clear key 7");
  run(p, clear);
  EXPECT_EQ(pinned_code(p, 7), std::nullopt);
  EXPECT_EQ(pinned_code(p, 2), kShame);

  EXPECT_TRUE(is_empty(prepare(p, pin_code_command(p, kShame, 2))));  // already there
  EXPECT_THROW(pin_code_command(p, kShame, 10), BadInput);
  EXPECT_THROW(prepare(p, pin_code_command(p, kRuptures, 3)), BadInput);  // a folder
  EXPECT_THROW(prepare(p, pin_code_command(p, "a0000000-0000-4000-8000-00000000000f", 3)),
               BadInput);
}

TEST(Pins, UndoRestoresThePreviousKeys) {
  Project p = study();
  const Project before = p;
  const Command pin = prepare(p, pin_code_command(p, kRepair, 1));
  apply(p, pin);
  const Project pinned = p;
  apply(p, inverse(pin));
  EXPECT_EQ(p, before);
  EXPECT_EQ(pinned_code(p, 1), kWithdrawal);
  apply(p, pin);
  EXPECT_EQ(p, pinned);
}

TEST(Pins, APinOfADeletedOrMergedCodeIsIgnored) {
  Project p = study();
  run(p, pin_code_command(p, kRepair, 5));
  run(p, pin_code_command(p, kShame, 2));
  run(p, merge_codes(p, kShame, kRepair));
  EXPECT_EQ(pinned_code(p, 2), std::nullopt);
  EXPECT_EQ(pinned_code(p, 5), kRepair);
  run(p, delete_code(p, kRepair, false));
  EXPECT_EQ(pinned_code(p, 5), std::nullopt);
  // Withdrawal is still pinned to key 1 from the first pin; that one stays.
  EXPECT_EQ(pinned_code(p, 1), kWithdrawal);
  // A new code on the vanished key is accepted: the stale pin does not block it.
  run(p, pin_code_command(p, kWithdrawal, 5));
  EXPECT_EQ(pinned_code(p, 5), kWithdrawal);
  EXPECT_EQ(pinned_code(p, 1), std::nullopt);
}

TEST(Pins, TheStoreJournalsThemAndTheySurviveReopening) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("marginalia-pins-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  ProjectStore::create_from(folder, study());
  {
    auto store = ProjectStore::open(folder);
    ASSERT_TRUE(store->execute(pin_code_command(store->project(), kRepair, 1)));
    ASSERT_TRUE(store->execute(pin_code_command(store->project(), kShame, 9)));
    ASSERT_TRUE(store->undo());
    EXPECT_EQ(pinned_code(store->project(), 9), std::nullopt);
    ASSERT_TRUE(store->redo());
  }
  {
    auto store = ProjectStore::open(folder);  // replays the journal
    EXPECT_EQ(pinned_code(store->project(), 1), kRepair);
    EXPECT_EQ(pinned_code(store->project(), 9), kShame);
    store->snapshot();
  }
  {
    auto store = ProjectStore::open(folder, OpenMode::ReadOnly);  // from model.json
    EXPECT_EQ(pinned_code(store->project(), 1), kRepair);
    EXPECT_EQ(pinned_code(store->project(), 9), kShame);
    EXPECT_EQ(pinned_code(store->project(), 2), std::nullopt);
  }
  std::filesystem::remove_all(folder);
}
