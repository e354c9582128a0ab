#include "marginalia/tables.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "marginalia/error.h"

namespace marginalia {

namespace {

const TableCell kEmpty{};

const TableCell& cell_at(const std::vector<TableCell>& row, size_t column) {
  return column < row.size() ? row[column] : kEmpty;
}

// Code points of UTF-8 that may be invalid: stray bytes count one each, never throw.
size_t display_width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "";
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, std::max(0, decimals));
  if (ec != std::errc()) return "";
  std::string out(buf, end);
  if (out.starts_with("-") && out.find_first_not_of("-0.") == std::string::npos)
    out.erase(0, 1);  // no "-0.0"
  return out;
}

// LaTeX labels take no specials: keep letters, digits and : - _ . /, map the rest to '-'.
std::string latex_label(std::string_view label) {
  std::string out;
  for (char c : label) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) || c == ':' || c == '-' || c == '_' || c == '.' || c == '/') ? c : '-';
  }
  return out;
}

std::string html_id(std::string_view label) {
  std::string out;
  for (char c : label) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) || c == '-' || c == '_' || c == ':' || c == '.') ? c : '-';
  }
  return out;
}

// Lines of at most `width` code points, broken at spaces (a longer word stays whole).
std::string wrap(std::string_view text, size_t width) {
  std::string out, line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      out += line + "\n";
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  return out + line + "\n";
}

}  // namespace

TableCell TableCell::number(int64_t value) {
  return {std::to_string(value), true};
}

TableCell TableCell::number(double value, int decimals) {
  return {fixed(value, decimals), true};
}

TableCell TableCell::percent(int64_t part, int64_t whole, int decimals) {
  if (whole == 0) return {"", true};
  return number(100.0 * static_cast<double>(part) / static_cast<double>(whole), decimals);
}

bool Table::numeric_column(size_t column) const {
  bool any = false;
  for (const auto& row : rows) {
    const TableCell& c = cell_at(row, column);
    if (c.text.empty()) continue;
    if (!c.numeric) return false;
    any = true;
  }
  return any;
}

std::string csv_record_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string escape_latex(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "\\&";
        break;
      case '%':
        out += "\\%";
        break;
      case '$':
        out += "\\$";
        break;
      case '#':
        out += "\\#";
        break;
      case '_':
        out += "\\_";
        break;
      case '{':
        out += "\\{";
        break;
      case '}':
        out += "\\}";
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '\\':
        out += "\\textbackslash{}";
        break;
      // In the default OT1 encoding these print as other glyphs.
      case '<':
        out += "\\textless{}";
        break;
      case '>':
        out += "\\textgreater{}";
        break;
      case '|':
        out += "\\textbar{}";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0 (SVG).
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

std::string escape_markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case '|':
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '<':
      case '>':
        out += '\\';
        out += c;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "<br>";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string to_csv(const Table& table) {
  std::string out;
  auto record = [&](auto count, auto field) {
    for (size_t i = 0; i < count; ++i) {
      if (i) out += ',';
      out += csv_record_field(field(i));
    }
    out += "\r\n";
  };
  record(table.columns.size(), [&](size_t i) -> std::string_view { return table.columns[i]; });
  for (const auto& row : table.rows)
    record(table.columns.size(),
           [&](size_t i) -> std::string_view { return cell_at(row, i).text; });
  return out;
}

std::string to_markdown(const Table& table) {
  std::string out;
  if (!table.title.empty()) out += "Table: " + escape_markdown_cell(table.title) + "\n\n";
  auto line = [&](auto field) {
    out += '|';
    for (size_t i = 0; i < table.columns.size(); ++i) out += ' ' + field(i) + " |";
    out += '\n';
  };
  line([&](size_t i) { return escape_markdown_cell(table.columns[i]); });
  line([&](size_t i) { return std::string(table.numeric_column(i) ? "--:" : ":--"); });
  for (const auto& row : table.rows)
    line([&](size_t i) { return escape_markdown_cell(cell_at(row, i).text); });
  for (const auto& note : table.notes) out += "\n" + escape_markdown_cell(note) + "\n";
  return out;
}

std::string to_latex(const Table& table) {
  std::string spec;
  for (size_t i = 0; i < table.columns.size(); ++i) spec += table.numeric_column(i) ? 'r' : 'l';
  std::string out = "\\begin{table}[htbp]\n\\centering\n";
  if (!table.title.empty()) out += "\\caption{" + escape_latex(table.title) + "}\n";
  if (!table.label.empty()) out += "\\label{" + latex_label(table.label) + "}\n";
  out += "\\begin{tabular}{" + spec + "}\n\\toprule\n";
  auto line = [&](auto field) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (i) out += " & ";
      out += escape_latex(field(i));
    }
    out += " \\\\\n";
  };
  line([&](size_t i) -> std::string_view { return table.columns[i]; });
  out += "\\midrule\n";
  for (const auto& row : table.rows)
    line([&](size_t i) -> std::string_view { return cell_at(row, i).text; });
  out += "\\bottomrule\n\\end{tabular}\n";
  if (!table.notes.empty()) {
    out += "\\par\\smallskip\n\\parbox{\\linewidth}{\\footnotesize\\textit{Note.}";
    for (const auto& note : table.notes) out += " " + escape_latex(note);
    out += "}\n";
  }
  out += "\\end{table}\n";
  return out;
}

std::string to_html(const Table& table) {
  std::string out = "<table";
  if (!table.label.empty()) out += " id=\"" + html_id(table.label) + "\"";
  out += ">\n";
  if (!table.title.empty()) out += "<caption>" + escape_html(table.title) + "</caption>\n";
  out += "<thead><tr>";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out += table.numeric_column(i) ? "<th class=\"num\">" : "<th>";
    out += escape_html(table.columns[i]) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const TableCell& c = cell_at(row, i);
      out += c.numeric ? "<td class=\"num\">" : "<td>";
      out += escape_html(c.text) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n";
  if (!table.notes.empty()) {
    out += "<tfoot>\n";
    for (const auto& note : table.notes)
      out += "<tr><td colspan=\"" + std::to_string(std::max<size_t>(1, table.columns.size())) +
             "\">" + escape_html(note) + "</td></tr>\n";
    out += "</tfoot>\n";
  }
  out += "</table>\n";
  return out;
}

std::string to_text(const Table& table) {
  const size_t n = table.columns.size();
  std::vector<size_t> width(n, 0);
  std::vector<bool> right(n, false);
  auto flat = [](std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '\n', ' ');
    std::replace(out.begin(), out.end(), '\r', ' ');
    std::replace(out.begin(), out.end(), '\t', ' ');
    return out;
  };
  for (size_t i = 0; i < n; ++i) {
    width[i] = display_width(flat(table.columns[i]));
    right[i] = table.numeric_column(i);
    for (const auto& row : table.rows)
      width[i] = std::max(width[i], display_width(flat(cell_at(row, i).text)));
  }
  std::string out;
  if (!table.title.empty()) out += flat(table.title) + "\n\n";
  auto line = [&](auto field) {
    std::string l;
    for (size_t i = 0; i < n; ++i) {
      const std::string text = flat(field(i));
      const std::string pad(width[i] - display_width(text), ' ');
      if (i) l += "  ";
      l += right[i] ? pad + text : text + pad;
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line([&](size_t i) -> std::string_view { return table.columns[i]; });
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) total += width[i] + (i ? 2 : 0);
  out += std::string(total, '-') + "\n";
  for (const auto& row : table.rows)
    line([&](size_t i) -> std::string_view { return cell_at(row, i).text; });
  if (!table.notes.empty()) {
    out += "\n";
    for (const auto& note : table.notes) out += wrap(flat(note), 100);
  }
  return out;
}

std::string to_json(const Table& table) {
  nlohmann::ordered_json j;
  j["title"] = table.title;
  j["label"] = table.label;
  j["columns"] = table.columns;
  j["rows"] = nlohmann::json::array();
  for (const auto& row : table.rows) {
    nlohmann::ordered_json r = nlohmann::ordered_json::object();
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const TableCell& c = cell_at(row, i);
      nlohmann::ordered_json value = c.text;
      if (c.numeric) {
        if (c.text.empty()) {
          value = nullptr;
        } else {
          int64_t whole = 0;
          const char* b = c.text.data();
          const char* e = b + c.text.size();
          if (auto [p, ec] = std::from_chars(b, e, whole); ec == std::errc() && p == e) {
            value = whole;
          } else {
            double d = 0;
            if (auto [p2, ec2] = std::from_chars(b, e, d); ec2 == std::errc() && p2 == e) value = d;
          }
        }
      }
      r[table.columns[i]] = std::move(value);
    }
    j["rows"].push_back(std::move(r));
  }
  j["notes"] = table.notes;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_table(const Table& table, std::string_view format) {
  if (format == "text") return to_text(table);
  if (format == "csv") return to_csv(table);
  if (format == "md" || format == "markdown") return to_markdown(table);
  if (format == "latex" || format == "tex") return to_latex(table);
  if (format == "html") return to_html(table);
  if (format == "json") return to_json(table);
  throw BadInput("unknown table format \"" + std::string(format) +
                 "\" (use text, csv, md, latex, html or json)");
}

}  // namespace marginalia
