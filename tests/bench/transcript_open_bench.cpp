// How long the workbench takes to show a long coded transcript, against loading the same plain
// text into a bare wxStyledTextCtrl: `marginalia-transcript-bench [--words N] [--codings N]
// [--runs N]` under X (xvfb-run -a). A generated interview (deterministic), codings by two coders
// with 20 codes; "shown" is the first wxEVT_STC_PAINTED after the call, so layout and paint count.
#include <wx/app.h>
#include <wx/evtloop.h>
#include <wx/frame.h>
#include <wx/init.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stc/stc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "marginalia/model.h"
#include "marginalia/text.h"
#include "transcript_view.h"

using namespace marginalia;
using Clock = std::chrono::steady_clock;

namespace {

const char* const kWords[] = {
    "i",      "was",   "the",     "and",     "she",    "felt",  "that",     "it",         "me",
    "to",     "of",    "therapy", "session", "afraid", "shame", "distance", "myself",     "we",
    "talked", "about", "my",      "mother",  "work",   "never", "really",   "understood", "why",
    "then",   "after", "a",       "week",    "quiet",  "angry", "trust",    "again",      "first"};

Project make_project(int words, int codings, Source& source) {
  std::mt19937_64 random(20261130);
  Project project;
  source.guid = "51000000-0000-4000-8000-000000000001";
  source.name = "bench";
  int64_t cp = 0;
  int written = 0;
  for (int turn = 0; written < words; ++turn) {
    char label[64];
    const int seconds = turn * 17;
    std::snprintf(label, sizeof label, "[%02d:%02d:%02d] %s: ", seconds / 3600, seconds / 60 % 60,
                  seconds % 60, turn % 2 ? "Client" : "Interviewer");
    source.text += label;
    cp += static_cast<int64_t>(std::strlen(label));
    Utterance u{turn % 2 ? "Client" : "Interviewer", turn % 2 ? Role::Client : Role::Interviewer,
                cp, cp, seconds * 1000};
    const int length = 10 + static_cast<int>(random() % 50);
    for (int w = 0; w < length; ++w, ++written) {
      const std::string word = kWords[random() % std::size(kWords)];
      source.text += (w ? " " : "") + word;
    }
    source.text += ".";
    u.end = count_code_points(source.text);
    cp = u.end + 1;
    source.text += "\n";
    source.utterances.push_back(u);
  }
  project.sources.push_back(source);
  project.coders = {{"a1", "Coder A"}, {"a2", "Coder B"}};
  const char* const colours[] = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                                 "#D55E00", "#CC79A7", "#66C2A5", "#FC8D62", "#8DA0CB"};
  for (int c = 0; c < 20; ++c)
    project.codes.push_back(
        {"c" + std::to_string(c), "Code " + std::to_string(c), colours[c % 10], "", "", true});
  for (int i = 0; i < codings; ++i) {
    const Utterance& u = source.utterances[random() % source.utterances.size()];
    const int64_t length = u.end - u.start;
    const int64_t start =
        u.start + static_cast<int64_t>(random() % std::max<int64_t>(1, length / 2));
    const int64_t end = std::min(u.end, start + 15 + static_cast<int64_t>(random() % 120));
    project.codings.push_back({"g" + std::to_string(i), source.guid, start, end,
                               "c" + std::to_string(random() % 20), i % 2 ? "a2" : "a1", "", ""});
  }
  return project;
}

// Runs the loop until the control has painted once after `action`.
double until_painted(wxStyledTextCtrl* text, const std::function<void()>& action) {
  bool painted = false;
  auto on_paint = [&](wxStyledTextEvent& event) {
    painted = true;
    event.Skip();
  };
  text->Bind(wxEVT_STC_PAINTED, on_paint);
  const auto start = Clock::now();
  action();
  text->Refresh();
  while (!painted) {
    wxYield();
    if (Clock::now() - start > std::chrono::seconds(30)) break;
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  text->Unbind(wxEVT_STC_PAINTED, on_paint);
  return ms;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int words = 50000, codings = 2000, runs = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (option == "--words")
      words = value;
    else if (option == "--codings")
      codings = value;
    else if (option == "--runs")
      runs = value;
    else {
      std::fprintf(stderr, "usage: %s [--words N] [--codings N] [--runs N]\n", argv[0]);
      return 2;
    }
  }
  wxApp::SetInstance(new wxApp);
  int wx_argc = 1;
  char name[] = "marginalia-transcript-bench";
  char* wx_argv[] = {name, nullptr};
  if (!wxEntryStart(wx_argc, wx_argv)) {
    std::fprintf(stderr, "marginalia-transcript-bench: no display (run under xvfb-run -a)\n");
    return 1;
  }
  wxEventLoop loop;
  wxEventLoopBase::SetActive(&loop);

  Source source;
  const Project project = make_project(words, codings, source);
  const Source& shown = project.sources[0];

  auto* frame = new wxFrame(nullptr, wxID_ANY, "bench", wxPoint(0, 0), wxSize(1000, 800));
  auto* sizer = new wxBoxSizer(wxHORIZONTAL);
  auto* view = new gui::TranscriptView(frame);
  auto* plain = new wxStyledTextCtrl(frame, wxID_ANY);
  plain->SetWrapMode(wxSTC_WRAP_WORD);
  plain->StyleSetFont(wxSTC_STYLE_DEFAULT, wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT));
  plain->StyleClearAll();
  sizer->Add(view, wxSizerFlags(1).Expand());
  sizer->Add(plain, wxSizerFlags(1).Expand());
  frame->SetSizer(sizer);
  frame->Show();
  for (int i = 0; i < 20; ++i) wxYield();

  std::vector<double> workbench, bare, scroll;
  for (int run = 0; run < runs; ++run) {
    bare.push_back(until_painted(plain, [&] {
      plain->ClearAll();
      plain->SetTextRaw(shown.text.c_str());
    }));
    workbench.push_back(until_painted(view->text(), [&] { view->show(project, shown, {}); }));
    // A page down in the middle: what a scroll costs with spans and stripes in view.
    scroll.push_back(until_painted(view->text(), [&] {
      view->text()->ScrollToLine(static_cast<int>(shown.utterances.size() / 2 + run));
    }));
  }
  const double w = median(workbench), b = median(bare);
  std::printf(
      "transcript: %d words, %zu bytes, %zu turns, %d codings (%zu highlight runs, %zu "
      "stripe columns)\n",
      words, shown.text.size(), shown.utterances.size(), codings, view->marks().runs.size(),
      view->marks().columns.size());
  std::printf("median of %d runs, call to first paint:\n", runs);
  std::printf("  workbench view (styles, spans, stripes)  %8.1f ms\n", w);
  std::printf("  bare wxStyledTextCtrl, plain text        %8.1f ms\n", b);
  std::printf("  ratio                                    %8.2f\n", w / b);
  std::printf("  scroll to the middle, repainted          %8.1f ms\n", median(scroll));
  frame->Destroy();
  wxTheApp->ProcessIdle();
  wxEventLoopBase::SetActive(nullptr);
  wxEntryCleanup();
  return 0;
}
