// SVG figures for papers. Layout is computed in points from an estimate of Helvetica's glyph
// widths (no font engine in the core), generous enough that Arial or DejaVu Sans also fit.
#include "marginalia/charts.h"
#include "marginalia/tables.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/error.h"

namespace marginalia {
namespace {

constexpr double kMargin = 4;
constexpr const char* kFont = "Helvetica, Arial, sans-serif";
constexpr const char* kInk = "#222222";

// A coordinate or size: at most two decimals, no trailing zeros, "." whatever the locale.
std::string num(double v) {
  const double rounded = std::round(v * 100) / 100;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rounded == 0 ? 0.0 : rounded,
                                 std::chars_format::fixed, 2);
  std::string s(buf, end);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string value_text(double v, int decimals) {
  char buf[32];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, std::clamp(decimals, 0, 6));
  return std::string(buf, end);
}

// A value in a heatmap cell: without the leading zero below 1 (APA style for bounded values such
// as Jaccard, and narrower cells), a plain "0" for zero.
std::string cell_text(double v, int decimals) {
  if (v == 0) return "0";
  std::string s = value_text(v, decimals);
  if (decimals > 0 && s.rfind("0.", 0) == 0) s.erase(0, 1);
  return s;
}

// Width of a UTF-8 string in points at `size`, from Helvetica's advance widths (per mille of em),
// rounded up a little. Any non-ASCII code point counts as a wide lowercase letter.
double text_width(std::string_view text, double size) {
  double units = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (c >= 0x80) {
      units += 600;
    } else if (std::string_view("ijl.,:;'|!").find(static_cast<char>(c)) !=
               std::string_view::npos) {
      units += 250;
    } else if (std::string_view(" ftrI()[]/-\"").find(static_cast<char>(c)) !=
               std::string_view::npos) {
      units += 330;
    } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W') {
      units += 860;
    } else if (c >= 'A' && c <= 'Z') {
      units += 700;
    } else {
      units += 560;
    }
  }
  return units * size / 1000.0 * 1.04;
}

// Word-wraps to at most `max_lines` lines of `max_width`; the last line ends with an ellipsis when
// the text does not fit.
std::vector<std::string> wrap(const std::string& text, double size, double max_width,
                              size_t max_lines) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t space = text.find(' ', pos);
    const size_t stop = space == std::string::npos ? text.size() : space;
    if (stop > pos) words.push_back(text.substr(pos, stop - pos));
    pos = stop + 1;
  }
  std::vector<std::string> lines;
  std::string line;
  size_t used = 0;
  for (; used < words.size(); ++used) {
    const std::string candidate = line.empty() ? words[used] : line + " " + words[used];
    if (line.empty() || text_width(candidate, size) <= max_width) {
      line = candidate;
      continue;
    }
    if (lines.size() + 1 == max_lines) break;
    lines.push_back(line);
    line = words[used];
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  std::string& last = lines.back();
  if (used < words.size() || text_width(last, size) > max_width) {
    // Cut whole code points until "…" fits.
    while (!last.empty() && text_width(last + "\xE2\x80\xA6", size) > max_width) {
      last.pop_back();
      while (!last.empty() && (static_cast<unsigned char>(last.back()) & 0xC0) == 0x80)
        last.pop_back();
      if (!last.empty() && static_cast<unsigned char>(last.back()) >= 0xC0) last.pop_back();
    }
    while (!last.empty() && last.back() == ' ') last.pop_back();
    last += "\xE2\x80\xA6";
  }
  return lines;
}

bool valid_colour(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  return std::all_of(c.begin() + 1, c.end(),
                     [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); });
}

struct Rgb {
  double r, g, b;
};

Rgb parse_rgb(const std::string& c) {
  auto hex = [&](size_t i) { return std::stoi(c.substr(i, 2), nullptr, 16) / 255.0; };
  return {hex(1), hex(3), hex(5)};
}

std::string to_hex(Rgb c) {
  char buf[8];
  auto byte = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return buf;
}

// Relative luminance (sRGB, WCAG), for choosing dark or light text on a fill.
double luminance(Rgb c) {
  auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

// ColorBrewer "Blues": sequential, prints in greyscale as a ramp, safe for colour-blind readers.
Rgb sequential(double t) {
  static const std::array<const char*, 7> stops = {"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1",
                                                   "#6baed6", "#3182bd", "#08519c"};
  t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(t), stops.size() - 2);
  const double f = t - i;
  const Rgb a = parse_rgb(stops[i]), b = parse_rgb(stops[i + 1]);
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

// A "nice" axis step (1, 2 or 5 times a power of ten) giving about `ticks` intervals up to `max`.
double nice_step(double max, int ticks) {
  if (max <= 0) return 1;
  const double raw = max / ticks;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

void check_value(double v, const char* what) {
  if (!std::isfinite(v) || v < 0)
    throw BadInput(std::string(what) + ": values must be finite and not negative");
}

std::string svg_open(double width, double height, const std::string& title, double font) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
         num(width) + "pt\" height=\"" + num(height) + "pt\" viewBox=\"0 0 " + num(width) + " " +
         num(height) + "\" font-family=\"" + kFont + "\" font-size=\"" + num(font) + "\" fill=\"" +
         kInk + "\">\n<title>" + escape_html(title) + "</title>\n";
}

std::string text_el(double x, double y, const std::string& text, const std::string& attrs = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attrs.empty() ? "" : " " + attrs) +
         ">" + escape_html(text) + "</text>\n";
}

// The fill patterns that tell groups apart: group 0 is the plain colour, the others lay dark lines
// or dots over it.
std::string pattern_defs(size_t groups) {
  static const std::array<const char*, 5> shapes = {
      // diagonal hatch
      "<path d=\"M0,3 L3,0 M-0.75,0.75 L0.75,-0.75 M2.25,3.75 L3.75,2.25\" stroke=\"#000\" "
      "stroke-width=\"0.7\" stroke-opacity=\"0.6\"/>",
      // dots
      "<circle cx=\"1.5\" cy=\"1.5\" r=\"0.65\" fill=\"#000\" fill-opacity=\"0.6\"/>",
      // cross hatch
      "<path d=\"M0,3 L3,0 M0,0 L3,3\" stroke=\"#000\" stroke-width=\"0.5\" "
      "stroke-opacity=\"0.6\"/>",
      // horizontal lines
      "<path d=\"M0,1.5 L3,1.5\" stroke=\"#000\" stroke-width=\"0.7\" stroke-opacity=\"0.6\"/>",
      // vertical lines
      "<path d=\"M1.5,0 L1.5,3\" stroke=\"#000\" stroke-width=\"0.7\" stroke-opacity=\"0.6\"/>",
  };
  std::string defs;
  for (size_t g = 1; g < groups; ++g) {
    defs += "<pattern id=\"group" + std::to_string(g) +
            "\" width=\"3\" height=\"3\" patternUnits=\"userSpaceOnUse\">" +
            shapes[(g - 1) % shapes.size()] + "</pattern>\n";
  }
  return defs.empty() ? defs : "<defs>\n" + defs + "</defs>\n";
}

std::string bar(double x, double y, double w, double h, const std::string& colour, size_t group) {
  std::string out = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) +
                    "\" height=\"" + num(h) + "\" fill=\"" + colour +
                    "\" stroke=\"#333333\" stroke-width=\"0.4\"/>\n";
  if (group > 0)
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"url(#group" + std::to_string((group - 1) % 5 + 1) +
           ")\" stroke=\"none\"/>\n";
  return out;
}

// Title lines; returns the y below them.
double draw_title(std::string& out, const std::string& title, double width, double font) {
  double y = kMargin;
  if (title.empty()) return y;
  const double size = font + 1;
  for (const auto& line : wrap(title, size, width - 2 * kMargin, 2)) {
    y += size * 1.2;
    out += text_el(kMargin, y - size * 0.25, line,
                   "font-size=\"" + num(size) + "\" font-weight=\"bold\"");
  }
  return y + 3;
}

}  // namespace

std::string render_bar_chart_svg(const BarChartData& data, const ChartStyle& style) {
  const size_t nc = data.categories.size(), ng = data.groups.size();
  if (ng == 0) throw BadInput("bar chart: no groups");
  if (data.values.size() != nc) throw BadInput("bar chart: one row of values per category needed");
  double max_value = 0;
  for (const auto& row : data.values) {
    if (row.size() != ng) throw BadInput("bar chart: one value per group needed in every row");
    for (double v : row) {
      check_value(v, "bar chart");
      max_value = std::max(max_value, v);
    }
  }

  const double font = style.font_pt, W = style.width_pt;
  const double line_h = font * 1.15;
  const double bar_h = ng <= 2 ? 7 : ng <= 4 ? 4.5 : 3.5;
  // Values beside the bars only where they cannot collide (7 pt text needs a 7 pt bar).
  const bool show_values = ng <= 2;
  const double value_font = font - 2;
  const bool has_sections = std::any_of(data.categories.begin(), data.categories.end(),
                                        [](const BarCategory& c) { return !c.section.empty(); });
  const double indent = has_sections ? 6 : 0;

  // Category labels take at most half the width, wrapped onto two lines.
  const double label_max = W * 0.5 - indent;
  std::vector<std::vector<std::string>> labels;
  double label_w = 0;
  for (const auto& c : data.categories) {
    labels.push_back(wrap(c.label, font, label_max, 2));
    for (const auto& l : labels.back()) label_w = std::max(label_w, text_width(l, font));
  }
  label_w += indent;

  std::string body;
  double y = draw_title(body, data.title, W, font);

  // Legend: the heading, then a swatch and name per group, flowing onto further lines.
  {
    double x = kMargin;
    const double sw = 12, sh = 7;
    const double row_y = y + line_h;
    double ly = row_y;
    if (!data.group_label.empty()) {
      const std::string head = data.group_label + ":";
      body += text_el(x, ly - 2, head);
      x += text_width(head, font) + 4;
    }
    for (size_t g = 0; g < ng; ++g) {
      const double item = sw + 3 + text_width(data.groups[g], font) + 8;
      if (x + item > W - kMargin && x > kMargin + 1) {
        x = kMargin;
        ly += line_h + 2;
      }
      body += bar(x, ly - sh - 1.5, sw, sh, "#b0b0b0", g);
      body += text_el(x + sw + 3, ly - 2, data.groups[g]);
      x += item;
    }
    y = ly + 6;
  }

  const double value_room =
      show_values ? text_width(value_text(max_value, data.decimals), value_font) + 4 : 6;
  const double plot_x = kMargin + label_w + 5;
  const double plot_w = std::max(40.0, W - kMargin - value_room - plot_x);
  const double step = nice_step(max_value, 5);
  const double axis_max = max_value <= 0 ? 1 : std::ceil(max_value / step) * step;
  const double scale = plot_w / axis_max;
  const double plot_top = y;

  std::string bars;
  std::string previous_section;
  for (size_t i = 0; i < nc; ++i) {
    const BarCategory& c = data.categories[i];
    if (!c.section.empty() && (i == 0 || c.section != previous_section)) {
      y += 2;
      for (const auto& l : wrap(c.section, font, W - 2 * kMargin, 1)) {
        y += line_h;
        bars += text_el(kMargin, y - 2, l, "font-weight=\"bold\"");
      }
      y += 1;
    }
    previous_section = c.section;
    const double block = std::max(ng * bar_h, labels[i].size() * line_h) + 2;
    const double mid = y + block / 2;
    const double first_line = mid - (labels[i].size() - 1) * line_h / 2 + font * 0.35;
    for (size_t l = 0; l < labels[i].size(); ++l)
      bars += text_el(kMargin + indent, first_line + l * line_h, labels[i][l]);
    const std::string colour = valid_colour(c.colour) ? c.colour : "#b0b0b0";
    double by = mid - ng * bar_h / 2;
    for (size_t g = 0; g < ng; ++g, by += bar_h) {
      const double v = data.values[i][g];
      const double w = v * scale;
      if (w > 0) bars += bar(plot_x, by, w, bar_h, colour, g);
      if (show_values)
        bars += text_el(plot_x + w + 2, by + bar_h / 2 + value_font * 0.35,
                        value_text(v, data.decimals),
                        "font-size=\"" + num(value_font) + "\" fill=\"#444444\"");
    }
    y += block;
  }
  const double plot_bottom = y + 2;

  // Grid and axis under the bars, ticks and the axis title below.
  std::string grid;
  for (double t = 0; t <= axis_max + step / 2; t += step) {
    const double x = plot_x + t * scale;
    grid += "<line x1=\"" + num(x) + "\" y1=\"" + num(plot_top) + "\" x2=\"" + num(x) + "\" y2=\"" +
            num(plot_bottom) + "\" stroke=\"" + (t == 0 ? "#444444" : "#dddddd") +
            "\" stroke-width=\"" + (t == 0 ? "0.6" : "0.4") + "\"/>\n";
    grid += text_el(x, plot_bottom + font + 1, value_text(t, step < 1 ? 1 : 0),
                    "text-anchor=\"middle\"");
  }
  grid += "<line x1=\"" + num(plot_x) + "\" y1=\"" + num(plot_bottom) + "\" x2=\"" +
          num(plot_x + plot_w) + "\" y2=\"" + num(plot_bottom) +
          "\" stroke=\"#444444\" stroke-width=\"0.6\"/>\n";
  double height = plot_bottom + font + 3;
  if (!data.value_label.empty()) {
    height += line_h;
    grid += text_el(plot_x + plot_w / 2, height - 2, data.value_label, "text-anchor=\"middle\"");
  }
  height += kMargin;

  return svg_open(W, height, data.title, font) + pattern_defs(std::min<size_t>(ng, 6)) + body +
         grid + bars + "</svg>\n";
}

std::string render_heatmap_svg(const HeatmapData& data, const ChartStyle& style) {
  const size_t n = data.labels.size();
  if (data.values.size() != n) throw BadInput("heatmap: one row of values per label needed");
  double max_value = 0;
  for (size_t r = 0; r < n; ++r) {
    if (data.values[r].size() != n) throw BadInput("heatmap: the matrix must be square");
    for (size_t c = 0; c < n; ++c) {
      check_value(data.values[r][c], "heatmap");
      if (!data.lower_triangle || c < r) max_value = std::max(max_value, data.values[r][c]);
    }
  }
  if (!data.colours.empty() && data.colours.size() != n)
    throw BadInput("heatmap: one colour per label, or none");

  const double font = style.font_pt;
  const double cell_font = font - 1;
  // Lower triangle without the diagonal: rows 1..n-1 against columns 0..n-2.
  const size_t row0 = data.lower_triangle ? 1 : 0;
  const size_t ncols = data.lower_triangle ? (n > 0 ? n - 1 : 0) : n;
  const size_t nrows = n - std::min(n, row0);

  double cell = font * 1.7;
  for (const auto& row : data.values)
    for (double v : row)
      cell = std::max(cell, text_width(cell_text(v, data.decimals), cell_font) + 4);

  const double swatch = data.colours.empty() ? 0 : 8;
  const double label_max = 130;
  auto label_of = [&](size_t i) { return wrap(data.labels[i], font, label_max, 1).front(); };
  double row_label_w = 0, col_label_h = 0;
  for (size_t r = row0; r < n; ++r)
    row_label_w = std::max(row_label_w, text_width(label_of(r), font));
  for (size_t c = 0; c < ncols; ++c)
    col_label_h = std::max(col_label_h, text_width(label_of(c), font));
  row_label_w += swatch;
  col_label_h += swatch;

  const double grid_x = kMargin + row_label_w + 4;
  const double W = std::max(style.width_pt, grid_x + ncols * cell + kMargin);

  std::string out;
  double y = draw_title(out, data.title, W, font);

  // Legend: a colour bar from 0 to the maximum with three ticks, its label to the left.
  std::string defs = "<defs>\n<linearGradient id=\"scale\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">\n";
  for (int i = 0; i <= 6; ++i)
    defs += "<stop offset=\"" + num(i / 6.0) + "\" stop-color=\"" + to_hex(sequential(i / 6.0)) +
            "\"/>\n";
  defs += "</linearGradient>\n</defs>\n";
  {
    const double bar_w = std::min(100.0, W * 0.4), bar_h = 7;
    double x = kMargin;
    const double base = y + font;
    if (!data.value_label.empty()) {
      const auto l = wrap(data.value_label, font, W - bar_w - 3 * kMargin - 10, 1).front();
      out += text_el(x, base, l);
      x += text_width(l, font) + 6;
    }
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(base - bar_h + 1) + "\" width=\"" + num(bar_w) +
           "\" height=\"" + num(bar_h) + "\" fill=\"url(#scale)\" stroke=\"#888888\" " +
           "stroke-width=\"0.4\"/>\n";
    const double top = max_value > 0 ? max_value : 1;
    for (int i = 0; i <= 2; ++i) {
      const double tx = x + bar_w * i / 2.0;
      out += "<line x1=\"" + num(tx) + "\" y1=\"" + num(base + 1) + "\" x2=\"" + num(tx) +
             "\" y2=\"" + num(base + 3) + "\" stroke=\"#444444\" stroke-width=\"0.4\"/>\n";
      const double tick = top * i / 2.0;
      if (data.decimals == 0 && tick != std::floor(tick)) continue;  // counts: whole ticks
      out += text_el(tx, base + 3 + cell_font, cell_text(tick, data.decimals),
                     "text-anchor=\"middle\" font-size=\"" + num(cell_font) + "\"");
    }
    y = base + 3 + cell_font + 6;
  }

  const double grid_y = y;
  for (size_t r = row0; r < n; ++r) {
    const double cy = grid_y + (r - row0) * cell;
    if (swatch > 0 && valid_colour(data.colours[r]))
      out += "<rect x=\"" + num(grid_x - 4 - 6) + "\" y=\"" + num(cy + cell / 2 - 3) +
             "\" width=\"6\" height=\"6\" fill=\"" + data.colours[r] +
             "\" stroke=\"#333333\" stroke-width=\"0.3\"/>\n";
    out += text_el(grid_x - 4 - swatch, cy + cell / 2 + font * 0.35, label_of(r),
                   "text-anchor=\"end\"");
    const size_t last = data.lower_triangle ? r : n;  // exclusive
    for (size_t c = 0; c < last; ++c) {
      const double v = data.values[r][c];
      const double cx = grid_x + c * cell;
      const Rgb fill = sequential(max_value > 0 ? v / max_value : 0);
      out += "<rect x=\"" + num(cx) + "\" y=\"" + num(cy) + "\" width=\"" + num(cell) +
             "\" height=\"" + num(cell) + "\" fill=\"" + to_hex(fill) +
             "\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>\n";
      const char* ink = v == 0 ? "#9a9a9a" : luminance(fill) < 0.3 ? "#ffffff" : "#111111";
      out += text_el(
          cx + cell / 2, cy + cell / 2 + cell_font * 0.35, cell_text(v, data.decimals),
          "text-anchor=\"middle\" font-size=\"" + num(cell_font) + "\" fill=\"" + ink + "\"");
    }
  }
  const double grid_bottom = grid_y + nrows * cell;
  for (size_t c = 0; c < ncols; ++c) {
    const double cx = grid_x + c * cell + cell / 2;
    const double ty = grid_bottom + 4;
    if (swatch > 0 && valid_colour(data.colours[c]))
      out += "<rect x=\"" + num(cx - 3) + "\" y=\"" + num(ty) +
             "\" width=\"6\" height=\"6\" fill=\"" + data.colours[c] +
             "\" stroke=\"#333333\" stroke-width=\"0.3\"/>\n";
    out += "<text transform=\"translate(" + num(cx + font * 0.35) + "," + num(ty + swatch) +
           ") rotate(-90)\" text-anchor=\"end\">" + escape_html(label_of(c)) + "</text>\n";
  }
  const double H = grid_bottom + 4 + col_label_h + kMargin;
  return svg_open(W, H, data.title, font) + defs + out + "</svg>\n";
}

BarChartData frequency_bar_chart(const Project& project, const FrequencyReport& report,
                                 bool keep_empty) {
  BarChartData d;
  d.value_label = "Codings";
  switch (report.breakdown) {
    case Breakdown::None:
      d.title = "Code frequencies";
      break;
    case Breakdown::Coder:
      d.title = "Code frequencies by coder";
      d.group_label = "Coder";
      break;
    case Breakdown::Role:
      d.title = "Code frequencies by role";
      d.group_label = "Role";
      break;
    case Breakdown::Source:
      d.title = "Code frequencies by source";
      d.group_label = "Source";
      break;
    case Breakdown::CaseAttribute:
      d.title = "Code frequencies by " + report.by;
      d.group_label = report.by;
      if (!d.group_label.empty() && d.group_label[0] >= 'a' && d.group_label[0] <= 'z')
        d.group_label[0] = static_cast<char>(d.group_label[0] - 'a' + 'A');
      break;
  }
  d.groups = report.groups;
  if (d.groups.empty()) d.groups = {"all"};
  std::map<std::string, std::map<std::string, double>> codings;  // code -> group -> codings
  std::vector<std::string> order;
  for (const CodeFrequency& row : report.rows) {
    if (row.scope != CodeScope::Own) continue;
    if (!codings.count(row.code)) order.push_back(row.code);
    codings[row.code][report.groups.empty() ? "all" : row.group] += row.codings;
  }
  // A group without codings (the interviewer, usually) only takes room.
  std::vector<std::string> groups;
  for (const auto& g : d.groups)
    if (std::any_of(order.begin(), order.end(),
                    [&](const std::string& c) { return codings[c].count(g) && codings[c][g] > 0; }))
      groups.push_back(g);
  if (!groups.empty()) d.groups = groups;
  for (const std::string& guid : order) {
    const Code* code = project.code(guid);
    if (!code) continue;
    std::vector<double> values;
    double total = 0;
    for (const auto& g : d.groups) {
      const double v = codings[guid].count(g) ? codings[guid][g] : 0;
      values.push_back(v);
      total += v;
    }
    if (total == 0 && !keep_empty) continue;
    const Code* top = code;
    for (int guard = 0; !top->parent.empty() && project.code(top->parent) && guard < 256; ++guard)
      top = project.code(top->parent);
    d.categories.push_back({code->name, code->color, top == code ? std::string() : top->name});
    d.values.push_back(std::move(values));
  }
  return d;
}

HeatmapData cooccurrence_heatmap(const Project& project, const CooccurrenceMatrix& matrix,
                                 bool jaccard, bool keep_all) {
  const size_t n = matrix.codes.size();
  std::vector<std::vector<double>> m(n, std::vector<double>(n, 0));
  for (const CooccurrencePair& p : matrix.pairs) {
    if (p.a >= n || p.b >= n) continue;
    m[p.a][p.b] = m[p.b][p.a] = jaccard ? p.jaccard : static_cast<double>(p.both);
  }
  HeatmapData h;
  const std::string units = matrix.unit == CooccurrenceUnit::Passage ? "passages" : "turns";
  h.title = "Code co-occurrence";
  h.value_label = jaccard ? "Jaccard (" + units + " with both / with either)"
                          : (matrix.unit == CooccurrenceUnit::Passage ? "Passages" : "Turns") +
                                std::string(" with both codes");
  h.decimals = jaccard ? 2 : 0;
  std::vector<size_t> keep;
  for (size_t i = 0; i < n; ++i)
    if (keep_all || std::any_of(m[i].begin(), m[i].end(), [](double v) { return v > 0; }))
      keep.push_back(i);
  for (size_t i : keep) {
    const Code* code = project.code(matrix.codes[i]);
    h.labels.push_back(code ? code->name : matrix.paths[i]);
    h.colours.push_back(code ? code->color : std::string());
    std::vector<double> row;
    for (size_t j : keep) row.push_back(m[i][j]);
    h.values.push_back(std::move(row));
  }
  return h;
}

}  // namespace marginalia
