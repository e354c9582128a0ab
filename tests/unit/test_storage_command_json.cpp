// Command <-> JSON (the journal's and model.json's form) keeps every field of every action.
#include <gtest/gtest.h>

#include "../../core/src/storage/storage_io.h"
#include "marginalia/error.h"

using namespace marginalia;

namespace {

Source full_source() {
  Source s;
  s.guid = "51000000-0000-4000-8000-00000000000a";
  s.name = "Léna 😳";
  s.text = "I: hi\nC: ça va\n";
  s.utterances = {{"I", Role::Interviewer, 3, 5, 0},  {"C", Role::Client, 9, 14, std::nullopt},
                  {"X", Role::Other, 14, 14, 99},     {"T", Role::Therapist, 1, 2, {}},
                  {"P", Role::Participant, 1, 2, {}}, {"", Role::Unknown, 0, 1, {}}};
  s.attributes = {{"participant", "P1"}, {"date", "2026-01-01"}};
  s.origin_file = "lena.docx";
  s.origin_format = "text/plain; speaker turns";
  s.encoding = "UTF-16LE";
  s.created = "2026-01-02T03:04:05Z";
  return s;
}

Code full_code(int n, bool codable) {
  return {"c2000000-0000-4000-8000-00000000000" + std::to_string(n),
          "Code \"" + std::to_string(n) + "\"",
          "#A1B2C3",
          "Definition:\nx\ny",
          n > 1 ? "c2000000-0000-4000-8000-000000000001" : "",
          codable};
}

Coding full_coding(int n) {
  return {"e2000000-0000-4000-8000-00000000000" + std::to_string(n),
          "51000000-0000-4000-8000-00000000000a",
          n,
          n + 5,
          "c2000000-0000-4000-8000-000000000002",
          "a2000000-0000-4000-8000-000000000001",
          "2026-01-02T03:04:0" + std::to_string(n) + "Z",
          n % 2 ? "memo ✨" : ""};
}

Memo full_memo(int n, MemoTarget kind, const std::string& target) {
  return {"d2000000-0000-4000-8000-00000000000" + std::to_string(n), kind, target,
          "Memo «" + std::to_string(n) + "»\nsecond line",
          "2026-01-02T03:04:0" + std::to_string(n) + "Z"};
}

bool same_action(const Action& a, const Action& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, AddCoder>)
          return x.coder == y.coder;
        else if constexpr (std::is_same_v<T, AddCodes> || std::is_same_v<T, RemoveCodes>)
          return x.codes == y.codes && x.positions == y.positions;
        else if constexpr (std::is_same_v<T, AddSource> || std::is_same_v<T, RemoveSource>)
          return x.source == y.source;
        else if constexpr (std::is_same_v<T, SetCases>)
          return x.cases == y.cases && x.previous == y.previous;
        else if constexpr (std::is_same_v<T, UpdateCodes>)
          return x.codes == y.codes && x.previous == y.previous && x.order == y.order &&
                 x.previous_order == y.previous_order;
        else if constexpr (std::is_same_v<T, UpdateCodings>)
          return x.codings == y.codings && x.previous == y.previous;
        else if constexpr (std::is_same_v<T, SetMemos>)
          return x.memos == y.memos && x.previous == y.previous && x.order == y.order &&
                 x.previous_order == y.previous_order;
        else if constexpr (std::is_same_v<T, SetDone>)
          return x.marks == y.marks && x.done == y.done;
        else if constexpr (std::is_same_v<T, SetPins>)
          return x.pins == y.pins && x.previous == y.previous;
        else if constexpr (std::is_same_v<T, Batch>)
          return x.actions.size() == y.actions.size() &&
                 std::equal(x.actions.begin(), x.actions.end(), y.actions.begin(), same_action);
        else
          return x.codings == y.codings && x.positions == y.positions;
      },
      a);
}

bool same(const Command& a, const Command& b) {
  return a.label == b.label && same_action(a.action, b.action);
}

}  // namespace

TEST(StorageCommandJson, EveryActionRoundTrips) {
  const Source source = full_source();
  const std::vector<Command> commands = {
      {AddCoder{{"a2000000-0000-4000-8000-000000000001", "Bjørn"}}, "Add coder"},
      {AddCodes{{full_code(1, false), full_code(2, true)}}, "Add codes"},
      {RemoveCodes{{full_code(2, true), full_code(1, false)}}, "Remove codes"},
      {AddSource{source}, "Import lena"},
      {RemoveSource{source}, "Remove lena"},
      {AddCodings{{full_coding(1), full_coding(2)}}, "Code \"Shame\""},
      {RemoveCodings{{full_coding(3)}}, "Uncode"},
      {SetCases{{Case{"ca000000-0000-4000-8000-000000000001",
                      "C01",
                      {{"outcome", "good"}, {"dyad", "D1 «Ärztin»"}},
                      {source.guid}}},
                {Case{"ca000000-0000-4000-8000-000000000002", "T01", {}, {}}}},
       "Load participants"},
      {AddCodes{{full_code(2, true)}, {4}}, "Undo: delete code"},
      {RemoveCodes{{full_code(2, true), full_code(1, false)}, {3, 0}}, "Delete codes"},
      {AddCodings{{full_coding(1), full_coding(2)}, {0, 7}}, "Undo: uncode"},
      {RemoveCodings{{full_coding(3), full_coding(4)}, {2, 9}}, "Uncode"},
      {UpdateCodes{
           {full_code(2, true)},
           {full_code(3, false)},
           {"c2000000-0000-4000-8000-000000000002", "c2000000-0000-4000-8000-000000000001"},
           {"c2000000-0000-4000-8000-000000000001", "c2000000-0000-4000-8000-000000000002"}},
       "Move \"Code 2\""},
      {UpdateCodings{{full_coding(1), full_coding(2)}, {full_coding(3), full_coding(4)}}, "Merge"},
      {SetMemos{
           {full_memo(1, MemoTarget::Project, ""), full_memo(2, MemoTarget::Source, source.guid)},
           {full_memo(3, MemoTarget::Code, "c2000000-0000-4000-8000-000000000001"),
            full_memo(4, MemoTarget::Coding, "e2000000-0000-4000-8000-000000000001")},
           {"d2000000-0000-4000-8000-000000000002"},
           {"d2000000-0000-4000-8000-000000000003", "d2000000-0000-4000-8000-000000000004"}},
       "Memo"},
      {Batch{{AddCodes{{full_code(1, true)}},
              Batch{{RemoveCodings{{full_coding(5)}, {1}}, UpdateCodings{{full_coding(6)}, {}}}},
              SetMemos{{}, {full_memo(5, MemoTarget::Project, "")}}}},
       "In-vivo code \"fine\""},
      {SetDone{{{"a2000000-0000-4000-8000-000000000001", source.guid}}, true}, "Mark done"},
      {SetDone{{{"a2000000-0000-4000-8000-000000000001", source.guid}}, false}, "Not done"},
      {SetPins{{"", "c2000000-0000-4000-8000-000000000001", "", "", "", "", "", "", ""},
               {"c2000000-0000-4000-8000-000000000001", "", "", "", "", "", "", "", ""}},
       "Pin \"x\" to key 2"},
      {Batch{}, "Nothing"},
  };
  int texts_loaded = 0;
  auto load_text = [&](const std::string& guid) {
    EXPECT_EQ(guid, source.guid);
    ++texts_loaded;
    return source.text;
  };
  for (const Command& command : commands) {
    const nlohmann::json json = storage::command_to_json(command);
    EXPECT_FALSE(json.dump().find("ça va") != std::string::npos) << "text is not journaled";
    const Command back = storage::command_from_json(nlohmann::json::parse(json.dump()), load_text);
    EXPECT_TRUE(same(command, back)) << json.dump();
  }
  EXPECT_EQ(texts_loaded, 2);
}

TEST(StorageCommandJson, MalformedCommandIsBadInput) {
  auto none = [](const std::string&) { return std::string(); };
  EXPECT_THROW(storage::command_from_json({{"type", "add_codes"}}, none), BadInput);
  EXPECT_THROW(storage::command_from_json({{"type", "paint"}}, none), BadInput);
  EXPECT_THROW(storage::command_from_json(
                   {{"type", "batch"}, {"actions", {{{"type", "set_memos"}, {"memos", 1}}}}}, none),
               BadInput);
  EXPECT_THROW(
      storage::command_from_json({{"type", "set_memos"},
                                  {"memos", {{{"guid", "x"}, {"target_kind", "paragraph"}}}},
                                  {"previous", nlohmann::json::array()}},
                                 none),
      BadInput);
  EXPECT_THROW(storage::command_from_json({{"type", "add_coder"}, {"coder", {{"guid", 1}}}}, none),
               BadInput);
}

TEST(StorageHelpers, DerivedGuidsAreStableValidAndDistinct) {
  const std::string a = storage::derived_guid("coding:x");
  EXPECT_EQ(a, storage::derived_guid("coding:x"));
  EXPECT_NE(a, storage::derived_guid("coding:y"));
  EXPECT_EQ(storage::checked_guid(a), a);
  EXPECT_EQ(a[14], '8');
}

TEST(StorageHelpers, ColoursAndGuidsNormalise) {
  EXPECT_EQ(storage::normalize_color("#abc"), "#AABBCC");
  EXPECT_EQ(storage::normalize_color("#a1b2c3"), "#A1B2C3");
  EXPECT_EQ(storage::normalize_color("#80A1B2C3"), "#A1B2C3");
  EXPECT_EQ(storage::normalize_color("#A1B2C3ff"), "#A1B2C3");
  EXPECT_EQ(storage::normalize_color("red"), "");
  EXPECT_EQ(storage::normalize_color("#12345"), "");
  EXPECT_EQ(storage::checked_guid("{ABCDEF01-2345-6789-ABCD-EF0123456789}"),
            "abcdef01-2345-6789-abcd-ef0123456789");
  EXPECT_EQ(storage::checked_guid("ABCDEF01-2345-6789-ABCD-EF012345678"), "");
}
