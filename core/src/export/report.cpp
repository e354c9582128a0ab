// The coded-passages report (HTML) and the codebook table.
#include "marginalia/report.h"
#include "marginalia/tables.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {
namespace {

bool valid_colour(const std::string& c) {
  return c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char h) {
           return std::isxdigit(static_cast<unsigned char>(h));
         });
}

// The code tree in depth-first codebook order, with each code's depth. A parent cycle in a damaged
// codebook is broken where it is first met; codes in it are listed at the top.
std::vector<std::pair<const Code*, int>> tree_order(const Project& project) {
  std::map<std::string, std::vector<const Code*>> children;
  std::vector<const Code*> roots;
  for (const Code& c : project.codes) {
    if (c.parent.empty() || !project.code(c.parent))
      roots.push_back(&c);
    else
      children[c.parent].push_back(&c);
  }
  std::vector<std::pair<const Code*, int>> order;
  std::set<std::string> seen;
  auto visit = [&](auto&& self, const Code* code, int depth) -> void {
    if (!seen.insert(code->guid).second) return;
    order.emplace_back(code, depth);
    for (const Code* child : children[code->guid]) self(self, child, depth + 1);
  };
  for (const Code* root : roots) visit(visit, root, 0);
  for (const Code& c : project.codes) visit(visit, &c, 0);  // what a cycle left out
  return order;
}

// Segment overlap |A∩B| / |A∪B| of two spans.
double overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  const int64_t inter = std::min(a1, b1) - std::max(a0, b0);
  if (inter <= 0) return 0;
  const int64_t uni = std::max(a1, b1) - std::min(a0, b0);
  return uni > 0 ? static_cast<double>(inter) / static_cast<double>(uni) : 0;
}

// The definition, or for a description written without headings, its text.
std::string definition_of(const CodeDescription& d) {
  if (d.other.empty()) return d.definition;
  return d.definition.empty() ? d.other : d.other + "\n" + d.definition;
}

std::string passage_anchor(const std::string& code, const Passage& p) {
  return "p-" + code.substr(0, 8) + "-" + p.source.substr(0, 8) + "-" + std::to_string(p.start) +
         "-" + std::to_string(p.end);
}

constexpr const char* kStyle = R"(
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; color: #1a1a1a;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4, h5, h6, .contents, .meta, .summary, .count, .path, dt, .subhead, .caption {
  font-family: Helvetica, Arial, sans-serif; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.1rem; margin-top: 2rem; }
h4, h5, h6 { font-size: 1rem; margin-top: 1.5rem; }
.summary, .path, .meta, .count, .caption { color: #555; font-size: 0.85rem; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em;
          border: 1px solid #666; vertical-align: baseline; }
.contents ul { list-style: none; padding-left: 1.2rem; margin: 0; font-size: 0.9rem; }
.contents > ul { padding-left: 0; }
dl.description { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem;
                 font-size: 0.95rem; }
dt { font-weight: bold; font-size: 0.85rem; padding-top: 0.15rem; }
dd { margin: 0; }
.subhead { font-weight: bold; font-size: 0.9rem; margin: 1.2rem 0 0.4rem; }
blockquote { margin: 0.3rem 0 0.2rem; padding: 0.2rem 0 0.2rem 0.8rem; white-space: pre-wrap;
             border-left: 3px solid #999; }
div.exemplar { margin: 0.6rem 0 0.9rem 0; }
.caption { margin: 0; }
div.exemplar blockquote { font-size: 1.05rem; border-left-width: 4px; }
ol.passages { padding-left: 1.6rem; }
ol.passages li { margin-bottom: 0.9rem; }
.meta span + span::before { content: " \00b7  "; }
a { color: #1f5f99; }
.empty { color: #777; font-style: italic; }
@media print {
  body { max-width: none; margin: 0; }
  .contents { display: none; }
  li, div.exemplar { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)";

}  // namespace

std::string_view report_stylesheet() {
  return kStyle;
}

std::string passage_link(std::string_view project_location, std::string_view source, int64_t start,
                         int64_t end) {
  std::string encoded;
  for (char c : project_location) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      encoded += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      encoded += buf;
    }
  }
  return "marginalia://open?project=" + encoded + "&source=" + std::string(source) +
         "&start=" + std::to_string(start) + "&end=" + std::to_string(end);
}

std::string format_timestamp(int64_t ms) {
  if (ms < 0) ms = 0;
  const int64_t s = ms / 1000;
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  return buf;
}

std::vector<CodePassages> collect_passages(const Project& project, const ReportOptions& options) {
  for (const auto& guid : options.codes)
    if (!project.code(guid)) throw BadInput("report: no code with GUID " + guid);
  if (options.coder && !project.coder(*options.coder))
    throw BadInput("report: no coder with GUID " + *options.coder);

  std::map<std::string, size_t> source_index;
  for (size_t i = 0; i < project.sources.size(); ++i) source_index[project.sources[i].guid] = i;
  std::map<std::string, size_t> coder_index;
  for (size_t i = 0; i < project.coders.size(); ++i) coder_index[project.coders[i].guid] = i;

  // Every coding by code, for passages and for agreement.
  std::map<std::string, std::vector<const Coding*>> by_code;
  for (const Coding& c : project.codings)
    if (source_index.count(c.source)) by_code[c.code].push_back(&c);

  const std::set<std::string> wanted(options.codes.begin(), options.codes.end());
  std::vector<CodePassages> result;
  std::vector<int> selected_depths;  // depths (in the tree) of the selected codes on the path
  for (const auto& [code, tree_depth] : tree_order(project)) {
    while (!selected_depths.empty() && selected_depths.back() >= tree_depth)
      selected_depths.pop_back();
    const bool selected = wanted.empty() || wanted.count(code->guid) || !selected_depths.empty();
    if (!selected) continue;
    CodePassages entry;
    entry.code = code->guid;
    entry.depth = static_cast<int>(selected_depths.size());
    selected_depths.push_back(tree_depth);

    // Group this code's reported codings by span.
    std::map<std::tuple<size_t, int64_t, int64_t>, std::set<size_t>> spans;
    const auto& all = by_code[code->guid];
    for (const Coding* c : all) {
      if (options.coder && c->coder != *options.coder) continue;
      const size_t coder = coder_index.count(c->coder) ? coder_index[c->coder] : SIZE_MAX;
      spans[{source_index[c->source], c->start, c->end}].insert(coder);
    }
    for (const auto& [key, coders] : spans) {
      const auto& [si, start, end] = key;
      const Source& source = project.sources[si];
      Passage p;
      p.source = source.guid;
      p.start = start;
      p.end = end;
      p.text = substring_cp(source.text, start, end);
      for (const Utterance& u : source.utterances) {
        if (u.start < end && u.end > start) {
          if (!p.timestamp_ms && p.speakers.empty()) p.timestamp_ms = u.timestamp_ms;
          p.speakers.push_back(u.speaker);
          p.roles.emplace_back(role_name(u.role));
        }
      }
      for (size_t ci : coders)
        p.coders.push_back(ci == SIZE_MAX ? std::string("(unknown coder)")
                                          : project.coders[ci].name);
      std::set<std::string> agreeing;
      for (const Coding* c : all)
        if (c->source == source.guid && overlap(start, end, c->start, c->end) >= 0.5)
          agreeing.insert(c->coder);
      p.agreed = agreeing.size() >= 2;
      entry.passages.push_back(std::move(p));
    }
    for (size_t i = 0; i < entry.passages.size() && entry.exemplars.size() < options.exemplars; ++i)
      if (entry.passages[i].agreed) entry.exemplars.push_back(i);
    for (size_t i = 0; i < entry.passages.size() && entry.exemplars.size() < options.exemplars; ++i)
      if (!entry.passages[i].agreed) entry.exemplars.push_back(i);
    std::sort(entry.exemplars.begin(), entry.exemplars.end(), [&](size_t a, size_t b) {
      const bool aa = entry.passages[a].agreed, ba = entry.passages[b].agreed;
      return aa != ba ? aa : a < b;
    });
    result.push_back(std::move(entry));
  }
  return result;
}

std::string render_report_html(const Project& project, const ReportOptions& options) {
  const std::vector<CodePassages> codes = collect_passages(project, options);
  const std::string location =
      options.project_location.empty() ? project.name : options.project_location;
  auto source_name = [&](const std::string& guid) {
    const Source* s = project.source(guid);
    return s ? s->name : guid;
  };
  auto heading = [](int depth) { return "h" + std::to_string(std::min(depth + 2, 6)); };
  auto swatch = [](const Code& code) {
    return valid_colour(code.color)
               ? "<span class=\"swatch\" style=\"background: " + code.color + "\"></span>"
               : std::string();
  };

  size_t total = 0;
  std::set<std::string> sources_seen, coders_seen;
  for (const auto& c : codes)
    for (const auto& p : c.passages) {
      ++total;
      sources_seen.insert(p.source);
      coders_seen.insert(p.coders.begin(), p.coders.end());
    }

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"" +
       escape_html(project.language.empty() ? "en" : project.language) +
       "\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta name=\"generator\" content=\"Marginalia\">\n<title>Coded passages: " +
       escape_html(project.name) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h += "<div class=\"header\">\n<h1>Coded passages</h1>\n<p class=\"summary\">" +
       escape_html(project.name) + "</p>\n<p class=\"summary\">" + std::to_string(total) +
       " passages in " + std::to_string(sources_seen.size()) + " sources under " +
       std::to_string(codes.size()) + " codes";
  if (options.coder) {
    h += "; coded by " + escape_html(project.coder(*options.coder)->name) + " only";
  } else if (!coders_seen.empty()) {
    std::string names;
    for (const auto& n : coders_seen) names += (names.empty() ? "" : ", ") + n;
    h += "; coders: " + escape_html(names);
  }
  h += ".</p>\n<p class=\"summary\">A passage is one span coded with one code, by the coders named "
       "beside it. Exemplar quotes: up to " +
       std::to_string(options.exemplars) +
       " passages per code that two or more coders coded (segment overlap of at least 0.5), in "
       "transcript order; where there are fewer, the first other passages. Offsets are characters "
       "(Unicode code points) from the start of the transcript, end exclusive.</p>\n</div>\n";

  // Contents: the reported tree as nested lists.
  h += "<div class=\"contents\">\n<h2>Codes</h2>\n<ul>\n";
  int open_depth = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    const Code& code = *project.code(codes[i].code);
    for (; open_depth < codes[i].depth; ++open_depth) h += "<ul>\n";
    for (; open_depth > codes[i].depth; --open_depth) h += "</ul></li>\n";
    h += "<li><a href=\"#code-" + escape_html(code.guid) + "\">" + swatch(code) +
         escape_html(code.name) + "</a> <span class=\"count\">(" +
         std::to_string(codes[i].passages.size()) + ")</span>";
    const bool has_child = i + 1 < codes.size() && codes[i + 1].depth > codes[i].depth;
    h += has_child ? "\n" : "</li>\n";
  }
  for (; open_depth > 0; --open_depth) h += "</ul></li>\n";
  h += "</ul>\n</div>\n<div class=\"main\">\n";

  auto speakers = [](const Passage& p) {
    std::string who;
    for (size_t i = 0; i < p.speakers.size(); ++i) {
      const std::string one =
          (p.speakers[i].empty() ? std::string("(unlabelled)") : p.speakers[i]) + " (" +
          p.roles[i] + ")";
      if (who.find(one) == std::string::npos) who += (who.empty() ? "" : ", ") + one;
    }
    return who;
  };
  auto meta = [&](const Passage& p) {
    std::string m = "<p class=\"meta\">";
    if (!p.speakers.empty()) m += "<span>" + escape_html(speakers(p)) + "</span>";
    m += "<span>" + escape_html(source_name(p.source)) + "</span>";
    if (p.timestamp_ms)
      m += "<span>[" + escape_html(format_timestamp(*p.timestamp_ms)) + "]</span>";
    std::string by;
    for (const auto& c : p.coders) by += (by.empty() ? "" : ", ") + c;
    m += "<span>coded by " + escape_html(by) + "</span>";
    m += "<span><a href=\"" + escape_html(passage_link(location, p.source, p.start, p.end)) +
         "\">characters " + std::to_string(p.start) + "\xE2\x80\x93" + std::to_string(p.end) +
         "</a></span></p>\n";
    return m;
  };

  for (const auto& entry : codes) {
    const Code& code = *project.code(entry.code);
    const std::string hn = heading(entry.depth);
    h += "<div class=\"code\" id=\"code-" + escape_html(code.guid) + "\">\n<" + hn + ">" +
         swatch(code) + escape_html(code.name) + " <span class=\"count\">(" +
         std::to_string(entry.passages.size()) +
         (entry.passages.size() == 1 ? " passage" : " passages") +
         (code.codable ? "" : "; a folder") + ")</span></" + hn + ">\n";
    const std::string path = project.code_path(code);
    if (path != code.name) h += "<p class=\"path\">" + escape_html(path) + "</p>\n";
    const CodeDescription d = split_description(code.description);
    const std::string definition = definition_of(d);
    const std::pair<const char*, const std::string*> rows[] = {{"Definition", &definition},
                                                               {"Use when", &d.use_when},
                                                               {"Do not use when", &d.not_when},
                                                               {"Example", &d.example}};
    std::string dl;
    for (const auto& [label, text] : rows)
      if (!text->empty())
        dl += "<dt>" + std::string(label) + "</dt><dd>" + escape_html(*text) + "</dd>\n";
    if (!dl.empty()) h += "<dl class=\"description\">\n" + dl + "</dl>\n";

    if (entry.passages.empty()) {
      if (code.codable) h += "<p class=\"empty\">No passages.</p>\n";
      h += "</div>\n";
      continue;
    }
    h += "<p class=\"subhead\">Exemplar quotes</p>\n";
    for (size_t i : entry.exemplars) {
      const Passage& p = entry.passages[i];
      h += "<div class=\"exemplar\">\n<blockquote>" + escape_html(p.text) +
           "</blockquote>\n<p class=\"caption\">\xE2\x80\x94 " +
           escape_html(p.speakers.empty() ? source_name(p.source)
                                          : speakers(p) + ", " + source_name(p.source)) +
           (p.timestamp_ms ? " [" + format_timestamp(*p.timestamp_ms) + "]" : std::string()) +
           (p.agreed ? "; agreed" : "; not agreed") + " (<a href=\"#" +
           passage_anchor(code.guid, p) + "\">passage " + std::to_string(i + 1) +
           "</a>)</p>\n</div>\n";
    }
    h += "<p class=\"subhead\">All passages (" + std::to_string(entry.passages.size()) + ")</p>\n";
    h += "<ol class=\"passages\">\n";
    for (const Passage& p : entry.passages)
      h += "<li id=\"" + passage_anchor(code.guid, p) + "\">\n<blockquote>" + escape_html(p.text) +
           "</blockquote>\n" + meta(p) + "</li>\n";
    h += "</ol>\n</div>\n";
  }
  h += "</div>\n</body>\n</html>\n";
  return h;
}

Table codebook_table(const Project& project, const CodebookTableOptions& options) {
  if (options.coder && !project.coder(*options.coder))
    throw BadInput("codebook table: no coder with GUID " + *options.coder);
  std::map<std::string, int64_t> own;
  for (const Coding& c : project.codings)
    if (!options.coder || c.coder == *options.coder) ++own[c.code];
  const auto order = tree_order(project);
  // Roll up subtrees: walk the tree order backwards, adding each code's total to its parent.
  std::map<std::string, int64_t> subtree;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Code* code = it->first;
    subtree[code->guid] += own[code->guid];
    if (!code->parent.empty() && project.code(code->parent))
      subtree[code->parent] += subtree[code->guid];
  }

  Table t;
  t.title = "Codebook";
  t.label = "tab:codebook";
  t.columns = {"Code", "Definition", "Use when", "Do not use when", "Example", "Frequency"};
  for (const auto& [code, depth] : order) {
    const CodeDescription d = split_description(code->description);
    const int64_t n = code->codable ? own[code->guid] : subtree[code->guid];
    t.rows.push_back({TableCell::of(project.code_path(*code)), TableCell::of(definition_of(d)),
                      TableCell::of(d.use_when), TableCell::of(d.not_when),
                      TableCell::of(d.example), TableCell::number(n)});
  }
  std::string note = "Frequency: the number of codings with the code";
  if (options.coder)
    note += " by " + project.coder(*options.coder)->name;
  else if (project.coders.size() > 1)
    note += ", all " + std::to_string(project.coders.size()) + " coders together";
  note += "; for a folder (a theme that is not coded itself), the codings of every code below it.";
  t.notes.push_back(note);
  return t;
}

std::string render_codebook_table(const Table& table, std::string_view format) {
  std::string out = render_table(table, format);
  if (format != "latex" && format != "tex") return out;
  const std::string plain = "\\begin{tabular}{lllllr}";
  const size_t at = out.find(plain);
  if (at != std::string::npos)
    out.replace(at, plain.size(),
                "\\begin{tabular}{p{0.14\\linewidth}p{0.22\\linewidth}p{0.15\\linewidth}"
                "p{0.15\\linewidth}p{0.15\\linewidth}r}");
  return out;
}

}  // namespace marginalia
