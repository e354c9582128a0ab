// A snapshot cut short between the renames of project.qde and model.json: the project opens exactly
// as it was acknowledged, codebook and codings in their order, with its undo history.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "marginalia/coding_operations.h"
#include "marginalia/project_store.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void spill(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(SnapshotInterrupted, BetweenTheRenamesTheProjectOpensAsAcknowledgedInItsOrder) {
  const fs::path folder =
      fs::temp_directory_path() / ("marginalia-snapshot-interrupted-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  ProjectStore::create(folder, "Interrupted");
  Project acknowledged;
  std::string old_model, journal;
  {
    auto store = ProjectStore::open(folder);
    const std::string coder = store->coder_guid("ana");
    std::vector<std::string> codes;
    for (const char* name : {"Shame", "Withdrawal", "Repair"}) {
      Code code;
      code.name = name;
      Created created = new_code(store->project(), code);
      ASSERT_TRUE(store->execute(std::move(created.command)));
      codes.push_back(created.guid);
    }
    Source s;
    s.guid = new_guid();
    s.name = "session";
    s.text = "Client: I hid from everyone.\n";
    s.utterances = {{"Client", Role::Client, 8, 28, {}}};
    ASSERT_TRUE(store->execute({AddSource{s}, "Import"}));
    store->snapshot();
    old_model = slurp(folder / ".marginalia" / "model.json");
    // After the last snapshot: the first code removed and put back (undo restores its place), a
    // new code after it, codings made and one removed and restored.
    ASSERT_TRUE(store->execute(delete_code(store->project(), codes[0], false)));
    ASSERT_TRUE(store->undo());
    Code hope;
    hope.name = "Hope";
    ASSERT_TRUE(store->execute(new_code(store->project(), hope).command));
    for (int i = 0; i < 3; ++i) {
      Coding c{new_guid(), s.guid, 8 + i, 12 + i, codes[static_cast<size_t>(i)], coder, "", ""};
      ASSERT_TRUE(store->execute({AddCodings{{c}}, "Code"}));
    }
    const Coding first = store->project().codings.front();
    ASSERT_TRUE(store->execute({RemoveCodings{{first}}, "Uncode"}));
    ASSERT_TRUE(store->undo());
    journal = slurp(folder / ".marginalia" / "journal");
    acknowledged = store->project();
    store->snapshot();
  }
  // As a crash right after project.qde's rename leaves it: the new project.qde and the marker, the
  // old model.json, the whole journal.
  spill(folder / ".marginalia" / "model.json", old_model);
  spill(folder / ".marginalia" / "journal", journal);
  {
    auto store = ProjectStore::open(folder, OpenMode::ReadOnly);
    EXPECT_EQ(store->project().codes, acknowledged.codes);
    EXPECT_EQ(store->project().codings, acknowledged.codings);
    EXPECT_EQ(store->project(), acknowledged);
    EXPECT_EQ(store->undo_label(), std::optional<std::string>("Code"));
    EXPECT_EQ(store->redo_label(), std::optional<std::string>("Uncode"));
  }
  {
    // Edits after such a crash are applied on top, and survive the next open.
    auto store = ProjectStore::open(folder);
    ASSERT_TRUE(store->undo());
    const Project after_undo = store->project();
    store.reset();
    EXPECT_EQ(ProjectStore::open(folder, OpenMode::ReadOnly)->project(), after_undo);
  }
  fs::remove_all(folder);
}

}  // namespace
