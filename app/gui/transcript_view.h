// The transcript: a read-only wxStyledTextCtrl with word wrap (speaker labels styled by role,
// timestamps subdued, codings as translucent indicator spans from the core's flattened runs) and
// the coding-stripe gutter beside it. It shows what transcript_marks() computes and reports what
// the person does (a click on a stripe, a digit key); it changes nothing itself. Main thread only.
#pragma once

#include <wx/panel.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "marginalia/model.h"
#include "marginalia/text.h"
#include "marginalia/transcript_marks.h"

class wxStyledTextCtrl;
class wxStyledTextEvent;

namespace marginalia::gui {

class StripeGutter;

class TranscriptView : public wxPanel {
 public:
  explicit TranscriptView(wxWindow* parent);

  // Shows `source` of `project` with the codings `options` select. Scrolls to the top.
  void show(const Project& project, const Source& source, const MarkOptions& options);
  // The codings changed (or the options): repaint spans and stripes, keeping the scroll position
  // and the selection. `project` must be the one shown, `source` of it.
  void refresh_marks(const Project& project, const Source& source, const MarkOptions& options);
  void clear();

  // The selection in code points, [start, end); start == end when nothing is selected.
  std::pair<int64_t, int64_t> selection() const;
  // Selects [start, end) (code points) and scrolls it into view.
  void select(int64_t start, int64_t end);
  // The code point under the caret.
  int64_t caret() const;
  // Grows the selection to whole words.
  void snap_selection_to_words();
  // Outlines the coding's span (empty: none).
  void mark_selected_coding(const std::string& coding);
  const std::string& selected_coding() const { return selected_coding_; }

  // Finds `text` after the selection (wrapping round), selects it; false when absent.
  bool find_next(const wxString& text);

  // The codings (shown) at the point under the mouse, in words, for the hover tooltip.
  using HoverText = std::function<wxString(int64_t code_point)>;
  void set_hover_text(HoverText hover) { hover_text_ = std::move(hover); }
  // What hovering at code point `at` shows (empty: nothing coded there).
  wxString hover_text_at(int64_t at) const { return hover_text_ ? hover_text_(at) : wxString(); }
  // A click on a stripe or a span selects a coding.
  using CodingClicked = std::function<void(const std::string& coding)>;
  void set_on_coding_clicked(CodingClicked clicked) { on_coding_clicked_ = std::move(clicked); }

  // What the person sees, for tests and the window.
  wxStyledTextCtrl* text() const { return text_; }
  StripeGutter* gutter() const { return gutter_; }
  const TranscriptMarks& marks() const { return marks_; }
  // Where a code point is in the control: the x and y of its top left, in text() coordinates.
  wxPoint point_of(int64_t code_point) const;
  const std::string& source_guid() const { return source_guid_; }

  // Indicator numbers: Scintilla's container indicators are 8-31.
  static constexpr int kSpanIndicator = 8;
  static constexpr int kSelectedIndicator = 9;

 private:
  friend class StripeGutter;
  void style_turns(const Source& source);
  void apply_marks(const Project& project, const Source& source, const MarkOptions& options);
  void on_motion(wxMouseEvent& event);

  wxStyledTextCtrl* text_ = nullptr;
  StripeGutter* gutter_ = nullptr;
  OffsetMap offsets_;
  TranscriptMarks marks_;
  std::string source_guid_;
  std::string selected_coding_;
  std::vector<wxColour> column_colours_;
  std::vector<wxString> column_labels_;
  HoverText hover_text_;
  CodingClicked on_coding_clicked_;
  int64_t last_hover_ = -1;
};

// One narrow column per code in view (per code and coder in compare mode) to the right of the
// text, each coding a bar from its first to its last line, following scroll, wrap and zoom. Only
// the visible range is painted.
class StripeGutter : public wxWindow {
 public:
  explicit StripeGutter(TranscriptView* view);
  // The coding under a point of this window, or empty.
  std::string coding_at(const wxPoint& point) const;
  // Where a stripe is drawn, in this window's coordinates (empty when out of view).
  wxRect stripe_rect(const CodingStripe& stripe) const;
  void update_width();

  static constexpr int kColumnWidth = 16;  // a 4-pixel bar and its label, written downwards
  static constexpr int kMaxColumns = 6;    // beyond that, columns in view share the room

 private:
  // What is in view now: the byte range, and a place for each column with a stripe there.
  struct Layout {
    int64_t begin = 0, end = 0;  // UTF-8 bytes
    int offset = 0;              // from the text's client y to this window's
    std::vector<int> slot;       // column -> place from the left, -1 when not in view
    int slot_width = 0;
  };
  Layout layout() const;
  wxRect rect_in(const Layout& in_view, const CodingStripe& stripe) const;
  void on_paint(wxPaintEvent& event);
  TranscriptView* view_;
};

}  // namespace marginalia::gui
