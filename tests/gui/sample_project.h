// The sample project the GUI tests open, written through the core, and the wx start-up they share.
#pragma once

#include <gtest/gtest.h>
#include <wx/string.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"

class wxEventLoop;

namespace marginalia::gui {

// Three sources, two folders with two codes each and a loose code, eight codings by two coders
// (ana and ben), written as a project folder:
//   Formation (4): Early anxiety (3), Fears about therapy (1)
//   Ruptures (3):  Withdrawal (2), Confrontation (1)
//   Humour (1), no colour
void write_sample_project(const std::filesystem::path& folder);

// A unique path under the temporary folder that does not exist yet.
std::filesystem::path fresh_folder(const std::string& stem);

inline wxString utf8(const char* text) {
  return wxString::FromUTF8(text);
}

// Starts wx once for the test binary, lazily (listing the tests needs no display), with the
// configuration in a temporary folder. Tests skip when there is no display.
class WxTest : public testing::Test {
 protected:
  static void SetUpTestSuite();
  void SetUp() override {
    if (!skip_reason().empty()) GTEST_SKIP() << skip_reason();
  }
  // Lets pending events, paints and CallAfter run.
  static void settle(int rounds = 5);
  static const std::string& skip_reason();
};

}  // namespace marginalia::gui
