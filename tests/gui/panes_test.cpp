// The analysis panes on the sample study (built with the CLI by scripts/build-sample-study), each
// hosted by a bare frame that implements PaneHost as the workbench does: the project open for
// writing, a search index that follows its edits, long work behind a real progress dialog. The
// panes are driven through the events their controls send (Enter, a button, a choice, a click on a
// row, a cell or a column header), and what they show is compared with what marginalia-cli prints
// for the same question. Each test saves a screenshot of its pane in the build folder.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wx/app.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/clipbrd.h>
#include <wx/combobox.h>
#include <wx/evtloop.h>
#include <wx/frame.h>
#include <wx/init.h>
#include <wx/radiobox.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>
#include <wx/utils.h>
#include <wx/xml/xml.h>

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/text.h"
#include "pane_host.h"
#include "panes/agreement_pane.h"
#include "panes/concordance_pane.h"
#include "panes/cooccurrence_pane.h"
#include "panes/frequencies_pane.h"
#include "panes/matrix_pane.h"
#include "panes/pane_long_work.h"
#include "panes/retrieval_pane.h"
#include "panes/search_pane.h"
#include "panes/words_pane.h"
#include "screenshot.h"

namespace fs = std::filesystem;

namespace marginalia::gui {
namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct CliResult {
  int exit_code;
  std::string out, err;
};

// RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted_field = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted_field) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted_field = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted_field = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else {
      field += c;
    }
  }
  return records;
}

// The frame's pixels as the X server has them, through GDK (loaded with wx; found with dlsym, as
// the GTK headers are not installed). wxScreenDC on Xvfb kept returning the first frame's pixels
// after later frames had painted.
bool capture(wxWindow& window, const fs::path& file) {
  using GetWindow = void* (*)(void*);
  using FromWindow = void* (*)(void*, int, int, int, int);
  using Save = int (*)(void*, const char*, const char*, void**, ...);
  using Unref = void (*)(void*);
  auto get_window = reinterpret_cast<GetWindow>(dlsym(RTLD_DEFAULT, "gtk_widget_get_window"));
  auto from_window =
      reinterpret_cast<FromWindow>(dlsym(RTLD_DEFAULT, "gdk_pixbuf_get_from_window"));
  auto save = reinterpret_cast<Save>(dlsym(RTLD_DEFAULT, "gdk_pixbuf_save"));
  auto unref = reinterpret_cast<Unref>(dlsym(RTLD_DEFAULT, "g_object_unref"));
  if (!get_window || !from_window || !save || !unref) return save_screenshot(window, file);
  void* gdk_window = get_window(window.GetHandle());
  if (!gdk_window) return false;
  const wxSize size = window.GetSize();
  void* pixbuf = from_window(gdk_window, 0, 0, size.x, size.y);
  if (!pixbuf) return false;
  const bool ok = save(pixbuf, file.c_str(), "png", nullptr, nullptr) != 0;
  unref(pixbuf);
  return ok;
}

// ---- The host: a bare frame, as the workbench's MainFrame is one ------------------------------

class TestHost : public wxFrame, public PaneHost {
 public:
  TestHost(ProjectStore& store, SearchIndex& index)
      : wxFrame(nullptr, wxID_ANY, "Pane", wxPoint(0, 0), wxSize(1200, 720)),
        store_(store),
        index_(index) {
    SetSizer(new wxBoxSizer(wxVERTICAL));
  }

  ProjectStore& store() override { return store_; }
  SearchIndex& index() override { return index_; }
  std::string current_coder() const override { return "tester"; }
  void show_passage(const std::string& source, int64_t start, int64_t end) override {
    shown.push_back({source, start, end});
  }
  void run_long_work(const wxString& title, std::function<void(ProgressSink&)> work,
                     std::function<void(bool finished)> done) override {
    ++long_work_started;
    run_with_progress_dialog(
        this, title, std::move(work),
        [this, done = std::move(done)](bool finished) {
          long_work_finished = finished;
          ++long_work_ended;
          if (done) done(finished);
        },
        [this](const wxString& message) { errors.push_back(message); });
  }
  void project_changed() override { ++changes; }

  template <typename Pane>
  Pane* host_pane() {
    auto* pane = new Pane(this, *this);
    pane->set_error_reporter([this](const wxString& message) { errors.push_back(message); });
    GetSizer()->Add(pane, wxSizerFlags(1).Expand());
    Layout();
    Show();
    return pane;
  }

  struct Shown {
    std::string source;
    int64_t start, end;
  };
  std::vector<Shown> shown;
  std::vector<wxString> errors;
  int changes = 0;
  int long_work_started = 0, long_work_ended = 0;
  bool long_work_finished = false;

 private:
  ProjectStore& store_;
  SearchIndex& index_;
};

// ---- Input: the events a person's click, key or choice sends -----------------------------------

void settle() {
  for (int i = 0; i < 5; ++i) wxYield();
}

void click(wxButton* button) {
  ASSERT_TRUE(button->IsEnabled()) << button->GetLabel();
  wxCommandEvent event(wxEVT_BUTTON, button->GetId());
  event.SetEventObject(button);
  button->ProcessWindowEvent(event);
  settle();
}

void choose(wxChoice* choice, const wxString& item) {
  const int at = choice->FindString(item, true);
  ASSERT_NE(at, wxNOT_FOUND) << "no item " << item;
  choice->SetSelection(at);
  wxCommandEvent event(wxEVT_CHOICE, choice->GetId());
  event.SetEventObject(choice);
  event.SetInt(at);
  event.SetString(item);
  choice->ProcessWindowEvent(event);
  settle();
}

void type_and_enter(wxTextEntry* entry, wxWindow* window, const wxString& text) {
  entry->SetValue(text);
  wxCommandEvent event(wxEVT_TEXT_ENTER, window->GetId());
  event.SetEventObject(window);
  event.SetString(text);
  window->ProcessWindowEvent(event);
  settle();
}

void click_row(wxHtmlListBox* list, int row) {
  list->SetSelection(row);
  wxCommandEvent event(wxEVT_LISTBOX, list->GetId());
  event.SetEventObject(list);
  event.SetInt(row);
  list->ProcessWindowEvent(event);
  settle();
}

void click_cell(wxGrid* grid, int row, int column) {
  wxGridEvent event(grid->GetId(), wxEVT_GRID_CELL_LEFT_CLICK, grid, row, column);
  grid->ProcessWindowEvent(event);
  settle();
}

void click_header(wxListCtrl* list, int column) {
  wxListEvent event(wxEVT_LIST_COL_CLICK, list->GetId());
  event.SetEventObject(list);
  event.m_col = column;
  list->ProcessWindowEvent(event);
  settle();
}

void double_click_row(wxListCtrl* list, long row) {
  wxListEvent event(wxEVT_LIST_ITEM_ACTIVATED, list->GetId());
  event.SetEventObject(list);
  event.m_itemIndex = row;
  list->ProcessWindowEvent(event);
  settle();
}

std::vector<std::vector<std::string>> list_cells(wxListCtrl* list) {
  std::vector<std::vector<std::string>> rows;
  for (long r = 0; r < list->GetItemCount(); ++r) {
    rows.emplace_back();
    for (int c = 0; c < list->GetColumnCount(); ++c)
      rows.back().push_back(list->GetItemText(r, c).utf8_string());
  }
  return rows;
}

std::vector<std::string> list_headers(wxListCtrl* list) {
  std::vector<std::string> headers;
  for (int c = 0; c < list->GetColumnCount(); ++c) {
    wxListItem item;
    item.SetMask(wxLIST_MASK_TEXT);
    list->GetColumn(c, item);
    headers.push_back(item.GetText().utf8_string());
  }
  return headers;
}

// ---- The fixture --------------------------------------------------------------------------------

class PanesTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
      skip_reason_ = "no display: run under xvfb-run -a";
      return;
    }
    scratch_ = fs::temp_directory_path() / ("marginalia-panes-" + std::to_string(::getpid()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
    study_ = scratch_ / "study";
    const std::string build =
        fs::path(MARGINALIA_SOURCE_DIR).append("scripts/build-sample-study").string() + " " +
        quoted(MARGINALIA_CLI) + " " + quoted(study_.string()) + " >/dev/null 2>" +
        quoted((scratch_ / "build.log").string());
    if (std::system(build.c_str()) != 0) {
      skip_reason_ = "";
      build_error_ = "building the sample study failed: " + slurp(scratch_ / "build.log");
      return;
    }
    wxApp::SetInstance(new wxApp);
    static int argc = 1;
    static char name[] = "marginalia_gui_pane_tests";
    static char* argv[] = {name, nullptr};
    if (!wxEntryStart(argc, argv)) {
      skip_reason_ = "wxWidgets could not start (no usable display?)";
      return;
    }
    loop_ = new wxEventLoop;
    wxEventLoopBase::SetActive(loop_);
    wx_started_ = true;
    store_ = ProjectStore::open(study_, OpenMode::Write).release();
    index_ = SearchIndex::open(study_, *store_).release();
    store_->set_listener(index_);
    fs::create_directories(MARGINALIA_PANE_ARTIFACTS);
  }

  static void TearDownTestSuite() {
    if (store_) store_->set_listener(nullptr);
    delete index_;
    delete store_;
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
    fs::remove(scratch_.string() + ".stamp", ignored);
    if (!wx_started_) return;
    wxEventLoopBase::SetActive(nullptr);
    delete loop_;
    wxEntryCleanup();
  }

  void SetUp() override {
    ASSERT_TRUE(build_error_.empty()) << build_error_;
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    host_ = new TestHost(*store_, *index_);
  }

  void TearDown() override {
    if (!host_) return;
    EXPECT_TRUE(host_->errors.empty()) << host_->errors.front();
    host_->Destroy();
    wxTheApp->ProcessIdle();
  }

  // The CLI on the same project (it reads the snapshot and replays the journal, as any reader).
  CliResult cli(const std::string& args) {
    const fs::path out = scratch_ / "cli.out", err = scratch_ / "cli.err";
    const std::string command = quoted(MARGINALIA_CLI) + " " + args + " >" + quoted(out.string()) +
                                " 2>" + quoted(err.string());
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }
  std::string project_arg() const { return quoted(study_.string()); }

  void screenshot(const std::string& name) {
    // The X server shows the frame only once it is mapped and has painted: give it time.
    host_->Raise();
    host_->Refresh();
    for (int i = 0; i < 40; ++i) {
      wxYield();
      wxMilliSleep(25);
    }
    const fs::path file = fs::path(MARGINALIA_PANE_ARTIFACTS) / (name + ".png");
    EXPECT_TRUE(capture(*host_, file)) << file;
    EXPECT_GT(fs::file_size(file), 1000u);
  }

  // Answers the pane's next file question with `file`.
  template <typename Pane>
  void answer_files_with(Pane* pane, const fs::path& file) {
    pane->set_file_chooser([file](const wxString&, const wxString&, const wxString&) {
      return std::optional<fs::path>(file);
    });
  }

  static const Project& project() { return store_->project(); }

  static inline std::string skip_reason_, build_error_;
  static inline bool wx_started_ = false;
  static inline wxEventLoop* loop_ = nullptr;
  static inline fs::path scratch_, study_;
  static inline ProjectStore* store_ = nullptr;
  static inline SearchIndex* index_ = nullptr;
  TestHost* host_ = nullptr;
};

// ---- Search -------------------------------------------------------------------------------------

TEST_F(PanesTest, SearchShowsTheCoresHitsAndCodesAllHitsAsOneUndoableStep) {
  auto* pane = host_->host_pane<SearchPane>();
  type_and_enter(pane->query_box(), pane->query_box(), "afraid");
  const size_t total = pane->results().total;
  ASSERT_GT(total, 0u);
  // The CLI counts the same turns.
  const CliResult cli_search = cli("search " + project_arg() + " afraid --limit 0 --format csv");
  ASSERT_EQ(cli_search.exit_code, 0) << cli_search.err;
  EXPECT_EQ(parse_csv(cli_search.out).size(), total + 1);  // the header and one row per turn
  EXPECT_EQ(pane->hits_list()->GetItemCount(), total);
  EXPECT_TRUE(pane->hits_list()->items()[0].Contains("<b>")) << pane->hits_list()->items()[0];
  EXPECT_EQ(pane->query_box()->GetCount(), 1u);  // the history
  EXPECT_EQ(pane->query_box()->GetString(0), "afraid");

  // A click on a hit shows its match.
  click_row(pane->hits_list(), 0);
  ASSERT_EQ(host_->shown.size(), 1u);
  const auto& shown = host_->shown.back();
  const Source* source = project().source(shown.source);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(fold_case(substring_cp(source->text, shown.start, shown.end)).substr(0, 5), "afrai");

  // The syntax is a click away.
  EXPECT_FALSE(pane->syntax_help()->IsShown());
  click(pane->syntax_button());
  EXPECT_TRUE(pane->syntax_help()->IsShown());
  screenshot("search");

  // Code all hits as whole turns with "Safe to share", as coder tester.
  const std::vector<Coding> before = project().codings;
  std::string safe;
  for (const Code& c : project().codes)
    if (c.name == "Safe to share") safe = c.guid;
  ASSERT_FALSE(safe.empty());
  const size_t carrying_before =
      pane->results().per_code.contains(safe) ? pane->results().per_code.at(safe) : 0;
  EXPECT_LT(carrying_before, total);
  bool asked = false;
  pane->set_dialog_runner([&](wxDialog& dialog) {
    auto& d = dynamic_cast<CodeAllHitsDialog&>(dialog);
    asked = true;
    const wxString path = utf8(project().code_path(*project().code(safe)));
    d.code_choice()->SetSelection(d.code_choice()->FindString(path, true));
    d.scope_box()->SetSelection(2);
    EXPECT_EQ(d.coder_box()->GetValue(), "tester");
    return wxID_OK;
  });
  click(pane->code_all_button());
  ASSERT_TRUE(asked);
  const size_t added = project().codings.size() - before.size();
  EXPECT_GT(added, 0u);
  EXPECT_LE(added, total);
  EXPECT_GE(host_->changes, 1);
  for (size_t i = before.size(); i < project().codings.size(); ++i) {
    const Coding& c = project().codings[i];
    EXPECT_EQ(c.code, safe);
    EXPECT_EQ(project().coder(c.coder)->name, "tester");
  }
  EXPECT_TRUE(pane->message()->GetLabel().StartsWith("Coded")) << pane->message()->GetLabel();
  ASSERT_TRUE(pane->undo_button()->IsShown());
  // The index followed the edit: every hit now carries the code.
  EXPECT_EQ(pane->results().per_code.at(safe), total);
  screenshot("search-coded");

  // One undo takes the whole auto-coding back.
  click(pane->undo_button());
  EXPECT_EQ(project().codings, before);
  EXPECT_FALSE(pane->undo_button()->IsShown());
  const auto per_code = pane->results().per_code;
  EXPECT_EQ(per_code.contains(safe) ? per_code.at(safe) : 0, carrying_before);
}

// The same search through the X server: a mouse click into the box, typed keys, Enter, then a
// click on the first hit.
TEST_F(PanesTest, SearchAnswersTypedKeysAndMouseClicks) {
  auto* pane = host_->host_pane<SearchPane>();
  for (int i = 0; i < 20; ++i) {
    wxYield();
    wxMilliSleep(10);
  }
  wxUIActionSimulator sim;
  const auto click_at = [&](wxWindow* window, wxPoint at) {
    sim.MouseMove(window->ClientToScreen(at));
    settle();
    sim.MouseClick();
    for (int i = 0; i < 10; ++i) {
      wxYield();
      wxMilliSleep(10);
    }
  };
  click_at(pane->query_box(), wxPoint(20, pane->query_box()->GetClientSize().y / 2));
  sim.Text("frightened");
  sim.Char(WXK_RETURN);
  for (int i = 0; i < 50 && pane->results().total == 0; ++i) {
    wxYield();
    wxMilliSleep(10);
  }
  ASSERT_GT(pane->results().total, 0u) << "typed: " << pane->query_box()->GetValue();
  EXPECT_EQ(pane->query_box()->GetValue(), "frightened");
  click_at(pane->hits_list(), wxPoint(40, 10));
  ASSERT_FALSE(host_->shown.empty());
  EXPECT_EQ(host_->shown.back().source, pane->results().hits[0].source);
}

TEST_F(PanesTest, LongWorkRunsOnAWorkerAndCancelStopsIt) {
  host_->Show();
  std::atomic<bool> started{false};
  std::thread::id worker;
  host_->run_long_work(
      "Counting",
      [&](ProgressSink& progress) {
        worker = std::this_thread::get_id();
        started = true;
        for (int64_t i = 0;; ++i) {
          progress.progress(i % 100, 100, "Counting slowly");
          if (progress.cancelled()) throw Cancelled{};
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      },
      nullptr);
  for (int i = 0; i < 200 && !started; ++i) {
    wxYield();
    wxMilliSleep(5);
  }
  ASSERT_TRUE(started);
  EXPECT_NE(worker, std::this_thread::get_id());
  // The window is disabled behind the progress window, which has the Cancel button.
  EXPECT_FALSE(host_->IsEnabled());
  wxButton* cancel = nullptr;
  for (wxWindow* top : wxTopLevelWindows)
    if (top != host_)
      if (auto* found = dynamic_cast<wxButton*>(top->FindWindow(wxID_CANCEL))) cancel = found;
  ASSERT_NE(cancel, nullptr);
  click(cancel);
  for (int i = 0; i < 200 && host_->long_work_ended == 0; ++i) {
    wxYield();
    wxTheApp->ProcessPendingEvents();
    wxMilliSleep(5);
  }
  ASSERT_EQ(host_->long_work_ended, 1);
  EXPECT_FALSE(host_->long_work_finished);
  EXPECT_TRUE(host_->IsEnabled());
}

TEST_F(PanesTest, AMalformedQueryIsReportedAndTheResultsStay) {
  auto* pane = host_->host_pane<SearchPane>();
  type_and_enter(pane->query_box(), pane->query_box(), "frightened");
  const size_t total = pane->results().total;
  type_and_enter(pane->query_box(), pane->query_box(), "\"unbalanced");
  ASSERT_EQ(host_->errors.size(), 1u);
  EXPECT_FALSE(host_->errors[0].empty());
  EXPECT_EQ(pane->results().total, total);
  host_->errors.clear();
}

// ---- Frequencies --------------------------------------------------------------------------------

TEST_F(PanesTest, FrequenciesShowTheNumbersOfMarginaliaCliFreq) {
  auto* pane = host_->host_pane<FrequenciesPane>();
  for (const auto& [label, by] : std::vector<std::pair<wxString, std::string>>{
           {"overall", ""}, {"by coder", "coder"}, {"by speaker role", "role"}}) {
    SCOPED_TRACE(by);
    choose(pane->by_choice(), label);
    const CliResult freq =
        cli("freq " + project_arg() + (by.empty() ? "" : " --by " + by) + " --format csv");
    ASSERT_EQ(freq.exit_code, 0) << freq.err;
    const auto records = parse_csv(freq.out);
    ASSERT_GT(records.size(), 1u);
    EXPECT_EQ(list_headers(pane->table()), records[0]);
    const auto cells = list_cells(pane->table());
    ASSERT_EQ(cells.size() + 1, records.size());
    for (size_t r = 0; r < cells.size(); ++r) EXPECT_EQ(cells[r], records[r + 1]) << "row " << r;
  }
  // The bar chart beside the table draws the same report: one bar per code and role group.
  EXPECT_FALSE(pane->chart()->data().categories.empty());
  EXPECT_EQ(pane->chart()->data().groups.size(), pane->chart()->data().values.at(0).size());
  screenshot("frequencies");

  // A click on the "codings" header sorts by it, most first; a second click reverses.
  const auto headers = list_headers(pane->table());
  const int codings =
      static_cast<int>(std::find(headers.begin(), headers.end(), "codings") - headers.begin());
  ASSERT_LT(codings, static_cast<int>(headers.size()));
  click_header(pane->table(), codings);
  std::vector<long> column;
  for (const auto& row : list_cells(pane->table())) column.push_back(std::stol(row[codings]));
  EXPECT_TRUE(std::is_sorted(column.rbegin(), column.rend()));
  EXPECT_GT(column.front(), column.back());
  click_header(pane->table(), codings);
  column.clear();
  for (const auto& row : list_cells(pane->table())) column.push_back(std::stol(row[codings]));
  EXPECT_TRUE(std::is_sorted(column.begin(), column.end()));
}

TEST_F(PanesTest, TheExportedChartIsTheCliFigureAndParsesAsSvg) {
  auto* pane = host_->host_pane<FrequenciesPane>();
  choose(pane->by_choice(), "by speaker role");
  const fs::path file = scratch_ / "pane-chart.svg";
  answer_files_with(pane, file);
  click(pane->export_chart_button());
  ASSERT_TRUE(fs::exists(file));

  wxXmlDocument svg;
  ASSERT_TRUE(svg.Load(wxString::FromUTF8(file.string())));
  ASSERT_EQ(svg.GetRoot()->GetName(), "svg");
  // Every bar's code (long names wrap over two lines) and every group are written in the figure,
  // and it has a bar for each code and group.
  wxString texts;
  size_t bars = 0;
  std::function<void(wxXmlNode*)> walk = [&](wxXmlNode* node) {
    for (; node; node = node->GetNext()) {
      if (node->GetType() != wxXML_ELEMENT_NODE) continue;
      if (node->GetName() == "text") texts += node->GetNodeContent() + " ";
      if (node->GetName() == "rect" && node->GetAttribute("height") == "7" &&
          !node->GetAttribute("fill").StartsWith("url("))
        ++bars;
      walk(node->GetChildren());
    }
  };
  walk(svg.GetRoot()->GetChildren());
  const BarChartData& data = pane->chart()->data();
  for (const BarCategory& category : data.categories)
    EXPECT_TRUE(texts.Contains(utf8(category.label + " "))) << category.label;
  for (const std::string& group : data.groups) EXPECT_TRUE(texts.Contains(utf8(group))) << group;
  // The legend's swatches are bars too, one per group.
  EXPECT_EQ(bars, data.categories.size() * data.groups.size() + data.groups.size());

  // The same figure as the CLI draws.
  const fs::path from_cli = scratch_ / "cli-chart.svg";
  const CliResult chart =
      cli("chart " + project_arg() + " --kind freq --by role -o " + quoted(from_cli.string()));
  ASSERT_EQ(chart.exit_code, 0) << chart.err;
  EXPECT_EQ(slurp(file), slurp(from_cli));

  // The table in every format the frequencies issue names.
  for (const std::string ext : {"csv", "md", "tex", "html", "json"}) {
    const fs::path table = scratch_ / ("pane-table." + ext);
    answer_files_with(pane, table);
    click(pane->export_table_button());
    const std::string format = ext == "tex" ? "latex" : ext;
    const CliResult freq = cli("freq " + project_arg() + " --by role --format " + format);
    EXPECT_EQ(slurp(table), freq.out) << ext;
  }
}

// ---- Retrieval ----------------------------------------------------------------------------------

TEST_F(PanesTest, RetrievalOfACombinationListsWhatTheCliRetrieves) {
  auto* pane = host_->host_pane<RetrievalPane>();
  const Code* withdrawal = nullptr;
  const Code* fears = nullptr;
  for (const Code& c : project().codes) {
    if (c.name == "Withdrawal rupture") withdrawal = &c;
    if (c.name == "Feelings of inferiority") fears = &c;
  }
  ASSERT_TRUE(withdrawal && fears);
  const std::string a = project().code_path(*withdrawal), b = project().code_path(*fears);
  choose(pane->code_choice(), utf8(a));

  // Withdrawal alone, then Withdrawal but not Feelings of inferiority, in client turns.
  click(pane->retrieve_button());
  const size_t alone = pane->passages()->passages().size();
  ASSERT_GT(alone, 0u);
  choose(pane->combination_choice(), "but NOT");
  EXPECT_TRUE(pane->other_choice()->IsEnabled());
  choose(pane->other_choice(), utf8(b));
  choose(pane->role_choice(), "client turns");
  click(pane->retrieve_button());
  const auto& passages = pane->passages()->passages();
  ASSERT_GT(passages.size(), 0u);
  EXPECT_LT(passages.size(), alone);
  for (const auto& p : passages)
    for (Role role : p.roles) EXPECT_EQ(role, Role::Client);

  const std::string args = "retrieve " + project_arg() + " --code " + quoted(a) + " --not " +
                           quoted(b) + " --role client";
  const fs::path csv = scratch_ / "passages.csv";
  answer_files_with(pane, csv);
  click(pane->table_button());
  const CliResult cli_csv = cli(args + " --format csv");
  ASSERT_EQ(cli_csv.exit_code, 0) << cli_csv.err;
  EXPECT_EQ(slurp(csv), cli_csv.out);
  EXPECT_EQ(parse_csv(cli_csv.out).size(), passages.size() + 1);

  // A click on a passage shows it.
  click_row(pane->passages(), 1);
  ASSERT_FALSE(host_->shown.empty());
  EXPECT_EQ(host_->shown.back().source, passages[1].source);
  EXPECT_EQ(host_->shown.back().start, passages[1].start);
  EXPECT_EQ(host_->shown.back().end, passages[1].end);

  // Quotes with source and speaker on the clipboard, as `retrieve --format quotes` prints them.
  click(pane->copy_button());
  wxString copied;
  if (wxTheClipboard->Open()) {
    wxTextDataObject data;
    if (wxTheClipboard->GetData(data)) copied = data.GetText();
    wxTheClipboard->Close();
  }
  const CliResult quotes = cli(args + " --format quotes");
  EXPECT_EQ(copied.utf8_string() + "\n", quotes.out);

  // The HTML report is written on a worker behind a progress dialog.
  const fs::path page = scratch_ / "passages.html";
  answer_files_with(pane, page);
  click(pane->page_button());
  EXPECT_EQ(host_->long_work_started, 1);
  for (int i = 0; i < 500 && host_->long_work_ended == 0; ++i) {
    wxYield();
    wxTheApp->ProcessPendingEvents();
    wxMilliSleep(10);
  }
  ASSERT_EQ(host_->long_work_ended, 1);
  EXPECT_TRUE(host_->long_work_finished);
  const CliResult cli_page = cli(args + " --format page");
  EXPECT_EQ(slurp(page), cli_page.out);
  screenshot("retrieval");
}

// ---- Matrix and co-occurrence -------------------------------------------------------------------

TEST_F(PanesTest, MatrixCellsAreTheCliMatrixAndAClickListsTheirPassages) {
  auto* pane = host_->host_pane<MatrixPane>();
  const CliResult matrix = cli("matrix " + project_arg() + " --format csv --layout wide");
  ASSERT_EQ(matrix.exit_code, 0) << matrix.err;
  const auto records = parse_csv(matrix.out);
  ShadedGrid* grid = pane->grid();
  ASSERT_EQ(static_cast<size_t>(grid->GetNumberRows()) + 1, records.size());
  ASSERT_EQ(static_cast<size_t>(grid->GetNumberCols()) + 2, records[0].size());  // code, scope
  int busiest_row = -1, busiest_column = -1;
  long busiest = 0;
  for (int r = 0; r < grid->GetNumberRows(); ++r)
    for (int c = 0; c < grid->GetNumberCols(); ++c) {
      const std::string cell = grid->GetCellValue(r, c).utf8_string();
      EXPECT_EQ(cell, records[static_cast<size_t>(r) + 1][static_cast<size_t>(c) + 2])
          << r << "," << c;
      if (c + 1 < grid->GetNumberCols() && std::stol(cell) > busiest) {
        busiest = std::stol(cell);
        busiest_row = r;
        busiest_column = c;
      }
    }
  ASSERT_GE(busiest_row, 0);
  // The fullest cell is the darkest.
  EXPECT_EQ(grid->GetCellBackgroundColour(busiest_row, busiest_column), shade(1, 1));
  click_cell(grid, busiest_row, busiest_column);
  const auto& passages = pane->passages()->passages();
  ASSERT_FALSE(passages.empty());
  EXPECT_LE(passages.size(), static_cast<size_t>(busiest));
  for (const auto& p : passages)
    EXPECT_EQ(p.source, pane->matrix().sources[static_cast<size_t>(busiest_column)]);
  EXPECT_TRUE(pane->message()->GetLabel().StartsWith(wxString::Format("%ld codings", busiest)))
      << pane->message()->GetLabel();
  click_row(pane->passages(), 0);
  ASSERT_EQ(host_->shown.size(), 1u);
  EXPECT_EQ(host_->shown[0].start, passages[0].start);
  screenshot("matrix");

  const fs::path csv = scratch_ / "matrix.csv";
  answer_files_with(pane, csv);
  click(pane->export_button());
  EXPECT_EQ(slurp(csv), cli("matrix " + project_arg() + " --format csv").out);
}

TEST_F(PanesTest, CooccurrenceHeatmapIsTheCliMatrixAndExportsTheCliFigure) {
  auto* pane = host_->host_pane<CooccurrencePane>();
  choose(pane->unit_choice(), "speaker turns");
  const CliResult long_table = cli("cooccur " + project_arg() + " --within utterance --format csv");
  ASSERT_EQ(long_table.exit_code, 0) << long_table.err;
  const auto records = parse_csv(long_table.out);
  ASSERT_EQ(records.size(), pane->matrix().pairs.size() + 1);
  const auto& header = records[0];
  const size_t both = std::find(header.begin(), header.end(), "both") - header.begin();
  ASSERT_LT(both, header.size());
  int best_a = -1, best_b = -1;
  long best = 0;
  for (size_t i = 0; i < pane->matrix().pairs.size(); ++i) {
    const auto& pair = pane->matrix().pairs[i];
    const int a = static_cast<int>(pair.a), b = static_cast<int>(pair.b);
    const std::string shown = pane->grid()->GetCellValue(b, a).utf8_string();
    EXPECT_EQ(shown, records[i + 1][both]);
    EXPECT_EQ(shown, pane->grid()->GetCellValue(a, b).utf8_string());
    if (std::stol(shown) > best) {
      best = std::stol(shown);
      best_a = a;
      best_b = b;
    }
  }
  ASSERT_GT(best, 0);
  click_cell(pane->grid(), best_a, best_b);
  EXPECT_FALSE(pane->passages()->passages().empty());
  screenshot("cooccurrence");

  choose(pane->measure_choice(), wxString::FromUTF8("Jaccard (both \u00f7 either)"));
  const fs::path svg = scratch_ / "heatmap.svg";
  answer_files_with(pane, svg);
  click(pane->export_figure_button());
  const fs::path from_cli = scratch_ / "cli-heatmap.svg";
  ASSERT_EQ(cli("chart " + project_arg() + " --kind cooccur --within utterance --jaccard -o " +
                quoted(from_cli.string()))
                .exit_code,
            0);
  EXPECT_EQ(slurp(svg), slurp(from_cli));
  wxXmlDocument parsed;
  EXPECT_TRUE(parsed.Load(wxString::FromUTF8(svg.string())));
}

// ---- Agreement ----------------------------------------------------------------------------------

TEST_F(PanesTest, AgreementIsTheCliAgreeAndAcceptsIntoConsensusAsOneStep) {
  auto* pane = host_->host_pane<AgreementPane>();
  // The two coders of the sample study are ticked; the coder the search test added is not (no
  // codings left after its undo).
  std::vector<wxString> ticked;
  for (unsigned i = 0; i < pane->coders_list()->GetCount(); ++i)
    if (pane->coders_list()->IsChecked(i)) ticked.push_back(pane->coders_list()->GetString(i));
  EXPECT_EQ(ticked, (std::vector<wxString>{"Ana", "Ben"}));

  const auto wait_for_work = [&](int ended) {
    for (int i = 0; i < 3000 && host_->long_work_ended < ended; ++i) {
      wxYield();
      wxTheApp->ProcessPendingEvents();
      wxMilliSleep(5);
    }
    ASSERT_EQ(host_->long_work_ended, ended);
    ASSERT_TRUE(host_->long_work_finished);
  };
  pane->bootstrap_box()->SetValue(200);
  click(pane->compute_button());
  wait_for_work(1);
  ASSERT_GT(pane->table()->GetItemCount(), 1);

  // The coefficients, intervals (200 resamples, seed 1) and prevalence are those of
  // `marginalia-cli agree`, byte for byte, and the disagreements those it lists.
  const fs::path csv = scratch_ / "agreement.csv";
  answer_files_with(pane, csv);
  click(pane->export_table_button());
  const size_t count = pane->disagreement_items().size();
  ASSERT_GT(count, 0u);
  const CliResult agree = cli("agree " + project_arg() + " --bootstrap 200 --format csv");
  ASSERT_EQ(agree.exit_code, 0) << agree.err;
  EXPECT_EQ(slurp(csv), agree.out);
  const CliResult listed = cli("disagreements " + project_arg() + " --format csv");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(parse_csv(listed.out).size(), count + 1);
  // The table shows a row per code and the pooled row, each with an interval.
  const auto headers = list_headers(pane->table());
  EXPECT_EQ(headers.at(0), "Code");
  EXPECT_EQ(headers.at(2), "Prevalence");
  EXPECT_EQ(pane->table()->GetItemText(pane->table()->GetItemCount() - 1, 0), "All codes (pooled)");
  EXPECT_EQ(pane->disagreements_list()->GetItemCount(), count);
  // Each coder's version is shown on the same text.
  EXPECT_TRUE(pane->disagreements_list()->items()[0].Contains("<b>Ana</b>"));
  EXPECT_TRUE(pane->disagreements_list()->items()[0].Contains("<b>Ben</b>"));

  // A click shows the unit.
  click_row(pane->disagreements_list(), 0);
  const Disagreement first = pane->disagreement_items()[0];
  ASSERT_EQ(host_->shown.size(), 1u);
  EXPECT_EQ(host_->shown[0].source, first.span.source);
  EXPECT_EQ(host_->shown[0].start, first.span.start);
  screenshot("agreement");

  // Accepting Ana's version gives the consensus coder her codings there, in one undoable step.
  const std::vector<Coding> before = project().codings;
  choose(pane->accept_choice(), wxString::FromUTF8("Ana\u2019s coding"));
  ASSERT_TRUE(pane->accept_selected());
  wait_for_work(2);
  const Coder* consensus = project().coder_named(kConsensusCoder);
  ASSERT_NE(consensus, nullptr);
  size_t added = 0;
  for (const Coding& c : project().codings)
    if (c.coder == consensus->guid) {
      ++added;
      EXPECT_EQ(c.code, first.code);
      EXPECT_EQ(c.source, first.span.source);
    }
  const wxArrayString coder_names = pane->coders_list()->GetStrings();
  const auto ana = static_cast<size_t>(coder_names.Index("Ana"));
  EXPECT_EQ(added > 0, first.values.at(ana) == 1);
  EXPECT_GE(host_->changes, 1);
  ASSERT_TRUE(store_->undo());
  EXPECT_EQ(project().codings, before);
}

// ---- Concordance and words ----------------------------------------------------------------------

TEST_F(PanesTest, ConcordanceListsEveryMatchTheCliLists) {
  auto* pane = host_->host_pane<ConcordancePane>();
  type_and_enter(pane->query_box(), pane->query_box(), "felt");
  const CliResult kwic = cli("kwic " + project_arg() + " felt --format csv");
  ASSERT_EQ(kwic.exit_code, 0) << kwic.err;
  const auto records = parse_csv(kwic.out);
  ASSERT_GT(records.size(), 1u);
  ASSERT_EQ(pane->lines().size() + 1, records.size());
  const auto cells = list_cells(pane->list());
  for (size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(cells[i][1], records[i + 1][6]);  // the match
    EXPECT_EQ(cells[i][3], records[i + 1][0]);  // the source
  }
  double_click_row(pane->list(), 2);
  ASSERT_EQ(host_->shown.size(), 1u);
  EXPECT_EQ(std::to_string(host_->shown[0].start), records[3][3]);
  screenshot("concordance");
}

TEST_F(PanesTest, WordFrequenciesAreTheCliWordsAndExportAsItsCsv) {
  auto* pane = host_->host_pane<WordsPane>();
  choose(pane->role_choice(), "client");
  const fs::path csv = scratch_ / "words.csv";
  answer_files_with(pane, csv);
  click(pane->export_button());
  const CliResult words = cli("words " + project_arg() + " --role client --top 50 --format csv");
  ASSERT_EQ(words.exit_code, 0) << words.err;
  EXPECT_EQ(slurp(csv), words.out);
  EXPECT_EQ(pane->list()->GetItemCount(), 50);
  screenshot("words");
}

}  // namespace
}  // namespace marginalia::gui
