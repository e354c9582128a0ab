#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "marginalia/codebook.h"
#include "marginalia/error.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const fs::path kRefi = fs::path(MARGINALIA_SHARED_DIR) / "refi";

class CodebookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/marginalia-codebook-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return dir_ / name;
  }
  fs::path dir_;
};

Codebook sample_codebook() {
  Codebook book;
  book.origin = "Marginalia 0.1";
  book.codes = {
      {"0b0e6c0c-1111-4a4a-8b8b-000000000001", "Affects", "", "Feelings named by the client", "",
       false},
      {"0b0e6c0c-1111-4a4a-8b8b-000000000002", "Shame", "#AA3300",
       "Definition:\nPainful self-consciousness, \"Scham\" — é ü 😳\nUse when:\nthe client hides",
       "0b0e6c0c-1111-4a4a-8b8b-000000000001", true},
      {"0b0e6c0c-1111-4a4a-8b8b-000000000003", "Hiding", "#00FF00", "",
       "0b0e6c0c-1111-4a4a-8b8b-000000000002", true},
      {"0b0e6c0c-1111-4a4a-8b8b-000000000004", "Rupture & <repair>", "", "", "", true},
  };
  return book;
}

bool have_xmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

}  // namespace

TEST_F(CodebookTest, LoadsTaguetteSample) {
  const fs::path file = kRefi / "samples" / "taguette141_uto_tag_codebook.qdc";
  if (!fs::exists(file)) GTEST_SKIP() << "REFI samples absent: " << file;
  const Codebook book = load_codebook(file);
  EXPECT_EQ(book.origin, "Taguette 1.4.1");
  ASSERT_EQ(book.codes.size(), 3u);
  EXPECT_EQ(book.codes[0].name, "xsd:element name");
  EXPECT_EQ(book.codes[0].guid, "098ac082-a9c7-50f4-9728-48730081a95e");
  EXPECT_EQ(book.codes[1].name, "CodeBook");
  EXPECT_EQ(book.codes[1].guid, "a2209cff-8e89-5b0a-a7b0-cddc4be92936");
  EXPECT_EQ(book.codes[2].name, "Variables");
  for (const Code& code : book.codes) {
    EXPECT_EQ(code.color, "");
    EXPECT_TRUE(code.codable);
    EXPECT_EQ(code.parent, "");
    EXPECT_EQ(code.description, "");
  }
}

TEST_F(CodebookTest, LoadsAtlasSampleIgnoringSets) {
  const fs::path file = kRefi / "samples" / "atlasti_win23.4_requal_test_codebook.qdc";
  if (!fs::exists(file)) GTEST_SKIP() << "REFI samples absent: " << file;
  const Codebook book = load_codebook(file);
  EXPECT_EQ(book.origin, "ATLAS.ti Win 23.4.0");
  ASSERT_EQ(book.codes.size(), 1u);
  EXPECT_EQ(book.codes[0].name, "code1");
  EXPECT_EQ(book.codes[0].guid, "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294");
  EXPECT_EQ(book.codes[0].color, "#46AA00");
  EXPECT_EQ(book.codes[0].description, "description");
  EXPECT_TRUE(book.codes[0].codable);
}

TEST_F(CodebookTest, NormalisesColoursGuidsAndReadsOlderNamespaces) {
  const fs::path file = write("old.qdc", R"(<?xml version="1.0" encoding="utf-8"?>
<q:CodeBook xmlns:q="urn:QDA-XML:codebook:0:4" origin="Old Tool">
  <q:Codes>
    <q:Code guid="{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}" name="Folder" isCodable="false" color="#abc">
      <q:Code guid="11111111-2222-3333-4444-555555555555" name="Child" isCodable="true" color="#FF102030">
        <q:Description>inner</q:Description>
        <q:Code guid="11111111-2222-3333-4444-666666666666" name="Grandchild" isCodable="1" color="#a0b0c0"/>
      </q:Code>
    </q:Code>
    <q:Code guid="11111111-2222-3333-4444-777777777777" name="Alpha last" isCodable="true" color="#102030ff"/>
  </q:Codes>
  <q:Sets><q:Set guid="11111111-2222-3333-4444-888888888888" name="s"/></q:Sets>
</q:CodeBook>)");
  const Codebook book = load_codebook(file);
  ASSERT_EQ(book.codes.size(), 4u);
  EXPECT_EQ(book.codes[0].guid, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  EXPECT_FALSE(book.codes[0].codable);
  EXPECT_EQ(book.codes[0].color, "#AABBCC");
  EXPECT_EQ(book.codes[1].parent, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  EXPECT_EQ(book.codes[1].color, "#102030");
  EXPECT_EQ(book.codes[1].description, "inner");
  EXPECT_EQ(book.codes[2].name, "Grandchild");
  EXPECT_EQ(book.codes[2].parent, "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(book.codes[2].color, "#A0B0C0");
  EXPECT_EQ(book.codes[3].color, "#102030");
  EXPECT_EQ(book.codes[3].parent, "");
}

TEST_F(CodebookTest, RoundTrips) {
  const Codebook book = sample_codebook();
  const fs::path file = dir_ / "book.qdc";
  save_codebook(book, file);
  const Codebook loaded = load_codebook(file);
  EXPECT_EQ(loaded.origin, book.origin);
  EXPECT_EQ(loaded.codes, book.codes);
  // Saving what was loaded writes the same bytes.
  save_codebook(loaded, dir_ / "again.qdc");
  std::ifstream a(file, std::ios::binary), b(dir_ / "again.qdc", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}),
            std::string(std::istreambuf_iterator<char>(b), {}));
}

TEST_F(CodebookTest, SavedFileValidatesAgainstSchema) {
  const fs::path xsd = kRefi / "xsd" / "Codebook.xsd";
  if (!fs::exists(xsd)) GTEST_SKIP() << "schema absent: " << xsd;
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils)";
  const fs::path file = dir_ / "book.qdc";
  save_codebook(sample_codebook(), file);
  const std::string command = "xmllint --noout --schema '" + xsd.string() + "' '" + file.string() +
                              "' 2>" + (dir_ / "xmllint.log").string();
  EXPECT_EQ(std::system(command.c_str()), 0) << std::ifstream(dir_ / "xmllint.log").rdbuf();
}

TEST_F(CodebookTest, BrokenFileIsBadInputNamingIt) {
  const fs::path file = write("broken.qdc", "<CodeBook><Codes><Code guid=");
  try {
    load_codebook(file);
    FAIL() << "expected BadInput";
  } catch (const BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("broken.qdc"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("byte"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_codebook(dir_ / "absent.qdc"), BadInput);
  const fs::path bad_guid =
      write("guid.qdc",
            R"(<CodeBook><Codes><Code guid="nope" name="x" isCodable="true"/></Codes></CodeBook>)");
  EXPECT_THROW(load_codebook(bad_guid), BadInput);
}
