// What every analysis pane shares: the host, the hooks through which a pane asks the person
// something (a file to write, a dialog's answer, an error to read) so that tests can answer, and
// the widgets that show what the core returns: a sortable list of a Table, a list of rich (HTML)
// rows, a grid shaded by value, an SVG figure. Main thread only.
#pragma once

#include <wx/grid.h>
#include <wx/htmllbox.h>
#include <wx/listctrl.h>
#include <wx/panel.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/charts.h"
#include "marginalia/model.h"
#include "marginalia/project_store.h"
#include "marginalia/retrieval.h"
#include "marginalia/tables.h"
#include "pane_host.h"
#include "wx_text.h"

class wxChoice;
class wxDialog;

namespace marginalia::gui {

class AnalysisPane : public wxPanel {
 public:
  // Asks where to write: nullopt when cancelled. A wxFileDialog unless a test plugs in its own.
  using FileChooser = std::function<std::optional<std::filesystem::path>(
      const wxString& title, const wxString& default_name, const wxString& wildcard)>;
  // Shows a dialog and returns how it was closed (wxID_OK, wxID_CANCEL): ShowModal unless a test
  // fills the dialog in itself.
  using DialogRunner = std::function<int(wxDialog& dialog)>;
  using ErrorReporter = std::function<void(const wxString& message)>;

  AnalysisPane(wxWindow* parent, PaneHost& host);

  void set_file_chooser(FileChooser chooser) { choose_file_ = std::move(chooser); }
  void set_dialog_runner(DialogRunner runner) { run_dialog_ = std::move(runner); }
  void set_error_reporter(ErrorReporter reporter) { report_error_ = std::move(reporter); }

  // The project changed (an edit, an undo, another pane): show what it holds now. The host calls
  // it after every change; each pane keeps the person's choices where they still exist.
  virtual void refresh() = 0;

  // A labelled control in a row: "By: [choice]". For panes and their dialogs.
  static wxSizer* labelled(wxWindow* parent, const wxString& label, wxWindow* control);

 protected:
  PaneHost& host() { return host_; }
  const Project& project() { return host_.store().project(); }

  std::optional<std::filesystem::path> choose_file(const wxString& title,
                                                   const wxString& default_name,
                                                   const wxString& wildcard);
  int run_dialog(wxDialog& dialog);
  void report_error(const wxString& message);

  // Runs `action`, turning what the core throws (bad input, a malformed query, a file that can't be
  // written) into one message for the person. False when it threw.
  bool guarded(const std::function<void()>& action);

  // Asks for a file and writes `content` to it; the path written, nullopt when cancelled or failed
  // (reported).
  std::optional<std::filesystem::path> save_text(const wxString& title,
                                                 const wxString& default_name,
                                                 const wxString& wildcard,
                                                 const std::string& content);
  // Asks for a file (.csv, .md, .tex, .html, .json, .txt) and writes `table` in the format its
  // extension names.
  std::optional<std::filesystem::path> save_table(const Table& table, const wxString& default_stem);
  // The same for a table whose layout depends on the format (wide to read, long for csv and json).
  std::optional<std::filesystem::path> save_table(
      const std::function<Table(const std::string& format)>& make, const wxString& default_stem);

 private:
  PaneHost& host_;
  FileChooser choose_file_;
  DialogRunner run_dialog_;
  ErrorReporter report_error_;
};

// The format render_table takes for a file's extension: "csv", "md", "latex", "html", "json",
// "text" (.txt and anything else).
std::string table_format_for(const std::filesystem::path& file);

// Codable codes as a choice's items ("Parent/Child"), with their guids; `none` first when given.
struct CodeChoices {
  std::vector<std::string> guids;  // parallel to the items; "" for `none`
  void fill(wxChoice* choice, const Project& project, const wxString& none = wxEmptyString,
            bool folders = false);
  // The guid of the selected item ("" for none or no selection).
  std::string selected(const wxChoice* choice) const;
  // Selects `guid` if listed; returns whether it was.
  bool select(wxChoice* choice, const std::string& guid) const;
};

// A Table shown as a report list: its columns and cells as the core made them, numeric columns
// right-aligned. A click on a column header sorts by it (numbers as numbers), a second reverses.
class TableList : public wxListCtrl {
 public:
  explicit TableList(wxWindow* parent);
  // `right_aligned`: text columns that read from the right too (a concordance's left context).
  void show(const Table& table, const std::vector<size_t>& right_aligned = {});
  const Table& table() const { return table_; }
  // The index into table().rows of what list row `row` shows.
  size_t table_row(long row) const { return order_.at(static_cast<size_t>(row)); }
  void sort_by(size_t column, bool ascending);

 private:
  void fill();
  Table table_;
  std::vector<size_t> order_;
  std::optional<size_t> sorted_column_;
  bool ascending_ = true;
};

// Rows of HTML (wxHtmlListBox's subset: <b>, <i>, <font>, <br>), one item each.
class RichList : public wxHtmlListBox {
 public:
  explicit RichList(wxWindow* parent);
  void set_items(std::vector<wxString> items);
  const std::vector<wxString>& items() const { return items_; }

 protected:
  wxString OnGetItem(size_t n) const override;

 private:
  std::vector<wxString> items_;
};

// Escapes text for a RichList row.
wxString html_text(std::string_view text);

// Passages (retrieval.h) with their context, the passage in bold; selecting one shows it in the
// transcript through the host.
class PassageList : public RichList {
 public:
  PassageList(wxWindow* parent, PaneHost& host);
  void show(std::vector<RetrievedPassage> passages);
  const std::vector<RetrievedPassage>& passages() const { return passages_; }

 private:
  PaneHost& host_;
  std::vector<RetrievedPassage> passages_;
};

// A grid of numbers, each cell shaded from white (0) to dark blue (the largest value), the text
// turning white on dark cells. Read-only.
class ShadedGrid : public wxGrid {
 public:
  explicit ShadedGrid(wxWindow* parent);
  // values[row][column]; `text` the same shape, what each cell says (empty: the number).
  void show(const std::vector<wxString>& row_labels, const std::vector<wxString>& column_labels,
            const std::vector<std::vector<double>>& values,
            const std::vector<std::vector<wxString>>& text = {});
  double shaded_value(int row, int column) const;

 private:
  std::vector<std::vector<double>> values_;
};

// The figures a pane exports: one journal column (3.3 in) wide, as `marginalia-cli chart` draws
// them.
ChartStyle figure_style();

// The colour a ShadedGrid gives `value` of `maximum`.
wxColour shade(double value, double maximum);

// The core's bar chart data (charts.h: frequency_bar_chart) drawn on screen: the same categories,
// groups, values, colours and group patterns as the SVG an export writes (render_bar_chart_svg),
// which the screen cannot show itself (its SVG renderer draws no text).
class BarChartView : public wxScrolledWindow {
 public:
  explicit BarChartView(wxWindow* parent);
  void show(const BarChartData& data);
  const BarChartData& data() const { return data_; }

 private:
  void paint(wxDC& dc);
  wxSize layout_size(wxDC& dc) const;
  BarChartData data_;
};

}  // namespace marginalia::gui
