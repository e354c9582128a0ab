#include "sample_project.h"

#include <wx/app.h>
#include <wx/debug.h>
#include <wx/evtloop.h>
#include <wx/init.h>

#include <unistd.h>
#include <cstdlib>
#include <stdexcept>

#include "marginalia/project_store.h"

namespace fs = std::filesystem;

namespace marginalia::gui {
namespace {

int64_t code_points(std::string_view text) {
  int64_t n = 0;
  for (unsigned char byte : text) n += (byte & 0xC0) != 0x80;
  return n;
}

struct Turn {
  std::string speaker;
  std::string words;
};

Source make_source(const std::string& name, const std::vector<Turn>& turns) {
  Source source;
  source.guid = new_guid();
  source.name = name;
  source.origin_file = name + ".txt";
  source.origin_format = "text/plain; speaker turns Name:";
  source.encoding = "UTF-8";
  source.created = now_iso8601();
  for (const Turn& turn : turns) {
    source.text += turn.speaker + ": ";
    Utterance utterance;
    utterance.speaker = turn.speaker;
    utterance.role = turn.speaker == "INTERVIEWER" ? Role::Interviewer : Role::Participant;
    utterance.start = code_points(source.text);
    source.text += turn.words;
    utterance.end = code_points(source.text);
    source.text += "\n";
    source.utterances.push_back(utterance);
  }
  return source;
}

Code make_code(const std::string& name, const std::string& color, const std::string& parent = "",
               bool codable = true) {
  Code code;
  code.guid = new_guid();
  code.name = name;
  code.color = color;
  code.parent = parent;
  code.codable = codable;
  return code;
}

// A coding of `words` (the first place they occur) in `source`.
Coding make_coding(const Source& source, std::string_view words, const Code& code,
                   const Coder& coder) {
  const size_t at = source.text.find(words);
  if (at == std::string::npos) throw std::logic_error("sample text lacks the coded words");
  Coding coding;
  coding.guid = new_guid();
  coding.source = source.guid;
  coding.start = code_points(std::string_view(source.text).substr(0, at));
  coding.end = coding.start + code_points(words);
  coding.code = code.guid;
  coding.coder = coder.guid;
  coding.created = now_iso8601();
  return coding;
}

}  // namespace

void write_sample_project(const fs::path& folder) {
  ProjectStore::create(folder, "GUI test");
  auto store = ProjectStore::open(folder, OpenMode::Write);

  const Coder ana{new_guid(), "ana"}, ben{new_guid(), "ben"};
  store->execute({AddCoder{ana}, "Add coder ana"});
  store->execute({AddCoder{ben}, "Add coder ben"});

  const Code formation = make_code("Formation", "", "", false);
  const Code anxiety = make_code("Early anxiety", "#E69F00", formation.guid);
  const Code fears = make_code("Fears about therapy", "#56B4E9", formation.guid);
  const Code ruptures = make_code("Ruptures", "", "", false);
  const Code withdrawal = make_code("Withdrawal", "#009E73", ruptures.guid);
  const Code confrontation = make_code("Confrontation", "#D55E00", ruptures.guid);
  const Code humour = make_code("Humour", "");
  store->execute(
      {AddCodes{{formation, anxiety, fears, ruptures, withdrawal, confrontation, humour}},
       "Load codebook"});

  const Source lena = make_source(
      "d1_client_lena",
      {{"INTERVIEWER", "What was it like, coming to the first session?"},
       {"LENA", "Honestly I was frightened. I sat in the car for ten minutes before I went in."},
       {"INTERVIEWER", "What were you afraid of?"},
       {"LENA", "That she would think I was making a fuss about nothing."}});
  const Source maria = make_source(
      "d1_therapist_maria",
      {{"INTERVIEWER", "How did the first weeks go?"},
       {"MARIA", "She was guarded. She answered questions but offered nothing."},
       {"MARIA", "Then in the fourth session she told me I did not understand her, and left."}});
  const Source zoe = make_source(
      "d2_client_zo\u00eb",
      {{"INTERVIEWER", "Can you tell me about a difficult moment?"},
       {"ZO\u00cb", "I laughed it off, the way I always do, and then I went quiet for a week."}});
  for (const Source& source : {lena, maria, zoe})
    store->execute({AddSource{source}, "Import " + source.origin_file});

  store->execute(
      {AddCodings{{
           make_coding(lena, "Honestly I was frightened.", anxiety, ana),
           make_coding(lena, "Honestly I was frightened. I sat in the car", anxiety, ben),
           make_coding(lena, "making a fuss about nothing", fears, ana),
           make_coding(lena, "That she would think", anxiety, ana),
           make_coding(maria, "She was guarded.", withdrawal, ana),
           make_coding(maria, "she told me I did not understand her", confrontation, ana),
           make_coding(zoe, "I laughed it off", humour, ana),
           make_coding(zoe, "I went quiet for a week", withdrawal, ben),
       }},
       "Code sample"});
  store->snapshot();
}

// A unique empty path under the temporary folder.
fs::path fresh_folder(const std::string& stem) {
  static int counter = 0;
  return fs::temp_directory_path() /
         ("marginalia-gui-" + std::to_string(::getpid()) + "-" + stem + std::to_string(counter++));
}

std::string skip_reason_;
bool wx_started_ = false;

void WxTest::SetUpTestSuite() {
  static bool tried = false;
  if (tried) return;
  tried = true;
  if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
    skip_reason_ = "no display: run under xvfb-run -a";
    return;
  }
  // The layout and recent projects go to a scratch folder, not the user's.
  const fs::path config = fresh_folder("config");
  fs::create_directories(config);
  ::setenv("MARGINALIA_CONFIG_DIR", config.c_str(), 1);
  // A failed wx assertion is a test failure, not a modal box that waits for ever.
  wxSetAssertHandler([](const wxString& file, int line, const wxString& func, const wxString& cond,
                        const wxString& message) {
    ADD_FAILURE_AT(file.utf8_str().data(), line)
        << "wx assertion " << cond.utf8_str().data() << " in " << func.utf8_str().data() << ": "
        << message.utf8_str().data();
  });
  wxApp::SetInstance(new wxApp);
  static int argc = 1;
  static char name[] = "marginalia_gui_tests";
  static char* argv[] = {name, nullptr};
  if (!wxEntryStart(argc, argv)) {
    skip_reason_ = "wxWidgets could not start (no usable display?)";
    return;
  }
  // wxYield needs an active loop; the tests drive it instead of running one. Both live until the
  // process ends.
  static wxEventLoop* loop = new wxEventLoop;
  wxEventLoopBase::SetActive(loop);
  wx_started_ = true;
}

void WxTest::settle(int rounds) {
  for (int i = 0; i < rounds; ++i) {
    wxYield();
    wxTheApp->ProcessPendingEvents();
    wxTheApp->ProcessIdle();
  }
}

const std::string& WxTest::skip_reason() {
  return skip_reason_;
}

}  // namespace marginalia::gui
