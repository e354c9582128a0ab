// Transcript formats with a structure of their own. Each becomes plain text in the layout
// parse_turns reads ("[hh:mm:ss] Name: words", one turn a paragraph), so labels and times stay
// visible in the transcript and turns, roles and timestamps come from the one parser.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "interop/zip_archive.h"
#include "marginalia/error.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"
#include "storage/refi_xml.h"

namespace marginalia {

namespace {

using storage::local_name;

constexpr int64_t kTranscriptZipLimit = int64_t(512) << 20;

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// "01:02:03.500", "1:02:03,5", "02:03.000", "[00:01:02]" -> milliseconds.
std::optional<int64_t> parse_time(std::string_view s) {
  std::string t = trim(s);
  if (t.size() >= 2 &&
      ((t.front() == '[' && t.back() == ']') || (t.front() == '(' && t.back() == ')')))
    t = t.substr(1, t.size() - 2);
  std::vector<int64_t> parts;
  int64_t fraction_ms = 0;
  size_t i = 0;
  while (true) {
    const size_t digits_start = i;
    int64_t value = 0;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
      if (i - digits_start == 3) return std::nullopt;  // no time part has more than 3 digits
      value = value * 10 + (t[i++] - '0');
    }
    if (i == digits_start) return std::nullopt;
    parts.push_back(value);
    if (i < t.size() && t[i] == ':') {
      ++i;
      continue;
    }
    if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
      ++i;
      int64_t scale = 100;
      const size_t f = i;
      while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
        fraction_ms += (t[i++] - '0') * scale;
        scale /= 10;
      }
      if (i == f) return std::nullopt;
    }
    break;
  }
  if (i != t.size() || parts.size() < 2 || parts.size() > 3) return std::nullopt;
  int64_t seconds = 0;
  for (int64_t p : parts) seconds = seconds * 60 + p;
  return seconds * 1000 + fraction_ms;
}

// "hh:mm:ss", with ".mmm" when the time has milliseconds (parse_turns reads both).
std::string format_time(int64_t ms) {
  const int64_t s = ms / 1000;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  std::string out = buffer;
  if (ms % 1000) {
    std::snprintf(buffer, sizeof buffer, ".%03lld", static_cast<long long>(ms % 1000));
    out += buffer;
  }
  return out;
}

// A speaker label as parse_turns accepts one: 1-4 words, at most 40 characters, a letter first.
bool plausible_label(std::string_view label) {
  const std::string l = trim(label);
  if (l.empty() || l.size() > 40 ||
      !(std::isalpha(static_cast<unsigned char>(l[0])) || static_cast<unsigned char>(l[0]) >= 0x80))
    return false;
  return std::count(l.begin(), l.end(), ' ') < 4;
}

// "Name: words" -> {"Name", "words"} when the part before the colon is a plausible label.
std::optional<std::pair<std::string, std::string>> split_label(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string label = trim(line.substr(0, colon));
  if (!plausible_label(label)) return std::nullopt;
  // "10:30" is a time, not a label.
  if (std::all_of(label.begin(), label.end(),
                  [](char c) { return std::isdigit((unsigned char)c); }))
    return std::nullopt;
  return std::make_pair(label, trim(line.substr(colon + 1)));
}

std::string unescape_html(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"},  {"&gt;", ">"}, {"&nbsp;", " "}, {"&quot;", "\""},
      {"&#39;", "'"}, {"&lrm;", ""}, {"&rlm;", ""},   {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities)
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + strlen(to)))
      s.replace(at, strlen(from), to);
  return s;
}

struct Cue {
  std::optional<int64_t> ms;
  std::string speaker;
  std::string text;
};

// Consecutive cues of one speaker (or without one, after a speaker) join into one turn.
std::string render_cues(const std::vector<Cue>& cues) {
  std::vector<Cue> turns;
  for (const Cue& cue : cues) {
    if (cue.text.empty()) continue;
    if (!turns.empty() && (cue.speaker.empty() || cue.speaker == turns.back().speaker) &&
        !(cue.speaker.empty() && turns.back().speaker.empty())) {
      turns.back().text += " " + cue.text;
      continue;
    }
    turns.push_back(cue);
  }
  std::string out;
  for (const Cue& turn : turns) {
    if (!out.empty()) out += "\n";
    if (turn.ms) out += "[" + format_time(*turn.ms) + "] ";
    if (!turn.speaker.empty()) out += turn.speaker + ": ";
    out += turn.text + "\n";
  }
  return out;
}

// The cue payload: voice tags give the speaker, other tags go, "Name: " at the start gives one.
Cue cue_payload(const std::vector<std::string_view>& lines) {
  Cue cue;
  std::string joined;
  for (std::string_view line : lines) {
    const std::string t = trim(line);
    if (t.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += t;
  }
  std::string text;
  for (size_t i = 0; i < joined.size();) {
    if (joined[i] == '<') {
      const size_t close = joined.find('>', i);
      if (close == std::string::npos) {
        text += joined.substr(i);
        break;
      }
      const std::string tag = joined.substr(i + 1, close - i - 1);
      if (cue.speaker.empty() && tag.size() > 2 && tag[0] == 'v' &&
          (tag[1] == ' ' || tag[1] == '.')) {
        const size_t space = tag.find(' ');
        if (space != std::string::npos) cue.speaker = unescape_html(trim(tag.substr(space + 1)));
      }
      i = close + 1;
      continue;
    }
    text += joined[i++];
  }
  text = unescape_html(trim(text));
  if (cue.speaker.empty())
    if (auto labelled = split_label(text)) std::tie(cue.speaker, text) = *labelled;
  cue.text = trim(text);
  return cue;
}

// WebVTT and SRT share their shape: blocks separated by blank lines, a "start --> end" line.
std::vector<Cue> read_cues(std::string_view text) {
  std::vector<Cue> cues;
  std::vector<std::string_view> block;
  auto flush = [&] {
    size_t timing = block.size();
    for (size_t i = 0; i < block.size(); ++i)
      if (block[i].find("-->") != std::string_view::npos) {
        timing = i;
        break;
      }
    if (timing < block.size()) {
      const std::string_view line = block[timing];
      Cue cue = cue_payload(std::vector<std::string_view>(block.begin() + timing + 1, block.end()));
      cue.ms = parse_time(line.substr(0, line.find("-->")));
      cues.push_back(std::move(cue));
    }
    block.clear();
  };
  for (std::string_view line : split_lines(text)) {
    if (trim(line).empty()) {
      flush();
      continue;
    }
    block.push_back(line);
  }
  flush();
  return cues;
}

// --- Word and OpenDocument: paragraphs (with a bold lead) and table rows ---------------------

struct Block {
  std::string text;                // a paragraph
  std::string bold_lead;           // the paragraph's leading bold text
  std::vector<std::string> cells;  // a table row
};

std::string render_blocks(const std::vector<Block>& blocks) {
  // A table of time / speaker / text rows, as transcription services export them.
  std::vector<Cue> rows;
  bool timed = false;
  for (const Block& b : blocks) {
    if (b.cells.empty()) continue;
    Cue cue;
    std::vector<std::string> rest;
    for (const std::string& cell : b.cells) {
      const std::string c = trim(cell);
      if (c.empty()) continue;
      if (!cue.ms) {
        if (auto ms = parse_time(c)) {
          cue.ms = ms;
          continue;
        }
      }
      rest.push_back(c);
    }
    if (rest.size() >= 2 && plausible_label(rest.front())) {
      cue.speaker = rest.front();
      rest.erase(rest.begin());
    }
    for (const std::string& r : rest) cue.text += (cue.text.empty() ? "" : " ") + r;
    if (cue.ms) timed = true;
    rows.push_back(std::move(cue));
  }
  if (timed)  // a heading row ("Time | Speaker | Text") has no time: drop it
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const Cue& c) { return !c.ms; }),
               rows.end());

  // Paragraph turns beside timed rows: parse_turns reads one layout per file, so the rows give
  // up their times rather than their turns.
  const bool labelled_paragraphs = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) {
    return b.cells.empty() && (!trim(b.bold_lead).empty() || split_label(b.text));
  });
  if (labelled_paragraphs)
    for (Cue& row : rows) row.ms.reset();

  std::string out;
  bool table_written = false;
  for (const Block& b : blocks) {
    if (!b.cells.empty()) {
      if (!table_written && !rows.empty()) {
        if (!out.empty()) out += "\n";
        out += render_cues(rows);
      }
      table_written = true;
      continue;
    }
    std::string line = trim(b.text);
    if (line.empty()) continue;
    std::string lead = trim(b.bold_lead);
    if (!lead.empty() && lead.back() == ':') lead = trim(lead.substr(0, lead.size() - 1));
    if (!lead.empty() && plausible_label(lead) && line.size() > b.bold_lead.size()) {
      std::string rest = trim(
          std::string_view(line).substr(line.find(trim(b.bold_lead)) + trim(b.bold_lead).size()));
      if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
      line = lead + ": " + rest;
    }
    if (!out.empty()) out += "\n";
    out += line + "\n";
  }
  return out;
}

void parse_entry(interop::ZipReader& zip, const std::string& entry,
                 const std::filesystem::path& name, pugi::xml_document& document) {
  const auto bytes = zip.read(entry);
  if (!bytes)
    throw BadInput(name.string() + ": not a document of this kind (it has no " + entry + ")");
  storage::parse_xml(document, *bytes, name / entry);
}

bool on(const pugi::xml_node& props, const char* element) {
  const pugi::xml_node b = storage::child_named(props, element);
  if (!b) return false;
  const std::string_view v = storage::attribute_named(b, "val").value();
  return v.empty() || (v != "0" && v != "false" && v != "none");
}

void docx_runs(const pugi::xml_node& node, Block& block, bool& lead_open) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view n = local_name(child);
    if (n == "del" || n == "pPr" || n == "rPr") continue;
    if (n == "r") {
      const bool bold = on(storage::child_named(child, "rPr"), "b");
      std::string text;
      for (pugi::xml_node part : child.children()) {
        const std::string_view p = local_name(part);
        if (p == "t") text += part.text().get();
        if (p == "tab") text += '\t';
        if (p == "br" || p == "cr") text += ' ';
      }
      if (lead_open && bold)
        block.bold_lead += text;
      else if (!trim(text).empty() || !block.text.empty())
        lead_open = false;
      block.text += text;
      continue;
    }
    docx_runs(child, block, lead_open);
  }
}

std::string docx_cell_text(const pugi::xml_node& cell) {
  std::string text;
  for (const auto& p : cell.select_nodes(".//*[local-name()='p']")) {
    std::string t;
    for (const auto& r : p.node().select_nodes(".//*[local-name()='t']"))
      t += r.node().text().get();
    if (!trim(t).empty()) text += (text.empty() ? "" : " ") + trim(t);
  }
  return text;
}

// ODF text of an element: spans, text:s (spaces), tabs and line breaks; bold spans by style.
void odt_text(const pugi::xml_node& node, const std::map<std::string, bool>& bold_styles,
              Block& block, bool& lead_open, bool bold) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      const std::string text = child.value();
      if (lead_open && bold)
        block.bold_lead += text;
      else if (!trim(text).empty())
        lead_open = false;
      block.text += text;
      continue;
    }
    if (child.type() != pugi::node_element) continue;
    const std::string_view n = local_name(child);
    if (n == "s") {
      const int count = std::max(1, child.attribute("text:c").as_int(1));
      block.text += std::string(static_cast<size_t>(count), ' ');
    } else if (n == "tab") {
      block.text += '\t';
    } else if (n == "line-break") {
      block.text += ' ';
    } else if (n == "note" || n == "annotation") {
      continue;
    } else {
      const auto style = bold_styles.find(storage::attribute_named(child, "style-name").value());
      odt_text(child, bold_styles, block, lead_open,
               style != bold_styles.end() ? style->second : bold);
    }
  }
}

void odt_blocks(const pugi::xml_node& node, const std::map<std::string, bool>& bold_styles,
                std::vector<Block>& blocks) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view n = local_name(child);
    if (n == "p" || n == "h") {
      Block block;
      bool lead_open = true;
      const auto style = bold_styles.find(storage::attribute_named(child, "style-name").value());
      odt_text(child, bold_styles, block, lead_open, style != bold_styles.end() && style->second);
      blocks.push_back(std::move(block));
    } else if (n == "table") {
      for (const auto& row : child.select_nodes(".//*[local-name()='table-row']")) {
        Block block;
        for (pugi::xml_node cell : row.node().children())
          if (local_name(cell) == "table-cell") {
            std::string text;
            for (const pugi::xml_node& p : storage::children_named(cell, "p")) {
              Block inner;
              bool open = false;
              odt_text(p, bold_styles, inner, open, false);
              if (!trim(inner.text).empty()) text += (text.empty() ? "" : " ") + trim(inner.text);
            }
            block.cells.push_back(text);
          }
        blocks.push_back(std::move(block));
      }
    } else if (n == "sequence-decls" || n == "tracked-changes") {
      continue;
    } else {
      odt_blocks(child, bold_styles, blocks);  // sections, lists, list items
    }
  }
}

std::string finish_text(std::string text) {
  return to_nfc(normalize_line_endings(text));
}

}  // namespace

FormattedTranscript parse_vtt(std::string_view text) {
  return {render_cues(read_cues(text)), "WebVTT"};
}

FormattedTranscript parse_srt(std::string_view text) {
  return {render_cues(read_cues(text)), "SRT subtitles"};
}

FormattedTranscript parse_zoom_text(std::string_view text) {
  std::vector<Cue> cues;
  for (std::string_view raw : split_lines(text)) {
    const std::string line = trim(raw);
    if (line.empty()) continue;
    // Saved transcript: "[Name] hh:mm:ss" then the words on the lines below.
    if (line.front() == '[') {
      const size_t close = line.find(']');
      if (close != std::string::npos) {
        const auto ms = parse_time(line.substr(close + 1));
        if (ms && plausible_label(line.substr(1, close - 1))) {
          cues.push_back(Cue{ms, trim(line.substr(1, close - 1)), ""});
          continue;
        }
      }
    }
    // Chat: "hh:mm:ss From Name to Everyone: words" or "hh:mm:ss From  Name : words".
    const size_t from = line.find(" From ");
    if (from != std::string::npos && parse_time(line.substr(0, from))) {
      const size_t colon = line.find(':', from);
      if (colon != std::string::npos) {
        std::string who = trim(line.substr(from + 6, colon - from - 6));
        const size_t to = who.find(" to ");
        if (to != std::string::npos) who = trim(who.substr(0, to));
        cues.push_back(Cue{parse_time(line.substr(0, from)), who, trim(line.substr(colon + 1))});
        continue;
      }
    }
    if (cues.empty()) cues.push_back(Cue{});
    cues.back().text += (cues.back().text.empty() ? "" : " ") + line;
  }
  return {render_cues(cues), "Zoom transcript"};
}

bool looks_like_zoom_text(std::string_view text) {
  int headers = 0;
  for (std::string_view raw : split_lines(text)) {
    const std::string line = trim(raw);
    const size_t close = line.find(']');
    if (!line.empty() && line.front() == '[' && close != std::string::npos &&
        parse_time(line.substr(close + 1)) && plausible_label(line.substr(1, close - 1)))
      ++headers;
    const size_t from = line.find(" From ");
    if (from != std::string::npos && parse_time(line.substr(0, from))) ++headers;
  }
  return headers >= 2;
}

FormattedTranscript parse_markdown(std::string_view text) {
  std::string out;
  for (std::string_view raw : split_lines(text)) {
    std::string line(raw);
    size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes > 0 && hashes < line.size() && line[hashes] == ' ') line = line.substr(hashes + 1);
    while (line.rfind("> ", 0) == 0) line = line.substr(2);
    if (line == ">") line.clear();
    // Images and links keep their words: ![alt](u) -> alt, [words](u) -> words.
    for (size_t open = line.find('['); open != std::string::npos; open = line.find('[', open + 1)) {
      const size_t close = line.find("](", open);
      const size_t end = close == std::string::npos ? close : line.find(')', close);
      if (close == std::string::npos || end == std::string::npos) break;
      const size_t from = open > 0 && line[open - 1] == '!' ? open - 1 : open;
      line = line.substr(0, from) + line.substr(open + 1, close - open - 1) + line.substr(end + 1);
      open = from;
    }
    std::string clean;
    for (size_t i = 0; i < line.size(); ++i) {
      if ((line[i] == '*' || line[i] == '_') && i + 1 < line.size() && line[i + 1] == line[i]) {
        ++i;
        continue;
      }
      if (line[i] == '`') continue;
      if (line[i] == '\\' && i + 1 < line.size() &&
          std::ispunct(static_cast<unsigned char>(line[i + 1]))) {
        clean += line[++i];
        continue;
      }
      clean += line[i];
    }
    const std::string t = trim(clean);
    if (t == "---" || t == "***" || t == "___") clean.clear();
    out += clean + "\n";
  }
  return {out, "Markdown"};
}

FormattedTranscript parse_docx(std::string_view bytes, const std::filesystem::path& name) {
  interop::ZipReader zip(bytes, name, kTranscriptZipLimit);
  pugi::xml_document document;
  parse_entry(zip, "word/document.xml", name, document);
  const pugi::xml_node body = storage::child_named(document.document_element(), "body");
  std::vector<Block> blocks;
  std::function<void(const pugi::xml_node&)> walk = [&](const pugi::xml_node& node) {
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view n = local_name(child);
      if (n == "p") {
        Block block;
        bool lead_open = true;
        docx_runs(child, block, lead_open);
        blocks.push_back(std::move(block));
      } else if (n == "tbl") {
        for (const pugi::xml_node& row : storage::children_named(child, "tr")) {
          Block block;
          for (const pugi::xml_node& cell : storage::children_named(row, "tc"))
            block.cells.push_back(docx_cell_text(cell));
          blocks.push_back(std::move(block));
        }
      } else if (n == "sdt" || n == "sdtContent") {
        walk(child);
      }
    }
  };
  walk(body);
  return {finish_text(render_blocks(blocks)), "Word .docx"};
}

FormattedTranscript parse_odt(std::string_view bytes, const std::filesystem::path& name) {
  interop::ZipReader zip(bytes, name, kTranscriptZipLimit);
  pugi::xml_document document;
  parse_entry(zip, "content.xml", name, document);
  const pugi::xml_node root = document.document_element();
  std::map<std::string, bool> bold_styles;
  for (const auto& style : root.select_nodes("//*[local-name()='style']")) {
    const pugi::xml_node props = storage::child_named(style.node(), "text-properties");
    const std::string_view weight = storage::attribute_named(props, "font-weight").value();
    bold_styles[storage::attribute_named(style.node(), "name").value()] =
        weight == "bold" || weight == "700" || weight == "800" || weight == "900";
  }
  std::vector<Block> blocks;
  odt_blocks(storage::child_named(storage::child_named(root, "body"), "text"), bold_styles, blocks);
  return {finish_text(render_blocks(blocks)), "OpenDocument .odt"};
}

}  // namespace marginalia
