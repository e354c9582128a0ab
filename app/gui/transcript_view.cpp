#include "transcript_view.h"

#include <wx/dcbuffer.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stc/stc.h>

#include <algorithm>

namespace marginalia::gui {
namespace {

enum Style { kTimestampStyle = 1, kLabelStyle = 2 };  // kLabelStyle + role

wxColour role_colour(Role role) {
  switch (role) {
    case Role::Interviewer:
      return wxColour(0x55, 0x55, 0x55);
    case Role::Therapist:
      return wxColour(0x00, 0x5f, 0x99);  // Okabe-Ito blue, darker for text
    case Role::Client:
      return wxColour(0xa1, 0x3c, 0x7a);  // reddish purple, darker
    case Role::Participant:
      return wxColour(0x8a, 0x5a, 0x00);
    default:
      return wxColour(0x33, 0x33, 0x33);
  }
}

wxColour code_colour(const Project& project, const std::string& guid) {
  const Code* code = project.code(guid);
  wxColour colour;
  if (code && !code->color.empty()) colour.Set(wxString::FromUTF8(code->color));
  return colour.IsOk() ? colour : wxColour(0xa0, 0xa0, 0xa0);
}

// Scintilla's indicator value: a colour as 0xBBGGRR with the value bit set.
int indicator_value(const wxColour& colour) {
  return wxSTC_INDICVALUEBIT | (colour.Blue() << 16) | (colour.Green() << 8) | colour.Red();
}

// Where several codes overlap, the span takes the mean of their colours: still a tint of each.
wxColour run_colour(const Project& project, const HighlightRun& run) {
  int r = 0, g = 0, b = 0;
  for (const std::string& code : run.codes) {
    const wxColour c = code_colour(project, code);
    r += c.Red();
    g += c.Green();
    b += c.Blue();
  }
  const int n = std::max<int>(1, static_cast<int>(run.codes.size()));
  return wxColour(r / n, g / n, b / n);
}

bool timestamp_char(char c) {
  return (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '[' || c == ']' || c == '(' ||
         c == ')';
}

}  // namespace

TranscriptView::TranscriptView(wxWindow* parent) : wxPanel(parent) {
  text_ = new wxStyledTextCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxBORDER_NONE);
  gutter_ = new StripeGutter(this);
  auto* sizer = new wxBoxSizer(wxHORIZONTAL);
  sizer->Add(text_, wxSizerFlags(1).Expand());
  sizer->Add(gutter_, wxSizerFlags().Expand());
  SetSizer(sizer);

  text_->SetWrapMode(wxSTC_WRAP_WORD);
  text_->SetWrapIndentMode(wxSTC_WRAPINDENT_INDENT);
  for (int margin = 0; margin < 5; ++margin) text_->SetMarginWidth(margin, 0);
  text_->SetMarginLeft(FromDIP(12));
  text_->SetMarginRight(FromDIP(6));
  text_->SetUseHorizontalScrollBar(false);
  text_->SetCaretLineVisible(false);
  text_->SetExtraDescent(FromDIP(2));

  const wxFont font = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
  text_->StyleSetFont(wxSTC_STYLE_DEFAULT, font);
  text_->StyleSetForeground(wxSTC_STYLE_DEFAULT,
                            wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
  text_->StyleSetBackground(wxSTC_STYLE_DEFAULT, wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW));
  text_->StyleClearAll();
  text_->StyleSetForeground(kTimestampStyle, wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
  text_->StyleSetSize(kTimestampStyle, std::max(6, font.GetPointSize() - 1));
  for (Role role : {Role::Unknown, Role::Interviewer, Role::Therapist, Role::Client,
                    Role::Participant, Role::Other}) {
    const int style = kLabelStyle + static_cast<int>(role);
    text_->StyleSetBold(style, true);
    text_->StyleSetForeground(style, role_colour(role));
  }

  // Codings: one container indicator whose colour is each run's value, drawn under the text.
  text_->IndicatorSetStyle(kSpanIndicator, wxSTC_INDIC_STRAIGHTBOX);
  text_->IndicatorSetFlags(kSpanIndicator, wxSTC_INDICFLAG_VALUEFORE);
  text_->IndicatorSetAlpha(kSpanIndicator, 80);
  text_->IndicatorSetOutlineAlpha(kSpanIndicator, 0);
  text_->IndicatorSetUnder(kSpanIndicator, true);
  text_->IndicatorSetStyle(kSelectedIndicator, wxSTC_INDIC_BOX);
  text_->IndicatorSetForeground(kSelectedIndicator, wxColour(0x20, 0x20, 0x20));

  text_->SetMouseDwellTime(400);
  text_->Bind(wxEVT_STC_UPDATEUI, [this](wxStyledTextEvent& event) {
    gutter_->Refresh(false);
    event.Skip();
  });
  text_->Bind(wxEVT_STC_ZOOM, [this](wxStyledTextEvent& event) {
    gutter_->Refresh(false);
    event.Skip();
  });
  text_->Bind(wxEVT_SIZE, [this](wxSizeEvent& event) {
    gutter_->Refresh(false);
    event.Skip();
  });
  text_->Bind(wxEVT_STC_DWELLSTART, [this](wxStyledTextEvent& event) {
    const int pos = event.GetPosition();
    if (pos < 0 || !hover_text_ || source_guid_.empty()) return;
    const wxString words = hover_text_(offsets_.code_point_of_byte(pos));
    if (!words.empty()) text_->CallTipShow(pos, words);
  });
  text_->Bind(wxEVT_STC_DWELLEND, [this](wxStyledTextEvent&) { text_->CallTipCancel(); });
  text_->Bind(wxEVT_LEFT_UP, [this](wxMouseEvent& event) {
    event.Skip();
    // A plain click (no selection made) on a span selects its coding; after the control has
    // placed the caret.
    CallAfter([this] {
      if (source_guid_.empty() || text_->GetSelectionStart() != text_->GetSelectionEnd()) return;
      const int64_t at = text_->GetCurrentPos();
      const CodingStripe* best = nullptr;
      for (const CodingStripe& stripe : marks_.stripes)
        if (stripe.begin <= at && at < stripe.end &&
            (!best || stripe.end - stripe.begin < best->end - best->begin))
          best = &stripe;
      if (on_coding_clicked_) on_coding_clicked_(best ? best->coding : std::string());
    });
  });
}

void TranscriptView::clear() {
  source_guid_.clear();
  selected_coding_.clear();
  marks_ = {};
  offsets_ = OffsetMap();
  text_->SetReadOnly(false);
  text_->ClearAll();
  text_->SetReadOnly(true);
  gutter_->update_width();
}

void TranscriptView::show(const Project& project, const Source& source,
                          const MarkOptions& options) {
  source_guid_ = source.guid;
  selected_coding_.clear();
  offsets_ = OffsetMap(source.text);
  text_->Freeze();
  text_->SetReadOnly(false);
  text_->ClearAll();
  text_->SetTextRaw(source.text.c_str());
  text_->EmptyUndoBuffer();
  text_->SetUndoCollection(false);
  style_turns(source);
  text_->SetReadOnly(true);
  apply_marks(project, source, options);
  text_->GotoPos(0);
  text_->Thaw();
}

void TranscriptView::refresh_marks(const Project& project, const Source& source,
                                   const MarkOptions& options) {
  if (source.guid != source_guid_) return show(project, source, options);
  apply_marks(project, source, options);
}

void TranscriptView::style_turns(const Source& source) {
  text_->StartStyling(0);
  text_->SetStyling(static_cast<int>(source.text.size()), 0);
  const std::string& text = source.text;
  for (const Utterance& turn : source.utterances) {
    const int64_t words = offsets_.byte_of(turn.start);
    const size_t line_start = words == 0 ? 0 : text.rfind('\n', words - 1) + 1;  // npos+1 == 0
    if (static_cast<int64_t>(line_start) >= words) continue;
    text_->StartStyling(static_cast<int>(line_start));
    text_->SetStyling(static_cast<int>(words - line_start),
                      kLabelStyle + static_cast<int>(turn.role));
    if (!turn.timestamp_ms) continue;
    // The timestamp inside the label ("[00:01:23]", "(01:23)", "00:01:23") is subdued.
    for (size_t i = line_start; i < static_cast<size_t>(words);) {
      size_t j = i;
      bool colon = false;
      while (j < static_cast<size_t>(words) && timestamp_char(text[j])) colon |= text[j++] == ':';
      if (colon) {
        text_->StartStyling(static_cast<int>(i));
        text_->SetStyling(static_cast<int>(j - i), kTimestampStyle);
      }
      i = j == i ? i + 1 : j;
    }
  }
}

void TranscriptView::apply_marks(const Project& project, const Source& source,
                                 const MarkOptions& options) {
  marks_ = transcript_marks(project, source, offsets_, options);
  text_->SetIndicatorCurrent(kSpanIndicator);
  text_->IndicatorClearRange(0, text_->GetLength());
  for (const HighlightRun& run : marks_.runs) {
    text_->SetIndicatorValue(indicator_value(run_colour(project, run)));
    text_->IndicatorFillRange(static_cast<int>(run.begin), static_cast<int>(run.end - run.begin));
  }
  column_colours_.clear();
  column_labels_.clear();
  for (const StripeColumn& column : marks_.columns) {
    column_colours_.push_back(code_colour(project, column.code));
    const Code* code = project.code(column.code);
    wxString label = code ? wxString::FromUTF8(code->name) : wxString();
    if (const Coder* coder = project.coder(column.coder))
      label += wxString::FromUTF8(" \u00b7 ") + wxString::FromUTF8(coder->name);
    column_labels_.push_back(label);
  }
  // A coding that is gone can no longer be the selected one.
  const bool still_there = std::any_of(marks_.stripes.begin(), marks_.stripes.end(),
                                       [&](const auto& s) { return s.coding == selected_coding_; });
  mark_selected_coding(still_there ? selected_coding_ : std::string());
  gutter_->update_width();
  gutter_->Refresh(false);
}

std::pair<int64_t, int64_t> TranscriptView::selection() const {
  if (source_guid_.empty()) return {0, 0};
  return {offsets_.code_point_of_byte(text_->GetSelectionStart()),
          offsets_.code_point_of_byte(text_->GetSelectionEnd())};
}

int64_t TranscriptView::caret() const {
  return source_guid_.empty() ? 0 : offsets_.code_point_of_byte(text_->GetCurrentPos());
}

void TranscriptView::select(int64_t start, int64_t end) {
  if (source_guid_.empty()) return;
  const int64_t last = offsets_.code_points();
  const int b = static_cast<int>(offsets_.byte_of(std::clamp<int64_t>(start, 0, last)));
  const int e = static_cast<int>(offsets_.byte_of(std::clamp<int64_t>(end, 0, last)));
  text_->GotoPos(e);  // scrolls so that the end, then the start, are in view
  text_->SetSelection(b, e);
  text_->EnsureCaretVisible();
  text_->ScrollRange(e, b);
}

void TranscriptView::snap_selection_to_words() {
  const int b = text_->GetSelectionStart(), e = text_->GetSelectionEnd();
  if (b == e) return;
  // Only grow into a word the selection already touches, not across the spaces beside it.
  const int nb = text_->WordStartPosition(b, true);
  const int ne = text_->WordEndPosition(e > 0 && e > b ? e - 1 : e, true);
  text_->SetSelection(std::min(nb, b), std::max(ne, e));
}

void TranscriptView::mark_selected_coding(const std::string& coding) {
  selected_coding_ = coding;
  text_->SetIndicatorCurrent(kSelectedIndicator);
  text_->IndicatorClearRange(0, text_->GetLength());
  for (const CodingStripe& stripe : marks_.stripes)
    if (stripe.coding == coding)
      text_->IndicatorFillRange(static_cast<int>(stripe.begin),
                                static_cast<int>(stripe.end - stripe.begin));
  gutter_->Refresh(false);
}

bool TranscriptView::find_next(const wxString& what) {
  if (what.empty() || source_guid_.empty()) return false;
  const int length = text_->GetLength();
  int found = text_->FindText(text_->GetSelectionEnd(), length, what, 0);
  if (found < 0) found = text_->FindText(0, length, what, 0);
  if (found < 0) return false;
  const int end = found + static_cast<int>(what.utf8_str().length());
  text_->SetSelection(found, end);
  text_->EnsureCaretVisible();
  text_->ScrollRange(end, found);
  return true;
}

wxPoint TranscriptView::point_of(int64_t code_point) const {
  return text_->PointFromPosition(static_cast<int>(offsets_.byte_of(code_point)));
}

// --- The gutter

StripeGutter::StripeGutter(TranscriptView* view) : wxWindow(view, wxID_ANY), view_(view) {
  SetBackgroundStyle(wxBG_STYLE_PAINT);
  Bind(wxEVT_PAINT, &StripeGutter::on_paint, this);
  Bind(wxEVT_MOUSEWHEEL, [this](wxMouseEvent& event) {
    view_->text_->GetEventHandler()->ProcessEvent(event);  // scroll the text from here too
  });
  Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& event) {
    const std::string coding = coding_at(event.GetPosition());
    if (!coding.empty() && view_->on_coding_clicked_) view_->on_coding_clicked_(coding);
  });
  Bind(wxEVT_MOTION, [this](wxMouseEvent& event) {
    const std::string coding = coding_at(event.GetPosition());
    wxString tip;
    if (!coding.empty() && view_->hover_text_) {
      for (const CodingStripe& stripe : view_->marks_.stripes)
        if (stripe.coding == coding) {
          tip = view_->hover_text_(view_->offsets_.code_point_of_byte(stripe.begin));
          break;
        }
    }
    if (GetToolTipText() != tip) SetToolTip(tip);
  });
  update_width();
}

void StripeGutter::update_width() {
  // Room for a few columns at most: with many codes in view they share it, narrower.
  const int columns = std::min<int>(kMaxColumns, static_cast<int>(view_->marks_.columns.size()));
  const int width = FromDIP(8) + columns * FromDIP(kColumnWidth);
  if (GetMinSize().x != width) {
    SetMinSize(wxSize(width, -1));
    if (GetParent()) GetParent()->Layout();
  }
}

StripeGutter::Layout StripeGutter::layout() const {
  wxStyledTextCtrl* text = view_->text_;
  Layout in_view;
  const int first_line = text->DocLineFromVisible(text->GetFirstVisibleLine());
  const int last_line =
      text->DocLineFromVisible(text->GetFirstVisibleLine() + text->LinesOnScreen() + 1);
  in_view.begin = text->PositionFromLine(first_line);
  in_view.end = text->GetLineEndPosition(last_line);
  // The text's client area and this window may not start at the same height.
  in_view.offset = text->ClientToScreen(wxPoint()).y - ClientToScreen(wxPoint()).y;
  // Only the columns with a stripe in view take a place, in their order.
  in_view.slot.assign(view_->marks_.columns.size(), -1);
  for (const CodingStripe& stripe : view_->marks_.stripes)
    if (stripe.end >= in_view.begin && stripe.begin <= in_view.end) in_view.slot[stripe.column] = 0;
  int slots = 0;
  for (int& slot : in_view.slot)
    if (slot == 0) slot = slots++;
  const int room = GetClientSize().x - FromDIP(8);
  in_view.slot_width =
      std::max(FromDIP(5), std::min(FromDIP(kColumnWidth), room / std::max(1, slots)));
  return in_view;
}

wxRect StripeGutter::rect_in(const Layout& in_view, const CodingStripe& stripe) const {
  if (stripe.end < in_view.begin || stripe.begin > in_view.end) return {};
  wxStyledTextCtrl* text = view_->text_;
  const int b = static_cast<int>(std::max(stripe.begin, in_view.begin));
  const int e = static_cast<int>(std::max<int64_t>(b, std::min(stripe.end, in_view.end)));
  const int top = text->PointFromPosition(b).y + in_view.offset;
  const int last = e > b ? e - 1 : e;  // the end is exclusive: its line need not be coded
  const int bottom = text->PointFromPosition(last).y +
                     text->TextHeight(text->LineFromPosition(last)) + in_view.offset;
  const int x = FromDIP(4) + in_view.slot[stripe.column] * in_view.slot_width;
  return wxRect(x, top, std::min(FromDIP(4), in_view.slot_width - 1),
                std::max(2, bottom - top - 1));
}

wxRect StripeGutter::stripe_rect(const CodingStripe& stripe) const {
  return rect_in(layout(), stripe);
}

std::string StripeGutter::coding_at(const wxPoint& point) const {
  const Layout in_view = layout();
  const CodingStripe* best = nullptr;
  for (const CodingStripe& stripe : view_->marks_.stripes) {
    wxRect rect = rect_in(in_view, stripe);
    if (rect.IsEmpty()) continue;
    rect.Inflate(FromDIP(2), 0);  // a stripe is narrow: give the pointer some room
    if (rect.Contains(point) && (!best || stripe.end - stripe.begin < best->end - best->begin))
      best = &stripe;
  }
  return best ? best->coding : std::string();
}

void StripeGutter::on_paint(wxPaintEvent&) {
  wxAutoBufferedPaintDC dc(this);
  dc.SetBackground(wxBrush(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW)));
  dc.Clear();
  const TranscriptMarks& marks = view_->marks_;
  if (marks.stripes.empty()) return;
  const Layout in_view = layout();
  wxFont small = GetFont();
  small.SetPointSize(std::max(6, small.GetPointSize() - 2));
  dc.SetFont(small);
  // Labels only where a column has room for one beside its bar.
  const bool labels = in_view.slot_width >= FromDIP(4) + dc.GetCharHeight();
  std::vector<bool> labelled(marks.columns.size(), !labels);
  const int height = GetClientSize().y;
  for (const CodingStripe& stripe : marks.stripes) {
    if (stripe.begin > in_view.end) break;  // sorted by start: the rest is below the view
    const wxRect rect = rect_in(in_view, stripe);
    if (rect.IsEmpty() || rect.GetBottom() < 0 || rect.GetTop() > height) continue;
    const wxColour colour = view_->column_colours_[stripe.column];
    const bool selected = stripe.coding == view_->selected_coding_;
    dc.SetPen(selected ? wxPen(*wxBLACK, 1) : *wxTRANSPARENT_PEN);
    dc.SetBrush(wxBrush(colour));
    dc.DrawRectangle(rect);
    if (!labelled[stripe.column]) {
      // The code's name, written downwards beside the first stripe of its column in view.
      labelled[stripe.column] = true;
      dc.SetTextForeground(colour.ChangeLightness(60));
      // Turned a quarter clockwise the text extends left of its anchor by its height.
      dc.DrawRotatedText(view_->column_labels_[stripe.column],
                         rect.GetRight() + FromDIP(2) + dc.GetCharHeight(),
                         std::max(0, rect.GetTop()), 270);
    }
  }
}

}  // namespace marginalia::gui
