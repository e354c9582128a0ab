#include "pane_common.h"

#include <wx/choice.h>
#include <wx/dcbuffer.h>
#include <wx/dcclient.h>
#include <wx/dialog.h>
#include <wx/filedlg.h>
#include <wx/msgdlg.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "marginalia/error.h"
#include "marginalia/report.h"
#include "marginalia/search.h"
#include "marginalia/text.h"

namespace fs = std::filesystem;

namespace marginalia::gui {

// ---- AnalysisPane ------------------------------------------------------------------------------

AnalysisPane::AnalysisPane(wxWindow* parent, PaneHost& host) : wxPanel(parent), host_(host) {
  choose_file_ = [this](const wxString& title, const wxString& default_name,
                        const wxString& wildcard) -> std::optional<fs::path> {
    wxFileDialog dialog(this, title, wxEmptyString, default_name, wildcard,
                        wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (dialog.ShowModal() != wxID_OK) return std::nullopt;
    return fs::path(dialog.GetPath().utf8_string());
  };
  run_dialog_ = [](wxDialog& dialog) { return dialog.ShowModal(); };
  report_error_ = [this](const wxString& message) {
    wxMessageBox(message, "Marginalia", wxOK | wxICON_ERROR, this);
  };
}

std::optional<fs::path> AnalysisPane::choose_file(const wxString& title,
                                                  const wxString& default_name,
                                                  const wxString& wildcard) {
  return choose_file_(title, default_name, wildcard);
}

int AnalysisPane::run_dialog(wxDialog& dialog) {
  return run_dialog_(dialog);
}

void AnalysisPane::report_error(const wxString& message) {
  report_error_(message);
}

bool AnalysisPane::guarded(const std::function<void()>& action) {
  try {
    action();
    return true;
  } catch (const QueryError& e) {
    wxString message = utf8(e.what());
    if (e.position) message += wxString::Format(" (at character %lld)", *e.position + 1);
    report_error(message);
  } catch (const Error& e) {
    report_error(utf8(e.what()));
  } catch (const std::exception& e) {  // a bug in the core; still no reason to lose the window
    report_error(utf8(std::string("Something went wrong: ") + e.what()));
  }
  return false;
}

std::optional<fs::path> AnalysisPane::save_text(const wxString& title, const wxString& default_name,
                                                const wxString& wildcard,
                                                const std::string& content) {
  const auto file = choose_file(title, default_name, wildcard);
  if (!file) return std::nullopt;
  std::ofstream out(*file, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    report_error(utf8("Could not write " + file->string() + ": is the folder writable?"));
    return std::nullopt;
  }
  return file;
}

std::optional<fs::path> AnalysisPane::save_table(const Table& table, const wxString& default_stem) {
  return save_table([&table](const std::string&) { return table; }, default_stem);
}

std::optional<fs::path> AnalysisPane::save_table(
    const std::function<Table(const std::string& format)>& make, const wxString& default_stem) {
  const wxString wildcard =
      "CSV, tidy (*.csv)|*.csv|Markdown (*.md)|*.md|LaTeX, booktabs (*.tex)|*.tex|"
      "HTML (*.html)|*.html|JSON (*.json)|*.json|Text (*.txt)|*.txt";
  const auto file = choose_file("Export table", default_stem + ".csv", wildcard);
  if (!file) return std::nullopt;
  std::string content;
  const std::string format = table_format_for(*file);
  if (!guarded([&] { content = render_table(make(format), format); })) return std::nullopt;
  std::ofstream out(*file, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    report_error(utf8("Could not write " + file->string() + ": is the folder writable?"));
    return std::nullopt;
  }
  return file;
}

wxSizer* AnalysisPane::labelled(wxWindow* parent, const wxString& label, wxWindow* control) {
  auto* row = new wxBoxSizer(wxHORIZONTAL);
  row->Add(new wxStaticText(parent, wxID_ANY, label),
           wxSizerFlags().CenterVertical().Border(wxRIGHT, parent->FromDIP(4)));
  row->Add(control, wxSizerFlags().CenterVertical());
  return row;
}

std::string table_format_for(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".csv") return "csv";
  if (ext == ".md" || ext == ".markdown") return "md";
  if (ext == ".tex") return "latex";
  if (ext == ".html" || ext == ".htm") return "html";
  if (ext == ".json") return "json";
  return "text";
}

// ---- CodeChoices -------------------------------------------------------------------------------

void CodeChoices::fill(wxChoice* choice, const Project& project, const wxString& none,
                       bool folders) {
  const std::string previous = selected(choice);
  guids.clear();
  choice->Clear();
  if (!none.empty()) {
    choice->Append(none);
    guids.emplace_back();
  }
  for (const Code& code : project.codes) {
    if (!code.codable && !folders) continue;
    choice->Append(utf8(project.code_path(code)));
    guids.push_back(code.guid);
  }
  if (!select(choice, previous) && choice->GetCount() > 0) choice->SetSelection(0);
}

std::string CodeChoices::selected(const wxChoice* choice) const {
  const int at = choice->GetSelection();
  if (at == wxNOT_FOUND || static_cast<size_t>(at) >= guids.size()) return {};
  return guids[static_cast<size_t>(at)];
}

bool CodeChoices::select(wxChoice* choice, const std::string& guid) const {
  if (guid.empty()) return false;
  const auto it = std::find(guids.begin(), guids.end(), guid);
  if (it == guids.end()) return false;
  choice->SetSelection(static_cast<int>(it - guids.begin()));
  return true;
}

// ---- TableList ---------------------------------------------------------------------------------

TableList::TableList(wxWindow* parent)
    : wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                 wxLC_REPORT | wxLC_SINGLE_SEL | wxLC_HRULES | wxLC_VRULES) {
  Bind(wxEVT_LIST_COL_CLICK, [this](wxListEvent& event) {
    const int column = event.GetColumn();
    if (column < 0) return;
    const auto c = static_cast<size_t>(column);
    sort_by(c, sorted_column_ == c ? !ascending_ : !table_.numeric_column(c));
  });
}

void TableList::show(const Table& table, const std::vector<size_t>& right_aligned) {
  table_ = table;
  order_.resize(table_.rows.size());
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  sorted_column_.reset();
  ascending_ = true;
  Freeze();
  ClearAll();
  for (size_t c = 0; c < table_.columns.size(); ++c) {
    const bool right =
        table_.numeric_column(c) ||
        std::find(right_aligned.begin(), right_aligned.end(), c) != right_aligned.end();
    AppendColumn(utf8(table_.columns[c]), right ? wxLIST_FORMAT_RIGHT : wxLIST_FORMAT_LEFT);
  }
  fill();
  // Wide enough for the header and the cells, but no column takes the whole pane.
  for (size_t c = 0; c < table_.columns.size(); ++c) {
    const int column = static_cast<int>(c);
    SetColumnWidth(column, wxLIST_AUTOSIZE_USEHEADER);
    const int header = GetColumnWidth(column);
    SetColumnWidth(column, table_.rows.empty() ? header : wxLIST_AUTOSIZE);
    const int widest = std::max(header, GetColumnWidth(column) + FromDIP(12));
    SetColumnWidth(column, std::min(widest, FromDIP(320)));
  }
  Thaw();
}

void TableList::sort_by(size_t column, bool ascending) {
  if (column >= table_.columns.size()) return;
  const bool numeric = table_.numeric_column(column);
  const auto cell = [&](size_t row) -> const std::string& {
    static const std::string empty;
    const auto& cells = table_.rows[row];
    return column < cells.size() ? cells[column].text : empty;
  };
  std::stable_sort(order_.begin(), order_.end(), [&](size_t a, size_t b) {
    const std::string &x = cell(a), &y = cell(b);
    bool less;
    if (numeric) {
      // Empty cells (no value) sort after every number, whichever the direction.
      if (x.empty() || y.empty()) return !x.empty() && y.empty();
      const double dx = std::strtod(x.c_str(), nullptr), dy = std::strtod(y.c_str(), nullptr);
      less = ascending ? dx < dy : dy < dx;
    } else {
      less = ascending ? x < y : y < x;
    }
    return less;
  });
  sorted_column_ = column;
  ascending_ = ascending;
  Freeze();
  fill();
  Thaw();
}

void TableList::fill() {
  DeleteAllItems();
  for (size_t i = 0; i < order_.size(); ++i) {
    const auto& cells = table_.rows[order_[i]];
    const long row =
        InsertItem(static_cast<long>(i), cells.empty() ? wxString() : utf8(cells[0].text));
    for (size_t c = 1; c < cells.size() && c < table_.columns.size(); ++c)
      SetItem(row, static_cast<int>(c), utf8(cells[c].text));
  }
}

// ---- RichList and PassageList ------------------------------------------------------------------

RichList::RichList(wxWindow* parent) : wxHtmlListBox(parent) {}

void RichList::set_items(std::vector<wxString> items) {
  items_ = std::move(items);
  SetItemCount(items_.size());
  SetSelection(wxNOT_FOUND);
  Refresh();
}

wxString RichList::OnGetItem(size_t n) const {
  return n < items_.size() ? items_[n] : wxString();
}

wxString html_text(std::string_view text) {
  wxString out;
  for (const wxUniChar c : utf8(text)) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

namespace {

// At most `limit` code points of `text`, from its end when `from_end`; "…" marks a cut.
std::string clipped(const std::string& text, int64_t limit, bool from_end) {
  const int64_t n = count_code_points(text);
  if (n <= limit) return text;
  return from_end ? "\u2026" + substring_cp(text, n - limit, n)
                  : substring_cp(text, 0, limit) + "\u2026";
}

}  // namespace

PassageList::PassageList(wxWindow* parent, PaneHost& host) : RichList(parent), host_(host) {
  Bind(wxEVT_LISTBOX, [this](wxCommandEvent& event) {
    const int at = event.GetSelection();
    if (at < 0 || static_cast<size_t>(at) >= passages_.size()) return;
    const RetrievedPassage& p = passages_[static_cast<size_t>(at)];
    host_.show_passage(p.source, p.start, p.end);
  });
}

void PassageList::show(std::vector<RetrievedPassage> passages) {
  passages_ = std::move(passages);
  std::vector<wxString> items;
  items.reserve(passages_.size());
  for (const RetrievedPassage& p : passages_) {
    wxString who;
    for (size_t i = 0; i < p.speakers.size(); ++i) {
      const wxString one = html_text(p.speakers[i]) + " (" + utf8(role_name(p.roles[i])) + ")";
      if (!who.Contains(one)) who += (who.empty() ? "" : ", ") + one;
    }
    wxString head = "<font color=\"#555555\"><b>" + html_text(p.source_name) + "</b>";
    if (!who.empty()) head += wxString::FromUTF8(" \u00b7 ") + who;
    if (p.timestamp_ms)
      head += wxString::FromUTF8(" \u00b7 ") + utf8(format_timestamp(*p.timestamp_ms));
    if (!p.coders.empty()) {
      std::string coders;
      for (const auto& c : p.coders) coders += (coders.empty() ? "" : ", ") + c;
      head += wxString::FromUTF8(" \u00b7 coded by ") + html_text(coders);
    }
    head += "</font>";
    const int64_t before = p.start - p.context_start;
    const std::string lead = substring_cp(p.context, 0, before);
    const std::string tail =
        substring_cp(p.context, before + (p.end - p.start), count_code_points(p.context));
    items.push_back(head + "<br>" + html_text(clipped(lead, 120, true)) + "<b>" +
                    html_text(clipped(p.text, 600, false)) + "</b>" +
                    html_text(clipped(tail, 120, false)));
  }
  set_items(std::move(items));
}

ChartStyle figure_style() {
  ChartStyle style;
  style.width_pt = 3.3 * 72;
  return style;
}

// ---- ShadedGrid --------------------------------------------------------------------------------

wxColour shade(double value, double maximum) {
  const double t = maximum > 0 ? std::clamp(value / maximum, 0.0, 1.0) : 0.0;
  // White to the blue of the core's heatmap scale (#08519c).
  const auto mix = [t](int from, int to) {
    return static_cast<unsigned char>(from + (to - from) * t);
  };
  return wxColour(mix(255, 0x08), mix(255, 0x51), mix(255, 0x9c));
}

ShadedGrid::ShadedGrid(wxWindow* parent) : wxGrid(parent, wxID_ANY) {
  CreateGrid(0, 0, wxGrid::wxGridSelectCells);
  EnableEditing(false);
  EnableDragRowSize(false);
  SetDefaultCellAlignment(wxALIGN_RIGHT, wxALIGN_CENTRE);
  SetRowLabelAlignment(wxALIGN_LEFT, wxALIGN_CENTRE);
  SetColLabelTextOrientation(wxHORIZONTAL);
}

void ShadedGrid::show(const std::vector<wxString>& row_labels,
                      const std::vector<wxString>& column_labels,
                      const std::vector<std::vector<double>>& values,
                      const std::vector<std::vector<wxString>>& text) {
  values_ = values;
  BeginBatch();
  if (GetNumberRows() > 0) DeleteRows(0, GetNumberRows());
  if (GetNumberCols() > 0) DeleteCols(0, GetNumberCols());
  AppendRows(static_cast<int>(row_labels.size()));
  AppendCols(static_cast<int>(column_labels.size()));
  double maximum = 0;
  for (const auto& row : values)
    for (double v : row) maximum = std::max(maximum, v);
  for (size_t r = 0; r < row_labels.size(); ++r)
    SetRowLabelValue(static_cast<int>(r), row_labels[r]);
  for (size_t c = 0; c < column_labels.size(); ++c)
    SetColLabelValue(static_cast<int>(c), column_labels[c]);
  for (size_t r = 0; r < values.size() && r < row_labels.size(); ++r) {
    for (size_t c = 0; c < values[r].size() && c < column_labels.size(); ++c) {
      const int gr = static_cast<int>(r), gc = static_cast<int>(c);
      const double v = values[r][c];
      const wxString shown = r < text.size() && c < text[r].size() && !text[r][c].empty()
                                 ? text[r][c]
                                 : wxString::Format("%g", v);
      SetCellValue(gr, gc, shown);
      const wxColour background = shade(v, maximum);
      SetCellBackgroundColour(gr, gc, background);
      SetCellTextColour(gr, gc, v > 0.55 * maximum && maximum > 0 ? *wxWHITE : *wxBLACK);
    }
  }
  SetRowLabelSize(wxGRID_AUTOSIZE);
  SetColLabelSize(wxGRID_AUTOSIZE);
  AutoSizeColumns(false);
  EndBatch();
  ForceRefresh();
}

double ShadedGrid::shaded_value(int row, int column) const {
  if (row < 0 || column < 0 || static_cast<size_t>(row) >= values_.size()) return 0;
  const auto& cells = values_[static_cast<size_t>(row)];
  return static_cast<size_t>(column) < cells.size() ? cells[static_cast<size_t>(column)] : 0;
}

// ---- BarChartView ------------------------------------------------------------------------------

namespace {

// The group patterns of the SVG, in order: solid, then hatches that survive greyscale.
const wxBrushStyle kPatterns[] = {wxBRUSHSTYLE_SOLID,           wxBRUSHSTYLE_BDIAGONAL_HATCH,
                                  wxBRUSHSTYLE_CROSS_HATCH,     wxBRUSHSTYLE_HORIZONTAL_HATCH,
                                  wxBRUSHSTYLE_FDIAGONAL_HATCH, wxBRUSHSTYLE_VERTICAL_HATCH};

wxColour colour_of(const std::string& hex) {
  wxColour colour(utf8(hex));
  return hex.empty() || !colour.IsOk() ? wxColour(0xa0, 0xa0, 0xa0) : colour;
}

struct ChartMetrics {
  int line, bar, gap, label_width, value_width, legend;
};

ChartMetrics metrics(wxWindow* window, wxDC& dc, const BarChartData& data) {
  ChartMetrics m{};
  m.line = dc.GetCharHeight();
  m.bar = std::max(window->FromDIP(9), m.line * 3 / 4);
  m.gap = window->FromDIP(6);
  for (const auto& c : data.categories)
    m.label_width = std::max(m.label_width, dc.GetTextExtent(utf8(c.label)).x);
  for (const auto& c : data.categories)
    m.label_width =
        std::max(m.label_width, dc.GetTextExtent(utf8(c.section)).x - window->FromDIP(8));
  m.value_width = dc.GetTextExtent("00000.00").x;
  m.legend = data.groups.size() > 1 ? m.line + window->FromDIP(8) : 0;
  return m;
}

}  // namespace

BarChartView::BarChartView(wxWindow* parent) : wxScrolledWindow(parent) {
  SetBackgroundColour(*wxWHITE);
  SetBackgroundStyle(wxBG_STYLE_PAINT);
  SetScrollRate(FromDIP(10), FromDIP(10));
  Bind(wxEVT_PAINT, [this](wxPaintEvent&) {
    wxAutoBufferedPaintDC dc(this);
    DoPrepareDC(dc);
    dc.SetBackground(*wxWHITE_BRUSH);
    dc.Clear();
    paint(dc);
  });
  Bind(wxEVT_SIZE, [this](wxSizeEvent& event) {
    Refresh();
    event.Skip();
  });
}

void BarChartView::show(const BarChartData& data) {
  data_ = data;
  wxClientDC dc(this);
  dc.SetFont(GetFont());
  SetVirtualSize(layout_size(dc));
  Refresh();
}

wxSize BarChartView::layout_size(wxDC& dc) const {
  const ChartMetrics m = metrics(const_cast<BarChartView*>(this), dc, data_);
  int height = m.line * 2 + m.legend;
  std::string section;
  for (const auto& c : data_.categories) {
    if (!c.section.empty() && c.section != section) height += m.line + m.gap;
    section = c.section;
    height += static_cast<int>(data_.groups.size()) * m.bar + m.gap;
  }
  return wxSize(m.label_width + m.value_width + FromDIP(220), height + m.line);
}

void BarChartView::paint(wxDC& dc) {
  dc.SetFont(GetFont());
  if (data_.categories.empty()) {
    dc.SetTextForeground(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
    dc.DrawText("No codings to draw.", FromDIP(8), FromDIP(8));
    return;
  }
  const ChartMetrics m = metrics(this, dc, data_);
  const int left = FromDIP(8);
  const int bars_x = left + m.label_width + FromDIP(8);
  const int width = std::max(GetClientSize().x, GetVirtualSize().x);
  const int bars_width = std::max(FromDIP(80), width - bars_x - m.value_width - FromDIP(8));
  double maximum = 0;
  for (const auto& row : data_.values)
    for (double v : row) maximum = std::max(maximum, v);

  int y = FromDIP(4);
  dc.SetTextForeground(*wxBLACK);
  wxFont bold = GetFont().Bold();
  dc.SetFont(bold);
  dc.DrawText(utf8(data_.title), left, y);
  dc.SetFont(GetFont());
  y += m.line + m.gap;
  if (m.legend) {  // the groups and their patterns
    int x = left;
    dc.DrawText(utf8(data_.group_label) + ":", x, y);
    x += dc.GetTextExtent(utf8(data_.group_label) + ":").x + FromDIP(8);
    for (size_t g = 0; g < data_.groups.size(); ++g) {
      dc.SetPen(wxPen(*wxBLACK));
      dc.SetBrush(wxBrush(wxColour(0x60, 0x60, 0x60), kPatterns[g % std::size(kPatterns)]));
      dc.DrawRectangle(x, y + m.line / 6, m.line, m.line * 2 / 3);
      x += m.line + FromDIP(4);
      dc.DrawText(utf8(data_.groups[g]), x, y);
      x += dc.GetTextExtent(utf8(data_.groups[g])).x + FromDIP(12);
    }
    y += m.legend;
  }
  std::string section;
  const auto decimals = static_cast<size_t>(std::max(0, data_.decimals));
  for (size_t c = 0; c < data_.categories.size(); ++c) {
    const BarCategory& category = data_.categories[c];
    if (!category.section.empty() && category.section != section) {
      dc.SetFont(bold);
      dc.DrawText(utf8(category.section), left, y);
      dc.SetFont(GetFont());
      y += m.line + m.gap / 2;
    }
    section = category.section;
    const int group_height = static_cast<int>(data_.groups.size()) * m.bar;
    const wxString label = utf8(category.label);
    dc.DrawText(label, bars_x - FromDIP(8) - dc.GetTextExtent(label).x,
                y + (group_height - m.line) / 2);
    const wxColour colour = colour_of(category.colour);
    for (size_t g = 0; g < data_.groups.size(); ++g) {
      const double v =
          c < data_.values.size() && g < data_.values[c].size() ? data_.values[c][g] : 0;
      const int length = maximum > 0 ? static_cast<int>(bars_width * v / maximum) : 0;
      const int top = y + static_cast<int>(g) * m.bar;
      dc.SetPen(wxPen(colour.ChangeLightness(60)));
      const wxBrushStyle pattern = kPatterns[g % std::size(kPatterns)];
      if (pattern != wxBRUSHSTYLE_SOLID) {  // a light fill under the hatch, as in the SVG
        dc.SetBrush(wxBrush(colour.ChangeLightness(160)));
        dc.DrawRectangle(bars_x, top + 1, std::max(length, 1), m.bar - 2);
      }
      dc.SetBrush(
          wxBrush(pattern == wxBRUSHSTYLE_SOLID ? colour : colour.ChangeLightness(50), pattern));
      dc.DrawRectangle(bars_x, top + 1, std::max(length, 1), m.bar - 2);
      const wxString value = wxString::FromCDouble(v, static_cast<int>(decimals));
      dc.SetFont(GetFont().Smaller());
      dc.DrawText(value, bars_x + length + FromDIP(4),
                  top + (m.bar - dc.GetTextExtent(value).y) / 2);
      dc.SetFont(GetFont());
    }
    y += group_height + m.gap;
  }
  dc.SetTextForeground(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
  dc.DrawText(utf8(data_.value_label), bars_x, y);
}

}  // namespace marginalia::gui
