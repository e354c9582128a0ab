// A plain table (caption, label, column headers, rows of cells, notes) and its renderers: tidy CSV,
// Markdown, LaTeX (booktabs), an HTML fragment, aligned terminal text and JSON. Analyses build a
// Table; exports and the CLI choose the rendering. Every renderer escapes what its format needs, so
// callers put plain UTF-8 text in the cells. Pure functions of their arguments: any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marginalia {

struct TableCell {
  std::string text;      // UTF-8, as shown; empty for a missing value
  bool numeric = false;  // right-aligned; a number in JSON when `text` parses as one

  static TableCell of(std::string text) { return {std::move(text), false}; }
  static TableCell number(int64_t value);
  // Fixed point with `decimals` places, "." as the decimal point whatever the locale ("33.3").
  static TableCell number(double value, int decimals);
  // A percentage without the sign, e.g. 100*part/whole to one decimal; empty when whole is 0.
  static TableCell percent(int64_t part, int64_t whole, int decimals = 1);

  bool operator==(const TableCell&) const = default;
};

struct Table {
  std::string title;                 // the caption: "Code frequencies by role"
  std::string label;                 // LaTeX \label and HTML id, e.g. "tab:freq"; may be empty
  std::vector<std::string> columns;  // headers
  std::vector<std::vector<TableCell>> rows;  // each as long as `columns` (shorter: padded empty)
  std::vector<std::string> notes;  // definitions and units, one paragraph each; not in CSV

  // A column is numeric (right-aligned) when every non-empty cell in it is numeric and one is.
  bool numeric_column(size_t column) const;
};

// Tidy CSV: a header row of the column names, then one record per row; RFC 4180 (fields with a
// comma, quote, CR or LF are quoted, quotes doubled), UTF-8 without BOM, CRLF after every record.
// Title and notes are left out so R's read.csv and pandas read it as it is.
std::string to_csv(const Table& table);

// A GitHub/pandoc pipe table; "Table: title" before it, notes as paragraphs after it. Pipes,
// backslashes and inline markup characters in cells are backslash-escaped, newlines become <br>.
std::string to_markdown(const Table& table);

// A `table` float with \centering, \caption, \label and a booktabs tabular (\toprule, \midrule,
// \bottomrule; needs \usepackage{booktabs}); numeric columns right-aligned; notes in a footnotesize
// paragraph under the tabular. & % $ # _ { } ~ ^ \ (and < > |) are escaped in every text.
std::string to_latex(const Table& table);

// A <table> fragment (id from the label, <caption>, <thead>, <tbody>, notes in <tfoot>); numeric
// cells carry class="num" for the page's CSS to right-align. All text HTML-escaped.
std::string to_html(const Table& table);

// Aligned columns for a terminal: the title, the headers, a rule, the rows, then the notes (wrapped
// at 100 columns). Widths are counted in code points; numeric columns are right-aligned.
std::string to_text(const Table& table);

// {"title", "label", "columns": [...], "rows": [{column: value, ...}], "notes": [...]}, keys in
// column order; numeric cells are JSON numbers (empty ones null).
std::string to_json(const Table& table);

// One of the above by name: "text", "csv", "md" or "markdown", "latex" or "tex", "html", "json".
// Throws BadInput for any other name.
std::string render_table(const Table& table, std::string_view format);

// The escapers the renderers use, for callers that write the same formats around a table.
std::string escape_latex(std::string_view text);
// HTML and XML (SVG): & < > " ' escaped, control characters XML forbids made spaces.
std::string escape_html(std::string_view text);
std::string escape_markdown_cell(std::string_view text);
std::string csv_record_field(std::string_view text);

}  // namespace marginalia
