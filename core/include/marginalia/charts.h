// Paper figures as SVG: code frequencies as grouped horizontal bars and the code co-occurrence
// matrix as a heatmap. The renderers take plain numbers (BarChartData, HeatmapData), so they are
// tested without an analysis; the adaptors at the end build those from a project.
//
// Sizing: one SVG unit is one point, and the figure's width and height are given in pt, so at
// natural size (ChartStyle::width_pt, 238 pt = 3.3 in, a journal column) text is 9 pt, titles
// 10 pt. Output is deterministic (same input, same bytes), well-formed XML with the SVG namespace,
// every text escaped. Pure functions: any thread.
#pragma once

#include <string>
#include <vector>

#include "marginalia/frequencies.h"
#include "marginalia/model.h"

namespace marginalia {

struct ChartStyle {
  double width_pt = 238;  // 3.3 in; a heatmap with many codes grows wider than this
  double font_pt = 9;     // labels, ticks and legend; the title is one point larger
};

// One bar group: a code, drawn in its codebook colour.
struct BarCategory {
  std::string label;    // "Early anxiety"
  std::string colour;   // "#RRGGBB"; empty: grey
  std::string section;  // a heading row is drawn where this changes, e.g. the parent code's name
};

// Grouped horizontal bars: for every category one bar per group, in `groups` order. Groups are
// told apart by a fill pattern over the code's colour (solid, hatched, dotted, ...), which survives
// greyscale printing; the legend shows the patterns.
struct BarChartData {
  std::string title;        // "Code frequencies by role"
  std::string value_label;  // the value axis: "Codings"
  std::string group_label;  // the legend's heading: "Role"
  std::vector<BarCategory> categories;
  std::vector<std::string> groups;          // "client", "therapist"
  std::vector<std::vector<double>> values;  // [category][group], >= 0
  int decimals = 0;                         // of the values written beside the bars
};

// A square matrix of the same codes on both axes, coloured on a sequential (white to dark blue)
// scale with every value written in its cell and a colour-bar legend. A symmetric matrix (as
// co-occurrence is) is drawn as its lower triangle without the diagonal.
struct HeatmapData {
  std::string title;                        // "Code co-occurrence"
  std::string value_label;                  // the legend: "Co-occurring codings"
  std::vector<std::string> labels;          // code names, rows and columns alike
  std::vector<std::string> colours;         // optional "#RRGGBB" per label: a swatch beside it
  std::vector<std::vector<double>> values;  // [row][column], >= 0
  int decimals = 0;                         // 0 for counts, 2 for Jaccard
  bool lower_triangle = true;               // false: the full matrix, diagonal included
};

// Throw BadInput when the values do not match the categories, groups or labels, or are negative or
// not finite.
std::string render_bar_chart_svg(const BarChartData& data, const ChartStyle& style = {});
std::string render_heatmap_svg(const HeatmapData& data, const ChartStyle& style = {});

// Adaptors from the analyses (frequencies.h).

// Codings per code (own codings) and group of a report with a breakdown (role, attribute, coder,
// source; without one, a single group "all"), codable codes in codebook order under their
// top-level theme, in their codebook colours. Groups without any codings are left out; so are
// codes without codings in any group, unless `keep_empty`.
BarChartData frequency_bar_chart(const Project& project, const FrequencyReport& report,
                                 bool keep_empty = false);

// Units (passages or turns, as the matrix says) carrying both codes, or with `jaccard` both /
// either to two decimals (written without the leading zero, APA style). Codes that co-occur with no
// other code are left out unless `keep_all`.
HeatmapData cooccurrence_heatmap(const Project& project, const CooccurrenceMatrix& matrix,
                                 bool jaccard = false, bool keep_all = false);

}  // namespace marginalia
